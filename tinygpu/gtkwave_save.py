# SPDX-License-Identifier: MIT
"""Write the GTKWave save file `make waves` opens: every block's signals, grouped and named.

    tinygpu-gtkwave-save --fst build/run/.../waves.fst [--config default] [-o out.gtkw]

Groups: host interface (the cycle counter in decimal), dispatcher, each memory channel
(its bus, what the channel does as text, and which requesters it serves), and for every
core: what it does each cycle (as text), the instruction in EXECUTE (as disassembly),
its warp, PC and threads, and the fetcher; for every warp its block, next PC, live and
barrier-waiting threads and each thread's PC; for every lane its ALU operands and result; for every
warp and thread its register write, NZP and load/store unit. Buses that carry one value per
channel or thread are shown one value per line through the harness' view signals
(tb/hdl/gpu_harness.sv, "waveform view"), which both simulators dump under the same names.

States and opcodes are shown as words through GTKWave translate filters: files written
from the RTL's own enums (tinygpu.waveform), and the disassembler as a filter process
(tinygpu-gtkwave-disasm). The view opens on the first cycles of the kernel; every name
in the file is checked against the waveform (a missing one is an error, not a silent gap).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from vcd.gtkw import GTKWSave

from .configs import GpuConfig
from .waveform import rtl_enums, signal_names, write_enum_filter

TOP = "gpu_harness"
GPU = f"{TOP}.u_gpu"
CORES = f"{GPU}.u_cores"  # gpu_cores.sv, in both top levels
CLOCK_PERIOD_PS = 10_000  # the cocotb clock: 10 ns (tinygpu/cocotb_gpu.py), dumps in ps
FIRST_VIEW_CYCLES = 16  # about 60 pixels a cycle: the text values read whole


class MissingSignals(ValueError):
    """The save file names signals the waveform does not have."""


def _filter_files(folder: Path) -> dict[str, Path]:
    enums = rtl_enums()
    return {
        "activity": write_enum_filter(enums["core_activity.activity_e"], folder / "core_activity.txt"),
        "channel": write_enum_filter(enums["mem_controller.channel_state_e"], folder / "channel_state.txt"),
    }


def signal_plan(config: GpuConfig) -> list[tuple[str, bool, list[tuple[str, str, dict]]]]:
    """(group title, closed, [(signal, alias, trace options)]) for every group."""
    dec = {"datafmt": "dec"}
    binary = {"datafmt": "bin"}
    groups = [
        (
            "host",
            False,
            [
                (f"{TOP}.clk", "clk", binary),
                (f"{TOP}.reset", "reset", binary),
                (f"{TOP}.start", "start", binary),
                (f"{TOP}.done", "done", binary),
                (f"{TOP}.cycles", "cycle", dec),
                (f"{TOP}.device_control_write_enable", "thread count write", binary),
                (f"{TOP}.device_control_data", "thread count", dec),
            ],
        ),
        (
            "dispatcher",
            False,
            [
                (f"{CORES}.u_dispatcher.running_q", "running", binary),
                (f"{CORES}.u_dispatcher.total_q", "threads", dec),
                (f"{CORES}.u_dispatcher.next_block_q", "next block", dec),
                (f"{CORES}.u_dispatcher.busy_warps_q", "busy warps", dec),
                (f"{CORES}.u_dispatcher.warp_block_start", "block start (per warp)", binary),
                (f"{CORES}.u_dispatcher.warp_block_done", "block done (per warp)", binary),
            ],
        ),
    ]
    threads = config.threads_per_block
    for c in range(config.num_cores):
        core = f"{CORES}.g_cores[{c}].u_core"
        view = f"{TOP}.g_view_core[{c}]"
        groups.append(
            (
                f"core {c}",
                False,
                [
                    (f"{view}.activity", "activity", {"datafmt": "hex", "filter": "activity"}),
                    (f"{core}.u_scheduler.exec_warp_q", "executing warp", dec),
                    (f"{core}.u_scheduler.exec_pc_q", "pc", dec),
                    (f"{core}.u_supply.u_icache.read_data_q", "instruction", {"datafmt": "hex", "filter": "disasm"}),
                    (f"{core}.exec_active", "active threads", binary),
                    (f"{core}.u_supply.u_fetcher.valid_q", "fetch read out", binary),
                    (f"{core}.u_supply.u_fetcher.address_q", "fetch address", dec),
                    (f"{core}.u_supply.u_fetcher.demand_q", "fetch is a miss", binary),
                ],
            )
        )
        for w in range(config.warps_per_core):
            warp = f"{core}.u_scheduler.g_warps[{w}].u_warp"
            signals = [
                (f"{warp}.running_q", "running", binary),
                (f"{warp}.block_idx_q", "block", dec),
                (f"{warp}.issue_pc_q", "next pc", dec),
                (f"{warp}.blocked_q", "blocked", binary),
                (f"{warp}.mem_wait_q", "waiting on memory", binary),
                (f"{warp}.live_q", "live threads", binary),
                (f"{warp}.waiting_q", "waiting at a barrier", binary),
            ]
            signals += [(f"{view}.g_warp[{w}].g_thread[{t}].pc", f"thread {t} pc", dec) for t in range(threads)]
            groups.append((f"core {c} warp {w}", False, signals))
        for t in range(threads):
            lane = f"{core}.g_lanes[{t}].u_alu"
            groups.append(
                (
                    f"core {c} lane {t}",
                    True,
                    [
                        (f"{lane}.rs_value", "rs", dec),
                        (f"{lane}.rt_value", "rt", dec),
                        (f"{lane}.result", "alu result", dec),
                    ],
                )
            )
        for w in range(config.warps_per_core):
            for t in range(threads):
                thread = f"{core}.g_warps[{w}].g_threads[{t}]"
                groups.append(
                    (
                        f"core {c} warp {w} thread {t}",
                        True,
                        [
                            (f"{thread}.u_thread.write_enable", "rd write", binary),
                            (f"{thread}.u_thread.rd_index", "rd", dec),
                            (f"{thread}.u_thread.rd_value", "rd value", dec),
                            (f"{thread}.u_thread.u_pc.nzp_q", "nzp", binary),
                            (f"{thread}.u_thread.u_lsu.read_valid_q", "load pending", binary),
                            (f"{thread}.u_thread.u_lsu.write_valid_q", "store pending", binary),
                            (f"{thread}.u_thread.u_lsu.address_q", "address", dec),
                        ],
                    )
                )
    if config.axi:
        groups += _axi_groups(binary, dec)
    else:
        for k in range(config.parameter("PROGRAM_MEM_NUM_CHANNELS")):
            view = f"{TOP}.g_view_program[{k}]"
            groups.append(
                (
                    f"program memory channel {k}",
                    False,
                    [
                        (f"{view}.state", "state", {"datafmt": "hex", "filter": "channel"}),
                        (f"{view}.serving", "serving cores", binary),
                        (f"{view}.read_valid", "read valid", binary),
                        (f"{view}.read_address", "address", dec),
                        (f"{view}.read_ready", "ready", binary),
                        (f"{view}.read_data", "instruction", {"datafmt": "hex", "filter": "disasm"}),
                    ],
                )
            )
        for k in range(config.parameter("DATA_MEM_NUM_CHANNELS")):
            view = f"{TOP}.g_view_data[{k}]"
            groups.append(
                (
                    f"data memory channel {k}",
                    False,
                    [
                        (f"{view}.state", "state", {"datafmt": "hex", "filter": "channel"}),
                        (f"{view}.serving", "serving LSUs", binary),
                        (f"{view}.read_valid", "read valid", binary),
                        (f"{view}.read_address", "read address", dec),
                        (f"{view}.read_ready", "read ready", binary),
                        (f"{view}.read_data", "read data", dec),
                        (f"{view}.write_valid", "write valid", binary),
                        (f"{view}.write_address", "write address", dec),
                        (f"{view}.write_data", "write data", dec),
                        (f"{view}.write_ready", "write ready", binary),
                    ],
                )
            )
    return groups


def _axi_groups(binary: dict, dec: dict) -> list[tuple[str, bool, list[tuple[str, str, dict]]]]:
    """The AXI4 ports of gpu_axi.sv, a group per channel set."""
    hex_ = {"datafmt": "hex"}

    def channel(prefix: str, names: list[tuple[str, dict]]) -> list[tuple[str, str, dict]]:
        return [(f"{TOP}.{prefix}_{name}", name, options) for name, options in names]

    return [
        (
            "AXI data reads",
            False,
            channel("data", [("arvalid", binary), ("arready", binary), ("araddr", hex_), ("rvalid", binary)])
            + channel("data", [("rready", binary), ("rdata", hex_), ("rresp", binary)]),
        ),
        (
            "AXI data writes",
            False,
            channel("data", [("awvalid", binary), ("awready", binary), ("awaddr", hex_), ("wvalid", binary)])
            + channel("data", [("wready", binary), ("wdata", hex_), ("wstrb", binary), ("bvalid", binary)])
            + channel("data", [("bready", binary), ("bresp", binary)]),
        ),
        (
            "AXI program reads",
            False,
            channel("program", [("arvalid", binary), ("arready", binary), ("araddr", hex_), ("arlen", dec)])
            + channel("program", [("rvalid", binary), ("rready", binary), ("rlast", binary)])
            + [(f"{TOP}.program_rdata", "rdata", {"datafmt": "hex", "filter": "disasm"})],
        ),
    ]


def save_file(config: GpuConfig, wave_file: Path, filter_dir: Path) -> str:
    """The text of the save file for a waveform of `config` (filter files go to filter_dir).

    Raises MissingSignals when the waveform lacks any signal the plan names."""
    known = signal_names(wave_file)
    plan = signal_plan(config)
    missing = [name for _, _, signals in plan for name, _, _ in signals if name not in known]
    if missing:
        raise MissingSignals(
            f"{wave_file} has no {', '.join(missing[:6])}"
            + (f" (and {len(missing) - 6} more)" if len(missing) > 6 else "")
        )
    filters = {name: str(path) for name, path in _filter_files(filter_dir).items()}
    disasm = str(Path(sys.executable).with_name("tinygpu-gtkwave-disasm"))
    out = io.StringIO()
    save = GTKWSave(out)
    save.comment(
        "GTKWave save file written by tinygpu-gtkwave-save",
        f"configuration {config.name}: {config.num_cores} cores x {config.threads_per_block} threads",
    )
    save.dumpfile(str(wave_file.resolve()))
    save.timestart(0)
    save.size(1600, 1000)
    save.signals_width(300)
    save.sst_expanded(True)
    for title, closed, signals in plan:
        with save.group(title, closed=closed):
            for name, alias, options in signals:
                width = known[name]
                full = name if width == 1 else f"{name}[{width - 1}:0]"
                kind = options.get("filter")
                save.trace(
                    full,
                    alias=alias,
                    datafmt=options["datafmt"],
                    translate_filter_file=filters.get(kind) if kind in filters else None,
                    translate_filter_proc=disasm if kind == "disasm" else None,
                )
    return out.getvalue()


def first_cycles_script(wave_file: Path, cycles: int = FIRST_VIEW_CYCLES) -> str:
    """A GTKWave Tcl script that zooms to the launch and the `cycles` after it."""
    import pywellen  # only needed here

    waveform = pywellen.Waveform(str(wave_file))
    start = next(v for v in waveform.all_vars() if v.full_name == f"{TOP}.start").signal
    launch = 0
    for step in range(10_000):
        if str(start.value_at(step * CLOCK_PERIOD_PS)) == "1":
            launch = step * CLOCK_PERIOD_PS
            break
    begin = max(0, launch - 2 * CLOCK_PERIOD_PS)
    end = launch + cycles * CLOCK_PERIOD_PS
    return (
        "# Written by tinygpu-gtkwave-save: show the launch and the first cycles after it.\n"
        f"gtkwave::setZoomRangeTimes {begin} {end}\n"
    )
