# SPDX-License-Identifier: MIT
"""Faults planted in the RTL itself are named at the instruction that did them.

Each fault is one exact text edit in a copy of rtl/ (tinygpu.rtl_patch; the real RTL is
never touched, so nothing of this reaches synthesis). The probe kernel below runs on the
faulty GPU on both simulators, and the lock-step report must name the faulting
instruction: its PC, the thread, and the commit-record field that differs. That is only
possible because the commit port reports effects (the register file's write port, the
NZP and PC flops, the request on the memory bus), not the instruction's operands.

Several faults hit one thread only, so the report must also get the thread right.

make test plants every fault on Icarus (a patched copy builds there in about a second;
each Verilator build of a patched copy costs tens of seconds of CPU; tb/test_random_init.py
shows in make test that a planted fault fails the Verilator flow too). make test-all
(GPU_ALL_CONFIGS=1) plants every fault on both simulators.

The AXI port's data master gets faults of its own (AXI_FAULTS), planted on the `axi`
configuration under a probe of its own: a wrong write strobe, a loaded byte handed to the
wrong lane, and a read answer handed to the lanes of another transaction. The records
report each thread's request (its byte and address), not the line on the bus, so a
fault in the line's handling shows at the thread whose byte it spoils: for the strobe,
the byte the write left unwritten is seen by the load that reads it back, and the
final-memory diff names the byte. One fault is the data cache's: a store that does not
update its core's cached line, seen by the load that hits that line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tinygpu.assembler import assemble
from tinygpu.checks import check_run, guarded_memory
from tinygpu.configs import get_config, whole_suite
from tinygpu.disassembler import disassemble
from tinygpu.harness import Job, run_jobs
from tinygpu.paths import RTL_DIR
from tinygpu.rtl_patch import RtlEdit, patched_rtl
from tinygpu.sim import SIMULATORS, SimulationError

CONFIG = get_config("default")

PROBE = """
; One block of 4 threads; every line is the first to exercise one planted fault.
.threads 4
    CONST R1, #20              ; 0
    ADD   R6, R1, %threadIdx   ; 1  R6 = 20 + tid
    CONST R3, #7               ; 2
    STR   R6, R3               ; 3  mem[20 + tid] = 7
    STS   %threadIdx, R6       ; 4  shared[tid] = 20 + tid
    CONST R2, #0               ; 5
    CMP   %threadIdx, R2       ; 6  thread 0: Z, threads 1-3: P
    BRz   ZERO                 ; 7  taken by thread 0
    BAR                        ; 8  threads 1-3 wait here first
    BRnzp JOIN                 ; 9
ZERO:
    STS   R2, R3               ; 10 thread 0 alone: shared[0] = 7
    BAR                        ; 11 releases all four (a different BAR)
JOIN:
    CONST R5, #3               ; 12
    SUB   R5, R5, %threadIdx   ; 13 R5 = 3 - tid
    LDS   R7, R5               ; 14 R7 = shared[3 - tid]: thread 3 gets thread 0's 7
    CMP   %threadIdx, R2       ; 15
    BRp   OTHERS               ; 16 taken by threads 1-3
    RET                        ; 17
OTHERS:
    CONST R4, #4               ; 18
    MUL   R4, R4, %threadIdx   ; 19 R4 = 4 * tid: bytes 4, 8, 12, all in shared bank 0
    STS   R4, R6               ; 20 three lanes, one bank: a bank conflict (replayed)
    LDS   R7, R4               ; 21 read back, in conflict again
    LDR   R8, R6               ; 22 R8 = mem[20 + tid] = 7 (stored at 3)
    CONST R10, #1              ; 23 independent: runs while the load is out
    ADD   R9, R10, R8          ; 24 needs the load: the scoreboard holds it
    RET                        ; 25
