# SPDX-License-Identifier: MIT
"""tinygpu-fuzz-lang (make fuzz-python): random Python kernels compiled and checked three ways."""

from __future__ import annotations

import argparse
import sys

from .. import lang_fuzz
from ..configs import load_configs
from ..sim import SIMULATORS
from . import args as checked


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(
        prog="tinygpu-fuzz-lang", description=lang_fuzz.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=checked.int_range(1, 1_000_000), default=200, help="number of seeds (kernels)")
    parser.add_argument("--seed", type=checked.int_range(0, 2**31 - 1), default=1, help="first seed")
    parser.add_argument(
        "--sims", type=checked.simulator_list, default=list(SIMULATORS), help="comma-separated simulators"
    )
    parser.add_argument("--config", type=checked.config_name, help="one configuration (default: all, by seed)")
    parser.add_argument(
        "--rtl-every",
        type=checked.int_range(0, 1_000_000),
        default=4,
        help="run every Nth kernel on the RTL too (0: none)",
    )
    parser.add_argument("--batch", type=checked.int_range(1, 1000), default=25, help="kernels per simulator process")
    args = parser.parse_args(argv)
    configs = [args.config] if args.config else list(load_configs().values())
    right = lang_fuzz.run_campaign(
        first_seed=args.seed,
        count=args.count,
        sims=args.sims,
        configs=configs,
        rtl_every=args.rtl_every,
        batch=args.batch,
        log=print,
    )
    return 0 if right else 1


if __name__ == "__main__":
    sys.exit(main())
