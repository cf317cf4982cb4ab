# SPDX-License-Identifier: MIT
"""Golden instruction-set model: runs a kernel the way docs/isa.md says the GPU must.

Plain Python, independent of the RTL and of cocotb. It runs blocks in order, and a block
in barrier phases: each live thread in turn runs to its next BAR or RET, then every
waiting thread is released and the next phase starts (docs/isa.md, "Barriers and shared
memory"). For race-free kernels this gives the same final memory as any interleaving the
hardware picks; `find_races` says whether a kernel is one. Every retired instruction
yields a `Commit` record, the unit the RTL's commit log is checked against, thread by
thread.

    result = run_kernel(program.words, program.data, threads=8, block_dim=4)
    result.memory                  # final data memory
    result.commits[(1, 2)]         # what thread 2 of block 1 retired, in order

`ThreadState` and `step` execute a single instruction; `run_kernel` is built from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .commits import Commit
from .configs import DEFAULT_SHARED_MEM_BYTES
from .isa import (
    DATA_MASK,
    DATA_MEM_SIZE,
    NUM_REGISTERS,
    NZP_N,
    NZP_P,
    NZP_RESET,
    NZP_Z,
    PC_MASK,
    PROGRAM_MEM_SIZE,
    REG_BLOCK_DIM,
    REG_BLOCK_IDX,
    REG_THREAD_IDX,
    WORD_MASK,
    Opcode,
    decode,
    is_read_only,
)

if TYPE_CHECKING:
    from .assembler import Program

MAX_THREADS = 255  # the thread count register is 8 bits wide


@dataclass(frozen=True)
class Access:
    """One byte a thread read or wrote, and in which barrier phase of its block."""

    space: str  # "global" (data memory) or "shared" (its block's shared memory)
    op: str  # "R" or "W"
    address: int
    block: int
    thread: int
    phase: int  # barrier releases of its block before the access


@dataclass
class ModelResult:
    memory: list[int]  # final data memory, data_size bytes
    commits: dict[tuple[int, int], list[Commit]]  # (block, thread) -> retired, in order
    instructions: int  # total retired over all threads
    accesses: list[Access] = field(default_factory=list)  # every load and store, for find_races
    unwritten_reads: list[str] = field(default_factory=list)  # LDS of a byte its block never wrote


class ModelTimeout(Exception):
    """A thread retired the instruction limit without reaching RET."""

    def __init__(self, block: int, thread: int, pc: int, limit: int):
        super().__init__(
            f"block {block} thread {thread} did not reach RET within {limit} instructions (pc {pc} when stopped)"
        )
        self.block = block
        self.thread = thread
        self.pc = pc
        self.limit = limit


@dataclass
class ThreadState:
    """Architectural state of one thread: registers, PC and NZP flags."""

    block: int
    thread: int
    block_dim: int
    registers: list[int] = field(default_factory=lambda: [0] * NUM_REGISTERS)
    pc: int = 0
    nzp: int = NZP_RESET
    done: bool = False
    at_barrier: bool = False  # executed BAR, waits for the rest of its block

    def __post_init__(self) -> None:
        self.registers[REG_BLOCK_IDX] = self.block
        self.registers[REG_BLOCK_DIM] = self.block_dim
        self.registers[REG_THREAD_IDX] = self.thread


def compare(a: int, b: int) -> int:
    """NZP flags of an unsigned comparison of a with b: exactly one bit set."""
    if a < b:
        return NZP_N
    if a == b:
        return NZP_Z
    return NZP_P


def step(state: ThreadState, word: int, memory: list[int], shared: list[int] | None = None) -> Commit:
    """Execute `word` as the next instruction of `state`, updating it, `memory` and the
    block's `shared` memory (default: as many zeros as gpu.sv's default SHARED_MEM_BYTES,
    for single-thread use).

    BAR only marks the thread as waiting (`at_barrier`); releasing it is the block's
    business (`run_kernel`).
    """
    if shared is None:
        shared = [0] * DEFAULT_SHARED_MEM_BYTES
    instruction = decode(word)
    op = instruction.opcode
    a = state.registers[instruction.rs]
    b = state.registers[instruction.rt]
    next_pc = (state.pc + 1) & PC_MASK
    result: int | None = None  # value for Rd, if the instruction writes one
    mem_op = mem_addr = mem_data = None
    shared_op = shared_addr = shared_data = None
    barrier = False

    if op == Opcode.BRNZP:
        if state.nzp & instruction.nzp:
            next_pc = instruction.imm8
    elif op == Opcode.CMP:
        state.nzp = compare(a, b)
    elif op == Opcode.ADD:
        result = (a + b) & DATA_MASK
    elif op == Opcode.SUB:
        result = (a - b) & DATA_MASK
    elif op == Opcode.MUL:
        result = (a * b) & DATA_MASK
    elif op == Opcode.DIV:
        result = a // b if b else DATA_MASK  # division by zero gives 255
    elif op == Opcode.LDR:
        result = _read(memory, a)
        mem_op, mem_addr, mem_data = "R", a, result
    elif op == Opcode.STR:
        _write(memory, a, b)
        mem_op, mem_addr, mem_data = "W", a, b
    elif op == Opcode.CONST:
        result = instruction.imm8
    elif op == Opcode.LDS:
        shared_addr = a % len(shared)
        result = shared[shared_addr]
        shared_op, shared_data = "R", result
    elif op == Opcode.STS:
        shared_addr = a % len(shared)
        shared[shared_addr] = b
        shared_op, shared_data = "W", b
    elif op == Opcode.BAR:
        barrier = True
        state.at_barrier = True
    elif op == Opcode.RET:
        next_pc = state.pc
        state.done = True
    # NOP and the unused opcodes 0xD, 0xE change nothing but the PC.

    rd = rd_value = None
    if result is not None and not is_read_only(instruction.rd):  # read-only: write dropped
        rd, rd_value = instruction.rd, result
        state.registers[rd] = result

    commit = Commit(
        block=state.block,
        thread=state.thread,
        pc=state.pc,
        instr=word,
        next_pc=next_pc,
        nzp=state.nzp,
        rd=rd,
        rd_value=rd_value,
        mem_op=mem_op,
        mem_addr=mem_addr,
        mem_data=mem_data,
        shared_op=shared_op,
        shared_addr=shared_addr,
        shared_data=shared_data,
        barrier=barrier,
    )
    state.pc = next_pc
    return commit


def _read(memory: list[int], address: int) -> int:
    if address >= len(memory):
        raise IndexError(f"load from address {address}; data memory holds {len(memory)} bytes")
    return memory[address]


def _write(memory: list[int], address: int, value: int) -> None:
    if address >= len(memory):
        raise IndexError(f"store to address {address}; data memory holds {len(memory)} bytes")
    memory[address] = value


def run_kernel(
    program: Sequence[int] | Program,
    memory: Sequence[int],
    threads: int,
    block_dim: int,
    *,
    max_instructions_per_thread: int = 10_000,
    data_size: int = DATA_MEM_SIZE,
    shared_bytes: int = DEFAULT_SHARED_MEM_BYTES,
) -> ModelResult:
    """Run a launch of `threads` threads in blocks of `block_dim` and return the outcome.

    `program` is the list of program words (or an assembled `Program`); words past its end
    read as 0 (NOP). `memory` is the initial data memory, zero-padded to `data_size`; the
    caller's list is never modified. Each block has `shared_bytes` of shared memory (the
    GPU's SHARED_MEM_BYTES; default: gpu.sv's default). Raises `ModelTimeout` when a thread retires
    `max_instructions_per_thread` instructions without finishing, and `IndexError` when a
    thread accesses data memory at or beyond `data_size` (possible only if it is < 256).
    """
    words = list(program) if isinstance(program, Sequence) else list(program.words)
    _check_launch(words, memory, threads, block_dim, data_size, shared_bytes)
    data = list(memory) + [0] * (data_size - len(memory))
    result = ModelResult(memory=data, commits={}, instructions=0)

    num_blocks = -(-threads // block_dim)  # ceil(threads / block_dim)
    for block in range(num_blocks):
        threads_in_block = min(block_dim, threads - block * block_dim)
        _run_block(block, threads_in_block, block_dim, words, result, shared_bytes, max_instructions_per_thread)
    return result


def _run_block(
    block: int,
    threads_in_block: int,
    block_dim: int,
    words: list[int],
    result: ModelResult,
    shared_bytes: int,
    limit: int,
) -> None:
    """Run one block in barrier phases, appending to `result`."""
    # Shared memory starts undefined: a read of a byte no thread of the block wrote before
    # is a kernel error (`unwritten_reads`); the value the model returns for it is 0.
    shared = [0] * shared_bytes
    written_before_phase: set[int] = set()
    states = [ThreadState(block=block, thread=thread, block_dim=block_dim) for thread in range(threads_in_block)]
    for state in states:
        result.commits[(block, state.thread)] = []
    phase = 0
    live = states
    while live:
        written_this_phase: set[int] = set()
        for state in live:
            trace = result.commits[(block, state.thread)]
            own_writes: set[int] = set()
            while not state.done and not state.at_barrier:
                if len(trace) >= limit:
                    raise ModelTimeout(block, state.thread, state.pc, limit)
                word = words[state.pc] if state.pc < len(words) else 0
                commit = step(state, word, result.memory, shared)
                trace.append(commit)
                result.instructions += 1
                if commit.mem_op is not None and commit.mem_addr is not None:
                    result.accesses.append(Access("global", commit.mem_op, commit.mem_addr, block, state.thread, phase))
                if commit.shared_op is not None and commit.shared_addr is not None:
                    result.accesses.append(
                        Access("shared", commit.shared_op, commit.shared_addr, block, state.thread, phase)
                    )
                    if commit.shared_op == "W":
                        own_writes.add(commit.shared_addr)
                    elif commit.shared_addr not in written_before_phase | own_writes:
                        result.unwritten_reads.append(
                            f"block {block} thread {state.thread} reads shared byte {commit.shared_addr} "
                            f"(pc {commit.pc}) before any thread of its block wrote it"
                        )
            written_this_phase |= own_writes
        # Every live thread waits at a barrier or has left: release them together.
        written_before_phase |= written_this_phase
        phase += 1
        for state in live:
            state.at_barrier = False
        live = [state for state in live if not state.done]


def _check_launch(
    words: list[int], memory: Sequence[int], threads: int, block_dim: int, data_size: int, shared_bytes: int
) -> None:
    if len(words) > PROGRAM_MEM_SIZE:
        raise ValueError(f"program has {len(words)} words; program memory holds {PROGRAM_MEM_SIZE}")
    if any(not 0 <= word <= WORD_MASK for word in words):
        raise ValueError("program words must be 16-bit values")
    if not 1 <= data_size <= DATA_MEM_SIZE:
        raise ValueError(f"data_size {data_size} out of range 1..{DATA_MEM_SIZE}")
    if len(memory) > data_size:
        raise ValueError(f"initial memory has {len(memory)} bytes; data memory holds {data_size}")
    if any(not 0 <= byte <= DATA_MASK for byte in memory):
        raise ValueError("memory values must be bytes (0..255)")
    if not 0 <= threads <= MAX_THREADS:
        raise ValueError(f"thread count {threads} out of range 0..{MAX_THREADS}")
    if not 1 <= block_dim <= MAX_THREADS:
        raise ValueError(f"block_dim {block_dim} out of range 1..{MAX_THREADS}")
    if shared_bytes not in {1 << n for n in range(9)}:
        raise ValueError(f"shared_bytes {shared_bytes}: use a power of two from 1 to 256")


def find_races(result: ModelResult) -> list[str]:
    """Why the kernel's result is undefined, described; empty when it is defined.

    docs/isa.md, "Memory ordering": two threads race when they touch one byte, at least
    one of them writing, and no barrier separates the two accesses: threads of different
    blocks always race on a global byte; threads of one block race on a global or shared
    byte when they touch it in the same barrier phase. A shared byte read before its
    block wrote it (`unwritten_reads`) is undefined too.
    """
    touched: dict[tuple, list[Access]] = {}
    for access in result.accesses:
        key = (access.space, access.address) + ((access.block,) if access.space == "shared" else ())
        touched.setdefault(key, []).append(access)
    problems = []
    for (space, address, *_), accesses in sorted(touched.items()):
        writes = [a for a in accesses if a.op == "W"]
        racing = {(w.block, w.thread) for w in writes for a in accesses if _conflict(w, a)}
        racing |= {(a.block, a.thread) for w in writes for a in accesses if _conflict(w, a)}
        if racing:
            who = ", ".join(f"block {b} thread {t}" for b, t in sorted(racing))
            where = "address" if space == "global" else f"shared byte (block {accesses[0].block})"
            problems.append(f"{where} {address} is written and shared by {who} with no barrier between")
    return problems + result.unwritten_reads


def _conflict(write: Access, other: Access) -> bool:
    """Whether `other` races with `write` (which touches the same byte)."""
    if (write.block, write.thread) == (other.block, other.thread):
        return False
    return write.block != other.block or write.phase == other.phase
