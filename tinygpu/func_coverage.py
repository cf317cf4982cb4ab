# SPDX-License-Identifier: MIT
"""Functional coverage of the GPU, computed after a run from its commit records.

What it answers
---------------
Passing tests say "nothing we ran went wrong"; functional coverage says what we ran:
did some branch split a block, did a load wait behind a stalled one, did a write to
%threadIdx get dropped? Every bin here is a behaviour the RTL has to get right; a bin
with zero hits is a behaviour no test has shown it gets right. `missing()` lists those,
so a regression can fail on them ("coverage that can say no").

How it works, and why not cocotb-coverage
-----------------------------------------
The RTL harness already records one commit per retired instruction per thread (for the
lock-step comparison with the model). Everything below is derived from those records
*after* the simulation, plus a small per-run info dict. So:

* no Python runs in the per-cycle loop: sampling coroutines or decorated sample
  functions would run on every clock edge and slow the simulator, while a pass over a
  list of commits afterwards costs milliseconds;
* this module imports nothing from cocotb and has no third-party dependency. It is
  unit-tested with plain pytest on synthetic commits or model commits, and it runs the
  same on records from any source (RTL log, model, a replayed log file);
* results are plain dicts that serialise to JSON and add up (`merge`), which is all that
  is needed to combine the coverage files of pytest-xdist workers. cocotb-coverage keeps
  its database in a process-global singleton, which does not combine across processes
  without its own export/merge step, and would be one more pinned dependency.

Inputs
------
`Commit` (tinygpu.commits): one retired instruction of one thread, with the `cycle` and
`core` where it retired. Commits with the same (core, cycle, pc)
are one SIMT *issue group*: the threads of one block that ran that instruction together.

Run info dict: ``{"threads": T, "block_dim": B, "num_cores": C, "mem_latency": L,
"stall_max": S, "max_waiting_requests": W, "warps_per_core": P, "port": "axi" or
"channels", "counters": {name: n}}`` (counters: the cores' performance counters summed,
tinygpu.harness.COUNTER_NAMES, and the harness's memory events, MEMORY_EVENT_NAMES); any
key may be missing (its bins then get no hit from that run).

Bins (group -> bins; all required unless marked optional)
---------------------------------------------------------
opcode       NOP BRnzp CMP ADD SUB MUL DIV LDR STR CONST BAR LDS STS RET, illegal (0xD, 0xE)
branch       "<cond> taken" / "<cond> not-taken" for the 7 conditions n z p nz np zp nzp
             and 000, except the two impossible ones, which sit in group `impossible`
             (optional: a hit there means the hardware branched wrongly)
cmp          N Z P (the NZP value a CMP produced)
divergence   all / some / none: how many of an issue group's threads took a conditional
             branch (conditions n z p nz np zp; "some" is a divergence)
reconvergence
             from-different-pcs: an issue group whose threads retired their previous
             instructions at different PCs (the join after an if/else);
             from-different-issues: ... at the same PC but in different issue groups
             (threads leaving a loop after different trip counts)
memory       load, store, multi-thread-load / multi-thread-store (an LDR / STR issue
             group with two or more threads)
stalls       mem_latency>1, random-stalls (stall_max > 0), waiting-requests>=2 (W >= 2);
             optional: mem_latency=1, waiting-requests-unknown
blocks       single-block, partial-last-block (T not a multiple of B),
             more-blocks-than-cores; "block_dim=N" for each block size seen (optional
             unless N is in `required_block_dims`); optional: zero-threads
pipeline     from the cores' counters: icache-miss, fetch-stall, memory-stall, warp-switch,
             merged-loads (a coalesced load), divergent-issue; from the harness's memory
             events: merged-fetch (one program read for several cores), back-to-back-fetch
             (a fetch presented in the cycle after the last was answered); and the warp
             counts one-warp-per-core, several-warps-per-core
simt         barriers and shared memory: barrier (a release), barrier-divergent (threads
             released together from different BARs), barrier-after-exit (a release
             without some thread of the block, which had left), barrier-released-by-ret
             (the last running threads' RET released the others), barrier-wait (the
             counter: cycles with a thread waiting), shared-load, shared-store,
             multi-thread-shared-load / -store, shared-wrap (an address at or above
             SHARED_MEM_BYTES), shared-exchange (an LDS of a byte another thread of the
             block wrote), global-exchange (an LDR of a global byte another thread of the
             block wrote: ordered by a barrier), shared-bank-conflict (threads of one
             LDS/STS retired in consecutive cycles: a bank conflict replayed it)
scoreboard   a load or store that did not stall its warp: under-load / under-store (an
             instruction of the thread retired before an older LDR / STR of it, which
             was still out), load-use (the instruction after an LDR into R0-R12 in
             program order reads or overwrites its register: the case the scoreboard
             must hold); found through the records' order numbers
dest         R0-R12 written (a commit with rd set)
src          R0-R12, %blockIdx, %blockDim, %threadIdx read (register fields of the
             instructions that read them: ADD SUB MUL DIV CMP s,t; LDR s; STR s,t)
arith        div-by-zero, add-wrap, mul-wrap (result >= 256 before wrapping),
             sub-underflow (Rs < Rt), read-only-write-dropped (an ADD/SUB/MUL/DIV/LDR/
             CONST with Rd = 13..15 that wrote nothing)
axi          the AXI4 port (gpu_axi.sv), from runs with "port": "axi"; required only when
             the coverage is made with `axi_port=True` (a regression that runs an AXI
             configuration). Each bin and what hits it: AXI_BINS. The harness counts the
             bus (tb/hdl/gpu_harness.sv, "AXI transactions": handshakes, valids held,
             strobes, the slave's holds), never the masters' insides; coalescing and
             splitting compare its transaction counts with the commit records: more
             lanes loaded than reads means some read served two lanes, more reads than
             LDR warp instructions means some LDR made two reads.

Source values for `arith` are not in the commit records; they are rebuilt by replaying
each thread's commits on a shadow register file (R0-R12 start at 0, the read-only
registers are known from block, thread and block_dim).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from .commits import Commit
from .isa import (
    ARITHMETIC_OPCODES,
    NUM_GENERAL_REGISTERS,
    NUM_REGISTERS,
    NZP_N,
    NZP_P,
    NZP_Z,
    Opcode,
    decode,
    nzp_suffix,
    register_name,
)

# --------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------


def simt_commits_from_model(result, *, block_dim: int, num_cores: int = 2) -> list[Commit]:
    """Turn an isa_model result into Commits grouped as a SIMT core would issue them.

    The model runs each thread on its own, so its commits carry no issue groups. This
    replays each block as the RTL's warp does: at every issue, the smallest PC among the
    block's unfinished threads not waiting at a barrier runs, for all threads at that PC;
    a BAR retires when every live thread waits, all of them in one cycle (also the cycle
    of a RET that leaves only waiting threads). Blocks go to the core that becomes free
    first; one issue takes one (fake) cycle. Useful for testing coverage without an RTL
    run, and as the reference grouping for a min-PC scheduler.
    """
    per_block: dict[int, dict[int, list]] = defaultdict(dict)
    for (block, thread), commits in result.commits.items():
        per_block[block][thread] = commits
    core_time = [0] * num_cores
    out: list[Commit] = []
    for block in sorted(per_block):
        core = min(range(num_cores), key=lambda c: (core_time[c], c))
        cycle = core_time[core]
        streams = per_block[block]
        position = {t: 0 for t in streams}
        waiting: dict[int, Commit] = {}  # thread -> the BAR it waits at
        while True:
            ready = {t: streams[t][i] for t, i in position.items() if i < len(streams[t]) and t not in waiting}
            if not ready:
                break
            pc = min(c.pc for c in ready.values())
            for t in sorted(ready):
                if ready[t].pc == pc:
                    position[t] += 1
                    if ready[t].barrier:
                        waiting[t] = ready[t]
                    else:
                        out.append(replace(ready[t], cycle=cycle, core=core))
            running = [t for t, i in position.items() if i < len(streams[t]) and t not in waiting]
            if waiting and not running:
                out.extend(replace(c, cycle=cycle, core=core) for c in waiting.values())
                waiting.clear()
            cycle += 1
        core_time[core] = cycle
    return out


# --------------------------------------------------------------------------------------
# Instruction fields, from the one Python description of the ISA (tinygpu/isa.py)
# --------------------------------------------------------------------------------------

# Bin names spell opcodes as the assembler does (BRnzp, not BRNZP).
OPCODE_NAMES = {int(op): ("BRnzp" if op is Opcode.BRNZP else op.name) for op in Opcode}
REG_NAMES = [register_name(r) for r in range(NUM_REGISTERS)]
WRITES_RD = {*ARITHMETIC_OPCODES, Opcode.LDR, Opcode.LDS, Opcode.CONST}


def _cond_name(mask: int) -> str:
    return nzp_suffix(mask) or "000"


def _sources(instr: int) -> tuple[int, ...]:
    """Register numbers the instruction reads, from its s and t fields."""
    fields = decode(instr)
    if fields.opcode in (Opcode.CMP, *ARITHMETIC_OPCODES, Opcode.STR, Opcode.STS):
        return (fields.rs, fields.rt)
    if fields.opcode in (Opcode.LDR, Opcode.LDS):
        return (fields.rs,)
    return ()


# --------------------------------------------------------------------------------------
# The bin declaration
# --------------------------------------------------------------------------------------


def _load_use(rd: int, instr: int) -> bool:
    """Whether instruction `instr` reads or writes register rd (the scoreboard's test)."""
    fields = decode(instr)
    return rd in _sources(instr) or (fields.opcode in WRITES_RD and fields.rd == rd)


CONDITIONAL_MASKS = range(1, 7)  # masks that can split a block (not 000 or nzp)

# group -> required bins. The `impossible` group and OPTIONAL_BINS are never required.
REQUIRED_BINS: dict[str, list[str]] = {
    "opcode": list(OPCODE_NAMES.values()) + ["illegal"],
    "branch": [
        f"{_cond_name(m)} {'taken' if taken else 'not-taken'}"
        for m in range(8)
        for taken in (True, False)
        if not (m == 0 and taken) and not (m == 7 and not taken)
    ],
    "cmp": ["N", "Z", "P"],
    "divergence": ["all", "some", "none"],
    "reconvergence": ["from-different-pcs", "from-different-issues"],
    "memory": ["load", "store", "multi-thread-load", "multi-thread-store"],
    "stalls": ["mem_latency>1", "random-stalls", "waiting-requests>=2"],
    "blocks": ["single-block", "partial-last-block", "more-blocks-than-cores"],
    "pipeline": [
        "icache-miss",
        "fetch-stall",
        "memory-stall",
        "warp-switch",
        "merged-loads",
        "divergent-issue",
        "merged-fetch",
        "back-to-back-fetch",
        "one-warp-per-core",
        "several-warps-per-core",
    ],
    "simt": [
        "barrier",
        "barrier-divergent",
        "barrier-after-exit",
        "barrier-released-by-ret",
        "barrier-wait",
        "shared-load",
        "shared-store",
        "multi-thread-shared-load",
        "multi-thread-shared-store",
        "shared-wrap",
        "shared-exchange",
        "global-exchange",
        "shared-bank-conflict",
    ],
    "scoreboard": ["under-load", "under-store", "load-use"],
    "dest": REG_NAMES[:NUM_GENERAL_REGISTERS],
    "src": list(REG_NAMES),
    "arith": ["div-by-zero", "add-wrap", "mul-wrap", "sub-underflow", "read-only-write-dropped"],
}
OPTIONAL_BINS: dict[str, list[str]] = {
    "impossible": ["000 taken", "nzp not-taken"],
    "stalls": ["mem_latency=1", "waiting-requests-unknown"],
    "blocks": ["zero-threads"],
}
# Groups filled from the run info dict rather than from commits.
RUN_INFO_GROUPS = ("stalls", "blocks", "pipeline")
# pipeline bin <- the counter that must be non-zero in a run to hit it
PIPELINE_COUNTERS = {
    "icache-miss": "icache_misses",
    "fetch-stall": "fetch_stall_cycles",
    "memory-stall": "memory_stall_cycles",
    "warp-switch": "warp_switches",
    "merged-loads": "merged_loads",
    "divergent-issue": "divergent_issues",
    "merged-fetch": "merged_program_reads",
    "back-to-back-fetch": "back_to_back_fetches",
}
COMMIT_GROUPS = tuple(g for g in REQUIRED_BINS if g not in RUN_INFO_GROUPS)

# The AXI port's bins (group `axi`): bin -> what hits it.
AXI_BINS: dict[str, str] = {
    "coalesced-load": "one data read served 2+ lanes (more lanes loaded, in the LDR records, than reads on AR)",
    "split-load": "one LDR of a warp made 2+ reads (more reads on AR than LDR warp instructions)",
    "split-store": "one STR of a warp made 2+ writes (more writes on AW than STR warp instructions)",
    "reads-in-flight>=2": "2+ data reads at once between their AR handshake and their R beat",
    "writes-in-flight>=2": "2+ data writes at once between their AW handshake and their B response",
    "partial-strobe-write": "a W beat with some byte strobe low (a store to part of a line)",
    "data-ar-backpressure": "ARVALID held while ARREADY was low (data port)",
    "data-aw-backpressure": "AWVALID held while AWREADY was low",
    "data-w-backpressure": "WVALID held while WREADY was low",
    "program-ar-backpressure": "ARVALID held while ARREADY was low (program port)",
    # The masters tie RREADY and BREADY high (each answer's FIFO entry is reserved when its
    # request goes out), so a valid never waits for them: a response channel's backpressure
    # is the slave's, a response it holds back while the master waits for it.
    "data-r-backpressure": "RVALID held low by the slave on a beat that was due (the master "
    "never drops RREADY: every read's FIFO entry is reserved when it goes out)",
    "data-b-backpressure": "BVALID held low by the slave on a response that was due (the master never drops BREADY)",
    "program-r-backpressure": "RVALID held low by the slave on a burst's beat that was due, also "
    "within a burst (the program master never drops RREADY)",
}
# axi bin <- (the harness's memory event, the least count that hits it)
AXI_EVENT_BINS = {
    "reads-in-flight>=2": ("most_data_reads_in_flight", 2),
    "writes-in-flight>=2": ("most_data_writes_in_flight", 2),
    "partial-strobe-write": ("partial_strobe_writes", 1),
    "data-ar-backpressure": ("data_ar_waits", 1),
    "data-aw-backpressure": ("data_aw_waits", 1),
    "data-w-backpressure": ("data_w_waits", 1),
    "program-ar-backpressure": ("program_ar_waits", 1),
    "data-r-backpressure": ("data_r_holds", 1),
    "data-b-backpressure": ("data_b_holds", 1),
    "program-r-backpressure": ("program_r_holds", 1),
}

_FORMAT = "tiny-gpu-func-coverage/2"  # 2: with axi_port


class FunctionalCoverage:
    """Bins filled from commit records; see the module docstring for the bin list."""

    def __init__(self, required_block_dims: Iterable[int] = (), axi_port: bool = False) -> None:
        """`axi_port`: the `axi` group's bins are required (the runs include the AXI port)."""
        self.required_block_dims = sorted(set(required_block_dims))
        self.axi_port = False
        self._bins: dict[str, dict[str, int]] = {}
        for table in (REQUIRED_BINS, OPTIONAL_BINS):
            for group, names in table.items():
                for name in names:
                    self._bins.setdefault(group, {})[name] = 0
        for b in self.required_block_dims:
            self._bins["blocks"][f"block_dim={b}"] = 0
        self.require_axi_port(axi_port)
        self.runs = 0
        self.commits = 0

    def require_axi_port(self, required: bool = True) -> None:
        """Make the `axi` bins required (no change when `required` is False)."""
        if required:
            self.axi_port = True
            for name in AXI_BINS:
                self._bins.setdefault("axi", {}).setdefault(name, 0)

    # -- bookkeeping -------------------------------------------------------------------
    def _hit(self, group: str, name: str, n: int = 1) -> None:
        table = self._bins.setdefault(group, {})
        table[name] = table.get(name, 0) + n

    def required(self) -> list[tuple[str, str]]:
        """(group, bin) of every required bin."""
        out = [(g, b) for g, names in REQUIRED_BINS.items() for b in names]
        out += [("blocks", f"block_dim={b}") for b in self.required_block_dims]
        out += [("axi", b) for b in AXI_BINS if self.axi_port]
        return out

    # -- sampling ----------------------------------------------------------------------
    def sample_run(self, commits: list[Commit], info: dict) -> None:
        """Add one run: its commit records (any order) and its run info dict."""
        self.runs += 1
        self.commits += len(commits)
        self._sample_info(info)
        self._sample_commits(commits, info.get("block_dim"))
        if info.get("port") == "axi":
            self._sample_axi(commits, info.get("counters", {}))

    def _sample_axi(self, commits: list[Commit], events: dict[str, int]) -> None:
        """The `axi` bins of one run on the AXI port: the harness's bus counts, and for
        coalescing and splitting those counts against the commit records."""
        for name, (event, least) in AXI_EVENT_BINS.items():
            if events.get(event, 0) >= least:
                self._hit("axi", name)
        lanes_loaded = sum(c.mem_op == "R" for c in commits)
        loads = len({(c.block, c.order) for c in commits if c.mem_op == "R"})  # warp instructions
        stores = len({(c.block, c.order) for c in commits if c.mem_op == "W"})
        reads, writes = events.get("data_reads", 0), events.get("data_writes", 0)
        if reads and lanes_loaded > reads:
            self._hit("axi", "coalesced-load")
        if loads and reads > loads:
            self._hit("axi", "split-load")
        if stores and writes > stores:
            self._hit("axi", "split-store")

    def _sample_info(self, info: dict) -> None:
        latency, stall_max = info.get("mem_latency"), info.get("stall_max")
        waiting = info.get("max_waiting_requests")
        if latency is not None:
            self._hit("stalls", "mem_latency>1" if latency > 1 else "mem_latency=1")
        if stall_max is not None and stall_max > 0:
            self._hit("stalls", "random-stalls")
        if waiting is None:
            self._hit("stalls", "waiting-requests-unknown")
        elif waiting >= 2:
            self._hit("stalls", "waiting-requests>=2")

        for name, counter in PIPELINE_COUNTERS.items():
            if info.get("counters", {}).get(counter, 0) > 0:
                self._hit("pipeline", name)
        if info.get("counters", {}).get("barrier_wait_cycles", 0) > 0:
            self._hit("simt", "barrier-wait")
        warps = info.get("warps_per_core")
        if warps is not None:
            self._hit("pipeline", "one-warp-per-core" if warps == 1 else "several-warps-per-core")

        threads, block_dim = info.get("threads"), info.get("block_dim")
        cores = info.get("num_cores")
        if block_dim:
            self._hit("blocks", f"block_dim={block_dim}")
        if threads is not None and block_dim:
            blocks = -(-threads // block_dim)
            if threads == 0:
                self._hit("blocks", "zero-threads")
            if blocks == 1:
                self._hit("blocks", "single-block")
            if threads % block_dim:
                self._hit("blocks", "partial-last-block")
            if cores is not None and blocks > cores:
                self._hit("blocks", "more-blocks-than-cores")

    def _sample_commits(self, commits: list[Commit], block_dim: int | None) -> None:
        # Each thread's commits in program order (stable: ties keep the list order).
        per_thread: dict[tuple[int, int], list[Commit]] = defaultdict(list)
        for c in commits:
            per_thread[(c.block, c.thread)].append(c)
        # For every commit: the (pc, core, cycle) of the same thread's previous commit.
        previous: dict[int, tuple[int, int, int]] = {}
        for (block, thread), stream in per_thread.items():
            # Program order: by order number (the RTL's; the model's are all 0), then cycle.
            stream.sort(key=lambda c: (c.order, c.cycle))
            self._sample_scoreboard(stream)
            regs = [0] * NUM_GENERAL_REGISTERS + [block, block_dim, thread]
            prev = None
            for c in stream:
                self._sample_one(c, regs)
                if c.rd is not None and 0 <= c.rd < NUM_GENERAL_REGISTERS and c.rd_value is not None:
                    regs[c.rd] = c.rd_value
                if prev is not None:
                    previous[id(c)] = (prev.pc, prev.core, prev.cycle)
                prev = c

        groups: dict[tuple[int, int, int], list[Commit]] = defaultdict(list)
        for c in commits:
            groups[(c.core, c.cycle, c.pc)].append(c)
        for members in groups.values():
            self._sample_group(members, [previous.get(id(c)) for c in members])

        per_block: dict[int, list[Commit]] = defaultdict(list)
        for c in commits:
            per_block[c.block].append(c)
        for block_commits in per_block.values():
            self._sample_block(block_commits)

    def _sample_scoreboard(self, stream: list[Commit]) -> None:
        """Bins of loads and stores that let their warp go on (one thread's records, in
        program order)."""
        # earliest[i]: the earliest cycle at which a record after the i-th retired
        earliest: list[int | None] = [None] * len(stream)
        soonest: int | None = None
        for index in range(len(stream) - 1, -1, -1):
            earliest[index] = soonest
            soonest = stream[index].cycle if soonest is None else min(soonest, stream[index].cycle)
        for index, c in enumerate(stream):
            op = decode(c.instr).opcode
            if op not in (Opcode.LDR, Opcode.STR):
                continue
            first_after = earliest[index]
            if first_after is not None and first_after < c.cycle:
                self._hit("scoreboard", "under-load" if op == Opcode.LDR else "under-store")
            rd = decode(c.instr).rd
            if op == Opcode.LDR and rd < NUM_GENERAL_REGISTERS and index + 1 < len(stream):
                if _load_use(rd, stream[index + 1].instr):
                    self._hit("scoreboard", "load-use")

    def _sample_block(self, commits: list[Commit]) -> None:
        """Barrier releases and exchanges between the threads of one block."""
        threads = {c.thread for c in commits}
        rets = {(c.core, c.cycle) for c in commits if decode(c.instr).opcode == Opcode.RET}
        releases: dict[tuple[int, int], list[Commit]] = defaultdict(list)
        for c in commits:
            if c.barrier:
                releases[(c.core, c.cycle)].append(c)
        for when, released in releases.items():
            self._hit("simt", "barrier")
            if len({c.pc for c in released}) > 1:
                self._hit("simt", "barrier-divergent")
            if len(released) < len(threads):
                self._hit("simt", "barrier-after-exit")
            if when in rets:
                self._hit("simt", "barrier-released-by-ret")
        # A bank conflict: the same LDS/STS retires for some threads in one cycle and for
        # others in the next (no instruction of a block runs again a cycle later otherwise:
        # a jump back takes a cycle to resolve).
        shared_retires = {(c.core, c.pc, c.cycle) for c in commits if c.shared_op is not None}
        if any((core, pc, cycle + 1) in shared_retires for core, pc, cycle in shared_retires):
            self._hit("simt", "shared-bank-conflict")
        # Who wrote each byte last, in cycle order (stable: a cycle's records keep theirs).
        writers: dict[tuple[str, int], int] = {}
        for c in sorted(commits, key=lambda c: c.cycle):
            for space, op, address in (("shared", c.shared_op, c.shared_addr), ("global", c.mem_op, c.mem_addr)):
                if address is None:
                    continue
                if op == "R" and writers.get((space, address), c.thread) != c.thread:
                    self._hit("simt", f"{space}-exchange")
                elif op == "W":
                    writers[(space, address)] = c.thread

    def _sample_one(self, c: Commit, regs: list) -> None:
        """Bins of a single commit. `regs` holds the thread's registers before it."""
        fields = decode(c.instr)
        op = fields.opcode
        self._hit("opcode", OPCODE_NAMES.get(op, "illegal"))
        for r in _sources(c.instr):
            self._hit("src", REG_NAMES[r])
        if c.rd is not None and 0 <= c.rd < NUM_GENERAL_REGISTERS:
            self._hit("dest", REG_NAMES[c.rd])
        if op in WRITES_RD and fields.rd >= NUM_GENERAL_REGISTERS and c.rd is None:
            self._hit("arith", "read-only-write-dropped")
        if c.mem_op == "R":
            self._hit("memory", "load")
        elif c.mem_op == "W":
            self._hit("memory", "store")
        if c.shared_op is not None:
            self._hit("simt", "shared-load" if c.shared_op == "R" else "shared-store")
            address = regs[fields.rs]
            if address is not None and address != c.shared_addr:
                self._hit("simt", "shared-wrap")

        if op == Opcode.BRNZP:
            mask = fields.nzp
            taken = _branch_taken(c)
            name = f"{_cond_name(mask)} {'taken' if taken else 'not-taken'}"
            impossible = (mask == 0 and taken) or (mask == 7 and not taken)
            self._hit("impossible" if impossible else "branch", name)
        elif op == Opcode.CMP:
            self._hit("cmp", {NZP_N: "N", NZP_Z: "Z", NZP_P: "P"}.get(c.nzp, "invalid"))

        if op in ARITHMETIC_OPCODES:
            a, b = regs[fields.rs], regs[fields.rt]
            if a is None or b is None:  # %blockDim without block_dim in the info dict
                return
            if op == Opcode.ADD and a + b > 0xFF:
                self._hit("arith", "add-wrap")
            elif op == Opcode.SUB and a < b:
                self._hit("arith", "sub-underflow")
            elif op == Opcode.MUL and a * b > 0xFF:
                self._hit("arith", "mul-wrap")
            elif op == Opcode.DIV and b == 0:
                self._hit("arith", "div-by-zero")

    def _sample_group(self, members: list[Commit], prevs: list) -> None:
        """Bins of one issue group (threads of one core that retired one pc together)."""
        fields = decode(members[0].instr)
        op = fields.opcode
        if op == Opcode.BRNZP:
            mask = fields.nzp
            if mask in CONDITIONAL_MASKS:
                taken = sum(_branch_taken(c) for c in members)
                shape = "all" if taken == len(members) else "none" if taken == 0 else "some"
                self._hit("divergence", shape)
        elif op == Opcode.LDR and sum(c.mem_op == "R" for c in members) >= 2:
            self._hit("memory", "multi-thread-load")
        elif op == Opcode.STR and sum(c.mem_op == "W" for c in members) >= 2:
            self._hit("memory", "multi-thread-store")
        elif op == Opcode.LDS and sum(c.shared_op == "R" for c in members) >= 2:
            self._hit("simt", "multi-thread-shared-load")
        elif op == Opcode.STS and sum(c.shared_op == "W" for c in members) >= 2:
            self._hit("simt", "multi-thread-shared-store")
        known = [p for p in prevs if p is not None]
        if len({p[0] for p in known}) >= 2:
            self._hit("reconvergence", "from-different-pcs")
        elif len(set(known)) >= 2:
            self._hit("reconvergence", "from-different-issues")

    # -- results -----------------------------------------------------------------------
    def bins(self) -> dict[str, dict[str, int]]:
        """group -> bin -> hits (a copy)."""
        return {g: dict(b) for g, b in self._bins.items()}

    def missing(self, groups: Iterable[str] | None = None) -> list[str]:
        """'group/bin' of every required bin with no hit (optionally only in `groups`)."""
        wanted = None if groups is None else set(groups)
        return [
            f"{g}/{b}" for g, b in self.required() if (wanted is None or g in wanted) and self._bins[g].get(b, 0) == 0
        ]

    def report(self) -> str:
        """A readable table: per group, required bins hit / total, and the empty ones."""
        required = set(self.required())
        lines = [
            f"functional coverage: {self.runs} runs, {self.commits} commits",
            f"{'group':<14} {'hit':>9}  empty required bins / notes",
        ]
        total_hit = total = 0
        for group, table in self._bins.items():
            req = [b for b in table if (group, b) in required]
            hit = [b for b in req if table[b]]
            total_hit, total = total_hit + len(hit), total + len(req)
            empty = [b for b in req if not table[b]]
            notes = ", ".join(empty)
            if group == "impossible" and any(table.values()):
                notes = "HIT (a branch went the impossible way): " + ", ".join(
                    f"{b}={n}" for b, n in table.items() if n
                )
            elif group == "impossible":
                notes = "(never possible; stays empty unless branching is broken)"
            extra = [f"{b}={n}" for b, n in table.items() if (group, b) not in required and n and group != "impossible"]
            if extra:
                notes = (notes + "  " if notes else "") + "[" + ", ".join(extra) + "]"
            count = f"{len(hit)}/{len(req)}" if req else "-"
            lines.append(f"{group:<14} {count:>9}  {notes}")
        pct = 100.0 * total_hit / total if total else 100.0
        lines.append(f"{'total':<14} {total_hit:>4}/{total:<4}  {pct:.1f}% of required bins hit")
        return "\n".join(lines)

    # -- persistence and merging (pytest-xdist workers) --------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {
                "format": _FORMAT,
                "required_block_dims": self.required_block_dims,
                "axi_port": self.axi_port,
                "runs": self.runs,
                "commits": self.commits,
                "bins": self._bins,
            },
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> FunctionalCoverage:
        raw = json.loads(text)
        if raw.get("format") != _FORMAT:
            raise ValueError(f"not a functional coverage file ({raw.get('format')!r})")
        cov = cls(raw["required_block_dims"], axi_port=raw["axi_port"])
        cov.runs, cov.commits = raw["runs"], raw["commits"]
        for group, table in raw["bins"].items():
            for name, n in table.items():
                cov._bins.setdefault(group, {})[name] = n
        return cov

    def merge(self, other: FunctionalCoverage) -> FunctionalCoverage:
        """Add other's hits to this one (in place; returns self)."""
        self.required_block_dims = sorted(set(self.required_block_dims) | set(other.required_block_dims))
        for b in self.required_block_dims:
            self._bins["blocks"].setdefault(f"block_dim={b}", 0)
        self.require_axi_port(other.axi_port)
        for group, table in other._bins.items():
            for name, n in table.items():
                self._hit(group, name, n)
        self.runs += other.runs
        self.commits += other.commits
        return self

    @classmethod
    def merge_files(cls, paths: Iterable[str | Path]) -> FunctionalCoverage:
        """One coverage from the JSON files written by several workers."""
        total = cls()
        for path in paths:
            total.merge(cls.from_json(Path(path).read_text()))
        return total


def _branch_taken(c: Commit) -> bool:
    """Did this branch jump? Read from next_pc; when the target is the next address
    anyway, taken and not taken look alike, so the NZP rule decides."""
    target = c.instr & 0xFF
    if target != (c.pc + 1) & 0xFF:
        return c.next_pc == target
    return bool(c.nzp & (c.instr >> 9) & 7)
