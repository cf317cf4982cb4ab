# SPDX-License-Identifier: MIT
"""Check each core's performance counters against what its commit records imply.

The counters (rtl/perf_counters.sv) and the commit records come out of the RTL by two
separate paths: the counters add up events inside each core, the records describe every
retired instruction of every thread. So most counters can be recomputed from the records
of their core and must agree exactly; the others, which count cycles the records cannot
see, are held to bounds that follow from their definitions:

| counter              | check                                                              |
|----------------------|--------------------------------------------------------------------|
| thread_instructions  | = the core's records                                               |
| issued, icache_hits  | = its warp instructions: distinct (block, order) of its records   |
| shared_loads/stores  | = its records with an LDS / STS access                             |
| merged_loads         | = its load records minus the distinct (block, order, address) reads|
| divergent_issues     | = its warp instructions retired by fewer threads than were live    |
| warp_switches        | <= issued - 1 (0 with one warp per core)                           |
| icache_misses        | >= 1 when it issued (the cache starts empty), <= busy_cycles       |
| barrier_wait_cycles  | 0 without a barrier record; > 0 when a block's threads reached one |
|                      | BAR in different issues; <= busy_cycles                            |
| busy_cycles          | >= the cycles its records retired in; <= the run's cycles + 1      |
| issued + fetch and memory stall cycles | <= busy_cycles + 1 (one activity per cycle)      |

A thread is live from its block's start until its RET issues: live threads at an issue
are the block's threads whose RET has that order number or a later one.
"""

from __future__ import annotations

from collections import defaultdict

from .commits import Commit
from .isa import Opcode


def _warp_instructions(records: list[Commit]) -> dict[tuple[int, int], list[Commit]]:
    """The records of each warp instruction, keyed by (block, order)."""
    by_issue: dict[tuple[int, int], list[Commit]] = defaultdict(list)
    for record in records:
        by_issue[(record.block, record.order)].append(record)
    return by_issue


def _divergent_issues(issues: dict[tuple[int, int], list[Commit]]) -> int:
    """Warp instructions retired by fewer threads than their block had live at issue."""
    ret_order: dict[tuple[int, int], int] = {}
    for (block, order), records in issues.items():
        for record in records:
            if record.instr >> 12 == Opcode.RET:
                ret_order[(block, record.thread)] = order
    divergent = 0
    for (block, order), records in issues.items():
        live = sum(1 for (b, _), ret in ret_order.items() if b == block and ret >= order)
        divergent += len(records) < live
    return divergent


def core_counter_problems(core: int, counters: dict[str, int], records: list[Commit], cycles: int) -> list[str]:
    """What is wrong with one core's counters, given its records and the run's cycles."""
    issues = _warp_instructions(records)
    loads = [r for r in records if r.mem_op == "R"]
    expected = {
        "thread_instructions": len(records),
        "issued": len(issues),
        "icache_hits": len(issues),
        "shared_loads": sum(r.shared_op == "R" for r in records),
        "shared_stores": sum(r.shared_op == "W" for r in records),
        "merged_loads": len(loads) - len({(r.block, r.order, r.mem_addr) for r in loads}),
        "divergent_issues": _divergent_issues(issues),
    }
    problems = [
        f"core {core}: counter {name} is {counters[name]}, its commit records imply {value}"
        for name, value in expected.items()
        if counters[name] != value
    ]

    busy = counters["busy_cycles"]
    issued = counters["issued"]

    def bound(holds: bool, text: str) -> None:
        if not holds:
            problems.append(f"core {core}: {text} ({', '.join(f'{k}={v}' for k, v in counters.items())})")

    bound(busy <= cycles + 1, f"busy_cycles {busy} exceeds the run's {cycles} cycles")
    retire_cycles = len({r.cycle for r in records})
    bound(busy >= retire_cycles, f"busy_cycles {busy} is fewer than the {retire_cycles} cycles its records retired in")
    bound(counters["warp_switches"] <= max(issued - 1, 0), "warp_switches exceeds issued - 1")
    bound(counters["icache_misses"] <= busy, "icache_misses exceeds busy_cycles")
    bound(
        issued == 0 or counters["icache_misses"] >= 1,
        "icache_misses is 0 although the core issued (the cache starts empty)",
    )
    bound(
        issued + counters["fetch_stall_cycles"] + counters["memory_stall_cycles"] <= busy + 1,
        "issued + fetch_stall_cycles + memory_stall_cycles exceeds busy_cycles",
    )
    barrier_records = [r for r in records if r.barrier]
    bound(counters["barrier_wait_cycles"] <= busy, "barrier_wait_cycles exceeds busy_cycles")
    bound(
        bool(barrier_records) or counters["barrier_wait_cycles"] == 0,
        "barrier_wait_cycles is not 0 although no thread left a barrier",
    )
    arrivals: dict[tuple[int, int], set[int]] = defaultdict(set)  # (block, release cycle) -> orders
    for record in barrier_records:
        arrivals[(record.block, record.cycle)].add(record.order)
    bound(
        all(len(orders) == 1 for orders in arrivals.values()) or counters["barrier_wait_cycles"] > 0,
        "barrier_wait_cycles is 0 although threads reached a BAR in different issues",
    )
    return problems


def counter_problems(
    counters: list[dict[str, int]], records: list[Commit], *, num_cores: int, cycles: int
) -> list[str]:
    """What is wrong with one launch's counters: one set per core, each agreeing with the
    records of its core ([] when all hold)."""
    if len(counters) != num_cores:
        return [f"the harness reported {len(counters)} counter sets for {num_cores} cores"]
    by_core: dict[int, list[Commit]] = defaultdict(list)
    for record in records:
        by_core[record.core].append(record)
    problems = []
    for core, core_counters in enumerate(counters):
        problems += core_counter_problems(core, core_counters, by_core[core], cycles)
    return problems
