# SPDX-License-Identifier: MIT
"""tinygpu-formal (make formal): SymbiYosys proofs (k-induction) and cover traces of the
GPU's control blocks and AXI masters (tinygpu.formal.TASKS), each in its harness in formal/;
prints the table of results (--readme also writes it into README.md) and fails when a
proof fails or a cover statement is never reached."""

from __future__ import annotations

import argparse
import sys

from .. import formal
from . import args as checked


def task_list(text: str) -> list[formal.FormalTask]:
    """An argparse type: comma-separated task names of tinygpu.formal.TASKS."""
    known = {task.name: task for task in formal.TASKS}
    names = [name.strip() for name in text.split(",") if name.strip()]
    bad = [name for name in names if name not in known]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"must be a comma-separated list of {', '.join(known)}, got {text!r}")
    return [known[name] for name in names]


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(prog="tinygpu-formal", description=__doc__)
    parser.add_argument("--tasks", type=task_list, default=formal.TASKS, help="comma-separated tasks (default: all)")
    parser.add_argument(
        "--jobs", type=checked.jobs_count, default="auto", help="tasks run at once (default: one per CPU)"
    )
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args(argv)
    missing = formal.missing_tools()
    if missing:
        checked.fail(parser.prog, f"{', '.join(missing)} not found: run `make setup`")
    jobs = args.jobs if isinstance(args.jobs, int) else checked.jobs_count(args.jobs)
    results = formal.run_tasks(args.tasks, jobs=jobs)
    failed = [r for r in results if not r.passed]
    for r in results:
        print(f"formal {r.task.name}: {r.status} ({r.seconds:.0f} s)", flush=True)
        if not r.passed:
            for line in r.details:
                print(f"    {line}")
            print(f"    see {r.work_dir}")
    table = formal.format_table(results)
    if args.readme:
        if failed or args.tasks != formal.TASKS:
            checked.fail(parser.prog, "--readme needs every task run and passing")
        formal.update_readme(table)
    print(
        f"formal: {len(failed)} of {len(results)} tasks failed"
        if failed
        else f"formal: all {len(results)} tasks passed"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
