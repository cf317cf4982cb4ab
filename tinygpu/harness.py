# SPDX-License-Identifier: MIT
"""Run kernels on the RTL: build the harness once per simulator and configuration,
launch a batch of jobs in one simulator process, and return what happened.

    results = run_jobs("icarus", get_config("default"), [Job(program, memory, threads)], work_dir)

Each JobResult carries the final data memory, the cycle count, whether the harness
timed out, and the commit records the RTL retired (parsed from the harness log). The
caller compares them with the golden models (tinygpu/checks.py).

    launches = run_jobs_pure(get_config("default"), jobs, work_dir, sim="verilator")

runs the same jobs on a pure build, without cocotb and VPI: for Verilator
tb/hdl/harness_main.cpp drives the harness from C++, for Icarus
tb/hdl/harness_main_icarus.sv from SystemVerilog. They are the yardsticks of the cocotb
flow's speed and of the simulators' own; it returns only what the main prints per
launch (cycles, timed_out, done).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import sim as simulator
from .bus_errors import BusError, Fault
from .commits import Commit, parse_commit_log
from .configs import DEFAULT_MAX_CYCLES, GpuConfig
from .hexfile import format_hex
from .isa import DATA_MEM_SIZE, PROGRAM_MEM_SIZE
from .paths import HDL_TB_DIR, RTL_DIR
from .records import PACKAGE_FILE, RecordError, commit_layout, perf_layout

HARNESS_SOURCES = [
    HDL_TB_DIR / "memory_latency_model.sv",
    HDL_TB_DIR / "axi_memory_model.sv",
    HDL_TB_DIR / "gpu_harness.sv",
]
HARNESS_TOP = "gpu_harness"
# The define that gives the GPU its trace port (rtl/gpu.sv): every harness build has it.
TRACE_DEFINE = "GPU_TRACE"
# The harness signals public to VPI in a Verilator build: those cocotb_gpu.py touches.
HARNESS_VPI_SIGNALS = HDL_TB_DIR / "gpu_harness_vpi.vlt"
# The mains of the pure builds (no cocotb, no VPI), per simulator: a C++ main() for
# Verilator, a root module around the harness for Icarus.
HARNESS_MAINS = {"verilator": HDL_TB_DIR / "harness_main.cpp", "icarus": HDL_TB_DIR / "harness_main_icarus.sv"}
# The environment variable that makes every plain Verilator build a coverage build (`build`).
SHARED_COVERAGE_BUILDS = "TINYGPU_SHARED_COVERAGE_BUILDS"


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
    latency: int = 1  # cycles a memory channel takes to answer (>= 1)
    stall_max: int = 0  # plus a random 0..stall_max cycles per request
    seed: int = 1  # seeds the stall generator
    max_cycles: int = DEFAULT_MAX_CYCLES
    reset: bool = True  # reset the GPU before this launch (False: launch right after the last)
    write_thread_count: bool = True  # False: start without writing the device control register
    # (after a reset it holds 0: the launch has no thread)
    abort_after_cycles: int | None = None  # reset the GPU this many cycles into the kernel
    hold_start_cycles: int = 0  # keep start high this many cycles after done (done must stay high)
    fault: Fault | None = None  # an AXI error response to inject (AXI configurations only)
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
    done_before_launch: int  # `done` just before the launch (must be 0 after a reset)
    done_after_launch: int  # `done` in the cycle after the launch edge (must be 0)
    aborted: bool
    memory: list[int]
    stall_cycles: int
    max_waiting: int
    commits: list[Commit] = field(default_factory=list)
    counters: list[dict[str, int]] = field(default_factory=list)  # per core, at the end
    memory_events: dict[str, int] = field(default_factory=dict)  # MEMORY_EVENT_NAMES -> count
    bus_error: BusError | None = None  # the AXI error response that ended the launch, if one did
    raw: dict = field(default_factory=dict)
    num_cores: int = 0  # of the configuration it ran on (0: not recorded)
    config: GpuConfig | None = None  # the configuration it ran on

    def counter_totals(self) -> dict[str, int]:
        """Every core's counters added up, with the run's memory events."""
        totals = {name: sum(core[name] for core in self.counters) for name in COUNTER_NAMES}
        return {**totals, **self.memory_events}


# The performance counters of each core: gpu_pkg.sv's perf_t, in declaration order.
COUNTER_NAMES = perf_layout().names


# The fields of the harness's "M" line, in its order (tb/hdl/gpu_harness.sv counts them):
# program reads merged for several cores, streamed fetches, then the AXI port's data
# reads and writes (transactions), writes with some byte strobe low, the most reads and
# writes in flight at once, cycles a valid waited for its ready (data AR, AW, W, program
# AR) and cycles the slave held back a due response (data R, B, program R). tiny-gpu's
# port has no AXI bus: its AXI fields are 0.
MEMORY_EVENT_NAMES = (
    "merged_program_reads",
    "back_to_back_fetches",
    "data_reads",
    "data_writes",
    "partial_strobe_writes",
    "most_data_reads_in_flight",
    "most_data_writes_in_flight",
    "data_ar_waits",
    "data_aw_waits",
    "data_w_waits",
    "program_ar_waits",
    "data_r_holds",
    "data_b_holds",
    "program_r_holds",
)


def _tagged_lines(path: Path, tag: str):
    """The fields after the tag of every line of the commit log that starts with `tag`."""
    if not Path(path).exists():
        return
    for line in Path(path).read_text().splitlines():
        fields = line.split()
        if fields and fields[0] == tag:
            yield line, fields[1:]


def check_record_widths(path: Path, rtl_dir: Path = RTL_DIR) -> None:
    """RecordError unless the log's "F" line gives the widths of commit_t and perf_t that
    the package (of rtl/ or of `rtl_dir`) declares: the harness and tinygpu.records agree."""
    expected = [commit_layout(rtl_dir).width, perf_layout(rtl_dir).width]
    for line, fields in _tagged_lines(path, "F"):
        if [int(f, 16) for f in fields] != expected:
            raise RecordError(
                f"the harness prints records of {fields} bits (hex), but "
                f"{Path(rtl_dir) / PACKAGE_FILE} declares {expected} (commit_t, perf_t): {line!r}"
            )


def parse_memory_event_lines(path: Path) -> dict[int, dict[str, int]]:
    """Per job id, the harness's memory event counts (its "M" line)."""
    events = {}
    for line, fields in _tagged_lines(path, "M"):
        if len(fields) != 1 + len(MEMORY_EVENT_NAMES):
            raise ValueError(f"malformed M line: {line!r}")
        job, *values = (int(f, 16) for f in fields)
        events[job] = dict(zip(MEMORY_EVENT_NAMES, values))
    return events


