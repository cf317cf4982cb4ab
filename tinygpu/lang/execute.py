# SPDX-License-Identifier: MIT
"""The kernel's Python, executed over the grid: the reference a Python kernel is checked by.

The kernel function's own syntax tree is run by CPython, with three small rewrites that
give it the GPU's meaning (the compiler's passes take no part):

- every integer literal becomes a `Byte`, an int whose + - * // % wrap at 256 as on the
  GPU (x // 0 = 255 and x % 0 = x, as the compiled `DIV` gives); loaded values, indices
  and constants are Bytes too;
- `barrier()` becomes `yield`, so each thread is a generator: a block runs in *barrier
  phases* (each live thread in turn runs to its next barrier or its end, then all go on),
  as docs/isa.md defines;
- `range` is the byte range the compiler implements (v = start; while v < stop: ...;
  v += step, wrapping at 256) and each loop trip counts against a limit.

Arrays are views of the memory given (global) or of each block's shared memory, recording
every access with its source line; out-of-range indexes, races (two threads touching one
byte, one writing, no barrier between) and reads of shared bytes no thread wrote are
reported as `file.py:LINE: error: ...` (KernelFault).
"""

from __future__ import annotations

import ast
import copy
import sys
import types
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, Self, SupportsIndex

from ..isa import DATA_MEM_SIZE
from .source import KernelSource

MAX_LOOP_TRIPS = 10_000  # per thread, all loops together (the ISA model's limit is in instructions)


class KernelFault(Exception):
    """The kernel's result is not defined (race, unwritten shared read, index out of range,
    no end); `problems` lists every one found, each `file.py:LINE: error: ...`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Stop(Exception):
    """A thread broke a rule that ends the execution at once (index, loop limit)."""


class Byte(int):
    """A byte: arithmetic wraps at 256 as the GPU's ADD, SUB, MUL and DIV do."""

    def __new__(cls, value: SupportsIndex) -> Self:
        return super().__new__(cls, int(value) % 256)

    def __add__(self, other: int) -> Byte:
        return Byte(int(self) + int(other))

    def __radd__(self, other: int) -> Byte:
        return Byte(int(other) + int(self))

    def __sub__(self, other: int) -> Byte:
        return Byte(int(self) - int(other))

    def __rsub__(self, other: int) -> Byte:
        return Byte(int(other) - int(self))

    def __mul__(self, other: int) -> Byte:
        return Byte(int(self) * int(other))

    def __rmul__(self, other: int) -> Byte:
        return Byte(int(other) * int(self))

    def __floordiv__(self, other: int) -> Byte:
        return _divide(int(self), int(other))

    def __rfloordiv__(self, other: int) -> Byte:
        return _divide(int(other), int(self))

    def __mod__(self, other: int) -> Byte:
        return _remainder(int(self), int(other))

    def __rmod__(self, other: int) -> Byte:
        return _remainder(int(other), int(self))

    def __neg__(self) -> Byte:
        return Byte(-int(self))

    def __pos__(self) -> Byte:
        return self


