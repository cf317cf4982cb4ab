#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Coverage regression: functional coverage plus Verilator line/toggle coverage of rtl/.

What `make coverage` runs. Every run is made on a Verilator build with
``--coverage-line --coverage-toggle`` and is checked against the ISA model (final memory
and every retired instruction) and, for kernels, against the kernel's reference; a
failing run fails the report. The stimulus is fixed, so two runs on the same RTL give the
same numbers:

* every kernel in kernels/ on every representative configuration, once with tiny-gpu's
  1-cycle memory and once slow with random stalls (latency 2-3, stall_max 4-6);
* a fixed set of random programs (tinygpu/randprog.py; seeds 1..N, default 40) spread
  over the representative configurations, sizes and memory timings;
* per configuration, edge stimulus the kernels do not give (see `edge_launches`): 255
  threads (the most the 8-bit thread count holds) with two address mappings, a small
  launch after it, and a program whose PC wraps from 255 to 0 on every core;
* per configuration, launch sequences: a launch right after the previous one without a
  reset, and a reset in the middle of a running kernel followed by a clean relaunch (the
  aborted launch itself is not checked or sampled: it has no defined result).

Thread count 0 comes from kernels/zero_threads (on every configuration).

Outputs (in --out, default build/coverage):

    functional.json   FunctionalCoverage.to_json() of all checked runs
    coverage.dat      the merged Verilator counts (verilator_coverage can read it)
    annotated/        every source with per-line counts ('%' = never run, '~' = partly)
    report.txt        what is printed: functional bins, rtl/ line and toggle table,
                      uncovered rtl/ lines, failures
    runs/             one folder per batch: its coverage.dat, and the simulator folder of
                      each worker that ran it (worker-PID/: sim.log, commits.log)

Exit status 1 when a run failed, a required functional bin is empty, or rtl/ changed
while the regression ran. RTL lines that no stimulus can reach are listed with the reason
(`UNREACHABLE`, matched on source text, instance and configuration); Verilator's numbers
are printed unchanged, with a column that leaves those lines out.

Usage::

    .venv/bin/tinygpu-coverage [--seeds 40] [--jobs 2 | --cluster HOST:PORT] [--out build/coverage]

Builds and batches are engine tasks (tinygpu.engine), each on whichever worker is free;
a batch's coverage.dat comes back with its result and is merged here, at the client.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import line_coverage
from .assembler import assemble
from .bus_errors import fault_problems
from .checks import check_run, fault_jobs, guarded_memory
from .configs import GpuConfig, get_config, representative_configs
from .engine import Engine, attempt_folder
from .func_coverage import FunctionalCoverage
from .harness import Job, JobResult, build, harness_sources, run_jobs
from .kernels import discover_kernels
from .log import Log
from .paths import REPO_ROOT
from .randprog import generate

SIM = "verilator"  # the only simulator with line/toggle coverage
DEFAULT_JOBS = 2  # local workers by default: the machine has two cores
DEFAULT_SEEDS = 40
RANDOM_SIZES = ("small", "medium", "large")
# (latency, stall_max) of random program i: i % len. Mixes tiny-gpu's memory, a slow
# one, and slow ones with random stalls (which the stall bins need).
RANDOM_TIMINGS = ((1, 0), (2, 4), (3, 0), (3, 6), (2, 5))
RANDOM_PER_BATCH = 6  # random programs per simulator process
MAX_PROBLEM_LINES = 40  # per failing run, in the report


# --------------------------------------------------------------------------------------
# Stimulus plan: plain data, so it pickles to the worker processes
# --------------------------------------------------------------------------------------


@dataclass
class Batch:
    """One simulator process: a list of launches on one configuration."""

    config: str
    label: str  # also the run folder name
    kernels: list[str] = field(default_factory=list)  # kernel names, two timings each
    seeds: list[int] = field(default_factory=list)  # random program seeds
    launch_sequences: bool = False  # add the edge launches, the no-reset relaunch, the abort

    @property
    def weight(self) -> int:  # rough cost, for longest-first scheduling
        return 2 * len(self.kernels) + 3 * len(self.seeds) + 14 * self.launch_sequences


