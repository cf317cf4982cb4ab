#!/usr/bin/env python3
"""Lint rtl/ with `verilator --lint-only -Wall`, once per configuration in tb/configs.toml.

Every waiver lives in the RTL next to the code it excuses, with its reason. Exits
non-zero if any configuration reports anything.
"""

from __future__ import annotations

import subprocess

from . import simulator
from .paths import REPO_ROOT


def lint(parameters: dict[str, int]) -> subprocess.CompletedProcess:
    simulator.setup_tool_environment()
    command = ["verilator", "--lint-only", "-Wall", "--top-module", "gpu"]
    command += [f"-G{name}={value}" for name, value in parameters.items()]
    command += [str(path) for path in simulator.rtl_sources()]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
