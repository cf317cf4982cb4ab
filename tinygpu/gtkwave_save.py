#!/usr/bin/env python3
"""Write a GTKWave save file that groups the GPU's signals by block.

    tinygpu-gtkwave-save --fst build/run/.../waves.fst [--config default] [-o out.gtkw]

Groups: host interface, dispatcher, each memory controller, and for every core its
scheduler (state shown as text), fetcher, decoder (mnemonic as text) and each thread's
operands, result, NZP flags and LSU. `make run WAVES=1` writes one beside each waveform, for
that run's configuration; tb/gtkwave/gpu.gtkw is the one for the default configuration.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .configs import get_config

# GTKWave trace flags (the '@' lines of a save file)
FLAG_HEX = "@22"
FLAG_BIN = "@28"
FLAG_ASCII = "@820"   # ASCII text (decoded from the bit vector)
GROUP_OPEN = "@800200"
GROUP_CLOSE = "@1000200"
GROUP_OPEN_CLOSED = "@c00200"
GROUP_CLOSE_CLOSED = "@1401200"


def waveform_signals(fst_path: Path) -> dict[str, str]:
    """Map each signal's plain hierarchical name to the name GTKWave shows (with range)."""
    header = []
    with subprocess.Popen(["fst2vcd", str(fst_path)], stdout=subprocess.PIPE, text=True,
                          stderr=subprocess.DEVNULL) as proc:
        for line in proc.stdout:
            if "$enddefinitions" in line:
                break
            header.append(line)
        proc.kill()
    names, scopes = {}, []
    for line in header:
        fields = line.split()
        if fields[:1] == ["$scope"]:
            scopes.append(fields[2])
        elif fields[:1] == ["$upscope"]:
            scopes.pop()
        elif fields[:1] == ["$var"]:
            base = fields[4]
            rng = fields[5] if len(fields) > 6 and re.fullmatch(r"\[\d+(:\d+)?\]", fields[5]) else ""
            names[".".join(scopes + [base])] = ".".join(scopes + [base + rng])
    return names


def group(lines: list[str], known: dict[str, str], title: str, signals: list[tuple[str, str]],
          closed: bool = False) -> None:
    """Append a group; signals the waveform does not have are left out."""
    present = [(flag, known[name]) for flag, name in signals if name in known]
    lines.append(GROUP_OPEN_CLOSED if closed else GROUP_OPEN)
    lines.append(f"-{title}")
    for flag, name in present:
        lines.append(flag)
        lines.append(name)
    lines.append(GROUP_CLOSE_CLOSED if closed else GROUP_CLOSE)
    lines.append(f"-{title}")


def save_file(config_name: str, fst_path: Path) -> str:
    config = get_config(config_name)
    known = waveform_signals(fst_path)
    top = "gpu_harness"  # both simulators put the harness at the top of the hierarchy
    gpu = f"{top}.u_gpu"
    lines = [
        "[*] GTKWave save file written by tinygpu-gtkwave-save",
        f"[*] configuration {config.name}: {config.num_cores} cores x {config.threads_per_block} threads",
        "[timestart] 0",
        "[size] 1600 1000",
        "[sst_width] 260",
        "[signals_width] 320",
        "[sst_expanded] 1",
    ]
    group(lines, known, "host", [
        (FLAG_BIN, f"{top}.clk"), (FLAG_BIN, f"{top}.reset"), (FLAG_BIN, f"{top}.start"),
        (FLAG_BIN, f"{top}.done"), (FLAG_BIN, f"{top}.device_control_write_enable"),
        (FLAG_HEX, f"{top}.device_control_data"), (FLAG_HEX, f"{top}.cycles"),
    ])
    group(lines, known, "dispatcher", [
        (FLAG_BIN, f"{gpu}.u_dispatcher.running_q"), (FLAG_HEX, f"{gpu}.u_dispatcher.total_q"),
        (FLAG_HEX, f"{gpu}.u_dispatcher.next_block_q"), (FLAG_HEX, f"{gpu}.u_dispatcher.busy_cores_q"),
        (FLAG_BIN, f"{gpu}.u_dispatcher.core_idle"), (FLAG_BIN, f"{gpu}.u_dispatcher.core_block_start"),
        (FLAG_BIN, f"{gpu}.u_dispatcher.core_block_done"),
    ])
    for name, ports in (("program memory", "program_mem"), ("data memory", "data_mem")):
        controller = f"{gpu}.u_{ports}_controller"
        signals = [(FLAG_BIN, f"{top}.{ports}_read_valid"), (FLAG_HEX, f"{top}.{ports}_read_address"),
                   (FLAG_BIN, f"{top}.{ports}_read_ready"), (FLAG_HEX, f"{top}.{ports}_read_data")]
        if ports == "data_mem":
            signals += [(FLAG_BIN, f"{top}.data_mem_write_valid"), (FLAG_HEX, f"{top}.data_mem_write_address"),
                        (FLAG_HEX, f"{top}.data_mem_write_data"), (FLAG_BIN, f"{top}.data_mem_write_ready")]
        signals += [(FLAG_HEX, f"{controller}.state_q"), (FLAG_HEX, f"{controller}.owner_q"),
                    (FLAG_BIN, f"{controller}.consumer_read_valid"), (FLAG_BIN, f"{controller}.consumer_read_ready")]
        group(lines, known, f"{name} controller", signals)
    for c in range(config.num_cores):
        core = f"{gpu}.g_cores[{c}].u_core"
        group(lines, known, f"core {c} scheduler", [
            (FLAG_ASCII, f"{core}.u_scheduler.state_ascii"), (FLAG_HEX, f"{core}.u_scheduler.issue_pc"),
            (FLAG_BIN, f"{core}.u_scheduler.active_mask"), (FLAG_BIN, f"{core}.u_scheduler.live_q"),
            (FLAG_HEX, f"{core}.u_scheduler.pc_q"), (FLAG_HEX, f"{core}.u_scheduler.block_idx_q"),
            (FLAG_BIN, f"{core}.u_scheduler.commit_mask"),
        ])
        group(lines, known, f"core {c} fetcher + decoder", [
            (FLAG_BIN, f"{core}.u_fetcher.valid_q"), (FLAG_HEX, f"{core}.u_fetcher.address_q"),
            (FLAG_HEX, f"{core}.u_fetcher.instruction_q"), (FLAG_ASCII, f"{core}.u_decoder.opcode_ascii"),
        ])
        for t in range(config.threads_per_block):
            thread = f"{core}.g_threads[{t}]"
            group(lines, known, f"core {c} thread {t}", [
                (FLAG_HEX, f"{thread}.rs_value"), (FLAG_HEX, f"{thread}.rt_value"),
                (FLAG_HEX, f"{thread}.rd_value"), (FLAG_BIN, f"{thread}.rd_written"),
                (FLAG_BIN, f"{thread}.u_pc.nzp_q"), (FLAG_BIN, f"{thread}.u_lsu.read_valid_q"),
                (FLAG_BIN, f"{thread}.u_lsu.write_valid_q"), (FLAG_HEX, f"{thread}.u_lsu.address_q"),
            ], closed=True)
            # Register files are unpacked arrays, which neither simulator dumps; the
            # trace (trace.txt) shows every register value instead.
    lines.append("[pattern_trace] 1")
    lines.append("[pattern_trace] 0")
    return "\n".join(lines) + "\n"
