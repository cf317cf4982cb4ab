# SPDX-License-Identifier: MIT
"""The compiler fuzzer (tinygpu.lang.randkernel, tinygpu.lang_fuzz): a sample of random
Python kernels checked against the ISA model (all) and the RTL (a few, one simulator),
the kept regressions in tb/lang_regressions/, and proof that the fuzzer finds and shrinks
a planted compiler fault. Campaigns: `make fuzz-python`.
"""

from __future__ import annotations

import ast
import collections
from pathlib import Path

import pytest

from tinygpu import lang_fuzz
from tinygpu.checks import guarded_memory
from tinygpu.configs import get_config
from tinygpu.lang import codegen, ir, optimize, regalloc
from tinygpu.lang import execute as execute_module
from tinygpu.lang.compiler import compile_file, compile_text
from tinygpu.lang.execute import Byte
from tinygpu.lang.optimize import byte_arithmetic as _byte_arithmetic
from tinygpu.lang.optimize import interference
from tinygpu.lang.randkernel import random_kernel, shrink
from tinygpu.lang_check import python_against_model
from tinygpu.paths import LANG_REGRESSIONS_DIR

SAMPLE = range(1, 31)  # the seeds `make test` checks against the model (fast: plain Python)
RTL_SAMPLE = range(1, 9)  # and on the RTL, in one simulator process


def test_random_kernels_are_reproducible_and_use_the_whole_language() -> None:
    assert random_kernel(7) == random_kernel(7) != random_kernel(8)
    texts = "\n".join(random_kernel(seed) for seed in range(40))
    for feature in (
        "while ",
        "for ",
        "range(",
        "elif ",
        "else:",
        "break",
        "continue",
        "return",
        "barrier()",
        "tile[",
        " and ",
        " or ",
        "not ",
        "%=",
        "//",
    ):
        assert feature in texts, feature


def test_fuzz_sample_agrees_with_the_model() -> None:
    totals: collections.Counter[str] = collections.Counter()
    for seed in SAMPLE:
        outcome = lang_fuzz.Outcome(seed, random_kernel(seed))
        lang_fuzz.model_check(outcome.text, f"seed{seed}.py", outcome)
        assert not outcome.failures, f"seed {seed}:\n{outcome.text}\n" + "\n".join(outcome.failures)
        totals.update(outcome.counts)
    assert totals["model agrees"] >= 3 * len(SAMPLE), totals  # most kernels compile and are defined


@pytest.mark.sim
def test_fuzz_sample_on_the_rtl(tmp_path: Path) -> None:
    kernels = [
        (seed, compiled)
        for seed in RTL_SAMPLE
        if (compiled := lang_fuzz.compile_or_none(random_kernel(seed), f"seed{seed}.py")) is not None
    ]
    problems = lang_fuzz.rtl_check(kernels, "verilator", get_config("default"), tmp_path)
    assert len(problems) >= 5, "too few sample kernels ran on the RTL"
    assert not any(problems.values()), "\n".join(p for found in problems.values() for p in found)


def test_a_planted_compiler_fault_is_found_and_shrunk(monkeypatch: pytest.MonkeyPatch) -> None:
    """SUB compiled as ADD: the sample finds it, and shrinking keeps a few lines that show it."""
    monkeypatch.setitem(codegen._MNEMONICS, "sub", "ADD")
    found = None
    for seed in SAMPLE:
        outcome = lang_fuzz.Outcome(seed, random_kernel(seed))
        lang_fuzz.model_check(outcome.text, f"seed{seed}.py", outcome)
        if outcome.failing_dim is not None:
            found = outcome
            break
    assert found is not None and found.failing_dim is not None, "the planted fault went unnoticed"
    dim = found.failing_dim
    small = shrink(found.text, lambda text: lang_fuzz.model_disagrees(text, found.seed, dim))
    assert lang_fuzz.model_disagrees(small, found.seed, dim)

    def statements(text: str) -> int:
        function = next(node for node in ast.parse(text).body if isinstance(node, ast.FunctionDef))
        return sum(isinstance(node, ast.stmt) for node in ast.walk(function)) - 1

    function = next(node for node in ast.parse(small).body if isinstance(node, ast.FunctionDef))
    body = ast.unparse(function)
    assert statements(small) <= 6 and ("-" in body or "%" in body), small  # x % y is x - (x // y) * y
    assert statements(small) < statements(found.text)


