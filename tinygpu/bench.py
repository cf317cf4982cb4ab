# SPDX-License-Identifier: MIT
"""Benchmark: cycles of the demonstration kernels at every memory latency, the cores'
performance counters, simulation speed, and the cycle gate.

    tinygpu-bench [--sims icarus,verilator] [--configs default,one_warp,four_warps]
                  [--update] [--json out.json]

For every kernel x memory latency (1, 2, 4, 8 cycles, and "random": 1 cycle plus 0..6
random stall cycles) x configuration: cycles from start to done, thread-instructions
retired per cycle (IPC), and the per-core counters summed over the cores (where the
cycles went). Every run is checked against the golden models; a wrong result is an
error, not a number. Both simulators must count the same cycles. Then: the Python
kernels (kernels/NAME_py.py, compiled) beside their hand-written twins, the cycle goals of
matadd, matmul and six_blocks beside the figures, the latency hiding of resident warps (broadcast_loop at
8-cycle memory with 1, 2 and 4 warps per core), what shared memory buys (a computation
through shared memory against the same one through global memory), simulated cycles per
second, and a plot
(build/bench/cycles_vs_latency.png). With Verilator, what cocotb costs: the cocotb Verilator
flow against the pure Verilator build of the same harness (a C++ main, no VPI) on one long
run that both must count alike, and the goal for it (the flow at >= 25 % of the pure
build's cycles per second). With Icarus, pure Icarus's speed (tb/hdl/harness_main_icarus.sv
drives the harness in vvp, no cocotb) on a shorter run of the same job, against the goal
of 10,000 cycles per CPU second. The figures are compared with the committed baseline
tb/cycle_baseline.json (the cycle gate, also run by `make test`), whose verdict is printed
either way; --update rewrites it.
"""

from __future__ import annotations

import json
import math
import os
import resource
import tempfile
import time
from pathlib import Path

from .checks import check_run
from .configs import get_config
from .harness import Job, build, run_jobs, run_jobs_pure
from .isa import DATA_MEM_SIZE
from .kernels import load_kernel
from .log import Log
from .paths import BUILD_DIR, KERNELS_DIR, REPO_ROOT

KERNELS: tuple[str, ...] = (
    "matadd",
    "matmul",
    "six_blocks",
    "broadcast_loop",
    "divergent_if_else",
    "many_blocks",
    # barriers and shared memory, and the global-memory versions of two
    "block_sum",
    "block_sum_global",
    "prefix_sum",
    "reverse",
    "transpose",
    "matmul4",
    "matmul4_tiled",
    "broadcast_shared",
)
# Python kernels (kernels/NAME_py.py, tinygpu.lang) measured beside their hand-written NAME.asm.
COMPILED = ("matadd", "matmul", "reverse", "block_sum", "prefix_sum", "transpose")
COMPILED_GOAL = 1.25  # compiled cycles at most 1.25 x the hand-written kernel's, at 1-cycle memory
KERNELS += tuple(f"{name}_py" for name in COMPILED)
# (through global memory, through shared memory): the same result both ways.
SHARED_VERSUS_GLOBAL = (
    ("broadcast_loop", "broadcast_shared"),
    ("block_sum_global", "block_sum"),
    ("matmul4", "matmul4_tiled"),
)
# (label, latency, stall_max): the memory timings every kernel runs at.
TIMINGS = (("1", 1, 0), ("2", 2, 0), ("4", 4, 0), ("8", 8, 0), ("random", 1, 6))
CONFIGS = ("default", "one_warp", "four_warps", "axi", "axi_one_warp")
# On the AXI port warps hide memory latency: each kernel at 8-cycle memory within this
# factor of its 1-cycle figure on `axi`.
AXI_LATENCY_GOAL = 1.3
STALL_SEED = 7

