"""Named GPU configurations, read from tb/configs.toml (the one list of them)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .paths import CONFIGS_FILE

CONFIG_FILE = CONFIGS_FILE

# gpu.sv's parameter defaults (tiny-gpu's).
GPU_DEFAULTS = {
    "DATA_MEM_ADDR_BITS": 8,
    "DATA_MEM_DATA_BITS": 8,
    "DATA_MEM_NUM_CHANNELS": 4,
    "PROGRAM_MEM_ADDR_BITS": 8,
    "PROGRAM_MEM_DATA_BITS": 16,
    "PROGRAM_MEM_NUM_CHANNELS": 1,
    "NUM_CORES": 2,
    "THREADS_PER_BLOCK": 4,
}


@dataclass(frozen=True)
class GpuConfig:
    name: str
    description: str = ""
    representative: bool = False
    parameters: dict[str, int] = field(default_factory=dict)  # only those that differ

    def parameter(self, key: str) -> int:
        return self.parameters.get(key, GPU_DEFAULTS[key])

    @property
    def num_cores(self) -> int:
        return self.parameter("NUM_CORES")

    @property
    def threads_per_block(self) -> int:
        return self.parameter("THREADS_PER_BLOCK")


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