def parse_bus_error_lines(path: Path) -> dict[int, BusError]:
    """Per job id, the AXI error response that ended the launch (the harness's "E" line)."""
    errors = {}
    for line, fields in _tagged_lines(path, "E"):
        if len(fields) != 3:
            raise ValueError(f"malformed E line: {line!r}")
        job, side, address = (int(f, 16) for f in fields)
        errors[job] = BusError(side=side, axi_address=address)
    return errors


def parse_counter_lines(path: Path, rtl_dir: Path = RTL_DIR) -> dict[int, list[dict[str, int]]]:
    """Per job id, each core's counters in core order (the harness's "P" lines)."""
    layout = perf_layout(rtl_dir)
    by_core: dict[int, dict[int, dict[str, int]]] = {}
    for line, fields in _tagged_lines(path, "P"):
        if len(fields) != 3:
            raise ValueError(f"malformed P line: {line!r}")
        by_core.setdefault(int(fields[0], 16), {})[int(fields[1], 16)] = layout.decode(fields[2])
    return {job: [cores[c] for c in sorted(cores)] for job, cores in by_core.items()}


def harness_sources(rtl_dir: Path | None = None) -> list[Path]:
    """The GPU's sources (from rtl/, or from a modified copy in `rtl_dir`) and the harness."""
    return simulator.rtl_sources(rtl_dir) + HARNESS_SOURCES


def build(
    sim: str,
    config: GpuConfig,
    *,
    waves: bool = False,
    coverage: bool = False,
    rtl_dir: Path | None = None,
    pure: bool = False,
    random_init: bool = False,
) -> Path:
    """Build (or reuse) the harness for this simulator and configuration.

    `rtl_dir`: build the GPU from this copy of rtl/ instead (the build folder is keyed by
    the sources' contents, so each modified copy gets its own build).
    `pure`: the pure build (see run_jobs_pure) instead of the cocotb one.
    `random_init`: Verilator, every bit not reset starts random (see run_jobs).

    With SHARED_COVERAGE_BUILDS set in the environment (make test sets it), every
    Verilator build of rtl/ that has no other purpose gets the coverage counters too, so
    the regression and make coverage share one build per configuration."""
    shared = os.environ.get(SHARED_COVERAGE_BUILDS) == "1" and sim == "verilator"
    coverage = coverage or (shared and rtl_dir is None and not (waves or pure or random_init))
    return simulator.build(
        sim,
        sources=harness_sources(rtl_dir),
        toplevel=HARNESS_TOP,
        parameters=config.all_parameters,
        waves=waves,
        coverage=coverage,
        name=f"{config.name}-pure" if pure else f"{config.name}-random-init" if random_init else config.name,
        vpi_signals=HARNESS_VPI_SIGNALS,
        main=HARNESS_MAINS[sim] if pure else None,
        defines={TRACE_DEFINE: True, **config.defines},
        random_init=random_init,
    )


