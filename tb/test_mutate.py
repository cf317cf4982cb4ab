# SPDX-License-Identifier: MIT
"""The mutant generator of `make mutate` and its verdicts (pure Python, with a fake run; one
test runs Verilator's lint on a two-line module to pin its message format)."""

from __future__ import annotations

import re

from tinygpu.mutate import (
    Mutant,
    Verdict,
    all_mutants,
    judge,
    kill_rate,
    line_mutants,
    lint_findings,
    load_equivalents,
    report,
    sample,
)
from tinygpu.sim import BuildError, SimulationError


def changes(line: str) -> set[tuple[str, str]]:
    return {(m.operator, m.mutated.strip()) for m in line_mutants("x.sv", 1, line)}


def test_each_operator_makes_its_change():
    found = changes("      if (read_valid_q && mem_read_ready) begin")
    assert ("negate", "if (!(read_valid_q && mem_read_ready)) begin") in found
    assert ("logical", "if (read_valid_q || mem_read_ready) begin") in found
    assert ("relational", "assign any = (live_q == '0);") in changes("  assign any = (live_q != '0);")
    assert ("arithmetic", "next_d = count - 1'b1;") in changes("    next_d = count + 1'b1;")
    assert ("constant", "valid_d = 1'b1;") in changes("      valid_d = 1'b0;")
    assert ("delete", ";") in changes("      valid_d = 1'b0;")
    assert {("delete", "assign ready = '0;"), ("delete", "assign ready = '1;")} <= changes("  assign ready = valid;")


def test_declarations_comments_and_part_selects_are_left_alone():
    assert changes("  logic [DATA_BITS-1:0] address_q;") == set()
    assert changes("  // if (a == b) this is a comment") == set()
    assert not any(op in ("arithmetic", "constant") for op, _ in changes("    x = data[k*W +: W];"))


def test_the_sample_is_repeatable_and_fenced_code_is_not_mutated():
    mutants = all_mutants()
    assert len(mutants) > 300
    assert sample(mutants, 40, seed=5) == sample(mutants, 40, seed=5) != sample(mutants, 40, seed=6)
    assert not any("default: state_d = S_IDLE" in m.original for m in mutants)  # coverage_off fence


def test_every_equivalent_entry_names_a_mutant_that_exists():
    """A stale entry (its line changed) would silently excuse nothing; a wrong one could
    excuse a real survivor. Each must match a mutant of the current rtl/."""
    existing = {(m.file, m.original.strip(), m.mutated.strip()) for m in all_mutants()}
    entries = load_equivalents()
    assert entries
    for entry in entries:
        assert (entry.file, entry.original, entry.mutated) in existing, entry
        assert len(entry.reason) > 40, entry


def test_a_mutant_edit_is_unique_in_its_file():
    mutant = Mutant("x.sv", 2, "constant", "  a = 1'b0;", "  a = 1'b1;")
    edit = mutant.edit(["  a = 1'b0;", "  a = 1'b0;", "  b = c;"])
    assert edit.original == "  a = 1'b0;\n  a = 1'b0;" and edit.replacement == "  a = 1'b0;\n  a = 1'b1;"


# ---- the verdict on one mutant (a fake run: no simulator) -------------------------------

SYNTAX_ERROR = """%Error: build/mutate/rtl/m0056/pc_unit.sv:56:19: syntax error, unexpected assert
   56 |     if (!(!reset) assert ($onehot(nzp_q)) else $error("pc_unit: NZP %b is not one-hot", nzp_q));
%Error: Exiting due to 1 error(s)"""
UNUSED = """%Warning-UNUSEDSIGNAL: build/mutate/rtl/m0080/lsu.sv:80:9: Signal is not used: 'pending'
%Error: Exiting due to 1 warning(s)"""
# Verilator's words when gpu.sv:95's check, negated, refused the default configuration:
PARAMETER_CHECK = (
    "%Warning-USERERROR: build/mutate/rtl/m0095/elaboration_error.sv:12:3: gpu: "
    "PROGRAM_MEM_NUM_CHANNELS must be 1..NUM_CORES\n%Error: Exiting due to 1 warning(s)"
)


