# SPDX-License-Identifier: MIT
"""Every kernel, every block size 1..8: the golden model must agree with the reference.

The model runs the assembled kernel; the reference computes the expected memory from the
problem statement. Memory beyond the kernel's `.data` is filled with random guard bytes
(seeded by kernel and block size, printed on failure), so a stray write anywhere shows.
"""

from __future__ import annotations

import random

import pytest

from tinygpu.assembler import assemble
from tinygpu.checks import undefined_launch
from tinygpu.harness import Job
from tinygpu.isa import DATA_MEM_SIZE
from tinygpu.kernels import Kernel, discover_kernels
from tinygpu.memory_diff import memory_diff
from tinygpu.model import find_races, run_kernel

KERNELS = discover_kernels(skip_broken=True)  # a broken one fails in test_kernels.py
BLOCK_DIMS = range(1, 9)


def initial_memory(kernel: Kernel, seed: str) -> list[int]:
    """The kernel's .data, then random guard bytes up to the end of data memory."""
    rng = random.Random(seed)
    return kernel.data + [rng.randrange(256) for _ in range(DATA_MEM_SIZE - len(kernel.data))]


def check_against_reference(kernel: Kernel, block_dim: int, seed: str, words: list[int]) -> list[str]:
    """Differences between model and reference memory ([] when they agree)."""
    memory = initial_memory(kernel, seed)
    expected = kernel.reference(list(memory), kernel.threads, block_dim)
    actual = run_kernel(words, memory, kernel.threads, block_dim).memory
    return memory_diff(expected, actual)


def test_kernels_were_found() -> None:
    assert len(KERNELS) >= 11
    assert {"matadd", "matmul", "zero_threads"} <= {kernel.name for kernel in KERNELS}


@pytest.mark.parametrize(
    ("kernel", "block_dim"),
    [(k, d) for k in KERNELS for d in BLOCK_DIMS if k.block_dim_allowed(d)],
    ids=lambda value: value.name if isinstance(value, Kernel) else str(value),
)
def test_model_matches_reference(kernel: Kernel, block_dim: int) -> None:
    seed = f"{kernel.name}-{block_dim}"
    memory = initial_memory(kernel, seed)
    expected = kernel.reference(list(memory), kernel.threads, block_dim)
    result = run_kernel(kernel.program.words, memory, kernel.threads, block_dim)
    diff = memory_diff(expected, result.memory)
    where = f"kernel {kernel.name}, block_dim {block_dim}, guard seed {seed!r}"
    assert not diff, where + ":\n" + "\n".join(diff)
    assert not find_races(result), find_races(result)
    assert len(result.commits) == kernel.threads  # every thread ran, to its RET


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda kernel: kernel.name)
def test_reference_is_a_pure_function(kernel: Kernel) -> None:
    memory = initial_memory(kernel, "pure")
    before = list(memory)
    first = kernel.reference(memory, kernel.threads, 4)
    assert memory == before, "the reference modified its input"
    assert first == kernel.reference(memory, kernel.threads, 4)
    assert len(first) == DATA_MEM_SIZE
    if kernel.threads:
        assert first != memory, "the reference computes nothing"


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda kernel: kernel.name)
def test_kernel_files_are_documented(kernel: Kernel) -> None:
    text = kernel.asm_path.read_text()
    header = '"""' if kernel.asm_path.suffix == ".py" else "; "  # a docstring or a comment
    assert text.startswith(f"{header}{kernel.name}:"), (
        f"{kernel.asm_path.name} must start with a header `{header}{kernel.name}: what it computes and how` "
        "(README, Adding a kernel test)"
    )
    assert kernel.description and kernel.max_cycles > 0
    assert 0xF000 in kernel.program.words, "threads finish with RET"


# ---- the check can fail ----------------------------------------------------------------


@pytest.mark.parametrize("kernel", [k for k in KERNELS if k.threads], ids=lambda k: k.name)
def test_corrupted_model_result_is_caught(kernel: Kernel) -> None:
    memory = initial_memory(kernel, "corrupt")
    expected = kernel.reference(list(memory), kernel.threads, 4)
    actual = run_kernel(kernel.program.words, memory, kernel.threads, 4).memory
    assert memory_diff(expected, actual) == []

    written = [address for address in range(DATA_MEM_SIZE) if expected[address] != memory[address]]
    for address in (written[0], written[-1]):  # an output byte
        corrupted = list(actual)
        corrupted[address] ^= 0x01
        assert len(memory_diff(expected, corrupted)) == 1
    guard = next(a for a in range(DATA_MEM_SIZE) if a >= len(kernel.data) and a not in written)
    corrupted = list(actual)
    corrupted[guard] = (corrupted[guard] + 1) % 256  # a stray write to a guard byte
    assert memory_diff(expected, corrupted) == [
        f"address {guard} (0x{guard:02x}): expected {expected[guard]} (0x{expected[guard]:02x}), "
        f"got {corrupted[guard]} (0x{corrupted[guard]:02x})"
    ]


