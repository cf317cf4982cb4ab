#!/usr/bin/env python3
"""Coverage regression: functional coverage plus Verilator line/toggle coverage of rtl/.

What `make coverage` runs. Every run is made on a Verilator build with
``--coverage-line --coverage-toggle`` and is checked against the ISA model (final memory
and every retired instruction) and, for kernels, against the kernel's reference; a
failing run fails the report. The stimulus is fixed, so two runs on the same RTL give the
same numbers:

* every kernel in kernels/ on every representative configuration, once with tiny-gpu's
  1-cycle memory and once slow with random stalls (latency 2-3, stall_max 4-6);
* a fixed set of random programs (scripts/randprog.py; seeds 1..N, default 40) spread
  over the representative configurations, sizes and memory timings;
* per configuration, launch-sequence stimulus the kernel tests do not give: a launch
  right after the previous one without a reset, and a reset in the middle of a running
  kernel followed by a clean relaunch (the aborted launch itself is not checked or
  sampled: it has no defined result).

Thread count 0 comes from kernels/zero_threads (on every configuration).

Outputs (in --out, default build/coverage):

    functional.json   FunctionalCoverage.to_json() of all checked runs
    coverage.dat      the merged Verilator counts (verilator_coverage can read it)
    annotated/        every source with per-line counts ('%' = never run, '~' = partly)
    report.txt        what is printed: functional bins, rtl/ line and toggle table,
                      uncovered rtl/ lines, failures
    runs/             one simulator folder per batch (sim.log, commits.log, coverage.dat)

Exit status 1 when a run failed or a required functional bin is empty.

Usage::

    .venv/bin/python scripts/coverage.py [--seeds 40] [--workers 2] [--out build/coverage]
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import sys
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
for _folder in ("kernels", "scripts", "tb"):  # as pytest.ini's pythonpath
    if str(REPO_ROOT / _folder) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT / _folder))

import simulator  # noqa: E402
from assembler import assemble  # noqa: E402
from configs import GpuConfig, get_config, representative_configs  # noqa: E402
from func_coverage import FunctionalCoverage  # noqa: E402
from gpu_checks import check_run, guarded_memory  # noqa: E402
from gpu_sim import Job, JobResult, build, run_jobs  # noqa: E402
from kernels import discover_kernels  # noqa: E402
from randprog import generate  # noqa: E402

SIM = "verilator"  # the only simulator with line/toggle coverage
MAX_WORKERS = 2  # the machine has two cores: never more simulators than that
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
    launch_sequences: bool = False  # add the no-reset relaunch and the abort

    @property
    def weight(self) -> int:  # rough cost, for longest-first scheduling
        return 2 * len(self.kernels) + 3 * len(self.seeds) + 4 * self.launch_sequences


def random_case(seed: int, configs: list[GpuConfig]) -> tuple[GpuConfig, str, int, int]:
    """(config, size, latency, stall_max) of random program `seed`."""
    config = configs[seed % len(configs)]
    size = RANDOM_SIZES[(seed // len(configs)) % len(RANDOM_SIZES)]
    latency, stall_max = RANDOM_TIMINGS[seed % len(RANDOM_TIMINGS)]
    return config, size, latency, stall_max


def plan(seeds: list[int]) -> list[Batch]:
    configs = representative_configs()
    kernel_names = [k.name for k in discover_kernels()]
    batches = []
    for config in configs:
        batches.append(Batch(config.name, f"{config.name}-kernels", kernels=kernel_names,
                             launch_sequences=True))
        mine = [s for s in seeds if random_case(s, configs)[0].name == config.name]
        for i in range(0, len(mine), RANDOM_PER_BATCH):
            chunk = mine[i:i + RANDOM_PER_BATCH]
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
            job = Job(program=kernel.program.words, memory=guarded_memory(kernel.data, seed),
                      threads=kernel.threads, latency=latency, stall_max=stall_max, seed=seed,
                      max_cycles=kernel.max_cycles, name=name)
            out.append(Launch(job, f"kernel {name} on {config.name}", kernel.reference))

    if batch.launch_sequences:
        matmul = kernels.get("matmul") or next(iter(kernels.values()))
        memory = guarded_memory(matmul.data, 77)
        base = dict(program=matmul.program.words, memory=memory, threads=matmul.threads,
                    max_cycles=matmul.max_cycles, name=matmul.name)
        # Relaunch right after `done`, without a reset in between.
        out.append(Launch(Job(**base, latency=1, seed=71), f"kernel {matmul.name} on {config.name}",
                          matmul.reference))
        out.append(Launch(Job(**base, latency=2, stall_max=3, seed=72, reset=False),
                          f"relaunch without reset: {matmul.name} on {config.name}",
                          matmul.reference))
        # Reset in the middle of a kernel with loads in flight, then a clean launch.
        out.append(Launch(Job(**base, latency=3, stall_max=4, seed=73, abort_after_cycles=40),
                          f"abort: {matmul.name} on {config.name}", check=False))
        out.append(Launch(Job(**base, latency=1, seed=74),
                          f"launch after abort: {matmul.name} on {config.name}", matmul.reference))

    for seed in batch.seeds:
        _, size, latency, stall_max = random_case(seed, configs)
        prog = generate(seed, block_dim=config.threads_per_block, size=size)
        program = assemble(prog.asm, filename=f"<randprog seed {seed}>")
        job = Job(program=program.words, memory=guarded_memory(program.data, seed),
                  threads=prog.threads, latency=latency, stall_max=stall_max, seed=seed,
                  name=f"randprog-{seed}")
        out.append(Launch(job, f"randprog seed {seed} size {size} on {config.name} "
                               f"(python scripts/randprog.py --seed {seed} "
                               f"--block-dim {config.threads_per_block} --size {size})"))
    return out


def run_info(result: JobResult, config: GpuConfig) -> dict:
    return {"threads": result.job.threads, "block_dim": config.threads_per_block,
            "num_cores": config.num_cores, "mem_latency": result.job.latency,
            "stall_max": result.job.stall_max, "max_waiting_requests": result.max_waiting}


def build_config(name: str) -> tuple[str, str, str]:
    """Worker: build the coverage harness of one configuration; (name, folder, error)."""
    try:
        return name, str(build(SIM, get_config(name), coverage=True)), ""
    except Exception as error:  # noqa: BLE001 - reported, the regression fails
        return name, "", f"{type(error).__name__}: {error}"


def run_batch(args: tuple[Batch, str]) -> dict:
    """Worker: run one batch, check every launch, sample functional coverage."""
    batch, runs_dir = args
    started = time.monotonic()
    configs = representative_configs()
    config = get_config(batch.config)
    work_dir = Path(runs_dir) / batch.label
    cov = FunctionalCoverage(required_block_dims=[c.threads_per_block for c in configs])
    out = {"label": batch.label, "config": batch.config, "launches": 0, "checked": 0,
           "problems": [], "coverage": None, "dat": None, "seconds": 0.0, "cycles": 0}
    try:
        plan_ = launches(batch, configs)
        results = run_jobs(SIM, config, [p.job for p in plan_], work_dir, coverage=True)
    except Exception as error:  # noqa: BLE001 - a crashed batch is a failed run
        out["problems"].append(f"{batch.label}: the batch did not run: {type(error).__name__}: "
                               f"{error}\n{traceback.format_exc(limit=3)}")
        out["seconds"] = time.monotonic() - started
        return out
    for launch, result in zip(plan_, results):
        out["launches"] += 1
        out["cycles"] += result.cycles
        if not launch.check:
            if not result.aborted:
                out["problems"].append(f"{launch.label}: the harness did not abort the launch")
            continue
        problems = check_run(result, block_dim=config.threads_per_block,
                             reference=launch.reference, label=launch.label)
        out["checked"] += 1
        if problems:
            text = "\n".join(problems).splitlines()
            if len(text) > MAX_PROBLEM_LINES:
                text = text[:MAX_PROBLEM_LINES] + [f"... ({len(text) - MAX_PROBLEM_LINES} more lines)"]
            out["problems"].append("\n".join(text) + f"\n  run folder: {work_dir}")
        cov.sample_run(result.commits, run_info(result, config))
    dat = work_dir / "coverage.dat"
    if dat.is_file():
        out["dat"] = str(dat)
    else:
        out["problems"].append(f"{batch.label}: no coverage.dat in {work_dir}")
    out["coverage"] = cov.to_json()
    out["seconds"] = time.monotonic() - started
    return out


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def _pct(hit: int, total: int) -> str:
    return f"{100.0 * hit / total:5.1f}%" if total else "    -"


def rtl_table(summary) -> list[str]:
    rows = [f"{'file':<30} {'lines hit/total':>16} {'':>6}   {'toggles hit/total':>18} {'':>6}"]
    lh = lt = th = tt = 0
    for entry in summary:
        if not entry.file.startswith("rtl/"):
            continue
        rows.append(f"{entry.file:<30} {entry.lines_hit:>7}/{entry.lines_total:<8} "
                    f"{_pct(entry.lines_hit, entry.lines_total)}   "
                    f"{entry.toggles_hit:>8}/{entry.toggles_total:<9} "
                    f"{_pct(entry.toggles_hit, entry.toggles_total)}")
        lh, lt = lh + entry.lines_hit, lt + entry.lines_total
        th, tt = th + entry.toggles_hit, tt + entry.toggles_total
    rows.append(f"{'total (rtl/)':<30} {lh:>7}/{lt:<8} {_pct(lh, lt)}   "
                f"{th:>8}/{tt:<9} {_pct(th, tt)}")
    return rows


def uncovered_rtl_lines(out_dir: Path) -> list[str]:
    """'file:line  code' of every rtl/ line whose line/branch points were not all hit."""
    points = simulator.read_coverage(out_dir / "coverage.dat")
    per_line: dict[tuple[str, int], list[int]] = defaultdict(list)
    for point in points:
        if point.type not in ("line", "branch"):
            continue
        try:
            name = str(Path(point.filename).resolve().relative_to(REPO_ROOT))
        except ValueError:
            continue
        if not name.startswith("rtl/"):
            continue
        for line in point.lines():
            per_line[(name, line)].append(point.count)
    rows = []
    sources: dict[str, list[str]] = {}
    for (name, line), counts in sorted(per_line.items()):
        if min(counts) > 0:
            continue
        text = sources.setdefault(name, (REPO_ROOT / name).read_text().splitlines())
        mark = "partly" if max(counts) > 0 else "never "
        code = text[line - 1].strip() if line <= len(text) else ""
        rows.append(f"  {name}:{line:<4} {mark} {code}")
    return rows


def untoggled_rtl_signals(out_dir: Path, limit: int = 40) -> list[str]:
    """rtl/ signals with bits that never toggled, most untoggled points first."""
    per_signal: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for point in simulator.read_coverage(out_dir / "coverage.dat"):
        if point.type != "toggle":
            continue
        try:
            name = str(Path(point.filename).resolve().relative_to(REPO_ROOT))
        except ValueError:
            continue
        if not name.startswith("rtl/"):
            continue
        signal = point.fields.get("o", "?").split("[")[0].split(":")[0]
        entry = per_signal[(name, signal)]
        entry[1] += 1
        entry[0] += point.count == 0
    worst = sorted(((missed, total, f, s) for (f, s), (missed, total) in per_signal.items()
                    if missed), reverse=True)
    rows = [f"  {f}: {s} ({missed} of {total} toggle points never hit)"
            for missed, total, f, s in worst[:limit]]
    if len(worst) > limit:
        rows.append(f"  ... and {len(worst) - limit} more signals")
    return rows


def tool_description(build_dir: str) -> str:
    import json

    try:
        tools = json.loads((Path(build_dir) / "build.json").read_text())["tools"]
    except (OSError, KeyError, ValueError):
        return "Verilator"
    return "; ".join(t for t in tools if "verilator" in t.lower() or "cocotb" in t.lower())


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=DEFAULT_SEEDS,
                        help=f"random programs: seeds 1..N (default {DEFAULT_SEEDS})")
    parser.add_argument("--workers", type=int, default=MAX_WORKERS,
                        help=f"parallel simulator processes, at most {MAX_WORKERS}")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "coverage")
    args = parser.parse_args(argv)
    workers = max(1, min(args.workers, MAX_WORKERS))
    started = time.monotonic()

    out_dir: Path = args.out.resolve()
    runs_dir = out_dir / "runs"
    if runs_dir.exists():
        shutil.rmtree(runs_dir)  # stale coverage.dat files must not be merged
    runs_dir.mkdir(parents=True)

    configs = representative_configs()
    batches = plan(list(range(1, args.seeds + 1)))
    print(f"coverage regression on {SIM}: {len(configs)} configurations "
          f"({', '.join(c.name for c in configs)}), {len(batches)} batches, "
          f"{args.seeds} random programs, {workers} workers", flush=True)

    failures: list[str] = []
    results: list[dict] = []
    build_dirs: dict[str, str] = {}
    context = multiprocessing.get_context("spawn")  # no inherited locks or handles
    with context.Pool(workers) as pool:
        for name, folder, error in pool.imap_unordered(build_config, [c.name for c in configs]):
            print(f"  built {name}: {folder or error.splitlines()[0]}", flush=True)
            if error:
                failures.append(f"build of {name} failed: {error}")
            build_dirs[name] = folder
        todo = [(b, str(runs_dir)) for b in batches if build_dirs.get(b.config)]
        for res in pool.imap_unordered(run_batch, todo):
            results.append(res)
            state = "FAIL" if res["problems"] else "ok"
            print(f"  {res['label']:<28} {res['checked']:>3} checked runs "
                  f"{res['seconds']:6.1f} s  {state}", flush=True)
            failures.extend(res["problems"])

    # Functional coverage of every checked run.
    cov = FunctionalCoverage(required_block_dims=[c.threads_per_block for c in configs])
    for res in results:
        if res["coverage"]:
            cov.merge(FunctionalCoverage.from_json(res["coverage"]))
    (out_dir / "functional.json").write_text(cov.to_json())
    missing = cov.missing()

    # Verilator line and toggle coverage.
    dats = sorted(Path(r["dat"]) for r in results if r["dat"])
    summary = []
    if dats:
        simulator.merge_coverage(dats, out_dir)
        summary = simulator.coverage_summary(out_dir)

    launches_run = sum(r["launches"] for r in results)
    checked = sum(r["checked"] for r in results)
    wall = time.monotonic() - started
    tool = tool_description(next(iter(build_dirs.values()), "")) if build_dirs else SIM
    report = [
        "tiny-gpu coverage report",
        f"simulator: {tool} (coverage build: --coverage-line --coverage-toggle); functional "
        f"coverage is sampled from the same Verilator runs' commit logs",
        f"configurations: {', '.join(f'{c.name} ({c.num_cores}x{c.threads_per_block})' for c in configs)}",
        f"stimulus: {len(discover_kernels())} kernels x {len(configs)} configurations x 2 timings, "
        f"{args.seeds} random programs (seeds 1..{args.seeds}), launch sequences; "
        f"{launches_run} launches in {len(results)} simulator processes, {checked} checked "
        f"against the ISA model, {len(failures)} failures",
        f"wall time: {wall:.1f} s",
        "",
        cov.report(),
        "",
    ]
    report.append("empty required functional bins: " + (", ".join(missing) if missing else "none"))
    report += ["", "Verilator coverage of rtl/ (a line counts as hit when all its points were hit)"]
    if summary:
        report += rtl_table(summary)
        uncovered = uncovered_rtl_lines(out_dir)
        report += ["", f"rtl/ lines not (fully) covered: {len(uncovered)}"] + uncovered
        report += ["", "rtl/ signals with untoggled bits:"] + (untoggled_rtl_signals(out_dir) or ["  none"])
        report += ["", f"annotated sources: {out_dir / 'annotated'}"]
    else:
        report.append("  no coverage data (no batch ran)")
    if failures:
        report += ["", f"FAILED RUNS ({len(failures)}):"] + failures
    verdict = "PASS" if not failures and not missing and summary else "FAIL"
    reasons = []
    if failures:
        reasons.append(f"{len(failures)} failed runs")
    if missing:
        reasons.append(f"{len(missing)} empty required bins: {', '.join(missing)}")
    report += ["", f"coverage: {verdict}" + (f" ({'; '.join(reasons)})" if reasons else "")]
    text = "\n".join(report) + "\n"
    (out_dir / "report.txt").write_text(text)
    print()
    print(text, end="")
    print(f"written: {out_dir / 'report.txt'}, {out_dir / 'functional.json'}, "
          f"{out_dir / 'annotated'}/")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
