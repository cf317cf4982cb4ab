#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
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
(``harness.run_jobs``), one batch per engine task (tinygpu.engine: ``--jobs`` local
workers, or the cluster of ``--cluster``), and is checked with
``checks.check_run``: final memory and every retired instruction of every thread.

When a batch's simulator process dies, its cases are re-run one per process, so one
crashing case loses nothing else. Failing cases are shrunk (``randprog.shrink``, each
predicate call re-runs the reduced program on the same simulator, configuration and
memory; at most ``--shrink-tries`` calls) on a worker; back at the client, the smallest
program still failing is written to build/fuzz/failures/seed-<N>.asm with a header saying
how to run it, and its launch settings to seed-<N>.toml beside it, in the format of
tb/fuzz_regressions/: copy both there to keep the program as a permanent regression
(tinygpu.regressions).

With several simulators, a case that passes on each must also retire every instruction
at the same cycle on the same core on each (the RTL and the harness' stalls are
deterministic); a difference is reported as a failure of kind "simdiff" (not shrunk).

Exit status: 0 when every case matched, 1 on any mismatch, timeout, crash, simulator
timing difference or generator bug, 2 on a usage or build error.

A case and how it is run and judged (`make_case`, `run_cases`, `memory_params`,
`reproduce_command`) live in tinygpu.fuzz_cases, shared with tb/test_random_programs.py.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
import traceback
from dataclasses import dataclass

from . import randprog
from .configs import GpuConfig, load_configs
from .engine import Engine, attempt_folder
from .fuzz_cases import (
    PYTHON,
    GeneratorBug,
    Outcome,
    config_for,
    make_case,
    make_outcome,
    memory_params,
    reproduce_command,
    run_cases,
    size_for,
    still_fails,
    timing_differences,
)
from .log import Log
from .paths import REPO_ROOT
from .regressions import settings_toml

FUZZ_ROOT = REPO_ROOT / "build" / "fuzz"
FAILURE_DIR = FUZZ_ROOT / "failures"
SIZE_CHOICES = tuple(randprog.SIZES) + ("mix",)


# --------------------------------------------------------------------------------------
# Worker side (engine tasks: they run on any worker, paths relative to its checkout)
# --------------------------------------------------------------------------------------


@dataclass
class Batch:
    sim: str
    config: str
    seeds: list[int]
    size: str
    work_dir: str  # relative to the repository (the same on every worker)
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
            outcomes.append(
                Outcome(
                    seed,
                    batch.sim,
                    config.name,
                    size_for(seed, batch.size),
                    config.threads_per_block,
                    0,
                    lat,
                    stall,
                    0,
                    "generator",
                    [f"GENERATOR BUG (not an RTL problem): {error}"],
                )
            )
    batch_dir = REPO_ROOT / batch.work_dir
    work_dir = attempt_folder(batch_dir)
    try:
        outcomes += run_cases(batch.sim, config, cases, work_dir)
    except Exception:  # noqa: BLE001 - a bug in this script: report it, keep going
        text = traceback.format_exc()
        outcomes += [make_outcome(c, batch.sim, "crash", [f"fuzz.py internal error:\n{text}"]) for c in cases]
    if not batch.keep and not any(o.failed for o in outcomes):
        shutil.rmtree(batch_dir, ignore_errors=True)
    return outcomes


@dataclass
class ShrinkTask:
    outcome: Outcome
    tries: int


@dataclass
class ShrinkResult:
    outcome: Outcome
    asm_path: str | None  # relative to the repository; written by the client (write_shrunk)
    words_before: int
    words_after: int
    threads_after: int
    calls: int
    error: str | None = None
    asm_text: str = ""  # the regression file's program, with its header
    toml_text: str = ""  # its launch settings


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
            return still_fails(dataclasses.replace(case, program=program), o.sim, work_root / f"try-{calls:03d}")

        # shrink() calls the predicate once on the original, then at most max_tries times.
        small = randprog.shrink(case.program, predicate, max_tries=max(0, task.tries - 1))
        final = case.with_program(small)
        last = run_cases(o.sim, config, [final], work_root / "final")[0]
    except Exception as error:  # noqa: BLE001
        return ShrinkResult(o, None, o.words, o.words, o.threads, calls, f"{type(error).__name__}: {error}")
    rel = (FAILURE_DIR / f"seed-{o.seed}.asm").relative_to(REPO_ROOT)
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
    note = f"found by make fuzz on {o.sim}: {o.headline()[:200]}"
    shutil.rmtree(work_root, ignore_errors=True)
    return ShrinkResult(
        o,
        str(rel),
        o.words,
        len(final.words),
        small.threads,
        calls,
        asm_text="\n".join(header) + "\n" + small.asm,
        toml_text=settings_toml(
            config=o.config, latency=o.latency, stall_max=o.stall_max, stall_seed=o.seed, note=note
        ),
    )


