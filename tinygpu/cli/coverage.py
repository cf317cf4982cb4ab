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
    cli_args.add_engine_options(parser)
    parser.set_defaults(jobs=coverage_report.DEFAULT_JOBS)
    parser.add_argument(
        "--out",
        type=cli_args.output_folder,
        default=BUILD_DIR / "coverage",
        help="report folder (default build/coverage)",
    )
    args = parser.parse_args(argv)
    tools = cli_args.sim_programs([coverage_report.SIM])
    with cli_args.campaign_engine(parser.prog, args, tools) as engine:
        return coverage_report.run_coverage(
            seeds=args.seeds, engine=engine, out_dir=args.out.resolve(), log=cli_args.say
        )


if __name__ == "__main__":
    sys.exit(main())