# tiny-gpu's own cycle counts with a 1-cycle memory (measured on tiny-gpu's RTL).
TINY_GPU_CYCLES = {"matadd": 158, "matmul": 444, "six_blocks": 304}
# The cycle goals for the default configuration: (kernel, latency label) -> most cycles.
GOALS = {
    ("matadd", "1"): 32,
    ("matmul", "1"): 89,
    ("six_blocks", "1"): 60,
    ("matadd", "8"): 140,
    ("matmul", "8"): 300,
    ("six_blocks", "8"): 130,
}

# The cocotb flow against the pure Verilator build: broadcast_loop at 8-cycle memory on the
# default configuration, launched 172 times in one process (194,188 cycles),
# each flow timed SPEED_ROUNDS times back to back, the fastest round of each counted. Speed is
# simulated cycles per CPU second of the simulator process: on a shared machine its wall
# time mostly measures the other processes (the wall-clock figure is printed beside it).
SPEED_KERNEL, SPEED_LATENCY, SPEED_LAUNCHES, SPEED_ROUNDS = "broadcast_loop", 8, 172, 3
SPEED_GOAL = 0.25  # the cocotb flow at >= 25 % of the pure build's cycles per second

# Pure Icarus (tb/hdl/harness_main_icarus.sv: no cocotb, no VPI): the same job as above,
# launched fewer times (Icarus is some hundred times slower than Verilator), fastest of
# SPEED_ROUNDS, in simulated cycles per CPU second of vvp (start-up included).
ICARUS_SPEED_LAUNCHES = 4
ICARUS_SPEED_GOAL = 10_000  # cycles per CPU second

BASELINE_FILE = REPO_ROOT / "tb" / "cycle_baseline.json"
BENCH_DIR = BUILD_DIR / "bench"
TOLERANCE = 0.02  # the gate fails a figure more than 2 % above its baseline


def kernel_file(name: str) -> Path:
    """The kernel NAME: kernels/NAME.py when it is a Python kernel, else kernels/NAME.asm."""
    python = KERNELS_DIR / f"{name}.py"
    return python if python.is_file() else KERNELS_DIR / f"{name}.asm"


def bench_jobs() -> list[Job]:
    """Every kernel at every timing, in a fixed order (one simulator process runs them all)."""
    jobs = []
    for name in KERNELS:
        kernel = load_kernel(kernel_file(name))
        memory = list(kernel.data) + [0] * (DATA_MEM_SIZE - len(kernel.data))
        for label, latency, stall_max in TIMINGS:
            jobs.append(
                Job(
                    kernel.program.words,
                    memory,
                    kernel.threads,
                    latency=latency,
                    stall_max=stall_max,
                    seed=STALL_SEED,
                    max_cycles=kernel.max_cycles,
                    name=f"{name}@{label}",
                )
            )
    return jobs


def measure(config_name: str, sim: str, work: Path) -> tuple[dict[str, dict[str, dict]], list[str], float]:
    """Run every benchmark job of one configuration on one simulator.

    Returns ({kernel: {timing: {"cycles", "ipc", "counters"}}}, problems, seconds)."""
    config = get_config(config_name)
    jobs = bench_jobs()
    run_jobs(sim, config, jobs[:1], work / "warmup")  # build first: the timing is simulation only
    started = time.perf_counter()
    results = run_jobs(sim, config, jobs, work / "bench")
    seconds = time.perf_counter() - started
    figures: dict[str, dict[str, dict]] = {}
    problems = []
    for result in results:
        name, label = result.job.name.split("@")
        kernel = load_kernel(kernel_file(name))
        problems += check_run(
            result,
            block_dim=config.threads_per_block,
            shared_bytes=config.shared_mem_bytes,
            reference=kernel.reference,
            label=f"{name} at latency {label} on {config_name} ({sim})",
        )
        figures.setdefault(name, {})[label] = {
            "cycles": result.cycles,
            "ipc": round(len(result.commits) / result.cycles, 3) if result.cycles else 0.0,
            "counters": result.counter_totals(),
            "global_accesses": sum(1 for commit in result.commits if commit.mem_op),
        }
    return figures, problems, seconds


