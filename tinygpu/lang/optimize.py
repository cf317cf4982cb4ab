# SPDX-License-Identifier: MIT
"""Passes 2-4 on the IR: constant folding, dead-code removal, move coalescing, constant hoisting.

- `fold_constants`: a temporary written once with a constant is that constant; one written
  once from %threadIdx (or %blockIdx, %blockDim) is that register. Arithmetic on constants
  is done at compile time with the GPU's byte arithmetic (x // 0 = 255), `x + 0`, `x * 1`,
  `x // 1` become moves, and a branch comparing two constants becomes a jump or nothing.
- `remove_dead_code`: drops code no path reaches, jumps to the next instruction, and
  instructions whose result nobody reads (loads included: a load has no other effect).
- `coalesce_moves`: `x = y` costs an instruction (ADD x, y, zero); when x and y are never
  live at once they share one temporary and the move disappears. The moves left become
  `ADD d, s, zero` with a `const 0`.
- `hoist_constants`: constants used inside a loop are set once before its outermost loop
  (one CONST per value) instead of on every trip.
- `reuse_values`: within straight-line code, a value computed twice (the same constant,
  `i // N` for a row and again for `i % N`) is computed once, and a branch whose operands
  hold known constants there (a for loop's first test) is decided at compile time.
"""

from __future__ import annotations

from .ir import (
    ARITHMETIC,
    PURE,
    Fixed,
    Instr,
    Operand,
    Temp,
    label_positions,
    liveness,
    successors,
)


def byte_arithmetic(op: str, a: int, b: int) -> int:
    """The ISA's ADD/SUB/MUL/DIV on bytes (docs/isa.md)."""
    if op == "add":
        return (a + b) % 256
    if op == "sub":
        return (a - b) % 256
    if op == "mul":
        return (a * b) % 256
    return 255 if b == 0 else a // b


def compare(a: int, b: int, condition: int) -> bool:
    """Whether a branch with NZP `condition` after CMP a, b jumps."""
    nzp = 0b100 if a < b else 0b010 if a == b else 0b001
    return bool(nzp & condition)


def _single_definitions(code: list[Instr]) -> dict[Temp, Instr]:
    defs: dict[Temp, list[Instr]] = {}
    for instr in code:
        if instr.dst is not None:
            defs.setdefault(instr.dst, []).append(instr)
    return {temp: found[0] for temp, found in defs.items() if len(found) == 1}


def fold_constants(code: list[Instr]) -> list[Instr]:
    """Constant folding and propagation, to a fixed point."""
    while True:
        single = _single_definitions(code)
        known: dict[Temp, int] = {t: i.value for t, i in single.items() if i.op == "const"}
        aliases: dict[Temp, Operand] = {
            t: i.srcs[0] for t, i in single.items() if i.op == "move" and isinstance(i.srcs[0], Fixed)
        }
        changed = False
        folded: list[Instr] = []
        for instr in code:
            new = _fold(instr.renamed(aliases) if aliases else instr, known)
            if new != instr:
                changed = True
            folded += [new] if new is not None else []
        code = folded
        if not changed:
            return code


def _fold(instr: Instr, known: dict[Temp, int]) -> Instr | None:
    """`instr` simplified with the known constants (itself when nothing changes, None to drop)."""
    values = [known.get(s) if isinstance(s, Temp) else None for s in instr.srcs]
    if instr.op == "move" and values[0] is not None:
        return Instr("const", instr.dst, (), values[0], line=instr.line, column=instr.column)
    if instr.op in ARITHMETIC:
        a, b = values
        if a is not None and b is not None:
            return Instr("const", instr.dst, (), byte_arithmetic(instr.op, a, b), line=instr.line, column=instr.column)
        keep_left = (instr.op in ("add", "sub") and b == 0) or (instr.op in ("mul", "div") and b == 1)
        keep_right = (instr.op == "add" and a == 0) or (instr.op == "mul" and a == 1)
        if keep_left or keep_right:
            return Instr(
                "move",
                instr.dst,
                (instr.srcs[0] if keep_left else instr.srcs[1],),
                line=instr.line,
                column=instr.column,
            )
        if instr.op == "mul" and 0 in (a, b):
            return Instr("const", instr.dst, (), 0, line=instr.line, column=instr.column)
    if instr.op == "branch" and values[0] is not None and values[1] is not None:
        if compare(values[0], values[1], instr.value):
            return Instr("jump", label=instr.label, line=instr.line, column=instr.column)
        return None
    if instr.op == "move" and instr.dst == instr.srcs[0]:
        return None
    return instr


def remove_dead_code(code: list[Instr]) -> list[Instr]:
    """Unreachable code, jumps to the next instruction and unused results, to a fixed point."""
    while True:
        before = len(code)
        code = _reachable(code)
        code = [instr for index, instr in enumerate(code) if not _jumps_to_next(code, index)]
        live_out = liveness(code)
        code = [
            instr
            for instr, out in zip(code, live_out)
            if not (instr.op in PURE and instr.dst is not None and instr.dst not in out)
        ]
        used = {instr.label for instr in code if instr.op in ("jump", "branch")}
        code = [instr for instr in code if instr.op != "label" or instr.label in used]
        if len(code) == before:
            return code


def _reachable(code: list[Instr]) -> list[Instr]:
    labels = label_positions(code)
    seen: set[int] = set()
    todo = [0] if code else []
    while todo:
        index = todo.pop()
        if index not in seen:
            seen.add(index)
            todo += successors(code, labels, index)
    return [instr for index, instr in enumerate(code) if index in seen or instr.op in ("loop_begin", "loop_end")]


