# SPDX-License-Identifier: MIT
"""Check one RTL run against both golden models; used by every RTL test.

`check_run` compares the RTL's final data memory with the instruction-set model's and
with the kernel's independent reference (when it has one), and every retired
instruction of every thread with the model's. It returns the problems as text; an
empty list means the run is right.
"""

from __future__ import annotations

import random

from .bus_errors import MATADD_FAULTS, bus_error_line
from .counter_checks import counter_problems
from .harness import Job
from .isa import DATA_MEM_SIZE
from .lockstep import barrier_release_problems, compare_commits
from .memory_diff import memory_diff
from .model import ModelResult, ModelTimeout, find_races, run_kernel


def guarded_memory(data: list[int], seed: int) -> list[int]:
    """The kernel's .data, then seeded random bytes up to 256: a stray write shows up."""
    rng = random.Random(seed)
    return list(data) + [rng.randrange(256) for _ in range(DATA_MEM_SIZE - len(data))]


def fault_jobs(matadd, first_seed: int = 0) -> list[Job]:
    """matadd once with each fault of MATADD_FAULTS (kernels/matadd.asm, loaded by the
    caller), every other launch with random stalls: the AXI error path, as make coverage
    and make mutate run it."""
    return [
        Job(
            matadd.program.words,
            guarded_memory(matadd.data, first_seed + i),
            matadd.threads,
            latency=2,
            stall_max=3 * (i % 2),
            seed=first_seed + i,
            max_cycles=matadd.max_cycles,
            fault=fault,
            name=f"matadd with {fault}",
        )
        for i, fault in enumerate(MATADD_FAULTS)
    ]


def race_report(model: ModelResult) -> str | None:
    """One line saying why the kernel's result is undefined (threads race on a byte, or read
    shared memory their block never wrote), from the ISA model's run; None when defined."""
    races = find_races(model)
    if not races:
        return None
    more = f" (and {len(races) - 3} more)" if len(races) > 3 else ""
    return (
        "KERNEL RACE, not an RTL fault: the kernel's result is undefined because threads share "
        "a byte that one of them writes (or read shared memory before it was written): " + "; ".join(races[:3]) + more
    )


def undefined_launch(job: Job, *, block_dim: int, shared_bytes: int) -> str | None:
    """Before any simulator starts: the `race_report` line when the ISA model shows that the
    launch's result is undefined, else None (also when the model does not finish: the
    run's timeout or check_run says so).

    Such a launch is refused, not simulated: no answer of the RTL could be checked, and an
    unwritten shared byte is X in simulation, which reaches the memory bus and fires the
    RTL's assertions as if the hardware were broken."""
    try:
        model = run_kernel(job.program, job.memory, job.threads, block_dim, shared_bytes=shared_bytes)
    except ModelTimeout:
        return None
    return race_report(model)


def check_run(
    result, *, block_dim: int, shared_bytes: int, reference=None, label: str = "", wave_hint: str = ""
) -> list[str]:
    """All problems found in one JobResult (empty when it matches the models); `block_dim`
    and `shared_bytes` are the configuration's THREADS_PER_BLOCK and SHARED_MEM_BYTES."""
    job = result.job
    problems = []
    header = f"{label}: threads={job.threads} latency={job.latency} stall_max={job.stall_max} seed={job.seed}"
    if job.hold_start_cycles and not result.timed_out and not result.raw.get("done_while_start_held", 1):
        return [f"{header}: done fell while start stayed high after the kernel finished (it launched again)"]
    if result.timed_out or not result.done:
        problems.append(f"{header}: kernel did not finish within {job.max_cycles} cycles (timeout)")
        return problems
    if job.reset and result.done_before_launch != 0:
        problems.append(f"{header}: done was high after reset, before the launch")
    if result.done_after_launch != 0:
        problems.append(f"{header}: done was still high after the launch edge")

    try:
        model = run_kernel(job.program, job.memory, job.threads, block_dim, shared_bytes=shared_bytes)
    except ModelTimeout as error:
        return [f"{header}: the model itself did not finish: {error}"]
    race = race_report(model)
    if race:
        return [f"{header}: {race}"]
    if result.bus_error is not None:
        # The launch ended early: what it did is not the kernel's result, so only the error is told.
        line = bus_error_line(
            result.bus_error, result.config, job.program, model.commits, result.commits, cycles=result.cycles
        )
        return [f"{header}: {line}"]

    diff = memory_diff(model.memory, result.memory, initial=job.memory)
    if diff:
        problems.append(f"{header}: final data memory differs from the ISA model:\n" + "\n".join(diff))
    if reference is not None:
        expected = reference(list(job.memory), job.threads, block_dim)
        ref_diff = memory_diff(expected, result.memory, initial=job.memory)
        if ref_diff:
            problems.append(f"{header}: final data memory differs from the reference:\n" + "\n".join(ref_diff))

    report = compare_commits(model.commits, result.commits)
    if report.mismatch:
        problems.append(
            f"{header}: lock-step check failed after {report.compared} matching records:\n  {report.mismatch}"
        )
    elif report.compared == 0 and job.threads > 0:
        problems.append(f"{header}: no instruction was compared (empty commit log)")
    problems += [f"{header}: {problem}" for problem in barrier_release_problems(result.commits)]
    if result.num_cores:
        problems += [
            f"{header}: {problem}"
            for problem in counter_problems(
                result.counters, result.commits, num_cores=result.num_cores, cycles=result.cycles
            )
        ]
    if problems and wave_hint:
        problems.append(f"  waveform: {wave_hint}")
    return problems
