# SPDX-License-Identifier: MIT
"""tinygpu-coverage (make coverage): functional and line coverage, with closure."""

from __future__ import annotations

import sys

from .. import coverage_report
from ..paths import BUILD_DIR
from . import args as cli_args


def main(argv: list[str] | None = None) -> int:
    parser = cli_args.Parser(prog="tinygpu-coverage", description=coverage_report.__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seeds",
        type=cli_args.int_range(1, 10_000),
        default=coverage_report.DEFAULT_SEEDS,
        help=f"random programs: seeds 1..N (default {coverage_report.DEFAULT_SEEDS})",
    )
    parser.add_argument(
        "--workers",
        type=cli_args.int_range(1, 64),
        default=coverage_report.MAX_WORKERS,
        help="parallel simulator processes (1..64)",
    )
    parser.add_argument(
        "--out",
        type=cli_args.output_folder,
        default=BUILD_DIR / "coverage",
        help="report folder (default build/coverage)",
    )
    args = parser.parse_args(argv)
    return coverage_report.run_coverage(
        seeds=args.seeds, workers=args.workers, out_dir=args.out.resolve(), log=cli_args.say
    )


if __name__ == "__main__":
    sys.exit(main())