def test_shrinking_keeps_what_the_predicate_needs() -> None:
    text = next(t for t in map(random_kernel, range(100)) if "barrier()" in t)
    small = shrink(text, lambda candidate: "barrier()" in candidate and "tile[" in candidate)
    assert "barrier()" in small and "tile[" in small and len(small) < len(text)


@pytest.mark.parametrize("path", sorted(LANG_REGRESSIONS_DIR.glob("*.py")), ids=lambda path: path.stem)
def test_kept_regression(path: Path) -> None:
    """Every kernel the fuzzer once failed on, compiled again, against the model at every
    block size where its Python execution is defined."""
    compiled = compile_file(path)
    agreed = 0
    for block_dim in range(1, 9):
        problems = python_against_model(
            compiled, guarded_memory(compiled.program.data, block_dim), compiled.source.threads, block_dim
        )
        assert not problems or problems[0].startswith("the Python execution is not defined"), problems
        agreed += not problems
    assert agreed, "the kept kernel is defined at no block size: it checks nothing"


def test_a_wrong_regression_fails(tmp_path: Path) -> None:
    """The regression check can fail: a kept kernel whose compiled program is wrong."""
    compiled = compile_text(random_kernel(2), "kept.py")
    assert python_against_model(compiled, list(compiled.program.data), compiled.source.threads, 4) == []
    words = compiled.program.words
    stores = [n for n, word in enumerate(words) if word >> 12 == 0x8]
    words[stores[-1]] = 0  # the last STR becomes a NOP
    assert python_against_model(compiled, list(compiled.program.data), compiled.source.threads, 4) != []


# ---- the fuzz sample finds planted faults in every part of the compiler ---------------


def _drop_backward_edges(code, *, moves_free):  # type: ignore[no-untyped-def]
    graph = interference(code, moves_free=moves_free)
    return {temp: {n for n in near if n.number > temp.number} for temp, near in graph.items()}


PLANTED = {
    "lower: <= branches as <": lambda mp: mp.setitem(ir.CONDITIONS, "<=", 0b100),
    "fold: a - b folds to b - a": lambda mp: mp.setattr(
        optimize, "byte_arithmetic", lambda op, a, b: _byte_arithmetic(op, *((b, a) if op == "sub" else (a, b)))
    ),
    "fold and hoist: a variable written twice taken for a constant": lambda mp: mp.setattr(
        optimize, "_single_definitions", lambda code: {i.dst: i for i in code if i.dst is not None}
    ),
    "regalloc: half the interference edges lost": lambda mp: mp.setattr(regalloc, "interference", _drop_backward_edges),
    "execute: x // 0 is 0 in the reference": lambda mp: mp.setattr(
        execute_module, "_divide", lambda a, b: Byte(0 if b % 256 == 0 else (a % 256) // (b % 256))
    ),
}


@pytest.mark.parametrize("fault", PLANTED, ids=list(PLANTED))
def test_the_sample_finds_a_planted_fault(monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    PLANTED[fault](monkeypatch)
    for seed in SAMPLE:
        outcome = lang_fuzz.Outcome(seed, random_kernel(seed))
        try:
            lang_fuzz.model_check(outcome.text, f"seed{seed}.py", outcome)
        except AssertionError:  # the compiler made assembly its assembler refuses: noticed too
            return
        if outcome.failures:
            return
    raise AssertionError(f"planted fault not found by the {len(SAMPLE)}-kernel sample: {fault}")