def never_run() -> str:
    raise AssertionError("a mutant that does not compile was simulated")


def raising(error: Exception):
    def run() -> str:
        raise error

    return run


def test_a_mutant_that_does_not_compile_is_invalid_not_killed():
    status, reason = judge(SYNTAX_ERROR, never_run)
    assert status == "invalid" and reason.startswith("does not compile: %Error: ") and "syntax error" in reason
    status, reason = judge("", raising(BuildError("iverilog: pc_unit.sv:56: syntax error")))
    assert (status, reason) == ("invalid", "does not compile: iverilog: pc_unit.sv:56: syntax error")


def test_a_lint_warning_alone_is_a_lint_only_kill_and_behaviour_wins_over_it():
    assert judge(UNUSED, lambda: "") == ("lint-only", "lint: " + UNUSED.splitlines()[0])
    assert judge(UNUSED, lambda: "matadd on default: lock-step check failed") == (
        "killed",
        "matadd on default: lock-step check failed",
    )


def test_a_run_that_leaves_no_output_gets_a_verdict_not_an_exception():
    missing = FileNotFoundError(2, "No such file or directory", "build/mutate/runs/m0100/default/memory_3.hex")
    assert judge("", raising(missing)) == ("killed", "no output: the simulation stopped before writing memory_3.hex")
    assert judge("", raising(SimulationError("vvp: assertion failed\nmore"))) == (
        "killed",
        "simulation failed: vvp: assertion failed",
    )


def test_the_parameter_checks_refusing_the_default_is_a_behaviour_kill_and_clean_survives():
    status, reason = judge(PARAMETER_CHECK, never_run)
    assert status == "killed" and reason.startswith("parameter checks: ")
    assert judge("", lambda: "") == ("survived", "")


def test_the_score_counts_only_behaviour_kills_of_valid_non_equivalent_mutants():
    mutant = Mutant("x.sv", 1, "constant", "a = 1'b0;", "a = 1'b1;")
    verdicts = [
        Verdict(mutant, status)
        for status in ("killed", "killed", "killed", "lint-only", "survived", "equivalent", "invalid")
    ]
    assert kill_rate(verdicts) == (3, 5, 60.0)
    text = report(verdicts, total=7, seed=1, seconds=1)
    assert "| 3 | 1 | 1 | 1 | 1 | **60.0 %** (3 of 5) |" in text
    assert "## Lint-only" in text and "## Invalid (do not compile)" in text


def test_real_verilator_output_is_read_as_the_tests_above_assume(tmp_path):
    """Verilator's own words for a syntax error (the mutant pc_unit.sv:56 made one) and an
    unused signal."""
    import subprocess

    from tinygpu import sim

    sim.setup_tool_environment()
    source = tmp_path / "m.sv"
    source.write_text("module m(input logic a, input logic b, output logic y);\n  assign y = a;\nendmodule\n")
    unused = subprocess.run(["verilator", "--lint-only", "-Wall", str(source)], capture_output=True, text=True)
    error, warning = lint_findings(unused.stdout + unused.stderr)
    assert error == "" and warning.startswith("%Warning-UNUSEDSIGNAL:")
    source.write_text("module m(input logic a, output logic y);\n  if (!(!a) assign y = a;\nendmodule\n")
    broken = subprocess.run(["verilator", "--lint-only", "-Wall", str(source)], capture_output=True, text=True)
    error, _ = lint_findings(broken.stdout + broken.stderr)
    assert "syntax error" in error and judge(broken.stdout + broken.stderr, never_run)[0] == "invalid"


def test_text_inside_a_string_is_not_mutated():
    line = '    if (!reset) assert ($onehot(nzp_q)) else $error("pc_unit: NZP %b is not one-hot", nzp_q);'
    assert not any("one+hot" in m.mutated for m in line_mutants("pc_unit.sv", 56, line))
    strings = re.compile(r'"[^"]*"')
    assert all(strings.findall(m.original) == strings.findall(m.mutated) for m in all_mutants())
