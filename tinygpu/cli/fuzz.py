# SPDX-License-Identifier: MIT
"""tinygpu-fuzz (make fuzz): random programs on the RTL in lock-step with the ISA model."""

from __future__ import annotations

import argparse
import sys

from .. import fuzz
from ..configs import load_configs
from ..sim import SIMULATORS
from . import args as checked


def main(argv: list[str] | None = None) -> int:
    ap = checked.Parser(
        prog="tinygpu-fuzz",
        description=fuzz.__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=fuzz.__doc__.split("\n", 2)[2],
    )
    ap.add_argument("--count", type=checked.int_range(1, 1_000_000), default=100, help="number of seeds (programs)")
    ap.add_argument("--seed", type=checked.int_range(0, 2**31 - 1), default=1, help="first seed")
    checked.add_engine_options(ap)
    ap.add_argument("--sims", type=checked.simulator_list, default=list(SIMULATORS), help="comma-separated simulators")
    ap.add_argument(
        "--config", type=checked.config_name, help="one configuration for every seed (default: round-robin over all)"
    )
    ap.add_argument(
        "--size", choices=fuzz.SIZE_CHOICES, default="medium", help="program size; 'mix' = small/medium/large by seed"
    )
    ap.add_argument("--batch", type=checked.int_range(1, 1000), default=25, help="programs per simulator process")
    ap.add_argument("--shrink-tries", type=checked.int_range(1, 10_000), default=60, help="simulator runs per shrink")
    ap.add_argument("--max-shrink", type=checked.int_range(0, 1000), default=4, help="failures to shrink (0: none)")
    ap.add_argument("--keep", action="store_true", help="keep the run folders of passing batches")
    args = ap.parse_args(argv)
    configs = [args.config] if args.config else list(load_configs().values())
    with checked.campaign_engine(ap.prog, args, checked.sim_programs(args.sims)) as engine:
        return fuzz.run_campaign(
            first_seed=args.seed,
            count=args.count,
            configs=configs,
            sims=args.sims,
            size=args.size,
            batch=args.batch,
            engine=engine,
            shrink_tries=args.shrink_tries,
            max_shrink=args.max_shrink,
            keep=args.keep,
            log=checked.say,
        )


if __name__ == "__main__":
    sys.exit(main())
