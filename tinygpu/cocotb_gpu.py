# SPDX-License-Identifier: MIT
"""cocotb side of the GPU harness: run kernel launches ("jobs") and report raw results.

This module only drives the harness (tb/hdl/gpu_harness.sv). It checks nothing: the
pytest side (tinygpu/harness.py) writes a list of jobs to a JSON file, runs the simulator,
reads the results back and compares them with the golden models in plain Python.

Per job Python acts a handful of times (reset, ask the harness to load the job's
memory files, write the thread count, raise start, wait for done or timeout, ask for
the final memory to be dumped). Memory latency, stalls,
cycle counting, timeouts and the commit and trace logs all live in the HDL, so the
simulator runs at full speed between those events.

Environment: GPU_JOBS (path of the job list), GPU_RESULTS (where to write results).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, FallingEdge, First, ReadOnly, RisingEdge, Timer

CLOCK_PERIOD_NS = 10


async def reset_gpu(dut, cycles: int = 2) -> None:
    """Hold reset for `cycles` rising edges with every host input low."""
    dut.reset.value = 1
    dut.start.value = 0
    dut.device_control_write_enable.value = 0
    await ClockCycles(dut.clk, cycles)
    dut.reset.value = 0


async def pulse(dut, signal) -> None:
    """Raise a harness request for one rising edge; return once the harness acted on it
    (the falling edge after: the simulation may end as soon as this returns)."""
    signal.value = 1
    await RisingEdge(dut.clk)
    signal.value = 0
    await FallingEdge(dut.clk)


async def run_job(dut, job: dict) -> dict:
    dut.cfg_job.value = job["id"]
    dut.cfg_latency.value = job["latency"]
    dut.cfg_stall_max.value = job["stall_max"]
    dut.cfg_seed.value = job["seed"]
    dut.cfg_max_cycles.value = job["max_cycles"]
    fault = job.get("fault") or {}  # an AXI error response to inject (harness.Fault)
    dut.cfg_fault_side.value = fault.get("side", 0)
    dut.cfg_fault_response.value = fault.get("response", 0)
    dut.cfg_fault_address.value = fault.get("address", 0)
    if job["reset"]:
        await reset_gpu(dut)
    # The harness reads this job's program and data files (written by tinygpu/harness.py).
    await pulse(dut, dut.load_memories)

    # Launch the way tiny-gpu's host does: thread count into the device control
    # register, then raise start and hold it until done.
    await RisingEdge(dut.clk)
    if job.get("write_thread_count", True):
        dut.device_control_write_enable.value = 1
        dut.device_control_data.value = job["threads"]
    await RisingEdge(dut.clk)
    dut.device_control_write_enable.value = 0
    await ReadOnly()
    done_before_launch = int(dut.done.value)  # after a reset it must be low
    await FallingEdge(dut.clk)
    dut.start.value = 1
    await RisingEdge(dut.clk)  # the launch edge
    await ReadOnly()
    done_after_launch = int(dut.done.value)

    result = {
        "id": job["id"],
        "done_before_launch": done_before_launch,
        "done_after_launch": done_after_launch,
        "aborted": False,
    }

    if job.get("abort_after_cycles") is not None:
        # Reset in the middle of the kernel; the next job relaunches cleanly.
        await ClockCycles(dut.clk, job["abort_after_cycles"])
        result["done_before_abort"] = int(dut.done.value)
        await reset_gpu(dut)
        result["aborted"] = True
    else:
        # The harness raises timed_out after max_cycles; the Timer only guards
        # against a harness that stops counting.
        guard = Timer((job["max_cycles"] + 1000) * CLOCK_PERIOD_NS, unit="ns")
        if not int(dut.done.value):
            await First(RisingEdge(dut.done), RisingEdge(dut.timed_out), guard)
        await FallingEdge(dut.clk)
        # tiny-gpu's own test bench keeps start high after done: that must launch nothing.
        done_while_held = int(dut.done.value)
        for _ in range(job.get("hold_start_cycles", 0)):
            await RisingEdge(dut.clk)
            await ReadOnly()
            done_while_held &= int(dut.done.value)
            await FallingEdge(dut.clk)
        result["done_while_start_held"] = done_while_held
        dut.start.value = 0
        result["done"] = int(dut.done.value)

    result["cycles"] = int(dut.cycles.value)
    result["timed_out"] = int(dut.timed_out.value)
    result["stall_cycles"] = int(dut.stall_cycles.value)
    result["max_waiting"] = int(dut.max_waiting.value)
    await pulse(dut, dut.dump_memory)  # jobN_final.hex: the final data memory
    return result


@cocotb.test()
async def run_jobs(dut):
    """Run every job of GPU_JOBS in order and write GPU_RESULTS."""
    jobs = json.loads(Path(os.environ["GPU_JOBS"]).read_text())
    Clock(dut.clk, CLOCK_PERIOD_NS, unit="ns").start()
    # With the simulator's own clock the first rising edge comes at time 0, before
    # any write from here lands: begin on a falling edge.
    dut.reset.value = 1
    dut.load_memories.value = 0
    dut.dump_memory.value = 0
    await FallingEdge(dut.clk)
    results = []
    for job in jobs:
        results.append(await run_job(dut, job))
        # Write after every job so a crash later still leaves the finished ones.
        Path(os.environ["GPU_RESULTS"]).write_text(json.dumps(results))
