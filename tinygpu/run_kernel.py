#!/usr/bin/env python3
"""Run one kernel on the RTL and show what happened.

    tinygpu-run [--kernel kernels/matmul.asm] [--sim icarus|verilator]
                                 [--config default] [--latency 1] [--stall-max 0] [--seed 1]
                                 [--waves] [--json out.json]

Prints the initial and final data memory, the cycles from start to done, and whether
the result matches the ISA model (and the kernel's reference, when the kernel has a
NAME.toml beside it). With --waves it also writes an FST waveform and a readable
per-cycle execution trace (cores, threads, PC, instruction, registers) and prints their
paths; `make waves` opens the last waveform. Exit status 0 only when the result matches.
"""

from __future__ import annotations

from pathlib import Path

from .paths import REPO_ROOT

RUN_ROOT = REPO_ROOT / "build" / "run"


def memory_rows(memory: list[int], *, compare: list[int] | None = None) -> list[str]:
    """Hex dump, 16 bytes a row, rows that hold anything; '*' marks bytes that changed."""
    rows = []
    for base in range(0, len(memory), 16):
        row = memory[base:base + 16]
        before = compare[base:base + 16] if compare else None
        if not any(row) and not (before and any(before)):
            continue
        cells = []
        for i, value in enumerate(row):
            mark = "*" if before is not None and before[i] != value else " "
            cells.append(f"{value:3d}{mark}")
        rows.append(f"  {base:3d}: " + "".join(cells))
    return rows or ["  (all zero)"]


def load_reference(asm_path: Path):
    toml_path = asm_path.with_suffix(".toml")
    if not toml_path.exists():
        return None, None
    from .kernels import load_kernel
    kernel = load_kernel(asm_path)
    return kernel.reference, kernel.max_cycles
