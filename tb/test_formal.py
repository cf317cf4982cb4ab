# SPDX-License-Identifier: MIT
"""Assertions and proofs catch a planted bug.

The planted bug: the memory controller's arbitration may grant a requester that is not
asking (one exact text edit in a copy of rtl/, tinygpu.rtl_patch). It must be caught
twice, independently: by the controller's assertion in a simulation on each simulator
(the run fails and names the rule), and by `make formal`'s proof of the controller,
which must fail with a counterexample at that assertion. The AXI program master's
proof must fail at its harness's properties on two more: a word of an error response
handed to a core (data integrity), and an error response of a burst asked before the
launch ending the new launch (a defect that proof found). `make formal` itself (every
proof passing on the real RTL) runs in `make test` beside lint, not here.
"""

from __future__ import annotations

import re

import pytest

from tinygpu import formal
from tinygpu.checks import guarded_memory
from tinygpu.configs import get_config, whole_suite
from tinygpu.harness import Job, run_jobs
from tinygpu.kernels import load_kernel
from tinygpu.paths import KERNELS_DIR, RTL_DIR
from tinygpu.rtl_patch import RtlEdit, patched_rtl
from tinygpu.sim import SIMULATORS, SimulationError

GRANT_NOT_ASKING = RtlEdit(
    "mem_controller.sv",
    "assign grantable = wants_any & ~held & ~joining & ~duplicate;",
    "assign grantable = ~held & ~joining & ~duplicate;",
)
ASSERTION = "which is not asking"


def test_planted_grant_edit_still_applies():
    assert GRANT_NOT_ASKING.apply() != (RTL_DIR / GRANT_NOT_ASKING.file).read_text()


@pytest.mark.sim
@pytest.mark.parametrize("sim", SIMULATORS if whole_suite() else ["icarus"])  # Verilator: make test-all
def test_planted_grant_bug_fails_the_simulation_with_the_assertion(sim, tmp_path):
    rtl_dir = patched_rtl(GRANT_NOT_ASKING, "grant_not_asking")
    kernel = load_kernel(KERNELS_DIR / "matadd.asm")
    # Icarus reports a failed assertion and runs on: the fault also hangs the kernel, so a
    # short cycle limit keeps the run (and its log of errors, one per cycle) short.
    job = Job(
        program=kernel.program.words,
        memory=guarded_memory(kernel.data, seed=1),
        threads=kernel.threads,
        name="grant_not_asking",
        max_cycles=500,
    )
    with pytest.raises(SimulationError) as failure:
        run_jobs(sim, get_config("default"), [job], tmp_path, rtl_dir=rtl_dir)
    message = str(failure.value)
    assert re.search(r"mem_controller: channel \d+ granted requester \d+, " + ASSERTION, message), message
    print(next(line for line in message.splitlines() if ASSERTION in line).strip())


def test_planted_grant_bug_fails_the_proof_with_a_counterexample(tmp_path):
    rtl_dir = patched_rtl(GRANT_NOT_ASKING, "grant_not_asking")
    task = next(t for t in formal.TASKS if t.name == "mem_controller_prove")
    result = formal.run_task(task, rtl_dir=rtl_dir, build=tmp_path)
    assert result.status == "FAIL", result.details
    line = next((i for i, text in enumerate(GRANT_NOT_ASKING.apply().splitlines(), 1) if ASSERTION in text), None)
    failed = [d for d in result.details if d.startswith("failed assertion")]
    # The assertion's statement spans two lines: its `else $error(... which is not asking ...)`
    # is on the line after the `assert`.
    assert any(f"mem_controller.sv:{line - 1}." in d for d in failed), result.details
    print("\n".join(result.details))


# Planted in axi_program_master.sv, each with the text of the harness's assertion that
# must fail (formal/axi_program_master_formal.sv).
PROGRAM_MASTER_BUGS = {
    "error_word_used": (
        RtlEdit(
            "axi_program_master.sv",
            "if (mine && !stale_q[b] && !beat_error)",
            "if (mine && !stale_q[b])",
        ),
        "assert (symbolic_ok_q);",
    ),
    "stale_error_ends_launch": (
        RtlEdit(
            "axi_program_master.sv",
            "!error && beat_error && !stale_q[beat_buffer]",
            "!error && beat_error",
        ),
        "assert (error == error_q",
    ),
}


@pytest.mark.parametrize("label", PROGRAM_MASTER_BUGS)
def test_planted_program_master_bug_fails_the_proof_at_its_property(label, tmp_path):
    edit, assertion = PROGRAM_MASTER_BUGS[label]
    rtl_dir = patched_rtl(edit, label)
    task = next(t for t in formal.TASKS if t.name == "axi_program_master_prove")
    result = formal.run_task(task, rtl_dir=rtl_dir, build=tmp_path)
    assert result.status == "FAIL", result.details
    harness = (formal.FORMAL_DIR / f"{task.harness}.sv").read_text().splitlines()
    line = next(i for i, text in enumerate(harness, 1) if assertion in text)
    failed = [d for d in result.details if d.startswith("failed assertion")]
    assert any(f"{task.harness}.sv:{line}." in d for d in failed), result.details
    print("\n".join(result.details))
