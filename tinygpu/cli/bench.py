"""Command line of tinygpu.bench: benchmark: cycles, IPC and simulation speed of the demonstration kernels."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from .. import bench as bench_module
from ..bench import KERNELS, SETTINGS, TINY_GPU_CYCLES
from ..checks import check_run
from ..harness import Job, run_jobs
from ..kernels import load_kernel
from ..paths import REPO_ROOT
from ..sim import SIMULATORS
from . import args as checked


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(prog="tinygpu-bench", description=bench_module.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sims", type=checked.simulator_list, default=list(SIMULATORS))
    parser.add_argument("--config", type=checked.config_name, default="default")
    parser.add_argument("--json", type=checked.output_file, help="write the numbers to this file")
    args = parser.parse_args(argv)
    config = args.config

    jobs = []
    for name in KERNELS:
        kernel = load_kernel(REPO_ROOT / "kernels" / f"{name}.asm")
        memory = list(kernel.data) + [0] * (256 - len(kernel.data))
        for latency, stall_max in SETTINGS:
            jobs.append(Job(kernel.program.words, memory, kernel.threads, latency=latency,
                            stall_max=stall_max, seed=1, max_cycles=kernel.max_cycles, name=name))

    report = {"config": config.name, "runs": [], "speed": {}}
    failed = False
    print(f"configuration {config.name}: {config.num_cores} cores x {config.threads_per_block} threads")
    for sim in args.sims:
        with tempfile.TemporaryDirectory(prefix=f"bench-{sim}-") as work:
            # Build first so that the timing below is simulation only.
            run_jobs(sim, config, jobs[:1], Path(work) / "warmup")
            started = time.perf_counter()
            results = run_jobs(sim, config, jobs, Path(work) / "bench")
            wall = time.perf_counter() - started
        total_cycles = sum(r.cycles for r in results)
        report["speed"][sim] = {"cycles": total_cycles, "seconds": round(wall, 3),
                                "cycles_per_second": round(total_cycles / wall)}
        print(f"\n{sim}: {total_cycles} cycles simulated in {wall:.2f} s "
              f"= {total_cycles / wall:,.0f} cycles/s (one process, start-up included)")
        print("  (instr: thread-instructions retired, every thread counted; IPC: instr per cycle,"
              " so the most a core can reach is its threads per block)")
        print(f"  {'kernel':<18s} {'latency':>7s} {'stalls':>6s} {'cycles':>7s} {'instr':>6s} {'IPC':>5s}  check")
        for result in results:
            kernel = load_kernel(REPO_ROOT / "kernels" / f"{result.job.name}.asm")
            problems = check_run(result, block_dim=config.threads_per_block, reference=kernel.reference,
                                 label=result.job.name)
            failed |= bool(problems)
            retired = len(result.commits)
            ipc = retired / result.cycles if result.cycles else 0.0
            stalls = f"0..{result.job.stall_max}" if result.job.stall_max else "-"
            print(f"  {result.job.name:<18s} {result.job.latency:>7d} {stalls:>6s} {result.cycles:>7d} "
                  f"{retired:>6d} {ipc:>5.2f}  {'ok' if not problems else 'WRONG'}")
            report["runs"].append({"sim": sim, "kernel": result.job.name, "latency": result.job.latency,
                                   "stall_max": result.job.stall_max, "cycles": result.cycles,
                                   "instructions": retired, "ipc": round(ipc, 3), "ok": not problems})

    print("\nagainst tiny-gpu (1-cycle memory):")
    for name, theirs in TINY_GPU_CYCLES.items():
        ours = next(r["cycles"] for r in report["runs"] if r["kernel"] == name and r["latency"] == 1
                    and r["stall_max"] == 0)
        print(f"  {name}: {ours} cycles vs {theirs} ({theirs / ours:.2f}x faster; the goal is 5x)")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
