# SPDX-License-Identifier: MIT
"""The pure builds run a job exactly as the cocotb flow does.

`make bench` takes the cocotb Verilator flow's speed against a pure Verilator build of
the same harness (tb/hdl/harness_main.cpp drives it from C++: no cocotb, no VPI), and
times pure Icarus (tb/hdl/harness_main_icarus.sv drives it from SystemVerilog). The
figures mean something only if each runs the same job as the cocotb flow: here both run
the same launches (a memory-bound kernel with seeded random stalls, twice in one
process) and must count the same cycles and write the same commit log and final memories.
"""

from __future__ import annotations

import pytest

from tinygpu.configs import get_config
from tinygpu.harness import Job, parse_counter_lines, run_jobs, run_jobs_pure
from tinygpu.kernels import load_kernel
from tinygpu.paths import KERNELS_DIR

CONFIG = get_config("default")


def kernel_job(name: str, **settings) -> Job:
    kernel = load_kernel(KERNELS_DIR / f"{name}.asm")
    return Job(
        kernel.program.words, list(kernel.data), kernel.threads, max_cycles=kernel.max_cycles, name=name, **settings
    )


def check_pure_against_cocotb(sim: str, jobs: list[Job], work) -> None:
    cocotb = run_jobs(sim, CONFIG, jobs, work / "cocotb")
    pure = run_jobs_pure(CONFIG, jobs, work / "pure", commits=True, sim=sim)
    assert [(r.cycles, r.timed_out, r.done) for r in cocotb] == [
        (p["cycles"], bool(p["timed_out"]), bool(p["done"])) for p in pure
    ]
    assert all(r.done and not r.timed_out for r in cocotb)
    outputs = ["commits.log"] + [f"memory/job{i}_final.hex" for i in range(len(jobs))]
    for output in outputs:
        assert (work / "pure" / output).read_text() == (work / "cocotb" / output).read_text(), output
    # Every launch reports one counter set per core, the last one too (its lines are
    # written where no end of simulation can cut them).
    counters = parse_counter_lines(work / "pure" / "commits.log")
    assert [len(counters.get(job, [])) for job in range(len(jobs))] == [CONFIG.num_cores] * len(jobs), counters


@pytest.mark.sim
def test_pure_build_counts_the_cycles_of_the_cocotb_flow(tmp_path):
    check_pure_against_cocotb("verilator", [kernel_job("broadcast_loop", latency=3, stall_max=4, seed=5)] * 2, tmp_path)


@pytest.mark.sim
def test_pure_icarus_counts_the_cycles_of_the_cocotb_flow(tmp_path):
    # A short kernel with shared memory and barriers, with stalls (Icarus is slow), twice.
    check_pure_against_cocotb("icarus", [kernel_job("block_sum", latency=2, stall_max=3, seed=9)] * 2, tmp_path)


def test_pure_build_takes_one_setting_for_every_launch(tmp_path):
    with pytest.raises(ValueError, match="other settings"):
        run_jobs_pure(CONFIG, [kernel_job("matadd", latency=1), kernel_job("matadd", latency=2)], tmp_path)
    with pytest.raises(ValueError, match="changes the launch"):
        run_jobs_pure(CONFIG, [kernel_job("matadd", abort_after_cycles=5)], tmp_path)
