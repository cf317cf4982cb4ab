"""Run kernels on the RTL: build the harness once per simulator and configuration,
launch a batch of jobs in one simulator process, and return what happened.

    results = run_jobs("icarus", get_config("default"), [Job(program, memory, threads)], work_dir)

Each JobResult carries the final data memory, the cycle count, whether the harness
timed out, and the commit records the RTL retired (parsed from the harness log). The
caller compares them with the golden models (tinygpu/checks.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import sim as simulator
from .commits import Commit, parse_commit_log
from .configs import DEFAULT_MAX_CYCLES, GpuConfig
from .hexfile import format_hex
from .isa import DATA_MEM_SIZE, PROGRAM_MEM_SIZE
from .paths import HDL_TB_DIR

HARNESS_SOURCES = [HDL_TB_DIR / "memory_latency_model.sv", HDL_TB_DIR / "gpu_harness.sv"]
HARNESS_TOP = "gpu_harness"
# The harness signals public to VPI in a Verilator build: those cocotb_gpu.py touches.
HARNESS_VPI_SIGNALS = HDL_TB_DIR / "gpu_harness_vpi.vlt"


def read_memory_dump(path: Path) -> list[int]:
    """Read a $writememh dump (Icarus adds `// 0x...` address comments)."""
    values = []
    for line in path.read_text().splitlines():
        line = line.split("//")[0].strip()
        if line:
            values.append(int(line, 16))
    if len(values) != DATA_MEM_SIZE:
        raise RuntimeError(f"{path}: expected {DATA_MEM_SIZE} bytes, found {len(values)}")
    return values


@dataclass
class Job:
    """One kernel launch. `memory` is the full initial data memory (padded with zeros)."""

    program: list[int]
    memory: list[int]
    threads: int
    latency: int = 1            # cycles a memory channel takes to answer (>= 1)
    stall_max: int = 0          # plus a random 0..stall_max cycles per request
    seed: int = 1               # seeds the stall generator
    max_cycles: int = DEFAULT_MAX_CYCLES
    reset: bool = True          # reset the GPU before this launch (False: launch right after the last)
    write_thread_count: bool = True  # False: start without writing the device control register
                                     # (after a reset it holds 0: the launch has no thread)
    abort_after_cycles: int | None = None  # reset the GPU this many cycles into the kernel
    name: str = ""

    def to_json(self, job_id: int) -> dict:
        """The settings the cocotb side needs (memories travel as hex files)."""
        d = asdict(self)
        del d["program"], d["memory"]
        d["id"] = job_id
        return d


@dataclass
class JobResult:
    job: Job
    cycles: int
    timed_out: bool
    done: bool
    done_before_launch: int     # `done` just before the launch (must be 0 after a reset)
    done_after_launch: int      # `done` in the cycle after the launch edge (must be 0)
    aborted: bool
    memory: list[int]
    stall_cycles: int
    max_waiting: int
    commits: list[Commit] = field(default_factory=list)
    counters: list[dict[str, int]] = field(default_factory=list)  # per core, at the end
    memory_events: dict[str, int] = field(default_factory=dict)   # merged program reads, streamed fetches
    raw: dict = field(default_factory=dict)

    def counter_totals(self) -> dict[str, int]:
        """Every core's counters added up, with the run's memory events."""
        totals = {name: sum(core[name] for core in self.counters) for name in COUNTER_NAMES}
        return {**totals, **self.memory_events}


# The performance counters of each core (rtl/perf_counters.sv), in the order the harness
# writes them on its "P" lines.
COUNTER_NAMES = ("busy_cycles", "issued", "thread_instructions", "icache_hits", "icache_misses",
                 "fetch_stall_cycles", "memory_stall_cycles", "divergent_issues", "merged_loads",
                 "warp_switches", "barrier_wait_cycles", "shared_loads", "shared_stores")


MEMORY_EVENT_NAMES = ("merged_program_reads", "back_to_back_fetches")


def _summary_lines(path: Path, tag: str, numbers: int):
    """The numbers (hex) of every line of the commit log that starts with `tag`."""
    if not Path(path).exists():
        return
    for line in Path(path).read_text().splitlines():
        fields = line.split()
        if fields and fields[0] == tag:
            if len(fields) != 1 + numbers:
                raise ValueError(f"malformed {tag} line: {line!r}")
            yield [int(f, 16) for f in fields[1:]]


def parse_memory_event_lines(path: Path) -> dict[int, dict[str, int]]:
    """Per job id, the harness's memory event counts (its "M" line)."""
    return {job: dict(zip(MEMORY_EVENT_NAMES, values))
            for job, *values in _summary_lines(path, "M", 1 + len(MEMORY_EVENT_NAMES))}