def _jumps_to_next(code: list[Instr], index: int) -> bool:
    instr = code[index]
    if instr.op not in ("jump", "branch"):
        return False
    for later in code[index + 1 :]:
        if later.op == "label" and later.label == instr.label:
            return True
        if later.op not in ("label", "loop_begin", "loop_end"):
            return False
    return False


def interference(code: list[Instr], *, moves_free: bool) -> dict[Temp, set[Temp]]:
    """Which temporaries are live at once: at each write, the written temporary against
    every other one live after it (with moves_free, not against a move's own source)."""
    graph: dict[Temp, set[Temp]] = {}
    for instr in code:
        for temp in [*instr.uses(), *([instr.dst] if instr.dst is not None else [])]:
            graph.setdefault(temp, set())
    for instr, out in zip(code, liveness(code)):
        if instr.dst is None:
            continue
        skip = instr.srcs[0] if moves_free and instr.op == "move" else None
        for other in out:
            if other != instr.dst and other != skip:
                graph[instr.dst].add(other)
                graph[other].add(instr.dst)
    return graph


def coalesce_moves(code: list[Instr]) -> list[Instr]:
    """Merge the two sides of each move that are never live at once; lower the other moves."""
    graph = interference(code, moves_free=True)
    merged: dict[Temp, Temp] = {}

    def find(temp: Temp) -> Temp:
        while temp in merged:
            temp = merged[temp]
        return temp

    for instr in code:
        if instr.op != "move" or not isinstance(instr.srcs[0], Temp) or instr.dst is None:
            continue
        keep, gone = find(instr.dst), find(instr.srcs[0])
        if keep == gone or gone in graph[keep]:
            continue
        merged[gone] = keep
        for neighbour in graph.pop(gone):
            graph[neighbour].discard(gone)
            graph[neighbour].add(keep)
            graph[keep].add(neighbour)
    mapping: dict[Temp, Operand] = {temp: find(temp) for temp in merged}
    out: list[Instr] = []
    next_number = max((t.number for t in graph), default=0)
    for instr in code:
        instr = instr.renamed(mapping)
        if instr.op == "move":
            if instr.dst == instr.srcs[0]:
                continue
            next_number += 1
            zero = Temp(next_number)
            out.append(Instr("const", zero, (), 0, line=instr.line, column=instr.column))
            out.append(Instr("add", instr.dst, (instr.srcs[0], zero), line=instr.line, column=instr.column))
            continue
        out.append(instr)
    return out


def hoist_constants(code: list[Instr]) -> list[Instr]:
    """Each constant used in a loop set once, before the outermost loop around it (only
    temporaries written once: a variable set to a constant in a loop stays where it is)."""
    single = _single_definitions(code)
    out: list[Instr] = []
    depth = 0
    loop_start = 0
    shared: dict[int, Temp] = {}
    mapping: dict[Temp, Operand] = {}
    for instr in code:
        if instr.op == "loop_begin":
            if depth == 0:
                loop_start, shared, mapping = len(out), {}, {}
            depth += 1
        elif instr.op == "loop_end":
            depth -= 1
        if depth > 0 and instr.op == "const" and instr.dst in single:
            if instr.value not in shared:
                shared[instr.value] = instr.dst
                out.insert(loop_start, instr)
                loop_start += 1
            else:
                mapping[instr.dst] = shared[instr.value]
            continue
        out.append(instr.renamed(mapping) if mapping else instr)
    return out


_COMMUTATIVE = {"add", "mul"}


def reuse_values(code: list[Instr]) -> list[Instr]:
    """Local value numbering: per straight-line block, reuse a value already computed into a
    temporary written once (so it still holds it), and decide branches on known constants."""
    single = _single_definitions(code)
    mapping: dict[Temp, Operand] = {}
    out: list[Instr] = []
    constants: dict[Temp, int] = {}  # what a temporary holds at this point of the block
    available: dict[tuple, Temp] = {}  # (op, value, operands) -> a written-once temporary holding it
    for instr in code:
        instr = instr.renamed(mapping) if mapping else instr
        if instr.op == "label":
            constants, available = {}, {}
        if instr.op == "branch":
            a, b = (constants.get(s) if isinstance(s, Temp) else None for s in instr.srcs)
            if a is not None and b is not None:
                if compare(a, b, instr.value):
                    out.append(Instr("jump", label=instr.label, line=instr.line, column=instr.column))
                    constants, available = {}, {}
                continue
        if instr.dst is not None and instr.op in PURE and instr.op not in ("load", "load_shared", "move"):
            operands = tuple(sorted(instr.srcs, key=str)) if instr.op in _COMMUTATIVE else instr.srcs
            key = (instr.op, instr.value, operands)
            holder = available.get(key)
            if holder is not None and instr.dst in single:
                mapping[instr.dst] = holder
                continue
        out.append(instr)
        if instr.op in ("branch", "jump", "ret"):
            constants, available = {}, {}
            continue
        if instr.dst is not None:
            constants.pop(instr.dst, None)
            available = {k: t for k, t in available.items() if t != instr.dst and instr.dst not in k[2]}
            if instr.op == "const":
                constants[instr.dst] = instr.value
            if instr.dst in single and instr.op in PURE and instr.op not in ("load", "load_shared", "move"):
                operands = tuple(sorted(instr.srcs, key=str)) if instr.op in _COMMUTATIVE else instr.srcs
                available[(instr.op, instr.value, operands)] = instr.dst
    return out
