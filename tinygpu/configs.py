# SPDX-License-Identifier: MIT
"""Named GPU configurations, read from tb/configs.toml (the one list of them)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .paths import CONFIGS_FILE, GPU_TOP_FILE

CONFIG_FILE = CONFIGS_FILE

# The harness stops a kernel that runs longer than this many cycles (a run setting; a
# kernel's .toml or a command-line option may choose another limit).
DEFAULT_MAX_CYCLES = 100_000


def read_gpu_parameter_defaults(source: Path = GPU_TOP_FILE) -> dict[str, int]:
    """The `parameter int NAME = value` defaults of module gpu, read from the RTL itself
    (so there is no second copy to drift)."""
    text = source.read_text()
    header = text[text.index("module gpu") : text.index(");")]
    found = dict(re.findall(r"parameter\s+int\s+(\w+)\s*=\s*(\d+)", header))
    if not found:
        raise ValueError(f"{source}: no `parameter int NAME = value` in module gpu's header")
    return {name: int(value) for name, value in found.items()}


# gpu.sv's parameter defaults (tiny-gpu's names and values).
GPU_DEFAULTS = read_gpu_parameter_defaults()
# Bytes of shared memory per block when no configuration is named (the golden model's and
# the random program generator's default).
DEFAULT_SHARED_MEM_BYTES = GPU_DEFAULTS["SHARED_MEM_BYTES"]


@dataclass(frozen=True)
class GpuConfig:
    name: str
    description: str = ""
    representative: bool = False
    parameters: dict[str, int] = field(default_factory=dict)  # only those that differ

    def parameter(self, key: str) -> int:
        return self.parameters.get(key, GPU_DEFAULTS[key])

    @property
    def all_parameters(self) -> dict[str, int]:
        """Every parameter of gpu.sv with this configuration's value: what builds pass, so
        no other file's defaults (the harness has its own) can stand in for gpu.sv's."""
        return {**GPU_DEFAULTS, **self.parameters}

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
        unknown = set(parameters) - set(GPU_DEFAULTS)
        if unknown:
            raise ValueError(f"{path}: configuration [{name}] has unknown parameters {sorted(unknown)}")
        configs[name] = GpuConfig(
            name=name,
            description=table.get("description", ""),
            representative=table.get("representative", False),
            parameters=parameters,
        )
    return configs


def get_config(name: str) -> GpuConfig:
    configs = load_configs()
    if name not in configs:
        raise KeyError(f"no configuration '{name}' in {CONFIG_FILE}; known: {', '.join(configs)}")
    return configs[name]


def representative_configs() -> list[GpuConfig]:
    return [c for c in load_configs().values() if c.representative]


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