def test_corrupted_program_is_caught() -> None:
    kernel = next(k for k in KERNELS if k.name == "matadd")
    assert check_against_reference(kernel, 4, "program", kernel.program.words) == []
    words = list(kernel.program.words)
    words[9] = 0x4645  # ADD R6, R4, R5 becomes SUB R6, R4, R5
    assert check_against_reference(kernel, 4, "program", words) != []


def test_race_detector_can_fail() -> None:
    store_to_zero = [0x9105, 0x8001, 0xF000]  # CONST R1, #5; STR R0, R1; RET
    assert find_races(run_kernel(store_to_zero, [], 1, 1)) == []
    assert find_races(run_kernel(store_to_zero, [], 2, 1)) == [
        "address 0 is written and shared by block 0 thread 0, block 1 thread 0 with no barrier between"
    ]


def test_race_detector_knows_barriers() -> None:
    """Threads of one block may share a byte across a barrier, never within one phase;
    blocks never; and a shared byte read before its block wrote it is reported too."""

    def races(source: str, threads: int, block_dim: int) -> list[str]:
        return find_races(run_kernel(assemble(source).words, [], threads, block_dim))

    # thread t stores t at address 0 / shared byte 0, then reads it back
    through_barrier = "STR R0, %threadIdx\nBAR\nLDR R1, R0\nRET"
    assert races("CMP %threadIdx, R0\nBRnp SKIP\n" + through_barrier.replace("BAR", "SKIP:\nBAR"), 2, 2) == []
    assert races("STR R0, %threadIdx\nLDR R1, R0\nRET", 2, 2) == [
        "address 0 is written and shared by block 0 thread 0, block 0 thread 1 with no barrier between"
    ]
    assert races("CMP %threadIdx, R0\nBRnp SKIP\nSTR R0, %threadIdx\nSKIP:\nBAR\nLDR R1, R0\nRET", 2, 1) == [
        "address 0 is written and shared by block 0 thread 0, block 1 thread 0 with no barrier between"
    ]
    assert races("STS R0, %threadIdx\nLDS R1, R0\nRET", 2, 2) == [
        "shared byte (block 0) 0 is written and shared by block 0 thread 0, block 0 thread 1 with no barrier between"
    ]
    assert races("STS %threadIdx, %threadIdx\nBAR\nCONST R2, #1\nSUB R3, R2, %threadIdx\nLDS R1, R3\nRET", 2, 2) == []
    assert races("LDS R1, %threadIdx\nRET", 1, 1) == [
        "block 0 thread 0 reads shared byte 0 (pc 0) before any thread of its block wrote it"
    ]


def test_a_launch_with_an_undefined_result_is_refused_before_simulating() -> None:
    """The pre-check every RTL flow runs before a simulator starts (make run, the kernel
    tests): one KERNEL RACE line for a kernel that reads shared memory its block never
    wrote, nothing for a defined one or one the model cannot finish (its timeout says so)."""
    unwritten = assemble(".threads 4\nLDS R1, %threadIdx\nCONST R2, #32\nADD R2, R2, %threadIdx\nSTR R2, R1\nRET\n")
    job = Job(unwritten.words, [0] * DATA_MEM_SIZE, 4)
    line = undefined_launch(job, block_dim=4, shared_bytes=64)
    assert line is not None and "\n" not in line
    assert line.startswith("KERNEL RACE, not an RTL fault: ")
    assert "block 0 thread 0 reads shared byte 0 (pc 0) before any thread of its block wrote it" in line
    assert "(and 1 more)" in line  # four threads read, three are named
    written_first = assemble(".threads 4\nSTS %threadIdx, %threadIdx\nLDS R1, %threadIdx\nRET\n")
    assert undefined_launch(Job(written_first.words, [], 4), block_dim=4, shared_bytes=64) is None
    runaway = assemble(".threads 1\nLOOP: BRnzp LOOP\n")
    assert undefined_launch(Job(runaway.words, [], 1), block_dim=4, shared_bytes=64) is None


def test_flags_never_branch_targets_its_label() -> None:
    """flags.asm spells a condition-000 branch as .word 0x1001: address 1 must be its label."""
    kernel = next(k for k in KERNELS if k.name == "flags")
    assert kernel.program.labels["NEVER_TAKEN"] == 1
    assert 0x1001 in kernel.program.words
