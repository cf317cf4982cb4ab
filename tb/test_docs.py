# SPDX-License-Identifier: MIT
"""Every figure the README and docs show is produced or checked by a command: this file
checks those that other commands produce.

- the README's `make run` example is what `make run` prints (the runner is run here, on
  Icarus);
- cycle counts in the README's prose and tables are the cycle gate's baseline
  (tb/cycle_baseline.json, which `make test` checks against the RTL), and tiny-gpu's
  figures and the speed-ups are bench.py's;
- the goals the README quotes are the constants `make bench` judges by;
- the default configuration's Fmax and area are the synthesis baseline's;
- every `NAME = value` or `NAME` (default value) of a gpu parameter in the README and
  docs/ is rtl/gpu.sv's default;
- the README and docs speak to users: no tracker issue.

Tables written by a command (the formal and synthesis tables) are that command's own.
"""

from __future__ import annotations

import json
import re

import pytest

from tinygpu import bench, run_kernel, synth
from tinygpu.cli import run as run_cli
from tinygpu.configs import GPU_DEFAULTS, PORT_DEFAULTS
from tinygpu.paths import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text()
DOCS = {path.name: path.read_text() for path in sorted((REPO_ROOT / "docs").glob("*.md"))}
CYCLES = bench.load_baseline()


def readme_block_after(first_line: str) -> list[str]:
    """The lines of the README code block that starts with `first_line` (without it)."""
    match = re.search(re.escape(first_line) + r"\n(.*?)\n```", README, re.S)
    assert match, f"README has no code block starting with {first_line!r}"
    return match.group(1).splitlines()