"""


@dataclass(frozen=True)
class Fault:
    name: str
    edit: RtlEdit
    pc: int  # where the lock-step report must point
    thread: int
    fields: frozenset[str]  # the differing fields it must name


FAULTS = [
    Fault(
        "wrong_destination_register",
        RtlEdit(
            "thread_context.sv",
            "assign rd_index     = load_complete ? load_rd : decoded.rd;",
            "assign rd_index     = load_complete ? load_rd : ((decoded.rd == 4'd6) ? 4'd8 : decoded.rd);",
        ),
        pc=1,
        thread=0,
        fields=frozenset({"rd"}),
    ),
    Fault(
        "dropped_register_write",
        RtlEdit(
            "thread_context.sv",
            "assign write_enable = (exec_commit && decoded.writes_rd) || load_complete;",
            "assign write_enable = (exec_commit && decoded.writes_rd && (decoded.rd != 4'd3 || THREAD_IDX != 1))"
            " || load_complete;",
        ),
        pc=2,
        thread=1,
        fields=frozenset({"rd", "rd_value"}),
    ),
    Fault(
        "wrong_store_address",
        RtlEdit(
            "lsu.sv",
            "address_d     = starting ? address    :",
            "address_d     = starting ? ((start_store && address == 8'd22) ? 8'd23 : address) :",
        ),
        pc=3,
        thread=2,
        fields=frozenset({"mem_addr"}),
    ),
    Fault(
        "wrong_store_data",
        RtlEdit(
            "lsu.sv",
            "store_data_d  = starting ? store_data :",
            "store_data_d  = starting ? ((address == 8'd23) ? (store_data ^ 8'h01) : store_data) :",
        ),
        pc=3,
        thread=3,
        fields=frozenset({"mem_data"}),
    ),
    Fault(
        "wrong_nzp",
        RtlEdit(
            "pc_unit.sv",
            "assign nzp_next = is_cmp ? compare_nzp : nzp_q;",
            "assign nzp_next = is_cmp ? {compare_nzp[0], compare_nzp[1], compare_nzp[2]} : nzp_q;",
        ),
        pc=6,
        thread=1,
        fields=frozenset({"nzp"}),
    ),
    Fault(
        "wrong_branch_target",
        RtlEdit("pc_unit.sv", "? branch_target", "? branch_target + 1'b1"),
        pc=7,
        thread=0,
        fields=frozenset({"next_pc"}),
    ),
    Fault(
        "wrong_shared_address",
        RtlEdit(
            "shared_memory.sv",
            "assign address[t]       = ADDR_BITS'(rs_value[t] % BYTES);",
            "assign address[t]       = ADDR_BITS'(rs_value[t] % BYTES) ^ ADDR_BITS'(t == 2);",
        ),
        pc=4,
        thread=2,
        fields=frozenset({"shared_addr"}),
    ),
    Fault(
        "wrong_shared_read_data",
        RtlEdit(
            "shared_memory.sv",
            "assign read_data[t] = bank_read_data[bank];",
            "assign read_data[t] = DATA_BITS'(t == 1) ^ bank_read_data[bank];",
        ),
        pc=14,
        thread=1,
        fields=frozenset({"rd_value", "shared_data"}),
    ),
    Fault(
        "bank_conflict_not_replayed",
        RtlEdit("shared_memory.sv", "&& (int'(bank_lane[bank]) == t", "&& (1'b1 || int'(bank_lane[bank]) == t"),
        pc=21,
        thread=2,
        fields=frozenset({"rd_value", "shared_data"}),
    ),
    # Two fields of the commit record swapped where the RTL drives them: the record's
    # one definition (gpu_pkg.sv) does not protect against that, the lock-step check does.
    Fault(
        "commit_fields_swapped",
        RtlEdit(
            "commit_capture.sv",
            "assign record.mem_address    = bus_address[bus_slot];\n"
            "      assign record.mem_data       = bus_data[bus_slot];",
            "assign record.mem_address    = bus_data[bus_slot];\n"
            "      assign record.mem_data       = bus_address[bus_slot];",
        ),
        pc=3,
        thread=0,
        fields=frozenset({"mem_addr", "mem_data"}),
    ),
    # (barrier_released_before_all_arrive, below, leaves every thread's own records right)
]

# Counters that count the wrong thing: the records are right, the counter check is not.
COUNTER_FAULTS = {
    # STS accesses counted as LDS accesses too.
    "shared_loads": RtlEdit(
        "core_activity.sv",
        ".shared_loads    (count_ones(SLOTS'(shared_read))),",
        ".shared_loads    (count_ones(SLOTS'(shared_read | shared_write))),",
    ),
    # A counter stuck at all ones.
    "icache_hits": RtlEdit("perf_counters.sv", "counters.icache_hits + COUNTER_BITS'(issued);", "'1;"),
}

# The scoreboard's predecode forgets that ADD reads Rt: the ADD at pc 24 runs while the
# LDR at pc 22 has still to write its R8. The core's scoreboard assertion, built from the
# decoder's fields rather than from that predecode, names it at once (lock-step would
# name the ADD's rd_value, but the failed assertion ends the run first on Verilator).
SCOREBOARD_MISSES_RT = RtlEdit(
    "gpu_pkg.sv", "if (reads_rt  && int'(word[3:0])", "if (reads_rt  && word[15:12] != OP_ADD && int'(word[3:0])"
)

# The barrier lets threads 1-3 go on without waiting for thread 0 at its BAR. Every
# thread's own records are still right here (the smallest-PC rule runs thread 0's store
# before threads 1-3 read), so lock-step cannot see it: the release check does (the
# block's first release came in two pieces).
EARLY_RELEASE = RtlEdit(
    "warp.sv",
    "if (waiting_after != '0 && (live_d & ~waiting_after) == '0) begin",
    "if (waiting_after != '0 && (live_d & ~waiting_after & ~THREADS_PER_BLOCK'(1)) == '0) begin",
)


# ------------------------------------------------------------------ the AXI port
AXI_CONFIG = get_config("axi")  # 4-byte lines

AXI_PROBE = """
; One block of 4 threads on the AXI port (4-byte lines, an 8-line data cache per core):
; a load of one line, a load split over two lines, a store of one line read back, and a
; store into a line the core's cache holds, read back from the cache. Bytes 32-51 all differ.
.threads 4
.data 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
.data 132 133 134 135 136 137 138 139 140 141 142 143 144 145 146 147 148 149 150 151
    CONST R1, #32              ; 0
    ADD   R2, R1, %threadIdx   ; 1  R2 = 32 + tid: bytes 32-35, one line
    LDR   R3, R2               ; 2  one read serves the four lanes (coalesced)
    CONST R4, #38              ; 3
    ADD   R5, R4, %threadIdx   ; 4  R5 = 38 + tid: 38, 39 | 40, 41: two lines
    LDR   R6, R5               ; 5  two reads: threads 0, 1 in the first, 2, 3 in the second
    CONST R7, #48              ; 6
    ADD   R8, R7, %threadIdx   ; 7  R8 = 48 + tid: bytes 48-51, one line
    STR   R8, R3               ; 8  one write, four byte strobes: bytes 48-51 = 132-135
    LDR   R9, R8               ; 9  read back what the store wrote
    STR   R2, R6               ; 10 bytes 32-35 (cached at pc 2) = 138-141: memory and cache
    LDR   R10, R2              ; 11 a hit: the cache's line has the store's bytes
    RET                        ; 12
