# SPDX-License-Identifier: MIT
"""Reset values judged by behaviour: every kernel from a random initial state.

The regular builds start every flop at 0, so a flop the design forgets to reset looks
reset. Here Verilator starts every bit the design does not reset from random values
(--x-assign unique --x-initial unique, +verilator+rand+reset+2, seeded), and every
kernel must still pass every check: whatever is not reset must not matter. (Icarus
starts such bits at X, and the harness fails a run whose outputs show one.)

The assertions of every module are armed only once reset has been seen
(rtl/assertion_arm.sv): before it they would judge the random state, not the design.
"""

from __future__ import annotations

import os

import pytest

from tinygpu.checks import check_run, guarded_memory
from tinygpu.configs import get_config
from tinygpu.harness import Job, run_jobs
from tinygpu.kernels import discover_kernels
from tinygpu.rtl_patch import RtlEdit, patched_rtl

pytestmark = pytest.mark.sim

CONFIG = get_config("default")
# The random pattern; RANDOM_INIT_SEED=N picks another (a campaign may sweep it).
SEED = int(os.environ.get("RANDOM_INIT_SEED", "20261207"))
KERNELS = [k for k in discover_kernels(skip_broken=True) if k.runs_on(CONFIG)]

# The dispatcher forgets to reset `running`: from zeros it looks reset, from random bits
# the first launch may be taken for one already running, and ignored.
RUNNING_NOT_RESET = RtlEdit("dispatcher.sv", "      running_q     <= 1'b0;\n", "")


def kernel_jobs() -> list[Job]:
    return [
        Job(
            program=k.program.words,
            memory=guarded_memory(k.data, seed=i),
            threads=k.threads,
            latency=2,
            max_cycles=k.max_cycles,
            name=k.name,
        )
        for i, k in enumerate(KERNELS)
    ]


def test_every_kernel_passes_from_a_random_initial_state(tmp_path):
    results = run_jobs("verilator", CONFIG, kernel_jobs(), tmp_path, random_init_seed=SEED)
    problems = [
        p
        for kernel, result in zip(KERNELS, results)
        for p in check_run(
            result,
            block_dim=CONFIG.threads_per_block,
            shared_bytes=CONFIG.shared_mem_bytes,
            reference=kernel.reference,
            label=f"{kernel.name} (random init, seed {SEED})",
        )
    ]
    assert not problems, "\n".join(problems)


def test_a_flop_left_unreset_fails_from_a_random_state(tmp_path):
    """The check can fail: without running_q's reset the zero-initialized build still
    passes (the flop starts at 0 there), the random one does not for some seed."""
    rtl_dir = patched_rtl(RUNNING_NOT_RESET, "running_not_reset")
    jobs = kernel_jobs()[:1]
    # (Zeros on the random-init build itself: one Verilator build of the patched copy.)
    zero = run_jobs("verilator", CONFIG, jobs, tmp_path / "zero", rtl_dir=rtl_dir, random_init_seed=0)[0]
    assert not check_run(
        zero, block_dim=CONFIG.threads_per_block, shared_bytes=CONFIG.shared_mem_bytes, label="zero init"
    )
    failed = []
    for seed in range(1, 9):
        result = run_jobs("verilator", CONFIG, jobs, tmp_path / f"seed{seed}", rtl_dir=rtl_dir, random_init_seed=seed)[
            0
        ]
        failed += (
            [seed]
            if check_run(
                result, block_dim=CONFIG.threads_per_block, shared_bytes=CONFIG.shared_mem_bytes, label="random init"
            )
            else []
        )
    assert failed, "no seed of 1..8 started running_q at 1"
