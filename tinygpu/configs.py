# SPDX-License-Identifier: MIT
"""Named GPU configurations, read from tb/configs.toml (the one list of them)."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .paths import CONFIGS_FILE, GPU_TOP_FILE

CONFIG_FILE = CONFIGS_FILE

# The harness stops a kernel that runs longer than this many cycles (a run setting; a
# kernel's .toml or a command-line option may choose another limit).
DEFAULT_MAX_CYCLES = 100_000


def read_gpu_parameter_defaults(source: Path = GPU_TOP_FILE, module: str = "gpu") -> dict[str, int]:
    """The `parameter int NAME = value` defaults of a top-level module, read from the RTL
    itself (so there is no second copy to drift)."""
    text = source.read_text()
    start = re.search(rf"^module {module}\b", text, re.MULTILINE)
    if start is None:
        raise ValueError(f"{source}: no module {module}")
    header = text[start.start() : text.index(");", start.start())]
    found = dict(re.findall(r"parameter\s+int\s+(\w+)\s*=\s*(\d+)", header))
    if not found:
        raise ValueError(f"{source}: no `parameter int NAME = value` in module {module}'s header")
    return {name: int(value) for name, value in found.items()}


# gpu.sv's parameter defaults (tiny-gpu's names and values).
GPU_DEFAULTS = read_gpu_parameter_defaults()

# The memory ports a configuration may have (`port = ...` in tb/configs.toml): tiny-gpu's
# channels (gpu.sv, the default) or AXI4 masters (gpu_axi.sv). Each has its top level,
# that top's parameter defaults, and the define that builds the harness around it.
PORT_TOPS = {"channels": "gpu", "axi": "gpu_axi"}
PORT_DEFAULTS = {
    "channels": GPU_DEFAULTS,
    "axi": read_gpu_parameter_defaults(GPU_TOP_FILE.with_name("gpu_axi.sv"), "gpu_axi"),
}
PORT_DEFINES: dict[str, dict[str, object]] = {"channels": {}, "axi": {"GPU_AXI": True}}
# Bytes of shared memory per block when no configuration is named (the golden model's and
# the random program generator's default).
DEFAULT_SHARED_MEM_BYTES = GPU_DEFAULTS["SHARED_MEM_BYTES"]


@dataclass(frozen=True)
class GpuConfig:
    name: str
    description: str = ""
    representative: bool = False
    parameters: dict[str, int] = field(default_factory=dict)  # only those that differ
    port: str = "channels"  # a key of PORT_TOPS

    def parameter(self, key: str) -> int:
        return self.parameters.get(key, PORT_DEFAULTS[self.port][key])

    @property
    def all_parameters(self) -> dict[str, int]:
        """Every parameter of the top level with this configuration's value: what builds
        pass, so no other file's defaults (the harness has its own) can stand in for the
        RTL's."""
        return {**PORT_DEFAULTS[self.port], **self.parameters}

    @property
    def top(self) -> str:
        """The top-level module: gpu (tiny-gpu's channels) or gpu_axi."""
        return PORT_TOPS[self.port]

    @property
    def defines(self) -> dict[str, object]:
        """The defines that build the harness around this configuration's top level."""
        return PORT_DEFINES[self.port]

    @property
    def axi(self) -> bool:
        return self.port == "axi"

    @property
    def data_requests_at_once(self) -> int:
        """How many data requests memory serves at once: the channels of tiny-gpu's port,
        the reads in flight of the AXI port."""
        return self.parameter("MAX_READS" if self.axi else "DATA_MEM_NUM_CHANNELS")

    @property
    def num_cores(self) -> int:
        return self.parameter("NUM_CORES")

    @property
    def threads_per_block(self) -> int:
        return self.parameter("THREADS_PER_BLOCK")

    @property
    def warps_per_core(self) -> int:
        return self.parameter("WARPS_PER_CORE")

    @property
    def shared_mem_bytes(self) -> int:
        return self.parameter("SHARED_MEM_BYTES")


