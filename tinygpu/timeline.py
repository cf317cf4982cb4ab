# SPDX-License-Identifier: MIT
"""A picture of execution: per core and cycle, which warp executed and how many of its
threads, or why nothing executed; drawn from a run's own trace (`make run WAVES=1`).

The trace line of tb/hdl/gpu_harness.sv gives, for every busy core and cycle, the core's
activity (activity_e in rtl/core_activity.sv) and, when an instruction executes, its warp
and active mask. One row per core, one column per cycle: a colour per warp (lighter
when fewer threads than the block's are active, i.e. divergence), grey shades for
waiting on an instruction, on memory, or for a branch. This is the pipeline diagram a
GPU course draws, made from what the RTL did.

A run on the AXI port adds strips under the cores: per cycle, the data reads, data writes
and program bursts in flight (the trace's AXI lines, counted by the harness from the
handshakes), so one sees warps keep several transactions out while others compute.
"""

from __future__ import annotations

from pathlib import Path

from .trace_view import AxiLine, read_axi_trace, read_trace

WAIT_COLOURS = {"FETCH_WAIT": "#9e9e9e", "MEMORY_WAIT": "#d0d0d0", "BRANCH_WAIT": "#6e6e6e"}
WARP_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
# The AXI strips: field of AxiLine, label, colour, the configuration parameter that caps it
# (the strip's height; None: as high as the run went).
AXI_STRIPS = (
    ("data_reads", "data reads\nin flight", "#4a6f00", "MAX_READS"),
    ("data_writes", "data writes\nin flight", "#a34700", "MAX_WRITES"),
    ("program_bursts", "program bursts\nin flight", "#5b3a8c", None),
)


def draw_timeline(trace_log: Path, config, path: Path, title: str = "") -> Path:
    """Write the timeline of `trace_log` (a run on `config`) as a PNG at `path`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    rows = read_trace(trace_log)
    axi = read_axi_trace(trace_log)
    cores = config.num_cores
    last = max((row.cycle for row in rows), default=0)
    width = min(60.0, max(9.0, last * 0.12))
    core_height = 1.6 + 0.5 * max(cores, 3)
    strips = len(AXI_STRIPS) if axi else 0
    fig, axes = plt.subplots(
        1 + strips,
        1,
        sharex=True,
        squeeze=False,
        figsize=(width, core_height + 0.6 * strips),
        gridspec_kw={"height_ratios": [core_height] + [0.6] * strips},
    )
    ax = axes[0][0]
    for cycle, core, activity, warp, _pc, _instr, active in rows:
        if activity == "EXECUTE":
            colour = WARP_COLOURS[warp % len(WARP_COLOURS)]
            alpha = 0.35 + 0.65 * bin(active).count("1") / config.threads_per_block
        elif activity in WAIT_COLOURS:
            colour, alpha = WAIT_COLOURS[activity], 1.0
        else:
            continue
        ax.broken_barh(
            [(cycle, 1)], (core - 0.4, 0.8), facecolors=colour, alpha=alpha, edgecolor="white", linewidth=0.6
        )
    ax.set_yticks(range(cores))
    ax.set_yticklabels([f"core {c}" for c in range(cores)])
    ax.set_ylim(cores - 0.5, -0.5)
    ax.set_xlim(0, last + 1)
    for (field, label, colour, cap), strip in zip(AXI_STRIPS, axes[1:, 0]):
        _draw_in_flight(strip, axi, field, label, colour, config.parameter(cap) if cap else 0)
    axes[-1][0].set_xlabel("cycle (from the launch)")
    legend = [Patch(color=WARP_COLOURS[w], label=f"warp {w} executes") for w in range(config.warps_per_core)]
    legend += [Patch(color=colour, label=name.lower().replace("_", " ")) for name, colour in WAIT_COLOURS.items()]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)
    ax.set_title(title or "execution timeline (lighter: fewer threads active than the block has)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _draw_in_flight(ax, lines: list[AxiLine], field: str, label: str, colour: str, cap: int) -> None:
    """One AXI strip: `field` of every cycle as a filled step, a cycle wide, up to `cap`."""
    cycles = [line.cycle for line in lines]
    counts = [getattr(line, field) for line in lines]
    top = max([cap, *counts, 1])
    ax.fill_between(cycles + [cycles[-1] + 1], counts + [counts[-1]], step="post", color=colour, linewidth=0)
    ax.set_ylim(0, top)
    ax.set_yticks(range(top + 1) if top <= 4 else [0, top])
    ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8)
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.5)
    ax.set_axisbelow(True)
