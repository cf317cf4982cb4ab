# SPDX-License-Identifier: MIT
"""Commit records: what one thread's retired instruction did. One type for both sides.

The ISA model (tinygpu.model) produces them from the program's meaning; the RTL reports
them through each core's commit port, which the simulation harness logs one line per
thread per retired instruction. The RTL's fields are effects, the way RVFI reports them
for RISC-V cores, never rebuilt from the instruction word:

- ``next_pc`` and ``nzp``: what the thread's PC and NZP flops took;
- ``rd`` / ``rd_value``: the register file's write port (None when it wrote nothing);
- ``mem_op`` / ``mem_addr`` / ``mem_data``: the request the thread's LSU put on the
  data-memory port ('R' or 'W'; the byte written, or the byte memory returned);
- ``shared_op`` / ``shared_addr`` / ``shared_data``: the access its lane made at the
  shared memory's port (LDS 'R', STS 'W'; the address after the wrap to its size);
- ``barrier``: the thread left a BAR because its warp released the barrier.

Each RTL record also carries ``order``, the instruction's number in its warp's stream
(as RVFI's rvfi_order): a load or store retires when memory has answered, after the
independent instructions its warp went on with (the scoreboard), so a thread's records
are in program order only once sorted by it (`in_program_order`). It is not compared.

The RTL's record is gpu_pkg.sv's ``commit_t``; the harness logs it as
``C job cycle core warp thread BITS`` (numbers in hex, the record in binary), and
tinygpu.records names its bits from the package's declaration. A field with X or Z bits
reads as UNKNOWN (-1), which matches no model value.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .records import RecordLayout, commit_layout


@dataclass(frozen=True)
class Commit:
    """One instruction retired by one thread (see "Commit records" in docs/isa.md)."""

    block: int  # %blockIdx
    thread: int  # %threadIdx
    pc: int
    instr: int  # the 16-bit word executed (0 beyond the end of the program)
    next_pc: int  # PC after the instruction; RET keeps its own pc
    nzp: int  # NZP after the instruction
    rd: int | None = None  # register written; None when no register is written
    rd_value: int | None = None
    mem_op: str | None = None  # 'R' (a read), 'W' (a write), 'RW' (both: always wrong), None
    mem_addr: int | None = None
    mem_data: int | None = None  # the byte loaded or stored
    shared_op: str | None = None  # 'R' (LDS), 'W' (STS), 'RW' (both: always wrong), None
    shared_addr: int | None = None
    shared_data: int | None = None
    barrier: bool = False  # retired by a barrier release
    cycle: int = 0  # where and when it retired (RTL only; the model leaves 0)
    core: int = 0
    order: int = 0  # the instruction's number in its warp's stream (RTL only)


# Fields the RTL must match exactly (everything but where and when).
COMPARED_FIELDS = (
    "pc",
    "instr",
    "next_pc",
    "nzp",
    "rd",
    "rd_value",
    "mem_op",
    "mem_addr",
    "mem_data",
    "shared_op",
    "shared_addr",
    "shared_data",
    "barrier",
)

_LINE_FIELDS = 7  # "C", job, cycle, core, warp, thread and the record


def parse_commit_line(line: str, layout: RecordLayout | None = None) -> tuple[int, Commit]:
    """(job id, record) of one commit line; ValueError when the line is malformed."""
    fields = line.split()
    if len(fields) != _LINE_FIELDS or fields[0] != "C":
        raise ValueError(f"malformed commit line: {line!r}")
    try:
        job, cycle, core, _warp, thread = (int(f, 16) for f in fields[1:6])
        record = (layout or commit_layout()).decode(fields[6])
    except ValueError as error:
        raise ValueError(f"malformed commit line: {line!r} ({error})") from None
    mem_op = ("R" if record["mem_read"] else "") + ("W" if record["mem_write"] else "") or None
    shared_op = ("R" if record["shared_read"] else "") + ("W" if record["shared_write"] else "") or None
    commit = Commit(
        cycle=cycle,
        core=core,
        block=record["block"],
        thread=thread,
        pc=record["pc"],
        instr=record["instr"],
        next_pc=record["next_pc"],
        nzp=record["nzp"],
        rd=record["rd"] if record["rd_written"] else None,
        rd_value=record["rd_value"] if record["rd_written"] else None,
        mem_op=mem_op,
        mem_addr=record["mem_address"] if mem_op else None,
        mem_data=record["mem_data"] if mem_op else None,
        shared_op=shared_op,
        shared_addr=record["shared_address"] if shared_op else None,
        shared_data=record["shared_data"] if shared_op else None,
        barrier=record["barrier"] == 1,
        order=record["order"],
    )
    return job, commit


def parse_commit_log(path: Path, layout: RecordLayout | None = None) -> dict[int, list[Commit]]:
    """Commit records per job id, in the order the RTL retired them."""
    by_job: dict[int, list[Commit]] = defaultdict(list)
    if not Path(path).exists():
        return {}
    layout = layout or commit_layout()
    with open(path) as log:
        for line in log:
            if line.startswith("C "):
                job, commit = parse_commit_line(line, layout)
                by_job[job].append(commit)
    return dict(by_job)


def in_program_order(commits: list[Commit]) -> dict[tuple[int, int], list[Commit]]:
    """Each thread's records, (block, thread) -> list, in program order (by `order`;
    records of one instruction keep their log order)."""
    by_thread: dict[tuple[int, int], list[Commit]] = defaultdict(list)
    for commit in commits:
        by_thread[(commit.block, commit.thread)].append(commit)
    return {key: sorted(records, key=lambda c: c.order) for key, records in by_thread.items()}
