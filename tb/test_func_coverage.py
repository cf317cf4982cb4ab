# SPDX-License-Identifier: MIT
"""Unit tests of tinygpu/func_coverage.py on synthetic commit records and model runs.

Each test builds a handful of Commits by hand (one line each, with the instruction
written as assembly and assembled) and checks which bins they fill. A few tests feed
model runs grouped by `simt_commits_from_model`.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from tinygpu.assembler import assemble
from tinygpu.commits import Commit
from tinygpu.func_coverage import (
    AXI_BINS,
    AXI_EVENT_BINS,
    COMMIT_GROUPS,
    REQUIRED_BINS,
    FunctionalCoverage,
    simt_commits_from_model,
)
from tinygpu.model import run_kernel

N, Z, P = 4, 2, 1
INFO = {"threads": 4, "block_dim": 4, "num_cores": 2}


def word(asm: str) -> int:
    """The instruction word of one line of assembly (`.word` allowed)."""
    return assemble(asm).words[0]


def commit(
    cycle, pc, asm, *, thread=0, block=0, core=0, next_pc=None, nzp=Z, rd=None, rd_value=None, mem=None
) -> Commit:
    """One synthetic commit. mem = ('R' or 'W', address, data)."""
    mem_op, mem_addr, mem_data = mem or (None, None, None)
    return Commit(
        cycle=cycle,
        core=core,
        block=block,
        thread=thread,
        pc=pc,
        instr=word(asm),
        next_pc=pc + 1 if next_pc is None else next_pc,
        nzp=nzp,
        rd=rd,
        rd_value=rd_value,
        mem_op=mem_op,
        mem_addr=mem_addr,
        mem_data=mem_data,
    )


def sampled(commits, info=INFO, **kwargs) -> FunctionalCoverage:
    cov = FunctionalCoverage(**kwargs)
    cov.sample_run(commits, info)
    return cov


def hits(cov, group):
    return {b: n for b, n in cov.bins()[group].items() if n}


# --------------------------------------------------------------------------------------


def test_empty_coverage_misses_every_required_bin():
    cov = FunctionalCoverage()
    expected = [f"{g}/{b}" for g, bins in REQUIRED_BINS.items() for b in bins]
    assert cov.missing() == expected
    assert "0/13" in cov.report() and "opcode" in cov.report()
    assert cov.missing(["cmp"]) == ["cmp/N", "cmp/Z", "cmp/P"]


def test_opcodes_including_unused_ones():
    lines = [
        "NOP",
        "CMP R0, R1",
        "ADD R1, R2, R3",
        "SUB R1, R2, R3",
        "MUL R1, R2, R3",
        "DIV R1, R2, R3",
        "LDR R1, R2",
        "STR R1, R2",
        "CONST R1, #3",
        "BRn #0",
        "BAR",
        "LDS R1, R2",
        "STS R1, R2",
        ".word 0xD123",
        ".word 0xE000",
        "RET",
    ]
    cov = sampled([commit(i, i, text) for i, text in enumerate(lines)])
    assert cov.missing(["opcode"]) == []
    assert hits(cov, "opcode")["illegal"] == 2


def test_branch_conditions_taken_and_not_taken():
    commits = [
        commit(0, 10, "BRn #20", nzp=N, next_pc=20),  # taken
        commit(1, 11, "BRzp #20", nzp=N),  # not taken
        commit(2, 12, "BRnzp #30", nzp=P, next_pc=30),
        commit(3, 13, ".word 0x1014"),  # nzp=000 -> #20, not taken
        commit(4, 14, "BRz #15", nzp=P),  # target = pc+1: NZP rule decides
    ]
    b = hits(sampled(commits), "branch")
    assert b == {"n taken": 1, "zp not-taken": 1, "nzp taken": 1, "000 not-taken": 1, "z not-taken": 1}


def test_impossible_branches_are_flagged_not_required():
    commits = [
        commit(0, 10, "BRnzp #20", nzp=P),  # 111 must jump; the "hardware" didn't
        commit(1, 11, ".word 0x1014", next_pc=20),
    ]
    cov = sampled(commits)
    assert hits(cov, "impossible") == {"nzp not-taken": 1, "000 taken": 1}
    assert "HIT" in cov.report()
    assert not any(m.startswith("impossible") for m in cov.missing())


def test_cmp_outcomes():
    cov = sampled(
        [commit(0, 0, "CMP R0, R1", nzp=N), commit(1, 1, "CMP R0, R1", nzp=P), commit(2, 2, "CMP R0, R0", nzp=Z)]
    )
    assert cov.missing(["cmp"]) == []


def test_divergence_shapes_per_issue_group():
    def group(cycle, taken_threads, asm="BRn #9"):
        return [
            commit(cycle, 3, asm, thread=t, nzp=N if t in taken_threads else P, next_pc=9 if t in taken_threads else 4)
            for t in range(4)
        ]

    assert hits(sampled(group(0, {0, 1, 2, 3})), "divergence") == {"all": 1}
    assert hits(sampled(group(0, set())), "divergence") == {"none": 1}
    assert hits(sampled(group(0, {2})), "divergence") == {"some": 1}
    # unconditional branches cannot split a block: they are not divergence samples
    uncond = [commit(0, 3, "BRnzp #9", thread=t, next_pc=9) for t in range(4)]
    assert hits(sampled(uncond), "divergence") == {}
    # the same pc on two cores (or two cycles) is two groups
    two = [commit(0, 3, "BRn #9", core=c, nzp=N, next_pc=9) for c in (0, 1)]
    assert hits(sampled(two), "divergence") == {"all": 2}


def test_reconvergence_after_if_else_and_after_a_loop():
    # if/else: thread 0 came from pc 5 (else part), thread 1 from pc 7 (then part)
    if_else = [
        commit(0, 5, "BRnzp #8", thread=0, next_pc=8),
        commit(1, 7, "NOP", thread=1),
        commit(2, 8, "RET", thread=0, next_pc=8),
        commit(2, 8, "RET", thread=1, next_pc=8),
    ]
    assert hits(sampled(if_else), "reconvergence") == {"from-different-pcs": 1}
    # loop exit: both from the exit branch at pc 4, but in different iterations (cycles)
    loop = [
        commit(0, 4, "BRz #6", thread=0, next_pc=6),
        commit(3, 4, "BRz #6", thread=1, next_pc=6),
        commit(4, 6, "RET", thread=0, next_pc=6),
        commit(4, 6, "RET", thread=1, next_pc=6),
    ]
    assert hits(sampled(loop), "reconvergence") == {"from-different-issues": 1}
    # lock-step threads are not a reconvergence
    lock = [commit(c, c, "NOP", thread=t) for c in range(3) for t in range(4)]
    assert hits(sampled(lock), "reconvergence") == {}


def test_memory_bins():
    single = [commit(0, 0, "LDR R1, R2", rd=1, rd_value=5, mem=("R", 0, 5))]
    assert hits(sampled(single), "memory") == {"load": 1}
    group = [commit(0, 0, "LDR R1, %threadIdx", thread=t, rd=1, rd_value=7, mem=("R", t, 7)) for t in range(3)]
    group += [commit(1, 1, "STR %threadIdx, R1", thread=t, mem=("W", t, 7)) for t in range(2)]
    assert hits(sampled(group), "memory") == {"load": 3, "multi-thread-load": 1, "store": 2, "multi-thread-store": 1}


def test_arith_corners_use_replayed_register_values():
    commits = [
        commit(0, 0, "CONST R1, #200", rd=1, rd_value=200),
        commit(1, 1, "CONST R2, #100", rd=2, rd_value=100),
        commit(2, 2, "ADD R3, R1, R2", rd=3, rd_value=44),  # 300 wraps
        commit(3, 3, "ADD R3, R2, R2", rd=3, rd_value=200),  # no wrap
        commit(4, 4, "MUL R4, R1, R2", rd=4, rd_value=32),  # wraps
        commit(5, 5, "SUB R5, R2, R1", rd=5, rd_value=156),  # underflow
        commit(6, 6, "DIV R6, R1, R0", rd=6, rd_value=255),  # R0 = 0
        commit(7, 7, "DIV R6, R1, %threadIdx", thread=0, rd=6, rd_value=255),  # also 0
        commit(8, 8, ".word 0x3F00"),  # ADD %threadIdx: dropped
        commit(9, 9, ".word 0x9D05"),  # CONST %blockIdx: dropped
    ]
    assert hits(sampled(commits), "arith") == {
        "add-wrap": 1,
        "mul-wrap": 1,
        "sub-underflow": 1,
        "div-by-zero": 2,
        "read-only-write-dropped": 2,
    }
    # %blockDim comes from the info dict: 4 / %blockDim is not a division by zero
    bd = [commit(0, 0, "DIV R1, R2, %blockDim", rd=1, rd_value=0)]
    assert hits(sampled(bd), "arith") == {}


def test_source_and_destination_registers():
    commits = [
        commit(0, 0, "ADD R12, %blockIdx, %blockDim", rd=12, rd_value=4),
        commit(1, 1, "STR R3, %threadIdx", mem=("W", 0, 0)),
        commit(2, 2, "LDR R0, R7", rd=0, rd_value=0, mem=("R", 0, 0)),
        commit(3, 3, "CONST R5, #1", rd=5, rd_value=1),  # CONST reads nothing
        commit(4, 4, "CMP R9, R10"),
    ]
    cov = sampled(commits)
    assert hits(cov, "src") == {"%blockIdx": 1, "%blockDim": 1, "R3": 1, "%threadIdx": 1, "R7": 1, "R9": 1, "R10": 1}
    assert hits(cov, "dest") == {"R12": 1, "R0": 1, "R5": 1}


@pytest.mark.parametrize(
    "info, expected",
    [
        (
            {"threads": 3, "block_dim": 4, "num_cores": 2, "mem_latency": 1, "stall_max": 0, "max_waiting_requests": 1},
            {"blocks": {"single-block", "partial-last-block", "block_dim=4"}, "stalls": {"mem_latency=1"}},
        ),
        (
            {
                "threads": 12,
                "block_dim": 4,
                "num_cores": 2,
                "mem_latency": 3,
                "stall_max": 2,
                "max_waiting_requests": 3,
            },
            {
                "blocks": {"more-blocks-than-cores", "block_dim=4"},
                "stalls": {"mem_latency>1", "random-stalls", "waiting-requests>=2"},
            },
        ),
        ({"threads": 8, "block_dim": 4}, {"blocks": {"block_dim=4"}, "stalls": {"waiting-requests-unknown"}}),
    ],
)
def test_run_info_bins(info, expected):
    cov = sampled([], info)
    for group, names in expected.items():
        assert set(hits(cov, group)) == names


def test_required_block_dims():
    cov = sampled([], {"threads": 4, "block_dim": 4}, required_block_dims=[4, 8])
    assert "blocks/block_dim=8" in cov.missing()
    assert "blocks/block_dim=4" not in cov.missing()


def test_json_round_trip_and_merge(tmp_path):
    a = sampled([commit(0, 0, "CMP R0, R1", nzp=N)], required_block_dims=[2])
    b = sampled(
        [commit(0, 0, "CMP R0, R1", nzp=N), commit(1, 1, "CMP R0, R0")], {"threads": 9, "block_dim": 2, "num_cores": 2}
    )
    again = FunctionalCoverage.from_json(a.to_json())
    assert again.bins() == a.bins() and again.missing() == a.missing()

    paths = []
    for i, cov in enumerate((a, b)):
        paths.append(tmp_path / f"cov{i}.json")
        paths[-1].write_text(cov.to_json())
    total = FunctionalCoverage.merge_files(paths)
    assert total.bins()["cmp"] == {"N": 2, "Z": 1, "P": 0}
    assert total.runs == 2 and total.commits == 3
    assert "blocks/block_dim=2" not in total.missing()  # required by a, hit by b
    assert "blocks/partial-last-block" not in total.missing()
    with pytest.raises(ValueError):
        FunctionalCoverage.from_json('{"format": "something else"}')


def test_commit_order_does_not_matter():
    prog = assemble("""
        .threads 6
        LDR R1, %threadIdx
        CONST R2, #2
        CMP %threadIdx, R2
        BRn SMALL
        MUL R1, R1, R1
        BRnzp END
    SMALL:
        ADD R1, R1, %blockIdx
    END:
        STR %threadIdx, R1
        RET
        .data 0 200 3 4
    """)
    result = run_kernel(prog.words, prog.data, 6, 4)
    commits = simt_commits_from_model(result, block_dim=4)
    info = {"threads": 6, "block_dim": 4, "num_cores": 2}
    shuffled = list(commits)
    random.Random(1).shuffle(shuffled)
    assert sampled(commits, info).bins() == sampled(shuffled, info).bins()
    cov = sampled(commits, info)
    # block 0 (threads 0-3) splits at BRn and joins at END; block 1 (threads 0-1) does not
    assert hits(cov, "divergence") == {"some": 1, "all": 1}
    assert hits(cov, "reconvergence") == {"from-different-pcs": 1}
    assert "partial-last-block" in hits(cov, "blocks")


def test_simt_grouping_of_model_commits():
    prog = assemble("""
        CONST R1, #1
        CMP %threadIdx, R1
        BRz SKIP
        NOP
    SKIP:
        RET
    """)
    result = run_kernel(prog.words, [], 10, 4)
    commits = simt_commits_from_model(result, block_dim=4, num_cores=2)
    assert len(commits) == result.instructions
    # three blocks on two cores: block 2 waits for the first free core
    cores = {c.block: c.core for c in commits}
    assert cores == {0: 0, 1: 1, 2: 0}
    groups = {}
    for c in commits:
        groups.setdefault((c.core, c.cycle), set()).add((c.block, c.pc))
    assert all(len(g) == 1 for g in groups.values())  # one block and one pc per issue
    # the NOP (pc 3) runs without thread 1; everyone runs RET together
    block0 = [c for c in commits if c.block == 0]
    assert sorted(c.thread for c in block0 if c.pc == 3) == [0, 2, 3]
    assert len({c.cycle for c in block0 if c.pc == 4}) == 1


def test_commit_groups_are_the_non_run_info_groups():
    assert set(COMMIT_GROUPS) | {"stalls", "blocks", "pipeline"} == set(REQUIRED_BINS)


def test_pipeline_bins_come_from_the_counters_and_the_warp_count():
    cov = FunctionalCoverage()
    cov.sample_run([], {"warps_per_core": 2, "counters": {"icache_misses": 3, "warp_switches": 0}})
    assert cov.bins()["pipeline"]["icache-miss"] == 1
    assert cov.bins()["pipeline"]["warp-switch"] == 0
    assert cov.bins()["pipeline"]["several-warps-per-core"] == 1
    assert "pipeline/one-warp-per-core" in cov.missing()


def test_shared_bank_conflict_is_an_lds_retiring_over_consecutive_cycles():
    def lds(cycle, thread, address):
        return replace(commit(cycle, 3, "LDS R1, R2", thread=thread), shared_op="R", shared_addr=address, shared_data=0)

    together = [lds(10, t, t) for t in range(4)]
    assert "shared-bank-conflict" not in hits(sampled(together), "simt")
    replayed = [lds(10 + t, t, 4 * t) for t in range(4)]
    assert hits(sampled(replayed), "simt")["shared-bank-conflict"] == 1
    # The same LDS two cycles apart (a loop) is not a replay.
    looped = [lds(10, 0, 0), lds(12, 0, 4)]
    assert "shared-bank-conflict" not in hits(sampled(looped), "simt")


def test_scoreboard_bins_come_from_order_numbers_and_cycles():
    def at(cycle, order, pc, asm, **kwargs):
        return replace(commit(cycle, pc, asm, **kwargs), order=order)

    load = at(14, 0, 0, "LDR R1, R2", rd=1, rd_value=5, mem=("R", 2, 5))
    independent = at(12, 1, 1, "CONST R3, #1", rd=3, rd_value=1)
    dependent = at(15, 2, 2, "ADD R4, R3, R1", rd=4, rd_value=6)
    # The CONST retired (cycle 12) before the older LDR (cycle 14): it ran under the load;
    # the ADD after it in program order is not the load's next instruction.
    assert hits(sampled([load, independent, dependent]), "scoreboard") == {"under-load": 1}
    in_order = [
        at(12, 0, 0, "LDR R1, R2", rd=1, rd_value=5, mem=("R", 2, 5)),
        at(14, 1, 1, "ADD R4, R3, R1", rd=4, rd_value=5),
    ]
    assert hits(sampled(in_order), "scoreboard") == {"load-use": 1}
    store = at(14, 0, 0, "STR R2, R1", mem=("W", 2, 0))
    assert hits(sampled([store, replace(independent, cycle=13)]), "scoreboard") == {"under-store": 1}


# --------------------------------------------------------------------------------------
# The AXI port's bins


def lane_loads(order: int, lanes: int, *, block: int = 0, cycle: int = 10) -> list[Commit]:
    """One warp LDR's records: `lanes` threads of `block`, one byte each."""
    return [
        replace(commit(cycle, 2, "LDR R1, R0", thread=t, block=block, mem=("R", 8 + t, 0)), order=order)
        for t in range(lanes)
    ]


