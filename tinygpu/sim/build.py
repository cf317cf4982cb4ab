# SPDX-License-Identifier: MIT
"""Build the harness for a simulator, once per distinct set of sources and options.

Each build gets its own folder ``build/sim/<sim>-<name>-<hash>``. The hash covers the
contents of every source (and of ``*.svh``/``*.vh`` headers next to them), the parameters,
defines, waves/coverage flags, every simulator option and the tool versions: an edited
RTL file gives a new folder (a rebuild), an unchanged one reuses the old folder (not even
a ``make`` call). Old folders stay until ``make clean``.

pytest-xdist workers may ask for the same build at once: an ``fcntl`` lock
(``build/sim/<folder>.lock``) is held around check-and-build, and a stamp file
(``build.json``) written last marks a finished build; a folder without it is a leftover
of an interrupted build and is rebuilt.

Options: both simulators get timescale 1ns/1ps for files without a `timescale (Icarus'
own default is 1s, which cocotb's ns clocks cannot use) and ``-I`` for every source
folder. Icarus: ``-g2012`` (from the runner); it never fails on warnings, its output is
kept in ``<build>/build.log``. Verilator: ``--assert``; its default warnings stay on *and
fatal* (silence a deliberate one in the HDL with ``/* verilator lint_off NAME */``;
``-Wall`` is the lint step's job); waves add ``--trace-fst --trace-structs``, coverage
``--coverage-line --coverage-toggle``. Its C++ goes through ccache when installed
(OBJCACHE), so a new configuration builds in seconds.

What cocotb sees of a Verilator model: the runner adds ``--vpi --public-flat-rw``, which
makes every variable of the design public (reachable through VPI) and so keeps Verilator
from optimizing any of them: the model runs several times slower. A build here undoes it
with ``--no-public-flat-rw`` (the later option wins) and passes a Verilator control file,
``vpi_signals``, that makes public only the signals the cocotb side touches. Waveforms
and coverage do not need VPI: Verilator traces and counts every signal either way.

``main``: instead of the cocotb flow, a stand-alone simulation without cocotb and VPI:
for Verilator an executable from a C++ ``main()`` (nothing public), for Icarus a ``.vvp``
whose root is a SystemVerilog module (the file's name) that instantiates the toplevel and
drives it; ``executable_command`` gives the command line that runs either. They measure
what the simulators cost without the Python that drives them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from ..paths import REPO_ROOT, RTL_DIR, RTL_FILE_LIST, SIM_BUILD_ROOT
from .runner import build_environment, quiet_runner
from .tools import (
    BuildError,
    check_sim,
    log_tail,
    setup_tool_environment,
    tool_versions,
)

BUILD_ROOT: Path = SIM_BUILD_ROOT


# Time unit / precision for HDL files that carry no `timescale of their own.
TIMESCALE = ("1ns", "1ps")


# Bump when the build recipe changes in a way the hash would not see.
_BUILD_FORMAT = 1


STAMP = "build.json"  # written last into a build folder: "this build is complete"


def rtl_sources(rtl_dir: Path | None = None) -> list[Path]:
    """The RTL files listed in rtl/gpu.f, in order, as absolute paths.

    One path per line, relative to the repository root; '#' starts a comment; blank lines
    are ignored. The rtl/ of a line is RTL_DIR (tinygpu.paths: TINYGPU_RTL_DIR may point
    it at a copy). `rtl_dir`: take the same files from this folder instead (a modified
    copy: fault injection and mutation testing build from one).
    """
    sources = []
    for raw in RTL_FILE_LIST.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            path = REPO_ROOT / line
            if path.is_relative_to(REPO_ROOT / "rtl"):
                path = RTL_DIR / path.relative_to(REPO_ROOT / "rtl")
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


def _define_value(value: object) -> str:
    """`define values as the command line wants them: None/True -> 1, False -> 0."""
    if value is None or value is True:
        return "1"
    if value is False:
        return "0"
    return str(value)


# After the runner's own --public-flat-rw: nothing is public but what `vpi_signals` names.
NOTHING_PUBLIC = "--no-public-flat-rw"


# Every bit the design does not reset starts random (a run picks the pattern with
# RANDOM_INIT_PLUSARGS): what is not reset cannot matter (tb/test_random_init.py).
RANDOM_INIT_ARGS = ["--x-assign", "unique", "--x-initial", "unique"]


def random_init_plusargs(seed: int) -> list[str]:
    """The plusargs that make a random-init build start from the random bits of `seed`
    (>= 1), or from zeros, as a plain build does (0)."""
    if seed == 0:
        return ["+verilator+rand+reset+0"]
    return ["+verilator+rand+reset+2", f"+verilator+seed+{seed}"]


def _verilator_args(waves: bool, coverage: bool, random_init: bool = False) -> list[str]:
    args = ["--assert"] + (RANDOM_INIT_ARGS if random_init else [])
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


def _build_executable(
    build_dir: Path,
    log_file: Path,
    *,
    main: Path,
    sources: list[Path],
    toplevel: str,
    includes: list[str],
    defines: dict[str, str],
    parameters: dict[str, int],
    extra_args: list[str],
) -> None:
    """Verilate `sources` with the C++ `main` into the executable <build_dir>/<toplevel>,
    with the options the runner would give a cocotb build, less cocotb and VPI."""
    command = (
        [
            "verilator",
            "--cc",
            "--exe",
            "--build",
            "-j",
            "0",
            "-Mdir",
            str(build_dir),
            "--top-module",
            toplevel,
            "--prefix",
            "Vtop",
            "-o",
            toplevel,
            *extra_args,
            "--timescale",
            "/".join(TIMESCALE),
        ]
        + [f"-D{name}={value}" for name, value in defines.items()]
        + [f"-I{folder}" for folder in includes]
        + [f"-G{name}={value}" for name, value in parameters.items()]
        + [str(main), *map(str, sources)]
    )
    with open(log_file, "w") as log:
        done = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"verilator exited with {done.returncode}")


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
    vpi_signals: Path | None = None,
    main: Path | None = None,
    random_init: bool = False,
) -> Path:
    """Compile `sources` for `sim` unless an identical build exists; return its folder.

    parameters: top-level parameter overrides (Icarus -P, Verilator -G).
    defines:    `define macros; None/True become 1, False 0, anything else str().
    waves:      Verilator: compile in FST tracing (needed for run(waves=True)).
                Icarus: no effect on the build (its waves are chosen per run).
    coverage:   Verilator only: line + toggle coverage; each run writes coverage.dat.
    name:       a readable label for the folder name; it is not part of the identity.
    vpi_signals: Verilator (needed for a cocotb build): the control file (.vlt) that makes
                public the signals the cocotb side touches; nothing else is.
    random_init: Verilator only: every bit not reset starts random (run with
                random_init_plusargs(seed)).
    main:       build a stand-alone simulation instead of the cocotb flow (no VPI, no
                waves, no coverage; vpi_signals unused). Verilator: the executable
                <folder>/<toplevel> from this C++ main(). Icarus: <folder>/sim.vvp whose
                root is the module named as this .sv file (it instantiates `toplevel`;
                `parameters` go to it). Run it with executable_command(folder).

    Quiet on success; raises BuildError with the tool output when compilation fails.
    Safe to call from several processes at once.
    """
    check_sim(sim)
    setup_tool_environment()
    if coverage and sim != "verilator":
        raise ValueError("coverage is collected with Verilator only")
    if random_init and sim != "verilator":
        raise ValueError("random initial state is a Verilator build option")
    if main is not None and (waves or coverage):
        raise ValueError("a stand-alone simulation is built without waves or coverage")
    if sim == "verilator" and main is None:
        if vpi_signals is None:
            raise ValueError("a Verilator cocotb build needs vpi_signals: without it cocotb sees no signal")
        sources = [*sources, vpi_signals]
    if sim == "icarus":
        waves = False  # the .vvp is identical either way: share one build

    sources = [Path(s).resolve() for s in sources]
    main = Path(main).resolve() if main else None
    # The root module of the build: an Icarus main is an HDL module above `toplevel`.
    root = main.stem if sim == "icarus" and main is not None else toplevel
    missing = [str(s) for s in [*sources, *([main] if main else [])] if not s.is_file()]
    if missing:
        raise BuildError(f"missing HDL sources: {missing}")
    parameters = dict(sorted((parameters or {}).items()))
    macros: dict[str, str] = {k: _define_value(v) for k, v in sorted((defines or {}).items())}
    extra_args = _verilator_args(waves, coverage, random_init) if sim == "verilator" else _icarus_args()
    if sim == "verilator" and main is None:
        extra_args.append(NOTHING_PUBLIC)
    includes = sorted({str(s.parent) for s in sources})

    # Everything that can change the compiled model goes into the identity.
    identity = {
        "format": _BUILD_FORMAT,
        "sim": sim,
        "toplevel": toplevel,
        "tools": tool_versions(sim),
        "sources": [[str(s), _file_digest(s)] for s in sources],
        "headers": [[str(h), _file_digest(h)] for h in _header_files(sources)],
        "parameters": parameters,
        "defines": macros,
        "waves": waves,
        "coverage": coverage,
        "args": extra_args,
        "includes": includes,
        "timescale": TIMESCALE,
        "main": [str(main), _file_digest(main)] if main else None,
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:12]
    build_dir = BUILD_ROOT / f"{sim}-{name}-{digest}"
    stamp = build_dir / STAMP
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
            runner = None if sim == "verilator" and main is not None else quiet_runner(sim)
            try:
                with build_environment():
                    if runner is None:
                        assert main is not None  # (no runner: a Verilator build with its own main)
                        _build_executable(
                            build_dir,
                            log_file,
                            main=main,
                            sources=sources,
                            toplevel=toplevel,
                            includes=includes,
                            defines=macros,
                            parameters=parameters,
                            extra_args=extra_args,
                        )
                    else:
                        runner.build(
                            sources=[*sources, *([main] if main else [])],
                            hdl_toplevel=root,
                            includes=includes,
                            defines=macros,
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
                    f"{sim} build of {toplevel} failed ({exc}); log {log_file}:\n" + log_tail(log_file, 200)
                ) from None
            info = {**identity, "name": name, "build_dir": str(build_dir), "root": root}
            tmp = build_dir / (STAMP + ".tmp")
            tmp.write_text(json.dumps(info, indent=1))
            tmp.replace(stamp)  # atomic: a reader sees no stamp or a whole one
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return build_dir


def executable_command(build_dir: Path) -> list[str]:
    """The command line that runs a stand-alone build (``build(main=...)``); append plusargs."""
    info = read_build_info(build_dir)
    if info["main"] is None:
        raise ValueError(f"{build_dir} is a cocotb build, not a stand-alone one")
    if info["sim"] == "icarus":
        # -n: $stop ends the run; -none: no waveform dump ($dump* calls are no-ops).
        return ["vvp", "-n", str(Path(build_dir) / "sim.vvp"), "-none"]
    return [str(Path(build_dir) / info["toplevel"])]


def read_build_info(build_dir: Path) -> dict:
    stamp = Path(build_dir) / STAMP
    if not stamp.is_file():
        raise ValueError(f"{build_dir} is not a finished build (no {STAMP}); call build() first")
    return json.loads(stamp.read_text())
