"""The pure Verilator build runs a job exactly as the cocotb flow does.

`make bench` takes the cocotb Verilator flow's speed against a pure Verilator build of
the same harness (tb/hdl/harness_main.cpp drives it from C++: no cocotb, no VPI). The
figure means something only if both run the same job: here both run the same launches
(a memory-bound kernel with seeded random stalls, twice in one process) and must count
the same cycles and write the same commit log and final memories.
"""

from __future__ import annotations

import pytest

from tinygpu.configs import get_config
from tinygpu.harness import Job, run_jobs, run_jobs_pure
from tinygpu.kernels import load_kernel
from tinygpu.paths import KERNELS_DIR

CONFIG = get_config("default")


def kernel_job(name: str, **settings) -> Job:
    kernel = load_kernel(KERNELS_DIR / f"{name}.asm")
    return Job(kernel.program.words, list(kernel.data), kernel.threads, max_cycles=kernel.max_cycles,
               name=name, **settings)


@pytest.mark.sim
def test_pure_build_counts_the_cycles_of_the_cocotb_flow(tmp_path):
    jobs = [kernel_job("broadcast_loop", latency=3, stall_max=4, seed=5)] * 2
    cocotb = run_jobs("verilator", CONFIG, jobs, tmp_path / "cocotb")
    pure = run_jobs_pure(CONFIG, jobs, tmp_path / "pure", commits=True)
    assert [(r.cycles, r.timed_out, r.done) for r in cocotb] == [
        (p["cycles"], bool(p["timed_out"]), bool(p["done"])) for p in pure]
    assert all(r.done and not r.timed_out for r in cocotb)
    for output in ("commits.log", "memory/job0_final.hex", "memory/job1_final.hex"):
        assert (tmp_path / "pure" / output).read_text() == (tmp_path / "cocotb" / output).read_text(), output


def test_pure_build_takes_one_setting_for_every_launch(tmp_path):
    with pytest.raises(ValueError, match="other settings"):
        run_jobs_pure(CONFIG, [kernel_job("matadd", latency=1), kernel_job("matadd", latency=2)], tmp_path)
    with pytest.raises(ValueError, match="changes the launch"):
        run_jobs_pure(CONFIG, [kernel_job("matadd", abort_after_cycles=5)], tmp_path)
