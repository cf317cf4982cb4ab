# SPDX-License-Identifier: MIT
"""The synthesis flow's decisions, without running the tools (make synth runs them).

The baseline check must fail on real growth, slowdown or a change of device, and pass
within the tolerance; the device chosen for a design is the smallest that holds its
logic and pins; the table says where each configuration went and why one did not fit;
the committed baseline names a device for every configuration of tb/configs.toml.
"""

from __future__ import annotations

import pytest

from tinygpu import synth
from tinygpu.configs import load_configs

ECP5_45F = synth.ECP5_DEVICES[1].name


def result(luts: int, fmax: float | None, device: str | None = synth.HX8K.name, **fields) -> synth.SynthResult:
    values = dict(
        config="default",
        device=device,
        logic_cells=luts if device else None,
        luts=luts,
        flip_flops=0,
        carry_cells=0,
        ram_blocks=0,
        pins=180,
        fits=device is not None,
        misfit=None if device else "logic",
        fmax_mhz=fmax,
        path_start=None,
        path_end=None,
        seconds=0.0,
    )
    values.update(fields)
    return synth.SynthResult(**values)


BASE = {"default": {"area": 1000, "area_is": "iCE40 LUTs", "device": synth.HX8K.name, "fmax_mhz": 30.0}}


def test_within_the_tolerance_passes():
    assert synth.check_against_baseline([result(1050, 28.5)], BASE) == []


@pytest.mark.parametrize(
    "measured, expected",
    [
        (result(1051, 30.0), "area 1051 iCE40 LUTs is more than 5% above"),
        (result(1000, 28.4), "Fmax 28.4 MHz is more than 5% below"),
        (result(1000, 30.0, device=ECP5_45F), f"placed on {ECP5_45F}, the baseline on {synth.HX8K.name}"),
        (result(1000, None, device=None), "placed on no device"),
    ],
)
def test_growth_slowdown_or_another_device_fails(measured, expected):
    problems = synth.check_against_baseline([measured], BASE)
    assert len(problems) == 1 and expected in problems[0], problems


def test_a_configuration_missing_from_the_baseline_fails():
    assert "not in the baseline" in synth.check_against_baseline([result(1000, 30.0)], {})[0]


def test_ecp5_devices_grow_in_order():
    sizes = [(device.logic, device.pins) for device in synth.ECP5_DEVICES]
    assert sizes == sorted(sizes) and sizes[0][0] > synth.HX8K.logic


def test_table_names_device_share_and_misfit():
    table = synth.format_table([result(3840, 30.0), result(30000, None, device=None, config="huge")])
    assert f"| default | {synth.HX8K.name} | 3840 (50 %) |" in table
    assert "| huge | - | does not fit (logic) |" in table


def test_cell_names_lose_generated_suffixes():
    assert (
        synth._cell_name("g_cores[0].u_core.u_fetcher.prefetch_q_TRELLIS_FF_Q_7_DI")
        == "g_cores[0].u_core.u_fetcher.prefetch_q"
    )
    assert synth._cell_name("u_dcr.data_q_SB_DFFE_Q") == "u_dcr.data_q"


def test_baseline_covers_every_configuration_with_a_device():
    baseline = synth.load_baseline()
    assert sorted(baseline) == sorted(load_configs())
    for name, entry in baseline.items():
        assert entry["area_is"] == "iCE40 LUTs" and entry["area"] > 0, name
        assert entry["device"] is None or entry["device"] in {d.name for d in (synth.HX8K, *synth.ECP5_DEVICES)}, name


@pytest.mark.parametrize(
    "message, misfit",
    [
        ("ERROR: Unable to find legal placement for all cells, design is probably at utilisation limit.", True),
        ("ERROR: Unable to find a placement location for cell 'x$sb_io'", True),
        ("ERROR: Failed to route net 'clk'", False),
    ],
)
def test_nextpnr_messages_that_mean_too_big(message, misfit):
    assert synth.does_not_fit(message) == misfit


def test_conflicting_drivers_are_found_in_the_yosys_log():
    # What Yosys printed for gpu_axi when two generate blocks' processes wrote one vector
    # through a variable index (the synthesized area collapsed to 831 LUTs).
    log = (
        "Warning: multiple conflicting drivers for gpu_axi.\\u_program_master.word_valid_q [31]:\n"
        "Warning: multiple conflicting drivers for gpu_axi.\\u_program_master.word_valid_q [30]:\n"
        "Warning: multiple conflicting drivers for gpu_axi.\\u_program_master.words_q [7]:\n"
        "Warning: Replacing memory \\words_q with list of registers.\n"
    )
    assert synth.conflicting_drivers(log) == [
        "gpu_axi.\\u_program_master.word_valid_q",
        "gpu_axi.\\u_program_master.words_q",
    ]
    assert synth.conflicting_drivers("Warning: Replacing memory \\words_q with list of registers.\n") == []
