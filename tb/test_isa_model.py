# SPDX-License-Identifier: MIT
"""Tests of the ISA model (tinygpu/model.py) against docs/isa.md, instruction by instruction."""

from __future__ import annotations

import itertools

import pytest

from tinygpu.assembler import assemble
from tinygpu.isa import NZP_N, NZP_P, NZP_Z
from tinygpu.model import (
    Commit,
    ModelResult,
    ModelTimeout,
    ThreadState,
    compare,
    run_kernel,
    step,
)


def run(
    source: str,
    memory: list[int] | None = None,
    threads: int = 1,
    block_dim: int = 4,
    **options: int,
) -> ModelResult:
    """Assemble `source` and run it."""
    return run_kernel(assemble(source).words, memory or [], threads, block_dim, **options)


def commits_of(source: str, memory: list[int] | None = None) -> list[Commit]:
    """The commits of the only thread of a one-thread launch."""
    return run(source, memory).commits[(0, 0)]


def register_after(source: str, register: int, memory: list[int] | None = None) -> int | None:
    """Value of the last write to `register` (R0..R12), or None if never written."""
    writes = [c.rd_value for c in commits_of(source, memory) if c.rd == register]
    return writes[-1] if writes else None


# --------------------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "a", "b", "result"),
    [
        ("ADD", 2, 3, 5),
        ("ADD", 200, 100, 44),  # overflow wraps
        ("ADD", 255, 1, 0),
        ("SUB", 9, 4, 5),
        ("SUB", 3, 7, 252),  # underflow wraps
        ("SUB", 0, 255, 1),
        ("MUL", 7, 9, 63),
        ("MUL", 200, 100, 32),  # 20000 mod 256
        ("MUL", 255, 255, 1),
        ("MUL", 16, 16, 0),
        ("DIV", 7, 2, 3),  # rounds down
        ("DIV", 255, 16, 15),
        ("DIV", 5, 7, 0),
        ("DIV", 0, 3, 0),
        ("DIV", 5, 0, 255),  # division by zero gives 255
        ("DIV", 0, 0, 255),
    ],
)
def test_arithmetic(op: str, a: int, b: int, result: int) -> None:
    source = f"CONST R1, #{a}\nCONST R2, #{b}\n{op} R3, R1, R2\nRET"
    commit = commits_of(source)[2]
    assert (commit.rd, commit.rd_value) == (3, result)
    assert commit.nzp == NZP_Z  # arithmetic never touches the flags


def test_destination_may_be_a_source() -> None:
    assert register_after("CONST R1, #5\nADD R1, R1, R1\nMUL R1, R1, R1\nRET", 1) == 100


def test_const_and_every_general_register() -> None:
    source = "\n".join(f"CONST R{n}, #{10 + n}" for n in range(13)) + "\nRET"
    commits = commits_of(source)
    assert [(c.rd, c.rd_value) for c in commits[:13]] == [(n, 10 + n) for n in range(13)]


def test_registers_start_at_zero() -> None:
    source = "\n".join(f"ADD R{n}, R{n}, R{n}" for n in range(13)) + "\nRET"
    assert all(c.rd_value == 0 for c in commits_of(source)[:13])


# --------------------------------------------------------------------------------------
# Special registers and read-only writes
# --------------------------------------------------------------------------------------


def test_special_registers_per_thread() -> None:
    source = """
        MUL R0, %blockIdx, %blockDim
        ADD R0, R0, %threadIdx
        CONST R1, #16
        ADD R1, R1, R0
        STR R0, %blockIdx          ; BLK[i] at i
        STR R1, %threadIdx         ; TID[i] at 16 + i
        CONST R2, #32
        ADD R2, R2, R0
        STR R2, %blockDim          ; DIM[i] at 32 + i
        RET
    """
    memory = run(source, threads=7, block_dim=3).memory
    assert memory[0:7] == [0, 0, 0, 1, 1, 1, 2]
    assert memory[16:23] == [0, 1, 2, 0, 1, 2, 0]
    assert memory[32:39] == [3] * 7  # blockDim is the full size in the partial block too
    assert memory[7] == memory[23] == memory[39] == 0