def load_configs(path: Path = CONFIG_FILE) -> dict[str, GpuConfig]:
    raw = tomllib.loads(path.read_text())
    configs = {}
    for name, table in raw.items():
        parameters = {k: v for k, v in table.items() if k.isupper()}
        port = table.get("port", "channels")
        if port not in PORT_TOPS:
            raise ValueError(f"{path}: configuration [{name}] has port {port!r}; known: {', '.join(PORT_TOPS)}")
        unknown = set(parameters) - set(PORT_DEFAULTS[port])
        if unknown:
            raise ValueError(f"{path}: configuration [{name}] has unknown parameters {sorted(unknown)}")
        configs[name] = GpuConfig(
            name=name,
            description=table.get("description", ""),
            representative=table.get("representative", False),
            parameters=parameters,
            port=port,
        )
    return configs


def get_config(name: str) -> GpuConfig:
    configs = load_configs()
    if name not in configs:
        raise KeyError(f"no configuration '{name}' in {CONFIG_FILE}; known: {', '.join(configs)}")
    return configs[name]


def representative_configs() -> list[GpuConfig]:
    return [c for c in load_configs().values() if c.representative]


def whole_suite() -> bool:
    """True under `make test-all` (GPU_ALL_CONFIGS=1): the tests run every configuration,
    every planted fault and gate on both simulators, not only `make test`'s part."""
    return os.environ.get("GPU_ALL_CONFIGS") == "1"


# The legal parameter values of `gpu` (rtl/gpu.sv refuses anything else at elaboration,
# with these messages). Edges of the ranges, legal and illegal, for the tests.
ELABORATION_CASES: list[tuple[dict[str, int], str | None]] = [
    # (overrides, None when legal / the message that refuses it)
    ({"NUM_CORES": 1, "THREADS_PER_BLOCK": 1, "DATA_MEM_NUM_CHANNELS": 1}, None),
    ({"NUM_CORES": 16, "THREADS_PER_BLOCK": 2, "PROGRAM_MEM_NUM_CHANNELS": 16, "DATA_MEM_NUM_CHANNELS": 32}, None),
    ({"NUM_CORES": 1, "THREADS_PER_BLOCK": 32, "DATA_MEM_NUM_CHANNELS": 64}, None),
    (
        {"NUM_CORES": 1, "THREADS_PER_BLOCK": 1, "WARPS_PER_CORE": 8, "DATA_MEM_NUM_CHANNELS": 8, "ICACHE_LINES": 256},
        None,
    ),
    ({"WARPS_PER_CORE": 1, "ICACHE_LINES": 1, "SHARED_MEM_BYTES": 1}, None),
    ({"SHARED_MEM_BYTES": 256}, None),
    ({"NUM_CORES": 0}, "NUM_CORES must be 1..16"),
    ({"NUM_CORES": 17}, "NUM_CORES must be 1..16"),
    ({"THREADS_PER_BLOCK": 0}, "THREADS_PER_BLOCK must be 1..32"),
    ({"THREADS_PER_BLOCK": 33}, "THREADS_PER_BLOCK must be 1..32"),
    ({"DATA_MEM_NUM_CHANNELS": 0}, "DATA_MEM_NUM_CHANNELS must be 1..NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK"),
    ({"DATA_MEM_NUM_CHANNELS": 17}, "DATA_MEM_NUM_CHANNELS must be 1..NUM_CORES*WARPS_PER_CORE*THREADS_PER_BLOCK"),
    ({"WARPS_PER_CORE": 0}, "WARPS_PER_CORE must be 1..8"),
    ({"WARPS_PER_CORE": 9}, "WARPS_PER_CORE must be 1..8"),
    ({"ICACHE_LINES": 0}, "ICACHE_LINES must be a power of two, 1..256"),
    ({"ICACHE_LINES": 24}, "ICACHE_LINES must be a power of two, 1..256"),
    ({"ICACHE_LINES": 512}, "ICACHE_LINES must be a power of two, 1..256"),
    ({"SHARED_MEM_BYTES": 0}, "SHARED_MEM_BYTES must be a power of two, 1..256"),
    ({"SHARED_MEM_BYTES": 48}, "SHARED_MEM_BYTES must be a power of two, 1..256"),
    ({"SHARED_MEM_BYTES": 512}, "SHARED_MEM_BYTES must be a power of two, 1..256"),
    ({"PROGRAM_MEM_NUM_CHANNELS": 0}, "PROGRAM_MEM_NUM_CHANNELS must be 1..NUM_CORES"),
    ({"PROGRAM_MEM_NUM_CHANNELS": 3}, "PROGRAM_MEM_NUM_CHANNELS must be 1..NUM_CORES"),
    ({"DATA_MEM_ADDR_BITS": 9}, "DATA_MEM_ADDR_BITS must be 8"),
    ({"DATA_MEM_DATA_BITS": 16}, "DATA_MEM_DATA_BITS must be 8"),
    ({"PROGRAM_MEM_ADDR_BITS": 7}, "PROGRAM_MEM_ADDR_BITS must be 8"),
    ({"PROGRAM_MEM_DATA_BITS": 8}, "PROGRAM_MEM_DATA_BITS must be 16"),
]