"""

AXI_FAULTS = [
    # Lane 2's strobe marks the byte after its own: byte 50 keeps its 150, which thread 2
    # reads back at pc 9 instead of the 134 it stored.
    Fault(
        "axi_wrong_write_strobe",
        RtlEdit(
            "axi_data_master.sv",
            "if (lanes[t]) strobes[int'(addresses[t*DATA_BITS +: DATA_BITS]) % LINE_BYTES] = 1'b1;",
            "if (lanes[t]) strobes[(int'(addresses[t*DATA_BITS +: DATA_BITS]) + int'(t == 2)) % LINE_BYTES] = 1'b1;",
        ),
        pc=9,
        thread=2,
        fields=frozenset({"rd_value", "mem_data"}),
    ),
    # Lane 1 takes its byte from where lane 0's address points in the beat: at pc 2
    # thread 1 loads byte 32 (thread 0's) instead of byte 33.
    Fault(
        "axi_byte_to_wrong_lane",
        RtlEdit(
            "axi_data_master.sv",
            "assign offset = read_address[I*DATA_BITS +: OFFSET_BITS];",
            "assign offset = read_address[(t == 1 ? I - 1 : I)*DATA_BITS +: OFFSET_BITS];",
        ),
        pc=2,
        thread=1,
        fields=frozenset({"rd_value", "mem_data"}),
    ),
    # A read's FIFO entry names every lane of its warp still waiting, not only those in
    # its line: the first read of the split load at pc 5 (line 36-39) answers threads 2
    # and 3 too, which take bytes 36 and 37 of its beat instead of bytes 40 and 41 of the
    # second read's (whose answer then finds them answered).
    Fault(
        "axi_answer_to_another_transaction",
        RtlEdit(
            "axi_data_master.sv",
            ".entry ({read_group, read_lanes, read_line}),",
            ".entry ({read_group, read_waiting[read_group*LANES +: LANES], read_line}),",
        ),
        pc=5,
        thread=2,
        fields=frozenset({"rd_value", "mem_data"}),
    ),
    # A store does not write its bytes into its core's cached line (only memory): the
    # load at pc 11 hits the line cached at pc 2 and reads 132 where thread 0 stored 138.
    Fault(
        "axi_store_misses_its_cached_line",
        RtlEdit(
            "axi_data_master.sv",
            ".store          (write_form && int'(core_of(write_group)) == c),",
            ".store          (1'b0),",
        ),
        pc=11,
        thread=0,
        fields=frozenset({"rd_value", "mem_data"}),
    ),
]


def probe_job(source: str = PROBE) -> Job:
    program = assemble(source, filename="<fault probe>")
    return Job(
        program=program.words, memory=guarded_memory(program.data, seed=3), threads=program.threads, name="fault_probe"
    )


def lockstep_report(problems: list[str]) -> str:
    reports = [p for p in problems if "lock-step check failed" in p]
    assert len(reports) == 1, "expected one lock-step failure, got:\n" + "\n".join(problems)
    return reports[0]


@pytest.mark.parametrize(
    "edit",
    [f.edit for f in FAULTS + AXI_FAULTS] + [EARLY_RELEASE, SCOREBOARD_MISSES_RT, *COUNTER_FAULTS.values()],
    ids=[f.name for f in FAULTS + AXI_FAULTS]
    + ["barrier_released_before_all_arrive", "scoreboard_misses_rt", *(f"counter_{name}" for name in COUNTER_FAULTS)],
)
def test_fault_edit_still_applies(edit):
    """The text each fault replaces is in the RTL exactly once (else the fault tests nothing)."""
    original = (RTL_DIR / edit.file).read_text()
    assert edit.apply() != original


ALL_SIMULATORS = whole_suite()  # make test-all


def planted_on(name: str) -> list[str]:
    """The simulators a planted fault runs on: Icarus (a patched copy builds in about a
    second), and Verilator too in make test-all (each patched Verilator build costs tens
    of seconds of CPU)."""
    return list(SIMULATORS) if ALL_SIMULATORS else ["icarus"]


@pytest.mark.sim
@pytest.mark.parametrize("sim", planted_on("barrier_released_before_all_arrive"))
def test_barrier_released_in_pieces_is_caught(sim, tmp_path):
    rtl_dir = patched_rtl(EARLY_RELEASE, "barrier_released_before_all_arrive")
    result = run_jobs(sim, CONFIG, [probe_job()], tmp_path, rtl_dir=rtl_dir)[0]
    problems = check_run(
        result, block_dim=CONFIG.threads_per_block, shared_bytes=CONFIG.shared_mem_bytes, label="early release"
    )
    assert [p for p in problems if "lock-step" in p] == [], problems
    assert len(problems) == 1 and "block 0: barrier release #1 came in pieces" in problems[0], problems


@pytest.mark.sim
@pytest.mark.parametrize("sim", SIMULATORS)
@pytest.mark.parametrize(("config", "probe"), [(CONFIG, PROBE), (AXI_CONFIG, AXI_PROBE)], ids=["default", "axi"])
def test_probe_kernel_passes_on_the_real_rtl(config, probe, sim, tmp_path):
    result = run_jobs(sim, config, [probe_job(probe)], tmp_path)[0]
    problems = check_run(
        result, block_dim=config.threads_per_block, shared_bytes=config.shared_mem_bytes, label="probe"
    )
    assert not problems, "\n".join(problems)


def run_planted(fault: Fault, sim: str, config, probe: str, work_dir) -> list[str]:
    """The problems check_run finds when `probe` runs on `config` with `fault` planted."""
    rtl_dir = patched_rtl(fault.edit, fault.name)
    result = run_jobs(sim, config, [probe_job(probe)], work_dir, rtl_dir=rtl_dir)[0]
    return check_run(result, block_dim=config.threads_per_block, shared_bytes=config.shared_mem_bytes, label=fault.name)


def assert_named_at_its_instruction(report: str, fault: Fault, probe: str) -> None:
    """The lock-step report names the fault's PC (with its disassembly), thread and fields."""
    where = re.search(
        r"first wrong instruction: cycle \d+, core \d+, block (\d+), thread (\d+), "
        r"instruction #\d+ of this thread: pc (\d+) \((.*)\)\n",
        report,
    )
    assert where, report
    expected_pc = re.search(r"expected: pc=\s*(\d+)", report)
    fields = re.search(r"differing fields: (.*)", report)
    assert (int(where.group(1)), int(where.group(2))) == (0, fault.thread), report
    assert int(where.group(3)) == int(expected_pc.group(1)) == fault.pc, report
    assert where.group(4) == disassemble(probe_job(probe).program[fault.pc]), report
    assert frozenset(f.strip() for f in fields.group(1).split(",")) == fault.fields, report


