# SPDX-License-Identifier: MIT
"""The AXI port's error path: a slave's SLVERR or DECERR is never used as data or as an
instruction, ends the launch, and is reported in one line naming the instruction and the
threads that caused it.

The harness injects each error response (SLVERR and DECERR) on each side the GPU reads
or writes (data reads on R, data writes on B, program reads on R) while matadd runs on
the `axi` configuration (tinygpu.bus_errors.Fault, gpu_harness.sv's cfg_fault_*). Every
launch must then end (`done`, no timeout) with gpu_axi's memory_error naming the failed
line or word and side, without a commit that used the failed answer, without a write
that changed memory, and with the one line tinygpu.checks gives. A last launch without a
fault, after the reset, must pass: the error state does not outlive the reset. The
masters' assertions check that no transaction starts after the error.
"""

from __future__ import annotations

import re

import pytest

from tinygpu.bus_errors import DATA_READ, DATA_WRITE, PROGRAM_READ, RESPONSES, SIDE_NAMES, Fault, fault_problems
from tinygpu.checks import check_run, guarded_memory
from tinygpu.configs import get_config
from tinygpu.harness import HARNESS_SOURCES, Job, run_jobs
from tinygpu.kernels import load_kernel
from tinygpu.paths import KERNELS_DIR
from tinygpu.sim import SIMULATORS

AXI = get_config("axi")
MATADD = load_kernel(KERNELS_DIR / "matadd.asm")

# matadd's pcs: 6 `LDR R4, R4` (A[i], bytes 0-7), 11 `STR R7, R6` (C[i], bytes 16-23);
# word 2 is `CONST R1, #0`, which every thread fetches right after its first two words.
# (fault, what the line must say after "AXI ERROR": the instruction and its threads)
CASES = [
    (Fault(DATA_READ, 5, RESPONSES["SLVERR"]), "LDR R4, R4 at pc 6 of block 1 threads 0-3"),
    (Fault(DATA_READ, 9, RESPONSES["DECERR"]), "LDR R5, R5 at pc 8 of block 0 threads 0-3"),
    (Fault(DATA_WRITE, 17, RESPONSES["SLVERR"]), "STR R7, R6 at pc 11 of block 0 threads 0-3"),
    (Fault(DATA_WRITE, 22, RESPONSES["DECERR"]), "STR R7, R6 at pc 11 of block 1 threads 0-3"),
    (Fault(PROGRAM_READ, 2, RESPONSES["SLVERR"]), "CONST R1, #0, fetched for block 0 threads 0-3, block 1 threads 0-3"),
    (Fault(PROGRAM_READ, 2, RESPONSES["DECERR"]), "CONST R1, #0, fetched for block 0 threads 0-3, block 1 threads 0-3"),
]


def job(fault: Fault | None, seed: int) -> Job:
    return Job(
        program=MATADD.program.words,
        memory=guarded_memory(MATADD.program.data, seed),
        threads=MATADD.program.threads,
        latency=3,
        seed=seed,
        fault=fault,
    )


@pytest.mark.sim
@pytest.mark.parametrize("sim", SIMULATORS)
def test_each_error_response_ends_the_launch_and_is_named(sim, tmp_path):
    jobs = [job(fault, seed) for seed, (fault, _) in enumerate(CASES, start=1)] + [job(None, 99)]
    results = run_jobs(sim, AXI, jobs, tmp_path)
    for (fault, expected), result in zip(CASES, results):
        label = f"{sim} {SIDE_NAMES[fault.side]} {fault}"
        problems = check_run(result, block_dim=AXI.threads_per_block, shared_bytes=AXI.shared_mem_bytes, label=label)
        assert fault_problems(result, problems) == [], f"{label}: {fault_problems(result, problems)}"
        assert expected in problems[0], f"{label}: the line does not name {expected!r}:\n{problems[0]}"
    clean = results[-1]
    assert clean.bus_error is None
    problems = check_run(clean, block_dim=AXI.threads_per_block, shared_bytes=AXI.shared_mem_bytes, label="after")
    assert not problems, "\n".join(problems)


def test_the_sides_are_the_harness_s(tmp_path):
    """tinygpu.bus_errors's side codes are gpu_harness.sv's FAULT_* values (one meaning)."""
    harness = next(path for path in HARNESS_SOURCES if path.stem == "gpu_harness").read_text()
    declared = {name: int(value) for name, value in re.findall(r"FAULT_(\w+) = 2'd(\d)", harness)}
    assert declared == {name.upper().replace(" ", "_"): side for side, name in SIDE_NAMES.items()}


def test_faults_need_the_axi_port(tmp_path):
    """An error response can be injected on the AXI port only: a clear refusal, no simulator."""
    with pytest.raises(ValueError, match="AXI port only"):
        run_jobs("icarus", get_config("default"), [job(CASES[0][0], 1)], tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "fault", [dict(side=0, address=1), dict(side=1, address=256), dict(side=1, address=1, response=1)]
)
def test_a_fault_that_cannot_be_injected_is_refused(fault):
    with pytest.raises(ValueError, match="not an injectable fault"):
        Fault(**fault)
