# SPDX-License-Identifier: MIT
"""How many cycles a launch may take on the RTL before the harness calls it hung.

Derived from the ISA model's run of the same launch (its longest thread per block), the
configuration and the memory timing, with a generous factor: a kernel that finishes is
never cut short, and one that hangs on the RTL answers within seconds instead of after a
fixed 100,000 cycles. Used by `make fuzz` (every random program) and `make run` (unless
MAX_CYCLES= sets a limit).
"""

from __future__ import annotations

from .configs import GpuConfig
from .model import ModelResult


def cycle_budget(config: GpuConfig, model: ModelResult, threads: int, latency: int, stall_max: int) -> int:
    """A timeout well above what the RTL needs: the RTL reports a hang as a timeout.

    Estimate: blocks run in waves of NUM_CORES; a block issues at most ~its longest
    thread's instruction count (divergent paths add some, covered by the factor); each
    instruction costs a fetch and possibly a memory access, which waits behind every
    other thread in flight that shares a data channel. Calibrated on all configurations
    at latency 4 + stall 6: real runs use under a third of this (the summary prints the
    largest fraction seen).
    """
    block_dim = config.threads_per_block
    blocks = -(-threads // block_dim)
    waves = -(-blocks // config.num_cores)
    per_block = [0] * blocks
    for (block, _thread), trace in model.commits.items():
        per_block[block] = max(per_block[block], len(trace))
    longest = max(per_block, default=1)
    in_flight = min(config.num_cores, blocks) * block_dim
    channels = config.data_requests_at_once
    per_instruction = 8 + (latency + stall_max) * (1 + -(-in_flight // channels))
    return max(2000, 3 * waves * longest * per_instruction)