# The same for gpu_axi (rtl/gpu_axi.sv): its own parameters' edges.
CACHE_LINES_RULE = "DATA_CACHE_LINES (each core's data read cache) must be 0 (none) or a power of two, 1..16"
AXI_ELABORATION_CASES: list[tuple[dict[str, int], str | None]] = [
    ({"DATA_LINE_BYTES": 1, "PROGRAM_LINE_WORDS": 1, "MAX_READS": 1, "MAX_WRITES": 1}, None),
    ({"DATA_LINE_BYTES": 16, "PROGRAM_LINE_WORDS": 64, "MAX_READS": 16, "MAX_WRITES": 16}, None),
    ({"DATA_BASE": 256, "PROGRAM_BASE": 512, "AXI_ADDR_BITS": 12}, None),
    ({"DATA_LINE_BYTES": 0}, "DATA_LINE_BYTES must be 1, 2, 4, 8 or 16"),
    ({"DATA_LINE_BYTES": 3}, "DATA_LINE_BYTES must be 1, 2, 4, 8 or 16"),
    ({"DATA_LINE_BYTES": 32}, "DATA_LINE_BYTES must be 1, 2, 4, 8 or 16"),
    ({"PROGRAM_LINE_WORDS": 0}, "PROGRAM_LINE_WORDS must be a power of two, 1..64"),
    ({"PROGRAM_LINE_WORDS": 6}, "PROGRAM_LINE_WORDS must be a power of two, 1..64"),
    ({"PROGRAM_LINE_WORDS": 128}, "PROGRAM_LINE_WORDS must be a power of two, 1..64"),
    ({"MAX_READS": 0}, "MAX_READS (data reads in flight) must be 1..16"),
    ({"MAX_READS": 17}, "MAX_READS (data reads in flight) must be 1..16"),
    ({"MAX_WRITES": 0}, "MAX_WRITES (data writes in flight) must be 1..16"),
    ({"MAX_WRITES": 17}, "MAX_WRITES (data writes in flight) must be 1..16"),
    ({"DATA_CACHE_LINES": 0}, None),
    ({"DATA_CACHE_LINES": 1, "DATA_LINE_BYTES": 1, "MAX_READS": 1}, None),
    ({"DATA_CACHE_LINES": 16, "DATA_LINE_BYTES": 16, "WARPS_PER_CORE": 1}, None),
    ({"DATA_CACHE_LINES": 6}, CACHE_LINES_RULE),
    ({"DATA_CACHE_LINES": 32}, CACHE_LINES_RULE),
    ({"AXI_ADDR_BITS": 11}, "AXI_ADDR_BITS must be 12..64"),
    ({"AXI_ADDR_BITS": 65}, "AXI_ADDR_BITS must be 12..64"),
    ({"DATA_BASE": 128}, "DATA_BASE must be a multiple of 256"),
    ({"DATA_BASE": 4096, "AXI_ADDR_BITS": 12}, "DATA_BASE must be a multiple of 256"),
    ({"PROGRAM_BASE": 256}, "PROGRAM_BASE must be a multiple of 512"),
    ({"PROGRAM_BASE": 4096, "AXI_ADDR_BITS": 12}, "PROGRAM_BASE must be a multiple of 512"),
    ({"NUM_CORES": 0}, "NUM_CORES must be 1..16"),
]
