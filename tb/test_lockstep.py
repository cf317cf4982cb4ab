# SPDX-License-Identifier: MIT
"""The lock-step comparison and the commit-line parser, without a simulator.

The RTL side is played by the model's own records, given a cycle and a core and with
one field altered: the report must name that field, and where it happened (cycle, core,
block, thread, pc and disassembly). Every field of a commit record is either compared
or one of the four that say where and when, so a field added later cannot go unchecked.
"""

from __future__ import annotations

import dataclasses

import pytest

from tinygpu.assembler import assemble
from tinygpu.commits import COMPARED_FIELDS, Commit, parse_commit_line
from tinygpu.disassembler import disassemble
from tinygpu.lockstep import barrier_release_problems, compare_commits
from tinygpu.model import run_kernel
from tinygpu.records import UNKNOWN, commit_layout

# Loads, stores, shared memory, a barrier, a compare, a taken branch and register
# writes: every field gets a value.
SOURCE = """
.threads 2
    CONST R1, #9
    LDR   R2, R1
    ADD   R3, R2, %threadIdx
    STR   R1, R3
    STS   %threadIdx, R3
    BAR
    LDS   R5, %threadIdx
    CMP   R3, R1
    BRp   DONE
    CONST R4, #1
DONE:
    RET
"""
BLOCK_DIM = 2
MEMORY = [0] * 9 + [33]

# Fields that place a record instead of describing its effect: block and thread pair it
# with the model's record; cycle and core exist only on the RTL side.
PLACEMENT_FIELDS = {"block", "thread", "cycle", "core", "order"}


def model_commits():
    program = assemble(SOURCE)
    return run_kernel(program.words, MEMORY, program.threads, BLOCK_DIM).commits


def as_rtl(model: dict) -> list[Commit]:
    """The model's records as the RTL would log them: interleaved, with cycle and core."""
    records = []
    for (block, thread), trace in model.items():
        for index, commit in enumerate(trace):
            records.append(dataclasses.replace(commit, cycle=10 * index + thread, core=block, order=index))
    return sorted(records, key=lambda c: c.cycle)


def altered(value):
    if value is None:
        return 5
    if isinstance(value, str):
        return "W" if value == "R" else "R"
    return value + 1


def test_every_record_field_is_compared_or_places_the_record():
    fields = {f.name for f in dataclasses.fields(Commit)}
    assert fields == set(COMPARED_FIELDS) | PLACEMENT_FIELDS
    assert not set(COMPARED_FIELDS) & PLACEMENT_FIELDS


def test_identical_records_match():
    model = model_commits()
    report = compare_commits(model, as_rtl(model))
    assert report.mismatch is None
    assert report.compared == sum(len(trace) for trace in model.values())


@pytest.mark.parametrize("field", COMPARED_FIELDS)
def test_each_field_is_compared_and_named_with_its_place(field):
    model = model_commits()
    rtl = as_rtl(model)
    # The first record of thread 1 where the field has a value, with only that field changed.
    index = next(i for i, c in enumerate(rtl) if c.thread == 1 and getattr(c, field) is not None)
    bad = rtl[index]
    rtl[index] = dataclasses.replace(bad, **{field: altered(getattr(bad, field))})

    mismatch = compare_commits(model, rtl).mismatch
    assert mismatch is not None, f"a changed {field} went unnoticed"
    header, expected, actual, differing = mismatch.splitlines()
    assert header == (
        f"first wrong instruction: cycle {bad.cycle}, core {bad.core}, block 0, "
        f"thread 1, instruction #{sum(1 for c in rtl[:index] if c.thread == 1)} of "
        f"this thread: pc {bad.pc} ({disassemble(bad.instr)})"
    )
    assert expected.startswith(f"  expected: pc={bad.pc:3d} {disassemble(bad.instr)}")
    assert differing == f"  differing fields: {field}"


def test_the_earliest_mismatch_by_cycle_is_reported():
    model = model_commits()
    rtl = as_rtl(model)
    late = max(i for i, c in enumerate(rtl) if c.thread == 0 and c.rd is not None)
    early = min(i for i, c in enumerate(rtl) if c.thread == 1 and c.rd is not None)
    for i in (late, early):
        rtl[i] = dataclasses.replace(rtl[i], rd_value=rtl[i].rd_value + 1)
    assert f"cycle {rtl[early].cycle}, core 0, block 0, thread 1" in compare_commits(model, rtl).mismatch


def test_a_load_retiring_after_later_instructions_is_put_back_by_its_order_number():
    model = model_commits()
    rtl = as_rtl(model)
    # Thread 0's LDR (its record #1) retires after its next two instructions.
    load = next(i for i, c in enumerate(rtl) if c.thread == 0 and c.order == 1)
    rtl[load] = dataclasses.replace(rtl[load], cycle=rtl[load].cycle + 25)
    rtl.sort(key=lambda c: c.cycle)
    assert compare_commits(model, rtl).mismatch is None


