# SPDX-License-Identifier: MIT
"""GPU configurations: gpu.sv's parameter defaults are read from the RTL, not copied.

tb/configs.toml names configurations by the parameters that differ from gpu.sv's
defaults; builds pass every parameter, so no other file's defaults (the HDL harness has
its own) can stand in for gpu.sv's. The ISA's memory sizes must agree with the widths
gpu.sv declares. Pure Python, no simulator.
"""

from __future__ import annotations

import pytest

from tinygpu.configs import (
    GPU_DEFAULTS,
    PORT_DEFAULTS,
    GpuConfig,
    load_configs,
    read_gpu_parameter_defaults,
)
from tinygpu.isa import DATA_BITS, DATA_MEM_SIZE, PROGRAM_MEM_SIZE, WORD_BITS
from tinygpu.paths import GPU_TOP_FILE


def test_defaults_are_read_from_the_rtl_header(tmp_path):
    source = tmp_path / "gpu.sv"
    source.write_text(
        "// parameter int COMMENTED = 1\nmodule gpu #(\n"
        "  parameter int NUM_CORES = 3,\n  parameter int THREADS_PER_BLOCK=5\n"
        ") (input logic clk);\n  localparam int INSIDE = 9;\nendmodule\n"
    )
    assert read_gpu_parameter_defaults(source) == {"NUM_CORES": 3, "THREADS_PER_BLOCK": 5}
    source.write_text("module gpu (input logic clk);\nendmodule\n")
    with pytest.raises(ValueError, match="no `parameter int NAME = value`"):
        read_gpu_parameter_defaults(source)


def test_the_defaults_are_gpu_sv_s():
    assert GPU_DEFAULTS == read_gpu_parameter_defaults(GPU_TOP_FILE)
    assert {"NUM_CORES", "THREADS_PER_BLOCK", "DATA_MEM_NUM_CHANNELS"} <= GPU_DEFAULTS.keys()


def test_isa_memory_sizes_match_the_rtl_widths():
    assert 2 ** GPU_DEFAULTS["DATA_MEM_ADDR_BITS"] == DATA_MEM_SIZE
    assert GPU_DEFAULTS["DATA_MEM_DATA_BITS"] == DATA_BITS
    assert 2 ** GPU_DEFAULTS["PROGRAM_MEM_ADDR_BITS"] == PROGRAM_MEM_SIZE
    assert GPU_DEFAULTS["PROGRAM_MEM_DATA_BITS"] == WORD_BITS


@pytest.mark.parametrize("config", load_configs().values(), ids=lambda c: c.name)
def test_builds_get_every_parameter(config):
    defaults = PORT_DEFAULTS[config.port]
    assert config.all_parameters.keys() == defaults.keys()
    for name, value in config.all_parameters.items():
        assert value == config.parameters.get(name, defaults[name])


def test_a_configuration_overrides_only_what_it_names():
    config = GpuConfig(name="x", parameters={"NUM_CORES": GPU_DEFAULTS["NUM_CORES"] + 1})
    assert config.num_cores == GPU_DEFAULTS["NUM_CORES"] + 1
    assert config.threads_per_block == GPU_DEFAULTS["THREADS_PER_BLOCK"]
    assert config.all_parameters == {**GPU_DEFAULTS, "NUM_CORES": GPU_DEFAULTS["NUM_CORES"] + 1}
