# SPDX-License-Identifier: MIT
"""Generated tables in README.md: the text between a pair of marker comments."""

from __future__ import annotations

from pathlib import Path

from .paths import REPO_ROOT

README: Path = REPO_ROOT / "README.md"


def replace_section(begin: str, end: str, body: str, readme: Path = README) -> bool:
    """Put `body` between the markers `begin` and `end`; True when the file changed."""
    text = readme.read_text()
    if begin not in text or end not in text:
        raise ValueError(f"{readme}: no markers {begin!r} ... {end!r}")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    new = f"{head}{begin}\n{body}\n{end}{tail}"
    if new != text:
        readme.write_text(new)
    return new != text
