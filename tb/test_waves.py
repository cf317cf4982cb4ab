# SPDX-License-Identifier: MIT
"""`make waves`: the GTKWave save file names only signals the waveform has, on both
simulators, shows states and instructions as text, and opens on the first cycles."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tinygpu import gtkwave_save
from tinygpu.configs import get_config
from tinygpu.harness import Job, run_jobs
from tinygpu.kernels import load_kernel
from tinygpu.paths import KERNELS_DIR
from tinygpu.sim import SIMULATORS
from tinygpu.waveform import rtl_enums, signal_names

CONFIG = get_config("default")


def test_state_names_come_from_the_rtl_enums():
    enums = rtl_enums()
    assert enums["core_activity.activity_e"].values == {
        0: "A_IDLE",
        1: "A_EXECUTE",
        2: "A_FETCH_WAIT",
        3: "A_MEMORY_WAIT",
        4: "A_BRANCH_WAIT",
    }
    assert enums["mem_controller.channel_state_e"].values[2] == "CH_WRITE"
    assert enums["gpu_pkg.opcode_e"].values[15] == "OP_RET"


def test_the_disassembly_filter_turns_words_into_instructions():
    tool = Path(sys.executable).with_name("tinygpu-gtkwave-disasm")
    done = subprocess.run([str(tool)], input="3010\nf000\nxxxx\n", capture_output=True, text=True, timeout=30)
    assert done.stdout.splitlines() == ["ADD R0, R1, R0", "RET", "-"]


def saved_names(text: str) -> list[str]:
    """The signal names a save file traces (its lines that are not comments, flags,
    group markers or settings), without their bit ranges."""
    names = []
    for line in text.splitlines():
        if not line or line[0] in "[*@-^#":
            continue
        if line.startswith("+{"):  # +{alias} name
            line = line.split("} ", 1)[1]
        names.append(re.sub(r"\[\d+:\d+\]$", "", line.split()[0]))
    return names


@pytest.mark.sim
@pytest.mark.parametrize("sim", SIMULATORS)
def test_save_file_names_only_signals_the_waveform_has(sim, tmp_path):
    kernel = load_kernel(KERNELS_DIR / "matadd.asm")
    job = Job(kernel.program.words, list(kernel.data), kernel.threads, name="matadd")
    run_jobs(sim, CONFIG, [job], tmp_path, waves=True)
    wave = tmp_path / "waves.fst"
    text = gtkwave_save.save_file(CONFIG, wave, tmp_path / "filters")
    known = signal_names(wave)
    names = saved_names(text)
    assert len(names) > 60  # every group is there
    assert [n for n in names if n not in known] == []
    # per-thread PCs and per-channel controller states, as text through the filters
    assert f"{gtkwave_save.TOP}.g_view_core[1].g_warp[1].g_thread[3].pc" in names
    assert f"{gtkwave_save.TOP}.g_view_data[3].state" in names
    activity_names = (tmp_path / "filters" / "core_activity.txt").read_text()
    assert " EXECUTE\n" in activity_names and "A_" not in activity_names  # enum prefix dropped
    assert "^>1 " in text or "^1 " in text  # translate filters attached
    # opens on the launch and 60 cycles after it, in the dump's picoseconds
    begin, end = map(int, re.search(r"setZoomRangeTimes (\d+) (\d+)", gtkwave_save.first_cycles_script(wave)).groups())
    assert end - begin == (gtkwave_save.FIRST_VIEW_CYCLES + 2) * gtkwave_save.CLOCK_PERIOD_PS


def test_a_waveform_of_another_configuration_is_refused(tmp_path):
    """A save file for 4 cores on a 2-core waveform names signals that do not exist."""
    fake = tmp_path / "empty.vcd"
    fake.write_text(
        "$timescale 1ps $end\n$scope module gpu_harness $end\n$var wire 1 ! clk $end\n"
        "$upscope $end\n$enddefinitions $end\n#0\n0!\n"
    )
    with pytest.raises(gtkwave_save.MissingSignals, match="has no gpu_harness"):
        gtkwave_save.save_file(get_config("wide"), fake, tmp_path / "filters")


def test_timeline_draws_each_core_from_the_trace(tmp_path):
    """The timeline image is made from the trace's activity codes (core_activity.activity_e)."""
    from tinygpu.timeline import draw_timeline
    from tinygpu.trace_view import read_trace

    codes = {name: value for value, name in rtl_enums()["core_activity.activity_e"].values.items()}
    lines = [
        f"T 0 {cycle:x} {core:x} {codes[activity]:x} {warp:x} 0 xxxx {active:x}"
        for cycle, core, activity, warp, active in [
            (1, 0, "A_FETCH_WAIT", 0, 0),
            (2, 0, "A_EXECUTE", 1, 0b0011),
            (2, 1, "A_MEMORY_WAIT", 0, 0),
        ]
    ]
    trace = tmp_path / "trace.log"
    trace.write_text("\n".join(lines) + "\n")
    assert [(line.cycle, line.core, line.activity, line.warp, line.active) for line in read_trace(trace)] == [
        (1, 0, "FETCH_WAIT", 0, 0),
        (2, 0, "EXECUTE", 1, 0b0011),
        (2, 1, "MEMORY_WAIT", 0, 0),
    ]
    image = draw_timeline(trace, CONFIG, tmp_path / "timeline.png")
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's header."""
    header = path.read_bytes()[:24]
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_timeline_of_an_axi_run_adds_the_transactions_in_flight(tmp_path):
    """The trace's AXI lines (one per cycle) become strips under the cores; a trace
    without them (tiny-gpu's port) draws the cores alone."""
    from tinygpu.timeline import draw_timeline
    from tinygpu.trace_view import AxiLine, read_axi_trace

    execute = {name: value for value, name in rtl_enums()["core_activity.activity_e"].values.items()}["A_EXECUTE"]
    cores = [f"T 0 {cycle:x} 0 {execute:x} 0 0 xxxx f" for cycle in range(4)]
    axi = [
        f"A 0 {cycle:x} {reads:x} {writes:x} {bursts:x}"
        for cycle, reads, writes, bursts in [(0, 0, 0, 1), (1, 2, 0, 1), (2, 4, 1, 0), (3, 0, 0, 0)]
    ]
    plain, with_axi = tmp_path / "plain.log", tmp_path / "axi.log"
    plain.write_text("\n".join(cores) + "\n")
    with_axi.write_text("\n".join(cores + axi) + "\n")
    assert read_axi_trace(plain) == []
    assert read_axi_trace(with_axi)[2] == AxiLine(cycle=2, data_reads=4, data_writes=1, program_bursts=0)
    axi_config = get_config("axi")
    width, height = png_size(draw_timeline(plain, axi_config, tmp_path / "plain.png"))
    axi_width, axi_height = png_size(draw_timeline(with_axi, axi_config, tmp_path / "axi.png"))
    assert axi_width == width and axi_height > height


@pytest.mark.sim
def test_the_harness_traces_axi_transactions_as_it_counts_them(tmp_path):
    """Per cycle in the trace, per launch in the memory events: the same handshakes."""
    from tinygpu.trace_view import read_axi_trace

    kernel = load_kernel(KERNELS_DIR / "six_blocks.asm")
    job = Job(kernel.program.words, list(kernel.data), kernel.threads, latency=8, max_cycles=kernel.max_cycles)
    result = run_jobs("icarus", get_config("axi"), [job], tmp_path, trace=True)[0]
    lines = read_axi_trace(tmp_path / "trace.log")
    assert len(lines) == result.cycles + 1  # the launch cycle to done
    assert max(line.data_reads for line in lines) == result.memory_events["most_data_reads_in_flight"] >= 2
    assert max(line.data_writes for line in lines) == result.memory_events["most_data_writes_in_flight"] >= 2
    assert max(line.program_bursts for line in lines) >= 1
