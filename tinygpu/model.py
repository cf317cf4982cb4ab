"""Golden instruction-set model: runs a kernel the way docs/isa.md says the GPU must.

Plain Python, independent of the RTL and of cocotb. It executes one thread at a time to
completion, blocks in order and threads of a block in order; for race-free kernels (all of
ours) this gives the same final memory as any interleaving the hardware picks. Every
retired instruction yields a `Commit` record, the unit the RTL's commit log is checked
against, thread by thread.

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


@dataclass
class ModelResult:
    memory: list[int]  # final data memory, data_size bytes
    commits: dict[tuple[int, int], list[Commit]]  # (block, thread) -> retired, in order
    instructions: int  # total retired over all threads


class ModelTimeout(Exception):
    """A thread retired the instruction limit without reaching RET."""

    def __init__(self, block: int, thread: int, pc: int, limit: int):
        super().__init__(
            f"block {block} thread {thread} did not reach RET within {limit} instructions "
            f"(pc {pc} when stopped)"
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


def step(state: ThreadState, word: int, memory: list[int]) -> Commit:
    """Execute `word` as the next instruction of `state`, updating it and `memory`."""
    instruction = decode(word)
    op = instruction.opcode
    a = state.registers[instruction.rs]
    b = state.registers[instruction.rt]
    next_pc = (state.pc + 1) & PC_MASK
    result: int | None = None  # value for Rd, if the instruction writes one
    mem_op = mem_addr = mem_data = None

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
    elif op == Opcode.RET:
        next_pc = state.pc
        state.done = True
    # NOP and the unused opcodes 0xA..0xE change nothing but the PC.

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
) -> ModelResult:
    """Run a launch of `threads` threads in blocks of `block_dim` and return the outcome.

    `program` is the list of program words (or an assembled `Program`); words past its end
    read as 0 (NOP). `memory` is the initial data memory, zero-padded to `data_size`; the
    caller's list is never modified. Raises `ModelTimeout` when a thread retires
    `max_instructions_per_thread` instructions without finishing, and `IndexError` when a
    thread accesses data memory at or beyond `data_size` (possible only if it is < 256).
    """
    words = list(program) if isinstance(program, Sequence) else list(program.words)
    _check_launch(words, memory, threads, block_dim, data_size)
    data = list(memory) + [0] * (data_size - len(memory))
    commits: dict[tuple[int, int], list[Commit]] = {}
    retired = 0

    num_blocks = -(-threads // block_dim)  # ceil(threads / block_dim)
    for block in range(num_blocks):
        threads_in_block = min(block_dim, threads - block * block_dim)
        for thread in range(threads_in_block):
            state = ThreadState(block=block, thread=thread, block_dim=block_dim)
            trace: list[Commit] = []
            while not state.done:
                if len(trace) >= max_instructions_per_thread:
                    raise ModelTimeout(block, thread, state.pc, max_instructions_per_thread)
                word = words[state.pc] if state.pc < len(words) else 0
                trace.append(step(state, word, data))
            commits[(block, thread)] = trace
            retired += len(trace)

    return ModelResult(memory=data, commits=commits, instructions=retired)


def _check_launch(
    words: list[int], memory: Sequence[int], threads: int, block_dim: int, data_size: int
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


def find_races(result: ModelResult) -> list[str]:
    """Bytes that one thread writes and another thread reads or writes, described.

    A kernel's result is defined only when this list is empty (docs/isa.md, "Memory
    ordering"): then every interleaving of the threads ends with the same memory.
    """
    writers: dict[int, set[tuple[int, int]]] = {}
    readers: dict[int, set[tuple[int, int]]] = {}
    for key, trace in result.commits.items():
        for commit in trace:
            if commit.mem_op is not None and commit.mem_addr is not None:
                table = writers if commit.mem_op == "W" else readers
                table.setdefault(commit.mem_addr, set()).add(key)
    problems = []
    for address, written_by in sorted(writers.items()):
        others = (written_by | readers.get(address, set())) - {min(written_by)}
        if others:
            threads = ", ".join(f"block {b} thread {t}" for b, t in sorted(written_by | others))
            problems.append(f"address {address} is written and shared by {threads}")
    return problems
