# SPDX-License-Identifier: MIT
"""make run (tinygpu-run): the settings it passes on and the cycle limit it derives.

Pure Python: no simulator starts here (tb/test_bad_inputs.py covers what it refuses).
"""

from __future__ import annotations

import json
import subprocess

import pytest

from tinygpu.bench import TIMINGS
from tinygpu.configs import load_configs
from tinygpu.kernels import discover_kernels
from tinygpu.paths import REPO_ROOT
from tinygpu.run_kernel import RunRequest, launch_job

KERNELS = {kernel.name: kernel for kernel in discover_kernels(skip_broken=True)}
CONFIGS = load_configs()
BASELINE = json.loads((REPO_ROOT / "tb" / "cycle_baseline.json").read_text())["cycles"]


def request(kernel, config, latency=1, stall_max=0, **settings) -> RunRequest:
    return RunRequest(
        asm_path=kernel.asm_path,
        program=kernel.program,
        kernel=kernel,
        sim="icarus",
        config=config,
        threads=kernel.threads,
        latency=latency,
        stall_max=stall_max,
        **settings,
    )


@pytest.mark.parametrize("config", sorted(BASELINE))
def test_derived_cycle_limit_leaves_every_measured_run_room(config):
    """The limit make run derives from the ISA model is at least 3x every cycle count
    `make bench` measured (tb/cycle_baseline.json): a kernel that finishes is never cut."""
    tight = []
    for name, rows in BASELINE[config].items():
        for label, latency, stall_max in TIMINGS:
            limit = launch_job(request(KERNELS[name], CONFIGS[config], latency, stall_max)).max_cycles
            if limit < 3 * rows[label]:
                tight.append(f"{name} at {label}: limit {limit}, measured {rows[label]}")
    assert not tight, "\n".join(tight)


def test_an_explicit_cycle_limit_wins():
    matmul = KERNELS["matmul"]
    assert launch_job(request(matmul, CONFIGS["default"], max_cycles=123)).max_cycles == 123


def test_make_run_passes_threads_and_max_cycles_on():
    command = subprocess.run(
        ["make", "-n", "run", "THREADS=3", "MAX_CYCLES=77"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "--threads 3" in command and "--max-cycles 77" in command, command
    default = subprocess.run(["make", "-n", "run"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    assert "--threads" not in default and "--max-cycles" not in default, default
