# SPDX-License-Identifier: MIT
"""Run one kernel on the RTL and show what happened.

    tinygpu-run [--kernel kernels/matmul.asm] [--sim icarus|verilator]
                [--config default] [--threads N] [--latency 1] [--stall-max 0] [--seed 1]
                [--max-cycles N] [--waves] [--json out.json]

Before any simulator starts, `launch_job` runs the kernel on the ISA model: a kernel whose
result is undefined (a race), one the model does not finish (unless a cycle limit is
given) and a configuration the kernel's .toml excludes are refused in one line; the cycle
limit is derived from the model's run (tinygpu/cycle_budget.py) unless given.

Reports the initial and final data memory, the cycles from start to done, and whether
the result matches the ISA model (and the kernel's reference, when the kernel has a
NAME.toml beside it). With --waves it also writes an FST waveform and a readable
per-cycle execution trace (cores, threads, PC, instruction, registers) and prints their
paths; `make waves` opens the last waveform. Exit status 0 only when the result matches.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .assembler import Program
from .checks import check_run, race_report
from .configs import GpuConfig, load_configs
from .cycle_budget import cycle_budget
from .harness import Job, run_jobs
from .isa import DATA_MEM_SIZE
from .kernels import Kernel
from .log import Log
from .model import ModelTimeout, run_kernel
from .paths import BUILD_DIR, REPO_ROOT
from .timeline import draw_timeline
from .trace_view import render_trace

RUN_ROOT = BUILD_DIR / "run"


@dataclass(frozen=True)
class RunRequest:
    """One `make run`, every setting already checked (tinygpu.cli.run does that)."""

    asm_path: Path
    program: Program
    kernel: Kernel | None  # the kernel's description, when it has a NAME.toml beside it
    sim: str
    config: GpuConfig
    threads: int
    latency: int = 1
    stall_max: int = 0
    seed: int = 1
    max_cycles: int | None = None  # None: derived from the ISA model's run (tinygpu.cycle_budget)
    waves: bool = False
    json_path: Path | None = None


COUNTER_TITLES = {
    "busy_cycles": "busy cycles (a block on the core)",
    "issued": "instructions issued",
    "thread_instructions": "thread-instructions retired",
    "icache_hits": "instruction cache hits",
    "icache_misses": "instruction cache misses",
    "fetch_stall_cycles": "cycles waiting for an instruction",
    "memory_stall_cycles": "cycles waiting on memory",
    "divergent_issues": "issues with fewer threads than live",
    "merged_loads": "thread loads served by another's read",
    "warp_switches": "warp switches",
    "barrier_wait_cycles": "cycles with a thread at a barrier",
    "shared_loads": "shared-memory loads (per thread)",
    "shared_stores": "shared-memory stores (per thread)",
}


def format_counters(counters: list[dict[str, int]]) -> str:
    """The cores' performance counters as a table, one column per core."""
    header = f"performance counters ({len(counters)} core{'' if len(counters) == 1 else 's'}):"
    width = max(len(title) for title in COUNTER_TITLES.values())
    rows = [
        f"  {COUNTER_TITLES[name]:<{width}s} " + " ".join(f"{core[name]:>7d}" for core in counters)
        for name in COUNTER_TITLES
    ]
    return "\n".join(
        [header, f"  {'':<{width}s} " + " ".join(f"{'core ' + str(c):>7s}" for c in range(len(counters)))] + rows
    )


def memory_rows(memory: list[int], *, compare: list[int] | None = None) -> list[str]:
    """Decimal dump, 16 bytes a row, rows that hold anything; '*' marks bytes that changed."""
    rows = []
    for base in range(0, len(memory), 16):
        row = memory[base : base + 16]
        before = compare[base : base + 16] if compare else None
        if not any(row) and not (before and any(before)):
            continue
        cells = []
        for i, value in enumerate(row):
            mark = "*" if before is not None and before[i] != value else " "
            cells.append(f"{value:4d}{mark}")
        rows.append(f"  {base:3d}:" + "".join(cells).rstrip())
    return rows or ["  (all zero)"]


class RunRefused(Exception):
    """A run that must not start; the message says why in one line."""


