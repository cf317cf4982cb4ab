#!/usr/bin/env python3
"""Lint rtl/ with `verilator --lint-only -Wall`, once per configuration in tb/configs.toml.

Every waiver lives in the RTL next to the code it excuses, with its reason. Exits
non-zero if any configuration reports anything.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO_ROOT / "tb")]

import simulator  # noqa: E402
from configs import load_configs  # noqa: E402


def lint(parameters: dict[str, int]) -> subprocess.CompletedProcess:
    simulator.setup_tool_environment()
    command = ["verilator", "--lint-only", "-Wall", "--top-module", "gpu"]
    command += [f"-G{name}={value}" for name, value in parameters.items()]
    command += [str(path) for path in simulator.rtl_sources()]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)


def main() -> int:
    failed = 0
    for config in load_configs().values():
        result = lint(config.parameters)
        messages = (result.stdout + result.stderr).strip()
        if result.returncode != 0 or "%Warning" in messages or "%Error" in messages:
            failed += 1
            print(f"lint {config.name}: FAIL\n{messages}")
        else:
            print(f"lint {config.name}: clean")
    print(f"lint: {failed} of {len(load_configs())} configurations failed" if failed
          else f"lint: all {len(load_configs())} configurations clean")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
