# SPDX-License-Identifier: MIT
"""Would a small per-core data cache pay on the AXI port? A measurement, not a guess.

Runs every `make bench` kernel on the `axi` configuration at 8-cycle memory (Verilator),
takes the data reads each core's warps made from the RTL's own commit records (one read
transaction per warp load instruction and line, in the cycle order the lanes retired),
and replays them through a least-recently-used cache of N lines per core, for N = 2, 4, 8
and 16. A store updates a line the cache holds (write-through), as the coherence rule a
cache would need here allows: blocks share no written byte within a launch and the cache
starts empty at each launch (docs/isa.md, "Memory ordering").

Each hit is a read that would not go to memory; the table gives the hits per kernel and
the share of all reads, and, as an upper bound on what the cache could save, hits x
(latency + 1) cycles over the kernel's cycles (every hit on its warp's critical path, no
other warp hiding it).

    .venv/bin/python scripts/data_cache_study.py

It paid: rtl/axi_data_cache.sv is that cache (`DATA_CACHE_LINES`, 8 by default: as many
hits as 16 lines, more than 4), with reads that a write of their core could have
overtaken kept out of it.
"""

from __future__ import annotations

import sys
from collections import OrderedDict

from tinygpu.bench import KERNELS, kernel_file
from tinygpu.checks import guarded_memory
from tinygpu.configs import get_config
from tinygpu.harness import Job, run_jobs
from tinygpu.kernels import load_kernel
from tinygpu.paths import BUILD_DIR

CONFIG = get_config("axi")
LATENCY = 8
SIZES = (2, 4, 8, 16)


def transactions(commits, line_bytes: int) -> dict[int, list[tuple[str, int]]]:
    """Per core, ('R' or 'W', line) per warp instruction and line, in retirement order."""
    per_core: dict[int, list[tuple[str, int]]] = {}
    seen = set()
    for c in sorted((c for c in commits if c.mem_op in ("R", "W")), key=lambda c: c.cycle):
        key = (c.core, c.cycle, c.pc, c.block, c.mem_op, c.mem_addr // line_bytes)
        if key not in seen:
            seen.add(key)
            per_core.setdefault(c.core, []).append((c.mem_op, c.mem_addr // line_bytes))
    return per_core


def hits(stream: list[tuple[str, int]], lines: int) -> int:
    cache: OrderedDict[int, None] = OrderedDict()
    count = 0
    for op, line in stream:
        if line in cache:
            cache.move_to_end(line)
            count += op == "R"
        elif op == "R":  # reads allocate; a store to a line not held goes around the cache
            cache[line] = None
            if len(cache) > lines:
                cache.popitem(last=False)
    return count


def main() -> int:
    line_bytes = CONFIG.parameter("DATA_LINE_BYTES")
    jobs = []
    for name in KERNELS:
        kernel = load_kernel(kernel_file(name))
        jobs.append(
            Job(
                kernel.program.words,
                guarded_memory(kernel.data, 1),
                kernel.threads,
                latency=LATENCY,
                max_cycles=kernel.max_cycles,
                name=name,
            )
        )
    results = run_jobs("verilator", CONFIG, jobs, BUILD_DIR / "data_cache_study")
    print(f"per-core LRU data cache on {CONFIG.name} at {LATENCY}-cycle memory: read hits (share of reads)")
    print(f"{'kernel':<22} {'cycles':>6} {'reads':>5} " + " ".join(f"{f'{n} lines':>12}" for n in SIZES) + "  bound")
    total_reads, total_hits = 0, {n: 0 for n in SIZES}
    for result in results:
        streams = transactions(result.commits, line_bytes).values()
        reads = sum(op == "R" for stream in streams for op, _ in stream)
        found = {n: sum(hits(stream, n) for stream in streams) for n in SIZES}
        total_reads += reads
        for n in SIZES:
            total_hits[n] += found[n]
        cells = " ".join(f"{found[n]:>5} ({found[n] / reads if reads else 0:>4.0%})" for n in SIZES)
        bound = found[SIZES[-1]] * (LATENCY + 1) / result.cycles if result.cycles else 0
        print(f"{result.job.name:<22} {result.cycles:>6} {reads:>5} {cells}  {bound:>4.0%}")
    cells = " ".join(f"{total_hits[n]:>5} ({total_hits[n] / total_reads:>4.0%})" for n in SIZES)
    print(f"{'all':<22} {'':>6} {total_reads:>5} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
