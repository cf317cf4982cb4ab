# SPDX-License-Identifier: MIT
"""What every command line shares: one-line errors and argument types that check ranges.

A bad argument gets one line on stderr (``tinygpu-run: error: --latency: must be an
integer from 1 to 255, got 0``), exit status 2, and nothing else: no usage dump, no
traceback, no file written and no simulator started (checks run before any work).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from ..configs import GpuConfig, load_configs
from ..engine import Engine, EngineError, open_engine, valid_address
from ..sim import SIM_PROGRAMS, SIMULATORS

USAGE_ERROR = 2


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (`prog: error: what; see --help`)."""

    def error(self, message: str) -> NoReturn:
        fail(self.prog, f"{message} (see {self.prog} --help)")


def fail(prog: str, message: str) -> NoReturn:
    """Print `prog: error: message` on one line and exit with the usage-error status."""
    print(f"{prog}: error: {' '.join(message.split())}", file=sys.stderr)
    sys.exit(USAGE_ERROR)


def say(text: str) -> None:
    """Print one report line at once (the `log` every library function that reports takes)."""
    print(text, flush=True)


def int_range(low: int, high: int):
    """An argparse type: an integer from low to high (both included)."""

    def parse(text: str) -> int:
        try:
            value = int(text, 0)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer from {low} to {high}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be an integer from {low} to {high}, got {value}")
        return value

    parse.__name__ = f"integer {low}..{high}"
    return parse


def config_name(text: str) -> GpuConfig:
    """An argparse type: the name of a configuration in tb/configs.toml."""
    configs = load_configs()
    if text not in configs:
        raise argparse.ArgumentTypeError(f"no configuration {text!r} in tb/configs.toml (known: {', '.join(configs)})")
    return configs[text]


def simulator_name(text: str) -> str:
    if text not in SIMULATORS:
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(SIMULATORS)}, got {text!r}")
    return text


def output_file(text: str) -> Path:
    """An argparse type: a file path whose folder exists (checked before any work)."""
    path = Path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder, not a file")
    if not path.resolve().parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder {path.parent} does not exist")
    return path


# Launch settings the harness holds in registers of these widths (tb/hdl/gpu_harness.sv).
THREADS = int_range(0, 255)  # the device control register is 8 bits
LATENCY = int_range(1, 255)  # cfg_latency, 8 bits; 0 would mean "answer at once"
STALL_MAX = int_range(0, 255)  # cfg_stall_max, 8 bits
SEED = int_range(0, 2**32 - 1)  # cfg_seed, 32 bits
MAX_CYCLES = int_range(1, 2**32 - 1)  # cfg_max_cycles, 32 bits


def simulator_list(text: str) -> list[str]:
    """An argparse type: comma-separated simulator names, at least one."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    bad = [name for name in names if name not in SIMULATORS]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"must be a comma-separated list of {', '.join(SIMULATORS)}, got {text!r}")
    return names


def jobs_count(text: str) -> int:
    """An argparse type: a number of worker processes (1..256) or 'auto' (one per CPU)."""
    if text == "auto":
        return os.cpu_count() or 1
    return int_range(1, 256)(text)


def existing_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return path


def output_folder(text: str) -> Path:
    """An argparse type: a folder that exists or whose parent exists."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file, not a folder")
    if not path.resolve().parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder {path.resolve().parent} does not exist")
    return path


def cluster_address(text: str) -> str:
    """An argparse type: the address of a running Dask scheduler, [tcp://]host:port."""
    if not valid_address(text):
        raise argparse.ArgumentTypeError(f"must be a scheduler address [tcp://]host:port, got {text!r}")
    return text


def add_engine_options(parser: argparse.ArgumentParser, *, jobs_help: str = "local worker processes") -> None:
    """--jobs and --cluster, the same on every campaign command."""
    parser.add_argument(
        "--jobs", type=jobs_count, default=1, help=f"{jobs_help} (1..256) or 'auto' (one per CPU); not with --cluster"
    )
    parser.add_argument(
        "--cluster",
        type=cluster_address,
        default=None,
        help="run on the Dask cluster whose scheduler is at [tcp://]host:port (default: "
        "DASK_SCHEDULER_ADDRESS if set, else a local cluster of --jobs workers); see docs/cluster.md",
    )


def sim_programs(sims: Sequence[str]) -> list[str]:
    """The programs the simulators `sims` need on every worker."""
    return [program for sim in sims for program in SIM_PROGRAMS[sim]]


@contextmanager
def campaign_engine(prog: str, args: argparse.Namespace, tools: Sequence[str]) -> Iterator[Engine]:
    """The engine of a campaign command (tinygpu.engine): an EngineError, at start or
    mid-run, is one line `prog: error: ...` and the usage-error status."""
    try:
        with open_engine(cluster=args.cluster, jobs=args.jobs, tools=tools, log=say) as engine:
            yield engine
    except EngineError as error:
        fail(prog, str(error))
