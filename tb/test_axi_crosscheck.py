# SPDX-License-Identifier: MIT
"""The AXI port against a slave from the field: cocotbext-axi's AxiRam on gpu_axi's ports.

gpu_axi is the toplevel (no HDL harness), built once on Icarus with the `axi`
configuration's parameters; a few kernels run on it in one simulator process, each on
quiet channels and with seeded random pauses on every channel, and each final data
memory must equal the ISA model's, with `memory_error` low and nothing written outside
the GPU's 256 bytes (tinygpu/axi_crosscheck.py). A mismatch fails with one line per run,
naming the kernel and the first differing address. A planted fault (one byte pre-loaded
wrongly into the RAM) must be reported that way too.

Run it alone: `make axi-crosscheck`.
"""

from __future__ import annotations

import pytest

from tinygpu.axi_crosscheck import (
    CONFIG_NAME,
    KERNELS,
    SIMULATOR,
    access_shapes,
    crosscheck_runs,
    expected_memory,
    planted_fault_run,
    problem,
    run_crosscheck,
)
from tinygpu.configs import get_config

CONFIG = get_config(CONFIG_NAME)
# What the chosen kernels must make the AXI data master do between them.
REQUIRED_SHAPES = {"coalesced load", "split over lines", "partial strobe", "divergent warp"}


def test_kernels_exercise_the_data_master():
    """The kernels, as the ISA model runs them on the configuration, between them make a
    coalesced load, a warp access split over lines, a partial-strobe store and a divergent
    warp (pure Python: catches a kernel edit that loses one)."""
    runs = crosscheck_runs()
    assert {run.kernel.name for run in runs} == set(KERNELS)
    shapes = set().union(*(access_shapes(run.kernel, CONFIG) for run in runs))
    assert REQUIRED_SHAPES <= shapes, f"no kernel makes {sorted(REQUIRED_SHAPES - shapes)}"


@pytest.mark.sim
@pytest.mark.parametrize("sim", [SIMULATOR])  # its one simulator, named so `pytest --sim` can select it
def test_axi_ram_crosscheck(sim, tmp_path):
    runs = crosscheck_runs()
    planted = planted_fault_run()
    results = run_crosscheck(CONFIG, [*runs, planted], tmp_path)

    problems = [problem(run, result, expected_memory(run, CONFIG)) for run, result in zip(runs, results)]
    failures = [line for line in problems if line]
    assert not failures, "\n".join(failures) + f"\n  run folder: {tmp_path}"

    # Backpressure on every channel: each was held back in some run with pauses.
    paused = [result for run, result in zip(runs, results) if run.backpressure_seed is not None]
    never_held = [channel for channel in paused[0]["held"] if not any(r["held"][channel] for r in paused)]
    assert not never_held, f"the pause generators never held back {never_held}"

    # The planted fault: the byte pre-loaded wrongly is the first (and only) difference.
    caught = problem(planted, results[-1], expected_memory(planted, CONFIG))
    assert caught is not None and f"kernel {planted.kernel.name}" in caught, caught
    assert f"first difference at address {planted.corrupt_address} " in caught, caught
    assert "more differing" not in caught, caught
