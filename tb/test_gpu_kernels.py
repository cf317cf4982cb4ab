# SPDX-License-Identifier: MIT
"""Every kernel in kernels/ on the RTL, on Icarus and Verilator, checked against the
ISA model (final memory and every retired instruction) and the kernel's reference.

Kernels are discovered: adding NAME.asm + NAME.toml to kernels/ adds its tests here.
On the configurations other than the default, make test runs them on Verilator only
(CONFIG_SIMULATORS below), make test-all on both.
Every kernel is its own test on each simulator and configuration, so a broken kernel
fails its own tests and nothing else. Each test runs one simulator process with several
launches of the kernel (memory latency 1, 2 and random stalls); the harness is built once
per simulator and configuration and reused by every test.
"""

from __future__ import annotations

import pytest

from tinygpu.checks import check_run, guarded_memory, undefined_launch
from tinygpu.configs import get_config, load_configs, representative_configs, whole_suite
from tinygpu.harness import Job, run_jobs
from tinygpu.kernels import discover_kernels
from tinygpu.sim import SIMULATORS

# Every test here runs the RTL on a simulator (`pytest -m "not sim"` leaves them out).
pytestmark = pytest.mark.sim

# `make test` runs the representative configurations, `make test-all` every one.
ALL_CONFIGS = whole_suite()
CONFIGS = list(load_configs().values()) if ALL_CONFIGS else representative_configs()
# The simulators of the other configurations: `make test` runs them on Verilator, which
# runs these kernels about five times cheaper than Icarus; Icarus runs every kernel on the
# default configuration (test_kernel) and random programs on each of these
# configurations (tb/test_random_programs.py), and
# `make fuzz` checks that both retire every instruction at the same cycle. `make test-all`
# runs the other configurations on both. (docs/mutation.md: the mutants both kill.)
CONFIG_SIMULATORS = SIMULATORS if ALL_CONFIGS else ("verilator",)
KERNELS = discover_kernels(skip_broken=True)  # a broken one fails in test_kernels.py

# (latency, stall_max, seed): tiny-gpu's 1-cycle memory, a 2-cycle memory, and a slow
# memory with seeded random stalls per request.
LATENCIES = [(1, 0, 1), (2, 0, 2), (3, 5, 3)]


def kernel_jobs(kernel, seed_base: int = 0) -> list[Job]:
    return [
        Job(
            program=kernel.program.words,
            memory=guarded_memory(kernel.data, seed_base + seed),
            threads=kernel.threads,
            latency=latency,
            stall_max=stall_max,
            seed=seed,
            max_cycles=kernel.max_cycles,
            name=kernel.name,
        )
        for latency, stall_max, seed in LATENCIES
    ]


def run_defined(sim, config, jobs, work_dir):
    """run_jobs, once the ISA model has shown every launch's result defined: a racy kernel
    fails with its KERNEL RACE line, and no simulator starts."""
    for job in jobs:
        race = undefined_launch(job, block_dim=config.threads_per_block, shared_bytes=config.shared_mem_bytes)
        assert race is None, f"{job.name} on {config.name}: {race}"
    return run_jobs(sim, config, jobs, work_dir)


def check_results(results, kernel, config, sim, work_dir):
    problems = []
    for result in results:
        problems += check_run(
            result,
            block_dim=config.threads_per_block,
            shared_bytes=config.shared_mem_bytes,
            reference=kernel.reference,
            label=f"{kernel.name} on {sim}/{config.name}",
            wave_hint=f"rerun with `make run KERNEL={kernel.asm_path} SIM={sim} CONFIG={config.name} WAVES=1`",
        )
    assert not problems, "\n".join(problems) + f"\n  run folder: {work_dir}"


# Python kernels (kernels/*.py) run on one simulator, but for a few on both: they add
# little RTL behaviour the assembly kernels do not, and the compiler is checked against
# the ISA model on every block size without a simulator.
PYTHON_KERNEL_SIM = "verilator"
PYTHON_KERNELS_ON_BOTH = {"add_then_rotate_py", "prefix_sum_py"}


def on_this_simulator(kernel, sim: str) -> bool:
    return kernel.asm_path.suffix != ".py" or sim == PYTHON_KERNEL_SIM or kernel.name in PYTHON_KERNELS_ON_BOTH


@pytest.mark.parametrize(
    ("sim", "kernel"),
    [(s, k) for s in SIMULATORS for k in KERNELS if on_this_simulator(k, s)],
    ids=lambda value: value if isinstance(value, str) else value.name,
)
def test_kernel(sim, kernel, tmp_path, record_property):
    config = get_config("default")
    assert kernel.runs_on(config), f"{kernel.name}: every kernel must run on the default configuration"
    results = run_defined(sim, config, kernel_jobs(kernel), tmp_path)
    for result in results:
        record_property(
            f"cycles:{kernel.name}:{sim}:latency{result.job.latency}/stall{result.job.stall_max}", result.cycles
        )
    check_results(results, kernel, config, sim, tmp_path)


@pytest.mark.parametrize(
    ("sim", "config", "kernel"),
    [
        (s, c, k)
        for s in CONFIG_SIMULATORS
        for c in CONFIGS
        if c.name != "default"
        for k in KERNELS
        if k.runs_on(c) and (k.asm_path.suffix != ".py" or s == PYTHON_KERNEL_SIM)
    ],
    ids=lambda value: value if isinstance(value, str) else value.name,
)
def test_kernel_on_config(sim, config, kernel, tmp_path):
    """Each kernel on each other configuration (representative ones by default) it is
    written for (block size, shared memory: its .toml; a Python kernel: where its Python
    execution is defined), with a 1-cycle memory and with random stalls."""
    jobs = kernel_jobs(kernel, seed_base=100)[::2]
    check_results(run_defined(sim, config, jobs, tmp_path), kernel, config, sim, tmp_path)
