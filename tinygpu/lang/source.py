# SPDX-License-Identifier: MIT
"""Read a Python kernel file: its arrays, shared arrays, constants and @kernel function.

The file is parsed, never run. Module level allows only: imports from tinygpu.lang,
integer constants (`N = 3`, folded into the code), `array(...)`, `shared(...)` and one
`@kernel(threads=N)` function without parameters. Everything else is an error at its
line; all errors of the file are collected (tinygpu.lang.errors).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..isa import DATA_MEM_SIZE
from .errors import CompileError, ErrorList

API_NAMES = ("array", "barrier", "block_dim", "block_idx", "kernel", "shared", "thread_idx")
INDEX_NAMES = ("thread_idx", "block_idx", "block_dim")
MAX_SHARED_BYTES = 256
MAX_THREADS = 255

_CONSTANT_OPS: dict[type, Callable[[int, int], int]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}


@dataclass(frozen=True)
class ArrayInfo:
    """A global array: `size` bytes of data memory from `base`, initially `data`."""

    name: str
    base: int
    size: int
    data: tuple[int, ...]


@dataclass(frozen=True)
class SharedInfo:
    """A shared array: `size` bytes of each block's shared memory from `offset`."""

    name: str
    offset: int
    size: int


@dataclass
class KernelSource:
    """Everything the compiler and the Python execution need from one kernel file."""

    filename: str
    lines: list[str]
    function: ast.FunctionDef
    threads: int
    docstring: str
    arrays: dict[str, ArrayInfo] = field(default_factory=dict)
    shared: dict[str, SharedInfo] = field(default_factory=dict)
    constants: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.function.name

    @property
    def shared_bytes(self) -> int:
        """Shared memory the kernel needs per block."""
        return sum(s.size for s in self.shared.values())

    def initial_data(self) -> list[int]:
        """Data memory from address 0 to the last initialised byte (gaps are 0)."""
        memory: list[int] = []
        for info in self.arrays.values():
            if info.data:
                end = info.base + len(info.data)
                memory += [0] * (end - len(memory))
                memory[info.base : end] = info.data
        return memory


def read_kernel_file(path: str | Path) -> KernelSource:
    """The kernel in the file at `path`; CompileError (all errors) when it is not one.
    OSError when it cannot be read."""
    filename = str(path)
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CompileError(f"not a text file: byte 0x{raw[error.start]:02x} is not UTF-8", filename, 1, 1) from None
    return read_kernel_source(text, filename)


def read_kernel_source(text: str, filename: str = "<string>") -> KernelSource:
    """The kernel in Python source `text` (see read_kernel_file)."""
    lines = text.splitlines()
    errors = ErrorList(filename, lines)
    try:
        tree = ast.parse(text, filename=filename)
    except SyntaxError as bad:
        errors.add(None, f"invalid Python: {bad.msg}", line=bad.lineno or 1, column=bad.offset or 1)
        errors.raise_if_any()
        raise AssertionError("unreachable") from None
    reader = _ModuleReader(errors)
    reader.read(tree)
    errors.raise_if_any()
    assert reader.function is not None
    return KernelSource(
        filename=filename,
        lines=lines,
        function=reader.function,
        threads=reader.threads,
        docstring=ast.get_docstring(tree) or ast.get_docstring(reader.function) or "",
        arrays=reader.arrays,
        shared=reader.shared,
        constants=reader.constants,
    )


