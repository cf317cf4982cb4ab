# SPDX-License-Identifier: MIT
"""tinygpu-cluster-bench (make cluster-bench): the engine's size, start-up and scaling."""

from __future__ import annotations

import sys

from .. import cluster_bench
from . import args as checked


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(prog="tinygpu-cluster-bench", description=cluster_bench.__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="write the table into docs/cluster.md")
    args = parser.parse_args(argv)
    return cluster_bench.run_bench(update=args.update, log=checked.say)


if __name__ == "__main__":
    sys.exit(main())
