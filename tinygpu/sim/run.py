# SPDX-License-Identifier: MIT
"""Run the cocotb test module on a finished build; turn every failure into one exception.

``run_executable`` runs a stand-alone build (``build(main=...)``) the same way.

Waveforms: the harness calls ``$dumpfile``/``$dumpvars`` itself when it sees the plusarg
``+wave_file=<path>``; Icarus then runs with ``-fst`` (without waves, ``-none``: every
``$dump*`` is a no-op), a Verilator build needs ``waves=True``. Coverage builds write
``<test_dir>/coverage.dat`` when the simulation ends.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
from pathlib import Path
from xml.etree import ElementTree

from .build import read_build_info
from .runner import quiet_runner, test_environment
from .tools import SimulationError, check_sim, log_tail, setup_tool_environment

# Log lines in which the simulator itself reports an HDL error ($error/$fatal, failed
# assertions, Verilator runtime errors); quoted in SimulationError wherever they are.
_HDL_ERROR_RE = re.compile(r"%Error|%Fatal|^\s*(FATAL|ERROR)\b|^\S+:\d+: (error|sorry)")


def _hdl_errors(log: Path, limit: int = 10) -> list[str]:
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines if _HDL_ERROR_RE.search(line)][:limit]


def _failed_tests(results_xml: Path) -> dict[str, str]:
    """Failed/errored test cases of a cocotb results.xml: name -> traceback text."""
    failed = {}
    with contextlib.suppress(OSError, ElementTree.ParseError):
        for case in ElementTree.parse(results_xml).getroot().iter("testcase"):
            problem = case.find("failure")
            if problem is None:
                problem = case.find("error")
            if problem is not None:
                text = (problem.text or problem.get("message") or "").strip()
                failed[f"{case.get('classname')}.{case.get('name')}"] = text
    return failed


def run(
    sim: str,
    build_dir: Path,
    *,
    toplevel: str,
    test_module: str,
    test_dir: Path,
    plusargs: list[str] | None = None,
    extra_env: dict[str, str] | None = None,
    waves: bool = False,
    testcase: str | None = None,
    timeout: float | None = None,
) -> Path:
    """Run the cocotb tests of `test_module` on a finished build; return results.xml.

    test_dir:  created if needed; the simulator runs there and writes results.xml, sim.log
               (all simulator and cocotb output), <toplevel>.fst (waves=True) and
               coverage.dat (coverage builds). Use one test_dir per concurrent run.
    plusargs:  '+name=value' strings, seen by $test$plusargs/$value$plusargs in both
               simulators.
    extra_env: environment variables for the simulator process (and so for the cocotb
               test code); they win over the caller's environment.
    waves:     write <test_dir>/<toplevel>.fst via the harness' +wave_file plusarg.
    testcase:  run only this cocotb test (a comma-separated list is allowed).
    timeout:   seconds of wall time before the simulator is killed (a hung simulation
               then fails instead of eating CI's time). Default: $SIM_RUN_TIMEOUT if set,
               else no limit.

    Raises SimulationError (with the tail of sim.log) when a test failed, no test ran,
    or the simulator crashed.
    """
    check_sim(sim)
    setup_tool_environment()
    build_dir = Path(build_dir).resolve()
    info = read_build_info(build_dir)
    if info["sim"] != sim:
        raise ValueError(f"{build_dir} is a {info['sim']} build, not {sim}")
    if info["toplevel"] != toplevel:
        raise ValueError(f"{build_dir} was built for toplevel {info['toplevel']!r}, not {toplevel!r}")
    test_dir = Path(test_dir).resolve()
    test_dir.mkdir(parents=True, exist_ok=True)

    plusargs = list(plusargs or [])
    if waves:
        if sim == "verilator" and not info["waves"]:
            raise ValueError("run(waves=True) needs a Verilator build made with waves=True")
        if not any(p.startswith("+wave_file=") for p in plusargs):
            plusargs.append(f"+wave_file={test_dir / (toplevel + '.fst')}")
    coverage_file = test_dir / "coverage.dat"
    if info["coverage"]:
        coverage_file.unlink(missing_ok=True)
        plusargs.append(f"+verilator+coverage+file+{coverage_file}")

    results_xml = test_dir / "results.xml"
    log_file = test_dir / "sim.log"
    test_args = ["-n"] if sim == "icarus" else []  # vvp -n: $stop ends the run, no prompt

    runner = quiet_runner(sim)
    if timeout is None and os.environ.get("SIM_RUN_TIMEOUT"):
        timeout = float(os.environ["SIM_RUN_TIMEOUT"])

    started = time.monotonic()
    problems: list[str] = []  # what went wrong, most important first
    try:
        with test_environment(extra_env or {}, timeout):
            runner.test(
                test_module=test_module,
                hdl_toplevel=toplevel,
                hdl_toplevel_lang="verilog",
                build_dir=build_dir,
                test_dir=test_dir,
                plusargs=plusargs,
                test_args=test_args,
                # Icarus: True -> vvp -fst (FST $dumpfile), False -> vvp -none (no dumps).
                # Verilator: never True, that would open cocotb's own trace of everything.
                waves=(sim == "icarus" and waves),
                testcase=testcase,
                results_xml=str(results_xml),  # absolute: used as is, also under pytest
                log_file=log_file,
            )
    except RuntimeError as exc:  # the simulator exited non-zero (crash, $fatal, ...)
        problems.append(f"simulator exited with an error ({exc})")
    except SystemExit:
        # Under pytest the runner checks results.xml itself and calls sys.exit() on a
        # failed test: not a crash. results.xml is read below either way.
        pass
    if timeout and time.monotonic() - started >= timeout:
        # Killed by `timeout`. (Icarus catches the signal and lets cocotb write a
        # results.xml that blames the test with a SimFailure, and may even exit 0.)
        problems.insert(0, f"simulator killed after the {timeout:g} s timeout")

    from cocotb_tools.check_results import get_results

    try:
        num_tests, num_failed = get_results(results_xml)
    except RuntimeError:
        problems.append("no results.xml was written")
        num_tests, num_failed = 0, 0
    if num_failed:
        failed = _failed_tests(results_xml)
        report = f"{num_failed} of {num_tests} cocotb tests failed: {', '.join(failed)}"
        for name, text in list(failed.items())[:5]:  # the tracebacks, however long the log
            lines = text.splitlines()
            report += f"\n--- {name} ---\n" + "\n".join(lines[:30] + (["..."] if len(lines) > 30 else []))
        problems.append(report)
    elif num_tests == 0 and not problems:
        problems.append("no cocotb test ran (wrong test_module or testcase?)")
    # An HDL $error (a failed assertion) fails the run even when the simulator carries
    # on and the cocotb test passes (Icarus does not stop at $error; Verilator does).
    hdl_errors = _hdl_errors(log_file)
    if hdl_errors:
        problems.append("the simulator reported:\n" + "\n".join(hdl_errors))
    if problems:
        raise SimulationError(
            f"{sim} run of {test_module} in {test_dir}: "
            + "; ".join(problems)
            + f"\n--- last lines of {log_file} ---\n{log_tail(log_file)}"
        )
    return results_xml


def run_executable(command: list[str], args: list[str], *, work_dir: Path, timeout: float | None = None) -> str:
    """Run a stand-alone simulation (`command`: build.executable_command) with `args` in
    `work_dir`; return its standard output.

    Its output (stdout and stderr) is also kept in <work_dir>/sim.log. timeout: as for
    run(). Raises SimulationError when it exits non-zero, is killed, or reports an HDL error.
    """
    if timeout is None and os.environ.get("SIM_RUN_TIMEOUT"):
        timeout = float(os.environ["SIM_RUN_TIMEOUT"])
    log_file = Path(work_dir) / "sim.log"
    try:
        done = subprocess.run(
            [*command, *args], cwd=work_dir, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        log_file.write_text(f"{exc.stdout or ''!s}{exc.stderr or ''!s}")  # (str: text=True)
        raise SimulationError(f"{command[0]} killed after the {timeout:g} s timeout; log {log_file}") from None
    log_file.write_text(done.stdout + done.stderr)
    hdl_errors = _hdl_errors(log_file)
    if done.returncode != 0 or hdl_errors:
        raise SimulationError(
            f"{' '.join(command)} exited with {done.returncode}"
            + ("; the simulator reported:\n" + "\n".join(hdl_errors) if hdl_errors else "")
            + f"\n--- last lines of {log_file} ---\n{log_tail(log_file)}"
        )
    return done.stdout
