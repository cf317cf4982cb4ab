# SPDX-License-Identifier: MIT
"""Reading waveforms and naming what is in them: the support behind `make waves`.

- ``signal_names(path)``: every signal in an FST (or VCD) file, read with pywellen.
- ``rtl_enums()``: the state and opcode enums of rtl/, parsed from their typedefs, so
  GTKWave can show `S_EXECUTE` instead of 2 through a translate-filter file written from
  them (``write_enum_filter``). The RTL carries no text signals for this.
- The instruction words are shown as text by a translate-filter *process*, the console
  script tinygpu-gtkwave-disasm (tinygpu/cli/gtkwave_disasm.py).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .paths import RTL_DIR

_ENUM = re.compile(r"typedef\s+enum\s+logic\s*\[(\d+):0\]\s*\{(.*?)\}\s*(\w+)\s*;", re.S)
_MEMBER = re.compile(r"(\w+)\s*(?:=\s*(?:\d+'[bdh])?([0-9a-fA-F_]+))?")


@dataclass(frozen=True)
class RtlEnum:
    name: str  # e.g. scheduler.state_e
    width: int
    values: dict[int, str]  # value -> member name


def rtl_enums(rtl_dir: Path = RTL_DIR) -> dict[str, RtlEnum]:
    """Every `typedef enum logic [N:0] {...} name;` of rtl/, keyed `file_stem.name`."""
    enums = {}
    for path in sorted(Path(rtl_dir).glob("*.sv")):
        text = re.sub(r"//[^\n]*", "", path.read_text())
        for match in _ENUM.finditer(text):
            high, body, name = match.groups()
            values, next_value = {}, 0
            for member in body.split(","):
                parsed = _MEMBER.match(member.strip())
                if not parsed:
                    continue
                label, literal = parsed.groups()
                base = 2 if "'b" in member else 16 if "'h" in member else 10
                value = int(literal.replace("_", ""), base) if literal else next_value
                values[value] = label
                next_value = value + 1
            enums[f"{path.stem}.{name}"] = RtlEnum(f"{path.stem}.{name}", int(high) + 1, values)
    return enums


def write_enum_filter(enum: RtlEnum, path: Path) -> Path:
    """A GTKWave translate-filter file: `<hex value> <name>` per line, each name without
    the prefix every member shares (A_EXECUTE reads EXECUTE)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digits = max(1, (enum.width + 3) // 4)
    prefix = os.path.commonprefix(list(enum.values.values()))
    prefix = prefix[: prefix.rfind("_") + 1]  # up to and with its last underscore
    path.write_text(
        "".join(f"{value:0{digits}x} {label.removeprefix(prefix)}\n" for value, label in sorted(enum.values.items()))
    )
    return path


def signal_names(wave_file: Path) -> dict[str, int]:
    """Every signal of a waveform file: full hierarchical name -> bit width."""
    import pywellen  # imported late: only `make waves` and its test need it

    waveform = pywellen.Waveform(str(wave_file))
    return {var.full_name: var.bitwidth for var in waveform.all_vars()}
