"""Command line of tinygpu.lint: lint rtl/ with `verilator --lint-only -Wall`, once per configuration in tb/configs.toml."""

from __future__ import annotations

import sys

from ..configs import load_configs
from ..lint import lint


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
