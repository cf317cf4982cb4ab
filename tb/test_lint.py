# SPDX-License-Identifier: MIT
"""`make lint` can fail: each front end reports a planted problem in a copy of rtl/."""

from __future__ import annotations

import pytest

from tinygpu.configs import ELABORATION_CASES
from tinygpu.lint import (
    elaboration_problems,
    lint,
    lint_problems,
    mypy_problems,
    ruff_format_problems,
    ruff_problems,
    slang_problems,
)
from tinygpu.rtl_patch import RtlEdit, patched_rtl

# The real RTL is checked by `make lint` itself (the first step of `make test`).
pytestmark = pytest.mark.sim  # runs Verilator and slang

# A signal used before its declaration: Icarus and Verilator accept it, slang does not.
USED_BEFORE_DECLARED = RtlEdit(
    "gpu.sv",
    "  assign no_program_write_ready = '0;",
    "  assign no_program_write_ready = '0;\n  assign late_wire = 1'b0;\n  logic late_wire;",
)
# An always_comb that does not assign on every path: a latch.
LATCH = RtlEdit("fetcher.sv", "    address_d  = address_q;\n", "")
# A parameter check that lets 512 instruction cache lines through.
LOOSE_CHECK = RtlEdit("gpu_cores.sv", "ICACHE_LINES > 256", "ICACHE_LINES > 512")


def test_slang_reports_a_signal_used_before_its_declaration():
    assert slang_problems({}, rtl_dir=patched_rtl(USED_BEFORE_DECLARED, "lint-late-wire")).startswith("slang: 1 errors")


def test_verilator_reports_a_latch():
    assert "LATCH" in lint_problems({}, rtl_dir=patched_rtl(LATCH, "lint-latch"))


def test_parameter_checks_are_checked_at_their_edges():
    """The loosened check is found at its edge (every case runs: slang elaborates each in
    milliseconds)."""
    (problem,) = elaboration_problems(rtl_dir=patched_rtl(LOOSE_CHECK, "lint-loose-check"), cases=ELABORATION_CASES)
    assert "ICACHE_LINES': 512" in problem and "is not refused" in problem


def test_verilator_refuses_an_illegal_configuration_with_its_message():
    """make lint elaborates the edge cases with slang; Verilator, which builds the
    simulations, stops at the same elaboration-time $error (rtl/elaboration_error.sv)."""
    overrides, message = next(case for case in ELABORATION_CASES if case[1])
    result = lint(overrides, warnings=False)
    assert result.returncode != 0 and message in result.stdout + result.stderr


def test_ruff_and_mypy_report_a_planted_fault(tmp_path):
    """The Python checks of make lint, with the project's settings, can fail: an unused
    import for ruff, a str passed where an int is expected for mypy."""
    source = tmp_path / "planted.py"
    source.write_text('import os\n\n\ndef double(x: int) -> int:\n    return 2 * x\n\n\ndouble("two")\n')
    assert "F401" in ruff_problems([str(source)])
    assert "arg-type" in mypy_problems([str(source)])
    source.write_text("def double(x: int) -> int:\n    return 2 * x\n\n\ndouble(2)\n")
    assert ruff_problems([str(source)]) == "" and mypy_problems([str(source)]) == ""
    assert ruff_format_problems([str(source)]) == ""
    source.write_text("def double(x: int) -> int:\n    return 2*x\n")  # not as ruff formats it
    assert "planted.py" in ruff_format_problems([str(source)])
