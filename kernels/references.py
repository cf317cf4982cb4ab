# SPDX-License-Identifier: MIT
"""Reference results for the kernels in this folder, computed from each problem statement.

Every function has the signature ``f(memory, threads, block_dim) -> list[int]``: it gets
the full initial data memory (the kernel's `.data` bytes, then arbitrary guard bytes) and
returns the full memory the kernel must leave behind. Bytes a kernel does not write must
come back unchanged, so each function starts from a copy and fills in only the outputs.

These are deliberately *not* interpreters: they say what the kernel computes (a matrix
product, a sum 1..n, ...) in ordinary Python, so they check the instruction-set model and
the RTL from an independent direction. Thread i below is the global index
blockIdx * block_dim + threadIdx; block_dim matters only where a kernel records the block
coordinates themselves.
"""

from __future__ import annotations


def _byte(value: int) -> int:
    """Registers and memory hold bytes: arithmetic wraps modulo 256."""
    return value % 256


def _block_coordinates(i: int, block_dim: int) -> tuple[int, int]:
    """(%blockIdx, %threadIdx) of global thread i."""
    return i // block_dim, i % block_dim


def matadd(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """C[i] = A[i] + B[i]; A at 0, B at 8, C at 16."""
    out = list(memory)
    a, b = memory[0:8], memory[8:16]
    for i in range(threads):
        out[16 + i] = _byte(a[i] + b[i])
    return out


def matmul(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """C = A x B for 2x2 row-major matrices; A at 0, B at 4, C at 8; thread i makes C[i]."""
    out = list(memory)
    n = 2
    a = [memory[0 + row * n : 0 + (row + 1) * n] for row in range(n)]
    b = [memory[4 + row * n : 4 + (row + 1) * n] for row in range(n)]
    product = [[sum(a[r][k] * b[k][c] for k in range(n)) for c in range(n)] for r in range(n)]
    for i in range(threads):
        row, col = divmod(i, n)
        out[8 + i] = _byte(product[row][col])
    return out


def divergent_if_else(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """y = 3x (x < 10) or x - 10; OUT[i] = y + i at 16, PATH[i] = 1 or 2 at 24."""
    out = list(memory)
    for i in range(threads):
        x = memory[i]
        if x < 10:
            y, path = 3 * x, 1
        else:
            y, path = x - 10, 2
        out[16 + i] = _byte(y + i)
        out[24 + i] = path
    return out


def nested_divergence(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """Four leaves by x < 128 and parity / x < 200; OUT at 32, LEAF at 40."""
    out = list(memory)
    for i in range(threads):
        x = memory[i]
        if x < 128:
            y, leaf = (x // 2, 1) if x % 2 == 0 else (2 * x, 2)
        else:
            y, leaf = (x - 128, 3) if x < 200 else (255 - x, 4)
        out[32 + i] = _byte(y)
        out[40 + i] = leaf
    return out


def loop_trip_counts(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """SUM[i] = 1 + 2 + ... + N[i] at 16, COUNT[i] = N[i] at 24; N at 0."""
    out = list(memory)
    for i in range(threads):
        n = memory[i]
        out[16 + i] = _byte(n * (n + 1) // 2)
        out[24 + i] = n
    return out


def partial_block(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """OUT = 2x + 1 at 16, then blockIdx at 24, blockDim at 32, threadIdx at 40."""
    out = list(memory)
    for i in range(threads):
        block, thread = _block_coordinates(i, block_dim)
        out[16 + i] = _byte(2 * memory[i] + 1)
        out[24 + i] = block
        out[32 + i] = block_dim
        out[40 + i] = thread
    return out


def many_blocks(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """OUT[i] = A*i + B at 64, blockIdx at 128, threadIdx at 192; A, B at 0, 1."""
    out = list(memory)
    coefficient_a, coefficient_b = memory[0], memory[1]
    for i in range(threads):
        block, thread = _block_coordinates(i, block_dim)
        out[64 + i] = _byte(coefficient_a * i + coefficient_b)
        out[128 + i] = _byte(block)
        out[192 + i] = thread
    return out


def _comparison_code(a: int, b: int) -> int:
    """1 if a < b, 2 if a == b, 3 if a > b (unsigned bytes)."""
    if a < b:
        return 1
    return 2 if a == b else 3


def all_opcodes(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """Eight result bytes per thread at 16 + 8i from a = A[i] (at 0), b = B[i] (at 8)."""
    out = list(memory)
    for i in range(threads):
        a, b = memory[i], memory[8 + i]
        total = _byte(a + b)
        results = [
            total,
            _byte(a - b),
            _byte(a * b),
            a // b if b != 0 else 255,  # docs/isa.md: division by zero gives 255
            _comparison_code(a, b),
            0xA5,
            total,
            0,
        ]
        out[16 + 8 * i : 16 + 8 * i + 8] = results
    return out


def flags(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """Branch outcomes after CMP A[i], B[i]: ten bytes per thread at 32 + 16i."""
    out = list(memory)
    for i in range(threads):
        a, b = memory[i], memory[8 + i]
        less, equal, greater = a < b, a == b, a > b
        taken = [
            less,  # BRn
            equal,  # BRz
            greater,  # BRp
            less or equal,  # BRnz
            less or greater,  # BRnp
            equal or greater,  # BRzp
            True,  # BRnzp
            False,  # condition 000
        ]
        start_code = 2  # a thread starts with NZP = Z
        results = [start_code] + [int(jumps) for jumps in taken] + [_comparison_code(a, b)]
        out[32 + 16 * i : 32 + 16 * i + len(results)] = results
    return out


def readonly_and_illegal(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """Special registers, R1 = 77, R2 = 5, flags P and i: seven bytes at 16 + 8i."""
    out = list(memory)
    for i in range(threads):
        block, thread = _block_coordinates(i, block_dim)
        results = [block, block_dim, thread, 77, 5, _comparison_code(77, 5), i]
        out[16 + 8 * i : 16 + 8 * i + len(results)] = results
    return out


def zero_threads(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """No thread runs: memory is unchanged."""
    return list(memory)


def six_blocks(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """OUT[i] = 3 * IN[i]; IN at 0, OUT at 32."""
    out = list(memory)
    for i in range(threads):
        out[32 + i] = _byte(3 * memory[i])
    return out


def broadcast_loop(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """OUT[i] = T[0] + ... + T[31] + i; T at 0, OUT at 64."""
    out = list(memory)
    table_sum = sum(memory[0:32])
    for i in range(threads):
        out[64 + i] = _byte(table_sum + i)
    return out


# ------------------------------------------------------------------ shared memory kernels
def _blocks(threads: int, block_dim: int):
    """(first global index, thread count) of every block of a launch."""
    for first in range(0, threads, block_dim):
        yield first, min(block_dim, threads - first)


def block_sum(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """OUT[b] = the sum of block b's elements; IN at 0, OUT at 32 (block sizes 2^k)."""
    out = list(memory)
    for block, (first, count) in enumerate(_blocks(threads, block_dim)):
        out[32 + block] = _byte(sum(memory[first : first + count]))
    return out


def block_sum_global(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """block_sum, and its scratch area at 64: the tree's partial sums, as the tree leaves
    them (element t holds the sum of the 2^k elements from t, 2^k the largest power of
    two dividing t, up to the block's size)."""
    out = block_sum(memory, threads, block_dim)
    for first, count in _blocks(threads, block_dim):
        partial = memory[first : first + count]
        stride = block_dim // 2
        while stride:
            partial = [partial[t] + partial[t + stride] if t < stride else partial[t] for t in range(count)]
            stride //= 2
        for t, value in enumerate(partial):
            out[64 + first + t] = _byte(value)
    return out


def reverse(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """OUT[b*N + t] = IN[b*N + N-1-t]; IN at 0, OUT at 32 (full blocks)."""
    out = list(memory)
    for first, count in _blocks(threads, block_dim):
        out[32 + first : 32 + first + count] = memory[first : first + count][::-1]
    return out


def prefix_sum(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """OUT[i] = IN[first of i's block] + ... + IN[i]; IN at 0, OUT at 32."""
    out = list(memory)
    for first, count in _blocks(threads, block_dim):
        running = 0
        for i in range(first, first + count):
            running += memory[i]
            out[32 + i] = _byte(running)
    return out


def transpose(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """OUT = A^T: A is `threads` x N at 0 (N = block_dim), OUT is N x `threads` at 128."""
    out = list(memory)
    n = block_dim
    for row in range(threads):
        for col in range(n):
            out[128 + col * threads + row] = memory[row * n + col]
    return out


def matmul4(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """C = A x B for 4x4 row-major matrices; A at 0, B at 16, C at 32; one thread per
    element of C."""
    out = list(memory)
    n = 4
    for i in range(threads):
        row, col = divmod(i, n)
        out[32 + i] = _byte(sum(memory[row * n + k] * memory[16 + k * n + col] for k in range(n)))
    return out


def barrier_exit(memory: list[int], threads: int, block_dim: int) -> list[int]:
    """Odd threads: OUT[i] = 100 + IN[i]; even: OUT[i] = 2 * IN[f] + IN[i], f the first
    thread of i's block; IN at 0, OUT at 32."""
    out = list(memory)
    for first, count in _blocks(threads, block_dim):
        for t in range(count):
            i = first + t
            out[32 + i] = _byte(100 + memory[i] if t % 2 else 2 * memory[first] + memory[i])
    return out
