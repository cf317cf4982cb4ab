# SPDX-License-Identifier: MIT
"""Two of the three ways a Python kernel is checked, without a simulator: its Python
execution (the reference) against the ISA model running the compiled program.

The third way, the RTL in lock-step with the model, is tinygpu.checks.check_run, which
every RTL test of a kernel calls with the Python execution as the reference.
"""

from __future__ import annotations

from .isa import DATA_MEM_SIZE
from .lang.compiler import Compiled
from .lang.execute import KernelFault, execute
from .memory_diff import memory_diff
from .model import ModelTimeout, find_races, run_kernel


def python_against_model(
    compiled: Compiled, memory: list[int], threads: int, block_dim: int, shared_bytes: int = 256
) -> list[str]:
    """Differences between the Python execution and the ISA model (empty: they agree).
    A kernel whose Python execution is not defined (race, index) gives its faults."""
    memory = list(memory) + [0] * (DATA_MEM_SIZE - len(memory))
    try:
        expected = execute(compiled.source, memory, threads, block_dim)
    except KernelFault as fault:
        return [f"the Python execution is not defined: {problem}" for problem in fault.problems]
    try:
        model = run_kernel(compiled.program.words, memory, threads, block_dim, shared_bytes=shared_bytes)
    except ModelTimeout as timeout:
        return [f"the ISA model did not finish: {timeout}"]
    problems = [f"ISA model: {race}" for race in find_races(model)]
    diff = memory_diff(expected, model.memory, initial=memory)
    if diff:
        problems.append(
            f"the ISA model's memory differs from the Python execution's (threads={threads}, "
            f"block_dim={block_dim}):\n" + "\n".join(diff)
        )
    return problems
