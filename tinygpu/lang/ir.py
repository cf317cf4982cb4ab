# SPDX-License-Identifier: MIT
"""The compiler's intermediate representation: a flat list of simple instructions.

Each instruction is close to one machine instruction, but its operands are *temporaries*
(unlimited virtual registers; a local variable is one temporary for its whole life) or one
of the read-only registers %blockIdx, %blockDim, %threadIdx. Control flow is labels,
`jump` and `branch` (compare two operands, branch on the NZP condition: one IR
instruction for the ISA's CMP + BRnzp pair). `loop_begin` / `loop_end` mark a loop's
extent for the constant hoisting; they emit nothing.

    t1 = const 16
    t2 = add t1, t0          ; line 12
    store t2, t3
    branch t0 >= t4 -> L2    ; (NZP condition zp)

Passes (tinygpu.lang.optimize, regalloc) rewrite this list; codegen prints it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..isa import REG_BLOCK_DIM, REG_BLOCK_IDX, REG_THREAD_IDX


@dataclass(frozen=True)
class Temp:
    """A virtual register; `name` is the local variable it holds ('' for a temporary)."""

    number: int
    name: str = ""

    def __str__(self) -> str:
        return f"{self.name}.{self.number}" if self.name else f"t{self.number}"


@dataclass(frozen=True)
class Fixed:
    """A read-only register: %blockIdx (13), %blockDim (14) or %threadIdx (15)."""

    register: int

    def __str__(self) -> str:
        return {REG_BLOCK_IDX: "%blockIdx", REG_BLOCK_DIM: "%blockDim", REG_THREAD_IDX: "%threadIdx"}[self.register]


Operand = Temp | Fixed

# Opcodes: what each reads and writes.
ARITHMETIC = {"add": "ADD", "sub": "SUB", "mul": "MUL", "div": "DIV"}
PURE = {"const", "move", "load", "load_shared", *ARITHMETIC}  # no effect but their result
CONTROL = {"jump", "branch", "ret"}

# NZP conditions (bit 2 = N: a < b, bit 1 = Z: a == b, bit 0 = P: a > b) of each comparison.
CONDITIONS = {"<": 0b100, "<=": 0b110, ">": 0b001, ">=": 0b011, "==": 0b010, "!=": 0b101}
CONDITION_TEXT = {v: k for k, v in CONDITIONS.items()}


@dataclass
class Instr:
    """One IR instruction. `dst` is written; `srcs` are read; `value` is a constant or an
    NZP condition; `label` is a branch target (or the label this instruction defines)."""

    op: str  # const move add sub mul div load store load_shared store_shared branch jump label barrier ret
    dst: Temp | None = None
    srcs: tuple[Operand, ...] = ()
    value: int = 0
    label: str = ""
    line: int = 0  # source line (1-based) the instruction comes from
    column: int = 0
    loop: int = field(default=0)  # loop_begin/loop_end: the loop's number

    def uses(self) -> Iterator[Temp]:
        return (s for s in self.srcs if isinstance(s, Temp))

    def renamed(self, mapping: dict[Temp, Operand]) -> Instr:
        dst = self.dst
        if dst is not None and isinstance(mapping.get(dst), Temp):
            dst = mapping[dst]  # type: ignore[assignment]
        return replace(self, dst=dst, srcs=tuple(mapping.get(s, s) if isinstance(s, Temp) else s for s in self.srcs))

    def __str__(self) -> str:
        srcs = ", ".join(str(s) for s in self.srcs)
        if self.op == "label":
            return f"{self.label}:"
        if self.op == "const":
            return f"    {self.dst} = const {self.value}"
        if self.op == "branch":
            condition = CONDITION_TEXT.get(self.value, self.value)
            return f"    branch {self.srcs[0]} {condition} {self.srcs[1]} -> {self.label}"
        if self.op == "jump":
            return f"    jump {self.label}"
        if self.op in ("loop_begin", "loop_end"):
            return f"    ; {self.op} {self.loop}"
        target = f"{self.dst} = " if self.dst is not None else ""
        return f"    {target}{self.op} {srcs}".rstrip()


def successors(code: list[Instr], labels: dict[str, int], index: int) -> list[int]:
    """Indices of the instructions that may run after code[index]."""
    instr = code[index]
    if instr.op == "ret":
        return []
    if instr.op == "jump":
        return [labels[instr.label]]
    following = [index + 1] if index + 1 < len(code) else []
    if instr.op == "branch":
        return following + [labels[instr.label]]
    return following


def label_positions(code: list[Instr]) -> dict[str, int]:
    return {instr.label: index for index, instr in enumerate(code) if instr.op == "label"}


def liveness(code: list[Instr]) -> list[set[Temp]]:
    """live_out[i]: the temporaries read later on some path from after code[i]."""
    labels = label_positions(code)
    succ = [successors(code, labels, i) for i in range(len(code))]
    uses = [frozenset(instr.uses()) for instr in code]
    defs = [instr.dst for instr in code]
    live_in: list[set[Temp]] = [set() for _ in code]
    live_out: list[set[Temp]] = [set() for _ in code]
    changed = True
    while changed:
        changed = False
        for i in reversed(range(len(code))):
            following = succ[i]
            if len(following) == 1:
                out = live_in[following[0]]
            else:
                out = set().union(*(live_in[s] for s in following))
            if out != live_out[i]:
                live_out[i] = set(out)
                new_in = set(out)
                new_in.discard(defs[i])
                new_in |= uses[i]
                live_in[i] = new_in
                changed = True
            elif not live_in[i] and uses[i]:
                live_in[i] = set(uses[i])
                changed = True
    return live_out


def live_at_entry(code: list[Instr]) -> set[Temp]:
    """Temporaries read before any write on some path from the start."""
    if not code:
        return set()
    live_out = liveness(code)
    first = code[0]
    return (live_out[0] - ({first.dst} if first.dst is not None else set())) | set(first.uses())


def format_ir(code: list[Instr]) -> str:
    return "\n".join(str(instr) for instr in code)
