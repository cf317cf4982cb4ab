"""The mutant generator of `make mutate` (pure Python: no simulator)."""

from __future__ import annotations

from tinygpu.mutate import Mutant, all_mutants, line_mutants, load_equivalents, sample


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
