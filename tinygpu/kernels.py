# SPDX-License-Identifier: MIT
"""Kernels as data: discovering and loading the test kernels in kernels/.

A kernel NAME is two files side by side:

- ``NAME.asm``: the program, with its launch size (``.threads``) and input (``.data``);
- ``NAME.toml``: ``description = "..."``, ``reference = "function"`` (a function in
  ``references.py`` of the same folder) and optionally ``max_cycles = N`` (the RTL
  timeout, default 100000), ``block_dims = [...]`` (the block sizes the kernel is
  written for; default: any), ``shared_bytes = N`` and ``shared_bytes_per_thread = M``
  (the shared memory it needs: N + M * block size bytes; default 0).

A kernel can also be one Python file, ``NAME.py`` (tinygpu.lang): compiled to its program,
with the kernel's own Python executed over the grid as its reference (`PythonKernel`).
Its name must not be an assembly kernel's; this folder's Python kernels end in ``_py``.

Tests call `discover_kernels()` and parametrize over the result, so adding a kernel needs
no change to any test.
"""

from __future__ import annotations

import hashlib
import importlib.util
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import cast

from .assembler import AsmError, Program, assemble_file
from .configs import DEFAULT_MAX_CYCLES
from .lang.compiler import Compiled, CompileError, compile_file
from .lang.execute import KernelFault, execute
from .paths import KERNELS_DIR

REFERENCES_FILE = "references.py"

ReferenceFunction = Callable[[list[int], int, int], list[int]]

_REQUIRED_KEYS = {"description", "reference"}
_OPTIONAL_KEYS = {"max_cycles", "block_dims", "shared_bytes", "shared_bytes_per_thread"}


class KernelError(Exception):
    """A kernel's files are missing or inconsistent."""


@dataclass
class Kernel:
    name: str
    asm_path: Path
    program: Program
    threads: int  # from `.threads`
    data: list[int]  # from `.data`, starting at address 0
    reference: ReferenceFunction  # (memory, threads, block_dim) -> expected memory
    description: str
    max_cycles: int
    block_dims: tuple[int, ...] | None = None  # None: any block size
    shared_bytes: int = 0  # shared memory needed: shared_bytes + shared_bytes_per_thread * block size
    shared_bytes_per_thread: int = 0

    def runs_on(self, config) -> bool:
        """Whether the kernel is written for `config`'s block size and fits its shared memory."""
        block_dim = config.threads_per_block
        return (
            self.block_dim_allowed(block_dim)
            and self.shared_bytes + self.shared_bytes_per_thread * block_dim <= config.shared_mem_bytes
        )

    def needs(self) -> str:
        """What `runs_on` asks of a configuration, in words."""
        needs = [
            "any block size"
            if self.block_dims is None
            else "blocks of " + ", ".join(map(str, self.block_dims)) + " threads"
        ]
        if self.shared_bytes or self.shared_bytes_per_thread:
            per_thread = f"{self.shared_bytes_per_thread} per thread of a block"
            fixed = f"{self.shared_bytes} bytes" + (f" plus {per_thread}" if self.shared_bytes_per_thread else "")
            needs.append("shared memory: " + (fixed if self.shared_bytes else per_thread))
        return ", ".join(needs)

    def block_dim_allowed(self, block_dim: int) -> bool:
        """Whether the kernel is written for blocks of `block_dim` threads."""
        return self.block_dims is None or block_dim in self.block_dims


@dataclass
class PythonKernel(Kernel):
    """A kernel written in Python: the program is compiled, the reference is the kernel's
    Python executed over the grid. It runs on a block size when that execution is defined
    there (every index in range, no race)."""

    _defined: dict[int, bool] | None = field(default=None, repr=False, compare=False)

    def block_dim_allowed(self, block_dim: int) -> bool:
        if self._defined is None:
            self._defined = {}
        if block_dim not in self._defined:
            try:
                self.reference(list(self.data), self.threads, block_dim)
                self._defined[block_dim] = True
            except KernelFault:
                self._defined[block_dim] = False
        return self._defined[block_dim]


def python_kernel(compiled: Compiled, path: Path) -> PythonKernel:
    """The kernel of a compiled Python kernel file."""
    source = compiled.source
    assert compiled.program.threads is not None

    def reference(memory: list[int], threads: int, block_dim: int) -> list[int]:
        return execute(source, memory, threads, block_dim)

    return PythonKernel(
        name=path.stem,
        asm_path=path,
        program=compiled.program,
        threads=compiled.program.threads,
        data=list(compiled.program.data),
        reference=reference,
        description=source.docstring.strip().splitlines()[0]
        if source.docstring.strip()
        else f"Python kernel {source.name}",
        max_cycles=DEFAULT_MAX_CYCLES,
        shared_bytes=source.shared_bytes,
    )


def _load_python_kernel(path: Path) -> PythonKernel:
    clash = [path.with_suffix(suffix) for suffix in (".asm", ".toml") if path.with_suffix(suffix).is_file()]
    if clash:
        raise KernelError(
            f"{path}: its name {path.stem!r} is also the kernel {clash[0]}: rename the "
            f"Python kernel (this folder uses {path.stem}_py.py)"
        )
    try:
        compiled = compile_file(path)
    except CompileError as bad:
        raise KernelError(f"kernel {path.stem!r} does not compile: {bad}") from bad
    return python_kernel(compiled, path)


