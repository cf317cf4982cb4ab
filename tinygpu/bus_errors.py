# SPDX-License-Identifier: MIT
"""Error responses on the AXI port: the faults a test injects, and the one line that names
what the GPU was doing when a launch ended on one.

An AXI slave may answer a transaction with SLVERR or DECERR. gpu_axi.sv never uses such an
answer as data or as an instruction: the launch ends (`done` rises once the transactions
in flight are answered) and `memory_error*` name the failed line and its side. The
simulation harness injects such answers on request (`Fault`, gpu_harness.sv's
cfg_fault_*) and logs what the GPU reported (its "E" line, `BusError`).

`bus_error_line` turns that into one line with the instruction and threads that caused
it. It needs no RTL state beyond the commit records: a read that failed is never
answered, so its lanes never retire the load, and each thread's first load of that line
that the ISA model retires and the RTL did not is the one that failed. A failed write was
posted (its lanes went on), so it is the first store to the line the RTL retired. A failed
program word leaves the fetch of that pc waiting, unless it was read ahead of use.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .commits import Commit
from .disassembler import disassemble

# The sides of gpu_harness.sv's cfg_fault_side and of its E line (FAULT_DATA_READ, ...).
DATA_READ, DATA_WRITE, PROGRAM_READ = 1, 2, 3
SIDE_NAMES = {DATA_READ: "data read", DATA_WRITE: "data write", PROGRAM_READ: "program read"}
# AXI's RRESP/BRESP codes of the two errors (AMBA AXI, A3.4.4).
RESPONSES = {"SLVERR": 2, "DECERR": 3}


@dataclass(frozen=True)
class Fault:
    """An error response the harness injects: every beat that carries `address` (a data
    byte, whose whole line fails, or a program word) on `side` gets `response`."""

    side: int  # DATA_READ, DATA_WRITE or PROGRAM_READ
    address: int  # the GPU's address: a data byte (0..255) or a program word (0..255)
    response: int = RESPONSES["SLVERR"]

    def __post_init__(self) -> None:
        if self.side not in SIDE_NAMES or self.response not in RESPONSES.values() or not 0 <= self.address < 256:
            raise ValueError(f"not an injectable fault: {self}")


# Each error response on each side, placed in kernels/matadd.asm: a load of A (byte 5), a
# store of C (byte 17), and its third instruction word (every thread fetches it). make
# coverage and make mutate run matadd with each (tb/test_axi_errors.py checks the lines).
MATADD_FAULTS = [
    Fault(side, address, response)
    for side, address in ((DATA_READ, 5), (DATA_WRITE, 17), (PROGRAM_READ, 2))
    for response in RESPONSES.values()
]


@dataclass(frozen=True)
class BusError:
    """What gpu_axi.sv reported at the end of a launch (the harness's E line)."""

    side: int
    axi_address: int  # the failed line's address on the AXI bus


def _waiting_at(model_commits: dict[tuple[int, int], list[Commit]], rtl_commits: list[Commit], wanted) -> list[Commit]:
    """The instruction each thread waits at, when it matches `wanted`: the first of the
    model's stream that matches and that the RTL did not retire (it retired the first n
    matching ones, in any order), for the threads that reached it (the RTL retired as many
    records as come before it in the stream; a thread that had not got there when the
    GPU stopped is not waiting for it)."""
    retired = Counter((c.block, c.thread) for c in rtl_commits)
    retired_matching = Counter((c.block, c.thread) for c in rtl_commits if wanted(c))
    waiting = []
    for key, stream in sorted(model_commits.items()):
        matching = [i for i, c in enumerate(stream) if wanted(c)]
        if len(matching) > retired_matching[key]:
            index = matching[retired_matching[key]]
            if retired[key] >= index:
                waiting.append(stream[index])
    return waiting


def _threads(commits: list[Commit]) -> str:
    """'block 0 threads 0-3, block 1 thread 2': the threads of these records, by block."""
    by_block: dict[int, list[int]] = {}
    for c in commits:
        by_block.setdefault(c.block, []).append(c.thread)
    parts = []
    for block, threads in sorted(by_block.items()):
        threads = sorted(set(threads))
        if len(threads) == 1:
            parts.append(f"block {block} thread {threads[0]}")
        elif threads == list(range(threads[0], threads[-1] + 1)):
            parts.append(f"block {block} threads {threads[0]}-{threads[-1]}")
        else:
            parts.append(f"block {block} threads {', '.join(map(str, threads))}")
    return ", ".join(parts)


def bus_error_line(
    error: BusError,
    config,
    program: list[int],
    model_commits: dict[tuple[int, int], list[Commit]],
    rtl_commits: list[Commit],
    *,
    cycles: int,
) -> str:
    """One line: which side failed where, and the instruction and threads behind it."""
    side = SIDE_NAMES.get(error.side, f"side {error.side}")
    head = f"AXI ERROR, the launch ended at cycle {cycles}: the slave answered a {side} with an error"
    if error.side == PROGRAM_READ:
        pc = (error.axi_address - config.parameter("PROGRAM_BASE")) // 2
        word = program[pc] if 0 <= pc < len(program) else 0
        culprits = _waiting_at(model_commits, rtl_commits, lambda c: c.pc == pc)
        what = f"{head}: program word {pc} (AXI address 0x{error.axi_address:x}), {disassemble(word)}"
        if not culprits:
            return f"{what}; no thread had reached it (it was read ahead)"
        return f"{what}, fetched for {_threads(culprits)}"
    size = config.parameter("DATA_LINE_BYTES")
    first = error.axi_address - config.parameter("DATA_BASE")
    span = range(first, first + size)
    what = f"{head}: data bytes {span.start}..{span.stop - 1} (AXI address 0x{error.axi_address:x})"
    if error.side == DATA_READ:
        culprits = _waiting_at(model_commits, rtl_commits, lambda c: c.mem_op == "R" and c.mem_addr in span)
    else:
        # Writes are posted and answered in order: the first store to the line failed.
        stores = sorted((c for c in rtl_commits if c.mem_op == "W" and c.mem_addr in span), key=lambda c: c.cycle)
        culprits = [c for c in stores if (c.cycle, c.core) == (stores[0].cycle, stores[0].core)]
    if not culprits:
        return f"{what}; no instruction of the kernel accessed it"
    instruction = culprits[0]
    same = [c for c in culprits if c.pc == instruction.pc]
    return f"{what}, by {disassemble(instruction.instr)} at pc {instruction.pc} of {_threads(same)}"


def reported_address(fault: Fault, config) -> int:
    """The AXI address gpu_axi reports for this fault: its data line's, or its program word's."""
    if fault.side == PROGRAM_READ:
        return config.parameter("PROGRAM_BASE") + 2 * fault.address
    return config.parameter("DATA_BASE") + fault.address - fault.address % config.parameter("DATA_LINE_BYTES")


def fault_problems(result, problems: list[str]) -> list[str]:
    """What is wrong with a launch that had a fault injected (result.job.fault), given what
    tinygpu.checks.check_run said of it ([] when the GPU handled it): the launch must end,
    report the injected side and address, get the one AXI ERROR line, and use nothing of
    the failed answer (no load retired with the failed line, no failed write in memory,
    the failed instruction word never executed)."""
    fault, config = result.job.fault, result.config
    label = f"{SIDE_NAMES[fault.side]} error at {fault.address}"
    if result.timed_out or not result.done:
        return [f"{label}: the launch did not end"]
    expected = BusError(fault.side, reported_address(fault, config))
    if result.bus_error != expected:
        return [f"{label}: the GPU reported {result.bus_error}, not {expected}"]
    if len(problems) != 1 or "AXI ERROR" not in problems[0]:
        return [f"{label}: not the one AXI ERROR line: {problems}"]
    if fault.side == PROGRAM_READ:
        used = [c for c in result.commits if c.pc == fault.address]
    else:
        first = expected.axi_address - config.parameter("DATA_BASE")
        line = range(first, first + config.parameter("DATA_LINE_BYTES"))
        if fault.side == DATA_WRITE:
            changed = [b for b in line if result.memory[b] != result.job.memory[b]]
            return [f"{label}: the failed write changed bytes {changed}"] if changed else []
        used = [c for c in result.commits if c.mem_op == "R" and c.mem_addr in line]
    return [f"{label}: retired with the failed answer: {used[0]}"] if used else []
