# SPDX-License-Identifier: MIT
"""The README's Python tutorial shows what the tools print: the kernel is the file in
kernels/, the assembly is tinygpu-cc's output, and the run is make run's on Icarus."""

from __future__ import annotations

import re

import pytest

from tinygpu.configs import get_config
from tinygpu.kernels import load_kernel
from tinygpu.lang.compiler import compile_file
from tinygpu.paths import REPO_ROOT
from tinygpu.run_kernel import RunRequest, launch_job, run_and_report

README = REPO_ROOT / "README.md"
KERNEL = "kernels/add_then_rotate_py.py"


def block(name: str) -> str:
    found = re.search(rf"<!-- python-tutorial: {name} -->\n```\w*\n(.*?)```", README.read_text(), re.DOTALL)
    assert found, f"README.md: no block marked python-tutorial: {name}"
    return found.group(1)


def test_the_kernel_is_the_file() -> None:
    assert block("source") == (REPO_ROOT / KERNEL).read_text()


def test_the_assembly_is_what_tinygpu_cc_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    assert block("asm") == f"$ .venv/bin/tinygpu-cc {KERNEL}\n" + compile_file(KERNEL).assembly


@pytest.mark.sim
def test_the_run_is_what_make_run_prints() -> None:
    kernel = load_kernel(REPO_ROOT / KERNEL)
    request = RunRequest(
        asm_path=kernel.asm_path,
        program=kernel.program,
        kernel=kernel,
        sim="icarus",
        config=get_config("default"),
        threads=kernel.threads,
    )
    lines: list[str] = []
    status = run_and_report(request, launch_job(request), log=lines.append)
    assert status == 0
    printed = "\n".join(lines)
    shown = block("run").splitlines()
    assert shown[0] == f"$ make run KERNEL={KERNEL}"
    assert printed.splitlines()[: len(shown) - 1] == shown[1:]