def launch_job(request: RunRequest) -> Job:
    """The launch `request` asks for, after the checks only the kernel's content allows
    (no simulator is started). RunRefused when the kernel's .toml excludes the
    configuration, when the ISA model shows its result is undefined, or when the model
    does not finish it and no cycle limit was given. The cycle limit: `max_cycles` when
    given, else derived from the model's run (tinygpu.cycle_budget)."""
    r = request
    if r.kernel is not None and not r.kernel.runs_on(r.config):
        fits = [name for name, config in load_configs().items() if r.kernel.runs_on(config)]
        raise RunRefused(
            f"{r.kernel.name} is not written for configuration {r.config.name} "
            f"({r.config.threads_per_block} threads per block, {r.config.shared_mem_bytes} "
            f"bytes of shared memory): its .toml asks for {r.kernel.needs()}; "
            f"it runs on: {', '.join(fits) or 'no configuration'}"
        )
    memory = list(r.program.data) + [0] * (DATA_MEM_SIZE - len(r.program.data))
    block_dim, shared_bytes = r.config.threads_per_block, r.config.shared_mem_bytes
    try:
        model = run_kernel(r.program.words, memory, r.threads, block_dim, shared_bytes=shared_bytes)
    except ModelTimeout as error:
        if r.max_cycles is None:
            raise RunRefused(
                f"the kernel does not finish in the ISA model: {error}; to run it on the RTL "
                "anyway, give a cycle limit (MAX_CYCLES=N, --max-cycles N)"
            ) from None
        model = None
    race = race_report(model) if model else None
    if race:
        raise RunRefused(race)
    max_cycles = r.max_cycles
    if max_cycles is None:
        assert model is not None  # without a cycle limit, a model that did not finish was refused
        max_cycles = cycle_budget(r.config, model, r.threads, r.latency, r.stall_max)
    return Job(
        program=r.program.words,
        memory=memory,
        threads=r.threads,
        latency=r.latency,
        stall_max=r.stall_max,
        seed=r.seed,
        max_cycles=max_cycles,
        name=r.asm_path.stem,
    )


def run_and_report(request: RunRequest, job: Job, *, log: Log) -> int:
    """Run `job` (from `launch_job(request)`), report memory, cycles and the verdict to
    `log`; 0 when it matches the models."""
    r = request
    memory = job.memory
    work_dir = RUN_ROOT / f"{r.asm_path.stem}-{r.sim}-{r.config.name}"
    shown = r.asm_path.relative_to(REPO_ROOT) if r.asm_path.is_relative_to(REPO_ROOT) else r.asm_path
    stalls = f" + stalls 0..{r.stall_max} (seed {r.seed})" if r.stall_max else ""
    log(
        f"kernel {shown}: {len(r.program.words)} instructions, {r.threads} threads, "
        f"config {r.config.name} ({r.config.num_cores} cores x {r.config.threads_per_block} threads), "
        f"{r.sim}, memory latency {r.latency}{stalls}"
    )
    result = run_jobs(r.sim, r.config, [job], work_dir, trace=r.waves, waves=r.waves)[0]

    log("initial data memory:")
    log("\n".join(memory_rows(memory)))
    log("final data memory (* = changed):")
    log("\n".join(memory_rows(result.memory, compare=memory)))
    reference = r.kernel.reference if r.kernel else None
    problems = check_run(
        result,
        block_dim=r.config.threads_per_block,
        shared_bytes=r.config.shared_mem_bytes,
        reference=reference,
        label=r.asm_path.stem,
    )
    checked = "ISA model" + (" and reference" if reference else "")
    if result.timed_out:
        limit = "" if r.max_cycles else " (the limit derived from the ISA model's run; MAX_CYCLES=N sets another)"
        log(f"TIMEOUT: the kernel did not finish within {job.max_cycles} cycles{limit}")
    else:
        log(f"cycles: {result.cycles}")
    log(
        f"result: {'PASS' if not problems else 'FAIL'} (compared with the {checked}, "
        f"{len(result.commits)} retired instructions checked)"
    )
    if result.counters:
        log(format_counters(result.counters))
    for problem in problems:
        log(problem)

    if r.waves:
        trace_path = work_dir / "trace.txt"
        trace_path.write_text(render_trace(work_dir / "trace.log", result.commits, r.config))
        timeline_path = draw_timeline(
            work_dir / "trace.log",
            r.config,
            work_dir / "timeline.png",
            title=f"{r.asm_path.stem} on {r.config.name}, memory latency {r.latency}\n"
            "per core and cycle: the warp that executes (lighter: fewer "
            "threads active), or why none does",
        )
        wave_path = work_dir / "waves.fst"
        (work_dir / "config").write_text(r.config.name + "\n")  # for `make waves`
        last = RUN_ROOT / "last_wave"
        last.parent.mkdir(parents=True, exist_ok=True)
        last.write_text(str(wave_path) + "\n")
        log(f"waveform: {wave_path}")
        log(f"trace:    {trace_path}")
        log(f"timeline: {timeline_path}")
        log("open the waveform with: make waves")

    if r.json_path:
        r.json_path.write_text(
            json.dumps(
                {
                    "kernel": str(r.asm_path),
                    "simulator": r.sim,
                    "config": r.config.name,
                    "threads": r.threads,
                    "latency": r.latency,
                    "stall_max": r.stall_max,
                    "seed": r.seed,
                    "cycles": result.cycles,
                    "timed_out": result.timed_out,
                    "passed": not problems,
                    "counters": result.counters,
                    "problems": problems,
                    "initial_memory": memory,
                    "final_memory": result.memory,
                },
                indent=1,
            )
        )
        log(f"json:     {r.json_path}")
    return 0 if not problems else 1