def write_job_files(jobs: list[Job], work_dir: Path, *, commits: bool, trace: bool, waves: bool) -> list[str]:
    """Write the jobs' program and data files into `work_dir`/memory (and remove the outputs
    of an earlier run); return the harness plusargs of the run."""
    memory_dir = work_dir / "memory"
    memory_dir.mkdir(exist_ok=True)
    for stale in (work_dir / "commits.log", work_dir / "trace.log", *memory_dir.glob("job*_final.hex")):
        stale.unlink(missing_ok=True)
    for i, job in enumerate(jobs):
        program = list(job.program) + [0] * (PROGRAM_MEM_SIZE - len(job.program))
        memory = list(job.memory) + [0] * (DATA_MEM_SIZE - len(job.memory))
        (memory_dir / f"job{i}_program.hex").write_text(format_hex(program, 4))
        (memory_dir / f"job{i}_data.hex").write_text(format_hex(memory, 2))

    plusargs = [f"+memory_dir={memory_dir}"]
    if commits:
        plusargs.append(f"+commit_file={work_dir / 'commits.log'}")
    if trace:
        plusargs.append(f"+trace_file={work_dir / 'trace.log'}")
    if waves:
        plusargs.append(f"+wave_file={work_dir / 'waves.fst'}")
    return plusargs


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
    random_init_seed: int | None = None,
) -> list[JobResult]:
    """Run `jobs` in order in one simulator process; return one result per job.

    `rtl_dir`: run a modified copy of rtl/ (see `build`).
    `random_init_seed`: Verilator only: start every bit the design does not reset from
    the random pattern of this seed (>= 1) instead of zeros (0: zeros, on the same build)."""
    if not config.axi and any(job.fault for job in jobs):
        raise ValueError(f"configuration {config.name}: error responses are injected on the AXI port only")
    work_dir = Path(work_dir).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    build_dir = build(
        sim, config, waves=waves, coverage=coverage, rtl_dir=rtl_dir, random_init=random_init_seed is not None
    )

    jobs_file = work_dir / "jobs.json"
    results_file = work_dir / "results.json"
    commit_file = work_dir / "commits.log"
    memory_dir = work_dir / "memory"
    results_file.unlink(missing_ok=True)
    plusargs = write_job_files(jobs, work_dir, commits=commits, trace=trace, waves=waves)
    if random_init_seed is not None:
        plusargs += simulator.random_init_plusargs(random_init_seed)
    jobs_file.write_text(json.dumps([job.to_json(i) for i, job in enumerate(jobs)]))

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
    rtl = rtl_dir or RTL_DIR
    if commits:
        check_record_widths(commit_file, rtl)
    by_job = parse_commit_log(commit_file, commit_layout(rtl)) if commits else {}
    counters_by_job = parse_counter_lines(commit_file, rtl) if commits else {}
    events_by_job = parse_memory_event_lines(commit_file) if commits else {}
    bus_errors = parse_bus_error_lines(commit_file) if commits else {}
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
                bus_error=bus_errors.get(raw["id"]),
                raw=raw,
                num_cores=config.num_cores if commits else 0,
                config=config,
            )
        )
    return results


# The settings harness_main.cpp takes once for every job, as plusargs (Job field names).
PURE_SETTINGS = ("threads", "latency", "stall_max", "seed", "max_cycles")
_PURE_JOB_LINE = re.compile(r"job (\d+) cycles (\d+) timed_out (\d+) done (\d+)")


def run_jobs_pure(
    config: GpuConfig, jobs: list[Job], work_dir: Path, *, commits: bool = False, sim: str = "verilator"
) -> list[dict]:
    """Run `jobs` on the pure build of `sim` (HARNESS_MAINS), with the files and plusargs
    run_jobs gives the cocotb flow; return per job {"cycles", "timed_out", "done"}.

    The jobs must share PURE_SETTINGS and keep the default launch flags (reset first,
    thread count written, no abort): the main takes the settings once. `commits`: the
    harness writes the commit log too (as in run_jobs), for a comparison."""
    if not jobs:
        raise ValueError("run_jobs_pure: no job")

    def settings(job: Job) -> list:
        return [getattr(job, name) for name in PURE_SETTINGS]

    for job in jobs:
        if settings(job) != settings(jobs[0]):
            raise ValueError(f"run_jobs_pure: job {job.name!r} has other settings than the first job")
        if not (job.reset and job.write_thread_count and job.abort_after_cycles is None and job.hold_start_cycles == 0):
            raise ValueError(f"run_jobs_pure: job {job.name!r} changes the launch (reset, thread count, abort)")
    if not config.axi and any(job.fault for job in jobs):
        raise ValueError(f"configuration {config.name}: error responses are injected on the AXI port only")
    work_dir = Path(work_dir).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    build_dir = build(sim, config, pure=True)
    plusargs = write_job_files(jobs, work_dir, commits=commits, trace=False, waves=False)
    plusargs += [f"+jobs={len(jobs)}"] + [f"+{name}={value}" for name, value in zip(PURE_SETTINGS, settings(jobs[0]))]
    output = simulator.run_executable(simulator.executable_command(build_dir), plusargs, work_dir=work_dir)
    results = [
        {"cycles": int(cycles), "timed_out": int(timed_out), "done": int(done)}
        for _, cycles, timed_out, done in _PURE_JOB_LINE.findall(output)
    ]
    if len(results) != len(jobs):
        raise RuntimeError(f"the pure build finished {len(results)} of {len(jobs)} jobs; see {work_dir}")
    return results
