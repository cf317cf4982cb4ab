# SPDX-License-Identifier: MIT
"""The cycle gate: every benchmark figure within 2 % of the committed baseline.

`make bench UPDATE=1` writes tb/cycle_baseline.json; this test reruns the benchmark's
runs on Verilator, the faster simulator (one test per configuration; `make bench` checks
that both simulators count the same cycles) and fails when any figure is more than 2 %
above its baseline. Figures that improved are printed (run `make bench UPDATE=1` to
record them). The comparison itself is tested first, so the gate is shown to fail.
"""

from __future__ import annotations

import pytest

from tinygpu import bench
from tinygpu.configs import representative_configs, whole_suite

BASE = {"default": {"matadd": {"1": 100, "8": 200}}}


def test_the_gate_fails_a_figure_more_than_2_percent_up():
    failures, improvements = bench.compare_with_baseline(BASE, {"default": {"matadd": {"1": 103, "8": 200}}})
    assert improvements == []
    assert failures == ["matadd at latency 1 on default: 103 cycles, 3.0 % above the baseline's 100 (more than 2 %)"]


def test_the_gate_passes_a_figure_exactly_2_percent_up_and_reports_improvements():
    failures, improvements = bench.compare_with_baseline(BASE, {"default": {"matadd": {"1": 102, "8": 190}}})
    assert failures == []
    assert improvements == ["matadd at latency 8 on default: 190 cycles, down from 200"]


def test_the_gate_fails_a_figure_missing_on_either_side():
    failures, _ = bench.compare_with_baseline(BASE, {"default": {"matadd": {"1": 100, "4": 150}}})
    assert any("latency 4 on default: 150 cycles, not in the baseline" in f for f in failures)
    assert any("latency 8 on default: in the baseline (200 cycles) but not measured" in f for f in failures)


def test_make_bench_states_the_gates_verdict_either_way():
    passed = bench.gate_verdict([], [])
    assert passed == ["cycle gate: passed: no figure more than 2 % above tb/cycle_baseline.json"]
    failed = bench.gate_verdict(["matadd at latency 1 on default: 103 cycles, ..."], [])
    assert failed[-1] == "cycle gate: FAILED: 1 figure(s) more than 2 % above tb/cycle_baseline.json"
    improved = bench.gate_verdict([], ["matadd at latency 8 on default: 190 cycles, down from 200"])
    assert improved[0].startswith("improved: ") and improved[1].startswith("cycle gate: passed")


@pytest.mark.parametrize(
    "ratio,shown",
    [
        (0.2465, "24.6 % (goal >= 25 %: NOT met)"),
        (0.24999, "24.9 % (goal >= 25 %: NOT met)"),
        (0.25, "25.0 % (goal >= 25 %: met)"),
        (0.3612, "36.1 % (goal >= 25 %: met)"),
    ],
)
def test_a_speed_ratio_never_reads_as_a_goal_it_misses(ratio, shown):
    assert bench.ratio_against_goal(ratio, bench.SPEED_GOAL) == shown


# make test gates the representative configurations (tiny-gpu's port and the AXI port);
# make test-all and make bench every configuration of the benchmark (each other one is a
# Verilator build of its own, tens of seconds of CPU).
GATED = [name for name in bench.CONFIGS if whole_suite() or name in {c.name for c in representative_configs()}]


@pytest.mark.sim
@pytest.mark.parametrize("config", GATED)
def test_cycles_within_2_percent_of_the_baseline(config, tmp_path, capsys):
    figures, problems, _ = bench.measure(config, "verilator", tmp_path)
    assert problems == []
    baseline = bench.load_baseline()
    failures, improvements = bench.compare_with_baseline({config: baseline[config]}, {config: bench.cycles_of(figures)})
    with capsys.disabled():
        for line in improvements:
            print(f"\nimproved (record it with `make bench UPDATE=1`): {line}")
    assert failures == [], "\n".join(failures)