@pytest.mark.sim
@pytest.mark.parametrize(
    ("fault", "sim"),
    [(fault, sim) for fault in FAULTS for sim in planted_on(fault.name)],
    ids=lambda value: value if isinstance(value, str) else value.name,
)
def test_planted_fault_is_named_at_its_instruction(fault, sim, tmp_path):
    report = lockstep_report(run_planted(fault, sim, CONFIG, PROBE, tmp_path))
    assert_named_at_its_instruction(report, fault, PROBE)


@pytest.mark.sim
@pytest.mark.parametrize(
    ("fault", "sim"),
    [(fault, sim) for fault in AXI_FAULTS for sim in planted_on(fault.name)],
    ids=lambda value: value if isinstance(value, str) else value.name,
)
def test_planted_axi_fault_is_named_at_its_instruction(fault, sim, tmp_path):
    """On the `axi` configuration (Icarus in make test, both simulators in make test-all)."""
    problems = run_planted(fault, sim, AXI_CONFIG, AXI_PROBE, tmp_path)
    assert_named_at_its_instruction(lockstep_report(problems), fault, AXI_PROBE)
    if fault.name == "axi_wrong_write_strobe":  # the byte the write left: 150 where 134 was stored
        assert any("address 50 (0x32): expected 134 (0x86), got 150 (0x96)" in p for p in problems), problems