def test_two_records_with_one_order_number_are_reported():
    model = model_commits()
    rtl = as_rtl(model)
    second = next(i for i, c in enumerate(rtl) if c.thread == 1 and c.order == 2)
    rtl[second] = dataclasses.replace(rtl[second], order=1)
    assert "block 0, thread 1: two records carry order number 1" in compare_commits(model, rtl).mismatch


def test_a_thread_that_retires_too_few_is_reported_with_its_place():
    model = model_commits()
    rtl = [c for c in as_rtl(model) if not (c.thread == 1 and c.instr == 0xF000)]
    mismatch = compare_commits(model, rtl).mismatch
    last = [c for c in rtl if c.thread == 1][-1]
    assert mismatch.startswith(f"cycle {last.cycle}, core 0, block 0, thread 1 retired")
    assert "(fewer than expected); first unmatched: pc=" in mismatch


def commit_line(job: int = 3, cycle: int = 0x1F, core: int = 1, warp: int = 0, thread: int = 3, **fields) -> str:
    """A commit line as the harness writes it, the record built from gpu_pkg.sv's commit_t."""
    return f"C {job:x} {cycle:x} {core:x} {warp:x} {thread:x} {commit_layout().encode(fields)}"


def test_commit_line_fields():
    job, commit = parse_commit_line(
        commit_line(
            block=2,
            pc=10,
            instr=0x7210,
            next_pc=11,
            nzp=2,
            rd_written=1,
            rd=2,
            rd_value=0x21,
            mem_read=1,
            mem_address=9,
            mem_data=0x21,
        )
    )
    assert job == 3
    assert commit == Commit(
        cycle=0x1F,
        core=1,
        block=2,
        thread=3,
        pc=10,
        instr=0x7210,
        next_pc=11,
        nzp=2,
        rd=2,
        rd_value=0x21,
        mem_op="R",
        mem_addr=9,
        mem_data=0x21,
    )
    _, commit = parse_commit_line(commit_line(shared_read=1, shared_address=0x3F, shared_data=7))
    assert (commit.shared_op, commit.shared_addr, commit.shared_data, commit.barrier) == ("R", 0x3F, 7, False)
    _, commit = parse_commit_line(commit_line(barrier=1, order=0x12345))
    assert (commit.shared_op, commit.barrier, commit.order) == (None, True, 0x12345)


def test_commit_line_without_effects_leaves_them_empty():
    # rd, rd_value, mem_addr and mem_data are ignored when their enables are 0.
    _, commit = parse_commit_line(
        commit_line(rd=7, rd_value=0x99, mem_address=0x44, mem_data=0x55, shared_address=0x12, shared_data=0x34)
    )
    assert (commit.rd, commit.rd_value, commit.mem_op, commit.mem_addr, commit.mem_data) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert (commit.shared_op, commit.shared_addr, commit.shared_data) == (None, None, None)


def test_commit_line_with_a_read_and_a_write_is_always_wrong():
    _, commit = parse_commit_line(commit_line(mem_read=1, mem_write=1, shared_read=1, shared_write=1))
    assert commit.mem_op == "RW"  # no model record has it, so it never matches
    assert commit.shared_op == "RW"


def test_a_field_with_unknown_bits_matches_nothing():
    bits = commit_line(rd_written=1, rd_value=0x21).split()[-1]
    start = sum(width for name, width in commit_layout().fields[: commit_layout().names.index("rd_value")])
    line = commit_line().rsplit(" ", 1)[0] + " " + bits[:start] + "x" + bits[start + 1 :]
    _, commit = parse_commit_line(line)
    assert commit.rd_value == UNKNOWN and commit.rd is not None


@pytest.mark.parametrize(
    "line",
    [
        commit_line()[:-1],  # a bit missing
        commit_line() + "0",  # a bit too many
        commit_line() + " 0",  # a field too many
        "T" + commit_line()[1:],  # not a commit line
    ],
)
def test_malformed_commit_lines_are_refused(line):
    with pytest.raises(ValueError, match="malformed commit line"):
        parse_commit_line(line)


def test_a_barrier_release_in_pieces_is_reported():
    """Each thread's own records may be right while the block was released at two times."""
    model = model_commits()
    rtl = as_rtl(model)
    assert compare_commits(model, rtl).mismatch is None
    # as_rtl spreads threads over cycles: give the BAR records one cycle, then split them.
    bars = [i for i, c in enumerate(rtl) if c.barrier]
    assert len(bars) == 2
    for i in bars:
        rtl[i] = dataclasses.replace(rtl[i], cycle=40)
    assert barrier_release_problems(rtl) == []
    rtl[bars[1]] = dataclasses.replace(rtl[bars[1]], cycle=41)
    assert barrier_release_problems(rtl) == [
        "block 0: barrier release #1 came in pieces (cycle, core): [(40, 0), (41, 0)]"
    ]
