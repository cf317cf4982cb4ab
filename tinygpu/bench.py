"""Benchmark: cycles, IPC and simulation speed of the demonstration kernels.

    tinygpu-bench [--sims icarus,verilator] [--config default] [--json out.json]

For matadd and matmul (tiny-gpu's programs, same data) and the larger kernels, at
memory latencies 1, 2 and 4 and with random stalls, prints cycles from start to done,
thread-instructions retired per cycle (IPC, counted from the commit log) and, per
simulator, simulated cycles per second of wall time (process start-up included). Every
run is also checked against the golden models; a wrong result is an error, not a number.

The yardstick: tiny-gpu takes 158 cycles (matadd) and 444 (matmul) with a 1-cycle memory.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .checks import check_run
from .configs import GpuConfig
from .harness import Job, run_jobs
from .isa import DATA_MEM_SIZE
from .kernels import load_kernel
from .paths import KERNELS_DIR

TINY_GPU_CYCLES = {"matadd": 158, "matmul": 444}
KERNELS = ("matadd", "matmul", "divergent_if_else", "loop_trip_counts", "many_blocks")
SETTINGS = [(1, 0), (2, 0), (4, 0), (1, 6)]  # (latency, stall_max)


def run_bench(config: GpuConfig, sims: list[str]) -> tuple[dict, bool]:
    """Run every kernel x setting on each simulator, print the tables; (report, all right)."""

    jobs = []
    for name in KERNELS:
        kernel = load_kernel(KERNELS_DIR / f"{name}.asm")
        memory = list(kernel.data) + [0] * (DATA_MEM_SIZE - len(kernel.data))
        for latency, stall_max in SETTINGS:
            jobs.append(Job(kernel.program.words, memory, kernel.threads, latency=latency,
                            stall_max=stall_max, seed=1, max_cycles=kernel.max_cycles, name=name))

    report = {"config": config.name, "runs": [], "speed": {}}
    failed = False
    print(f"configuration {config.name}: {config.num_cores} cores x {config.threads_per_block} threads")
    for sim in sims:
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
            kernel = load_kernel(KERNELS_DIR / f"{result.job.name}.asm")
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
    return report, not failed
