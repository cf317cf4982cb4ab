# SPDX-License-Identifier: MIT
"""Errors of a Python kernel, at their source position: `file.py:LINE:COL: error: ...`.

A compile error has the assembler's shape (tinygpu.assembler.AsmError: file, line,
column, the source line for a caret, and `all_errors`), so every tool prints both the same
way (`format_errors`). The compiler collects every error of a file before it stops.
"""

from __future__ import annotations

import ast

from ..assembler import AsmError


class CompileError(AsmError):
    """A Python kernel the compiler refuses; `all_errors` holds every error of the file."""


class ErrorList:
    """The errors found so far in one file, in source order when raised."""

    def __init__(self, filename: str, lines: list[str]) -> None:
        self.filename = filename
        self.lines = lines
        self.errors: list[CompileError] = []

    def add(self, node: ast.AST | None, message: str, *, line: int = 0, column: int = 0) -> None:
        """Record `message` at `node` (or at line/column, 1-based, when there is no node)."""
        if node is not None:
            line = getattr(node, "lineno", 1)
            column = getattr(node, "col_offset", 0) + 1
        line = max(line, 1)
        source = self.lines[line - 1] if line <= len(self.lines) else ""
        self.errors.append(CompileError(message, self.filename, line, max(column, 1), source))

    def raise_if_any(self) -> None:
        """Raise the first error (carrying all of them, sorted by position) if there is one."""
        if not self.errors:
            return
        ordered = sorted(self.errors, key=lambda e: (e.line, e.column))
        unique: list[AsmError] = [e for k, e in enumerate(ordered) if k == 0 or str(e) != str(ordered[k - 1])]
        first = unique[0]
        first.all_errors = unique
        raise first