def parse_counter_lines(path: Path) -> dict[int, list[dict[str, int]]]:
    """Per job id, each core's counters (core order) from the harness's "P" lines."""
    by_core: dict[int, dict[int, dict[str, int]]] = {}
    for job, core, *values in _summary_lines(path, "P", 2 + len(COUNTER_NAMES)):
        by_core.setdefault(job, {})[core] = dict(zip(COUNTER_NAMES, values))
    # The cores' lines come in any order (one always block per core).
    return {job: [cores[c] for c in sorted(cores)] for job, cores in by_core.items()}


def harness_sources(rtl_dir: Path | None = None) -> list[Path]:
    """The GPU's sources (from rtl/, or from a modified copy in `rtl_dir`) and the harness."""
    return simulator.rtl_sources(rtl_dir) + HARNESS_SOURCES


def build(sim: str, config: GpuConfig, *, waves: bool = False, coverage: bool = False,
          rtl_dir: Path | None = None) -> Path:
    """Build (or reuse) the harness for this simulator and configuration.

    `rtl_dir`: build the GPU from this copy of rtl/ instead (the build folder is keyed by
    the sources' contents, so each modified copy gets its own build)."""
    return simulator.build(
        sim,
        sources=harness_sources(rtl_dir),
        toplevel=HARNESS_TOP,
        parameters=config.all_parameters,
        waves=waves,
        coverage=coverage,
        name=config.name,
        vpi_signals=HARNESS_VPI_SIGNALS,
    )


def run_jobs(
    sim: str,
    config: GpuConfig,
    jobs: list[Job],
    work_dir: Path,
    *,
    commits: bool = True,
    trace: bool = False,
    waves: bool = False,
    coverage: bool = False,
    rtl_dir: Path | None = None,
) -> list[JobResult]:
    """Run `jobs` in order in one simulator process; return one result per job.

    `rtl_dir`: run a modified copy of rtl/ (see `build`)."""
    work_dir = Path(work_dir).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    build_dir = build(sim, config, waves=waves, coverage=coverage, rtl_dir=rtl_dir)

    jobs_file = work_dir / "jobs.json"
    results_file = work_dir / "results.json"
    commit_file = work_dir / "commits.log"
    trace_file = work_dir / "trace.log"
    wave_file = work_dir / "waves.fst"
    memory_dir = work_dir / "memory"
    memory_dir.mkdir(exist_ok=True)
    for stale in (results_file, commit_file, trace_file, *memory_dir.glob("job*_final.hex")):
        stale.unlink(missing_ok=True)
    jobs_file.write_text(json.dumps([job.to_json(i) for i, job in enumerate(jobs)]))
    for i, job in enumerate(jobs):
        program = list(job.program) + [0] * (PROGRAM_MEM_SIZE - len(job.program))
        memory = list(job.memory) + [0] * (DATA_MEM_SIZE - len(job.memory))
        (memory_dir / f"job{i}_program.hex").write_text(format_hex(program, 4))
        (memory_dir / f"job{i}_data.hex").write_text(format_hex(memory, 2))

    plusargs = [f"+memory_dir={memory_dir}"]
    if commits:
        plusargs.append(f"+commit_file={commit_file}")
    if trace:
        plusargs.append(f"+trace_file={trace_file}")
    if waves:
        plusargs.append(f"+wave_file={wave_file}")

    simulator.run(
        sim,
        build_dir,
        toplevel=HARNESS_TOP,
        test_module="tinygpu.cocotb_gpu",
        test_dir=work_dir,
        plusargs=plusargs,
        extra_env={"GPU_JOBS": str(jobs_file), "GPU_RESULTS": str(results_file)},
        waves=waves,
    )

    raw_results = json.loads(results_file.read_text())
    if len(raw_results) != len(jobs):
        raise RuntimeError(f"simulator finished {len(raw_results)} of {len(jobs)} jobs; see {work_dir}")
    by_job = parse_commit_log(commit_file) if commits else {}
    counters_by_job = parse_counter_lines(commit_file) if commits else {}
    events_by_job = parse_memory_event_lines(commit_file) if commits else {}
    results = []
    for job, raw in zip(jobs, raw_results):
        results.append(
            JobResult(
                job=job,
                cycles=raw["cycles"],
                timed_out=bool(raw["timed_out"]),
                done=bool(raw.get("done", 0)),
                done_before_launch=raw["done_before_launch"],
                done_after_launch=raw["done_after_launch"],
                aborted=raw["aborted"],
                memory=read_memory_dump(memory_dir / f"job{raw['id']}_final.hex"),
                stall_cycles=raw["stall_cycles"],
                max_waiting=raw["max_waiting"],
                commits=by_job.get(raw["id"], []),
                counters=counters_by_job.get(raw["id"], []),
                memory_events=events_by_job.get(raw["id"], {}),
                raw=raw,
            )
        )
    return results
