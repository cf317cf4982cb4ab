# SPDX-License-Identifier: MIT
"""Random Python kernels for fuzzing the compiler, and their shrinking at source level.

`random_kernel(seed)` writes a kernel file's text: loads from an input array, a few local
variables, nested `if`/`elif`/`else`, `for` loops over `range` and `while` loops with
bounded trips, `break`, `continue`, expressions over the indices and loaded values, a
shared array written, a `barrier()` at the top level, reads of other threads' elements,
early `return`, and each thread's results stored at its own index (so the kernel is
race-free). The same seed gives the same text.

`shrink(text, still_fails)` makes a failing kernel smaller while `still_fails(text)` holds:
it drops statements, replaces an `if` or a loop by its body, and an expression by one of
its operands or 0, one change at a time, until no change keeps it failing.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Callable, Iterator

INPUT_BYTES = 16
OUTPUTS = ("out", "res")  # each thread writes out[i] and res[i]
HEADER = (
    "from tinygpu.lang import array, barrier, block_dim, block_idx, kernel, shared, thread_idx\n\n"
    "x = array(base=0, data=[{data}])\n"
    "out = array(base=64, size=64)\n"
    "res = array(base=128, size=64)\n"
    "tile = shared(size=8)\n"
    "K = {constant}\n\n\n"
    "@kernel(threads={threads})\n"
    "def fuzzed():\n"
)
THREAD_COUNTS = (1, 5, 8, 12, 16, 24)


class _Writer:
    """Builds one kernel body, line by line, from a seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.variables = ["v0", "v1", "v2"]  # assigned at the start: readable and writable everywhere
        self.loop_variables: list[str] = []  # loop variables and while counters: read only, in their loop
        self.loops = 0
        self.depth = 0

    def emit(self, text: str) -> None:
        self.lines.append("    " * (self.depth + 1) + text)

    def leaf(self) -> str:
        r = self.rng.random()
        readable = self.variables + self.loop_variables
        if r < 0.35:
            return self.rng.choice(readable)
        if r < 0.55:
            return str(self.rng.choice([0, 1, 2, 3, 7, 16, 100, 200, 255, self.rng.randrange(256)]))
        if r < 0.85:
            return self.rng.choice(["thread_idx", "block_idx", "block_dim", "i", "K"])
        return f"x[{self.index()}]"

    def index(self) -> str:
        """An index into x: any expression, reduced modulo its size."""
        inner = self.leaf() if self.rng.random() < 0.7 else self.expression(1)
        return f"({inner}) % {INPUT_BYTES}" if not inner.isdigit() else str(int(inner) % INPUT_BYTES)

    def expression(self, depth: int = 2) -> str:
        if depth == 0 or self.rng.random() < 0.35:
            return self.leaf()
        op = self.rng.choice(["+", "+", "-", "*", "//", "%"])
        left, right = self.expression(depth - 1), self.expression(depth - 1)
        text = f"{left} {op} {right}"
        return f"({text})" if self.rng.random() < 0.7 else f"-({text})" if self.rng.random() < 0.2 else f"({text})"

    def condition(self, depth: int = 1) -> str:
        r = self.rng.random()
        if depth > 0 and r < 0.15:
            return f"{self.condition(depth - 1)} {self.rng.choice(['and', 'or'])} {self.condition(depth - 1)}"
        if depth > 0 and r < 0.2:
            return f"not {self.condition(depth - 1)}"
        if r < 0.25:
            return self.expression(1)  # a value: true when not zero
        op = self.rng.choice(["<", "<=", ">", ">=", "==", "!="])
        if self.rng.random() < 0.5:  # against a small number or an index: equal often enough to matter
            bound = self.rng.choice(["0", "1", "2", "3", "5", "thread_idx", "block_idx", "i"])
            return f"{self.leaf()} {op} {bound}"
        return f"{self.expression(1)} {op} {self.expression(1)}"

    def block(self, count: int, in_loop: bool, may_return: bool) -> None:
        for _ in range(count):
            self.statement(in_loop, may_return)

    def statement(self, in_loop: bool, may_return: bool) -> None:
        r = self.rng.random()
        nested = self.depth < 3
        if nested and r < 0.15:
            self.emit(f"if {self.condition()}:")
            self.body(in_loop, may_return)
            while self.rng.random() < 0.3:
                self.emit(f"elif {self.condition()}:")
                self.body(in_loop, may_return)
            if self.rng.random() < 0.5:
                self.emit("else:")
                self.body(in_loop, may_return)
        elif nested and r < 0.25:
            self.for_loop(may_return)
        elif nested and r < 0.32:
            self.while_loop(may_return)
        elif in_loop and r < 0.36:
            self.emit(self.rng.choice(["break", "continue"]))
        elif may_return and r < 0.39:
            self.emit(f"out[i] = {self.expression()}")
            self.emit("return")
        elif r < 0.7:
            self.emit(f"{self.rng.choice(self.variables)} = {self.expression()}")
        else:
            op = self.rng.choice(["+", "-", "*", "//", "%"])
            self.emit(f"{self.rng.choice(self.variables)} {op}= {self.expression(1)}")

    def body(self, in_loop: bool, may_return: bool) -> None:
        self.depth += 1
        self.block(self.rng.randint(1, 2 if self.depth > 1 else 3), in_loop, may_return)
        self.depth -= 1

    def for_loop(self, may_return: bool) -> None:
        self.loops += 1
        name = f"k{self.loops}"
        start = self.rng.choice(["", f"{self.expression(1)} % 4, "])
        step = self.rng.choice(["", "", ", 2", ", 3"])
        read_after = self.rng.random() < 0.3  # the variable after the loop: its last value, or this one
        if read_after:
            self.emit(f"{name} = {self.expression(1)}")
        self.emit(f"for {name} in range({start}{self.expression(1)} % 7{step}):")
        self.loop_variables.append(name)
        if self.rng.random() < 0.2:  # assigned in the body: the trips do not change
            self.depth += 1
            self.emit(f"{name} = {self.expression(1)}")
            self.depth -= 1
        self.body(True, may_return)
        self.loop_variables.remove(name)
        if read_after:
            self.emit(f"{self.rng.choice(self.variables)} += {name}")

    def while_loop(self, may_return: bool) -> None:
        self.loops += 1
        counter = f"w{self.loops}"
        self.emit(f"{counter} = 0")
        self.emit(f"while {counter} < {self.expression(1)} % 6:")
        self.depth += 1
        self.emit(f"{counter} += 1")  # first, so `continue` cannot skip it: at most 5 trips
        self.depth -= 1
        self.loop_variables.append(counter)
        self.body(True, may_return)
        self.loop_variables.remove(counter)


