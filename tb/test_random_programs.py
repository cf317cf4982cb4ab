"""Random programs (scripts/randprog.py) on the RTL, checked in lock-step with the ISA model.

Part of `make test`. For each simulator, a fixed list of seeds spread over the
representative configurations (6 per configuration, 24 in all; `make test-all`, i.e.
GPU_ALL_CONFIGS=1, takes every configuration), the generator's block_dim being the
configuration's THREADS_PER_BLOCK, each with a memory latency of 1..4 cycles and random
stalls of 0..6 cycles drawn from its seed. Every program of one (simulator,
configuration) runs in one simulator process, so pytest-xdist spreads the pairs.

Also every entry of tb/fuzz_regressions.toml: seeds that once failed (found by
`make fuzz`), re-run on both simulators with exactly the configuration and memory
behaviour they failed with.

A case is defined by scripts/fuzz.py (`make_case`): program from the seed, latency and
stall_max from the seed, stall generator seeded with the seed. A failure names the seed,
block_dim, configuration and simulator and prints the command that re-runs and shrinks it.
"""

from __future__ import annotations

import os
from collections import defaultdict

import pytest

from tinygpu.configs import get_config, load_configs, representative_configs
from tinygpu.fuzz import (
    Case,
    Outcome,
    load_regressions,
    make_case,
    reproduce_command,
    run_cases,
)

SIMULATORS = ("icarus", "verilator")
ALL_CONFIGS = os.environ.get("GPU_ALL_CONFIGS") == "1"
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
    return (f"seed {case.seed:5d} {sim}/{case.config.name}: block_dim {p.block_dim}, "
            f"{p.threads:2d} threads, {len(case.words):3d} words, latency {case.latency}, "
            f"stall_max {case.stall_max}: {outcome.compared:5d} instructions compared, "
            f"{outcome.cycles:6d} cycles, {status}")


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
                    f"stall_max {case.stall_max}:\n" + "\n".join(outcome.problems)
                    + f"\n  run folder: {outcome.work_dir or work_dir}"
                    + f"\n  reproduce and shrink: {reproduce_command(case.seed, name, sim, case.size)}")
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


def test_regression_list_is_valid():
    """The file parses, every entry names a real configuration and a matching block_dim
    (load_regressions checks both), and its program is generated and modelled cleanly."""
    seen = set()
    for entry in REGRESSIONS:
        key = (entry.seed, entry.config, entry.size, entry.latency, entry.stall_max)
        assert key not in seen, f"duplicate regression entry {entry}"
        seen.add(key)
        assert entry.note.strip(), f"seed {entry.seed}: say what the entry found in `note`"
        case = entry.case()
        assert case.program.block_dim == entry.block_dim


@pytest.mark.sim
@pytest.mark.parametrize("sim", SIMULATORS)
def test_fuzz_regressions(sim, tmp_path):
    if not REGRESSIONS:
        pytest.skip("tb/fuzz_regressions.toml lists no regression")
    for entry in REGRESSIONS:
        print(f"regression seed {entry.seed} ({entry.config}): {entry.note}")
    run_and_check(sim, [entry.case() for entry in REGRESSIONS], tmp_path)


def test_regression_loader_handles_empty_and_rejects_bad_entries(tmp_path):
    assert load_regressions(tmp_path / "absent.toml") == []
    empty = tmp_path / "empty.toml"
    empty.write_text("# nothing yet\n")
    assert load_regressions(empty) == []
    good = ('[[regression]]\nseed = 3\nblock_dim = 3\nconfig = "odd"\nsize = "small"\n'
            'latency = 2\nstall_max = 4\nnote = "x"\n')
    path = tmp_path / "one.toml"
    path.write_text(good)
    (entry,) = load_regressions(path)
    assert (entry.seed, entry.config, entry.latency, entry.stall_max) == (3, "odd", 2, 4)
    for bad in (good.replace("block_dim = 3", "block_dim = 4"),     # not THREADS_PER_BLOCK
                good.replace('"odd"', '"no_such_config"'),
                good.replace('note = "x"\n', ""),                    # missing key
                good.replace('"small"', '"huge"')):
        path.write_text(bad)
        with pytest.raises(ValueError):
            load_regressions(path)