# ------------------------------------------------------------------ what cocotb costs
def speed_jobs(launches: int = SPEED_LAUNCHES) -> list[Job]:
    kernel = load_kernel(KERNELS_DIR / f"{SPEED_KERNEL}.asm")
    job = Job(
        kernel.program.words,
        list(kernel.data),
        kernel.threads,
        latency=SPEED_LATENCY,
        seed=STALL_SEED,
        max_cycles=kernel.max_cycles,
        name=f"{SPEED_KERNEL}@{SPEED_LATENCY}",
    )
    return [job] * launches


def timed(run):
    """run()'s result, the CPU seconds of the processes it started and waited for, and its wall seconds."""

    def child_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    cpu, wall = child_cpu(), time.perf_counter()
    result = run()
    return result, child_cpu() - cpu, time.perf_counter() - wall


def measure_flow_speed(work: Path) -> tuple[dict, list[str]]:
    """Simulated cycles per second of the cocotb Verilator flow and of the pure Verilator
    build on the same jobs (no commit log: simulation, not logging), fastest of
    SPEED_ROUNDS; the simulator process with its start-up is timed, not the builds.

    Returns (figures, problems): a job whose cycles differ between the two, or that timed
    out, is a problem, not a number."""
    config = get_config("default")
    jobs = speed_jobs()
    build("verilator", config)
    build("verilator", config, pure=True)
    # Per launch (cycles, timed out), from each flow.
    flows = {
        "cocotb": lambda: [
            (result.cycles, result.timed_out)
            for result in run_jobs("verilator", config, jobs, work / "cocotb", commits=False)
        ],
        "pure": lambda: [
            (result["cycles"], bool(result["timed_out"])) for result in run_jobs_pure(config, jobs, work / "pure")
        ],
    }
    fastest = {flow: (float("inf"), float("inf")) for flow in flows}  # (CPU, wall) seconds
    for _ in range(SPEED_ROUNDS):
        launches = {}
        for flow, run in flows.items():
            launches[flow], cpu, wall = timed(run)
            fastest[flow] = min(fastest[flow], (cpu, wall))
        if launches["cocotb"] != launches["pure"]:
            return {}, [
                f"the two flows count different cycles: (cycles, timed out) per launch "
                f"{launches['cocotb']} against {launches['pure']}"
            ]
        if any(timed_out for _, timed_out in launches["pure"]):
            return {}, [f"{SPEED_KERNEL} timed out"]
    total = sum(cycles for cycles, _ in launches["pure"])
    figures = {
        "kernel": f"{SPEED_KERNEL} at latency {SPEED_LATENCY} x {SPEED_LAUNCHES}",
        "cycles": total,
        "load_average": round(os.getloadavg()[0], 1),
    }
    for flow, (cpu, wall) in fastest.items():
        figures[f"{flow}_cycles_per_cpu_second"] = round(total / cpu)
        figures[f"{flow}_cycles_per_wall_second"] = round(total / wall)
    figures["ratio"] = round(fastest["pure"][0] / fastest["cocotb"][0], 3)
    return figures, []


def measure_pure_icarus_speed(work: Path) -> tuple[dict, list[str]]:
    """Simulated cycles per CPU second of pure Icarus (the pure build's vvp, no commit log)
    on ICARUS_SPEED_LAUNCHES launches of the speed job, fastest of SPEED_ROUNDS.

    Returns (figures, problems): a launch that timed out or counts other cycles than the
    others (they are one job) is a problem, not a number."""
    config = get_config("default")
    jobs = speed_jobs(ICARUS_SPEED_LAUNCHES)
    build("icarus", config, pure=True)
    fastest = (float("inf"), float("inf"))  # (CPU, wall) seconds
    for _ in range(SPEED_ROUNDS):
        launches, cpu, wall = timed(lambda: run_jobs_pure(config, jobs, work, sim="icarus"))
        fastest = min(fastest, (cpu, wall))
        if any(launch["timed_out"] or not launch["done"] for launch in launches):
            return {}, [f"{SPEED_KERNEL} timed out"]
        if len({launch["cycles"] for launch in launches}) != 1:
            return {}, [f"the launches of one job count different cycles: {launches}"]
    total = sum(launch["cycles"] for launch in launches)
    return {
        "kernel": f"{SPEED_KERNEL} at latency {SPEED_LATENCY} x {ICARUS_SPEED_LAUNCHES}",
        "cycles": total,
        "cycles_per_cpu_second": round(total / fastest[0]),
        "cycles_per_wall_second": round(total / fastest[1]),
    }, []


