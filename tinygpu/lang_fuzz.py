# SPDX-License-Identifier: MIT
"""Fuzzing the Python-kernel compiler: random kernels, compiled, checked three ways.

    tinygpu-fuzz-lang [--count 200] [--seed 1] [--sims icarus,verilator] [--rtl-every 4]

Each seed gives a random kernel (tinygpu.lang.randkernel). It is compiled; its Python
execution is compared with the ISA model running the compiled program at block sizes
1, 2, 3, 4 and 8 (tinygpu.lang_check); every `rtl_every`-th kernel also runs on the RTL,
in lock-step with the model and against the Python execution (tinygpu.checks.check_run),
on each simulator, on a configuration picked by seed, many kernels per simulator process.

A kernel the compiler refuses (too many registers, longer than program memory) or whose
Python execution is not defined at a block size (a partial block reading shared memory
no thread wrote, too many loop trips) is counted, not failed. A disagreement is shrunk at
source level (randkernel.shrink) and written to build/fuzz/python/; copy it into
tb/lang_regressions/ to keep it: `make test` checks every kept kernel three ways there.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .checks import check_run, guarded_memory
from .configs import GpuConfig
from .harness import Job, run_jobs
from .lang.compiler import Compiled, compile_text
from .lang.errors import CompileError
from .lang.execute import KernelFault, execute
from .lang.randkernel import random_kernel, shrink
from .lang_check import python_against_model
from .paths import BUILD_DIR

BLOCK_DIMS = (1, 2, 3, 4, 8)
FAILURE_DIR = BUILD_DIR / "fuzz" / "python"
RTL_SHRINK_TRIES = 40  # each try is a simulator run


@dataclass
class Outcome:
    """What one seed's kernel did."""

    seed: int
    text: str
    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    failures: list[str] = field(default_factory=list)  # disagreements, described
    failing_dim: int | None = None  # a block size the model disagrees at


def compile_or_none(text: str, name: str) -> Compiled | None:
    try:
        return compile_text(text, name)
    except CompileError:
        return None


def model_check(text: str, name: str, outcome: Outcome) -> Compiled | None:
    """Compile `text` and compare its Python execution with the ISA model at each block size."""
    try:
        compiled = compile_text(text, name)
    except CompileError as refused:
        outcome.counts[
            "refused: "
            + (
                "registers"
                if "registers" in refused.message
                else "too long"
                if "program memory" in refused.message
                else refused.message
            )
        ] += 1
        return None
    for block_dim in BLOCK_DIMS:
        memory = guarded_memory(compiled.program.data, outcome.seed + block_dim)
        problems = python_against_model(compiled, memory, compiled.source.threads, block_dim)
        if not problems:
            outcome.counts["model agrees"] += 1
        elif problems[0].startswith("the Python execution is not defined"):
            outcome.counts["undefined at a block size"] += 1
        else:
            outcome.counts["MODEL DISAGREES"] += 1
            outcome.failures.append(f"block_dim {block_dim}: " + "\n".join(problems))
            outcome.failing_dim = outcome.failing_dim or block_dim
    return compiled


def model_disagrees(text: str, seed: int, block_dim: int) -> bool:
    """The shrinking predicate for a model disagreement: still compiles, still defined, still differs."""
    compiled = compile_or_none(text, "shrink.py")
    if compiled is None:
        return False
    memory = guarded_memory(compiled.program.data, seed + block_dim)
    problems = python_against_model(compiled, memory, compiled.source.threads, block_dim)
    return bool(problems) and not problems[0].startswith("the Python execution is not defined")


