# SPDX-License-Identifier: MIT
"""The campaign engine (tinygpu.engine, Dask distributed) against a real cluster: a
scheduler and two workers started as separate processes on 127.0.0.1 with the engine's
own commands (tinygpu.process_cluster).

- a worker killed by its process id in the middle of a run loses nothing: every task's
  result arrives once, its tasks run again on the other worker, and the report says a
  worker was lost;
- the same seeds give the same fuzz results on the cluster as on the local engine;
- a cluster whose workers lack a tool, or run other sources, is refused in one line
  before any task runs, and so is an address nobody listens on.

The same for whole campaigns (fuzz, mutation, coverage, each with a worker killed) is
tb/test_engine_campaigns.py, in make test-all.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from tinygpu import engine as engine_module
from tinygpu import fuzz
from tinygpu.configs import get_config
from tinygpu.engine import EngineError, open_engine
from tinygpu.process_cluster import ProcessCluster

SEEDS = 6  # six batches of one program: both workers busy when one is killed


def fuzz_summary(engine, log) -> list[str]:
    """The per-simulator summary lines of a small fuzz campaign on Icarus (no wall time)."""
    status, summary = fuzz.campaign_summary(
        engine=engine,
        first_seed=40,
        count=SEEDS,
        configs=[get_config("default")],
        sims=["icarus"],
        size="small",
        batch=1,
        log=log,
    )
    assert status == 0, summary
    return summary


@pytest.mark.sim
def test_a_worker_killed_mid_campaign_loses_nothing_and_gives_the_local_results(monkeypatch):
    with open_engine(cluster=None, jobs=1, tools=(), log=lambda _: None) as local:
        here = fuzz_summary(local, lambda _: None)
    assert f"{SEEDS} programs run" in here[0], here
    with ProcessCluster(workers=2) as cluster:
        with pytest.raises(EngineError, match="lacks no-such-program-here"):
            with open_engine(cluster=cluster.address, jobs=1, tools=("no-such-program-here",), log=print):
                pass
        with monkeypatch.context() as patch:
            patch.setattr(engine_module, "source_digest", lambda: "0123456789abcdef")
            with pytest.raises(EngineError, match="has other sources"):
                with open_engine(cluster=cluster.address, jobs=1, tools=(), log=print):
                    pass

        lines: list[str] = []
        victim = cluster.worker_pids[0]

        def kill_after_the_first_batch(line: str) -> None:
            lines.append(line)
            if line.startswith("[  1/"):  # both workers hold a batch now
                cluster.kill_worker(victim)

        with open_engine(cluster=cluster.address, jobs=1, tools=("iverilog",), log=lines.append) as remote:
            assert "2 worker(s), 2 CPU(s)" in lines[0] and cluster.address in lines[0], lines[0]
            there = fuzz_summary(remote, kill_after_the_first_batch)
            lost = remote.lost_workers()
        assert victim not in cluster.worker_pids
    assert here == there, (here, there)  # every seed once: nothing lost, nothing twice
    assert len(lost) == 1 and lost[0][1] >= 1, lost  # the killed worker, with a batch running
    assert any("was lost" in line for line in lines), lines


def test_an_address_nobody_listens_on_is_one_line_and_a_usage_error():
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "tinygpu.cli.fuzz", "--count", "1", "--cluster", f"127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and run.stdout == "", (run.stdout, run.stderr)
    assert run.stderr.count("\n") == 1 and "no Dask scheduler answers" in run.stderr, run.stderr
    assert time.monotonic() - started < 60