def print_pure_icarus_speed(figures: dict, *, log: Log) -> None:
    met = "met" if figures["cycles_per_cpu_second"] >= ICARUS_SPEED_GOAL else "NOT met"
    log(
        f"\npure Icarus: {figures['cycles_per_cpu_second']:,d} cycles per CPU second"
        f" (goal >= {ICARUS_SPEED_GOAL:,d}: {met})"
    )
    log(
        f"  {figures['kernel']} = {figures['cycles']} cycles, vvp without cocotb"
        f" (tb/hdl/harness_main_icarus.sv), fastest of {SPEED_ROUNDS} rounds,"
        f" {figures['cycles_per_wall_second']:,d} per wall-clock second"
    )


def print_flow_speed(figures: dict, *, log: Log) -> None:
    log("\nwhat cocotb costs: the cocotb Verilator flow against the pure Verilator build (C++ main, no VPI),")
    log(
        f"  {figures['kernel']} = {figures['cycles']} cycles, fastest of {SPEED_ROUNDS} rounds"
        f" (load average {figures['load_average']} on {os.cpu_count()} CPUs):"
    )
    for flow, title in (("cocotb", "cocotb flow"), ("pure", "pure build")):
        log(
            f"  {title:<11s} {figures[f'{flow}_cycles_per_cpu_second']:>10,d} cycles per CPU second"
            f" ({figures[f'{flow}_cycles_per_wall_second']:,d} per wall-clock second)"
        )
    log(f"  ratio       {ratio_against_goal(figures['ratio'], SPEED_GOAL)}")


def ratio_against_goal(ratio: float, goal: float) -> str:
    """`24.6 % (goal >= 25 %: NOT met)`: the ratio to a tenth of a percent, cut, not rounded,
    so a ratio below the goal never reads as the goal."""
    shown = math.floor(1000 * ratio + 1e-9) / 10  # (the epsilon: 0.29 is 289.999... tenths)
    return f"{shown:.1f} % (goal >= {100 * goal:g} %: {'met' if ratio >= goal else 'NOT met'})"


# ------------------------------------------------------------------ the cycle gate
def cycles_of(figures: dict[str, dict[str, dict]]) -> dict[str, dict[str, int]]:
    return {kernel: {label: row["cycles"] for label, row in timings.items()} for kernel, timings in figures.items()}


def compare_with_baseline(
    baseline: dict[str, dict[str, dict[str, int]]],
    measured: dict[str, dict[str, dict[str, int]]],
    tolerance: float = TOLERANCE,
) -> tuple[list[str], list[str]]:
    """(failures, improvements) of measured cycles {config: {kernel: {timing: cycles}}}
    against the baseline. A figure more than `tolerance` above its baseline fails; one
    below it is an improvement to record with `make bench UPDATE=1`; a figure missing on
    either side fails (the baseline and the benchmark must name the same runs)."""
    failures, improvements = [], []
    for config in sorted(set(baseline) | set(measured)):
        base_kernels, got_kernels = baseline.get(config, {}), measured.get(config, {})
        for kernel in sorted(set(base_kernels) | set(got_kernels)):
            base_timings, got_timings = base_kernels.get(kernel, {}), got_kernels.get(kernel, {})
            for label in sorted(set(base_timings) | set(got_timings)):
                where = f"{kernel} at latency {label} on {config}"
                if label not in base_timings:
                    failures.append(
                        f"{where}: {got_timings[label]} cycles, not in the baseline (run `make bench UPDATE=1`)"
                    )
                elif label not in got_timings:
                    failures.append(f"{where}: in the baseline ({base_timings[label]} cycles) but not measured")
                else:
                    base, got = base_timings[label], got_timings[label]
                    if got > base * (1 + tolerance):
                        failures.append(
                            f"{where}: {got} cycles, {100 * (got - base) / base:.1f} % above "
                            f"the baseline's {base} (more than {100 * tolerance:.0f} %)"
                        )
                    elif got < base:
                        improvements.append(f"{where}: {got} cycles, down from {base}")
    return failures, improvements


