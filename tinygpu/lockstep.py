# SPDX-License-Identifier: MIT
"""Compare what the RTL retired with what the golden model says, with a message a person
can act on: the first wrong instruction (cycle, core, block, thread, pc, disassembly,
expected and actual). Memory differences are described by memory_diff.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .commits import COMPARED_FIELDS, in_program_order
from .disassembler import disassemble


def format_commit(commit) -> str:
    parts = [f"pc={commit.pc:3d} {disassemble(commit.instr):<22s} next_pc={commit.next_pc:3d} nzp={commit.nzp:03b}"]
    if commit.rd is not None:
        parts.append(f"R{commit.rd}={commit.rd_value}")
    if commit.mem_op is not None:
        parts.append(f"mem{commit.mem_op}[{commit.mem_addr}]={commit.mem_data}")
    if commit.shared_op is not None:
        parts.append(f"shared{commit.shared_op}[{commit.shared_addr}]={commit.shared_data}")
    if commit.barrier:
        parts.append("barrier released")
    return " ".join(parts)


@dataclass
class LockstepReport:
    compared: int  # commit records that matched, all threads together
    mismatch: str | None  # description of the first mismatch, None if all matched


def compare_commits(model_commits: dict[tuple[int, int], list], rtl_commits: list) -> LockstepReport:
    """Compare every thread's retired instructions with the model's, in order.

    The RTL interleaves threads by cycle, and retires a load or store after the
    independent instructions that followed it; each thread's own sequence, put in program
    order by the records' order numbers, must equal the model's exactly. Reports the
    earliest (by cycle) RTL record that disagrees, or a thread that retired too few or
    too many instructions.
    """
    rtl_by_thread = in_program_order(rtl_commits)

    compared = 0
    first_bad = None  # (cycle, message)
    for key in sorted(set(model_commits) | set(rtl_by_thread)):
        expected = model_commits.get(key, [])
        actual = rtl_by_thread.get(key, [])
        block, thread = key
        orders = [c.order for c in actual]
        repeated = next((o for o, after in zip(orders, orders[1:]) if o == after), None)
        if repeated is not None:
            got = next(c for c in actual if c.order == repeated)
            message = (
                f"block {block}, thread {thread}: two records carry order number {repeated} "
                f"(cycle {got.cycle}, core {got.core}): the order numbers do not say which came first"
            )
            if first_bad is None or got.cycle < first_bad[0]:
                first_bad = (got.cycle, message)
            continue
        for index, (want, got) in enumerate(zip(expected, actual)):
            differing = [f for f in COMPARED_FIELDS if getattr(want, f) != getattr(got, f)]
            if differing:
                message = (
                    f"first wrong instruction: cycle {got.cycle}, core {got.core}, block {block}, "
                    f"thread {thread}, instruction #{index} of this thread: "
                    f"pc {want.pc} ({disassemble(want.instr)})\n"
                    f"  expected: {format_commit(want)}\n"
                    f"  actual:   {format_commit(got)}\n"
                    f"  differing fields: {', '.join(differing)}"
                )
                if first_bad is None or got.cycle < first_bad[0]:
                    first_bad = (got.cycle, message)
                break
            compared += 1
        else:
            if len(expected) != len(actual):
                cycle = (
                    actual[len(expected)].cycle if len(actual) > len(expected) else (actual[-1].cycle if actual else 0)
                )
                extra = "more" if len(actual) > len(expected) else "fewer"
                nxt = (
                    format_commit(actual[len(expected)])
                    if len(actual) > len(expected)
                    else format_commit(expected[len(actual)])
                )
                where = f"cycle {cycle}, core {actual[-1].core}, " if actual else ""
                message = (
                    f"{where}block {block}, thread {thread} retired {len(actual)} instructions, "
                    f"the model {len(expected)} ({extra} than expected); first unmatched: {nxt}"
                )
                if first_bad is None or cycle < first_bad[0]:
                    first_bad = (cycle, message)
    return LockstepReport(compared=compared, mismatch=first_bad[1] if first_bad else None)


def barrier_release_problems(rtl_commits: list) -> list[str]:
    """Barrier releases that were not one event for the whole block.

    Every live thread of a block is released together, so the k-th BAR that each thread of
    a block retires must retire in one cycle on one core (threads that left with RET take
    no part). Field-by-field lock-step cannot see this: each thread's own sequence may be
    right while the release came at different times.
    """
    releases: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)  # (block, k) -> {(cycle, core)}
    count: dict[tuple[int, int], int] = defaultdict(int)  # (block, thread) -> BARs retired so far
    for commit in rtl_commits:
        if commit.barrier:
            k = count[(commit.block, commit.thread)]
            count[(commit.block, commit.thread)] += 1
            releases[(commit.block, k)].add((commit.cycle, commit.core))
    return [
        f"block {block}: barrier release #{k + 1} came in pieces (cycle, core): {sorted(times)}"
        for (block, k), times in sorted(releases.items())
        if len(times) > 1
    ]
