#!/usr/bin/env python3
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
    runs/             one simulator folder per batch (sim.log, commits.log, coverage.dat)

Exit status 1 when a run failed, a required functional bin is empty, or rtl/ changed
while the regression ran. RTL lines that no stimulus can reach are listed with the reason
(`UNREACHABLE`, matched on source text, instance and configuration); Verilator's numbers
are printed unchanged, with a column that leaves those lines out.

Usage::

    .venv/bin/tinygpu-coverage [--seeds 40] [--workers 2] [--out build/coverage]
"""

from __future__ import annotations

import hashlib
import json
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import simulator
from .assembler import assemble
from .checks import check_run, guarded_memory
from .configs import GpuConfig, get_config, representative_configs
from .func_coverage import FunctionalCoverage
from .harness import Job, JobResult, build, harness_sources, run_jobs
from .kernels import discover_kernels
from .paths import REPO_ROOT
from .randprog import generate

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
        out += edge_launches(config)
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
                               f"(tinygpu-randprog --seed {seed} "
                               f"--block-dim {config.threads_per_block} --size {size})"))
    return out


def place(lines: dict[int, str]) -> list[int]:
    """A program memory image from {address: one line of assembly} (zeros elsewhere)."""
    words = [0] * 256
    for address, line in lines.items():
        words[address] = assemble(line, filename=f"<coverage_report.py word {address}>").words[0]
    return words


# Every thread reads its own byte, adds its global index and writes it back: race-free
# for any launch up to 255 threads (one byte each).
OWN_BYTE = place({0: "MUL R0, %blockIdx, %blockDim", 1: "ADD R0, R0, %threadIdx",
                  2: "LDR R1, R0", 3: "ADD R1, R1, R0", 4: "STR R0, R1", 5: "RET"})
# The PC runs through 254, 255 and wraps to 0 (docs/isa.md); the second pass over
# address 0 sees P and leaves through the RET at 5.
PC_WRAP = place({0: "BRp #5", 1: "CONST R1, #1", 2: "CMP R1, R0", 3: "BRnzp #254",
                 5: "RET", 254: "ADD R2, R2, %threadIdx", 255: "NOP"})
MAX_THREADS = 255  # the device control register holds the thread count in 8 bits


def own_byte_transposed(block_dim: int) -> list[int]:
    """OWN_BYTE with the byte of thread (b, t) at b + K*t, K = the most blocks a launch
    can have: still one byte per thread, but every thread slot's LSU now sees
    addresses whose low bits change from block to block (with b*B + t they never do)."""
    k = -(-MAX_THREADS // block_dim)
    return place({0: f"CONST R2, #{k}", 1: "MUL R0, %threadIdx, R2", 2: "ADD R0, R0, %blockIdx",
                  3: "LDR R1, R0", 4: "ADD R1, R1, R0", 5: "STR R0, R1", 6: "RET"})


def edge_launches(config: GpuConfig) -> list[Launch]:
    """Launches at the edges the kernels do not reach (toggle coverage of the wide
    counters and addresses): the largest thread count the 8-bit device control register
    holds (255; block indices up to 254 with one thread per block), then a small launch
    that brings the counters back down, and the PC wrapping from 255 to 0 on every core."""
    out = []
    for program, threads, latency, stall_max, seed in (
            (OWN_BYTE, MAX_THREADS, 1, 0, 81),
            (own_byte_transposed(config.threads_per_block), MAX_THREADS, 2, 4, 82),
            (OWN_BYTE, 5, 3, 6, 83)):
        job = Job(program=program, memory=guarded_memory([], seed), threads=threads,
                  latency=latency, stall_max=stall_max, seed=seed, name="own_byte")
        out.append(Launch(job, f"own_byte (seed {seed}) with {threads} threads on {config.name}"))
    threads = config.num_cores * config.threads_per_block + 1
    job = Job(program=PC_WRAP, memory=guarded_memory([], 84), threads=threads, latency=2,
              stall_max=0, seed=84, name="pc_wrap")
    out.append(Launch(job, f"pc_wrap with {threads} threads on {config.name}"))
    return out


def run_info(result: JobResult, config: GpuConfig) -> dict:
    return {"threads": result.job.threads, "block_dim": config.threads_per_block,
            "num_cores": config.num_cores, "mem_latency": result.job.latency,
            "stall_max": result.job.stall_max, "max_waiting_requests": result.max_waiting}


def sources_digest() -> str:
    """One hash over the RTL and harness sources: equal in every batch, or the runs
    measured different RTL and their coverage must not be added up."""
    digest = hashlib.sha256()
    for path in harness_sources():
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


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
    out["sources"] = sources_digest()
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


def rtl_table(summary, missed: list["MissedLine"], expected_toggles: dict[str, int]) -> list[str]:
    """Per rtl/ file: Verilator's line and toggle numbers, then both again with what is
    unreachable by design left out (lines: UNREACHABLE; toggles: TOGGLE_NOTES). A line
    partly hit whose missed points are all unreachable counts as hit."""
    waived_partly, waived_never = defaultdict(int), defaultdict(int)
    for m in missed:
        if m.unreachable:
            (waived_partly if m.partly else waived_never)[m.file] += 1

    def cell(hit: int, total: int) -> str:
        return f"{hit:>6}/{total:<6} {_pct(hit, total)}"

    rows = [f"{'':<30} {'Verilator':<41}   {'unreachable by design left out':<41}",
            f"{'file':<30} {'lines':<20} {'toggles':<20}   {'lines':<20} {'toggles':<20}"]
    sums = [0] * 8
    for entry in summary:
        if not entry.file.startswith("rtl/"):
            continue
        values = (entry.lines_hit, entry.lines_total, entry.toggles_hit, entry.toggles_total,
                  entry.lines_hit + waived_partly[entry.file],
                  entry.lines_total - waived_never[entry.file],
                  entry.toggles_hit, entry.toggles_total - expected_toggles.get(entry.file, 0))
        rows.append(f"{entry.file:<30} {cell(*values[0:2])} {cell(*values[2:4])}   "
                    f"{cell(*values[4:6])} {cell(*values[6:8])}")
        sums = [a + b for a, b in zip(sums, values)]
    rows.append(f"{'total (rtl/)':<30} {cell(*sums[0:2])} {cell(*sums[2:4])}   "
                f"{cell(*sums[4:6])} {cell(*sums[6:8])}")
    return rows


def _rtl_name(filename: str) -> str | None:
    """'rtl/x.sv' for a source inside rtl/, else None."""
    try:
        name = str(Path(filename).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return None
    return name if name.startswith("rtl/") else None


@dataclass
class MissedLine:
    file: str
    line: int
    code: str
    partly: bool  # some points of the line were hit
    missed: list[str]  # "instance comment [configs]" of every point never hit
    unreachable: str = ""  # the reason, when every missed point is unreachable by design


def missed_rtl_lines(out_dir: Path, point_configs: dict[str, list[GpuConfig]]) -> list[MissedLine]:
    """Every rtl/ line with a line/branch point that was never hit, with the instances
    and configurations where it was missed, and whether that is unreachable by design."""
    per_line: dict[tuple[str, int], list] = defaultdict(list)
    for point in simulator.read_coverage(out_dir / "coverage.dat"):
        name = _rtl_name(point.filename)
        if name is None or point.type not in ("line", "branch"):
            continue
        for line in point.lines():
            per_line[(name, line)].append(point)
    sources: dict[str, list[str]] = {}
    out = []
    for (name, line), points in sorted(per_line.items()):
        if min(p.count for p in points) > 0:
            continue
        text = sources.setdefault(name, (REPO_ROOT / name).read_text().splitlines())
        missed, reasons = [], []
        for point in (p for p in points if p.count == 0):
            configs = point_configs.get(point.key, [])
            instance = point.fields.get("h", "?").removeprefix("gpu_harness.u_gpu.")
            missed.append(f"{instance} {point.fields.get('o', '')} "
                          f"[{','.join(sorted(c.name for c in configs)) or '?'}]")
            reasons.append(unreachable_reason(name, text, point, configs))
        out.append(MissedLine(name, line, text[line - 1].strip() if line <= len(text) else "",
                              max(p.count for p in points) > 0, missed,
                              "; ".join(sorted(set(reasons))) if all(reasons) else ""))
    return out


# --------------------------------------------------------------------------------------
# RTL coverage points that no stimulus can hit, and why. A missed point is "unreachable
# by design" when it matches an entry: same file, the point's own source line contains
# `code`, its comment (Verilator's "if", "else", "case", "cond_then", ...) is one of
# `comments` (empty: any), its instance path ends with `instance` (empty: any), and
# `applies(config, instance)` holds for every configuration the point was missed in.
# Matching on source text rather than line numbers keeps the list valid when lines move;
# a point that matches nothing is reported as open.
# --------------------------------------------------------------------------------------


def _consumers(config: GpuConfig, instance: str) -> int:
    """Requesters of a memory controller instance: fetchers or LSUs."""
    if instance.endswith("u_program_mem_controller"):
        return config.num_cores
    return config.num_cores * config.threads_per_block


@dataclass(frozen=True)
class Unreachable:
    file: str
    code: str
    reason: str
    comments: tuple[str, ...] = ()
    instance: str = ""
    applies: object = None  # (GpuConfig, instance) -> bool, None: always


UNREACHABLE = (
    Unreachable("rtl/alu.sv", "default: result", "alu_op_e has 4 values in 2 bits: no other "
                "value exists (the default is there for lint and X-safety)"),
    Unreachable("rtl/scheduler.sv", "default: state_d = S_IDLE", "illegal state encoding: "
                "state_q only ever holds S_* values"),
    Unreachable("rtl/scheduler.sv", 'default:   state_ascii = "ILLEGAL', "illegal state "
                "encoding (debug text only)"),
    Unreachable("rtl/scheduler.sv", "if (!any_live)", "a block with no live thread in "
                "S_FETCH: the dispatcher hands out a block only while threads remain, so "
                "block_thread_count >= 1, and a block whose last thread retires goes to "
                "S_DONE from the retire path (defensive guard)", comments=("if",)),
    Unreachable("rtl/scheduler.sv", "if (active_mask[t]) pc_d[t]", "with one thread per "
                "block the only live thread is in every issue group", comments=("else",),
                applies=lambda config, _: config.threads_per_block == 1),
    Unreachable("rtl/mem_controller.sv", "assign wants_write", "WRITE_ENABLE is a "
                "parameter: each instance only ever takes one arm", comments=("cond_then",),
                instance="u_program_mem_controller"),
    Unreachable("rtl/mem_controller.sv", "assign wants_write", "WRITE_ENABLE is a "
                "parameter: each instance only ever takes one arm", comments=("cond_else",),
                instance="u_data_mem_controller"),
    *(Unreachable("rtl/mem_controller.sv", code, "program memory is read-only "
                  "(WRITE_ENABLE = 0): its controller never sees a write", comments=comments,
                  instance="u_program_mem_controller")
      for code, comments in (("CH_WRITE_WAIT: begin", ()), ("if (mem_write_ready[c])", ()),
                             ("if (consumer_read_valid[grant_idx[c]])", ("else",)),
                             ("if (state_q[c] == CH_RESPOND_WRITE)", ("if",)))),
    Unreachable("rtl/mem_controller.sv", "if (candidate >= NUM_CONSUMERS)", "one requester: "
                "the round-robin candidate never passes the end",
                applies=lambda config, instance: _consumers(config, instance) == 1),
    Unreachable("rtl/mem_controller.sv", "next_d = (int'(grant_idx[c]) == NUM_CONSUMERS - 1)",
                "one requester: the granted index is always the last one",
                comments=("cond_else",),
                applies=lambda config, instance: _consumers(config, instance) == 1),
)


def unreachable_reason(file: str, text: list[str], point, configs: list[GpuConfig]) -> str:
    """Why `point` (never hit) cannot be hit, or "" when nothing in UNREACHABLE says so."""
    line = int(point.fields.get("l", "0"))
    code = text[line - 1] if 0 < line <= len(text) else ""
    instance = point.fields.get("h", "")
    for entry in UNREACHABLE:
        if (entry.file == file and entry.code in code
                and (not entry.comments or point.fields.get("o", "") in entry.comments)
                and instance.endswith(entry.instance)
                and configs
                and (entry.applies is None or all(entry.applies(c, instance) for c in configs))):
            return entry.reason
    return ""


def _max_blocks(config: GpuConfig) -> int:
    return -(-MAX_THREADS // config.threads_per_block)


def _bits_never_set(values) -> set[int]:
    """Bit positions (below 16) that no value in `values` has set."""
    seen = 0
    for value in values:
        seen |= value
    return {i for i in range(16) if not seen >> i & 1}


# Signals whose untoggled bits are expected, and why: (file, signal substring, substring
# of "instance (Verilator module page)", note, bits); "" matches anything. `bits`, when
# given, is (GpuConfig) -> the bit positions that cannot toggle in that configuration:
# the note then covers only those bits (the last [n] of the point), in every
# configuration the point exists in. The first matching entry wins. Only a note in the
# listing; the numbers stay Verilator's.
TOGGLE_NOTES = (
    ("", "_ascii", "", "debug text: ASCII letters keep some bits constant", None),
    ("rtl/gpu.sv", "_fetch_write_", "", "tie-off: fetchers never write", None),
    ("rtl/gpu.sv", "_program_write_", "", "tie-off: program memory has no write port", None),
    ("rtl/mem_controller.sv", "write", "u_program_mem_controller",
     "tie-off: program memory is read-only", None),
    ("rtl/mem_controller.sv", "state_", "u_program_mem_controller",
     "bit 2 = the write states, never entered by the read-only controller", lambda c: {2}),
    ("rtl/register_file.sv", "thread_idx", "", "constant per thread slot", None),
    ("rtl/register_file.sv", "block_dim", "", "the THREADS_PER_BLOCK parameter, a constant", None),
    ("", "block_idx", "", "bits above the largest block index, ceil(255/B)-1",
     lambda c: _bits_never_set(range(_max_blocks(c)))),
    ("rtl/dispatcher.sv", "next_block", "", "bits above the block count, ceil(255/B)",
     lambda c: _bits_never_set(range(_max_blocks(c) + 1))),
    ("rtl/dispatcher.sv", "next_thread", "", "bits no multiple of B up to ceil(255/B)*B has",
     lambda c: _bits_never_set(range(0, _max_blocks(c) * c.threads_per_block + 1,
                                     c.threads_per_block))),
    ("rtl/dispatcher.sv", "remaining", "", "255 at most with one thread per block",
     lambda c: {8} if c.threads_per_block == 1 else set()),
    ("rtl/mem_controller.sv", "", "_N1_", "one requester: its index is always 0", None),
)


def _bit_name(comment: str) -> str:
    """'core_block_idx[1][7]:0->1' -> '[1][7]'."""
    head = comment.split(":")[0]
    return head[head.find("["):] if "[" in head else ""


def _toggle_note(file: str, instance: str, signal: str, bit: int | None,
                 configs: list[GpuConfig]) -> str:
    for f, sig, inst, note, bits in TOGGLE_NOTES:
        if (f and f != file) or sig not in signal or inst not in instance:
            continue
        if bits is not None and (bit is None or not configs
                                 or not all(bit in bits(c) for c in configs)):
            continue
        return note
    return ""


def untoggled_rtl_signals(out_dir: Path, point_configs: dict[str, list[GpuConfig]]
                          ) -> tuple[list[str], list[str], dict[str, int]]:
    """rtl/ signals with toggle points never hit: (rows with no known reason, one per
    signal instance; rows summing the expected ones per TOGGLE_NOTES reason; expected
    points per file)."""
    per_signal: dict[tuple[str, str, str], list] = defaultdict(lambda: [0, 0, []])
    expected: dict[str, list] = defaultdict(lambda: [0, set()])
    expected_per_file: dict[str, int] = defaultdict(int)
    for point in simulator.read_coverage(out_dir / "coverage.dat"):
        name = _rtl_name(point.filename)
        if name is None or point.type != "toggle":
            continue
        comment = point.fields.get("o", "?")
        signal = comment.split("[")[0].split(":")[0]
        instance = point.fields.get("h", "?").removeprefix("gpu_harness.").removeprefix("u_gpu.")
        instance = f"{instance} ({point.fields.get('page', '').removeprefix('v_toggle/')})"
        entry = per_signal[(name, instance, signal)]
        entry[1] += 1
        if point.count:
            continue
        bit_text = _bit_name(comment)
        bit = int(bit_text.rsplit("[", 1)[1].rstrip("]")) if bit_text else None
        note = _toggle_note(name, instance, signal, bit, point_configs.get(point.key, []))
        if note:
            expected_per_file[name] += 1
            expected[note][0] += 1
            expected[note][1].add(f"{Path(name).stem}.{signal}")
            continue
        entry[0] += 1
        if bit_text not in entry[2]:
            entry[2].append(bit_text)
    open_rows = []
    for (file, instance, signal), (missed, total, bits) in sorted(per_signal.items()):
        if missed:
            shown = " ".join(bits[:8]) + (" ..." if len(bits) > 8 else "")
            open_rows.append(f"  {file} {instance}.{signal} {shown}: {missed} of {total} never")
    expected_rows = [f"  {missed:>5} points: {note}  [{', '.join(sorted(signals))}]"
                     for note, (missed, signals) in sorted(expected.items(), key=lambda x: -x[1][0])]
    return open_rows, expected_rows, expected_per_file


def point_configs(results: list[dict], configs: list[GpuConfig]) -> dict[str, list[GpuConfig]]:
    """Coverage point key -> the configurations whose builds have that point."""
    by_name = {c.name: c for c in configs}
    one_dat: dict[str, str] = {}
    for res in results:
        if res["dat"]:
            one_dat.setdefault(res["config"], res["dat"])
    out: dict[str, list[GpuConfig]] = defaultdict(list)
    for name, dat in sorted(one_dat.items()):
        for point in simulator.read_coverage(Path(dat)):
            out[point.key].append(by_name[name])
    return out


def tool_description(build_dir: str) -> str:
    try:
        tools = json.loads((Path(build_dir) / "build.json").read_text())["tools"]
    except (OSError, KeyError, ValueError):
        return "Verilator"
    return "; ".join(t for t in tools if "verilator" in t.lower() or "cocotb" in t.lower())


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------