def write_shrunk(result: ShrinkResult) -> None:
    """Client side: write a shrunk failure's program and launch settings (seed-N.asm/.toml)."""
    if result.asm_path is None:
        return
    path = REPO_ROOT / result.asm_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(result.asm_text)
    path.with_suffix(".toml").write_text(result.toml_text)


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def make_batches(
    seeds: list[int], configs: list[GpuConfig], sims: list[str], size: str, batch_size: int, keep: bool
) -> list[Batch]:
    """Group seeds by configuration, cut into batches, one list per simulator.

    Icarus batches come first: they are the slow ones, so the pool ends evenly."""
    by_config: dict[str, list[int]] = {}
    for seed in seeds:
        by_config.setdefault(config_for(seed, configs).name, []).append(seed)
    batches = []
    for sim in sorted(sims, key=lambda s: s != "icarus"):
        for name, group in by_config.items():
            for i in range(0, len(group), batch_size):
                chunk = group[i : i + batch_size]
                work = (FUZZ_ROOT / f"{sim}-{name}-{chunk[0]}").relative_to(REPO_ROOT)
                batches.append(Batch(sim, name, chunk, size, str(work), keep))
    return batches


def _pick_for_shrinking(failures: list[Outcome], limit: int) -> list[Outcome]:
    """Up to `limit` failures, one per (simulator, configuration) first, smallest
    programs first, never the same seed twice (both simulators share seed-N.asm)."""
    picked: list[Outcome] = []
    seen_keys: set[tuple[str, str]] = set()
    seen_seeds: set[int] = set()
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


def _print_summary(outcomes: list[Outcome], sims: list[str], elapsed: float, *, log: Log) -> None:
    log("\nsummary")
    for sim in sims:
        mine = [o for o in outcomes if o.sim == sim]
        kinds = {k: sum(1 for o in mine if o.kind == k) for k in ("mismatch", "crash", "generator")}
        budget = max((o.cycles / o.max_cycles for o in mine if o.kind == "ok" and o.max_cycles), default=0.0)
        log(
            f"  {sim:9s}: {len(mine):5d} programs run, {sum(o.compared for o in mine):9d} instructions "
            f"compared, {sum(o.cycles for o in mine):10d} cycles; mismatches {kinds['mismatch']}, "
            f"crashes {kinds['crash']}, generator bugs {kinds['generator']}; "
            f"largest share of the cycle budget used {budget:.0%}"
        )
    simdiff = sum(1 for o in outcomes if o.kind == "simdiff")
    if len(sims) > 1:
        log(
            "  icarus and verilator retired every instruction at the same cycle on the same core"
            if not simdiff
            else f"  TIMING DIFFERS between the simulators for {simdiff} seed(s)"
        )
    log(
        f"  total    : {len({o.seed for o in outcomes})} seeds, "
        f"{sum(o.compared for o in outcomes)} instructions compared, "
        f"{sum(1 for o in outcomes if o.failed)} failing runs, wall time {elapsed:.1f} s"
    )


def _print_failures(failures: list[Outcome], shrunk: list[ShrinkResult], detailed: int = 8, *, log: Log) -> None:
    """Every failing run: the shrunk ones and the first `detailed` in full (problem,
    run folder, reproduce command, shrunk program, TOML entry), the rest in one line."""
    if not failures:
        log("\nno mismatch")
        return
    by_key = {(s.outcome.seed, s.outcome.sim): s for s in shrunk}
    full = [o for o in failures if (o.seed, o.sim) in by_key]
    full += [o for o in failures if o not in full][: max(0, detailed - len(full))]
    log(f"\n{len(failures)} failing run(s)" + (f", {len(full)} in detail:" if len(full) < len(failures) else ":"))
    brief = [o for o in failures if o not in full]
    for o in brief[:60]:
        log(
            f"  seed {o.seed} [{o.kind}] {o.sim}/{o.config} latency {o.latency} stall_max "
            f"{o.stall_max}: {o.headline()[:200]}"
        )
    if len(brief) > 60:
        log(f"  ... and {len(brief) - 60} more")
    for o in full:
        log(
            f"\n=== seed {o.seed}: {o.kind} on {o.sim}, configuration {o.config} "
            f"(block_dim {o.block_dim}), size {o.size}, latency {o.latency}, "
            f"stall_max {o.stall_max}, {o.threads} threads, {o.words} words"
        )
        text = o.problems[0] if o.problems else "(no description)"
        log("\n".join("  " + line for line in text.splitlines()[:30]))
        if o.work_dir:
            log(f"  run folder: {o.work_dir}")
        if o.kind == "generator":
            log("  -> a bug in tinygpu/randprog.py (or the model), not in the RTL")
            continue
        log(f"  reproduce: {reproduce_command(o.seed, o.config, o.sim.replace('+', ','), o.size)}")
        s = by_key.get((o.seed, o.sim))
        if s is None:
            continue
        if s.error or s.asm_path is None:
            log(f"  shrink failed after {s.calls} runs: {s.error or 'no program written'}")
            continue
        log(
            f"  shrunk ({s.calls} runs): {s.words_before} -> {s.words_after} words, "
            f"{o.threads} -> {s.threads_after} threads: {s.asm_path}"
        )
        stem = s.asm_path[: -len(".asm")]
        log(
            f"  keep it as a regression (program and launch settings, re-run by make test):\n"
            f"    cp {stem}.asm {stem}.toml tb/fuzz_regressions/   # then say in the .toml's note what it found"
        )


