"""Command line of tinygpu.coverage_report: coverage regression: functional coverage plus Verilator line/toggle coverage of rtl/."""

from __future__ import annotations

import multiprocessing
import shutil
import sys
import time
from pathlib import Path

from .. import coverage_report as coverage_report_module
from .. import simulator
from ..configs import representative_configs
from ..coverage_report import (
    DEFAULT_SEEDS,
    MAX_WORKERS,
    SIM,
    build_config,
    missed_rtl_lines,
    plan,
    point_configs,
    rtl_table,
    run_batch,
    sources_digest,
    tool_description,
    untoggled_rtl_signals,
)
from ..func_coverage import FunctionalCoverage
from ..kernels import discover_kernels
from ..paths import REPO_ROOT
from . import args as cli_args


def main(argv: list[str] | None = None) -> int:
    parser = cli_args.Parser(prog="tinygpu-coverage", description=coverage_report_module.__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=cli_args.int_range(1, 10_000), default=DEFAULT_SEEDS,
                        help=f"random programs: seeds 1..N (default {DEFAULT_SEEDS})")
    parser.add_argument("--workers", type=cli_args.int_range(1, 64), default=MAX_WORKERS,
                        help=f"parallel simulator processes, at most {MAX_WORKERS}")
    parser.add_argument("--out", type=cli_args.output_folder, default=REPO_ROOT / "build" / "coverage")
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
    digest = sources_digest()
    build_dirs: dict[str, str] = {}
    with multiprocessing.Pool(workers) as pool:
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

    changed = sorted({r["label"] for r in results if r.get("sources") not in (None, digest)})
    if changed or sources_digest() != digest:
        failures.append("rtl/ or tb/hdl/ changed while the regression ran (batches "
                        f"{', '.join(changed) or 'none yet'} saw other sources): the coverage "
                        "adds up different RTL versions; run it again")

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
        f"{args.seeds} random programs (seeds 1..{args.seeds}), edge launches and launch "
        f"sequences; "
        f"{launches_run} launches in {len(results)} simulator processes, {checked} checked "
        f"against the ISA model, {len(failures)} failures",
        f"wall time: {wall:.1f} s",
        "",
        cov.report(),
        "",
    ]
    report.append("empty required functional bins: " + (", ".join(missing) if missing else "none"))
    report += ["", "Verilator coverage of rtl/ (hit/total; a line is hit when all its points are; "
               "every instance and configuration counts separately)"]
    if summary:
        configs_of = point_configs(results, configs)
        missed = missed_rtl_lines(out_dir, configs_of)
        open_toggles, expected_toggles, expected_per_file = untoggled_rtl_signals(out_dir, configs_of)
        report += rtl_table(summary, missed, expected_per_file)
        open_ = [m for m in missed if not m.unreachable]
        report += ["", f"rtl/ lines not (fully) covered: {len(missed)}; "
                       f"{len(open_)} open, {len(missed) - len(open_)} unreachable by design"]
        for m in open_ + [m for m in missed if m.unreachable]:
            state = "partly" if m.partly else "never "
            report.append(f"  {m.file}:{m.line:<4} {state} {m.code}")
            report.append(f"        missed: {'; '.join(m.missed)}")
            if m.unreachable:
                report.append(f"        unreachable by design: {m.unreachable}")
        report += ["", f"rtl/ signals with untoggled bits and no known reason: {len(open_toggles)}"]
        report += open_toggles
        report += ["", "rtl/ toggle points never hit, expected by design (TOGGLE_NOTES):"]
        report += expected_toggles or ["  none"]
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