def rtl_check(kernels: list[tuple[int, Compiled]], sim: str, config: GpuConfig, work: Path) -> dict[int, list[str]]:
    """Run the kernels (by seed) on the RTL in one simulator process; problems per seed.
    Kernels whose Python execution is not defined on this configuration are left out."""
    runnable = []
    for seed, compiled in kernels:
        memory = guarded_memory(compiled.program.data, seed)
        try:
            execute(compiled.source, memory, compiled.source.threads, config.threads_per_block)
        except KernelFault:
            continue
        if compiled.source.shared_bytes <= config.shared_mem_bytes:
            runnable.append(
                (
                    seed,
                    compiled,
                    Job(
                        compiled.program.words,
                        memory,
                        compiled.source.threads,
                        latency=1 + seed % 3,
                        stall_max=seed % 4,
                        seed=seed,
                        name=f"seed{seed}",
                    ),
                )
            )
    if not runnable:
        return {}
    results = run_jobs(sim, config, [job for _, _, job in runnable], work)
    problems: dict[int, list[str]] = {}
    for (seed, compiled, _), result in zip(runnable, results):
        source = compiled.source

        def reference(memory: list[int], threads: int, block_dim: int, source=source) -> list[int]:
            return execute(source, memory, threads, block_dim)

        problems[seed] = check_run(
            result,
            block_dim=config.threads_per_block,
            shared_bytes=config.shared_mem_bytes,
            reference=reference,
            label=f"seed {seed} on {sim}/{config.name}",
        )
    return problems


def write_failure(text: str, seed: int, what: str) -> Path:
    FAILURE_DIR.mkdir(parents=True, exist_ok=True)
    path = FAILURE_DIR / f"seed{seed}.py"
    note = "".join(f"# {line}\n" for line in what.splitlines()[:6])
    path.write_text(f"# found by tinygpu-fuzz-lang, seed {seed}, shrunk:\n{note}" + text)
    return path


def run_campaign(
    *,
    first_seed: int,
    count: int,
    sims: list[str],
    configs: list[GpuConfig],
    rtl_every: int,
    batch: int,
    log: Callable[[str], None],
) -> bool:
    """Fuzz `count` seeds from `first_seed`; True when nothing disagreed."""
    totals: collections.Counter[str] = collections.Counter()
    failed: list[tuple[int, str, str]] = []  # (seed, shrunk text, what)
    pending: dict[str, list[tuple[int, Compiled]]] = collections.defaultdict(list)  # config -> RTL kernels
    texts: dict[int, str] = {}

    def flush(config: GpuConfig) -> None:
        for sim in sims:
            found = rtl_check(pending[config.name], sim, config, BUILD_DIR / "fuzz" / "python-runs" / sim / config.name)
            totals["RTL runs"] += len(found)
            log(
                f"  RTL, {sim} on {config.name}: {len(found)} kernels, "
                f"{sum(1 for problems in found.values() if problems)} disagree"
            )
            for seed, problems in found.items():
                if not problems:
                    continue
                totals["RTL DISAGREES"] += 1

                def still(text: str, seed: int = seed, sim: str = sim) -> bool:
                    compiled = compile_or_none(text, "shrink.py")
                    return compiled is not None and bool(
                        rtl_check([(seed, compiled)], sim, config, BUILD_DIR / "fuzz" / "python-shrink").get(seed)
                    )

                small = shrink(texts[seed], still, max_tries=RTL_SHRINK_TRIES)
                failed.append((seed, small, "\n".join(problems)))
        pending[config.name] = []

    for seed in range(first_seed, first_seed + count):
        text = random_kernel(seed)
        texts[seed] = text
        outcome = Outcome(seed, text)
        compiled = model_check(text, f"seed{seed}.py", outcome)
        totals.update(outcome.counts)
        if outcome.failures and outcome.failing_dim is not None:
            dim = outcome.failing_dim

            def disagrees(candidate: str, seed: int = seed, dim: int = dim) -> bool:
                return model_disagrees(candidate, seed, dim)

            small = shrink(text, disagrees)
            failed.append((seed, small, outcome.failures[0]))
        elif compiled is not None and rtl_every and (seed - first_seed) % rtl_every == 0:
            config = configs[seed % len(configs)]
            pending[config.name].append((seed, compiled))
            if len(pending[config.name]) >= batch:
                flush(config)
        if (seed - first_seed + 1) % 50 == 0:
            log(f"  {seed - first_seed + 1}/{count} kernels: {dict(totals)}")
    for config in configs:
        if pending[config.name]:
            flush(config)
    log(
        f"tinygpu-fuzz-lang: {count} kernels from seed {first_seed}: "
        + ", ".join(f"{what} {n}" for what, n in sorted(totals.items()))
    )
    for seed, small, what in failed:
        log(f"FAIL seed {seed}: {what.splitlines()[0]}\n  shrunk kernel: {write_failure(small, seed, what)}")
    if not failed:
        log("no disagreement: the compiler, its Python execution, the ISA model and the RTL agree")
    return not failed