def random_case(seed: int, configs: list[GpuConfig]) -> tuple[GpuConfig, str, int, int]:
    """(config, size, latency, stall_max) of random program `seed`."""
    config = configs[seed % len(configs)]
    size = RANDOM_SIZES[(seed // len(configs)) % len(RANDOM_SIZES)]
    latency, stall_max = RANDOM_TIMINGS[seed % len(RANDOM_TIMINGS)]
    return config, size, latency, stall_max


def plan(seeds: list[int]) -> list[Batch]:
    configs = representative_configs()
    kernels = discover_kernels()
    batches = []
    for config in configs:
        batches.append(
            Batch(
                config.name,
                f"{config.name}-kernels",
                kernels=[k.name for k in kernels if k.runs_on(config)],
                launch_sequences=True,
            )
        )
        mine = [s for s in seeds if random_case(s, configs)[0].name == config.name]
        for i in range(0, len(mine), RANDOM_PER_BATCH):
            chunk = mine[i : i + RANDOM_PER_BATCH]
            batches.append(Batch(config.name, f"{config.name}-random-{chunk[0]}", seeds=chunk))
    return sorted(batches, key=lambda b: -b.weight)


# --------------------------------------------------------------------------------------
# One batch (runs in a worker process)
# --------------------------------------------------------------------------------------


@dataclass
class Launch:
    job: Job
    label: str
    reference: object = None  # the kernel's reference function, None for random programs
    check: bool = True  # False: an aborted launch (no defined result)
    # (an injected AXI error response, job.fault, must end the launch with that side's error)


def kernel_timings(index: int) -> list[tuple[int, int]]:
    """(latency, stall_max) pairs for the kernel at `index`: 1-cycle memory, then a slow
    memory with random stalls (latency 2-3, stall_max 4-6, varied across kernels)."""
    return [(1, 0), (2 + index % 2, 4 + index % 3)]


def launches(batch: Batch, configs: list[GpuConfig]) -> list[Launch]:
    config = get_config(batch.config)
    out: list[Launch] = []
    kernels = {k.name: k for k in discover_kernels()}
    for index, name in enumerate(batch.kernels):
        kernel = kernels[name]
        for latency, stall_max in kernel_timings(index):
            seed = 1000 * (index + 1) + latency + stall_max
            job = Job(
                program=kernel.program.words,
                memory=guarded_memory(kernel.data, seed),
                threads=kernel.threads,
                latency=latency,
                stall_max=stall_max,
                seed=seed,
                max_cycles=kernel.max_cycles,
                name=name,
            )
            out.append(Launch(job, f"kernel {name} on {config.name}", kernel.reference))

    if batch.launch_sequences:
        out += edge_launches(config)
        matmul = kernels.get("matmul") or next(iter(kernels.values()))
        memory = guarded_memory(matmul.data, 77)
        base = Job(
            program=matmul.program.words,
            memory=memory,
            threads=matmul.threads,
            max_cycles=matmul.max_cycles,
            name=matmul.name,
        )
        # Relaunch right after `done`, without a reset in between (slow memory: the
        # fetcher's reads past the end are still on their way at the relaunch).
        out.append(
            Launch(replace(base, latency=12, seed=71), f"kernel {matmul.name} on {config.name}", matmul.reference)
        )
        out.append(
            Launch(
                replace(base, latency=2, stall_max=3, seed=72, reset=False),
                f"relaunch without reset: {matmul.name} on {config.name}",
                matmul.reference,
            )
        )
        # Reset in the middle of a kernel with loads in flight, then a clean launch.
        out.append(
            Launch(
                replace(base, latency=3, stall_max=4, seed=73, abort_after_cycles=40),
                f"abort: {matmul.name} on {config.name}",
                check=False,
            )
        )
        out.append(
            Launch(
                replace(base, latency=1, seed=74),
                f"launch after abort: {matmul.name} on {config.name}",
                matmul.reference,
            )
        )
        if config.axi:
            out += error_launches(config, kernels["matadd"])

    for seed in batch.seeds:
        _, size, latency, stall_max = random_case(seed, configs)
        prog = generate(seed, block_dim=config.threads_per_block, size=size, shared_bytes=config.shared_mem_bytes)
        program = assemble(prog.asm, filename=f"<randprog seed {seed}>")
        job = Job(
            program=program.words,
            memory=guarded_memory(program.data, seed),
            threads=prog.threads,
            latency=latency,
            stall_max=stall_max,
            seed=seed,
            name=f"randprog-{seed}",
        )
        out.append(
            Launch(
                job,
                f"randprog seed {seed} size {size} on {config.name} "
                f"(tinygpu-randprog --seed {seed} "
                f"--block-dim {config.threads_per_block} --size {size})",
            )
        )
    return out


def place(lines: dict[int, str]) -> list[int]:
    """A program memory image from {address: one line of assembly} (zeros elsewhere)."""
    words = [0] * 256
    for address, line in lines.items():
        words[address] = assemble(line, filename=f"<coverage_report.py word {address}>").words[0]
    return words


# Every thread reads its own byte, adds its global index and writes it back: race-free
# for any launch up to 255 threads (one byte each).
OWN_BYTE = place(
    {
        0: "MUL R0, %blockIdx, %blockDim",
        1: "ADD R0, R0, %threadIdx",
        2: "LDR R1, R0",
        3: "ADD R1, R1, R0",
        4: "STR R0, R1",
        5: "RET",
    }
)
# The PC runs through 254, 255 and wraps to 0 (docs/isa.md); the second pass over
# address 0 sees P and leaves through the RET at 5.
PC_WRAP = place(
    {
        0: "BRp #5",
        1: "CONST R1, #1",
        2: "CMP R1, R0",
        3: "BRnzp #254",
        5: "RET",
        254: "ADD R2, R2, %threadIdx",
        255: "NOP",
    }
)
MAX_THREADS = 255  # the device control register holds the thread count in 8 bits


def own_byte_transposed(block_dim: int) -> list[int]:
    """OWN_BYTE with the byte of thread (b, t) at b + K*t, K = the most blocks a launch
    can have: still one byte per thread, but every thread slot's LSU now sees
    addresses whose low bits change from block to block (with b*B + t they never do)."""
    k = -(-MAX_THREADS // block_dim)
    return place(
        {
            0: f"CONST R2, #{k}",
            1: "MUL R0, %threadIdx, R2",
            2: "ADD R0, R0, %blockIdx",
            3: "LDR R1, R0",
            4: "ADD R1, R1, R0",
            5: "STR R0, R1",
            6: "RET",
        }
    )


def edge_launches(config: GpuConfig) -> list[Launch]:
    """Launches at the edges the kernels do not reach (toggle coverage of the wide
    counters and addresses): the largest thread count the 8-bit device control register
    holds (255; block indices up to 254 with one thread per block), then a small launch
    that brings the counters back down, and the PC wrapping from 255 to 0 on every core."""
    out = []
    for program, threads, latency, stall_max, seed in (
        (OWN_BYTE, MAX_THREADS, 1, 0, 81),
        (own_byte_transposed(config.threads_per_block), MAX_THREADS, 2, 4, 82),
        (OWN_BYTE, 5, 3, 6, 83),
    ):
        job = Job(
            program=program,
            memory=guarded_memory([], seed),
            threads=threads,
            latency=latency,
            stall_max=stall_max,
            seed=seed,
            name="own_byte",
        )
        out.append(Launch(job, f"own_byte (seed {seed}) with {threads} threads on {config.name}"))
    threads = config.num_cores * config.threads_per_block + 1
    job = Job(
        program=PC_WRAP, memory=guarded_memory([], 84), threads=threads, latency=2, stall_max=0, seed=84, name="pc_wrap"
    )
    out.append(Launch(job, f"pc_wrap with {threads} threads on {config.name}"))
    return out


def error_launches(config: GpuConfig, matadd) -> list[Launch]:
    """Each AXI error response on each side (checks.fault_jobs): the error path of gpu_axi."""
    return [Launch(job, f"{job.name} on {config.name}") for job in fault_jobs(matadd, first_seed=90)]


def run_info(result: JobResult, config: GpuConfig) -> dict:
    return {
        "threads": result.job.threads,
        "block_dim": config.threads_per_block,
        "num_cores": config.num_cores,
        "mem_latency": result.job.latency,
        "stall_max": result.job.stall_max,
        "max_waiting_requests": result.max_waiting,
        "warps_per_core": config.warps_per_core,
        "port": config.port,
        "counters": result.counter_totals(),
    }


def new_coverage(configs: list[GpuConfig]) -> FunctionalCoverage:
    """An empty coverage that requires what the configurations can show: each one's block
    size, and the AXI port's bins when one of them has that port."""
    return FunctionalCoverage(
        required_block_dims=[c.threads_per_block for c in configs], axi_port=any(c.axi for c in configs)
    )


def sources_digest() -> str:
    """One hash over the RTL and harness sources: equal in every batch, or the runs
    measured different RTL and their coverage must not be added up."""
    digest = hashlib.sha256()
    for path in harness_sources():
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def build_config(name: str) -> tuple[str, str, str, str]:
    """Worker: build the coverage harness of one configuration; (name, folder, error,
    the tools that built it)."""
    try:
        folder = str(build(SIM, get_config(name), coverage=True))
    except Exception as error:  # noqa: BLE001 - reported, the regression fails
        return name, "", f"{type(error).__name__}: {error}", ""
    return name, folder, "", tool_description(folder)


def run_batch(args: tuple[Batch, str]) -> dict:
    """Worker: run one batch, check every launch, sample functional coverage. Its
    coverage.dat travels back in the result ("dat_bytes") for the client to merge."""
    batch, runs_dir = args
    started = time.monotonic()
    configs = representative_configs()
    config = get_config(batch.config)
    work_dir = attempt_folder(REPO_ROOT / runs_dir / batch.label)  # runs_dir may be absolute
    cov = new_coverage(configs)
    out: dict[str, Any] = {
        "label": batch.label,
        "config": batch.config,
        "launches": 0,
        "checked": 0,
        "problems": [],
        "coverage": None,
        "dat": None,
        "dat_bytes": b"",
        "seconds": 0.0,
        "cycles": 0,
    }
    out["sources"] = sources_digest()
    try:
        plan_ = launches(batch, configs)
        results = run_jobs(SIM, config, [p.job for p in plan_], work_dir, coverage=True)
    except Exception as error:  # noqa: BLE001 - a crashed batch is a failed run
        out["problems"].append(
            f"{batch.label}: the batch did not run: {type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}"
        )
        out["seconds"] = time.monotonic() - started
        return out
    for launch, result in zip(plan_, results):
        out["launches"] += 1
        out["cycles"] += result.cycles
        if not launch.check:
            if not result.aborted:
                out["problems"].append(f"{launch.label}: the harness did not abort the launch")
            continue
        if launch.job.fault is not None:
            said = check_run(
                result, block_dim=config.threads_per_block, shared_bytes=config.shared_mem_bytes, label=launch.label
            )
            out["problems"] += [f"{launch.label}: {problem}" for problem in fault_problems(result, said)]
            continue
        problems = check_run(
            result,
            block_dim=config.threads_per_block,
            shared_bytes=config.shared_mem_bytes,
            reference=launch.reference,
            label=launch.label,
        )
        out["checked"] += 1
        if problems:
            text = "\n".join(problems).splitlines()
            if len(text) > MAX_PROBLEM_LINES:
                text = text[:MAX_PROBLEM_LINES] + [f"... ({len(text) - MAX_PROBLEM_LINES} more lines)"]
            out["problems"].append("\n".join(text) + f"\n  run folder: {work_dir}")
        cov.sample_run(result.commits, run_info(result, config))
    dat = work_dir / "coverage.dat"
    if dat.is_file():
        out["dat_bytes"] = dat.read_bytes()
    else:
        out["problems"].append(f"{batch.label}: no coverage.dat in {work_dir}")
    out["coverage"] = cov.to_json()
    out["seconds"] = time.monotonic() - started
    return out


# --------------------------------------------------------------------------------------
# The regression and its report
# --------------------------------------------------------------------------------------


def tool_description(build_dir: str) -> str:
    try:
        tools = json.loads((Path(build_dir) / "build.json").read_text())["tools"]
    except (OSError, KeyError, ValueError):
        return "Verilator"
    return "; ".join(t for t in tools if "verilator" in t.lower() or "cocotb" in t.lower())


def keep_dat(result: dict, runs_dir: Path) -> None:
    """Client side: write a batch's coverage.dat into runs_dir (unless its worker, on this
    machine, already did) and point result["dat"] at it."""
    data = result.pop("dat_bytes", b"")
    if not data:
        return
    path = runs_dir / result["label"] / "coverage.dat"
    if not (path.is_file() and path.read_bytes() == data):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    result["dat"] = str(path)


def run_coverage(*, seeds: int, engine: Engine, out_dir: Path, log: Log) -> int:
    """Run the coverage regression, write the reports into out_dir, print the summary.

    Exit status 0 when every run matched the models, every required functional bin was
    hit and every instrumented rtl/ line was hit; 1 otherwise."""
    started = time.monotonic()
    runs_dir = out_dir / "runs"
    if runs_dir.exists():
        shutil.rmtree(runs_dir)  # stale coverage.dat files must not be merged
    runs_dir.mkdir(parents=True)

    configs = representative_configs()
    batches = plan(list(range(1, seeds + 1)))
    log(
        f"coverage regression on {SIM}: {len(configs)} configurations "
        f"({', '.join(c.name for c in configs)}), {len(batches)} batches, "
        f"{seeds} random programs"
    )

    failures: list[str] = []
    results: list[dict] = []
    digest = sources_digest()
    build_dirs: dict[str, str] = {}
    tools = SIM
    for name, folder, error, tools_used in engine.map(build_config, [c.name for c in configs]):
        log(f"  built {name}: {folder or error.splitlines()[0]}")
        if error:
            failures.append(f"build of {name} failed: {error}")
        build_dirs[name] = folder
        tools = tools_used or tools
    task_runs_dir = str(runs_dir.relative_to(REPO_ROOT) if runs_dir.is_relative_to(REPO_ROOT) else runs_dir)
    todo = [(b, task_runs_dir) for b in batches if build_dirs.get(b.config)]
    for res in engine.map(run_batch, todo):
        keep_dat(res, runs_dir)
        results.append(res)
        state = "FAIL" if res["problems"] else "ok"
        log(f"  {res['label']:<28} {res['checked']:>3} checked runs {res['seconds']:6.1f} s  {state}")
        failures.extend(res["problems"])

    changed = sorted({r["label"] for r in results if r.get("sources") not in (None, digest)})
    if changed or sources_digest() != digest:
        failures.append(
            "rtl/ or tb/hdl/ changed while the regression ran (batches "
            f"{', '.join(changed) or 'none yet'} saw other sources): the coverage "
            "adds up different RTL versions; run it again"
        )

    # Functional coverage of every checked run.
    cov = new_coverage(configs)
    for res in results:
        if res["coverage"]:
            cov.merge(FunctionalCoverage.from_json(res["coverage"]))
    (out_dir / "functional.json").write_text(cov.to_json())
    missing = cov.missing()

    # Verilator line (and toggle) coverage, merged and rendered by verilator_coverage + lcov.
    dats = sorted(Path(r["dat"]) for r in results if r["dat"])
    files = []
    if dats:
        try:
            files = line_coverage.read_info(line_coverage.merge_to_html(dats, out_dir))
        except line_coverage.CoverageToolError as error:
            failures.append(str(error))
    open_lines = sum(len(f.missed) for f in files)

    launches_run = sum(r["launches"] for r in results)
    checked = sum(r["checked"] for r in results)
    report = [
        "tiny-gpu coverage report",
        f"simulator: {tools} (coverage build: --coverage-line --coverage-toggle); functional "
        f"coverage is sampled from the same Verilator runs' commit logs",
        f"configurations: {', '.join(f'{c.name} ({c.num_cores}x{c.threads_per_block})' for c in configs)}",
        f"stimulus: {len(discover_kernels())} kernels on {len(configs)} configurations (each kernel where its "
        f"block size and shared memory fit) x 2 timings, "
        f"{seeds} random programs (seeds 1..{seeds}), edge launches and launch sequences; "
        f"{launches_run} launches in {len(results)} simulator processes, {checked} checked "
        f"against the ISA model, {len(failures)} failures",
        f"wall time: {time.monotonic() - started:.1f} s",
        "",
        cov.report(),
        "",
        "empty required functional bins: " + (", ".join(missing) if missing else "none"),
        "",
        "line coverage of rtl/ (verilator_coverage + lcov; a line is hit when every point on it "
        "is, toggles included; all configurations merged):",
    ]
    report += line_coverage.table(files) if files else ["  no coverage data"]
    report += ["", f"HTML report: {out_dir / 'html' / 'index.html'}"]
    if failures:
        report += ["", f"FAILED RUNS ({len(failures)}):"] + failures
    reasons = []
    if failures:
        reasons.append(f"{len(failures)} failed runs")
    if missing:
        reasons.append(f"{len(missing)} empty required bins: {', '.join(missing)}")
    if open_lines:
        reasons.append(f"{open_lines} rtl/ lines never hit")
    if not files:
        reasons.append("no line coverage")
    verdict = "FAIL" if reasons else "PASS"
    report += ["", f"coverage: {verdict}" + (f" ({'; '.join(reasons)})" if reasons else "")]
    text = "\n".join(report) + "\n"
    (out_dir / "report.txt").write_text(text)
    log("")
    log(text.rstrip("\n"))
    log(f"written: {out_dir / 'report.txt'}, {out_dir / 'functional.json'}, {out_dir / 'html'}/")
    engine.report_losses(log)
    return 0 if verdict == "PASS" else 1
