# SPDX-License-Identifier: MIT
"""docs/lang.md shows what the compiler prints: each IR excerpt after its pass, the
register assignment and the assembly of docs/examples/row_sums.py, and the kernel source."""

from __future__ import annotations

import re

import pytest

from tinygpu.lang.compiler import compile_file, ir_of
from tinygpu.paths import REPO_ROOT

DOC = REPO_ROOT / "docs" / "lang.md"
EXAMPLE = "docs/examples/row_sums.py"
MARKED = re.compile(r"<!-- (ir: \w+|asm) -->\n```\n(.*?)```", re.DOTALL)


def contiguous(excerpt: list[str], lines: list[str]) -> bool:
    return any(lines[k : k + len(excerpt)] == excerpt for k in range(len(lines) - len(excerpt) + 1))


def marked_blocks() -> list[tuple[str, str]]:
    return MARKED.findall(DOC.read_text())


def test_the_document_marks_every_pass() -> None:
    marks = [mark for mark, _ in marked_blocks()]
    assert marks == [
        "ir: lower",
        "ir: fold_constants",
        "ir: remove_dead_code",
        "ir: coalesce_moves",
        "ir: hoist_constants",
        "ir: reuse_values",
        "ir: allocate_registers",
        "asm",
    ]


@pytest.mark.parametrize(("mark", "block"), marked_blocks(), ids=lambda value: value[:24])
def test_each_block_is_what_the_compiler_prints(monkeypatch: pytest.MonkeyPatch, mark: str, block: str) -> None:
    monkeypatch.chdir(REPO_ROOT)
    compiled = compile_file(EXAMPLE)
    printed = compiled.assembly if mark == "asm" else ir_of(compiled, mark.removeprefix("ir: "))
    assert contiguous(block.splitlines(), printed.splitlines()), f"{mark}: the compiler prints\n{printed}"


def test_the_example_source_is_the_file() -> None:
    text = DOC.read_text()
    source = (REPO_ROOT / EXAMPLE).read_text()
    shown = text[text.index("```python\nN = 2") :].split("```")[1].removeprefix("python\n")
    assert shown in source
