# SPDX-License-Identifier: MIT
"""Kernels in Python: the names a kernel file imports (`from tinygpu.lang import ...`).

    from tinygpu.lang import array, barrier, block_dim, block_idx, kernel, shared, thread_idx

    a = array(base=0, data=[1, 2, 3, 4])
    c = array(size=4)                     # base left out: the next free address (4)

    @kernel(threads=4)
    def double():
        i = block_idx * block_dim + thread_idx
        c[i] = a[i] * 2

A kernel file is read, never run, by the compiler (`tinygpu.lang.compiler`, `tinygpu-cc`)
and by its Python execution (`tinygpu.lang.execute`, the kernel's reference): both parse
its source. These definitions only make the file an ordinary Python module as well (it
imports, an editor resolves the names); docs/lang.md describes the language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Array:
    """Global data memory: `size` bytes from `base`, initially `data` (when given)."""

    base: int | None
    data: tuple[int, ...]
    size: int


@dataclass(frozen=True)
class Shared:
    """`size` bytes of each block's shared memory."""

    size: int


@dataclass(frozen=True)
class Index:
    """thread_idx, block_idx or block_dim: a per-thread value while a kernel runs."""

    name: str


@dataclass(frozen=True)
class Kernel:
    """A function decorated with @kernel(threads=N)."""

    function: Callable[[], None]
    threads: int


def array(*, base: int | None = None, data: Sequence[int] | None = None, size: int | None = None) -> Array:
    """Bytes of global memory: `data` (initial bytes) or `size` (an output) from `base`."""
    values = tuple(data) if data is not None else ()
    return Array(base=base, data=values, size=size if size is not None else len(values))


def shared(*, size: int) -> Shared:
    """`size` bytes of per-block shared memory."""
    return Shared(size=size)


def kernel(*, threads: int) -> Callable[[Callable[[], None]], Kernel]:
    """@kernel(threads=N): the function below is a kernel launched with N threads."""

    def wrap(function: Callable[[], None]) -> Kernel:
        return Kernel(function=function, threads=threads)

    return wrap


def barrier() -> None:
    """Wait until every live thread of the block reaches a barrier (inside a kernel only)."""
    raise RuntimeError(
        "barrier() runs only inside a kernel: run the file with tinygpu-run or compile it with tinygpu-cc"
    )


thread_idx = Index("thread_idx")
block_idx = Index("block_idx")
block_dim = Index("block_dim")

__all__ = ["array", "barrier", "block_dim", "block_idx", "kernel", "shared", "thread_idx"]