def read_pair(path: str | Path, what: str, error: type[Exception]) -> tuple[Path, Path, dict]:
    """(NAME.asm, NAME.toml, the TOML's settings) of a program kept as two files side by
    side (a kernel, a fuzz regression); `error` when one is missing or the TOML is bad."""
    asm_path = Path(path).with_suffix(".asm")
    toml_path = asm_path.with_suffix(".toml")
    for needed in (asm_path, toml_path):
        if not needed.is_file():
            raise error(f"{what} {asm_path.stem!r}: missing {needed}")
    try:
        return asm_path, toml_path, tomllib.loads(toml_path.read_text())
    except tomllib.TOMLDecodeError as bad:
        raise error(f"{toml_path}: invalid TOML: {bad}") from None


def assemble_launch(asm_path: Path, what: str, error: type[Exception]) -> Program:
    """The program of a kept NAME.asm (kernel, fuzz regression); `error` when it does
    not assemble or sets no thread count (a kept program says how many threads it runs)."""
    try:
        program = assemble_file(asm_path)
    except AsmError as bad:
        raise error(f"{what} {asm_path.stem!r} does not assemble: {bad}") from bad
    if program.threads is None:
        raise error(f"{asm_path}: no .threads directive (every {what} sets its launch size)")
    return program


def load_kernel(path: str | Path) -> Kernel:
    """Load the kernel whose `.asm` (or `.toml`, or Python `.py`) file is `path`."""
    if Path(path).suffix == ".py":
        return _load_python_kernel(Path(path))
    asm_path, toml_path, settings = read_pair(path, "kernel", KernelError)
    _check_settings(toml_path, settings)

    program = assemble_launch(asm_path, "kernel", KernelError)
    assert program.threads is not None  # assemble_launch refuses a kernel without .threads

    return Kernel(
        name=asm_path.stem,
        asm_path=asm_path,
        program=program,
        threads=program.threads,
        data=list(program.data),
        reference=_find_reference(asm_path.parent / REFERENCES_FILE, settings["reference"]),
        description=settings["description"],
        max_cycles=settings.get("max_cycles", DEFAULT_MAX_CYCLES),
        block_dims=tuple(settings["block_dims"]) if "block_dims" in settings else None,
        shared_bytes=settings.get("shared_bytes", 0),
        shared_bytes_per_thread=settings.get("shared_bytes_per_thread", 0),
    )


def kernel_paths(directory: str | Path = KERNELS_DIR) -> list[Path]:
    """The `.asm` path of every assembly kernel and the `.py` path of every Python kernel in
    `directory`, sorted by name, without loading any (a kernel with only one of its two
    files is listed too: loading it reports that)."""
    folder = Path(directory)
    names = {path.stem for pattern in ("*.asm", "*.toml") for path in folder.glob(pattern)}
    python = [path for path in folder.glob("*.py") if path.name != REFERENCES_FILE]
    return sorted([folder / f"{name}.asm" for name in names] + python, key=lambda p: (p.stem, p.suffix))


def discover_kernels(directory: str | Path = KERNELS_DIR, *, skip_broken: bool = False) -> list[Kernel]:
    """Every kernel in `directory`, sorted by name; a lone .asm or .toml is an error.

    skip_broken: leave out kernels that do not load instead of raising. The test suite
    uses it so that a broken kernel fails only its own test (tb/test_kernels.py loads
    each kernel as its own test item), not every test that runs all kernels."""
    kernels = []
    for path in kernel_paths(directory):
        try:
            kernels.append(load_kernel(path))
        except KernelError:
            if not skip_broken:
                raise
    return kernels


def _check_settings(toml_path: Path, settings: dict[str, object]) -> None:
    missing = _REQUIRED_KEYS - settings.keys()
    if missing:
        raise KernelError(f"{toml_path}: missing key(s) {', '.join(sorted(missing))}")
    unknown = settings.keys() - _REQUIRED_KEYS - _OPTIONAL_KEYS
    if unknown:
        allowed = ", ".join(sorted(_REQUIRED_KEYS | _OPTIONAL_KEYS))
        raise KernelError(f"{toml_path}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {allowed})")
    for key in _REQUIRED_KEYS:
        if not isinstance(settings[key], str) or not settings[key]:
            raise KernelError(f"{toml_path}: {key} must be a non-empty string")
    max_cycles = settings.get("max_cycles", DEFAULT_MAX_CYCLES)
    if not isinstance(max_cycles, int) or isinstance(max_cycles, bool) or max_cycles <= 0:
        raise KernelError(f"{toml_path}: max_cycles must be a positive integer")
    block_dims = settings.get("block_dims", [1])
    if (
        not isinstance(block_dims, list)
        or not block_dims
        or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 32 for d in block_dims)
    ):
        raise KernelError(f"{toml_path}: block_dims must be a non-empty list of block sizes 1..32")
    for key in ("shared_bytes", "shared_bytes_per_thread"):
        value = settings.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 256:
            raise KernelError(f"{toml_path}: {key} must be an integer 0..256")


_reference_modules: dict[Path, ModuleType] = {}


def _find_reference(references_path: Path, function_name: str) -> ReferenceFunction:
    """The function `function_name` of the references module at `references_path`."""
    module = _load_references(references_path)
    function = getattr(module, function_name, None)
    if not callable(function):
        raise KernelError(f"reference {function_name!r} not found in {references_path}")
    return cast(ReferenceFunction, function)


def _load_references(path: Path) -> ModuleType:
    """Import a references.py by path (each folder's file is its own module, loaded once)."""
    path = path.resolve()
    if path in _reference_modules:
        return _reference_modules[path]
    if not path.is_file():
        raise KernelError(f"missing {path} (it holds the kernels' reference functions)")
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(f"_kernel_references_{digest}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _reference_modules[path] = module
    return module
