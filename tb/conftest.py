# SPDX-License-Identifier: MIT
"""pytest hooks shared by the suite: a closing table of cycle counts.

RTL tests record `cycles:<kernel>:<sim>:<setting>` properties (record_property); they
travel back from pytest-xdist workers with the test reports, and the table below
collects them so every `make test` reports cycles from start to done per kernel.
"""

from __future__ import annotations

from collections import defaultdict

from tinygpu.sim import SIMULATORS

_cycles: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name.startswith("cycles:"):
            _, kernel, sim, setting = name.split(":", 3)
            _cycles[(kernel, setting)][sim] = value


def pytest_terminal_summary(terminalreporter):
    if not _cycles:
        return
    sims = sorted({sim for values in _cycles.values() for sim in values})
    terminalreporter.section("cycles from start to done (default configuration)")
    terminalreporter.write_line(f"{'kernel':<22s} {'memory':<18s} " + " ".join(f"{s:>9s}" for s in sims))
    for (kernel, setting), values in sorted(_cycles.items()):
        cells = " ".join(f"{values.get(s, '-'):>9}" for s in sims)
        terminalreporter.write_line(f"{kernel:<22s} {setting:<18s} {cells}")


# --------------------------------------------------------------- --sim option ---
# `pytest --sim icarus` (or verilator) runs the simulator tests on one simulator only;
# the default runs both. Tests take the simulator as a parameter named `sim`.
SIMULATOR_CHOICES = (*SIMULATORS, "all")


def pytest_addoption(parser):
    parser.addoption(
        "--sim",
        default="all",
        choices=SIMULATOR_CHOICES,
        help="run the simulator tests on this simulator only (default: all)",
    )


def pytest_collection_modifyitems(config, items):
    chosen = config.getoption("--sim")
    if chosen == "all":
        return
    keep, drop = [], []
    for item in items:
        sim = getattr(item, "callspec", None) and item.callspec.params.get("sim")
        (drop if sim and sim != chosen else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