@pytest.mark.parametrize(
    "word",
    [0x9D63, 0x9E63, 0x9F63, 0x3D12, 0x4E12, 0x5F12, 0x6D12],  # CONST/ADD/SUB/MUL/DIV
)
def test_write_to_read_only_register_is_dropped(word: int) -> None:
    source = f"CONST R1, #77\nCONST R2, #5\n.word 0x{word:04X}\nSTR R0, %blockIdx\nRET"
    result = run(source, threads=8, block_dim=4)
    for (block, _thread), commits in result.commits.items():
        dropped = commits[2]
        assert (dropped.rd, dropped.rd_value, dropped.mem_op) == (None, None, None)
        assert commits[3].mem_data == block  # %blockIdx unchanged
    assert result.memory[0] == 1  # the last thread (block 1) stored last


def test_ldr_to_read_only_register_still_reads_memory() -> None:
    commits = commits_of("CONST R1, #3\n.word 0x7F10\nADD R2, %threadIdx, R0\nRET", [0, 0, 0, 42])
    load = commits[1]
    assert (load.rd, load.rd_value) == (None, None)
    assert (load.mem_op, load.mem_addr, load.mem_data) == ("R", 3, 42)
    assert commits[2].rd_value == 0  # %threadIdx is still 0


# --------------------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------------------


def test_ldr_and_str() -> None:
    source = "CONST R1, #2\nLDR R2, R1\nCONST R3, #200\nSTR R3, R2\nRET"
    result = run(source, [0, 0, 99])
    load, store = result.commits[(0, 0)][1], result.commits[(0, 0)][3]
    assert (load.rd, load.rd_value) == (2, 99)
    assert (load.mem_op, load.mem_addr, load.mem_data) == ("R", 2, 99)
    assert (store.rd, store.mem_op, store.mem_addr, store.mem_data) == (None, "W", 200, 99)
    assert result.memory[200] == 99
    assert len(result.memory) == 256


def test_memory_is_padded_and_the_callers_list_untouched() -> None:
    initial = [5, 6]
    result = run("CONST R1, #1\nCONST R2, #9\nSTR R1, R2\nSTR R2, R1\nRET", initial)
    assert initial == [5, 6]
    assert result.memory[:3] == [5, 9, 0] and result.memory[9] == 1
    assert result.memory is not initial


def test_str_to_address_255_and_ldr_from_it() -> None:
    result = run("CONST R1, #255\nCONST R2, #7\nSTR R1, R2\nLDR R3, R1\nRET")
    assert result.memory[255] == 7
    assert result.commits[(0, 0)][3].rd_value == 7


# --------------------------------------------------------------------------------------
# Flags and branches
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "flags"),
    [
        (1, 2, NZP_N),
        (2, 2, NZP_Z),
        (3, 2, NZP_P),
        (0, 255, NZP_N),
        (255, 0, NZP_P),
        (0, 0, NZP_Z),
        (128, 127, NZP_P),
    ],  # unsigned: 128 > 127, 0 < 255
)
def test_cmp_sets_exactly_one_flag(a: int, b: int, flags: int) -> None:
    commit = commits_of(f"CONST R1, #{a}\nCONST R2, #{b}\nCMP R1, R2\nRET")[2]
    assert commit.nzp == flags
    assert compare(a, b) == flags
    assert (commit.rd, commit.mem_op) == (None, None)


def test_initial_flags_are_z() -> None:
    commits = commits_of("BRz #3\nNOP\nNOP\nRET")
    assert commits[0].nzp == NZP_Z
    assert [c.pc for c in commits] == [0, 3]


@pytest.mark.parametrize("condition", ["n", "z", "p", "nz", "np", "zp", "nzp"])
@pytest.mark.parametrize(("a", "b", "outcome"), [(1, 2, "n"), (2, 2, "z"), (3, 2, "p")])
def test_branch_taken_iff_condition_matches(condition: str, a: int, b: int, outcome: str) -> None:
    source = f"CONST R1, #{a}\nCONST R2, #{b}\nCMP R1, R2\nBR{condition} #5\nRET\nRET"
    branch = commits_of(source)[3]
    taken = outcome in condition
    assert branch.next_pc == (5 if taken else 4)
    assert branch.rd is None and branch.mem_op is None


def test_condition_000_never_jumps() -> None:
    for setup in ("", "CONST R1, #1\nCMP R1, R0\n", "CONST R1, #1\nCMP R0, R1\n"):
        commits = commits_of(setup + ".word 0x1005\nRET")
        assert commits[-2].next_pc == commits[-2].pc + 1


