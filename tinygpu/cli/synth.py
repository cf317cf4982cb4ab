# SPDX-License-Identifier: MIT
"""tinygpu-synth (make synth): every configuration of tb/configs.toml synthesized (Yosys'
slang front end) and placed on an iCE40 HX8K (nextpnr-ice40) when it fits, else on the
smallest ECP5 that holds it (nextpnr-ecp5): logic cells, iCE40 LUTs, flip-flops, carry
cells, RAM blocks, pins, Fmax and the critical path, checked against the committed
baseline tb/synth_baseline.json (area more than 5 % up or Fmax more than 5 % down fails;
--update writes the new numbers as the baseline)."""

from __future__ import annotations

import argparse
import os
import sys

from .. import synth
from ..configs import load_configs
from . import args as checked


def config_list(text: str) -> list[str]:
    """An argparse type: comma-separated configuration names of tb/configs.toml."""
    known = load_configs()
    names = [name.strip() for name in text.split(",") if name.strip()]
    bad = [name for name in names if name not in known]
    if bad or not names:
        raise argparse.ArgumentTypeError(
            f"must be a comma-separated list of configurations of tb/configs.toml ({', '.join(known)}), got {text!r}"
        )
    return names


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(prog="tinygpu-synth", description=__doc__)
    parser.add_argument(
        "--configs",
        type=config_list,
        default=None,
        help="comma-separated configurations (default: all of tb/configs.toml)",
    )
    checked.add_engine_options(parser, jobs_help="local workers, one configuration each (default: one per CPU)")
    parser.set_defaults(jobs=os.cpu_count() or 1)
    parser.add_argument(
        "--update", action="store_true", help=f"write the results as the new baseline {synth.BASELINE_FILE.name}"
    )
    parser.add_argument("--markdown", type=checked.output_file, help="also write the table to this file")
    args = parser.parse_args(argv)
    missing = synth.missing_tools()
    if missing:
        checked.fail(parser.prog, f"{', '.join(missing)} not found: run `make setup`")
    names = args.configs or list(load_configs())
    results = []
    with checked.campaign_engine(parser.prog, args, synth.programs()) as engine:
        for result, lines in engine.map(synth.synthesize_task, names, ordered=True):
            results.append(result)
            for line in lines:
                checked.say(line)
        engine.report_losses(checked.say)
    table = synth.format_table(results)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n")
    if args.update:
        synth.update_baseline(results)
        if not args.configs:
            synth.update_readme(table)
        print(f"synth: baseline {synth.BASELINE_FILE.relative_to(synth.REPO_ROOT)} updated")
        return 0
    problems = synth.check_against_baseline(results, synth.load_baseline())
    for problem in problems:
        print(f"synth: FAIL: {problem}")
    if problems:
        print("synth: if the change is intended, run `make synth UPDATE=1` and commit the baseline")
        return 1
    print(f"synth: {len(results)} configurations within {synth.TOLERANCE:.0%} of the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
