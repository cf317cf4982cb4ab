# SPDX-License-Identifier: MIT
"""Pass 5: register allocation by liveness, onto R0-R12.

Two temporaries may share a register when they are never live at once. The allocator
colours the interference graph (tinygpu.lang.optimize.interference) greedily, in the
order the temporaries are first written, giving each the lowest register none of its
already-coloured neighbours holds. There is no spilling (data memory is the user's): a
kernel that needs more than 13 live values is refused at the line where it runs out.
"""

from __future__ import annotations

from .errors import CompileError
from .ir import Instr, Temp, liveness
from .optimize import interference

NUM_ALLOCATABLE = 13  # R0-R12; R13-R15 are the read-only %blockIdx, %blockDim, %threadIdx


def allocate_registers(code: list[Instr], filename: str, lines: list[str]) -> dict[Temp, int]:
    """A register 0..12 for every temporary; CompileError where more than 13 are live."""
    graph = interference(code, moves_free=False)
    live_out = liveness(code)
    registers: dict[Temp, int] = {}
    for index, instr in enumerate(code):
        for temp in [*([instr.dst] if instr.dst is not None else []), *instr.uses()]:
            if temp in registers:
                continue
            taken = {registers[n] for n in graph[temp] if n in registers}
            free = next((r for r in range(NUM_ALLOCATABLE) if r not in taken), None)
            if free is None:
                live = len(live_out[index] | {temp})
                names = sorted({t.name for t in live_out[index] | {temp} if t.name})
                source = lines[instr.line - 1] if 0 < instr.line <= len(lines) else ""
                raise CompileError(
                    f"out of registers: this line needs a {NUM_ALLOCATABLE + 1}th register ({live} values "
                    f"live, R0-R12 hold {NUM_ALLOCATABLE}; variables live here: {', '.join(names) or 'none'}); "
                    "keep fewer values alive at once (there is no spilling)",
                    filename,
                    instr.line,
                    instr.column,
                    source,
                )
            registers[temp] = free
    return registers