def test_only_cmp_changes_flags() -> None:
    source = "CONST R1, #1\nCMP R0, R1\nADD R2, R1, R1\nCONST R3, #9\nSTR R3, R1\nLDR R4, R3\nNOP"
    source += "\nRET"
    commits = commits_of(source)
    assert [c.nzp for c in commits] == [NZP_Z] + [NZP_N] * 7


def test_backward_branch_loop() -> None:
    source = """
        CONST R1, #1
        CONST R2, #5
    LOOP:
        ADD R3, R3, R1
        CMP R3, R2
        BRn LOOP
        RET
    """
    assert register_after(source, 3) == 5


# --------------------------------------------------------------------------------------
# NOP, unused opcodes, RET and the program counter
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", [0x0000, 0x0FFF, 0xD021, 0xDEFF, 0xE012, 0xEFFF])
def test_nop_and_unused_opcodes_change_only_the_pc(word: int) -> None:
    commits = commits_of(f"CONST R1, #77\nCONST R2, #5\nCMP R1, R2\n.word 0x{word:04X}\nRET")
    nop = commits[3]
    assert (nop.pc, nop.next_pc, nop.nzp) == (3, 4, NZP_P)
    assert (nop.rd, nop.rd_value, nop.mem_op, nop.mem_addr, nop.mem_data) == (None,) * 5
    assert nop.instr == word


def test_ret_keeps_its_pc_and_ends_the_thread() -> None:
    commits = commits_of("NOP\nRET\nCONST R1, #1")
    assert len(commits) == 2
    assert (commits[1].pc, commits[1].next_pc, commits[1].instr) == (1, 1, 0xF000)


def test_words_past_the_program_are_nops_and_the_pc_wraps() -> None:
    program = [
        0x2010,  # 0: CMP R1, R0     Z on the first visit, P on the second
        0x1204,  # 1: BRp #4
        0x9101,  # 2: CONST R1, #1
        0x1EFE,  # 3: BRnzp #254     254 and 255 lie past the program: zero words, NOPs
        0xF000,  # 4: RET
    ]
    trace = run_kernel(program, [], 1, 1).commits[(0, 0)]
    assert [c.pc for c in trace] == [0, 1, 2, 3, 254, 255, 0, 1, 4]
    assert [c.instr for c in trace[4:6]] == [0, 0]
    assert trace[5].next_pc == 0


def test_full_program_memory_wraps_from_255_to_0() -> None:
    program = [0x0000] * 256
    program[0] = 0x2010  # CMP R1, R0     Z on the first visit, P on the second
    program[1] = 0x1203  # BRp #3
    program[2] = 0x1EFE  # BRnzp #254
    program[3] = 0xF000  # RET
    program[254] = 0x9101  # CONST R1, #1
    program[255] = 0x0ABC  # NOP (don't-care bits set); the PC then wraps to 0
    trace = run_kernel(program, [], 1, 1).commits[(0, 0)]
    assert [c.pc for c in trace] == [0, 1, 2, 254, 255, 0, 1, 3]
    assert trace[4].next_pc == 0


def test_ret_at_address_255() -> None:
    program = [0x1EFF] + [0x0000] * 254 + [0xF000]  # BRnzp #255 ... RET
    trace = run_kernel(program, [], 1, 1).commits[(0, 0)]
    assert [(c.pc, c.next_pc) for c in trace] == [(0, 255), (255, 255)]


# --------------------------------------------------------------------------------------
# Launch shape, commits, limits
# --------------------------------------------------------------------------------------

GLOBAL_ID_STORE = """
    MUL R0, %blockIdx, %blockDim
    ADD R0, R0, %threadIdx
    CONST R1, #1
    ADD R1, R0, R1
    STR R0, R1          ; mem[i] = i + 1
    RET
"""


