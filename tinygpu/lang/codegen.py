# SPDX-License-Identifier: MIT
"""Pass 6: the allocated IR as assembly text, each source line above its instructions.

The text goes through the project's assembler (tinygpu.assembler), like a hand-written
kernel: one toolchain from here on.
"""

from __future__ import annotations

from ..isa import nzp_suffix, register_name
from .ir import Fixed, Instr, Operand, Temp
from .source import KernelSource

_MNEMONICS = {"add": "ADD", "sub": "SUB", "mul": "MUL", "div": "DIV"}


def generate_assembly(source: KernelSource, code: list[Instr], registers: dict[Temp, int]) -> str:
    """The assembly source of the kernel: header, .threads, .data, then the code."""

    def reg(operand: Operand) -> str:
        return register_name(operand.register if isinstance(operand, Fixed) else registers[operand])

    out = [f"; {source.name}: compiled from {source.filename} by tinygpu-cc", f".threads {source.threads}"]
    data = source.initial_data()
    for start in range(0, len(data), 16):
        out.append(".data " + " ".join(str(v) for v in data[start : start + 16]))
    shown_line = 0
    for instr in code:
        if instr.op in ("loop_begin", "loop_end"):
            continue
        if instr.line and instr.line != shown_line and instr.op != "label":
            shown_line = instr.line
            text = source.lines[instr.line - 1].strip() if instr.line <= len(source.lines) else ""
            out.append(f"; {instr.line}: {text}")
        d = reg(instr.dst) if instr.dst is not None else ""
        s = [reg(operand) for operand in instr.srcs]
        if instr.op == "label":
            out.append(f"{instr.label}:")
        elif instr.op == "const":
            out.append(f"    CONST {d}, #{instr.value}")
        elif instr.op in _MNEMONICS:
            out.append(f"    {_MNEMONICS[instr.op]} {d}, {s[0]}, {s[1]}")
        elif instr.op == "load":
            out.append(f"    LDR {d}, {s[0]}")
        elif instr.op == "load_shared":
            out.append(f"    LDS {d}, {s[0]}")
        elif instr.op == "store":
            out.append(f"    STR {s[0]}, {s[1]}")
        elif instr.op == "store_shared":
            out.append(f"    STS {s[0]}, {s[1]}")
        elif instr.op == "branch":
            out.append(f"    CMP {s[0]}, {s[1]}")
            out.append(f"    BR{nzp_suffix(instr.value)} {instr.label}")
        elif instr.op == "jump":
            out.append(f"    BRnzp {instr.label}")
        elif instr.op == "barrier":
            out.append("    BAR")
        elif instr.op == "ret":
            out.append("    RET")
        else:
            raise AssertionError(f"no code for IR op {instr.op!r}")
    return "\n".join(out) + "\n"