# --------------------------------------------------------------------------------------
# A campaign (make fuzz)
# --------------------------------------------------------------------------------------


def run_campaign(
    *,
    first_seed: int,
    count: int,
    configs: list[GpuConfig],
    sims: list[str],
    size: str,
    batch: int,
    engine: Engine,
    shrink_tries: int,
    max_shrink: int,
    keep: bool,
    log: Log,
) -> int:
    """Run seeds first_seed.. on every simulator, shrink failures, print the report.

    Exit status: 0 all matched, 1 any failure (or nothing compared), 2 the harness does
    not build. The report ends with the workers the engine lost, if any."""
    seeds = list(range(first_seed, first_seed + count))
    batches = make_batches(seeds, configs, sims, size, batch, keep)
    used = sorted({(b.sim, b.config) for b in batches})
    start = time.monotonic()
    log(
        f"fuzz: seeds {seeds[0]}..{seeds[-1]} ({len(seeds)} programs, size {size}) on "
        f"{', '.join(sims)}; {len(configs)} configuration(s); {len(batches)} batches of <= "
        f"{batch}; work folders under {FUZZ_ROOT.relative_to(REPO_ROOT)}/ of each worker's checkout"
    )

    outcomes: list[Outcome] = []
    build_errors = []
    build_start = time.monotonic()
    for sim, name, seconds, error in engine.map(_build, used):
        if error:
            build_errors.append(f"{sim}/{name}: {error}")
        elif seconds > 2:
            log(f"  built {sim}/{name} in {seconds:.0f} s")
    if build_errors:
        log("fuzz: the harness does not build:\n" + "\n".join(build_errors))
        return 2
    build_seconds = time.monotonic() - build_start
    if build_seconds > 2:
        log(f"  harness builds took {build_seconds:.0f} s (wall); runs start now")

    done_batches = 0
    for result in engine.map(_run_batch, batches):
        done_batches += 1
        outcomes += result
        first = result[0]
        failed = [o for o in result if o.failed]
        seeds_text = f"{min(o.seed for o in result)}..{max(o.seed for o in result)}"
        log(
            f"[{done_batches:3d}/{len(batches)}] {first.sim:9s} {first.config:20s} seeds "
            f"{seeds_text:>11s}: {len(result) - len(failed)}/{len(result)} ok, "
            f"{sum(o.compared for o in result):6d} instructions  "
            f"({time.monotonic() - start:5.0f} s)"
        )
        for o in failed:
            log(f"      FAIL seed {o.seed} [{o.kind}] {o.headline()}")

    outcomes += timing_differences(outcomes)
    failures = sorted((o for o in outcomes if o.failed), key=lambda o: (o.seed, o.sim))
    rtl_failures = [o for o in failures if o.kind in ("mismatch", "crash")]
    to_shrink = _pick_for_shrinking(rtl_failures, max_shrink)
    shrink_results = []
    if to_shrink:
        log(
            f"\nshrinking {len(to_shrink)} of {len(rtl_failures)} failing case(s), "
            f"<= {shrink_tries} simulator runs each ..."
        )
        shrink_results = list(engine.map(_shrink, [ShrinkTask(o, shrink_tries) for o in to_shrink], ordered=True))
        for shrunk in shrink_results:
            write_shrunk(shrunk)
    elapsed = time.monotonic() - start

    _print_summary(outcomes, sims, elapsed, log=log)
    _print_failures(failures, shrink_results, log=log)
    engine.report_losses(log)
    compared = sum(o.compared for o in outcomes)
    if compared == 0:
        log("fuzz: FAIL: no instruction was compared at all")
        return 1
    return 1 if failures else 0


def campaign_summary(
    *,
    engine: Engine,
    first_seed: int,
    count: int,
    configs: list[GpuConfig],
    sims: list[str],
    size: str,
    batch: int,
    log: Log = lambda _: None,
) -> tuple[int, list[str]]:
    """A campaign without shrinking: (its exit status, its per-simulator summary lines),
    which hold no wall time: what two runs of the same seeds must agree on (the engine's
    tests, make cluster-bench). Every report line also goes to `log`."""
    lines: list[str] = []

    def keep(line: str) -> None:
        lines.append(line)
        log(line)

    status = run_campaign(
        first_seed=first_seed,
        count=count,
        configs=configs,
        sims=sims,
        size=size,
        batch=batch,
        engine=engine,
        shrink_tries=1,
        max_shrink=0,
        keep=False,
        log=keep,
    )
    return status, [line for line in lines if line.lstrip().startswith(tuple(sims))]