@pytest.mark.parametrize("threads", [1, 3, 4, 5, 8, 13, 255])
@pytest.mark.parametrize("block_dim", [1, 2, 3, 4, 8])
def test_blocks_and_partial_blocks(threads: int, block_dim: int) -> None:
    result = run(GLOBAL_ID_STORE, threads=threads, block_dim=block_dim)
    assert result.memory[:threads] == [(i + 1) % 256 for i in range(threads)]
    assert all(byte == 0 for byte in result.memory[threads:])
    expected_keys = [(i // block_dim, i % block_dim) for i in range(threads)]
    assert list(result.commits) == expected_keys  # blocks in order, threads in order
    assert result.instructions == 6 * threads


def test_zero_threads_run_nothing() -> None:
    initial = [1, 2, 3]
    result = run("STR R0, R0\nRET", initial, threads=0)
    assert result.memory[:3] == initial and result.commits == {} and result.instructions == 0


def test_commit_record_contents() -> None:
    result = run("CONST R1, #9\nLDR R2, R1\nRET", [0] * 9 + [33], threads=2, block_dim=1)
    assert result.commits[(1, 0)] == [
        Commit(
            block=1,
            thread=0,
            pc=0,
            instr=0x9109,
            next_pc=1,
            nzp=NZP_Z,
            rd=1,
            rd_value=9,
            mem_op=None,
            mem_addr=None,
            mem_data=None,
        ),
        Commit(
            block=1,
            thread=0,
            pc=1,
            instr=0x7210,
            next_pc=2,
            nzp=NZP_Z,
            rd=2,
            rd_value=33,
            mem_op="R",
            mem_addr=9,
            mem_data=33,
        ),
        Commit(
            block=1,
            thread=0,
            pc=2,
            instr=0xF000,
            next_pc=2,
            nzp=NZP_Z,
            rd=None,
            rd_value=None,
            mem_op=None,
            mem_addr=None,
            mem_data=None,
        ),
    ]


def test_commits_chain_pc_to_next_pc() -> None:
    result = run(GLOBAL_ID_STORE + "\n", threads=5, block_dim=2)
    for trace in result.commits.values():
        for before, after in itertools.pairwise(trace):
            assert after.pc == before.next_pc


def test_timeout_names_block_thread_pc_and_limit() -> None:
    source = "CMP R0, %threadIdx\nBRz #0\nRET"  # thread 0 spins, the others return
    with pytest.raises(ModelTimeout) as caught:
        run(source, threads=6, block_dim=4, max_instructions_per_thread=50)
    error = caught.value
    assert (error.block, error.thread, error.limit) == (0, 0, 50)
    assert error.pc in (0, 1)
    assert "block 0 thread 0" in str(error) and "50 instructions" in str(error)
    assert f"pc {error.pc}" in str(error)


def test_timeout_limit_is_inclusive() -> None:
    assert run("NOP\nNOP\nRET", max_instructions_per_thread=3).instructions == 3
    with pytest.raises(ModelTimeout):
        run("NOP\nNOP\nRET", max_instructions_per_thread=2)


def test_program_object_accepted() -> None:
    program = assemble("CONST R1, #4\nSTR R1, R1\nRET")
    assert run_kernel(program, [], 1, 1).memory[4] == 4


def test_smaller_data_memory() -> None:
    result = run("CONST R1, #3\nSTR R1, R1\nRET", data_size=4)
    assert result.memory == [0, 0, 0, 3]
    with pytest.raises(IndexError, match="store to address 4"):
        run("CONST R1, #4\nSTR R1, R1\nRET", data_size=4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"program": [0] * 257}, "program has 257 words"),
        ({"program": [0x10000]}, "16-bit"),
        ({"memory": [0] * 257}, "initial memory has 257 bytes"),
        ({"memory": [256]}, "bytes"),
        ({"threads": 256}, "thread count 256"),
        ({"threads": -1}, "thread count -1"),
        ({"block_dim": 0}, "block_dim 0"),
        ({"data_size": 512}, "data_size 512"),
    ],
)
def test_bad_launch_arguments(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"program": [0xF000], "memory": [], "threads": 1, "block_dim": 1}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        run_kernel(**arguments)  # type: ignore[arg-type]


def test_step_on_a_single_thread_state() -> None:
    state = ThreadState(block=2, thread=1, block_dim=4)
    memory = [0] * 256
    commit = step(state, 0x301F, memory)  # ADD R0, R1, %threadIdx
    assert (commit.block, commit.thread, commit.rd, commit.rd_value) == (2, 1, 0, 1)
    assert state.pc == 1 and state.registers[:2] == [1, 0] and state.registers[13:] == [2, 4, 1]