def gate_verdict(failures: list[str], improvements: list[str]) -> list[str]:
    """What `make bench` says about the cycle gate, passed or not."""
    lines = [f"improved: {line}" for line in improvements] + [f"bench: FAIL: {line}" for line in failures]
    where = BASELINE_FILE.relative_to(REPO_ROOT)
    if failures:
        lines.append(f"cycle gate: FAILED: {len(failures)} figure(s) more than {100 * TOLERANCE:.0f} % above {where}")
    else:
        lines.append(f"cycle gate: passed: no figure more than {100 * TOLERANCE:.0f} % above {where}")
        if improvements:
            lines.append("bench: faster than the baseline: record it with `make bench UPDATE=1`")
    return lines


def load_baseline(path: Path = BASELINE_FILE) -> dict:
    return json.loads(Path(path).read_text())["cycles"]


def write_baseline(measured: dict, path: Path = BASELINE_FILE) -> None:
    path.write_text(
        json.dumps(
            {
                "about": "cycles from start to done per configuration, kernel and memory timing; "
                "written by `make bench UPDATE=1`, checked by `make test` (tb/test_cycle_gate.py)",
                "cycles": measured,
            },
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )


# ------------------------------------------------------------------ report
def print_tables(config: str, figures: dict[str, dict[str, dict]], *, log: Log) -> None:
    log(f"\nconfiguration {config}: cycles (IPC) per memory latency; counters summed over cores at latency 8")
    labels = [label for label, _, _ in TIMINGS]
    log(f"  {'kernel':<18s}" + "".join(f"{label:>13s}" for label in labels) + "   fetch-wait mem-wait switches merged")
    for kernel in KERNELS:
        row = figures[kernel]
        cells = "".join(f"{row[label]['cycles']:>7d} ({row[label]['ipc']:.2f})" for label in labels)
        counters = row["8"]["counters"]
        log(
            f"  {kernel:<18s}{cells}   {counters['fetch_stall_cycles']:>10d} {counters['memory_stall_cycles']:>8d}"
            f" {counters['warp_switches']:>8d} {counters['merged_loads']:>6d}"
        )


def print_goals(default: dict[str, dict[str, dict]], *, log: Log) -> None:
    log("\ncycle goals (default configuration):")
    for (kernel, label), goal in GOALS.items():
        got = default[kernel][label]["cycles"]
        theirs = TINY_GPU_CYCLES.get(kernel) if label == "1" else None
        versus = f"; tiny-gpu {theirs}, {theirs / got:.1f}x" if theirs else ""
        log(
            f"  {kernel:<11s} latency {label}: {got:>4d} cycles (goal <= {goal}: "
            f"{'met' if got <= goal else 'NOT met'}{versus})"
        )


def print_axi_latency_hiding(axi: dict[str, dict[str, dict]], *, log: Log) -> None:
    """Each kernel's cycles at 8-cycle memory against 1-cycle memory on the AXI port."""
    log(f"\nlatency hidden on the AXI port (axi: latency 8 within {AXI_LATENCY_GOAL}x of latency 1):")
    for kernel in KERNELS:
        one, eight = axi[kernel]["1"]["cycles"], axi[kernel]["8"]["cycles"]
        verdict = "met" if eight <= AXI_LATENCY_GOAL * one else "NOT met"
        log(f"  {kernel:<18s} {one:>5d} -> {eight:>5d} cycles ({eight / one:.2f}x: {verdict})")


def print_compiled_against_hand_written(config: str, figures: dict[str, dict[str, dict]], *, log: Log) -> None:
    """Cycles of each Python kernel beside its hand-written twin, at every memory timing."""
    labels = [label for label, _, _ in TIMINGS]
    log(
        f"\ncompiled (kernels/NAME_py.py) against hand-written (kernels/NAME.asm) on {config}: "
        "cycles per memory latency, compiled / hand-written"
    )
    log(
        f"  {'kernel':<11s}"
        + "".join(f"{label:>18s}" for label in labels)
        + f"   goal at latency 1 (<= {COMPILED_GOAL}x)"
    )
    for name in COMPILED:
        if name not in figures or f"{name}_py" not in figures:
            continue
        cells = []
        for label in labels:
            hand, compiled = figures[name][label]["cycles"], figures[f"{name}_py"][label]["cycles"]
            cells.append(f"{compiled:>5d} / {hand:<5d}{compiled / hand:5.2f}x")
        ratio = figures[f"{name}_py"]["1"]["cycles"] / figures[name]["1"]["cycles"]
        log(
            f"  {name:<11s}"
            + "".join(f"{cell:>18s}" for cell in cells)
            + f"   {'met' if ratio <= COMPILED_GOAL else 'NOT MET'}"
        )


def print_shared_versus_global(all_figures: dict[str, dict[str, dict[str, dict]]], *, log: Log) -> None:
    """Cycles of each computation through global and through shared memory, per
    configuration (warps per core) at 1- and 8-cycle memory: shared memory pays where a
    block re-reads data and latency is not hidden by other warps, and costs where its
    staging code is longer than what it saves."""
    configs = sorted(all_figures, key=lambda name: get_config(name).warps_per_core)
    log("\nwhat shared memory buys: the same result through global memory, then through shared memory")
    log(
        f"  {'kernel':<17s} {'mem requests':>12s}"
        + "".join(f"{f'{get_config(c).warps_per_core}w lat {label}':>12s}" for c in configs for label in ("1", "8"))
    )
    for through_global, through_shared in SHARED_VERSUS_GLOBAL:
        for kernel in (through_global, through_shared):
            first = all_figures[configs[0]][kernel]["1"]
            requests = first["global_accesses"] - first["counters"]["merged_loads"]  # coalesced loads share one
            log(
                f"  {kernel:<17s} {requests:>12d}"
                + "".join(f"{all_figures[c][kernel][label]['cycles']:>12d}" for c in configs for label in ("1", "8"))
            )
        log(
            f"  {'  speed-up':<17s} {'':>12s}"
            + "".join(
                f"{figures[through_global][label]['cycles'] / figures[through_shared][label]['cycles']:>11.2f}x"
                for figures in (all_figures[c] for c in configs)
                for label in ("1", "8")
            )
        )


def print_latency_hiding(all_figures: dict[str, dict[str, dict[str, dict]]], *, log: Log) -> None:
    if "one_warp" not in all_figures:
        return
    single = all_figures["one_warp"]["broadcast_loop"]["8"]["cycles"]
    log("\nlatency hiding: broadcast_loop (8 blocks, memory-bound: 32 loads each) at 8-cycle memory")
    for config in sorted(all_figures, key=lambda name: get_config(name).warps_per_core):
        cycles = all_figures[config]["broadcast_loop"]["8"]["cycles"]
        warps = get_config(config).warps_per_core
        log(
            f"  {warps} warp{'s' if warps > 1 else ' '} per core ({config}): {cycles:>5d} cycles, "
            f"{single / cycles:.2f}x the single warp"
        )


def plot(all_figures: dict[str, dict[str, dict[str, dict]]], path: Path) -> Path:
    """Cycles vs memory latency, one panel per kernel, a line per configuration, and
    tiny-gpu's figure at latency 1 where there is one."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    latencies = [(label, latency) for label, latency, stall in TIMINGS if stall == 0]
    columns = 4
    rows = -(-len(KERNELS) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(16, 3.6 * rows))
    for ax in axes.flat[len(KERNELS) :]:
        ax.axis("off")
    for ax, kernel in zip(axes.flat, KERNELS):
        for config, figures in all_figures.items():
            ax.plot(
                [lat for _, lat in latencies],
                [figures[kernel][label]["cycles"] for label, _ in latencies],
                marker="o",
                label=f"{config} ({get_config(config).port} port, {get_config(config).warps_per_core} warps/core)",
            )
        if kernel in TINY_GPU_CYCLES:
            ax.plot(
                [1],
                [TINY_GPU_CYCLES[kernel]],
                marker="x",
                color="black",
                linestyle="none",
                markersize=9,
                label="tiny-gpu",
            )
        ax.set_title(kernel)
        ax.set_xlabel("memory latency (cycles)")
        ax.set_ylabel("cycles, start to done")
        ax.set_xticks([lat for _, lat in latencies])
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("tiny-gpu-sv: cycles per kernel against memory latency (make bench)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def run_bench(configs: list[str], sims: list[str], update: bool = False, *, log: Log) -> tuple[dict, bool]:
    """Measure, print, plot, and check against (or, with `update`, rewrite) the baseline."""
    report: dict = {"figures": {}, "speed": {}, "cocotb_against_pure": {}, "pure_icarus": {}}
    right = True
    cycles_per_sim: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as work:
        for sim in sims:
            total_cycles, total_seconds = 0, 0.0
            for config in configs:
                figures, problems, seconds = measure(config, sim, Path(work) / sim / config)
                for problem in problems:
                    log(problem)
                right &= not problems
                cycles_per_sim.setdefault(sim, {})[config] = cycles_of(figures)
                report["figures"].setdefault(config, figures)
                total_cycles += sum(row["cycles"] for timings in figures.values() for row in timings.values())
                total_seconds += seconds
            report["speed"][sim] = {
                "cycles": total_cycles,
                "seconds": round(total_seconds, 2),
                "cycles_per_second": round(total_cycles / total_seconds),
            }
        # Simulation speed: (simulator, measurement, report key, what it is)
        for sim, measure_speed, key, what in (
            ("verilator", measure_flow_speed, "cocotb_against_pure", "cocotb flow against pure build"),
            ("icarus", measure_pure_icarus_speed, "pure_icarus", "pure Icarus"),
        ):
            if sim in sims:
                speed, problems = measure_speed(Path(work) / key)
                for problem in problems:
                    log(f"bench: FAIL: {what}: {problem}")
                right &= not problems
                report[key] = speed
    for config, figures in report["figures"].items():
        print_tables(config, figures, log=log)
        print_compiled_against_hand_written(config, figures, log=log)
    if "default" in report["figures"]:
        print_goals(report["figures"]["default"], log=log)
    if "axi" in report["figures"]:
        print_axi_latency_hiding(report["figures"]["axi"], log=log)
    print_shared_versus_global(report["figures"], log=log)
    print_latency_hiding(report["figures"], log=log)
    log("\nsimulation speed (all runs above, one process per configuration, start-up included):")
    for sim, speed in report["speed"].items():
        log(
            f"  {sim:<9s} {speed['cycles']:>8d} cycles in {speed['seconds']:6.2f} s = "
            f"{speed['cycles_per_second']:>8,d} cycles/s"
        )
    if report["cocotb_against_pure"]:
        print_flow_speed(report["cocotb_against_pure"], log=log)
    if report["pure_icarus"]:
        print_pure_icarus_speed(report["pure_icarus"], log=log)
    first = cycles_per_sim[sims[0]]
    for sim in sims[1:]:
        if cycles_per_sim[sim] != first:
            log(f"bench: FAIL: {sim} counts different cycles from {sims[0]}")
            right = False
    path = plot(report["figures"], BENCH_DIR / "cycles_vs_latency.png")
    log(f"\nplot: {path}")
    if update:
        write_baseline(first)
        log(f"baseline written: {BASELINE_FILE.relative_to(REPO_ROOT)}")
    else:
        failures, improvements = compare_with_baseline(
            {c: v for c, v in load_baseline().items() if c in configs}, first
        )
        for line in gate_verdict(failures, improvements):
            log(line)
        right &= not failures
    return report, right
