"""Render the harness's per-cycle trace and commit logs as readable text.

For every cycle in which a core is busy: its state, the PC and instruction being
issued, and which threads are active; when threads retire an instruction, what each
wrote. Every few hundred lines, and at each block's end, the register values of
each thread (rebuilt from the commit records, which hold the RTL's own values).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .disassembler import disassemble
from .isa import NUM_GENERAL_REGISTERS, PC_MASK, Opcode, decode
from .waveform import rtl_enums


def render_trace(trace_log: Path, commits: list, config) -> str:
    threads = config.threads_per_block
    commits_at: dict[tuple[int, int], list] = defaultdict(list)
    for commit in commits:
        commits_at[(commit.cycle, commit.core)].append(commit)
    registers: dict[tuple[int, int, int], list[int]] = {}  # (core, block, thread) -> R0..R12

    state_names = {value: name.removeprefix("S_")
                   for value, name in rtl_enums()["scheduler.state_e"].values.items()}
    out = [
        "# cycle core state     pc  instruction                 active   (per-thread results)",
        f"# {config.num_cores} cores x {threads} threads; active mask bit t = thread t of the core's block",
    ]
    for line in Path(trace_log).read_text().splitlines():
        fields = line.split()
        if len(fields) != 8 or fields[0] != "T":
            continue
        _, _job, cycle, core, state, pc, instr, active = fields
        cycle, core, pc, instr, active = int(cycle, 16), int(core, 16), int(pc, 16), int(instr, 16), int(active, 16)
        state = state_names.get(int(state, 16), f"?{state}")
        if state == "IDLE":
            continue
        mask = "".join("1" if active >> t & 1 else "." for t in range(threads))
        shown = disassemble(instr) if state in ("EXECUTE", "MEMORY") else "-"
        row = f"{cycle:7d} {core:4d} {state:<8s} {pc:3d}  {shown:<26s}  {mask:<8s}"
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
                    row += (f"\n{'':13s}block {commit.block} thread {commit.thread} registers: "
                            + " ".join(f"R{i}={v}" for i, v in enumerate(regs)))
        out.append(row)
    return "\n".join(out) + "\n"
