# SPDX-License-Identifier: MIT
"""Reading and writing the plain hex files that `$readmemh` and the Python tools share.

A hex file holds one value per line, written with a fixed number of hex digits: 4 for
program words, 2 for data bytes. Reading also accepts blank lines, several values on one
line and `//` comments, as `$readmemh` does; address markers (`@10`) are not supported.

Writing is atomic: the text goes to a temporary file in the destination folder, which is
renamed over the destination only once complete, so a failed run never leaves a partial
or stale-looking output behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path


def format_hex(values: Iterable[int], digits: int) -> str:
    """One value per line, zero-padded to `digits` lowercase hex digits."""
    limit = 16**digits
    lines = []
    for value in values:
        if not 0 <= value < limit:
            raise ValueError(f"value {value} does not fit in {digits} hex digits")
        lines.append(f"{value:0{digits}x}\n")
    return "".join(lines)


def parse_hex(text: str, source: str = "<string>") -> list[int]:
    """Values of a hex file's text, in order."""
    values = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        for token in line.split("//", 1)[0].split():
            if token.startswith("@"):
                raise ValueError(f"{source}:{line_number}: address markers are not supported")
            try:
                values.append(int(token, 16))
            except ValueError:
                raise ValueError(f"{source}:{line_number}: not a hex number: {token!r}") from None
    return values


def read_hex(path: str | os.PathLike[str]) -> list[int]:
    """Values of the hex file at `path`."""
    return parse_hex(Path(path).read_text(), source=str(path))


def write_text_atomically(files: Sequence[tuple[str | os.PathLike[str], str]]) -> None:
    """Write each (path, text) pair; no destination is touched until every text is on disk."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files:
            destination = Path(path)
            handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".tmp")
            with os.fdopen(handle, "w") as stream:
                stream.write(text)
            staged.append((temporary, destination))
        for temporary, destination in staged:
            os.replace(temporary, destination)
    finally:
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)