@pytest.mark.sim
def test_readme_make_run_example_is_what_make_run_prints(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(run_kernel, "RUN_ROOT", tmp_path)
    assert run_cli.main([]) == 0
    shown = readme_block_after("$ make run")
    printed = capsys.readouterr().out.splitlines()
    assert printed[: len(shown)] == shown


def test_readme_cycle_counts_are_the_baselines():
    default = CYCLES["default"]
    prose = re.search(
        r"with a 1-cycle memory matadd\s+takes \*\*(\d+)\*\* cycles, matmul \*\*(\d+)\*\* and the "
        r"six-block kernel (\d+) \(tiny-gpu: (\d+), (\d+) and\s+(\d+)\); with an 8-cycle memory "
        r"(\d+), (\d+) and (\d+)\.",
        README,
    )
    assert prose, "the README's performance sentence changed: update this test"
    kernels = ("matadd", "matmul", "six_blocks")
    assert [int(n) for n in prose.groups()] == (
        [default[k]["1"] for k in kernels]
        + [bench.TINY_GPU_CYCLES[k] for k in kernels]
        + [default[k]["8"] for k in kernels]
    )
    speedups = re.search(r"matadd (\d+\.\d)x, matmul (\d+\.\d)x with a\s+1-cycle memory", README)
    assert speedups and [float(s) for s in speedups.groups()] == [
        round(bench.TINY_GPU_CYCLES[k] / default[k]["1"], 1) for k in ("matadd", "matmul")
    ]

    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| (\d+) / (\d+) \| (\d+) / (\d+) \|$", README, re.M)
    assert len(rows) >= 5, "the README's kernel table changed: update this test"
    axi = CYCLES["axi"]
    assert [(k, int(a), int(b), int(c), int(d)) for k, a, b, c, d in rows] == [
        (k, default[k]["1"], default[k]["8"], axi[k]["1"], axi[k]["8"]) for k, *_ in rows
    ]

    shared = re.findall(
        r"\(`(\w+)` / `(\w+)`\) \| (\d+) / (\d+) \((\d+\.\d+)x\) \| (\d+) / (\d+) \((\d+\.\d+)x\) \|", README
    )
    assert len(shared) == 3, "the README's shared-memory table changed: update this test"
    for through_global, through_shared, *figures in shared:
        expected = []
        for config in ("one_warp", "default"):
            g, s = CYCLES[config][through_global]["8"], CYCLES[config][through_shared]["8"]
            expected += [str(g), str(s), f"{g / s:.2f}"]
        assert figures == expected, (through_global, through_shared)


def test_readme_goals_are_the_ones_bench_judges_by():
    assert f"goal >= {100 * bench.SPEED_GOAL:.0f} %" in README
    assert f"goal >= {bench.ICARUS_SPEED_GOAL:,d}" in README
    assert f"more than {100 * bench.TOLERANCE:.0f} % above it" in README


def test_readme_bench_and_synthesis_settings_are_the_tools_own():
    assert f"launched {bench.SPEED_LAUNCHES} times" in README
    assert re.search(rf"the HX8K \({synth.HX8K.logic} logic cells, {synth.HX8K.pins}\s+pins\)", README)
    percent = f"{100 * synth.TOLERANCE:.0f} %"
    assert re.search(rf"more than {percent} up, Fmax more\s+than {percent} down", README)
    assert re.search(rf"seed and aim at {synth.TARGET_MHZ:g} MHz", README)
    assert f"above the {synth.TARGET_MHZ:g} MHz that `make synth` aims at" in README
    shown = re.search(r"compares against: matadd (\d+), matmul (\d+)\.", DOCS["tiny-gpu.md"])
    assert shown and [int(n) for n in shown.groups()] == [
        bench.TINY_GPU_CYCLES["matadd"],
        bench.TINY_GPU_CYCLES["matmul"],
    ]


def test_readme_default_fmax_and_area_are_the_synthesis_baselines():
    default = json.loads(synth.BASELINE_FILE.read_text())["default"]
    sentence = re.search(
        r"The default configuration runs at ([\d.]+) MHz\*\* on an ECP5 (\S+) \(([\d,]+) iCE40\s+LUTs\)", README
    )
    assert sentence, "the README's synthesis sentence changed: update this test"
    assert float(sentence.group(1)) == round(default["fmax_mhz"], 1)
    assert default["device"].startswith(f"ECP5 {sentence.group(2)} ")
    assert int(sentence.group(3).replace(",", "")) == default["area"]


@pytest.mark.parametrize("name", ["README.md", *DOCS])
def test_gpu_parameter_defaults_in_the_docs_are_gpu_svs(name):
    text = README if name == "README.md" else DOCS[name]
    wrong = []
    for parameter, value in {**PORT_DEFAULTS["axi"], **GPU_DEFAULTS}.items():
        for pattern in (rf"`{parameter} = (\d+)`", rf"`{parameter}` \(default (\d+)"):
            wrong += [f"{parameter} = {shown}" for shown in re.findall(pattern, text) if int(shown) != value]
    assert not wrong, f"{name} shows defaults that are not rtl/gpu.sv's or rtl/gpu_axi.sv's: {wrong}"


def test_readme_versions_are_the_pinned_ones():
    pinned = dict(
        line.split("==")
        for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    shown = re.findall(r"`([\w-]+)==([\w.]+)`", README)
    assert shown and all(pinned.get(name) == version for name, version in shown), (shown, pinned)


def test_make_help_names_what_formal_proves():
    """make help names every block formal/ holds a harness for (BLOCK_formal.sv)."""
    help_line = next(line for line in (REPO_ROOT / "Makefile").read_text().splitlines() if line.startswith("formal:"))
    blocks = [path.stem.removesuffix("_formal") for path in sorted((REPO_ROOT / "formal").glob("*_formal.sv"))]
    assert blocks
    for block in blocks:
        assert block in help_line, f"make help does not name {block}: {help_line}"


@pytest.mark.parametrize("name", ["README.md", *DOCS])
def test_docs_name_no_tracker_issue(name):
    text = README if name == "README.md" else DOCS[name]
    # (a GPU issues instructions: "issue" alone is fine, "the ISSUE stage" too)
    found = re.findall(r"[^.\n]*\b(?:[Ii]ssues? #?\d+|[Ii]ssue's|the issue\b(?! (?:stage|slot|width)))[^.\n]*", text)
    assert not found, found
