# SPDX-License-Identifier: MIT
"""Fuzz cases: a seed becomes a random program, a memory behaviour and its expected
result; running cases on a simulator and judging them.

Shared by `make fuzz` (tinygpu.fuzz, the campaign) and the random-program tests
(tb/test_random_programs.py): a seed means the same case everywhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

from . import randprog
from .assembler import assemble
from .checks import check_run
from .configs import GpuConfig
from .cycle_budget import cycle_budget
from .harness import Job, JobResult, run_jobs
from .lockstep import compare_commits
from .model import ModelResult, ModelTimeout, find_races, run_kernel

PYTHON = ".venv/bin/python"
LATENCY_RANGE = (1, 4)  # memory latency, cycles
STALL_MAX_RANGE = (0, 6)  # plus 0..stall_max random cycles per request


# --------------------------------------------------------------------------------------
# One case: seed -> program, memory behaviour, expected result, cycle budget
# --------------------------------------------------------------------------------------


class GeneratorBug(Exception):
    """The generator broke its promise (the model cannot run the program cleanly)."""


def memory_params(seed: int) -> tuple[int, int]:
    """(latency, stall_max) of a seed's case; the stall generator is seeded with `seed`."""
    rng = random.Random(f"fuzz-memory:{seed}")
    return rng.randint(*LATENCY_RANGE), rng.randint(*STALL_MAX_RANGE)


def size_for(seed: int, size: str) -> str:
    """The program size of a seed: `size`, or for "mix" small/medium/large by seed."""
    return ("small", "medium", "large")[seed % 3] if size == "mix" else size


def config_for(seed: int, configs: list[GpuConfig]) -> GpuConfig:
    """Round-robin over `configs` by seed (the same seed always gets the same one)."""
    return configs[seed % len(configs)]


@dataclass
class Case:
    """One fuzz case, ready to run on a simulator."""

    seed: int
    config: GpuConfig
    size: str
    program: randprog.RandomProgram
    words: list[int]
    latency: int
    stall_max: int
    model: ModelResult
    max_cycles: int

    @property
    def label(self) -> str:
        return f"seed {self.seed} ({self.config.name}, block_dim {self.config.threads_per_block})"

    def job(self) -> Job:
        return Job(
            program=self.words,
            memory=list(self.program.data),
            threads=self.program.threads,
            latency=self.latency,
            stall_max=self.stall_max,
            seed=self.seed,
            max_cycles=self.max_cycles,
            name=f"seed-{self.seed}",
        )

    def with_program(self, program: randprog.RandomProgram) -> Case:
        """The same case (config, memory behaviour) with another (e.g. shrunk) program."""
        return _finish_case(self.seed, self.config, self.size, program, self.latency, self.stall_max)


def make_case(
    seed: int, config: GpuConfig, size: str = "medium", *, latency: int | None = None, stall_max: int | None = None
) -> Case:
    """Generate and model the case of `seed` on `config`. Raises GeneratorBug."""
    size = size_for(seed, size)
    default_latency, default_stall = memory_params(seed)
    try:
        program = randprog.generate(
            seed, block_dim=config.threads_per_block, size=size, shared_bytes=config.shared_mem_bytes
        )
    except Exception as error:
        raise GeneratorBug(f"randprog.generate raised {type(error).__name__}: {error}") from error
    return _finish_case(
        seed,
        config,
        size,
        program,
        default_latency if latency is None else latency,
        default_stall if stall_max is None else stall_max,
    )


def _finish_case(
    seed: int, config: GpuConfig, size: str, program: randprog.RandomProgram, latency: int, stall_max: int
) -> Case:
    where = f"seed {seed} block_dim {program.block_dim} size {size}"
    try:
        words = assemble(program.asm, filename=f"<randprog seed {seed}>").words
    except Exception as error:
        raise GeneratorBug(f"{where}: the program does not assemble: {error}") from error
    bound = program.max_retired_per_thread
    try:
        model = run_kernel(
            words,
            program.data,
            program.threads,
            program.block_dim,
            shared_bytes=config.shared_mem_bytes,
            max_instructions_per_thread=2 * bound + 16,
        )
    except ModelTimeout as error:
        raise GeneratorBug(
            f"{where}: the model did not finish (the generator promises "
            f"termination within {bound} instructions per thread): {error}"
        ) from error
    except Exception as error:
        raise GeneratorBug(f"{where}: the model raised {type(error).__name__}: {error}") from error
    longest = max((len(t) for t in model.commits.values()), default=0)
    if longest > bound:
        raise GeneratorBug(
            f"{where}: a thread retired {longest} instructions, above the generator's static bound {bound}"
        )
    races = find_races(model)
    if races:
        raise GeneratorBug(f"{where}: the program is not race-free: {races[0]}")
    max_cycles = cycle_budget(config, model, program.threads, latency, stall_max)
    return Case(seed, config, size, program, words, latency, stall_max, model, max_cycles)


def reproduce_command(seed: int, config: str, sim: str, size: str = "medium") -> str:
    """The command that re-runs (and shrinks) one case."""
    size_arg = f" --size {size}" if size != "medium" else ""
    return f"{PYTHON} scripts/fuzz.py --count 1 --seed {seed} --config {config} --sims {sim}{size_arg}"


