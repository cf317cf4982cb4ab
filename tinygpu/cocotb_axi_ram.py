# SPDX-License-Identifier: MIT
"""cocotb side of the AXI cross-check: gpu_axi itself as the toplevel, cocotbext-axi's
RAMs as its memories.

No HDL harness: the slave on the `data_*` ports is cocotbext-axi's `AxiRam` and the one
on the `program_*` ports its `AxiRamRead`, maintained AXI models from the field, so the
GPU's AXI masters meet a slave that nobody here wrote. Per job this module resets the GPU,
fills the RAMs (program words at PROGRAM_BASE, two bytes a word, little-endian; the 256
data bytes at DATA_BASE), optionally puts seeded random pauses on every channel
(cocotbext-axi's pause generators: ready held low on AR, AW and W, valid held back on R
and B), writes the thread count through the device control register, raises start and
waits for done. It reports the data window, whether `memory_error` ever rose, and any
byte written outside the window. It checks nothing: tinygpu/axi_crosscheck.py compares
the result with the ISA model.

The GPU's masters have no ID signals (ID 0 only: rtl/gpu_axi.sv), but
cocotbext-axi's slaves require AWID/BID/ARID/RID. AXI4 says an ID a master does not
have is all zeros at the slave, and an ID the slave returns to such a master goes
nowhere; `AbsentId` stands in for those four signals exactly so.

Environment: AXI_JOBS (the job list, JSON, written by tinygpu/axi_crosscheck.py),
AXI_RESULTS (where the results go).
"""

from __future__ import annotations

import json
import logging
import os
import random
from collections.abc import Iterator
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.simtime import get_sim_time
from cocotb.triggers import ClockCycles, First, RisingEdge, Timer
from cocotb.types import LogicArray
from cocotb_bus.bus import Bus
from cocotbext.axi import AxiBus, AxiRam, AxiRamRead, AxiReadBus
from cocotbext.axi.stream import StreamPause

CLOCK_PERIOD_NS = 10
# Share of the cycles each channel is paused in a run with backpressure.
PAUSE_SHARE = 0.5


class AbsentId:
    """An AXI ID signal the GPU does not have: one bit, reads 0, writes go nowhere."""

    def __len__(self) -> int:
        return 1

    @property
    def value(self) -> LogicArray:
        return LogicArray(0, 1)

    @value.setter
    def value(self, _value: object) -> None:
        pass

    def setimmediatevalue(self, _value: object) -> None:
        pass


def tie_off_ids(channel_buses: list[tuple[Bus, str]]) -> None:
    """Put an AbsentId where each (bus, ID name) has no signal. cocotb-bus leaves None for
    a signal the design lacks; a design that has it keeps it."""
    for bus, name in channel_buses:
        if getattr(bus, name) is None:
            setattr(bus, name, AbsentId())
            bus._signals[name] = getattr(bus, name)  # the list Bus.drive() and sample() walk


def random_pauses(seed: int) -> Iterator[bool]:
    """A channel's pause pattern: paused in about PAUSE_SHARE of the cycles."""
    rng = random.Random(seed)
    while True:
        yield rng.random() < PAUSE_SHARE


def channels(data_ram: AxiRam, program_ram: AxiRamRead) -> dict[str, StreamPause]:
    """Every channel of both slaves, by its AXI name."""
    return {
        "data AR": data_ram.read_if.ar_channel,
        "data R": data_ram.read_if.r_channel,
        "data AW": data_ram.write_if.aw_channel,
        "data W": data_ram.write_if.w_channel,
        "data B": data_ram.write_if.b_channel,
        "program AR": program_ram.ar_channel,
        "program R": program_ram.r_channel,
    }


async def count_holds(dut, data_ram: AxiRam, program_ram: AxiRamRead, held: dict[str, int]) -> None:
    """Add up, per channel, the cycles a transfer waited on the slave: on AR, AW and W the
    GPU's valid high while the slave's ready is low; on R and B a beat the slave has
    queued but holds back (paused)."""
    ready_channels = {
        "data AR": (dut.data_arvalid, dut.data_arready),
        "data AW": (dut.data_awvalid, dut.data_awready),
        "data W": (dut.data_wvalid, dut.data_wready),
        "program AR": (dut.program_arvalid, dut.program_arready),
    }
    valid_channels = {
        name: channel for name, channel in channels(data_ram, program_ram).items() if name.endswith((" R", " B"))
    }
    while True:
        await RisingEdge(dut.clk)
        for name, (valid, ready) in ready_channels.items():
            if int(valid.value) and not int(ready.value):
                held[name] += 1
        for name, channel in valid_channels.items():
            if channel.pause and not channel.empty():
                held[name] += 1


