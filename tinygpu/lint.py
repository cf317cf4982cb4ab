# SPDX-License-Identifier: MIT
"""Lint rtl/ with `verilator --lint-only -Wall` (and slang), once per configuration in
tb/configs.toml, and the Python with ruff (lint) and mypy (types), as pyproject.toml
configures them.

Every waiver lives in the RTL next to the code it excuses, with its reason. Each function
returns the complaints as text ('' when clean); tinygpu-lint prints them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import sim as simulator
from .configs import AXI_ELABORATION_CASES, ELABORATION_CASES
from .paths import REPO_ROOT

# The define that gives the GPU its trace port (rtl/gpu.sv): lint checks the GPU with it
# (what simulations build) and without it (what synthesis sees).
TRACE_DEFINE = "GPU_TRACE"


def lint(
    parameters: dict[str, int],
    *,
    rtl_dir: Path | None = None,
    warnings: bool = True,
    trace: bool = True,
    top: str = "gpu",
) -> subprocess.CompletedProcess:
    """`verilator --lint-only [-Wall]` of module `top` with these parameters (of rtl/, or
    of a modified copy in `rtl_dir`), with its trace port or without."""
    simulator.setup_tool_environment()
    command = ["verilator", "--lint-only", "--top-module", top] + (["-Wall"] if warnings else [])
    command += [f"-D{TRACE_DEFINE}"] if trace else []
    command += [f"-G{name}={value}" for name, value in parameters.items()]
    command += [str(path) for path in simulator.rtl_sources(rtl_dir)]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)


def lint_problems(
    parameters: dict[str, int], *, rtl_dir: Path | None = None, trace: bool = True, top: str = "gpu"
) -> str:
    """Verilator -Wall's complaints about this configuration ('' when clean)."""
    result = lint(parameters, rtl_dir=rtl_dir, trace=trace, top=top)
    messages = (result.stdout + result.stderr).strip()
    if result.returncode != 0 or "%Warning" in messages or "%Error" in messages:
        return messages or f"verilator exited {result.returncode}"
    return ""


def elaboration_problems(
    *, rtl_dir: Path | None = None, cases: list[tuple[dict[str, int], str | None]] | None = None
) -> list[str]:
    """Each edge case of ELABORATION_CASES and AXI_ELABORATION_CASES (or of `cases`, for
    gpu) that elaborates when it must not, or the other way round ([] when the parameter
    checks are right). slang elaborates them (a few milliseconds each, where Verilator
    takes seconds); tb/test_lint.py shows Verilator refuses one with its message too."""
    problems = []
    chosen = (
        [("gpu", case) for case in ELABORATION_CASES] + [("gpu_axi", case) for case in AXI_ELABORATION_CASES]
        if cases is None
        else [("gpu", case) for case in cases]
    )
    for top, (overrides, message) in chosen:
        errors = slang_errors(overrides, top=top, rtl_dir=rtl_dir)
        if message is None and errors:
            problems.append(f"legal configuration {top} {overrides} is refused: {errors.strip()[:200]}")
        elif message is not None and message not in errors:
            problems.append(f"illegal configuration {top} {overrides} is not refused with {message!r}")
    return problems


def slang_errors(parameters: dict[str, int], *, top: str = "gpu", rtl_dir: Path | None = None) -> str:
    """The errors (not warnings) slang reports elaborating `top` of rtl/ (or of `rtl_dir`)
    with these parameters, as text ('' when it elaborates)."""
    import pyslang  # imported late: only lint needs it

    driver = pyslang.driver.Driver()
    driver.addStandardArgs()
    command = ["slang", "--top", top, *(f"-G{name}={value}" for name, value in parameters.items())]
    command += [str(path) for path in simulator.rtl_sources(rtl_dir)]
    if not (
        driver.parseCommandLine(" ".join(command), pyslang.driver.CommandLineOptions())
        and driver.processOptions()
        and driver.parseAllSources()
    ):
        return f"slang could not read the sources: {' '.join(command)}"
    compilation = driver.createCompilation()  # kept alive: the diagnostics point into it
    errors = [d for d in compilation.getAllDiagnostics() if d.isError()]
    return pyslang.DiagnosticEngine.reportAll(driver.sourceManager, errors) if errors else ""


def slang_problems(
    parameters: dict[str, int],
    *,
    top: str = "gpu",
    extra_sources: list[Path] | None = None,
    rtl_dir: Path | None = None,
    trace: bool = True,
    defines: dict[str, object] | None = None,
) -> str:
    """slang (pyslang), a strict SystemVerilog front end, elaborating `top` with these
    parameters under its default warning set: '' when it reports nothing, else a count
    (slang prints the diagnostics themselves, with source lines, on stdout). It finds
    what Icarus and Verilator let through, such as a signal used before its declaration
    or a hierarchical name in a constant expression."""
    import pyslang  # imported late: only lint needs it

    sources = [str(path) for path in simulator.rtl_sources(rtl_dir)] + [str(p) for p in extra_sources or []]
    driver = pyslang.driver.Driver()
    driver.addStandardArgs()
    command = [
        "slang",
        "--top",
        top,
        *(f"-G{name}={value}" for name, value in parameters.items()),
        *([f"-D{TRACE_DEFINE}"] if trace else []),
        *(f"-D{name}" for name in defines or {}),
        *sources,
    ]
    ok = (
        driver.parseCommandLine(" ".join(command), pyslang.driver.CommandLineOptions())
        and driver.processOptions()
        and driver.parseAllSources()
    )
    if not ok:
        return f"slang could not read the sources: {' '.join(command)}"
    driver.reportCompilation(driver.createCompilation(), True)
    errors, warnings = driver.diagEngine.numErrors, driver.diagEngine.numWarnings
    return f"slang: {errors} errors, {warnings} warnings (above)" if errors or warnings else ""


# What ruff checks (mypy's files are set in pyproject.toml: the package and scripts/).
PYTHON_SOURCES = ("tinygpu", "scripts", "tb", "kernels")


def ruff_problems(paths: list[str] | None = None) -> str:
    """ruff's complaints about the Python sources ('' when clean)."""
    return _python_tool(["ruff", "check", "--quiet", *(paths or PYTHON_SOURCES)])


def ruff_format_problems(paths: list[str] | None = None) -> str:
    """The files `ruff format` would change ('' when every one is formatted)."""
    return _python_tool(["ruff", "format", "--check", "--quiet", *(paths or PYTHON_SOURCES)])


def mypy_problems(paths: list[str] | None = None) -> str:
    """mypy's complaints about the package and scripts, or about `paths` ('' when clean)."""
    return _python_tool(["mypy", "--no-error-summary", *(paths or [])])


def _python_tool(command: list[str]) -> str:
    """Run a Python tool of the .venv from the repository (its pyproject.toml configures it)."""
    result = subprocess.run([sys.executable, "-m", *command], cwd=REPO_ROOT, capture_output=True, text=True)
    messages = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        return messages or f"{command[0]} exited {result.returncode}"
    return ""
