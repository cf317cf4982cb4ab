# SPDX-License-Identifier: MIT
"""A Dask cluster of separate processes on this machine, started with the engine's own
commands: one `dask scheduler` and N `dask worker` processes on 127.0.0.1.

It is what several machines would run (docs/cluster.md), in miniature: the cluster tests
kill a worker by its process id in the middle of a campaign, and the scaling benchmark
(scripts/cluster_scaling.py) runs the same campaign on 1 and on 2 workers.

    with ProcessCluster(workers=2) as cluster:
        run_something(cluster=cluster.address)     # tcp://127.0.0.1:PORT
        cluster.kill_worker(cluster.worker_pids[0])

Workers run without a nanny (``--no-nanny``), so a killed worker stays dead, as a machine
that fails would, and one thread each (a task is one CPU-bound simulator process).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

START_SECONDS = 60  # for the scheduler to write its address and the workers to connect


class ProcessCluster:
    """A scheduler and `workers` workers as child processes; stopped on exit."""

    def __init__(self, workers: int = 2) -> None:
        self.count = workers
        self.folder = Path(tempfile.mkdtemp(prefix="tinygpu-cluster-"))
        self.scheduler: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.address = ""

    def _start(self, name: str, arguments: list[str]) -> subprocess.Popen:
        dask = Path(sys.executable).parent / "dask"
        with open(self.folder / f"{name}.log", "w") as log:  # the child keeps its own copy
            return subprocess.Popen([str(dask), *arguments], stdout=log, stderr=subprocess.STDOUT)

    def __enter__(self) -> ProcessCluster:
        scheduler_file = self.folder / "scheduler.json"
        self.scheduler = self._start(
            "scheduler",
            [
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--dashboard-address",
                ":0",
                "--scheduler-file",
                str(scheduler_file),
            ],
        )
        deadline = time.monotonic() + START_SECONDS
        while not scheduler_file.is_file():
            if time.monotonic() > deadline or self.scheduler.poll() is not None:
                log = (self.folder / "scheduler.log").read_text(errors="replace")[-2000:]
                self.close()
                raise RuntimeError(f"dask scheduler did not start:\n{log}")
            time.sleep(0.1)
        time.sleep(0.1)  # the file is written whole, but give it a moment
        self.address = json.loads(scheduler_file.read_text())["address"]
        for index in range(self.count):
            self.workers.append(
                self._start(
                    f"worker-{index}",
                    [
                        "worker",
                        self.address,
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--no-dashboard",
                        "--memory-limit",
                        "0",
                        "--host",
                        "127.0.0.1",
                        "--name",
                        f"worker-{index}",
                    ],
                )
            )
        self._wait_for_workers()
        return self

    def _wait_for_workers(self) -> None:
        from distributed import Client

        with Client(self.address, timeout=START_SECONDS) as client:
            client.wait_for_workers(self.count, timeout=START_SECONDS)

    @property
    def worker_pids(self) -> list[int]:
        """Process ids of the workers still running."""
        return [worker.pid for worker in self.workers if worker.poll() is None]

    def kill_worker(self, pid: int) -> None:
        """Kill one worker at once (SIGKILL: no goodbye to the scheduler)."""
        os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.scheduler]:
            if process is None:
                continue
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
