# SPDX-License-Identifier: MIT
"""A picture of execution: per core and cycle, which warp executed and how many of its
threads, or why nothing executed; drawn from a run's own trace (`make run WAVES=1`).

The trace line of tb/hdl/gpu_harness.sv gives, for every busy core and cycle, the core's
activity (activity_e in rtl/core_activity.sv) and, when an instruction executes, its warp
and active mask. One row per core, one column per cycle: a colour per warp (lighter
when fewer threads than the block's are active, i.e. divergence), grey shades for
waiting on an instruction, on memory, or for a branch. This is the pipeline diagram a
GPU course draws, made from what the RTL did.
"""

from __future__ import annotations

from pathlib import Path

from .trace_view import read_trace

WAIT_COLOURS = {"FETCH_WAIT": "#9e9e9e", "MEMORY_WAIT": "#d0d0d0", "BRANCH_WAIT": "#6e6e6e"}
WARP_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def draw_timeline(trace_log: Path, config, path: Path, title: str = "") -> Path:
    """Write the timeline of `trace_log` (a run on `config`) as a PNG at `path`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    rows = read_trace(trace_log)
    cores = config.num_cores
    last = max((row.cycle for row in rows), default=0)
    width = min(60.0, max(9.0, last * 0.12))
    fig, ax = plt.subplots(figsize=(width, 1.6 + 0.5 * max(cores, 3)))
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
    ax.set_xlabel("cycle (from the launch)")
    legend = [Patch(color=WARP_COLOURS[w], label=f"warp {w} executes") for w in range(config.warps_per_core)]
    legend += [Patch(color=colour, label=name.lower().replace("_", " ")) for name, colour in WAIT_COLOURS.items()]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, frameon=False)
    ax.set_title(title or "execution timeline (lighter: fewer threads active than the block has)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
