# SPDX-License-Identifier: MIT
"""Render the harness's per-cycle trace and commit logs as readable text.

For every cycle in which a core is busy: what it does (an instruction executes, or
why none does), the executing warp, PC and instruction, and which threads are active;
when threads retire an instruction, what each wrote. Every few hundred lines, and at each
block's end, the register values of each thread (rebuilt from the commit records, which
hold the RTL's own values).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from .disassembler import disassemble
from .isa import NUM_GENERAL_REGISTERS, PC_MASK, Opcode, decode
from .waveform import rtl_enums


class TraceLine(NamedTuple):
    """One line of the harness's trace: what one core did in one cycle."""

    cycle: int
    core: int
    activity: str  # core_activity.activity_e without its A_ prefix: EXECUTE, FETCH_WAIT, ...
    warp: int  # warp, pc, instr and active: the instruction in EXECUTE, if any
    pc: int
    instr: int
    active: int


class AxiLine(NamedTuple):
    """One cycle of the AXI port (its trace has one per cycle): transactions in flight,
    counted by the harness from the handshakes (address accepted to last beat answered)."""

    cycle: int
    data_reads: int
    data_writes: int
    program_bursts: int


def _hex(field: str) -> int:
    # The instruction word is unknown (x) in cycles where nothing executes.
    return int(field, 16) if all(ch in "0123456789abcdefABCDEF" for ch in field) else 0


def _tagged_fields(trace_log: Path, tag: str, names: tuple[str, ...]) -> list[list[str]]:
    """The fields after the job number of every `tag` line that has one per name."""
    lines = []
    for line in Path(trace_log).read_text().splitlines():
        fields = line.split()
        if len(fields) == 2 + len(names) and fields[0] == tag:
            lines.append(fields[2:])
    return lines


def read_trace(trace_log: Path) -> list[TraceLine]:
    """Every "T" line of a trace log (tb/hdl/gpu_harness.sv writes them), parsed."""
    names = {value: name.removeprefix("A_") for value, name in rtl_enums()["core_activity.activity_e"].values.items()}
    lines = []
    for cycle, core, activity, warp, pc, instr, active in _tagged_fields(trace_log, "T", TraceLine._fields):
        lines.append(
            TraceLine(
                _hex(cycle),
                _hex(core),
                names.get(_hex(activity), f"?{activity}"),
                _hex(warp),
                _hex(pc),
                _hex(instr),
                _hex(active),
            )
        )
    return lines


def read_axi_trace(trace_log: Path) -> list[AxiLine]:
    """Every "A" line of a trace log (a run on the AXI port; none on tiny-gpu's), parsed."""
    return [AxiLine(*(_hex(field) for field in fields)) for fields in _tagged_fields(trace_log, "A", AxiLine._fields)]


def render_trace(trace_log: Path, commits: list, config) -> str:
    threads = config.threads_per_block
    commits_at: dict[tuple[int, int], list] = defaultdict(list)
    for commit in commits:
        commits_at[(commit.cycle, commit.core)].append(commit)
    registers: dict[tuple[int, int, int], list[int]] = {}  # (core, block, thread) -> R0..R12

    out = [
        "# cycle core activity     warp  pc  instruction                 active   (per-thread results)",
        f"# {config.num_cores} cores x {config.warps_per_core} warps x {threads} threads; active mask bit t"
        " = thread t of the warp's block; results are shown in the cycle the threads retire",
    ]
    for cycle, core, activity, warp, pc, instr, active in read_trace(trace_log):
        if activity == "IDLE":
            continue
        executing = activity == "EXECUTE"
        mask = "".join("1" if active >> t & 1 else "." for t in range(threads)) if executing else "-"
        shown = disassemble(instr) if executing else "-"
        where = f"{warp:4d} {pc:3d}" if executing else f"{'-':>4s} {'-':>3s}"
        row = f"{cycle:7d} {core:4d} {activity:<12s} {where}  {shown:<26s}  {mask:<8s}"
        retired = commits_at.get((cycle, core), [])
        if retired:
            notes = []
            for commit in retired:
                regs = registers.setdefault((core, commit.block, commit.thread), [0] * NUM_GENERAL_REGISTERS)
                if commit.rd is not None:
                    regs[commit.rd] = commit.rd_value
                note = f"t{commit.thread}:"
                if commit.rd is not None:
                    note += f"R{commit.rd}={commit.rd_value}"
                if commit.mem_op == "R":
                    note += f"<-[{commit.mem_addr}]"
                elif commit.mem_op == "W":
                    note += f"[{commit.mem_addr}]={commit.mem_data}"
                if commit.shared_op == "R":
                    note += f"<-shared[{commit.shared_addr}]"
                elif commit.shared_op == "W":
                    note += f"shared[{commit.shared_addr}]={commit.shared_data}"
                if commit.barrier:
                    note += "released"
                opcode = decode(commit.instr).opcode
                if opcode == Opcode.CMP:
                    note += f"nzp={commit.nzp:03b}"
                if commit.next_pc != (commit.pc + 1) & PC_MASK and opcode != Opcode.RET:
                    note += f"->{commit.next_pc}"
                if opcode == Opcode.RET:
                    note += "RET"
                notes.append(note)
            row += "  " + " ".join(notes)
            if any(decode(c.instr).opcode == Opcode.RET for c in retired):
                for commit in retired:
                    regs = registers[(core, commit.block, commit.thread)]
                    row += f"\n{'':13s}block {commit.block} thread {commit.thread} registers: " + " ".join(
                        f"R{i}={v}" for i, v in enumerate(regs)
                    )
        out.append(row)
    return "\n".join(out) + "\n"
