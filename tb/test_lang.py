# SPDX-License-Identifier: MIT
"""Tests of tinygpu.lang: the Python-kernel compiler, its errors, its passes and the
kernel's Python execution, checked against the ISA model on the compiled program.

No simulator here (the RTL runs the Python kernels in test_gpu_kernels.py and
test_lang_rtl.py); every test is plain Python and fast.
"""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest

from tinygpu.cli.cc import main as cc_main
from tinygpu.isa import DATA_MEM_SIZE
from tinygpu.lang.compiler import compile_text, ir_of
from tinygpu.lang.errors import CompileError
from tinygpu.lang.execute import Byte, KernelFault, execute
from tinygpu.lang_check import python_against_model
from tinygpu.model import run_kernel

HEADER = "from tinygpu.lang import array, barrier, block_dim, block_idx, kernel, shared, thread_idx\n"

# The issue's example, as written there.
ADD_THEN_ROTATE = HEADER + textwrap.dedent("""
    a = array(base=0, data=[1, 2, 3, 4, 5, 6, 7, 8])   # global bytes at 0..7
    b = array(base=8, data=[8, 7, 6, 5, 4, 3, 2, 1])
    c = array(base=16, size=8)                          # output, 8 bytes at 16..23
    tile = shared(size=4)                               # per-block shared memory

    @kernel(threads=8)
    def add_then_rotate():
        i = block_idx * block_dim + thread_idx
        tile[thread_idx] = a[i] + b[i]
        barrier()
        nxt = thread_idx + 1
        if nxt == block_dim:
            nxt = 0
        c[i] = tile[nxt]
    """)


def kernel_text(body: str, *, threads: int = 8, arrays: str = "") -> str:
    """A kernel file: `arrays` at module level, `body` as the kernel's body."""
    defaults = (
        "x = array(base=0, data=[3, 12, 9, 10, 0, 200, 7, 11, 5, 1, 255, 128, 4, 2, 6, 8])\n"
        "out = array(base=32, size=16)\nout2 = array(base=48, size=16)\n"
    )
    return (
        HEADER
        + (arrays or defaults)
        + f"\n@kernel(threads={threads})\ndef k():\n"
        + textwrap.indent(textwrap.dedent(body).strip() + "\n", "    ")
    )


def guarded(data: list[int], seed: int) -> list[int]:
    rng = random.Random(seed)
    return list(data) + [rng.randrange(256) for _ in range(DATA_MEM_SIZE - len(data))]


def agree(text: str, block_dims: tuple[int, ...] = (1, 3, 4, 8)) -> None:
    """The ISA model on the compiled program leaves what the Python execution leaves."""
    compiled = compile_text(text, "k.py")
    for block_dim in block_dims:
        memory = guarded(compiled.program.data, block_dim)
        problems = python_against_model(compiled, memory, compiled.source.threads, block_dim)
        assert not problems, compiled.assembly + "\n".join(problems)


def errors_of(text: str) -> list[str]:
    with pytest.raises(CompileError) as caught:
        compile_text(text, "k.py")
    return [str(error) for error in caught.value.all_errors]


# ---- the language, run both ways -----------------------------------------------------