def random_kernel(seed: int) -> str:
    """The text of a random, race-free kernel file (the same for the same seed)."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    writer.emit("i = block_idx * block_dim + thread_idx")
    names, writer.variables = writer.variables, []
    for name in names:  # each reads only the ones before it
        writer.emit(f"{name} = {writer.expression()}" if writer.variables else f"{name} = x[i % {INPUT_BYTES}]")
        writer.variables.append(name)
    writer.block(rng.randint(1, 3), in_loop=False, may_return=False)
    if rng.random() < 0.6:  # a shared array: every thread writes its element, then reads another's
        writer.emit(f"tile[thread_idx] = {writer.expression()}")
        writer.emit("barrier()")
        writer.emit(f"{rng.choice(writer.variables)} = tile[({writer.expression(1)}) % block_dim]")
    writer.block(rng.randint(1, 3), in_loop=False, may_return=True)
    for output in OUTPUTS:
        writer.emit(f"{output}[i] = {rng.choice(writer.variables)}")
    data = ", ".join(str(rng.randrange(256)) for _ in range(INPUT_BYTES))
    return (
        HEADER.format(data=data, constant=rng.randrange(256), threads=rng.choice(THREAD_COUNTS))
        + "\n".join(writer.lines)
        + "\n"
    )


# ---- shrinking -------------------------------------------------------------------------


def shrink(text: str, still_fails: Callable[[str], bool], max_tries: int = 2000) -> str:
    """The smallest text found, by single changes, for which `still_fails` holds."""
    tries = 0
    improved = True
    while improved and tries < max_tries:
        improved = False
        for candidate in _candidates(text):
            tries += 1
            if candidate != text and still_fails(candidate):
                text, improved = candidate, True
                break
            if tries >= max_tries:
                break
    return text


def _candidates(text: str) -> Iterator[str]:
    """Every single-change variant of the kernel in `text`, smallest-looking first."""
    tree = ast.parse(text)
    function = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
    bodies = [body for node in ast.walk(function) for body in _bodies(node)]
    for body in bodies:  # drop one statement (a body keeps at least `pass`)
        for index in range(len(body)):
            yield _edited(tree, body, index, [])
    for body in bodies:  # an if or a loop becomes its body; a for loop's variable its start
        for index, statement in enumerate(body):
            if isinstance(statement, ast.If):
                yield _edited(tree, body, index, statement.body)
                if statement.orelse:
                    yield _edited(tree, body, index, statement.orelse)
            elif isinstance(statement, ast.While):
                yield _edited(tree, body, index, statement.body)
    for node in ast.walk(function):  # an expression becomes one of its operands, or 0
        for field, value in ast.iter_fields(node):
            if field not in ("target", "targets") and isinstance(value, ast.BinOp | ast.UnaryOp | ast.Subscript):
                for replacement in _simpler(value):
                    original = getattr(node, field)
                    setattr(node, field, replacement)
                    yield ast.unparse(tree) + "\n"
                    setattr(node, field, original)


def _bodies(node: ast.AST) -> Iterator[list[ast.stmt]]:
    for field in ("body", "orelse"):
        body = getattr(node, field, None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            yield body


def _edited(tree: ast.Module, body: list[ast.stmt], index: int, replacement: list[ast.stmt]) -> str:
    saved = list(body)
    body[index : index + 1] = replacement
    if not body:
        body.append(ast.Pass())
    text = ast.unparse(tree) + "\n"
    body[:] = saved
    return text


def _simpler(node: ast.expr) -> Iterator[ast.expr]:
    if isinstance(node, ast.BinOp):
        yield node.left
        yield node.right
    elif isinstance(node, ast.UnaryOp):
        yield node.operand
    yield ast.Constant(0)
