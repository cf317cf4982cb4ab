# SPDX-License-Identifier: MIT
"""Every bad input gets one clear line, a non-zero exit, and changes nothing.

Each case runs a command-line tool in this process with a simulator that must not be
started (the function that would start it raises) and checks: exit status 2, exactly
one line on stderr that names what was wrong and what is allowed, nothing on stdout,
no traceback, and no file written. Assembly errors are the one exception to "one
line": every error is shown with its source line and a caret.
"""

from __future__ import annotations

import pytest

from tinygpu.cli import asm as asm_cli
from tinygpu.cli import bench as bench_cli
from tinygpu.cli import coverage as coverage_cli
from tinygpu.cli import fuzz as fuzz_cli
from tinygpu.cli import randprog as randprog_cli
from tinygpu.cli import run as run_cli
from tinygpu.paths import KERNELS_DIR
from tinygpu.sim import SIMULATORS

MATADD = str(KERNELS_DIR / "matadd.asm")


@pytest.fixture
def no_simulation(monkeypatch):
    """Any attempt to simulate fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a simulator was started for a bad input")

    monkeypatch.setattr(run_cli, "run_and_report", refuse)
    monkeypatch.setattr(fuzz_cli.fuzz, "run_campaign", refuse)
    monkeypatch.setattr(bench_cli.bench, "run_bench", refuse)
    monkeypatch.setattr(coverage_cli.coverage_report, "run_coverage", refuse)


def run_bad(main, argv, capsys) -> str:
    """Run a CLI on bad input; return its one stderr line after checking the rules."""
    try:
        status = main(argv)
    except SystemExit as stop:
        status = stop.code
    out, err = capsys.readouterr()
    assert status == 2, f"exit status {status} for {argv}"
    assert out == "", f"stdout for a bad input: {out!r}"
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{err}"
    return lines[0]


def write(tmp_path, name, content) -> str:
    path = tmp_path / name
    path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)
    return str(path)


RUN_CASES = [
    # (argv, what the line must say)
    (["--config", "nope"], "no configuration 'nope' in tb/configs.toml (known: default"),
    (["--latency", "0"], "--latency: must be an integer from 1 to 255, got 0"),
    (["--latency", "-3"], "--latency: must be an integer from 1 to 255, got -3"),
    (["--latency", "100000000000"], "--latency: must be an integer from 1 to 255"),
    (["--latency", "fast"], "--latency: must be an integer from 1 to 255, got 'fast'"),
    (["--stall-max", "-5"], "--stall-max: must be an integer from 0 to 255, got -5"),
    (["--threads", "-2"], "--threads: must be an integer from 0 to 255, got -2"),
    (["--threads", "300"], "--threads: must be an integer from 0 to 255, got 300"),
    (["--max-cycles", "0"], "--max-cycles: must be an integer from 1 to 4294967295, got 0"),
    (["--seed", "-1"], "--seed: must be an integer from 0 to 4294967295, got -1"),
    (["--sim", "vcs"], "--sim: must be one of icarus, verilator, got 'vcs'"),
    (["--json", "/no/such/folder/out.json"], "--json: folder /no/such/folder does not exist"),
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["--kernel", "/no/such/kernel.asm"], "cannot read kernel /no/such/kernel.asm: No such file"),
]


@pytest.mark.parametrize("argv,message", RUN_CASES, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_run_rejects_bad_settings(argv, message, capsys, no_simulation):
    line = run_bad(run_cli.main, ["--kernel", MATADD, *argv], capsys)
    assert line.startswith("tinygpu-run: error: ") and message in line, line


def test_run_rejects_an_empty_kernel(tmp_path, capsys, no_simulation):
    line = run_bad(run_cli.main, ["--kernel", write(tmp_path, "empty.asm", "")], capsys)
    assert "empty.asm:1:1: error: no instructions" in line


def test_run_rejects_a_binary_file(tmp_path, capsys, no_simulation):
    line = run_bad(run_cli.main, ["--kernel", write(tmp_path, "x.asm", b"RET\n\xff\xfe\x00")], capsys)
    assert "x.asm:2:1: error: not a text file: byte 0xff at offset 4 is not UTF-8" in line


def test_run_requires_a_launch_size(tmp_path, capsys, no_simulation):
    line = run_bad(run_cli.main, ["--kernel", write(tmp_path, "k.asm", "RET\n")], capsys)
    assert "has no .threads directive: add `.threads N` (0..255) or pass --threads N" in line


def test_run_rejects_a_broken_kernel_description(tmp_path, capsys, no_simulation):
    kernel = write(tmp_path, "k.asm", ".threads 1\nRET\n")
    write(tmp_path, "k.toml", 'description = "x"\nreference = "no_such_function"\n')
    line = run_bad(run_cli.main, ["--kernel", kernel], capsys)
    assert "references.py (it holds the kernels' reference functions)" in line


def test_run_shows_every_assembly_error_with_its_line(tmp_path, capsys, no_simulation):
    kernel = write(tmp_path, "broken.asm", ".threads 2\n  CONST R1, #300\n  ADDD R0, R1, R2\nRET\n")
    assert run_cli.main(["--kernel", kernel]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert err.splitlines() == [
        f"{kernel}:2:13: error: immediate 300 out of range 0..255",
        "      CONST R1, #300",
        "                ^",
        f"{kernel}:3:3: error: unknown mnemonic 'ADDD'",
        "      ADDD R0, R1, R2",
        "      ^",
    ]


# Kernels whose result the ISA model already knows to be undefined: no simulator may start
# (on Icarus the X of a never-written shared byte used to reach the memory bus and fire RTL
# assertions: the user was told the hardware is broken).
UNDEFINED_KERNELS = [
    (
        "reads-unwritten-shared",
        ".threads 4\nLDS R1, %threadIdx\nCONST R2, #32\nADD R2, R2, %threadIdx\nSTR R2, R1\nRET\n",
        "block 0 thread 0 reads shared byte 0 (pc 0) before any thread of its block wrote it",
    ),
    (
        "global-race",
        ".threads 4\nCONST R0, #40\nSTR R0, %threadIdx\nRET\n",
        "address 40 is written and shared by block 0 thread 0, block 0 thread 1",
    ),
]


@pytest.mark.parametrize("sim", SIMULATORS)
@pytest.mark.parametrize(
    "source,message", [case[1:] for case in UNDEFINED_KERNELS], ids=[case[0] for case in UNDEFINED_KERNELS]
)
def test_run_refuses_a_kernel_whose_result_is_undefined(sim, source, message, tmp_path, capsys, no_simulation):
    line = run_bad(run_cli.main, ["--kernel", write(tmp_path, "k.asm", source), "--sim", sim], capsys)
    assert line.startswith("tinygpu-run: error: KERNEL RACE, not an RTL fault: "), line
    assert message in line, line


def test_run_refuses_a_configuration_the_kernel_is_not_written_for(capsys, no_simulation):
    kernel = str(KERNELS_DIR / "matmul4_tiled.asm")  # block_dims = [4]
    line = run_bad(run_cli.main, ["--kernel", kernel, "--config", "wide"], capsys)
    assert (
        "matmul4_tiled is not written for configuration wide (8 threads per block, 64 bytes of "
        "shared memory): its .toml asks for blocks of 4 threads, shared memory: 2 per thread of a block; "
        "it runs on: default, "
    ) in line, line
    assert "wide," not in line


@pytest.mark.parametrize("sim", SIMULATORS)
def test_run_refuses_a_runaway_kernel_without_a_cycle_limit(sim, tmp_path, capsys, no_simulation):
    """The ISA model's step limit answers at once; MAX_CYCLES= runs it on the RTL anyway."""
    kernel = write(tmp_path, "loop.asm", ".threads 4\nloop: BRnzp loop\n")
    line = run_bad(run_cli.main, ["--kernel", kernel, "--sim", sim], capsys)
    assert (
        "the kernel does not finish in the ISA model: block 0 thread 0 did not reach RET within 10000 "
        "instructions (pc 0 when stopped); to run it on the RTL anyway, give a cycle limit "
        "(MAX_CYCLES=N, --max-cycles N)"
    ) in line, line


