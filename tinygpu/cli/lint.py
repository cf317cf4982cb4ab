# SPDX-License-Identifier: MIT
"""tinygpu-lint (make lint): every configuration through two strict front ends, Verilator
-Wall and slang (rtl/ and the harness), the parameter checks at the edges of the legal
ranges, and the Python through ruff (lint and format check) and mypy."""

from __future__ import annotations

import sys

from ..configs import load_configs
from ..harness import HARNESS_SOURCES, HARNESS_TOP
from ..lint import (
    elaboration_problems,
    lint_problems,
    mypy_problems,
    ruff_format_problems,
    ruff_problems,
    slang_problems,
)
from . import args as checked


def main(argv: list[str] | None = None) -> int:
    checked.Parser(prog="tinygpu-lint", description=__doc__).parse_args(argv)
    configs = load_configs()
    failed = 0
    for config in configs.values():
        problems = "\n".join(
            p
            for p in (
                lint_problems(config.parameters, top=config.top),
                lint_problems(config.parameters, trace=False, top=config.top),
                slang_problems(config.parameters, top=config.top),
                slang_problems(config.parameters, trace=False, top=config.top),
                slang_problems(
                    config.parameters, top=HARNESS_TOP, extra_sources=HARNESS_SOURCES, defines=config.defines
                ),
            )
            if p
        )
        failed += bool(problems)
        print(
            f"lint {config.name}: FAIL\n{problems}"
            if problems
            else f"lint {config.name}: clean (verilator -Wall, slang: rtl/ with and without the trace port, "
            "and harness)",
            flush=True,
        )
    edges = elaboration_problems()
    for problem in edges:
        print(f"lint parameter checks: FAIL: {problem}")
    print(
        f"lint: {failed} of {len(configs)} configurations failed"
        if failed
        else f"lint: all {len(configs)} configurations clean",
        end="",
    )
    print(f"; parameter checks: {len(edges)} wrong" if edges else "; parameter checks right at every edge")
    python = {"ruff": ruff_problems(), "ruff format": ruff_format_problems(), "mypy": mypy_problems()}
    for tool, problems in python.items():
        print(f"lint python ({tool}): FAIL\n{problems}" if problems else f"lint python ({tool}): clean")
    return 1 if failed or edges or any(python.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
