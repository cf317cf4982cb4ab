# SPDX-License-Identifier: MIT
"""Functional coverage that can say no, shown on real RTL commits (Verilator).

tinygpu-coverage (`make coverage`) fails when a required functional bin stays empty.
That is only worth something if an empty bin is really reported as empty when fed with
commits from the RTL harness (not only with the synthetic ones of test_func_coverage.py):
this test runs a straight-line kernel (matadd: no branch, no CMP, no DIV) at tiny-gpu's
1-cycle memory, checks that the run itself is right, and that `missing()` names exactly
the bins such a run cannot fill while the bins it does exercise are hit. A second launch
of a diverging kernel, in the same simulator process, must then move the divergence and
branch bins from missing to hit: the bins react to what the RTL actually did.

One Verilator process with two short launches: a few seconds once the default harness
is built (`make test` builds it for the kernel tests anyway). The AXI port's bins get the
same treatment on the `axi` configuration (its harness is built for the kernel tests too),
sampled as `make coverage` samples them (coverage_report.new_coverage and run_info).
"""

from __future__ import annotations

import pytest

from tinygpu import coverage_report
from tinygpu.checks import check_run, guarded_memory
from tinygpu.configs import get_config
from tinygpu.func_coverage import FunctionalCoverage
from tinygpu.harness import Job, run_jobs
from tinygpu.kernels import KERNELS_DIR, load_kernel

# Every test here runs the RTL on a simulator (`pytest -m "not sim"` leaves them out).
pytestmark = pytest.mark.sim

SIM = "verilator"


def checked_runs(config, launches, work_dir) -> list:
    """Launch each (kernel, latency, stall_max, seed) in one simulator process; every run
    must match the models and retire something."""
    jobs = [
        Job(
            program=kernel.program.words,
            memory=guarded_memory(kernel.data, seed),
            threads=kernel.threads,
            latency=latency,
            stall_max=stall_max,
            seed=seed,
            max_cycles=kernel.max_cycles,
            name=kernel.name,
        )
        for kernel, latency, stall_max, seed in launches
    ]
    results = run_jobs(SIM, config, jobs, work_dir)
    for (kernel, *_), result in zip(launches, results):
        problems = check_run(
            result,
            block_dim=config.threads_per_block,
            shared_bytes=config.shared_mem_bytes,
            reference=kernel.reference,
            label=f"{kernel.name} on {config.name} ({SIM})",
        )
        assert not problems, "\n".join(problems) + f"\n  run folder: {work_dir}"
        assert result.commits, f"{kernel.name}: no commit records from the RTL"
    return results


def test_missing_bins_are_reported_on_rtl_commits(tmp_path):
    config = get_config("default")
    straight = load_kernel(KERNELS_DIR / "matadd.asm")
    diverging = load_kernel(KERNELS_DIR / "divergent_if_else.asm")
    results = checked_runs(config, [(straight, 1, 0, 1), (diverging, 1, 0, 2)], tmp_path)

    def info(result):
        return {
            "threads": result.job.threads,
            "block_dim": config.threads_per_block,
            "num_cores": config.num_cores,
            "mem_latency": result.job.latency,
            "stall_max": result.job.stall_max,
            "max_waiting_requests": result.max_waiting,
        }

    # 1. The straight-line kernel alone.
    cov = FunctionalCoverage(required_block_dims=[config.threads_per_block])
    cov.sample_run(results[0].commits, info(results[0]))
    missing = set(cov.missing())
    # What it did do is hit (so the records were really sampled) ...
    for hit in (
        "opcode/MUL",
        "opcode/ADD",
        "opcode/CONST",
        "opcode/LDR",
        "opcode/STR",
        "opcode/RET",
        "memory/multi-thread-load",
        "memory/multi-thread-store",
        "src/%blockIdx",
        "src/%blockDim",
        "src/%threadIdx",
        "dest/R7",
        "blocks/block_dim=4",
    ):
        assert hit not in missing, f"{hit} should be hit by matadd on the RTL"
    # ... and what it cannot do is reported as missing, by name (8 threads in blocks of
    # 4 on 2 cores: two full blocks, no more blocks than cores).
    cannot = {
        "opcode/BRnzp",
        "opcode/CMP",
        "opcode/DIV",
        "opcode/NOP",
        "opcode/illegal",
        "branch/nzp taken",
        "branch/n not-taken",
        "cmp/N",
        "cmp/Z",
        "cmp/P",
        "divergence/all",
        "divergence/some",
        "divergence/none",
        "reconvergence/from-different-pcs",
        "arith/div-by-zero",
        "arith/read-only-write-dropped",
        "stalls/mem_latency>1",
        "stalls/random-stalls",
        "stalls/waiting-requests>=2",
        "blocks/single-block",
        "blocks/partial-last-block",
        "blocks/more-blocks-than-cores",
    }
    assert cannot <= missing, f"not reported missing: {sorted(cannot - missing)}"
    report = cov.report()
    assert "divergence" in report and "some" in report and "100.0%" not in report

    # 2. Adding the diverging kernel's run fills the branch bins it exercises.
    cov.sample_run(results[1].commits, info(results[1]))
    now_missing = set(cov.missing())
    for filled in (
        "divergence/some",
        "opcode/BRnzp",
        "opcode/CMP",
        "branch/nzp taken",
        "reconvergence/from-different-pcs",
    ):
        assert filled in missing and filled not in now_missing, filled
    # Still no stalls in either run: those bins must stay empty.
    assert {"stalls/mem_latency>1", "stalls/random-stalls"} <= now_missing

    # The JSON form (what tinygpu-coverage writes) says the same.
    again = FunctionalCoverage.from_json(cov.to_json())
    assert again.missing() == cov.missing()


def test_missing_axi_bins_are_reported_on_rtl_runs(tmp_path):
    """A regression with the AXI port requires the `axi` bins (closure fails while one is
    empty): an ideal memory (latency 1, no stalls) under matadd (each warp's four bytes in
    one line, whole-line stores) leaves the backpressure, split and partial-strobe bins
    empty by name; a slow memory with stalls under matmul4_tiled fills them."""
    config = get_config("axi")
    ideal = load_kernel(KERNELS_DIR / "matadd.asm")
    tiled = load_kernel(KERNELS_DIR / "matmul4_tiled.asm")
    results = checked_runs(config, [(ideal, 1, 0, 1), (tiled, 3, 5, 2)], tmp_path)
    cov = coverage_report.new_coverage([config])
    cov.sample_run(results[0].commits, coverage_report.run_info(results[0], config))
    missing = {m for m in cov.missing() if m.startswith("axi/")}
    assert {"axi/coalesced-load", "axi/writes-in-flight>=2"}.isdisjoint(missing), missing
    empty = {
        "axi/split-load",
        "axi/split-store",
        "axi/partial-strobe-write",
        "axi/data-ar-backpressure",
        "axi/data-aw-backpressure",
        "axi/data-w-backpressure",
        "axi/program-ar-backpressure",
        "axi/data-r-backpressure",
        "axi/data-b-backpressure",
        "axi/program-r-backpressure",
    }
    assert empty <= missing, f"not reported missing: {sorted(empty - missing)}"

    cov.sample_run(results[1].commits, coverage_report.run_info(results[1], config))
    assert [m for m in cov.missing() if m.startswith("axi/")] == []
