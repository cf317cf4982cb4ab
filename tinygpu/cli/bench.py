"""tinygpu-bench (make bench): cycles, IPC and simulation speed of the demonstration kernels."""

from __future__ import annotations

import argparse
import json
import sys

from .. import bench
from ..sim import SIMULATORS
from . import args as checked


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(prog="tinygpu-bench", description=bench.__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sims", type=checked.simulator_list, default=list(SIMULATORS),
                        help="comma-separated simulators (default: both)")
    parser.add_argument("--config", type=checked.config_name, default="default",
                        help="a name from tb/configs.toml")
    parser.add_argument("--json", type=checked.output_file, help="write the numbers to this file")
    args = parser.parse_args(argv)
    report, right = bench.run_bench(args.config, args.sims)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0 if right else 1


if __name__ == "__main__":
    sys.exit(main())
