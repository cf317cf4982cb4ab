# SPDX-License-Identifier: MIT
"""Modified copies of rtl/: one exact text edit, for fault injection and mutation testing.

A test that wants to see the suite catch a bug plants it in a *copy* of rtl/ and builds
the harness from that copy (``run_jobs(..., rtl_dir=...)``); the real sources are never
touched, so nothing of it can reach synthesis. An edit names the text it replaces, which
must occur exactly once in its file: when the RTL changes so that an edit no longer
applies, the edit fails loudly instead of silently testing nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .paths import BUILD_DIR, RTL_DIR

PATCHED_RTL_ROOT = BUILD_DIR / "patched_rtl"


class EditDoesNotApply(ValueError):
    """The edit's original text is not in its file exactly once."""


@dataclass(frozen=True)
class RtlEdit:
    """Replace `original` (which must occur exactly once) in rtl/`file` by `replacement`."""

    file: str  # relative to rtl/, e.g. "core.sv"
    original: str
    replacement: str

    def apply(self, rtl_dir: Path = RTL_DIR) -> str:
        """The file's text with the edit applied; EditDoesNotApply when it cannot be."""
        text = (Path(rtl_dir) / self.file).read_text()
        count = text.count(self.original)
        if count != 1:
            raise EditDoesNotApply(
                f"rtl/{self.file}: the text to replace occurs {count} times (must be once): {self.original!r}"
            )
        return text.replace(self.original, self.replacement)


def patched_rtl(edit: RtlEdit, label: str, root: Path = PATCHED_RTL_ROOT) -> Path:
    """A copy of rtl/ with `edit` applied; returns the copy's folder.

    The folder is named after `label` and a digest of the whole result (every file of
    rtl/, with the edit), so it is reused only when nothing changed (a file added to rtl/
    makes a new copy), and written under a temporary name and renamed into place, so
    concurrent test workers never see half a copy.
    """
    new_text = edit.apply()
    digest_of = hashlib.sha256(f"{edit.file}\0{new_text}".encode())
    for path in sorted(RTL_DIR.iterdir()):
        if path.is_file():
            digest_of.update(f"\0{path.name}\0".encode() + path.read_bytes())
    digest = digest_of.hexdigest()[:12]
    target = Path(root) / f"{label}-{digest}"
    if target.is_dir():
        return target
    Path(root).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{label}-", dir=root))
    try:
        shutil.copytree(RTL_DIR, staging, dirs_exist_ok=True)
        (staging / edit.file).write_text(new_text)
        try:
            os.rename(staging, target)
        except OSError:  # another worker renamed an identical copy into place first
            if not target.is_dir():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target