# --------------------------------------------------------------------------------------
# Running cases on a simulator
# --------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What happened to one case on one simulator (picklable, small)."""

    seed: int
    sim: str
    config: str
    size: str
    block_dim: int
    threads: int
    latency: int
    stall_max: int
    words: int
    kind: str  # "ok", "mismatch", "crash", "generator" or "simdiff"
    problems: list[str]
    compared: int = 0  # commit records that matched the model
    cycles: int = 0
    max_cycles: int = 0
    work_dir: str = ""
    timing: str = ""  # digest of when each instruction retired, and where

    @property
    def failed(self) -> bool:
        return self.kind != "ok"

    def headline(self) -> str:
        """The first problem in one line, without check_run's launch header: for a
        lock-step failure the first wrong instruction and its differing fields."""
        if not self.problems:
            return "(no description)"
        lines = [re.sub(r"\s+", " ", line).strip() for line in self.problems[0].splitlines()]
        lines = [line for line in lines if line]
        first = re.sub(r"^.*? seed=\d+: ", "", lines[0]).rstrip(":")
        if "lock-step" in first and len(lines) > 1:
            detail = lines[1].removeprefix("first wrong instruction: ")
            fields = [line for line in lines if line.startswith(("expected:", "differing fields:"))]
            return "; ".join([f"{first}: {detail}", *fields])
        if len(lines) > 1 and "memory differs" in first:
            return f"{first}: {lines[1]}"
        return first


def make_outcome(case: Case, sim: str, kind: str, problems: list[str], **extra) -> Outcome:
    p = case.program
    return Outcome(
        seed=case.seed,
        sim=sim,
        config=case.config.name,
        size=case.size,
        block_dim=p.block_dim,
        threads=p.threads,
        latency=case.latency,
        stall_max=case.stall_max,
        words=len(case.words),
        kind=kind,
        problems=problems,
        max_cycles=case.max_cycles,
        **extra,
    )


def check_case(case: Case, result: JobResult, sim: str, work_dir: Path) -> Outcome:
    label = f"seed {case.seed} on {sim}/{case.config.name} (block_dim {case.program.block_dim})"
    problems = check_run(
        result, block_dim=case.program.block_dim, shared_bytes=case.config.shared_mem_bytes, label=label
    )
    compared = compare_commits(case.model.commits, result.commits).compared
    # Sorted: the log's order *within* a cycle is the simulator's scheduling order of the
    # harness' monitors, which may differ between simulators without meaning anything.
    retired = sorted((c.cycle, c.core, c.block, c.thread, c.pc) for c in result.commits)
    timing = hashlib.sha1(f"{result.cycles};{retired}".encode()).hexdigest()
    return make_outcome(
        case,
        sim,
        "mismatch" if problems else "ok",
        problems,
        compared=compared,
        cycles=result.cycles,
        work_dir=str(work_dir),
        timing=timing,
    )


def timing_differences(outcomes: list[Outcome]) -> list[Outcome]:
    """Cases that passed on several simulators but retired at different cycles or cores.

    The RTL and the harness (stalls included) are deterministic, so Icarus and Verilator
    must agree cycle for cycle; when they do not, some RTL or harness code behaves
    differently under the two schedulers (a race, a missing reset, an X). The result
    holds one new outcome (kind "simdiff") per such seed.
    """
    by_seed: dict[tuple[int, str], list[Outcome]] = {}
    for o in outcomes:
        if o.kind == "ok" and o.timing:
            by_seed.setdefault((o.seed, o.config), []).append(o)
    found = []
    for group in by_seed.values():
        if len({o.timing for o in group}) > 1:
            cycles = ", ".join(f"{o.sim} {o.cycles} cycles" for o in group)
            found.append(
                dataclasses.replace(
                    group[-1],
                    sim="+".join(o.sim for o in group),
                    kind="simdiff",
                    compared=0,
                    cycles=0,
                    problems=[
                        f"seed {group[0].seed} on {group[0].config}: the simulators agree with the "
                        f"model but not with each other on timing ({cycles}; commit cycle/core "
                        f"sequences differ): a simulator-dependent race in the RTL or harness?"
                    ],
                )
            )
    return found


def run_cases(sim: str, config: GpuConfig, cases: list[Case], work_dir: Path) -> list[Outcome]:
    """Run `cases` (all of `config`) in one simulator process and check each one.

    If that process fails (crash, missing results), every case is run again in a process
    of its own, so the crash is pinned on the case(s) that cause it and the others still
    get checked.
    """
    if not cases:
        return []
    work_dir = Path(work_dir)
    try:
        results = run_jobs(sim, config, [c.job() for c in cases], work_dir)
        return [check_case(c, r, sim, work_dir) for c, r in zip(cases, results)]
    except Exception as error:  # noqa: BLE001 - a crash of one batch must not stop the run
        if len(cases) == 1:
            return [make_outcome(cases[0], sim, "crash", [_crash_text(cases[0], sim, error)], work_dir=str(work_dir))]
    return [run_cases(sim, config, [c], work_dir / f"seed-{c.seed}")[0] for c in cases]


def _crash_text(case: Case, sim: str, error: Exception) -> str:
    text = str(error).strip()
    lines = text.splitlines()
    short = "\n".join(lines[:40] + (["  ..."] if len(lines) > 40 else []))
    return f"seed {case.seed} on {sim}/{case.config.name}: the simulator run failed ({type(error).__name__}):\n{short}"


def still_fails(case: Case, sim: str, work_dir: Path) -> bool:
    """Shrink predicate: does this case still fail (mismatch, timeout or crash) on `sim`?"""
    try:
        case = case.with_program(case.program)  # re-model (the program changed)
    except GeneratorBug:
        return False
    outcome = run_cases(sim, case.config, [case], work_dir)[0]
    return outcome.kind in ("mismatch", "crash")
