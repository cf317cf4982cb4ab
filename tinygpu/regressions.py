# SPDX-License-Identifier: MIT
"""Fuzz regressions: programs that once failed, kept as files, re-run by every `make test`.

A regression NAME is two files in tb/fuzz_regressions/:

- ``NAME.asm``: the (shrunk) program itself, with its launch size (``.threads``) and
  initial memory (``.data``), so it runs as it is with ``make run KERNEL=...``;
- ``NAME.toml``: how it was run when it failed::

      config = "wide"        # a name from tb/configs.toml
      latency = 1            # memory latency in cycles, 1..255
      stall_max = 4          # random extra cycles per request, 0..255
      stall_seed = 536       # seed of the stall generator
      note = "what it found, and the commit that fixed it"

The program is kept, not the seed that generated it, so a change to the random program
generator never changes what a regression tests. There is no reference function: the
ISA model is the oracle (final memory and every retired instruction, in lock-step).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .assembler import Program
from .configs import DEFAULT_MAX_CYCLES, GpuConfig, load_configs
from .harness import Job
from .isa import DATA_MEM_SIZE
from .kernels import assemble_launch, read_pair
from .paths import FUZZ_REGRESSIONS_DIR

_KEYS = {"config": str, "latency": int, "stall_max": int, "stall_seed": int, "note": str}
_OPTIONAL_KEYS = {"max_cycles": int}


class RegressionError(ValueError):
    """A regression's files are missing or inconsistent."""


@dataclass(frozen=True)
class Regression:
    name: str
    asm_path: Path
    program: Program
    config: GpuConfig
    latency: int
    stall_max: int
    stall_seed: int
    note: str
    max_cycles: int = DEFAULT_MAX_CYCLES

    def job(self) -> Job:
        memory = list(self.program.data) + [0] * (DATA_MEM_SIZE - len(self.program.data))
        return Job(
            program=self.program.words,
            memory=memory,
            threads=self.program.threads or 0,
            latency=self.latency,
            stall_max=self.stall_max,
            seed=self.stall_seed,
            max_cycles=self.max_cycles,
            name=self.name,
        )


def settings_toml(*, config: str, latency: int, stall_max: int, stall_seed: int, note: str) -> str:
    """The text of a NAME.toml (what `make fuzz` writes beside a shrunk failure)."""
    note = note.replace("\\", "/").replace('"', "'")
    return (
        f'config = "{config}"\nlatency = {latency}\nstall_max = {stall_max}\n'
        f'stall_seed = {stall_seed}\nnote = "{note}"\n'
    )


def load_regression(asm_path: str | Path) -> Regression:
    asm_path, toml_path, settings = read_pair(asm_path, "regression", RegressionError)
    missing = _KEYS.keys() - settings.keys()
    unknown = settings.keys() - _KEYS.keys() - _OPTIONAL_KEYS.keys()
    if missing or unknown:
        raise RegressionError(
            f"{toml_path}: missing keys {sorted(missing)}, unknown keys "
            f"{sorted(unknown)} (allowed: {sorted(_KEYS | _OPTIONAL_KEYS)})"
        )
    for key, kind in (_KEYS | _OPTIONAL_KEYS).items():
        if key in settings and (not isinstance(settings[key], kind) or isinstance(settings[key], bool)):
            raise RegressionError(f"{toml_path}: {key} must be a {kind.__name__}")
    configs = load_configs()
    if settings["config"] not in configs:
        raise RegressionError(
            f"{toml_path}: no configuration {settings['config']!r} in tb/configs.toml (known: {', '.join(configs)})"
        )
    if not 1 <= settings["latency"] <= 255 or not 0 <= settings["stall_max"] <= 255:
        raise RegressionError(f"{toml_path}: latency must be 1..255 and stall_max 0..255")
    if not settings["note"].strip():
        raise RegressionError(f"{toml_path}: say in `note` what the regression found")
    program = assemble_launch(asm_path, "regression", RegressionError)
    return Regression(
        name=asm_path.stem,
        asm_path=asm_path,
        program=program,
        config=configs[settings["config"]],
        latency=settings["latency"],
        stall_max=settings["stall_max"],
        stall_seed=settings["stall_seed"],
        note=settings["note"],
        max_cycles=settings.get("max_cycles", DEFAULT_MAX_CYCLES),
    )


def load_regressions(directory: str | Path = FUZZ_REGRESSIONS_DIR) -> list[Regression]:
    """Every regression in `directory`, sorted by name (an absent folder holds none)."""
    folder = Path(directory)
    names = sorted({p.stem for pattern in ("*.asm", "*.toml") for p in folder.glob(pattern)})
    return [load_regression(folder / f"{name}.asm") for name in names]
