#!/usr/bin/env python3
"""Random-program fuzzing of the RTL against the instruction-set model.

    tinygpu-fuzz --count 1000 --seed 7 --jobs auto      (make fuzz N=1000 SEED=7)
    tinygpu-fuzz --count 1 --seed 123 --config odd --sims icarus   (reproduce one)

What it does
------------
Seeds S, S+1, ..., S+N-1 each give one case:

* a configuration: round-robin over *all* configurations of tb/configs.toml by seed
  (``configs[seed % len(configs)]``, so a seed always lands on the same configuration
  whatever S is), or the one named by ``--config``;
* a program: ``randprog.generate(seed, block_dim=THREADS_PER_BLOCK of that config,
  size=...)``, which is legal, terminating and race-free by construction;
* a memory: latency 1..4 and stall_max 0..6 drawn from the seed, and the stall
  generator seeded with the seed itself (so a case is the triple seed/config/size).

The model runs first (it is cheap): a program the model cannot finish, that races, or
that retires more than the generator's static bound is a *generator* bug, reported as
such and never sent to the RTL. Every case then runs on each simulator of ``--sims``,
in batches of ``--batch`` cases of one configuration per simulator process
(``gpu_sim.run_jobs``), on ``--jobs`` worker processes, and is checked with
``gpu_checks.check_run``: final memory and every retired instruction of every thread.

When a batch's simulator process dies, its cases are re-run one per process, so one
crashing case loses nothing else. Failing cases are shrunk (``randprog.shrink``, each
predicate call re-runs the reduced program on the same simulator, configuration and
memory; at most ``--shrink-tries`` calls), the smallest program still failing is written
to build/fuzz/failures/seed-<N>.asm with a header saying how to run it, and its launch
settings to seed-<N>.toml beside it: copy both into tb/fuzz_regressions/ to keep the
program as a permanent regression (tinygpu.regressions).

With several simulators, a case that passes on each must also retire every instruction
at the same cycle on the same core on each (the RTL and the harness' stalls are
deterministic); a difference is reported as a failure of kind "simdiff" (not shrunk).

Exit status: 0 when every case matched, 1 on any mismatch, timeout, crash, simulator
timing difference or generator bug, 2 on a usage or build error.

The helpers (`make_case`, `run_cases`, `memory_params`, `reproduce_command`) are shared
with tb/test_random_programs.py.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
import shutil
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import randprog
from .assembler import assemble
from .checks import check_run
from .configs import GpuConfig, load_configs
from .harness import Job, JobResult, run_jobs
from .lockstep import compare_commits
from .model import ModelResult, ModelTimeout, find_races, run_kernel
from .parallel import parallel_map
from .paths import REPO_ROOT
from .regressions import settings_toml

FUZZ_ROOT = REPO_ROOT / "build" / "fuzz"
FAILURE_DIR = FUZZ_ROOT / "failures"
PYTHON = ".venv/bin/python"

LATENCY_RANGE = (1, 4)    # memory latency, cycles
STALL_MAX_RANGE = (0, 6)  # plus 0..stall_max random cycles per request
SIZE_CHOICES = tuple(randprog.SIZES) + ("mix",)


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


def cycle_budget(config: GpuConfig, model: ModelResult, threads: int, latency: int,
                 stall_max: int) -> int:
    """A timeout well above what the RTL needs: the RTL reports a hang as a timeout.

    Estimate: blocks run in waves of NUM_CORES; a block issues at most ~its longest
    thread's instruction count (divergent paths add some, covered by the factor); each
    instruction costs a fetch and possibly a memory access, which waits behind every
    other thread in flight that shares a data channel. Calibrated on all configurations
    at latency 4 + stall 6: real runs use under a third of this (the summary prints the
    largest fraction seen).
    """
    block_dim = config.threads_per_block
    blocks = -(-threads // block_dim)
    waves = -(-blocks // config.num_cores)
    per_block = [0] * blocks
    for (block, _thread), trace in model.commits.items():
        per_block[block] = max(per_block[block], len(trace))
    longest = max(per_block, default=1)
    in_flight = min(config.num_cores, blocks) * block_dim
    channels = config.parameter("DATA_MEM_NUM_CHANNELS")
    per_instruction = 8 + (latency + stall_max) * (1 + -(-in_flight // channels))
    return max(2000, 3 * waves * longest * per_instruction)


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
        return Job(program=self.words, memory=list(self.program.data), threads=self.program.threads,
                   latency=self.latency, stall_max=self.stall_max, seed=self.seed,
                   max_cycles=self.max_cycles, name=f"seed-{self.seed}")

    def with_program(self, program: randprog.RandomProgram) -> "Case":
        """The same case (config, memory behaviour) with another (e.g. shrunk) program."""
        return _finish_case(self.seed, self.config, self.size, program, self.latency, self.stall_max)


def make_case(seed: int, config: GpuConfig, size: str = "medium", *,
              latency: int | None = None, stall_max: int | None = None) -> Case:
    """Generate and model the case of `seed` on `config`. Raises GeneratorBug."""
    size = size_for(seed, size)
    default_latency, default_stall = memory_params(seed)
    try:
        program = randprog.generate(seed, block_dim=config.threads_per_block, size=size)
    except Exception as error:  # noqa: BLE001 - any failure here is the generator's
        raise GeneratorBug(f"randprog.generate raised {type(error).__name__}: {error}") from error
    return _finish_case(seed, config, size, program,
                        default_latency if latency is None else latency,
                        default_stall if stall_max is None else stall_max)


def _finish_case(seed: int, config: GpuConfig, size: str, program: randprog.RandomProgram,
                 latency: int, stall_max: int) -> Case:
    where = f"seed {seed} block_dim {program.block_dim} size {size}"
    try:
        words = assemble(program.asm, filename=f"<randprog seed {seed}>").words
    except Exception as error:  # noqa: BLE001
        raise GeneratorBug(f"{where}: the program does not assemble: {error}") from error
    bound = program.max_retired_per_thread
    try:
        model = run_kernel(words, program.data, program.threads, program.block_dim,
                           max_instructions_per_thread=2 * bound + 16)
    except ModelTimeout as error:
        raise GeneratorBug(f"{where}: the model did not finish (the generator promises "
                           f"termination within {bound} instructions per thread): {error}") from error
    except Exception as error:  # noqa: BLE001
        raise GeneratorBug(f"{where}: the model raised {type(error).__name__}: {error}") from error
    longest = max((len(t) for t in model.commits.values()), default=0)
    if longest > bound:
        raise GeneratorBug(f"{where}: a thread retired {longest} instructions, above the "
                           f"generator's static bound {bound}")
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
    kind: str                   # "ok", "mismatch", "crash", "generator" or "simdiff"
    problems: list[str]
    compared: int = 0           # commit records that matched the model
    cycles: int = 0
    max_cycles: int = 0
    work_dir: str = ""
    timing: str = ""            # digest of when each instruction retired, and where

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


def _outcome(case: Case, sim: str, kind: str, problems: list[str], **extra) -> Outcome:
    p = case.program
    return Outcome(seed=case.seed, sim=sim, config=case.config.name, size=case.size,
                   block_dim=p.block_dim, threads=p.threads, latency=case.latency,
                   stall_max=case.stall_max, words=len(case.words), kind=kind,
                   problems=problems, max_cycles=case.max_cycles, **extra)


def check_case(case: Case, result: JobResult, sim: str, work_dir: Path) -> Outcome:
    label = f"seed {case.seed} on {sim}/{case.config.name} (block_dim {case.program.block_dim})"
    problems = check_run(result, block_dim=case.program.block_dim, label=label)
    compared = compare_commits(case.model.commits, result.commits).compared
    # Sorted: the log's order *within* a cycle is the simulator's scheduling order of the
    # harness' monitors, which may differ between simulators without meaning anything.
    retired = sorted((c.cycle, c.core, c.block, c.thread, c.pc) for c in result.commits)
    timing = hashlib.sha1(f"{result.cycles};{retired}".encode()).hexdigest()
    return _outcome(case, sim, "mismatch" if problems else "ok", problems, compared=compared,
                    cycles=result.cycles, work_dir=str(work_dir), timing=timing)


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
            found.append(dataclasses.replace(
                group[-1], sim="+".join(o.sim for o in group), kind="simdiff", compared=0, cycles=0,
                problems=[f"seed {group[0].seed} on {group[0].config}: the simulators agree with the "
                          f"model but not with each other on timing ({cycles}; commit cycle/core "
                          f"sequences differ): a simulator-dependent race in the RTL or harness?"]))
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
            return [_outcome(cases[0], sim, "crash", [_crash_text(cases[0], sim, error)],
                             work_dir=str(work_dir))]
    return [run_cases(sim, config, [c], work_dir / f"seed-{c.seed}")[0] for c in cases]


def _crash_text(case: Case, sim: str, error: Exception) -> str:
    text = str(error).strip()
    lines = text.splitlines()
    short = "\n".join(lines[:40] + (["  ..."] if len(lines) > 40 else []))
    return (f"seed {case.seed} on {sim}/{case.config.name}: the simulator run failed "
            f"({type(error).__name__}):\n{short}")


def still_fails(case: Case, sim: str, work_dir: Path) -> bool:
    """Shrink predicate: does this case still fail (mismatch, timeout or crash) on `sim`?"""
    try:
        case = case.with_program(case.program)  # re-model (the program changed)
    except GeneratorBug:
        return False
    outcome = run_cases(sim, case.config, [case], work_dir)[0]
    return outcome.kind in ("mismatch", "crash")


# --------------------------------------------------------------------------------------
# Worker side (runs in the multiprocessing pool)
# --------------------------------------------------------------------------------------


@dataclass
class Batch:
    sim: str
    config: str
    seeds: list[int]
    size: str
    work_dir: str
    keep: bool


def _build(task: tuple[str, str]) -> tuple[str, str, float, str | None]:
    from .harness import build
    sim, name = task
    start = time.monotonic()
    try:
        build(sim, load_configs()[name])
    except Exception as error:  # noqa: BLE001
        return sim, name, time.monotonic() - start, f"{type(error).__name__}: {error}"
    return sim, name, time.monotonic() - start, None


def _run_batch(batch: Batch) -> list[Outcome]:
    config = load_configs()[batch.config]
    outcomes, cases = [], []
    for seed in batch.seeds:
        try:
            cases.append(make_case(seed, config, batch.size))
        except GeneratorBug as error:
            lat, stall = memory_params(seed)
            outcomes.append(Outcome(seed, batch.sim, config.name, size_for(seed, batch.size),
                                    config.threads_per_block, 0, lat, stall, 0, "generator",
                                    [f"GENERATOR BUG (not an RTL problem): {error}"]))
    work_dir = Path(batch.work_dir)
    try:
        outcomes += run_cases(batch.sim, config, cases, work_dir)
    except Exception:  # noqa: BLE001 - a bug in this script: report it, keep going
        text = traceback.format_exc()
        outcomes += [_outcome(c, batch.sim, "crash", [f"fuzz.py internal error:\n{text}"]) for c in cases]
    if not batch.keep and not any(o.failed for o in outcomes):
        shutil.rmtree(work_dir, ignore_errors=True)
    return outcomes


@dataclass
class ShrinkTask:
    outcome: Outcome
    tries: int


@dataclass
class ShrinkResult:
    outcome: Outcome
    asm_path: str | None
    words_before: int
    words_after: int
    threads_after: int
    calls: int
    error: str | None = None


def _shrink(task: ShrinkTask) -> ShrinkResult:
    o = task.outcome
    config = load_configs()[o.config]
    work_root = FUZZ_ROOT / "shrink" / f"{o.sim}-seed-{o.seed}"
    shutil.rmtree(work_root, ignore_errors=True)
    calls = 0
    try:
        case = make_case(o.seed, config, o.size, latency=o.latency, stall_max=o.stall_max)

        def predicate(program: randprog.RandomProgram) -> bool:
            nonlocal calls
            calls += 1
            return still_fails(dataclasses.replace(case, program=program), o.sim,
                               work_root / f"try-{calls:03d}")

        # shrink() calls the predicate once on the original, then at most max_tries times.
        small = randprog.shrink(case.program, predicate, max_tries=max(0, task.tries - 1))
        final = case.with_program(small)
        last = run_cases(o.sim, config, [final], work_root / "final")[0]
    except Exception as error:  # noqa: BLE001
        return ShrinkResult(o, None, o.words, o.words, o.threads, calls,
                            f"{type(error).__name__}: {error}")
    FAILURE_DIR.mkdir(parents=True, exist_ok=True)
    path = FAILURE_DIR / f"seed-{o.seed}.asm"
    rel = path.relative_to(REPO_ROOT)
    first = (last.problems or o.problems or ["(it no longer fails?)"])[0]
    header = [
        f"; fuzz failure: seed {o.seed} on {o.sim}, configuration {o.config} "
        f"(THREADS_PER_BLOCK {o.block_dim}), size {o.size}",
        f"; memory: latency {o.latency}, stall_max {o.stall_max}, stall seed {o.seed}",
        f"; shrunk from {o.words} words / {o.threads} threads to {len(final.words)} words / "
        f"{small.threads} threads in {calls} simulator runs",
        "; run it:",
        f";   {PYTHON} scripts/run_kernel.py --kernel {rel} --sim {o.sim} --config {o.config} "
        f"--latency {o.latency} --stall-max {o.stall_max} --seed {o.seed} --waves",
        "; the whole (unshrunk) case:",
        f";   {reproduce_command(o.seed, o.config, o.sim, o.size)}",
        "; first problem of the shrunk program:",
        *(";   " + line for line in first.splitlines()),
        ";",
    ]
    path.write_text("\n".join(header) + "\n" + small.asm)
    note = f"found by make fuzz on {o.sim}: {o.headline()[:200]}"
    path.with_suffix(".toml").write_text(settings_toml(
        config=o.config, latency=o.latency, stall_max=o.stall_max, stall_seed=o.seed, note=note))
    shutil.rmtree(work_root, ignore_errors=True)
    return ShrinkResult(o, str(rel), o.words, len(final.words), small.threads, calls)


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def make_batches(seeds: list[int], configs: list[GpuConfig], sims: list[str], size: str,
                 batch_size: int, keep: bool) -> list[Batch]:
    """Group seeds by configuration, cut into batches, one list per simulator.

    Icarus batches come first: they are the slow ones, so the pool ends evenly."""
    by_config: dict[str, list[int]] = {}
    for seed in seeds:
        by_config.setdefault(config_for(seed, configs).name, []).append(seed)
    batches = []
    for sim in sorted(sims, key=lambda s: s != "icarus"):
        for name, group in by_config.items():
            for i in range(0, len(group), batch_size):
                chunk = group[i:i + batch_size]
                work = FUZZ_ROOT / f"{sim}-{name}-{chunk[0]}"
                batches.append(Batch(sim, name, chunk, size, str(work), keep))
    return batches


def _pick_for_shrinking(failures: list[Outcome], limit: int) -> list[Outcome]:
    """Up to `limit` failures, one per (simulator, configuration) first, smallest
    programs first, never the same seed twice (both simulators share seed-N.asm)."""
    picked, seen_keys, seen_seeds = [], set(), set()
    ranked = sorted(failures, key=lambda o: (o.words * max(o.threads, 1), o.seed))
    for pass_ in (0, 1):
        for o in ranked:
            if len(picked) >= limit:
                return picked
            if o.seed in seen_seeds or (pass_ == 0 and (o.sim, o.config) in seen_keys):
                continue
            picked.append(o)
            seen_seeds.add(o.seed)
            seen_keys.add((o.sim, o.config))
    return picked


def _print_summary(outcomes: list[Outcome], sims: list[str], elapsed: float) -> None:
    print("\nsummary")
    for sim in sims:
        mine = [o for o in outcomes if o.sim == sim]
        kinds = {k: sum(1 for o in mine if o.kind == k) for k in ("mismatch", "crash", "generator")}
        budget = max((o.cycles / o.max_cycles for o in mine if o.kind == "ok" and o.max_cycles),
                     default=0.0)
        print(f"  {sim:9s}: {len(mine):5d} programs run, {sum(o.compared for o in mine):9d} instructions "
              f"compared, {sum(o.cycles for o in mine):10d} cycles; mismatches {kinds['mismatch']}, "
              f"crashes {kinds['crash']}, generator bugs {kinds['generator']}; "
              f"largest share of the cycle budget used {budget:.0%}")
    simdiff = sum(1 for o in outcomes if o.kind == "simdiff")
    if len(sims) > 1:
        print("  icarus and verilator retired every instruction at the same cycle on the same core"
              if not simdiff else f"  TIMING DIFFERS between the simulators for {simdiff} seed(s)")
    print(f"  total    : {len({o.seed for o in outcomes})} seeds, "
          f"{sum(o.compared for o in outcomes)} instructions compared, "
          f"{sum(1 for o in outcomes if o.failed)} failing runs, wall time {elapsed:.1f} s")


def _print_failures(failures: list[Outcome], shrunk: list[ShrinkResult], detailed: int = 8) -> None:
    """Every failing run: the shrunk ones and the first `detailed` in full (problem,
    run folder, reproduce command, shrunk program, TOML entry), the rest in one line."""
    if not failures:
        print("\nno mismatch")
        return
    by_key = {(s.outcome.seed, s.outcome.sim): s for s in shrunk}
    full = [o for o in failures if (o.seed, o.sim) in by_key]
    full += [o for o in failures if o not in full][:max(0, detailed - len(full))]
    print(f"\n{len(failures)} failing run(s)" + (f", {len(full)} in detail:" if len(full) < len(failures) else ":"))
    brief = [o for o in failures if o not in full]
    for o in brief[:60]:
        print(f"  seed {o.seed} [{o.kind}] {o.sim}/{o.config} latency {o.latency} stall_max "
              f"{o.stall_max}: {o.headline()[:200]}")
    if len(brief) > 60:
        print(f"  ... and {len(brief) - 60} more")
    for o in full:
        print(f"\n=== seed {o.seed}: {o.kind} on {o.sim}, configuration {o.config} "
              f"(block_dim {o.block_dim}), size {o.size}, latency {o.latency}, "
              f"stall_max {o.stall_max}, {o.threads} threads, {o.words} words")
        text = o.problems[0] if o.problems else "(no description)"
        print("\n".join("  " + line for line in text.splitlines()[:30]))
        if o.work_dir:
            print(f"  run folder: {o.work_dir}")
        if o.kind == "generator":
            print("  -> a bug in tinygpu/randprog.py (or the model), not in the RTL")
            continue
        print(f"  reproduce: {reproduce_command(o.seed, o.config, o.sim.replace('+', ','), o.size)}")
        s = by_key.get((o.seed, o.sim))
        if s is None:
            continue
        if s.error:
            print(f"  shrink failed after {s.calls} runs: {s.error}")
            continue
        print(f"  shrunk ({s.calls} runs): {s.words_before} -> {s.words_after} words, "
              f"{o.threads} -> {s.threads_after} threads: {s.asm_path}")
        stem = s.asm_path[:-len(".asm")]
        print(f"  keep it as a regression (program and launch settings, re-run by make test):\n"
              f"    cp {stem}.asm {stem}.toml tb/fuzz_regressions/   # then say in the .toml's note what it found")


# --------------------------------------------------------------------------------------
# A campaign (make fuzz)
# --------------------------------------------------------------------------------------


def run_campaign(*, first_seed: int, count: int, configs: list[GpuConfig], sims: list[str],
                 size: str, batch: int, jobs: int, shrink_tries: int, max_shrink: int,
                 keep: bool) -> int:
    """Run seeds first_seed.. on every simulator, shrink failures, print the report.

    Exit status: 0 all matched, 1 any failure (or nothing compared), 2 the harness does
    not build."""
    seeds = list(range(first_seed, first_seed + count))
    batches = make_batches(seeds, configs, sims, size, batch, keep)
    used = sorted({(b.sim, b.config) for b in batches})
    start = time.monotonic()
    print(f"fuzz: seeds {seeds[0]}..{seeds[-1]} ({len(seeds)} programs, size {size}) on "
          f"{', '.join(sims)}; {len(configs)} configuration(s); {len(batches)} batches of <= "
          f"{batch}; {jobs} worker(s); work folders under {FUZZ_ROOT.relative_to(REPO_ROOT)}/",
          flush=True)

    outcomes: list[Outcome] = []
    build_errors = []
    build_start = time.monotonic()
    for sim, name, seconds, error in parallel_map(_build, used, jobs=jobs):
        if error:
            build_errors.append(f"{sim}/{name}: {error}")
        elif seconds > 2:
            print(f"  built {sim}/{name} in {seconds:.0f} s", flush=True)
    if build_errors:
        print("fuzz: the harness does not build:\n" + "\n".join(build_errors), file=sys.stderr)
        return 2
    build_seconds = time.monotonic() - build_start
    if build_seconds > 2:
        print(f"  harness builds took {build_seconds:.0f} s (wall); runs start now", flush=True)

    done_batches = 0
    for result in parallel_map(_run_batch, batches, jobs=jobs):
        done_batches += 1
        outcomes += result
        first = result[0]
        failed = [o for o in result if o.failed]
        seeds_text = f"{min(o.seed for o in result)}..{max(o.seed for o in result)}"
        print(f"[{done_batches:3d}/{len(batches)}] {first.sim:9s} {first.config:20s} seeds "
              f"{seeds_text:>11s}: {len(result) - len(failed)}/{len(result)} ok, "
              f"{sum(o.compared for o in result):6d} instructions  "
              f"({time.monotonic() - start:5.0f} s)", flush=True)
        for o in failed:
            print(f"      FAIL seed {o.seed} [{o.kind}] {o.headline()}", flush=True)

    outcomes += timing_differences(outcomes)
    failures = sorted((o for o in outcomes if o.failed), key=lambda o: (o.seed, o.sim))
    rtl_failures = [o for o in failures if o.kind in ("mismatch", "crash")]
    to_shrink = _pick_for_shrinking(rtl_failures, max_shrink)
    shrink_results = []
    if to_shrink:
        print(f"\nshrinking {len(to_shrink)} of {len(rtl_failures)} failing case(s), "
              f"<= {shrink_tries} simulator runs each ...", flush=True)
        shrink_results = list(parallel_map(_shrink, [ShrinkTask(o, shrink_tries) for o in to_shrink], jobs=jobs, ordered=True))
    elapsed = time.monotonic() - start

    _print_summary(outcomes, sims, elapsed)
    _print_failures(failures, shrink_results)
    compared = sum(o.compared for o in outcomes)
    if compared == 0:
        print("fuzz: FAIL: no instruction was compared at all", file=sys.stderr)
        return 1
    return 1 if failures else 0