@pytest.mark.sim
@pytest.mark.parametrize("sim", planted_on("scoreboard_misses_rt"))
def test_scoreboard_that_misses_a_source_fails_the_assertion(sim, tmp_path):
    rtl_dir = patched_rtl(SCOREBOARD_MISSES_RT, "scoreboard_misses_rt")
    with pytest.raises(SimulationError) as failure:
        run_jobs(sim, CONFIG, [probe_job()], tmp_path, rtl_dir=rtl_dir)
    message = str(failure.value)
    assert re.search(r"core: warp \d+ executes pc 24, which needs R8 before its load wrote it", message), message


@pytest.mark.sim
@pytest.mark.parametrize(
    ("counter", "sim"), [(counter, sim) for counter in COUNTER_FAULTS for sim in planted_on(f"counter_{counter}")]
)
def test_counter_fault_is_caught(counter, sim, tmp_path):
    """A counter that counts wrong fails the counter check, by name; the records stay right."""
    rtl_dir = patched_rtl(COUNTER_FAULTS[counter], f"counter_{counter}")
    result = run_jobs(sim, CONFIG, [probe_job()], tmp_path, rtl_dir=rtl_dir)[0]
    problems = check_run(
        result, block_dim=CONFIG.threads_per_block, shared_bytes=CONFIG.shared_mem_bytes, label=f"counter_{counter}"
    )
    assert problems and all(f"counter {counter} is" in p for p in problems), problems
