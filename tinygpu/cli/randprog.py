# SPDX-License-Identifier: MIT
"""Command line of tinygpu.randprog: seeded random program generator (and shrinker) for the tiny-gpu ISA."""

from __future__ import annotations

import sys

from .. import randprog as randprog_module
from ..randprog import SIZES, generate
from . import args as checked


def main(argv: list[str] | None = None) -> int:
    ap = checked.Parser(prog="tinygpu-randprog", description=randprog_module.__doc__.split("\n")[0])
    ap.add_argument("--seed", type=checked.int_range(0, 2**31 - 1), required=True)
    ap.add_argument("--block-dim", type=checked.int_range(1, 32), default=4)
    ap.add_argument("--max-threads", type=checked.int_range(1, 255), default=None)
    ap.add_argument("--size", choices=sorted(SIZES), default="medium")
    ap.add_argument("-o", "--output", type=checked.output_file, help="write the program here instead of stdout")
    args = ap.parse_args(argv)
    prog = generate(args.seed, block_dim=args.block_dim, max_threads=args.max_threads, size=args.size)
    print(f"randprog: seed={args.seed} block_dim={args.block_dim} threads={prog.threads}", file=sys.stderr)
    if args.output:
        with open(args.output, "w") as f:
            f.write(prog.asm)
    else:
        sys.stdout.write(prog.asm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
