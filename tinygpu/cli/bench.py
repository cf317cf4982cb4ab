# SPDX-License-Identifier: MIT
"""tinygpu-bench (make bench): cycles, counters and simulation speed of the demonstration
kernels at every memory latency, the plot, and the cycle gate's baseline."""

from __future__ import annotations

import argparse
import json
import sys

from .. import bench
from ..sim import SIMULATORS
from . import args as checked


def config_list(text: str) -> list[str]:
    """Comma-separated configuration names from tb/configs.toml."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one configuration")
    return [checked.config_name(name).name for name in names]


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(
        prog="tinygpu-bench", description=bench.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sims",
        type=checked.simulator_list,
        default=list(SIMULATORS),
        help="comma-separated simulators (default: both)",
    )
    parser.add_argument(
        "--configs",
        type=config_list,
        default=list(bench.CONFIGS),
        help=f"comma-separated names from tb/configs.toml (default: {','.join(bench.CONFIGS)})",
    )
    parser.add_argument(
        "--update", action="store_true", help="write the cycles as the new baseline tb/cycle_baseline.json"
    )
    parser.add_argument("--json", type=checked.output_file, help="write the numbers to this file")
    args = parser.parse_args(argv)
    if args.update and sorted(args.configs) != sorted(bench.CONFIGS):
        parser.error(
            f"--update writes the whole baseline: run it with the default --configs ({','.join(bench.CONFIGS)})"
        )
    report, right = bench.run_bench(args.configs, args.sims, update=args.update, log=checked.say)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0 if right else 1


if __name__ == "__main__":
    sys.exit(main())
