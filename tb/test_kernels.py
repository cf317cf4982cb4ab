# SPDX-License-Identifier: MIT
"""Tests of tinygpu/kernels.py: loading kernels and the errors for broken kernel folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinygpu.kernels import (
    DEFAULT_MAX_CYCLES,
    KernelError,
    discover_kernels,
    kernel_paths,
    load_kernel,
)

REFERENCES = "def double(memory, threads, block_dim):\n    return list(memory)\n"


def make_kernel(
    folder: Path,
    name: str = "k",
    asm: str = ".threads 2\n.data 7 8\nRET\n",
    toml: str | None = 'description = "a kernel"\nreference = "double"\n',
    references: str | None = REFERENCES,
) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.asm").write_text(asm)
    if toml is not None:
        (folder / f"{name}.toml").write_text(toml)
    if references is not None:
        (folder / "references.py").write_text(references)
    return folder / f"{name}.asm"


def test_load_kernel_fields(tmp_path: Path) -> None:
    toml = 'description = "d"\nreference = "double"\nmax_cycles = 7\n'
    kernel = load_kernel(make_kernel(tmp_path, toml=toml))
    assert kernel.name == "k"
    assert kernel.asm_path == tmp_path / "k.asm"
    assert (kernel.threads, kernel.data, kernel.program.words) == (2, [7, 8], [0xF000])
    assert kernel.description == "d" and kernel.max_cycles == 7
    assert kernel.reference([1, 2], 2, 4) == [1, 2]


def test_load_kernel_by_toml_path_and_default_max_cycles(tmp_path: Path) -> None:
    make_kernel(tmp_path)
    kernel = load_kernel(tmp_path / "k.toml")
    assert kernel.max_cycles == DEFAULT_MAX_CYCLES


def test_discover_sorts_by_name(tmp_path: Path) -> None:
    for name in ("zeta", "alpha", "mid"):
        make_kernel(tmp_path, name=name)
    assert [kernel.name for kernel in discover_kernels(tmp_path)] == ["alpha", "mid", "zeta"]


def test_default_folder_is_the_repository_kernels() -> None:
    names = [path.stem for path in kernel_paths()]
    assert names == sorted(names) and "matmul" in names


@pytest.mark.parametrize(
    ("toml", "references", "asm", "message"),
    [
        (None, REFERENCES, "RET", r"missing .*k\.toml"),
        (
            'description = "d"\nreference = "nothere"\n',
            REFERENCES,
            ".threads 1\nRET",
            r"reference 'nothere' not found in .*references\.py",
        ),
        ('description = "d"\nreference = "double"\n', None, ".threads 1\nRET", r"missing .*references\.py"),
        ('reference = "double"\n', REFERENCES, ".threads 1\nRET", r"missing key\(s\) description"),
        (
            'description = "d"\nreference = "double"\nmax_cycle = 5\n',
            REFERENCES,
            ".threads 1\nRET",
            r"unknown key\(s\) max_cycle",
        ),
        (
            'description = "d"\nreference = "double"\nmax_cycles = 0\n',
            REFERENCES,
            ".threads 1\nRET",
            "max_cycles must be a positive integer",
        ),
        ("description = \n", REFERENCES, ".threads 1\nRET", "invalid TOML"),
        ('description = "d"\nreference = "double"\n', REFERENCES, "RET", r"no \.threads directive"),
        (
            'description = "d"\nreference = "double"\n',
            REFERENCES,
            ".threads 1\nBAD",
            r"does not assemble: .*k\.asm:2:1: error: unknown mnemonic 'BAD'",
        ),
    ],
)
def test_load_errors(tmp_path: Path, toml: str | None, references: str | None, asm: str, message: str) -> None:
    path = make_kernel(tmp_path, asm=asm, toml=toml, references=references)
    with pytest.raises(KernelError, match=message):
        load_kernel(path)


def test_lone_toml_is_an_error(tmp_path: Path) -> None:
    make_kernel(tmp_path)
    (tmp_path / "orphan.toml").write_text('description = "d"\nreference = "double"\n')
    with pytest.raises(KernelError, match=r"missing .*orphan\.asm"):
        discover_kernels(tmp_path)


@pytest.mark.parametrize("path", kernel_paths(), ids=lambda path: path.stem)
def test_each_kernel_loads(path):
    """One item per kernel file: a broken kernel fails here, under its own name (the
    suites that run every kernel leave it out instead of failing as a whole)."""
    kernel = load_kernel(path)
    assert kernel.name == path.stem and kernel.program.words
