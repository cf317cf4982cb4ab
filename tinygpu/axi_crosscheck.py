# SPDX-License-Identifier: MIT
"""The AXI cross-check: a few kernels on gpu_axi against cocotbext-axi's AxiRam, checked
against the ISA model.

The regression runs the AXI port against the project's own HDL slave
(tb/hdl/axi_memory_model.sv: fast, with latency and backpressure). Both the masters and
that slave were written here, so a misreading of AXI4 shared by the two would pass. This
check puts a slave from the field on the ports instead: gpu_axi is the toplevel, with no
HDL harness, and cocotbext-axi's AxiRam (data) and AxiRamRead (program) answer it from
Python (tinygpu/cocotb_axi_ram.py). Each kernel runs on quiet channels and, once per
seed of BACKPRESSURE_SEEDS, with seeded random pauses on all seven channels (AR, R, AW, W,
B of data; AR, R of program); the whole data memory must equal the ISA model's,
`memory_error` must stay low, and no byte outside the GPU's 256 may be written.

    runs = crosscheck_runs()
    results = run_crosscheck(config, runs, work_dir)   # one simulator process
    problem(runs[0], results[0], expected_memory(runs[0], config))   # None, or one line

The kernels (KERNELS) were picked for what they make the data master do, as the ISA
model's accesses show on the `axi` configuration's lines (access_shapes; a test keeps
the claim true). Icarus only: the Python slaves act on every clock edge, so the
simulator's own speed counts for little, and Icarus needs no list of the signals VPI may
touch (a Verilator build for cocotb would have to name every AXI port in a control file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import sim as simulator
from .checks import guarded_memory
from .configs import GpuConfig
from .isa import DATA_MEM_SIZE
from .kernels import Kernel, load_kernel
from .memory_diff import memory_diff
from .model import ModelResult, run_kernel
from .paths import KERNELS_DIR

SIMULATOR = "icarus"
COCOTB_MODULE = "tinygpu.cocotb_axi_ram"
# The configuration whose parameters the check builds gpu_axi with.
CONFIG_NAME = "axi"

# name -> what it makes the AXI data master do
KERNELS = {
    "block_sum_global": "coalesced loads; stores with partial strobes; a block's stores read back after BAR",
    "matmul4_tiled": "every load and store of a warp split over two lines, the stores with partial strobes",
    "partial_block": "a partial last block: 3-lane stores next to a byte that must survive",
    "divergent_if_else": "warps split by a branch, then reconverged for their stores",
}
# The seed of the pause patterns of a run with backpressure (None: quiet channels).
BACKPRESSURE_SEEDS = (None, 1, 2)
# The seed of the guard bytes around each kernel's data (checks.guarded_memory).
GUARD_SEED = 17


@dataclass(frozen=True)
class Run:
    """One launch of the cross-check: a kernel, with or without backpressure."""

    kernel: Kernel
    backpressure_seed: int | None
    corrupt_address: int | None = None  # a planted fault: this data byte pre-loaded inverted

    @property
    def label(self) -> str:
        pauses = "quiet channels" if self.backpressure_seed is None else f"backpressure seed {self.backpressure_seed}"
        planted = "" if self.corrupt_address is None else f", RAM pre-loaded wrongly at {self.corrupt_address}"
        return f"{self.kernel.name} ({pauses}{planted})"

    @property
    def memory(self) -> list[int]:
        return guarded_memory(self.kernel.data, GUARD_SEED)


def crosscheck_runs() -> list[Run]:
    """Every KERNELS kernel, once per BACKPRESSURE_SEEDS entry."""
    kernels = [load_kernel(KERNELS_DIR / f"{name}.asm") for name in KERNELS]
    return [Run(kernel, seed) for kernel in kernels for seed in BACKPRESSURE_SEEDS]


def model_run(kernel: Kernel, memory: list[int], config: GpuConfig) -> ModelResult:
    """The ISA model's run of the kernel's launch from `memory` on `config`."""
    return run_kernel(
        kernel.program.words, memory, kernel.threads, config.threads_per_block, shared_bytes=config.shared_mem_bytes
    )


def access_shapes(kernel: Kernel, config: GpuConfig) -> set[str]:
    """What the kernel's warps make the AXI data master do on `config`, from the ISA
    model's run: "coalesced load" (a load of several lanes in one line), "split over
    lines" (one warp access over two or more lines), "partial strobe" (a store to some
    bytes of a line only), "divergent warp" (threads of one block retire different PCs).

    A warp is a block here; its instruction is found as the n-th time each thread
    retires a PC, which is the hardware's warp instruction for code that reconverges."""
    line_bytes = config.parameter("DATA_LINE_BYTES")
    model = model_run(kernel, kernel.data, config)
    accesses: dict[tuple[int, int, int], list[tuple[str, int]]] = {}
    paths: dict[int, set[tuple[int, ...]]] = {}
    for (block, _thread), commits in model.commits.items():
        paths.setdefault(block, set()).add(tuple(commit.pc for commit in commits))
        seen: dict[int, int] = {}
        for commit in commits:
            if commit.mem_op is not None and commit.mem_addr is not None:
                seen[commit.pc] = seen.get(commit.pc, 0) + 1
                accesses.setdefault((block, commit.pc, seen[commit.pc]), []).append((commit.mem_op, commit.mem_addr))
    shapes = {"divergent warp"} if any(len(p) > 1 for p in paths.values()) else set()
    for lanes in accesses.values():
        lines = {address // line_bytes for _, address in lanes}
        if len(lines) > 1:
            shapes.add("split over lines")
        if lanes[0][0] == "R" and len(lines) < len(lanes):
            shapes.add("coalesced load")
        if lanes[0][0] == "W" and any(
            len({a for _, a in lanes if a // line_bytes == line}) < line_bytes for line in lines
        ):
            shapes.add("partial strobe")
    return shapes


def planted_fault_run(address: int = DATA_MEM_SIZE - 1) -> Run:
    """The first kernel on quiet channels with one data byte pre-loaded wrongly into the
    RAM (the ISA model starts from the right one): the check must name that address."""
    return Run(crosscheck_runs()[0].kernel, None, corrupt_address=address)


def expected_memory(run: Run, config: GpuConfig) -> list[int]:
    """The ISA model's final data memory for the run's launch on `config`."""
    return model_run(run.kernel, run.memory, config).memory


def build(config: GpuConfig) -> Path:
    """gpu_axi alone (no harness, no trace port) with `config`'s parameters."""
    return simulator.build(
        SIMULATOR,
        sources=simulator.rtl_sources(),
        toplevel=config.top,
        parameters=config.all_parameters,
        name=f"{config.name}-axi-ram",
    )


def run_crosscheck(config: GpuConfig, runs: list[Run], work_dir: Path) -> list[dict]:
    """Run `runs` in order in one simulator process; return what the cocotb side reports
    per run (memory, done, cycles, memory_error, written_outside)."""
    if not config.axi:
        raise ValueError(f"configuration {config.name!r} has no AXI port (port = {config.port!r})")
    work_dir = Path(work_dir).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    jobs_file, results_file = work_dir / "axi_jobs.json", work_dir / "axi_results.json"
    results_file.unlink(missing_ok=True)
    setup = {
        "data_base": config.parameter("DATA_BASE"),
        "program_base": config.parameter("PROGRAM_BASE"),
        "data_size": DATA_MEM_SIZE,
    }
    jobs = [
        {
            "name": run.label,
            "program": run.kernel.program.words,
            "data": run.memory,
            "threads": run.kernel.threads,
            "max_cycles": run.kernel.max_cycles,
            "backpressure_seed": run.backpressure_seed,
            "corrupt_address": run.corrupt_address,
        }
        for run in runs
    ]
    jobs_file.write_text(json.dumps({"setup": setup, "jobs": jobs}))
    simulator.run(
        SIMULATOR,
        build(config),
        toplevel=config.top,
        test_module=COCOTB_MODULE,
        test_dir=work_dir,
        extra_env={"AXI_JOBS": str(jobs_file), "AXI_RESULTS": str(results_file)},
    )
    results = json.loads(results_file.read_text())
    if len(results) != len(runs):
        raise RuntimeError(f"the simulator finished {len(results)} of {len(runs)} cross-check runs; see {work_dir}")
    return results


def problem(run: Run, result: dict, expected: list[int]) -> str | None:
    """One line saying what went wrong in `run` (its kernel first), or None when the
    final memory equals `expected` and the port behaved."""
    where = f"AXI cross-check, kernel {run.label}"
    if not result["done"]:
        return f"{where}: done never rose within {run.kernel.max_cycles} cycles"
    if result["memory_error"]:
        return f"{where}: memory_error rose (address 0x{result['memory_error_address']:x}) though AxiRam answered OKAY"
    if result["written_outside"]:
        addresses = ", ".join(f"0x{a:x}" for a in result["written_outside"][:4])
        return f"{where}: bytes written outside the GPU's data memory, at {addresses}"
    differences = memory_diff(expected, result["memory"], limit=DATA_MEM_SIZE)
    if differences:
        more = f" (and {len(differences) - 1} more differing addresses)" if len(differences) > 1 else ""
        return f"{where}: first difference at {differences[0]}{more}"
    return None
