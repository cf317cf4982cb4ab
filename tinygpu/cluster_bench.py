# SPDX-License-Identifier: MIT
"""What the campaign engine costs and gains, measured here: `make cluster-bench`.

Prints (and with --update writes into docs/cluster.md, between its marker comments):

* the engine's install size: the files of `distributed` and everything it requires,
  from the installed packages' own records (importlib.metadata);
* its start-up: a local cluster of two workers, from nothing to the first task's result;
* its scaling: the same CPU-bound campaign (a fuzz campaign on Icarus: seeds, configuration,
  size and batches fixed, its builds made beforehand so only simulation is timed) on a
  cluster of 1 and of 2 workers started as separate processes (tinygpu.process_cluster),
  wall time and speed-up. The campaign must give the same summary on both.

Wall times depend on what else the machine runs: the table says how many CPUs it has.
"""

from __future__ import annotations

import os
import re
import time
from importlib import metadata
from pathlib import Path

from . import fuzz
from .configs import get_config
from .engine import open_engine
from .log import Log
from .paths import REPO_ROOT
from .process_cluster import ProcessCluster

CLUSTER_DOC = REPO_ROOT / "docs" / "cluster.md"
BEGIN = "<!-- cluster-bench: begin (make cluster-bench UPDATE=1 writes this table) -->"
END = "<!-- cluster-bench: end -->"
SEEDS = 24  # programs of the scaling campaign
BATCH = 1  # programs per task: 24 tasks (small tasks keep both workers busy to the end)
FIRST_SEED = 1000
CONFIG = "default"
SIZE = "large"


def installed_size(name: str, seen: set[str] | None = None) -> tuple[int, set[str]]:
    """Bytes of the installed files of package `name` and of every package it requires
    (extras left out), and the package names counted."""
    seen = set() if seen is None else seen
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        return 0, seen
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return 0, seen
    seen.add(key)
    total = 0
    for file in dist.files or []:
        path = Path(str(dist.locate_file(file)))
        if path.is_file():
            total += path.stat().st_size
    for requirement in dist.requires or []:
        if "extra ==" in requirement:
            continue
        required = re.split(r"[ ;<>=!~\[(]", requirement.strip(), maxsplit=1)[0]
        size, _ = installed_size(required, seen)
        total += size
    return total, seen


def start_up_seconds() -> float:
    """From nothing to the first result on a local cluster of two workers."""
    started = time.monotonic()
    with open_engine(cluster=None, jobs=2, tools=(), log=lambda _: None) as engine:
        list(engine.map(abs, [-1]))
    return time.monotonic() - started


def campaign(cluster: str | None, jobs: int = 1) -> tuple[float, list[str]]:
    """(wall seconds, summary lines) of the scaling campaign on `cluster`."""
    with open_engine(cluster=cluster, jobs=jobs, tools=("iverilog",), log=lambda _: None) as engine:
        started = time.monotonic()
        status, summary = fuzz.campaign_summary(
            engine=engine,
            first_seed=FIRST_SEED,
            count=SEEDS,
            configs=[get_config(CONFIG)],
            sims=["icarus"],
            size=SIZE,
            batch=BATCH,
        )
        seconds = time.monotonic() - started
    if status != 0:
        raise RuntimeError("the scaling campaign failed:\n" + "\n".join(summary))
    return seconds, summary


def run_bench(*, update: bool, log: Log) -> int:
    import distributed

    size, packages = installed_size("distributed")
    startup = start_up_seconds()
    log(f"engine: dask.distributed {distributed.__version__}")
    log(f"install: {size / 1e6:.0f} MB in {len(packages)} packages (distributed and what it requires)")
    log(f"start-up: a local cluster of 2 workers answers its first task in {startup:.1f} s")
    log(f"warming up: the campaign's builds ({SEEDS} {SIZE} programs on {CONFIG}, Icarus) ...")
    campaign(None, jobs=1)
    rows, summaries = [], []
    for workers in (1, 2):
        load = os.getloadavg()[0]  # other work on the machine takes CPUs from the workers
        with ProcessCluster(workers=workers) as cluster:
            seconds, summary = campaign(cluster.address)
        rows.append((workers, seconds, load))
        summaries.append(summary)
        log(f"  {workers} worker(s): {seconds:.1f} s (load average {load:.1f} before)")
    if summaries[0] != summaries[1]:
        log("cluster-bench: FAIL: 1 and 2 workers gave different results")
        return 1
    base = rows[0][1]
    table = [
        f"Measured by `make cluster-bench` on a machine with {os.cpu_count()} CPUs: a fuzz campaign of "
        f"{SEEDS} {SIZE} random programs on Icarus ({SEEDS // BATCH} tasks of {BATCH}), builds made "
        f"beforehand; the engine (distributed {distributed.__version__}) installs {size / 1e6:.0f} MB "
        f"with what it requires, and a local cluster of two workers answers its first task "
        f"{startup:.1f} s after start.",
        "",
        "| workers | wall time | speed-up | load average before the run (other work on the machine) |",
        "|---|---|---|---|",
        *(f"| {workers} | {seconds:.1f} s | {base / seconds:.2f}x | {load:.1f} |" for workers, seconds, load in rows),
    ]
    text = "\n".join(table)
    log("")
    log(text)
    if update:
        from .readme import replace_section

        replace_section(BEGIN, END, text, readme=CLUSTER_DOC)
        log(f"written into {CLUSTER_DOC.relative_to(REPO_ROOT)}")
    return 0