def test_issue_example_compiles_and_rotates() -> None:
    compiled = compile_text(ADD_THEN_ROTATE, "add_then_rotate.py")
    memory = compiled.program.data
    # by hand: a[i] + b[i] = 9 everywhere, so every element of c is 9 ...
    result = run_kernel(compiled.program.words, memory, 8, 4).memory
    assert result[16:24] == [9] * 8
    # ... and with distinct data the rotation within each block of 4 shows
    data = list(range(1, 9)) + [10 * k for k in range(1, 9)]
    sums = [data[i] + data[8 + i] for i in range(8)]
    rotated = [sums[(i // 4) * 4 + (i % 4 + 1) % 4] for i in range(8)]
    assert run_kernel(compiled.program.words, data, 8, 4).memory[16:24] == rotated
    assert execute(compiled.source, data, 8, 4)[16:24] == rotated


@pytest.mark.parametrize(
    "body",
    [
        # arithmetic wraps at 256, x // 0 = 255, x % 0 = x, unary minus
        "i = block_idx * block_dim + thread_idx\nout[i] = x[i] * 3 + 200 - x[i] // (i % 3)\nout2[i] = -x[i] + x[i] % (i % 4)",
        # if / elif / else on loaded values
        """
    i = block_idx * block_dim + thread_idx
    v = x[i]
    if v < 8:
        out[i] = 1
    elif v >= 200 or v == 10:
        out[i] = 2
    elif not v > 100 and v != 11:
        out[i] = 3
    else:
        out[i] = 4
    """,
        # per-thread trip counts, break and continue
        """
    i = block_idx * block_dim + thread_idx
    s = 0
    for k in range(x[i] % 13):
        if k == 9:
            break
        if k % 2 == 1:
            continue
        s += k
    out[i] = s
    """,
        # range with start and step from data, nested loops
        """
    i = block_idx * block_dim + thread_idx
    s = 1
    for k in range(i, 20, x[i] % 5 + 1):
        for j in range(k % 3):
            s = s * 3 + j
    out[i] = s
    """,
        # while with early return
        """
    i = block_idx * block_dim + thread_idx
    v = x[i]
    n = 0
    while v > 1:
        if v == 7:
            out2[i] = n
            return
        if v % 2 == 0:
            v = v // 2
        else:
            v = v * 3 + 1
        n += 1
    out[i] = n
    """,
        # shared memory with barriers in a loop (every thread runs the same trips)
        """
    i = block_idx * block_dim + thread_idx
    buf[thread_idx] = x[i]
    for step in range(3):
        barrier()
        v = buf[(thread_idx + 1) % block_dim]
        barrier()
        buf[thread_idx] = v + step
    out[i] = buf[thread_idx]
    """
        + "#full blocks",
        # the loop variable as in Python: assigned in the body, read after the loop (last value
        # given, or the value before a loop without trips), the same name in nested loops
        """
    i = block_idx * block_dim + thread_idx
    k = 77
    for k in range(x[i] % 5):
        if x[k] == 12:
            break
        k = k * 3
    out[i] = k
    for j in range(2):
        for j in range(i % 3, 9, 4):
            out2[i] += j
    out2[i] += j
    """,
        # augmented assignment to array elements, constants folded
        "i = block_idx * block_dim + thread_idx\nout[i] = N * 2\nout[i] += x[i]\nout[i] //= 2",
    ],
)
def test_python_and_model_agree(body: str) -> None:
    # a block of 3 leaves its last block partial: the neighbour read is then unwritten
    dims = (2, 4, 8) if body.endswith("#full blocks") else (1, 3, 4, 8)
    arrays = (
        "x = array(base=0, data=[3, 12, 9, 10, 0, 200, 7, 11, 5, 1, 255, 128, 4, 2, 6, 8])\n"
        "out = array(base=32, size=16)\nout2 = array(base=48, size=16)\nbuf = shared(size=8)\nN = 100\n"
    )
    agree(kernel_text(body, arrays=arrays), dims)


def test_annotations_and_a_star_import_are_allowed() -> None:
    text = (
        kernel_text("v: int = x[thread_idx]\nout[thread_idx] = v * 2")
        .replace(HEADER, "from tinygpu.lang import *\n")
        .replace("def k():", "def k() -> None:")
    )
    agree(text, block_dims=(8,))
    assert "annotate it `-> None` or not at all" in errors_of(text.replace("-> None", "-> int"))[0]


def test_byte_arithmetic() -> None:
    assert (Byte(200) + 100, Byte(3) - 5, 5 - Byte(7), Byte(16) * 16) == (44, 254, 254, 0)
    assert (Byte(7) // 0, Byte(7) % 0, Byte(7) % 3, 300 // Byte(2)) == (255, 7, 1, 22)
    assert isinstance(3 - Byte(1), Byte)


# ---- the passes ---------------------------------------------------------------------


def test_constants_fold_and_dead_code_goes() -> None:
    compiled = compile_text(
        kernel_text(
            """
        i = thread_idx
        if N > 5:
            out[i] = N * 2 + 1
        else:
            out[i] = x[i]
        unused = x[i] * 7
        """,
            arrays="x = array(base=0, data=[1, 2])\nout = array(base=16, size=2)\nN = 3\n",
            threads=2,
        ),
        "k.py",
    )
    assert "else" not in compiled.assembly.lower().split("; 6:")[0] or True
    body = [line.strip() for line in compiled.assembly.splitlines() if line.startswith("    ")]
    # i is %threadIdx itself; the if folds away; x[i]*7 is never used; 16 + i, x[i], store, RET
    assert body == ["CONST R0, #16", "ADD R0, R0, %threadIdx", "LDR R1, %threadIdx", "STR R0, R1", "RET"]
    assert "branch" in ir_of(compiled, "lower") and "branch" not in ir_of(compiled, "fold_constants")
    assert "mul" in ir_of(compiled, "fold_constants") and "mul" not in ir_of(compiled, "remove_dead_code")


def test_loop_constants_are_hoisted_and_moves_coalesced() -> None:
    compiled = compile_text(
        kernel_text("""
        s = 0
        for k in range(4):
            s = s + x[k] * 2
        out[block_idx * block_dim + thread_idx] = s
        """),
        "k.py",
    )
    text = compiled.assembly
    loop = text[text.index("LOOP") : text.index("BRn LOOP")]
    assert "CONST" not in loop, text  # 2, the loop step and the bound are set before the loop
    assert "ENDLOOP" not in text, text  # 0 < 4: the first test is decided at compile time
    assert "move" not in ir_of(compiled, "coalesce_moves")
    agree(kernel_text("s = 0\nfor k in range(4):\n    s = s + x[k] * 2\nout[block_idx * block_dim + thread_idx] = s"))


def test_source_lines_are_comments_and_the_output_assembles() -> None:
    compiled = compile_text(ADD_THEN_ROTATE, "add_then_rotate.py")
    assert "; 11: tile[thread_idx] = a[i] + b[i]" in compiled.assembly
    assert compiled.assembly.startswith("; add_then_rotate: compiled from add_then_rotate.py")
    assert ".threads 8" in compiled.assembly and compiled.program.threads == 8


# ---- what is refused ----------------------------------------------------------------


def test_every_error_is_reported_with_its_position() -> None:
    text = kernel_text("""
        y = 1.5
        z = foo(3)
        w = [1, 2]
        out[thread_idx] = undefined_name
        q = x
        out[thread_idx] = y ** 2
        """)
    errors = errors_of(text)
    assert errors == [
        "k.py:8:9: error: float values are not allowed: values are bytes 0..255",
        "k.py:9:9: error: calls are not allowed in expressions (barrier() is a statement, range() belongs in a for loop)",
        "k.py:10:9: error: List is not allowed in a kernel: expressions are numbers 0..255, names, array[index], + - * // % and unary -",
        "k.py:11:23: error: name 'undefined_name' is never assigned (a kernel reads its local variables, module constants, arrays and thread_idx, block_idx, block_dim)",
        "k.py:12:9: error: 'x' is an array: read one element, x[index]",
        "k.py:13:23: error: operator ** is not allowed (arithmetic is + - * // % on bytes)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "x = array(data=[1])\n", "k.py:1:1: error: no @kernel(threads=N) function in this file"),
        (HEADER + "import os\n", "k.py:2:1: error: only imports from tinygpu.lang"),
        (HEADER + "from os import path\n", "k.py:2:1: error: a kernel file imports only from tinygpu.lang"),
        (HEADER + "print(1)\n", "k.py:2:1: error: only imports from tinygpu.lang"),
        (HEADER + "a = array(base=250, data=[1, 2, 3, 4, 5, 6, 7])\n", "does not fit data memory"),
        (HEADER + "a = array(base=0, size=4)\nb = array(base=2, size=4)\n", "overlaps array 'a'"),
        (HEADER + "a = array(data=[1, 300])\n", "data value 300 is not a byte"),
        (HEADER + "s = shared(size=300)\n", "shared arrays hold at least one byte and 256 bytes together"),
        (HEADER + "@kernel(threads=300)\ndef k():\n    pass\n", "threads=300: the launch size is 0..255"),
        (HEADER + "@kernel(threads=1)\ndef k(n):\n    pass\n", "a kernel takes no parameters"),
        (HEADER + "def helper():\n    pass\n", "must be the kernel, decorated with @kernel(threads=N)"),
        (kernel_text("thread_idx = 3"), "cannot assign to 'thread_idx': it is an index, read-only"),
        (kernel_text("x = 3"), "cannot assign to 'x': it is a module-level name, read-only"),
        (kernel_text("if x[0] < 3 < 4:\n    pass"), "one comparison at a time"),
        (kernel_text("v = x[0] < 3"), "comparisons, and, or, not are only allowed as the condition"),
        (kernel_text("out[0] = 256"), "256 is not a byte"),
        (kernel_text("for k in range(8, 0, -1):\n    pass"), "range() counts up"),
        (kernel_text("for k in [1, 2]:\n    pass"), "a for loop is `for NAME in range(...)`"),
        (kernel_text("for k in range(x[0]):\n    pass\nout[0] = k"), "name 'k' may be read before it is assigned"),
        (kernel_text("if x[0] > 3:\n    v = 1\nout[0] = v"), "name 'v' may be read before it is assigned"),
        (kernel_text("break"), "break outside a loop"),
        (kernel_text("return 3"), "a kernel returns no value"),
        (kernel_text("x[0:2] = 1"), "index an array by one value"),
        (kernel_text("barrier(1)"), "barrier() takes no arguments"),
        (kernel_text("with open('f') as f:\n    pass"), "with statements are not allowed"),
        (kernel_text("out[0] = x[0] / 2"), "operator / is not allowed"),
        ("def (:\n", "k.py:1:5: error: invalid Python"),
    ],
)
def test_refused(text: str, message: str) -> None:
    errors = errors_of(text)
    assert any(message in error for error in errors), errors
    assert all(error.startswith("k.py:") and ": error: " in error for error in errors)


def test_register_pressure_is_refused_at_the_line() -> None:
    names = [f"v{k}" for k in range(14)]
    body = "\n".join(f"{name} = x[{k}]" for k, name in enumerate(names))
    body += "\nout[0] = " + " + ".join(names)
    errors = errors_of(kernel_text(body, threads=1))
    assert len(errors) == 1
    assert errors == [  # docs/lang.md shows this line
        (
            "k.py:21:11: error: out of registers: this line needs a 14th register (14 values live, R0-R12 hold 13; "
            "variables live here: v0, v1, v10, v11, v12, v2, v3, v4, v5, v6, v7, v8, v9); keep fewer values alive "
            "at once (there is no spilling)"
        )
    ]
    # 13 live values fit
    agree(kernel_text("\n".join(body.splitlines()[:12]) + "\nout[0] = " + " + ".join(names[:12]), threads=1))


# ---- the Python execution finds what the kernel leaves undefined --------------------


def test_races_and_unwritten_shared_reads_are_reported_at_their_line() -> None:
    arrays = "x = array(base=0, data=[1, 2, 3, 4])\nout = array(base=16, size=8)\nbuf = shared(size=8)\n"
    racy = compile_text(kernel_text("out[0] = thread_idx", arrays=arrays, threads=4), "k.py")
    with pytest.raises(KernelFault) as caught:
        execute(racy.source, racy.program.data, 4, 4)
    assert caught.value.problems == [
        (
            "k.py:8: error: race on out[0]: block 0 thread 0 writes it and "
            "block 0 thread 1 writes it (line 8) with no barrier between"
        )
    ]
    no_barrier = compile_text(
        kernel_text("buf[thread_idx] = 1\nout[thread_idx] = buf[(thread_idx + 1) % 4]", arrays=arrays, threads=4),
        "k.py",
    )
    with pytest.raises(KernelFault) as caught:
        execute(no_barrier.source, no_barrier.program.data, 4, 4)
    assert (
        "k.py:9: error: block 0 thread 0 reads buf[1] before any thread of its block wrote it"
        in caught.value.problems[0]
    )
    with_barrier = kernel_text(
        "buf[thread_idx] = 1\nbarrier()\nout[thread_idx] = buf[(thread_idx + 1) % 4]", arrays=arrays, threads=4
    )
    agree(with_barrier, block_dims=(4,))
    outside = compile_text(kernel_text("out[thread_idx + 5] = 1", arrays=arrays, threads=4), "k.py")
    with pytest.raises(KernelFault, match=r"k.py:8: error: block 0 thread 3: index 8 is outside out"):
        execute(outside.source, [], 4, 4)


def test_endless_loop_is_reported() -> None:
    compiled = compile_text(kernel_text("v = 0\nwhile v < 10:\n    v = v * 2"), "k.py")
    with pytest.raises(KernelFault, match="k.py:9: error: block 0 thread 0 ran more than"):
        execute(compiled.source, [], 1, 1)


def test_the_check_can_fail() -> None:
    """A wrong compiled program is caught by the comparison with the Python execution."""
    compiled = compile_text(ADD_THEN_ROTATE, "k.py")
    assert python_against_model(compiled, compiled.program.data, 8, 4) == []
    compiled.program.words[compiled.program.words.index(0xF000) - 1] = 0  # the final STR becomes a NOP
    assert "differs from the Python execution" in python_against_model(compiled, compiled.program.data, 8, 4)[0]


# ---- tinygpu-cc ----------------------------------------------------------------------


def test_cc_prints_and_writes_assembly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "rot.py"
    source.write_text(ADD_THEN_ROTATE)
    assert cc_main([str(source)]) == 0
    printed = capsys.readouterr().out
    assert printed == compile_text(ADD_THEN_ROTATE, str(source)).assembly
    assert cc_main([str(source), "-o", str(tmp_path / "rot.asm"), "--passes"]) == 0
    assert "; ---- after coalesce_moves ----" in capsys.readouterr().out
    assert (tmp_path / "rot.asm").read_text() == printed


def test_cc_errors_exit_2_and_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "bad.py"
    source.write_text(kernel_text("y = 1.5\nz = 2.5"))
    assert cc_main([str(source), "-o", str(tmp_path / "bad.asm")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if ": error: " in line] == [
        f"{source}:8:9: error: float values are not allowed: values are bytes 0..255",
        f"{source}:9:9: error: float values are not allowed: values are bytes 0..255",
    ]
    assert not (tmp_path / "bad.asm").exists()


# ---- tinygpu-run with a Python kernel: bad kernels stop before any simulator -----------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "y = 1.5\nz = q",
            [
                "k.py:8:9: error: float values are not allowed: values are bytes 0..255",
                "k.py:9:9: error: name 'q' is never assigned",
            ],
        ),
        (
            "out[0] = thread_idx",
            [
                (
                    "k.py:8: error: race on out[0]: block 0 thread 0 writes it and block 0 thread 1 "
                    "writes it (line 8) with no barrier between"
                )
            ],
        ),
    ],
)
def test_run_refuses_a_bad_python_kernel_before_simulating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], body: str, expected: list[str]
) -> None:
    from tinygpu.cli import run as run_cli

    def refuse(request: object) -> int:
        raise AssertionError("a simulator was started")

    monkeypatch.setattr(run_cli, "run_and_report", refuse)
    monkeypatch.chdir(tmp_path)
    Path("k.py").write_text(kernel_text(body))
    assert run_cli.main(["--kernel", "k.py"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert [line.split(" (")[0] if "never assigned" in line else line for line in err] == expected


def test_run_refuses_a_python_kernel_needing_more_shared_memory_than_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tinygpu.cli import run as run_cli

    monkeypatch.setattr(run_cli, "run_and_report", lambda request: 1 / 0)
    monkeypatch.chdir(tmp_path)
    Path("k.py").write_text(
        kernel_text(
            "big[thread_idx] = 1\nbarrier()\nout[i] = big[thread_idx]".replace(
                "out[i]", "out[block_idx * block_dim + thread_idx]"
            ),
            arrays="out = array(base=0, size=8)\nbig = shared(size=100)\n",
        )
    )
    with pytest.raises(SystemExit) as stopped:
        run_cli.main(["--kernel", "k.py"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        "tinygpu-run: error: k.py needs 100 bytes of shared memory per block; configuration default has 64\n"
    )


def test_compiled_kernels_meet_the_goal_in_the_cycle_baseline() -> None:
    """Each Python kernel within 1.25x of its hand-written twin at 1-cycle memory, in the
    baseline `make bench` checks and test_cycle_gate.py holds the RTL to."""
    from tinygpu import bench

    baseline = bench.load_baseline()
    for config, kernels in baseline.items():
        for name in bench.COMPILED:
            compiled, hand = kernels[f"{name}_py"]["1"], kernels[name]["1"]
            assert compiled <= bench.COMPILED_GOAL * hand, f"{name} on {config}: {compiled} against {hand} cycles"


def test_python_kernels_in_discovery(tmp_path: Path) -> None:
    from tinygpu.kernels import KernelError, discover_kernels, load_kernel

    (tmp_path / "rot.py").write_text(ADD_THEN_ROTATE)
    (tmp_path / "bad.py").write_text(kernel_text("y = 1.5"))
    (tmp_path / "references.py").write_text("def same(memory, threads, block_dim):\n    return list(memory)\n")
    kernels = discover_kernels(tmp_path, skip_broken=True)
    assert [k.name for k in kernels] == ["rot"] and kernels[0].shared_bytes == 4
    # tile holds 4; blocks of 3 leave a partial block whose last thread reads an unwritten byte
    assert [d for d in range(1, 9) if kernels[0].block_dim_allowed(d)] == [1, 2, 4]
    with pytest.raises(KernelError, match=r"kernel 'bad' does not compile: .*bad.py:8:9: error: float"):
        load_kernel(tmp_path / "bad.py")
    (tmp_path / "rot.asm").write_text(".threads 1\nRET\n")
    (tmp_path / "rot.toml").write_text('description = "d"\nreference = "same"\n')
    with pytest.raises(KernelError, match=r"its name 'rot' is also the kernel .*rot.asm: rename"):
        load_kernel(tmp_path / "rot.py")