def axi_hits(commits, events, port="axi"):
    cov = sampled(commits, {**INFO, "port": port, "counters": events}, axi_port=True)
    return set(hits(cov, "axi"))


def test_axi_bins_are_required_only_with_the_axi_port():
    assert not [m for m in FunctionalCoverage().missing() if m.startswith("axi/")]
    assert "axi" not in FunctionalCoverage().bins()
    assert [m for m in FunctionalCoverage(axi_port=True).missing() if m.startswith("axi/")] == [
        f"axi/{name}" for name in AXI_BINS
    ]
    assert set(AXI_EVENT_BINS) <= set(AXI_BINS)


def test_coalescing_and_splitting_compare_the_bus_with_the_records():
    four_lanes = lane_loads(order=3, lanes=4)
    assert axi_hits(four_lanes, {"data_reads": 1}) == {"coalesced-load"}  # 4 lanes, one read
    assert axi_hits(four_lanes, {"data_reads": 4}) == {"split-load"}  # a read a lane
    assert axi_hits(four_lanes, {"data_reads": 2}) == {"coalesced-load", "split-load"}
    two_ldrs = lane_loads(order=3, lanes=1) + lane_loads(order=4, lanes=1, cycle=12)
    assert axi_hits(two_ldrs, {"data_reads": 2}) == set()  # two instructions, a read each
    stores = [replace(c, mem_op="W") for c in four_lanes]
    assert axi_hits(stores, {"data_writes": 1}) == set()
    assert axi_hits(stores, {"data_writes": 2}) == {"split-store"}
    # the same counts from a run on tiny-gpu's port fill nothing
    assert axi_hits(four_lanes, {"data_reads": 1}, port="channels") == set()


def test_axi_event_bins_need_their_count():
    assert axi_hits([], {"most_data_reads_in_flight": 1, "most_data_writes_in_flight": 2}) == {"writes-in-flight>=2"}
    assert axi_hits([], {"data_r_holds": 3, "program_ar_waits": 1, "data_w_waits": 0}) == {
        "data-r-backpressure",
        "program-ar-backpressure",
    }


def test_axi_port_survives_json_and_merge(tmp_path):
    axi = sampled([], {**INFO, "port": "axi", "counters": {"partial_strobe_writes": 1}}, axi_port=True)
    plain = sampled([], INFO)
    again = FunctionalCoverage.from_json(axi.to_json())
    assert again.axi_port and again.missing() == axi.missing()
    merged = plain.merge(FunctionalCoverage.from_json(axi.to_json()))
    assert merged.axi_port
    assert "axi/partial-strobe-write" not in merged.missing() and "axi/split-load" in merged.missing()
