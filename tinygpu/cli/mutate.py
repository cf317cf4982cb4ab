# SPDX-License-Identifier: MIT
"""tinygpu-mutate (make mutate): the suite measures its own strength on mutants of rtl/."""

from __future__ import annotations

import argparse
import shlex
import sys
import time

from .. import mutate
from . import args as checked


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(
        prog="tinygpu-mutate",
        description=mutate.__doc__.split("\n\n")[0],
        epilog=mutate.__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--mutants",
        type=checked.int_range(1, 100_000),
        default=150,
        help="how many mutants to sample (default 150; more than exist: all)",
    )
    parser.add_argument("--seed", type=checked.int_range(0, 2**31 - 1), default=1, help="sample seed")
    checked.add_engine_options(parser)
    parser.add_argument(
        "--suite",
        choices=mutate.SUITES,
        default="fast",
        help="the judge: fast (the mutation subset, default) or full (the whole regression per mutant)",
    )
    parser.add_argument(
        "--tests",
        type=shlex.split,
        default=["tb"],
        help="with --suite full: the pytest selection that judges (default 'tb', the whole regression), "
        "e.g. 'tb/test_gpu_kernels.py -k icarus'",
    )
    parser.add_argument(
        "--match",
        action="append",
        default=[],
        help="judge only mutants whose name contains this text (repeatable), "
        "e.g. --match dispatcher.sv:115 (names as --list prints them)",
    )
    parser.add_argument("--list", action="store_true", help="only list the sampled mutants")
    args = parser.parse_args(argv)
    if args.tests != ["tb"] and args.suite != "full":
        checked.fail(parser.prog, "--tests chooses the tests of --suite full: add --suite full")

    everything = mutate.all_mutants()
    if args.match:
        chosen = [m for m in everything if any(text in m.key for text in args.match)]
        if not chosen:
            checked.fail("tinygpu-mutate", f"no mutant's name contains {' or '.join(args.match)} (see --list)")
    else:
        chosen = mutate.sample(everything, args.mutants, args.seed)
    if args.list:
        for mutant in chosen:
            print(mutant.key)
        return 0
    started = time.monotonic()
    with checked.campaign_engine(parser.prog, args, checked.sim_programs([mutate.SIM, "verilator"])) as engine:
        verdicts = mutate.run_mutants(
            chosen, engine=engine, progress=checked.say, suite=args.suite, tests=tuple(args.tests)
        )
        lost = engine.report_losses(checked.say)
    text = mutate.report(
        verdicts,
        total=len(everything),
        seed=args.seed,
        seconds=time.monotonic() - started,
        suite=args.suite,
        tests=tuple(args.tests),
        lost_workers=lost,
    )
    mutate.MUTATE_ROOT.mkdir(parents=True, exist_ok=True)
    (mutate.MUTATE_ROOT / "report.md").write_text(text)
    killed, counted, rate = mutate.kill_rate(verdicts)
    print("\n".join(text.splitlines()[4:8]))
    print(f"report: {mutate.MUTATE_ROOT / 'report.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