def _divide(a: int, b: int) -> Byte:
    return Byte(255 if b % 256 == 0 else (a % 256) // (b % 256))


def _remainder(a: int, b: int) -> Byte:
    return Byte(a - int(_divide(a, b)) * b)


@dataclass(frozen=True)
class _Access:
    space: str  # "global" or "shared"
    name: str  # the array
    index: int
    address: int  # global address, or the byte's offset in shared memory
    op: str  # "R" or "W"
    block: int
    thread: int
    phase: int
    line: int


class _Grid:
    """The state of one execution: memory, the current thread, every access."""

    def __init__(self, source: KernelSource, memory: list[int]) -> None:
        self.source = source
        self.memory = memory
        self.accesses: list[_Access] = []
        self.problems: list[str] = []
        self.block = self.thread = self.phase = 0
        self.shared: list[int] = []
        self.shared_written: set[int] = set()  # written in an earlier phase of this block
        self.own_writes: set[int] = set()  # written by the current thread in this phase
        self.trips = 0

    def where(self, line: int) -> str:
        return f"{self.source.filename}:{line}"

    def who(self) -> str:
        return f"block {self.block} thread {self.thread}"


class _ArrayView:
    """An array as a kernel sees it: indexing reads and writes bytes, recorded."""

    def __init__(self, grid: _Grid, space: str, name: str, start: int, size: int) -> None:
        self.grid, self.space, self.name, self.start, self.size = grid, space, name, start, size

    def _address(self, index: int, line: int) -> int:
        if not 0 <= index < self.size:
            self.grid.problems.append(
                f"{self.grid.where(line)}: error: {self.grid.who()}: index {index} is "
                f"outside {self.name} ({self.size} bytes, indexes 0..{self.size - 1})"
            )
            raise _Stop
        return self.start + index

    def __getitem__(self, index: int) -> Byte:
        grid = self.grid
        line = sys._getframe(1).f_lineno
        address = self._address(index, line)
        grid.accesses.append(
            _Access(self.space, self.name, index, address, "R", grid.block, grid.thread, grid.phase, line)
        )
        if self.space == "global":
            return Byte(grid.memory[address])
        if address not in grid.shared_written and address not in grid.own_writes:
            grid.problems.append(
                f"{grid.where(line)}: error: {grid.who()} reads {self.name}[{index}] before "
                "any thread of its block wrote it (shared memory starts undefined)"
            )
        return Byte(grid.shared[address])

    def __setitem__(self, index: int, value: int) -> None:
        grid = self.grid
        line = sys._getframe(1).f_lineno
        address = self._address(index, line)
        grid.accesses.append(
            _Access(self.space, self.name, index, address, "W", grid.block, grid.thread, grid.phase, line)
        )
        if self.space == "global":
            grid.memory[address] = int(value) % 256
        else:
            grid.shared[address] = int(value) % 256
            grid.own_writes.add(address)


class _Rewrite(ast.NodeTransformer):
    """Literals -> _byte(n), barrier() -> yield, a trip count at the top of each loop."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if type(node.value) is int:
            return ast.copy_location(ast.Call(ast.Name("_byte", ast.Load()), [node], []), node)
        return node

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        call = node.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "barrier":
            return ast.copy_location(ast.Expr(ast.Yield(None)), node)
        return self.generic_visit(node)

    def _count_trips(self, node: ast.For | ast.While) -> ast.AST:
        self.generic_visit(node)
        tick = ast.Expr(ast.Call(ast.Name("_trip", ast.Load()), [ast.Constant(node.lineno)], []))
        node.body.insert(0, ast.copy_location(tick, node))
        return node

    visit_For = _count_trips
    visit_While = _count_trips


_compiled: dict[int, tuple[ast.FunctionDef, types.CodeType]] = {}  # id(kernel's tree) -> (tree, code)


def _thread_function(source: KernelSource) -> types.CodeType:
    """The kernel function's code object, rewritten (see the module docstring); made once
    per kernel source."""
    cached = _compiled.get(id(source.function))
    if cached is not None and cached[0] is source.function:
        return cached[1]
    code = _rewritten_code(source)
    _compiled[id(source.function)] = (source.function, code)
    return code


def _rewritten_code(source: KernelSource) -> types.CodeType:
    function = _Rewrite().visit(copy.deepcopy(source.function))
    function.decorator_list = []
    never = ast.If(ast.Constant(False), [ast.Expr(ast.Yield(None))], [])  # always a generator
    function.body.insert(0, ast.copy_location(never, function))
    module = ast.fix_missing_locations(ast.Module(body=[function], type_ignores=[]))
    namespace: dict[str, Any] = {}
    exec(compile(module, source.filename, "exec"), namespace)
    return namespace[function.name].__code__


def execute(source: KernelSource, memory: list[int], threads: int, block_dim: int) -> list[int]:
    """The memory after running the kernel over `threads` threads in blocks of `block_dim`
    (the input list is not changed); KernelFault when the result is not defined."""
    grid = _Grid(source, list(memory) + [0] * (DATA_MEM_SIZE - len(memory)))
    code = _thread_function(source)

    def trip(line: int) -> None:
        grid.trips += 1
        if grid.trips > MAX_LOOP_TRIPS:
            grid.problems.append(
                f"{source.filename}:{line}: error: {grid.who()} ran "
                f"more than {MAX_LOOP_TRIPS} loop trips: does the loop end?"
            )
            raise _Stop

    def byte_range(*arguments: int) -> Iterator[Byte]:
        start, stop, step = (
            (0, arguments[0], 1)
            if len(arguments) == 1
            else ((arguments[0], arguments[1], 1) if len(arguments) == 2 else arguments)
        )
        value = Byte(start)
        while value < stop:
            yield value
            value = Byte(value + step)

    common: dict[str, Any] = {
        "__builtins__": {},
        "_byte": Byte,
        "_trip": trip,
        "range": byte_range,
        "block_dim": Byte(block_dim),
    }
    common.update({name: Byte(value) for name, value in source.constants.items()})
    common.update(
        {name: _ArrayView(grid, "global", name, info.base, info.size) for name, info in source.arrays.items()}
    )
    common.update(
        {name: _ArrayView(grid, "shared", name, info.offset, info.size) for name, info in source.shared.items()}
    )
    try:
        for block in range(-(-threads // block_dim)):
            _run_block(grid, code, common, block, min(block_dim, threads - block * block_dim))
    except _Stop:
        pass
    grid.problems += _races(grid)
    if grid.problems:
        raise KernelFault(list(dict.fromkeys(grid.problems)))
    return grid.memory


def _run_block(grid: _Grid, code: types.CodeType, common: dict[str, Any], block: int, count: int) -> None:
    grid.block, grid.phase = block, 0
    grid.shared = [0] * 256
    grid.shared_written = set()
    live: list[tuple[int, Generator[None, None, None]]] = []
    for thread in range(count):
        scope = dict(common, thread_idx=Byte(thread), block_idx=Byte(block))
        live.append((thread, types.FunctionType(code, scope)()))  # a generator: runs on next()
    trips = {thread: 0 for thread in range(count)}
    while live:
        written: set[int] = set()
        still: list[tuple[int, Generator[None, None, None]]] = []
        for thread, body in live:
            grid.thread, grid.trips = thread, trips[thread]
            grid.own_writes = set()
            try:
                next(body)
                still.append((thread, body))
            except StopIteration:
                pass
            trips[thread] = grid.trips
            written |= grid.own_writes
        grid.shared_written |= written
        grid.phase += 1
        live = still


def _races(grid: _Grid) -> list[str]:
    """Bytes two threads touch, one writing, with no barrier between (docs/isa.md)."""
    by_byte: dict[tuple, list[_Access]] = {}
    for access in grid.accesses:
        key = (access.space, access.address) + ((access.block,) if access.space == "shared" else ())
        by_byte.setdefault(key, []).append(access)
    problems = []
    for accesses in by_byte.values():
        for write in (a for a in accesses if a.op == "W"):
            other = next(
                (
                    a
                    for a in accesses
                    if (a.block, a.thread) != (write.block, write.thread)
                    and (a.block != write.block or a.phase == write.phase)
                ),
                None,
            )
            if other is not None:
                verb = "writes" if other.op == "W" else "reads"
                problems.append(
                    f"{grid.where(write.line)}: error: race on {write.name}[{write.index}]: block {write.block} "
                    f"thread {write.thread} writes it and block {other.block} thread {other.thread} {verb} it "
                    f"(line {other.line}) with no barrier between"
                )
                break
    return sorted(set(problems))
