# SPDX-License-Identifier: MIT
"""What the Verilator cocotb build makes public to VPI is exactly what cocotb touches.

A Verilator model built for cocotb gives VPI only the signals named in
tb/hdl/gpu_harness_vpi.vlt (tinygpu/sim/build.py: --no-public-flat-rw); cocotb cannot see
any other. This reads tinygpu/cocotb_gpu.py (every `dut.NAME` it uses), the control file
and the harness's port list, and checks that the two lists are the same, that each is a
port of the harness, and that the inputs are read-write and the outputs read-only. A
signal used in Python but not exposed fails here, not in a simulation an hour later.

Pure Python, no simulator.
"""

from __future__ import annotations

import ast
import re

from tinygpu.harness import HARNESS_SOURCES, HARNESS_TOP, HARNESS_VPI_SIGNALS
from tinygpu.paths import REPO_ROOT

COCOTB_SIDE = REPO_ROOT / "tinygpu" / "cocotb_gpu.py"
HARNESS_FILE = next(path for path in HARNESS_SOURCES if path.stem == HARNESS_TOP)
# public_flat_rw / public_flat_rd -module "gpu_harness" -var "NAME"
DIRECTIVE = re.compile(r'(public_flat_rw|public_flat_rd) -module "(\w+)" -var "(\w+)"')
PORT = re.compile(r"^\s*(input|output)\s+logic\b\s*(?:\[[^\]]*\])?\s*(\w+)", re.MULTILINE)


def signals_cocotb_uses(source: str) -> set[str]:
    """Every NAME of `dut.NAME` in the cocotb module's source."""
    tree = ast.parse(source)
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "dut"
    }


def exposed_signals(text: str) -> dict[str, str]:
    """NAME -> public_flat_rw or public_flat_rd, from the control file; any other line
    (but comments, blanks and the `verilator_config header) is an error."""
    exposed = {}
    for line in text.splitlines():
        line = line.split("//", 1)[0].strip()
        if not line or line == "`verilator_config":
            continue
        match = DIRECTIVE.fullmatch(line)
        assert match, f"{HARNESS_VPI_SIGNALS.name}: not a public_flat_rw/rd line of one signal: {line!r}"
        access, module, name = match.groups()
        assert module == HARNESS_TOP, f"{HARNESS_VPI_SIGNALS.name}: {name} in module {module}, not {HARNESS_TOP}"
        assert name not in exposed, f"{HARNESS_VPI_SIGNALS.name}: {name} twice"
        exposed[name] = access
    return exposed


def harness_ports(text: str) -> dict[str, str]:
    """Port NAME -> input or output, from the harness's port list."""
    return {name: direction for direction, name in PORT.findall(text)}


def test_the_control_file_exposes_exactly_the_signals_cocotb_uses():
    used = signals_cocotb_uses(COCOTB_SIDE.read_text())
    exposed = set(exposed_signals(HARNESS_VPI_SIGNALS.read_text()))
    assert used, "found no dut.NAME in cocotb_gpu.py: the scan is broken"
    assert not used - exposed, (
        f"cocotb_gpu.py uses {sorted(used - exposed)}: add them to {HARNESS_VPI_SIGNALS.relative_to(REPO_ROOT)}"
    )
    assert not exposed - used, (
        f"{HARNESS_VPI_SIGNALS.relative_to(REPO_ROOT)} exposes {sorted(exposed - used)}, "
        "which cocotb_gpu.py does not use: every public signal slows the model"
    )


def test_cocotb_reaches_signals_only_by_name():
    source = COCOTB_SIDE.read_text()
    for dynamic in ("getattr(dut", "dut[", "dut._"):
        assert dynamic not in source, f"cocotb_gpu.py reaches a signal as {dynamic}...: the check above cannot see it"


def test_inputs_are_read_write_and_outputs_read_only():
    ports = harness_ports(HARNESS_FILE.read_text())
    assert {"clk", "done", "cfg_latency", "cycles"} <= set(ports), "the port scan is broken"
    expected = {"input": "public_flat_rw", "output": "public_flat_rd"}
    for name, access in exposed_signals(HARNESS_VPI_SIGNALS.read_text()).items():
        assert name in ports, f"{name} is not a port of {HARNESS_TOP}: the cocotb side touches only its ports"
        assert access == expected[ports[name]], f"{name} is an {ports[name]}: expose it {expected[ports[name]]}"


def test_the_checks_see_a_missing_signal():
    used = signals_cocotb_uses("async def f(dut):\n    dut.new_port.value = 1\n    await RisingEdge(dut.clk)\n")
    assert used == {"new_port", "clk"}
    assert exposed_signals('`verilator_config\npublic_flat_rd -module "gpu_harness" -var "done"  // x\n') == {
        "done": "public_flat_rd"
    }
