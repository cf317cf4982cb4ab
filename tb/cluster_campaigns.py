# SPDX-License-Identifier: MIT
"""Whole campaigns on a real cluster with a worker killed mid-run give the local results.

Each of make fuzz, make mutate and make coverage runs twice: on the local engine, and on a
cluster of a scheduler and two workers started as separate processes on 127.0.0.1
(tinygpu.process_cluster), where one worker is killed by its process id once the first
task's result is in. The reports must agree (fuzz: the per-simulator summary; mutation:
every verdict and its reason; coverage: report.txt less its wall time) and the cluster run
must report the lost worker.

Minutes of CPU: the file is not named test_*.py, so `pytest tb` (make test) does not
collect it; make test-all names it. tb/test_engine.py is its light version in make test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tinygpu import coverage_report, fuzz, mutate
from tinygpu.configs import get_config
from tinygpu.engine import Engine, open_engine
from tinygpu.process_cluster import ProcessCluster
from tinygpu.sim import SIMULATORS

pytestmark = pytest.mark.sim


def local_and_killed(campaign: Callable[[Engine, Callable[[str], None], str], object], first_line: str):
    """(local result, cluster result, the cluster run's lines, workers lost) of `campaign`,
    one cluster worker killed when a line starting with `first_line` is logged."""
    with open_engine(cluster=None, jobs=2, tools=(), log=lambda _: None) as local:
        here = campaign(local, lambda _: None, "local")
    lines: list[str] = []
    with ProcessCluster(workers=2) as cluster:
        victim = cluster.worker_pids[0]

        def log(line: str) -> None:
            lines.append(line)
            if line.startswith(first_line) and victim in cluster.worker_pids:
                cluster.kill_worker(victim)

        with open_engine(cluster=cluster.address, jobs=1, tools=(), log=lines.append) as remote:
            there = campaign(remote, log, "cluster")
            lost = remote.lost_workers()
            remote.report_losses(lines.append)
    return here, there, lines, lost


def test_fuzz_with_a_killed_worker():
    def campaign(engine: Engine, log, _name: str) -> list[str]:
        status, summary = fuzz.campaign_summary(
            engine=engine,
            first_seed=500,
            count=8,
            configs=[get_config("default"), get_config("odd")],
            sims=list(SIMULATORS),
            size="small",
            batch=2,
            log=log,
        )
        assert status == 0, summary
        return summary

    here, there, lines, lost = local_and_killed(campaign, "[  1/")
    assert here == there and "8 programs run" in here[0], (here, there)
    assert len(lost) == 1 and any("was lost" in line for line in lines), lines


def test_mutation_with_a_killed_worker():
    chosen = mutate.sample(mutate.all_mutants(), 4, seed=4242)

    def campaign(engine: Engine, log, _name: str) -> list[tuple[str, str, str]]:
        verdicts = mutate.run_mutants(chosen, engine=engine, progress=log)
        return [(v.mutant.key, v.status, v.reason.split(" in /")[0]) for v in verdicts]

    here, there, lines, lost = local_and_killed(campaign, "unmutated RTL")
    assert here == there and len(here) == 4, (here, there)
    assert len(lost) == 1 and any("was lost" in line for line in lines), lines


def test_coverage_with_a_killed_worker(tmp_path):
    def campaign(engine: Engine, log, name: str) -> list[str]:
        out = tmp_path / name
        status = coverage_report.run_coverage(seeds=6, engine=engine, out_dir=out, log=log)
        report = (out / "report.txt").read_text().splitlines()
        assert status in (0, 1)
        return [line for line in report if not line.startswith(("wall time", "HTML report"))]

    here, there, lines, lost = local_and_killed(campaign, "  built")
    assert here == there, "\n".join(line for line in here + ["----"] + there)
    assert len(lost) == 1 and any("was lost" in line for line in lines), lines