def load(ram, base: int, data: bytes) -> None:
    """Empty the RAM and write `data` at `base`."""
    ram.mem.clear()
    ram.write(base, data)


def bytes_outside(ram, base: int, size: int) -> list[int]:
    """Addresses outside [base, base + size) that hold a non-zero byte: the GPU wrote
    there (the RAM starts empty, and only the window is loaded). SparseMemory keeps the
    4 KiB pages ever written, so only those are looked at."""
    stray = []
    for page, block in sorted(ram.mem.segs.items()):
        stray += [page + i for i, byte in enumerate(block) if byte and not base <= page + i < base + size]
    return stray


async def run_job(dut, job: dict, setup: dict, data_ram: AxiRam, program_ram: AxiRamRead) -> dict:
    data_base, program_base, data_size = setup["data_base"], setup["program_base"], setup["data_size"]
    dut.reset.value = 1
    dut.start.value = 0
    dut.device_control_write_enable.value = 0
    load(data_ram, data_base, bytes(job["data"]))
    if job["corrupt_address"] is not None:  # a planted fault: one byte pre-loaded wrongly
        data_ram.write_byte(data_base + job["corrupt_address"], job["data"][job["corrupt_address"]] ^ 0xFF)
    load(program_ram, program_base, b"".join(word.to_bytes(2, "little") for word in job["program"]))
    seed = job["backpressure_seed"]
    for k, channel in enumerate(channels(data_ram, program_ram).values()):
        channel.set_pause_generator(None if seed is None else random_pauses(seed * 7 + k))
        if seed is None:
            channel.pause = False  # removing a generator leaves the channel as it last set it
    await ClockCycles(dut.clk, 2)
    dut.reset.value = 0

    # The host's launch: the thread count into the device control register, then start.
    await RisingEdge(dut.clk)
    dut.device_control_write_enable.value = 1
    dut.device_control_data.value = job["threads"]
    await RisingEdge(dut.clk)
    dut.device_control_write_enable.value = 0
    dut.start.value = 1
    await RisingEdge(dut.clk)  # the launch edge
    launched = get_sim_time("ns")

    # memory_error rises and holds until the next launch; a watcher catches it even so.
    error_seen = {"rose": False}

    async def watch_error() -> None:
        await RisingEdge(dut.memory_error)
        error_seen["rose"] = True

    held = dict.fromkeys(channels(data_ram, program_ram), 0)
    watchers = [cocotb.start_soon(watch_error()), cocotb.start_soon(count_holds(dut, data_ram, program_ram, held))]
    await First(RisingEdge(dut.done), Timer(job["max_cycles"] * CLOCK_PERIOD_NS, unit="ns"))
    await RisingEdge(dut.clk)
    done = bool(int(dut.done.value))
    for watcher in watchers:
        watcher.cancel()
    dut.start.value = 0
    return {
        "name": job["name"],
        "done": done,
        "cycles": int((get_sim_time("ns") - launched) // CLOCK_PERIOD_NS),
        "memory": list(data_ram.read(data_base, data_size)),
        "memory_error": error_seen["rose"] or bool(int(dut.memory_error.value)),
        "memory_error_address": int(dut.memory_error_address.value),
        "written_outside": bytes_outside(data_ram, data_base, data_size),
        "held": held,
    }


@cocotb.test()
async def run_jobs(dut):
    """Run every job of AXI_JOBS in order on the AXI RAMs and write AXI_RESULTS."""
    spec = json.loads(Path(os.environ["AXI_JOBS"]).read_text())
    setup = spec["setup"]
    Clock(dut.clk, CLOCK_PERIOD_NS, unit="ns").start()
    dut.reset.value = 1
    # cocotbext-axi logs every burst at INFO: keep its slaves (loggers under the toplevel's) quiet.
    logging.getLogger(f"cocotb.{dut._name}").setLevel(logging.WARNING)
    data_bus = AxiBus.from_prefix(dut, "data")
    program_bus = AxiReadBus.from_prefix(dut, "program")
    tie_off_ids(
        [
            (data_bus.write.aw, "awid"),
            (data_bus.write.b, "bid"),
            (data_bus.read.ar, "arid"),
            (data_bus.read.r, "rid"),
            (program_bus.ar, "arid"),
            (program_bus.r, "rid"),
        ]
    )
    space = 2 ** len(dut.data_araddr)
    data_ram = AxiRam(data_bus, dut.clk, dut.reset, size=space)
    program_ram = AxiRamRead(program_bus, dut.clk, dut.reset, size=space)
    results = []
    for job in spec["jobs"]:
        results.append(await run_job(dut, job, setup, data_ram, program_ram))
        # Written after every job, so a crash later still leaves the finished ones.
        Path(os.environ["AXI_RESULTS"]).write_text(json.dumps(results))
