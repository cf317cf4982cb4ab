"""Faults planted in the RTL itself are named at the instruction that did them.

Each fault is one exact text edit in a copy of rtl/ (tinygpu.rtl_patch; the real RTL is
never touched, so nothing of this reaches synthesis). The probe kernel below runs on the
faulty GPU on both simulators, and the lock-step report must name the faulting
instruction: its PC, the thread, and the commit-record field that differs. That is only
possible because the commit port reports effects (the register file's write port, the
NZP and PC flops, the request on the memory bus), not the instruction's operands.

Several faults hit one thread only, so the report must also get the thread right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tinygpu.assembler import assemble
from tinygpu.checks import check_run, guarded_memory
from tinygpu.configs import get_config
from tinygpu.disassembler import disassemble
from tinygpu.harness import Job, run_jobs
from tinygpu.paths import RTL_DIR
from tinygpu.rtl_patch import RtlEdit, patched_rtl
from tinygpu.sim import SIMULATORS

CONFIG = get_config("default")

PROBE = """
; One block of 4 threads; every line is the first to exercise one planted fault.
.threads 4
    CONST R1, #20              ; 0
    ADD   R6, R1, %threadIdx   ; 1  R6 = 20 + tid
    CONST R3, #7               ; 2
    STR   R6, R3               ; 3  mem[20 + tid] = 7
    CONST R2, #0               ; 4
    CMP   %threadIdx, R2       ; 5  thread 0: Z, threads 1-3: P
    BRp   OTHERS               ; 6  taken by threads 1-3
    RET                        ; 7
OTHERS:
    CONST R4, #1               ; 8
    RET                        ; 9
"""


@dataclass(frozen=True)
class Fault:
    name: str
    edit: RtlEdit
    pc: int  # where the lock-step report must point
    thread: int
    fields: frozenset[str]  # the differing fields it must name


FAULTS = [
    Fault("wrong_destination_register",
          RtlEdit("core.sv", "assign rf_write_index  = load_writes ? mem_rd : decoded.rd;",
                  "assign rf_write_index  = load_writes ? mem_rd : ((decoded.rd == 4'd6) ? 4'd8 : decoded.rd);"),
          pc=1, thread=0, fields=frozenset({"rd"})),
    Fault("dropped_register_write",
          RtlEdit("core.sv", "assign rf_write_enable = exec_writes || load_writes;",
                  "assign rf_write_enable = (exec_writes && (decoded.rd != 4'd3 || t != 1)) || load_writes;"),
          pc=2, thread=1, fields=frozenset({"rd", "rd_value"})),
    Fault("wrong_store_address",
          RtlEdit("lsu.sv", "address_d     = address;",
                  "address_d     = (start_store && address == 8'd22) ? 8'd23 : address;"),
          pc=3, thread=2, fields=frozenset({"mem_addr"})),
    Fault("wrong_store_data",
          RtlEdit("lsu.sv", "store_data_d  = store_data;",
                  "store_data_d  = (address == 8'd23) ? (store_data ^ 8'h01) : store_data;"),
          pc=3, thread=3, fields=frozenset({"mem_data"})),
    Fault("wrong_nzp",
          RtlEdit("pc_unit.sv", "assign nzp_next = is_cmp ? compare_nzp : nzp_q;",
                  "assign nzp_next = is_cmp ? {compare_nzp[0], compare_nzp[1], compare_nzp[2]} : nzp_q;"),
          pc=5, thread=1, fields=frozenset({"nzp"})),
    Fault("wrong_branch_target",
          RtlEdit("pc_unit.sv", "next_pc = branch_target;", "next_pc = branch_target + 1'b1;"),
          pc=6, thread=1, fields=frozenset({"next_pc"})),
]


def probe_job() -> Job:
    program = assemble(PROBE, filename="<fault probe>")
    return Job(program=program.words, memory=guarded_memory(program.data, seed=3),
               threads=program.threads, name="fault_probe")


def lockstep_report(problems: list[str]) -> str:
    reports = [p for p in problems if "lock-step check failed" in p]
    assert len(reports) == 1, "expected one lock-step failure, got:\n" + "\n".join(problems)
    return reports[0]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fault_edit_still_applies(fault):
    """The text each fault replaces is in the RTL exactly once (else the fault tests nothing)."""
    original = (RTL_DIR / fault.edit.file).read_text()
    assert fault.edit.apply() != original


@pytest.mark.sim
@pytest.mark.parametrize("sim", SIMULATORS)
def test_probe_kernel_passes_on_the_real_rtl(sim, tmp_path):
    result = run_jobs(sim, CONFIG, [probe_job()], tmp_path)[0]
    problems = check_run(result, block_dim=CONFIG.threads_per_block, label="probe")
    assert not problems, "\n".join(problems)


@pytest.mark.sim
@pytest.mark.parametrize("sim", SIMULATORS)
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_planted_fault_is_named_at_its_instruction(fault, sim, tmp_path):
    rtl_dir = patched_rtl(fault.edit, fault.name)
    result = run_jobs(sim, CONFIG, [probe_job()], tmp_path, rtl_dir=rtl_dir)[0]
    report = lockstep_report(check_run(result, block_dim=CONFIG.threads_per_block,
                                       label=fault.name))
    where = re.search(r"first wrong instruction: cycle \d+, core \d+, block (\d+), thread (\d+), "
                      r"instruction #\d+ of this thread: pc (\d+) \((.*)\)\n", report)
    assert where, report
    expected_pc = re.search(r"expected: pc=\s*(\d+)", report)
    fields = re.search(r"differing fields: (.*)", report)
    assert (int(where.group(1)), int(where.group(2))) == (0, fault.thread), report
    assert int(where.group(3)) == int(expected_pc.group(1)) == fault.pc, report
    assert where.group(4) == disassemble(probe_job().program[fault.pc]), report
    assert frozenset(f.strip() for f in fields.group(1).split(",")) == fault.fields, report