class _ModuleReader:
    """Walks the module's statements, recording definitions and errors."""

    def __init__(self, errors: ErrorList) -> None:
        self.errors = errors
        self.arrays: dict[str, ArrayInfo] = {}
        self.shared: dict[str, SharedInfo] = {}
        self.constants: dict[str, int] = {}
        self.imported: set[str] = set()
        self.function: ast.FunctionDef | None = None
        self.threads = 0
        self.next_base = 0
        self.next_shared = 0

    def read(self, tree: ast.Module) -> None:
        for index, statement in enumerate(tree.body):
            if index == 0 and _is_docstring(statement):
                continue
            if isinstance(statement, ast.ImportFrom):
                self.import_from(statement)
            elif isinstance(statement, ast.Assign):
                self.assign(statement)
            elif isinstance(statement, ast.FunctionDef):
                self.kernel_function(statement)
            else:
                self.errors.add(
                    statement,
                    "only imports from tinygpu.lang, integer constants, array(...), "
                    "shared(...) and one @kernel function are allowed at module level",
                )
        if self.function is None and not self.errors.errors:
            self.errors.add(None, "no @kernel(threads=N) function in this file", line=1, column=1)

    def import_from(self, statement: ast.ImportFrom) -> None:
        if statement.module == "__future__":
            return
        if statement.module != "tinygpu.lang":
            self.errors.add(statement, "a kernel file imports only from tinygpu.lang")
            return
        for alias in statement.names:
            if alias.name == "*":
                self.imported.update(API_NAMES)
            elif alias.name not in API_NAMES or alias.asname not in (None, alias.name):
                self.errors.add(
                    statement,
                    f"cannot import {alias.name!r}"
                    f"{' as ' + alias.asname if alias.asname else ''}: tinygpu.lang "
                    f"provides {', '.join(API_NAMES)} (imported under their own names)",
                )
            else:
                self.imported.add(alias.name)

    def assign(self, statement: ast.Assign) -> None:
        if len(statement.targets) != 1 or not isinstance(statement.targets[0], ast.Name):
            self.errors.add(statement, "assign a module-level definition to one name (NAME = ...)")
            return
        name = statement.targets[0].id
        if name in API_NAMES or self.defined(name):
            self.errors.add(statement.targets[0], f"{name!r} is already defined: each name is defined once")
            return
        value = statement.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "array":
            self.array(name, value)
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "shared":
            self.shared_array(name, value)
        else:
            constant = self.constant(value)
            if constant is not None:
                self.constants[name] = constant

    def defined(self, name: str) -> bool:
        return name in self.arrays or name in self.shared or name in self.constants

    def constant(self, node: ast.expr) -> int | None:
        """The value of an integer constant expression, or None after reporting why not."""
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return node.value
        if isinstance(node, ast.Name) and node.id in self.constants:
            return self.constants[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = self.constant(node.operand)
            if inner is None:
                return None
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and type(node.op) in _CONSTANT_OPS:
            left, right = self.constant(node.left), self.constant(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.FloorDiv | ast.Mod) and right == 0:
                self.errors.add(node, "division by zero in a constant")
                return None
            return _CONSTANT_OPS[type(node.op)](left, right)
        self.errors.add(node, "expected an integer constant (a number, a constant's name, or + - * // % of them)")
        return None

    def keywords(self, call: ast.Call, allowed: tuple[str, ...]) -> dict[str, ast.expr] | None:
        what = f"{call.func.id}(...)" if isinstance(call.func, ast.Name) else "call"
        if call.args:
            self.errors.add(call, f"{what} takes keyword arguments only ({', '.join(allowed)})")
            return None
        found: dict[str, ast.expr] = {}
        for keyword in call.keywords:
            if keyword.arg not in allowed:
                self.errors.add(
                    keyword.value, f"{what}: unknown argument {keyword.arg!r} (allowed: {', '.join(allowed)})"
                )
                return None
            found[keyword.arg] = keyword.value
        return found

    def array(self, name: str, call: ast.Call) -> None:
        given = self.keywords(call, ("base", "data", "size"))
        if given is None:
            return
        base = self.next_base
        if "base" in given:
            value = self.constant(given["base"])
            if value is None:
                return
            base = value
        data: tuple[int, ...] = ()
        if ("data" in given) == ("size" in given):
            self.errors.add(call, "array(...) needs data=[...] (initial bytes) or size=N (an output), one of them")
            return
        if "data" in given:
            node = given["data"]
            if not isinstance(node, ast.List) or not node.elts:
                self.errors.add(node, "data must be a non-empty list of bytes, e.g. data=[1, 2, 3]")
                return
            values = [self.constant(element) for element in node.elts]
            if any(v is None for v in values):
                return
            bad = next((v for v in values if v is not None and not 0 <= v <= 255), None)
            if bad is not None:
                self.errors.add(node, f"data value {bad} is not a byte (0..255)")
                return
            data = tuple(v for v in values if v is not None)
            size = len(data)
        else:
            value = self.constant(given["size"])
            if value is None:
                return
            size = value
        if not 1 <= size or not 0 <= base or base + size > DATA_MEM_SIZE:
            self.errors.add(
                call,
                f"array {name!r} at {base}..{base + size - 1} does not fit data memory "
                f"(addresses 0..{DATA_MEM_SIZE - 1}, at least one byte)",
            )
            return
        for other in self.arrays.values():
            if base < other.base + other.size and other.base < base + size:
                self.errors.add(
                    call,
                    f"array {name!r} ({base}..{base + size - 1}) overlaps array "
                    f"{other.name!r} ({other.base}..{other.base + other.size - 1})",
                )
                return
        self.arrays[name] = ArrayInfo(name=name, base=base, size=size, data=data)
        self.next_base = base + size

    def shared_array(self, name: str, call: ast.Call) -> None:
        given = self.keywords(call, ("size",))
        if given is None:
            return
        if "size" not in given:
            self.errors.add(call, "shared(...) needs size=N (bytes per block)")
            return
        size = self.constant(given["size"])
        if size is None:
            return
        if not 1 <= size or self.next_shared + size > MAX_SHARED_BYTES:
            self.errors.add(
                call,
                f"shared array {name!r} of {size} bytes: shared arrays hold at least one "
                f"byte and {MAX_SHARED_BYTES} bytes together",
            )
            return
        self.shared[name] = SharedInfo(name=name, offset=self.next_shared, size=size)
        self.next_shared += size

    def kernel_function(self, function: ast.FunctionDef) -> None:
        if self.function is not None:
            self.errors.add(
                function,
                f"a second kernel {function.name!r}: a file holds one @kernel function "
                f"(the first is {self.function.name!r})",
            )
            return
        decorator = function.decorator_list[0] if len(function.decorator_list) == 1 else None
        if not (
            isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Name) and decorator.func.id == "kernel"
        ):
            self.errors.add(
                function,
                "a function at module level must be the kernel, decorated with @kernel(threads=N) and nothing else",
            )
            return
        arguments = function.args
        if arguments.args or arguments.posonlyargs or arguments.kwonlyargs or arguments.vararg or arguments.kwarg:
            self.errors.add(
                function,
                "a kernel takes no parameters: it reads arrays, constants and thread_idx, block_idx, block_dim",
            )
        if function.returns is not None and not (
            isinstance(function.returns, ast.Constant) and function.returns.value is None
        ):
            self.errors.add(function.returns, "a kernel returns nothing: annotate it `-> None` or not at all")
        given = self.keywords(decorator, ("threads",))
        if given is None:
            return
        if "threads" not in given:
            self.errors.add(decorator, "@kernel needs threads=N (the launch size, 0..255)")
            return
        threads = self.constant(given["threads"])
        if threads is None:
            return
        if not 0 <= threads <= MAX_THREADS:
            self.errors.add(given["threads"], f"threads={threads}: the launch size is 0..{MAX_THREADS}")
            return
        self.function = function
        self.threads = threads


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )
