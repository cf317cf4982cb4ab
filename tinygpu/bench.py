#!/usr/bin/env python3
"""Benchmark: cycles, IPC and simulation speed of the demonstration kernels.

    tinygpu-bench [--sims icarus,verilator] [--config default] [--json out.json]

For matadd and matmul (tiny-gpu's programs, same data) and the larger kernels, at
memory latencies 1, 2 and 4 and with random stalls, prints cycles from start to done,
thread-instructions retired per cycle (IPC, counted from the commit log) and, per
simulator, simulated cycles per second of wall time (process start-up included). Every
run is also checked against the golden models; a wrong result is an error, not a number.

The yardstick: tiny-gpu takes 158 cycles (matadd) and 444 (matmul) with a 1-cycle memory.
"""

from __future__ import annotations

TINY_GPU_CYCLES = {"matadd": 158, "matmul": 444}
KERNELS = ("matadd", "matmul", "divergent_if_else", "loop_trip_counts", "many_blocks")
SETTINGS = [(1, 0), (2, 0), (4, 0), (1, 6)]  # (latency, stall_max)
