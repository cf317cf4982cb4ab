# SPDX-License-Identifier: MIT
"""Random programs (tinygpu/randprog.py) on the RTL, checked in lock-step with the ISA model.

Part of `make test`. For each simulator, a fixed list of seeds spread over the
representative configurations (6 per configuration, 24 in all; `make test-all`, i.e.
GPU_ALL_CONFIGS=1, takes every configuration), the generator's block_dim being the
configuration's THREADS_PER_BLOCK, each with a memory latency of 1..4 cycles and random
stalls of 0..6 cycles drawn from its seed. Every program of one (simulator,
configuration) runs in one simulator process, so pytest-xdist spreads the pairs.

Also every program kept in tb/fuzz_regressions/ (found by `make fuzz`, shrunk, kept as
.asm plus launch settings), re-run on both simulators with exactly the configuration and
memory behaviour they failed with.

A case is defined by tinygpu/fuzz_cases.py (`make_case`): program from the seed, latency and
stall_max from the seed, stall generator seeded with the seed. A failure names the seed,
block_dim, configuration and simulator and prints the command that re-runs and shrinks it.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from tinygpu.checks import check_run
from tinygpu.configs import get_config, load_configs, representative_configs, whole_suite
from tinygpu.fuzz_cases import (
    Case,
    Outcome,
    make_case,
    reproduce_command,
    run_cases,
)
from tinygpu.harness import run_jobs
from tinygpu.regressions import RegressionError, load_regressions
from tinygpu.sim import SIMULATORS

ALL_CONFIGS = whole_suite()
CONFIG_ORDER = list(load_configs())  # positions in tb/configs.toml pick the seeds
CONFIGS = list(load_configs().values()) if ALL_CONFIGS else representative_configs()
PROGRAMS_PER_CONFIG = 6
SIZE = "medium"

# Different seeds per simulator (more programs in total), fixed so that a run of
# `make test` is repeatable, and the same for a configuration in `make test` and
# `make test-all`: icarus on the n-th configuration of configs.toml runs seeds
# 100*n + 1 .. 100*n + 6, verilator 5000 more.
FIRST_SEED = {"icarus": 1, "verilator": 5001}


def seeds_for(sim: str, config_name: str) -> list[int]:
    """This (simulator, configuration)'s fixed seeds."""
    first = FIRST_SEED[sim] + 100 * CONFIG_ORDER.index(config_name)
    return list(range(first, first + PROGRAMS_PER_CONFIG))


def describe(case: Case, outcome: Outcome, sim: str) -> str:
    p = case.program
    status = "ok" if not outcome.failed else f"FAIL ({outcome.kind})"
    return (
        f"seed {case.seed:5d} {sim}/{case.config.name}: block_dim {p.block_dim}, "
        f"{p.threads:2d} threads, {len(case.words):3d} words, latency {case.latency}, "
        f"stall_max {case.stall_max}: {outcome.compared:5d} instructions compared, "
        f"{outcome.cycles:6d} cycles, {status}"
    )


def run_and_check(sim: str, cases: list[Case], work_dir) -> None:
    """Run cases (grouped per configuration, one simulator process each); assert all pass."""
    by_config: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_config[case.config.name].append(case)
    failures, compared = [], 0
    for name, group in by_config.items():
        outcomes = run_cases(sim, get_config(name), group, work_dir / name)
        for case, outcome in zip(group, outcomes):
            print(describe(case, outcome, sim))
            compared += outcome.compared
            if outcome.failed:
                failures.append(
                    f"seed {case.seed}, block_dim {case.program.block_dim}, configuration "
                    f"{name}, simulator {sim}, size {case.size}, latency {case.latency}, "
                    f"stall_max {case.stall_max}:\n"
                    + "\n".join(outcome.problems)
                    + f"\n  run folder: {outcome.work_dir or work_dir}"
                    + f"\n  reproduce and shrink: {reproduce_command(case.seed, name, sim, case.size)}"
                )
    assert not failures, f"{len(failures)} of {len(cases)} random programs failed:\n\n" + "\n\n".join(failures)
    assert compared > 0, "no instruction was compared"


@pytest.mark.sim
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
@pytest.mark.parametrize("sim", SIMULATORS)
def test_random_programs(sim, config, tmp_path):
    cases = [make_case(seed, config, SIZE) for seed in seeds_for(sim, config.name)]
    run_and_check(sim, cases, tmp_path)


# --------------------------------------------------------------------------------------
# Permanent regressions
# --------------------------------------------------------------------------------------

REGRESSIONS = load_regressions()


@pytest.mark.sim
@pytest.mark.parametrize("sim", SIMULATORS)
def test_fuzz_regressions(sim, tmp_path):
    """Every kept program of tb/fuzz_regressions/, with the launch settings it failed with,
    in lock-step with the ISA model (one simulator process per configuration)."""
    assert REGRESSIONS, "tb/fuzz_regressions/ holds no regression (the canary is missing)"
    by_config = defaultdict(list)
    for regression in REGRESSIONS:
        by_config[regression.config.name].append(regression)
    problems = []
    for name, group in by_config.items():
        config = group[0].config
        results = run_jobs(sim, config, [r.job() for r in group], tmp_path / name)
        for regression, result in zip(group, results):
            problems += check_run(
                result,
                block_dim=config.threads_per_block,
                shared_bytes=config.shared_mem_bytes,
                label=f"regression {regression.name} on {sim}/{name}",
            )
    assert not problems, "\n".join(problems)


def test_regression_loader_rejects_bad_entries(tmp_path):
    assert load_regressions(tmp_path / "absent") == []
    source = next(iter(REGRESSIONS))
    good_toml = source.asm_path.with_suffix(".toml").read_text()
    (tmp_path / "r.asm").write_text(source.asm_path.read_text())
    (tmp_path / "r.toml").write_text(good_toml)
    (entry,) = load_regressions(tmp_path)
    assert (entry.name, entry.config.name, entry.latency) == ("r", source.config.name, source.latency)
    for bad in (
        good_toml.replace(f'config = "{source.config.name}"', 'config = "no_such_config"'),
        good_toml.replace("latency = ", "latency = 300 #"),
        "\n".join(line for line in good_toml.splitlines() if not line.startswith("note")),
        good_toml + "seed = 3\n",
    ):
        (tmp_path / "r.toml").write_text(bad)
        with pytest.raises(RegressionError):
            load_regressions(tmp_path)
    (tmp_path / "r.toml").unlink()
    with pytest.raises(RegressionError, match="missing"):
        load_regressions(tmp_path)
