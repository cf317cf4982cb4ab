"""Read the harness's commit log: one record per instruction a thread retired.

Line format (written by tb/hdl/gpu_harness.sv, numbers in hex):

    C job cycle core block thread pc instr next_pc nzp rd_written rd_value mem_addr mem_data

The register written and the memory operation are read from the instruction word's
fields; whether the register file accepted the write and every value come from the RTL.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .func_coverage import RtlCommit
from .isa import Opcode

MEMORY_OPS = {Opcode.LDR: "R", Opcode.STR: "W"}


def parse_commit_line(line: str) -> tuple[int, RtlCommit]:
    fields = line.split()
    if len(fields) != 14 or fields[0] != "C":
        raise ValueError(f"malformed commit line: {line!r}")
    (job, cycle, core, block, thread, pc, instr, next_pc, nzp,
     rd_written, rd_value, mem_addr, mem_data) = (int(f, 16) for f in fields[1:])
    opcode = instr >> 12
    mem_op = MEMORY_OPS.get(opcode)
    commit = RtlCommit(
        cycle=cycle,
        core=core,
        block=block,
        thread=thread,
        pc=pc,
        instr=instr,
        next_pc=next_pc,
        nzp=nzp,
        rd=(instr >> 8) & 0xF if rd_written else None,
        rd_value=rd_value if rd_written else None,
        mem_op=mem_op,
        mem_addr=mem_addr if mem_op else None,
        mem_data=mem_data if mem_op else None,
    )
    return job, commit


def parse_commit_log(path: Path) -> dict[int, list[RtlCommit]]:
    """Commit records per job id, in the order the RTL retired them."""
    by_job: dict[int, list[RtlCommit]] = defaultdict(list)
    if not Path(path).exists():
        return {}
    with open(path) as log:
        for line in log:
            if line.startswith("C "):
                job, commit = parse_commit_line(line)
                by_job[job].append(commit)
    return dict(by_job)