def test_run_writes_nothing_for_bad_input(tmp_path, capsys, no_simulation, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_bad(run_cli.main, ["--kernel", MATADD, "--latency", "0", "--json", "out.json"], capsys)
    assert list(tmp_path.iterdir()) == []


OTHER_CASES = [
    (fuzz_cli.main, ["--count", "0"], "tinygpu-fuzz: error: argument --count: must be an integer from 1"),
    (fuzz_cli.main, ["--jobs", "0"], "tinygpu-fuzz: error: argument --jobs: must be an integer from 1 to 256"),
    (fuzz_cli.main, ["--sims", "vcs"], "--sims: must be a comma-separated list of icarus, verilator"),
    (fuzz_cli.main, ["--config", "nope"], "--config: no configuration 'nope'"),
    (fuzz_cli.main, ["--seed", "-4"], "--seed: must be an integer from 0"),
    (bench_cli.main, ["--sims", ""], "tinygpu-bench: error: argument --sims"),
    (bench_cli.main, ["--configs", "nope"], "tinygpu-bench: error: argument --configs: no configuration"),
    (bench_cli.main, ["--configs", ","], "tinygpu-bench: error: argument --configs: give at least one"),
    (bench_cli.main, ["--configs", "default", "--update"], "tinygpu-bench: error: --update writes the whole baseline"),
    (coverage_cli.main, ["--seeds", "-1"], "tinygpu-coverage: error: argument --seeds: must be an integer from 1"),
    (coverage_cli.main, ["--jobs", "0"], "tinygpu-coverage: error: argument --jobs"),
    (randprog_cli.main, ["--seed", "1", "--block-dim", "0"], "--block-dim: must be an integer from 1 to 32, got 0"),
    (randprog_cli.main, ["--seed", "x"], "--seed: must be an integer from 0"),
]


@pytest.mark.parametrize(
    "main,argv,message", OTHER_CASES, ids=[f"{m.__module__.rsplit('.', 1)[1]} {' '.join(a)}" for m, a, _ in OTHER_CASES]
)
def test_tools_reject_bad_arguments(main, argv, message, capsys, no_simulation):
    line = run_bad(main, argv, capsys)
    assert message in line, line


def test_assembler_rejects_empty_and_binary_files(tmp_path, capsys):
    for name, content, message in (
        ("e.asm", "", "error: no instructions"),
        ("b.asm", b"\x80", "error: not a text file"),
    ):
        out_hex = tmp_path / "out.hex"
        assert asm_cli.main([write(tmp_path, name, content), "-o", str(out_hex)]) == 1
        out, err = capsys.readouterr()
        assert len(err.strip().splitlines()) == 1 and message in err
        assert not out_hex.exists()
