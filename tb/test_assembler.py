# SPDX-License-Identifier: MIT
"""Tests of tinygpu/assembler.py and tinygpu-asm: every syntax form, tiny-gpu's listings, errors, the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tinygpu.assembler import (
    AsmError,
    Program,
    assemble,
    assemble_file,
    parse_number,
)
from tinygpu.cli.asm import main

REPO = Path(__file__).resolve().parent.parent
KERNELS = REPO / "kernels"
ASSEMBLER = REPO / "scripts" / "assembler.py"


def words(text: str) -> list[int]:
    return assemble(text).words


# --------------------------------------------------------------------------------------
# Instructions, one form each
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "word"),
    [
        ("NOP", 0x0000),
        ("RET", 0xF000),
        ("CMP R9, R2", 0x2092),
        ("ADD R1, R2, R3", 0x3123),
        ("SUB R12, R0, R11", 0x4C0B),
        ("MUL R0, %blockIdx, %blockDim", 0x50DE),
        ("DIV R6, R0, R2", 0x6602),
        ("LDR R4, R4", 0x7440),
        ("LDR R1, %threadIdx", 0x71F0),
        ("STR R7, R6", 0x8076),  # mem[R7] = R6: Rs in bits [7:4], Rt in bits [3:0]
        ("STR R1, %blockIdx", 0x801D),
        ("CONST R1, #0", 0x9100),
        ("CONST R3, #16", 0x9310),
        ("CONST R3, #255", 0x93FF),
        ("CONST R3, #0x1f", 0x931F),
        ("CONST R3, #0XAB", 0x93AB),
        ("CONST R3, #0b101", 0x9305),
        ("CONST R3, #007", 0x9307),
        ("BRn #12", 0x180C),
        ("BRz #12", 0x140C),
        ("BRp #12", 0x120C),
        ("BRnz #12", 0x1C0C),
        ("BRnp #12", 0x1A0C),
        ("BRzp #12", 0x160C),
        ("BRnzp #255", 0x1EFF),
        (".word 0xA123", 0xA123),
        (".word 0x9D05", 0x9D05),  # CONST %blockIdx, #5: only .word can spell it
        (".word 4096", 0x1000),
        (".word 0b1111000000000001", 0xF001),
    ],
)
def test_each_instruction_form(source: str, word: int) -> None:
    assert words(source) == [word]


@pytest.mark.parametrize(
    "source",
    [
        "add r1, r2, r3",
        "Add R1, r2, R3",
        "  ADD R1,R2,R3",
        "\tADD   R1 ,  R2 ,R3   ",
        "ADD R1, R2, R3 ; a comment",
        "ADD R1, R2, R3;comment right after",
    ],
)
def test_case_spacing_and_comments_do_not_matter(source: str) -> None:
    assert words(source) == [0x3123]


@pytest.mark.parametrize("name", ["%blockIdx", "%blockidx", "%BLOCKIDX", "%BlockIdx"])
def test_special_registers_case_insensitive(name: str) -> None:
    assert words(f"ADD R0, {name}, R0") == [0x30D0]


def test_every_register_number() -> None:
    names = [f"R{n}" for n in range(13)] + ["%blockIdx", "%blockDim", "%threadIdx"]
    for number, name in enumerate(names):
        assert words(f"CMP {name}, R0") == [0x2000 | number << 4]
        assert words(f"CMP R0, {name.lower()}") == [0x2000 | number]


@pytest.mark.parametrize("mnemonic", ["brnzp", "BRNZP", "BrNzP", "BRnzp"])
def test_branch_mnemonic_case_insensitive(mnemonic: str) -> None:
    assert words(f"{mnemonic} #3") == [0x1E03]


# --------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------


def test_labels_alone_and_before_instructions() -> None:
    program = assemble(
        """
        START:
            NOP
        LOOP: ADD R1, R1, R2   ; label and instruction on one line
            BRnzp LOOP
            BRz START
        A: B:   RET            ; two labels, one address
        END:
        """
    )
    assert program.labels == {"START": 0, "LOOP": 1, "A": 4, "B": 4, "END": 5}
    assert program.words == [0x0000, 0x3112, 0x1E01, 0x1400, 0xF000]


def test_forward_reference_and_label_after_last_instruction() -> None:
    program = assemble("BRz DONE\nNOP\nDONE:")
    assert program.words == [0x1402, 0x0000]
    assert program.labels == {"DONE": 2}


def test_labels_are_case_sensitive() -> None:
    program = assemble("loop: NOP\nLoop: NOP\nBRn Loop\nBRp loop")
    assert program.words[2:] == [0x1801, 0x1200]


def test_label_may_mark_a_word_directive() -> None:
    assert assemble("NOP\nRAW: .word 0xB000\nBRnzp RAW").words == [0x0000, 0xB000, 0x1E01]


# --------------------------------------------------------------------------------------
# Directives and the Program record
# --------------------------------------------------------------------------------------


def test_data_lines_append_and_accept_spaces_commas_and_comments() -> None:
    program = assemble(
        """
        .data 1 2 3          ; first line
        .data 4, 5,6 , 7     ; commas too
        .data 0x10 0b11 255
        NOP
        .data 9              ; after code as well
        """
    )
    assert program.data == [1, 2, 3, 4, 5, 6, 7, 16, 3, 255, 9]
    assert program.words == [0]


def test_threads_directive() -> None:
    assert assemble(".threads 8").threads == 8
    assert assemble(".THREADS 0x10").threads == 16
    assert assemble(".threads 0").threads == 0
    assert assemble("NOP").threads is None


def test_empty_source() -> None:
    assert assemble("") == Program(words=[], data=[], threads=None, labels={}, source_lines=[])
    assert assemble("; only a comment\n\n   \n").words == []


def test_source_lines_are_one_based_per_word() -> None:
    program = assemble("; header\n\nNOP\nL:\n  ADD R1, R1, R1\n.data 1\n.word 0xA000\nRET\n")
    assert program.source_lines == [3, 5, 7, 8]


def test_full_program_fits_exactly() -> None:
    assert len(words("NOP\n" * 256)) == 256
    assert len(assemble(".data" + " 7" * 256).data) == 256


def test_smaller_memories_can_be_configured() -> None:
    with pytest.raises(AsmError, match="program has 5 instructions; program memory holds 4"):
        assemble("NOP\n" * 5, program_size=4)
    with pytest.raises(AsmError, match=r"\.data holds more than 3 bytes"):
        assemble(".data 1 2 3 4", data_size=3)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0), ("42", 42), ("0x2A", 42), ("0b101010", 42), ("-3", -3), ("+7", 7), ("010", 10)],
)
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "0x", "0b2", "1a", "x1", "--1", "0o7"])
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


# --------------------------------------------------------------------------------------
# tiny-gpu's two demo kernels, assembled from kernels/
# --------------------------------------------------------------------------------------

MATADD_WORDS = [
    0x50DE,  # MUL R0, %blockIdx, %blockDim
    0x300F,  # ADD R0, R0, %threadIdx
    0x9100,  # CONST R1, #0
    0x9208,  # CONST R2, #8
    0x9310,  # CONST R3, #16
    0x3410,  # ADD R4, R1, R0
    0x7440,  # LDR R4, R4
    0x3520,  # ADD R5, R2, R0
    0x7550,  # LDR R5, R5
    0x3645,  # ADD R6, R4, R5
    0x3730,  # ADD R7, R3, R0
    0x8076,  # STR R7, R6
    0xF000,  # RET
]

MATMUL_WORDS = [
    0x50DE,
    0x300F,  # i = blockIdx * blockDim + threadIdx
    0x9101,
    0x9202,
    0x9300,
    0x9404,
    0x9508,  # CONST R1..R5
    0x6602,
    0x5762,
    0x4707,  # row, col
    0x9800,
    0x9900,  # acc = 0, k = 0
    0x5A62,
    0x3AA9,
    0x3AA3,
    0x7AA0,  # LOOP (12): load A[row][k]
    0x5B92,
    0x3BB7,
    0x3BB4,
    0x7BB0,  # load B[k][col]
    0x5CAB,
    0x388C,  # acc += A * B
    0x3991,  # k += 1
    0x2092,
    0x180C,  # CMP R9, R2; BRn LOOP
    0x3950,
    0x8098,  # STR C[i]
    0xF000,  # RET
]


def test_tiny_gpu_matadd_listing() -> None:
    program = assemble_file(KERNELS / "matadd.asm")
    assert program.words == MATADD_WORDS
    assert program.threads == 8
    assert program.data == list(range(8)) * 2


def test_tiny_gpu_matmul_listing() -> None:
    program = assemble_file(KERNELS / "matmul.asm")
    assert program.words == MATMUL_WORDS
    assert program.labels == {"LOOP": 12}
    assert program.threads == 4
    assert program.data == [1, 2, 3, 4] * 2


# --------------------------------------------------------------------------------------
# Errors: exact message, line and column
# --------------------------------------------------------------------------------------

REGISTERS = "expected a register (R0-R12, %blockIdx, %blockDim, %threadIdx)"
BRANCHES = "(branches are BRn, BRz, BRp, BRnz, BRnp, BRzp, BRnzp)"

BAD_SOURCES = [
    # (source, line, column, message)
    ("ADDD R1, R2, R3", 1, 1, "unknown mnemonic 'ADDD'"),
    ("NOP\n  FOO", 2, 3, "unknown mnemonic 'FOO'"),
    ("BRpn L", 1, 1, f"unknown mnemonic 'BRpn' {BRANCHES}"),
    ("BR #1", 1, 1, f"unknown mnemonic 'BR' {BRANCHES}"),
    ("ADD R13, R1, R2", 1, 5, f"{REGISTERS}, got 'R13'"),
    ("ADD R1, R2, #3", 1, 13, f"{REGISTERS}, got '#3'"),
    ("CMP R1, X", 1, 9, f"{REGISTERS}, got 'X'"),
    ("LDR R1, R01", 1, 9, f"{REGISTERS}, got 'R01'"),
    ("ADD %blockIdx, R1, R2", 1, 5, "destination %blockIdx is read-only"),
    ("CONST %blockdim, #1", 1, 7, "destination %blockDim is read-only"),
    ("LDR %threadIdx, R1", 1, 5, "destination %threadIdx is read-only"),
    ("CONST R1, #300", 1, 11, "immediate 300 out of range 0..255"),
    ("CONST R1, #-1", 1, 11, "immediate -1 out of range 0..255"),
    ("CONST R1, 5", 1, 11, "expected an immediate #N, got '5'"),
    ("CONST R1, R2", 1, 11, "expected an immediate #N, got 'R2'"),
    ("CONST R1, #abc", 1, 11, "expected a number after '#' (decimal, 0x hex or 0b binary), got '#abc'"),
    ("CONST R1, #", 1, 11, "expected a number after '#' (decimal, 0x hex or 0b binary), got '#'"),
    ("BRn #256", 1, 5, "branch target 256 out of range 0..255"),
    ("BRn R1", 1, 5, "expected a label or #address, got 'R1'"),
    ("BRn 12", 1, 5, "expected a label or #address, got '12'"),
    ("NOP\nBRn LOOPX", 2, 5, "undefined label 'LOOPX'"),
    ("loop: NOP\nBRn LOOP", 2, 5, "undefined label 'LOOP' (labels are case-sensitive; did you mean 'loop'?)"),
    ("NOP\nNOP\nNOP\nLOOP: NOP\n  LOOP:", 5, 3, "duplicate label 'LOOP' (first defined at line 4)"),
    ("ADD: NOP", 1, 1, "label 'ADD' is a reserved word"),
    ("r3: NOP", 1, 1, "label 'r3' is a reserved word"),
    ("R13: NOP", 1, 1, "label 'R13' is a reserved word"),
    ("brz: NOP", 1, 1, "label 'brz' is a reserved word"),
    ("%x: NOP", 1, 1, "invalid label name '%x' (letters, digits and '_', not starting with a digit)"),
    ("ADD R1, R2", 1, 1, "expected 3 operands for ADD, got 2"),
    ("  CMP R1", 1, 3, "expected 2 operands for CMP, got 1"),
    ("RET R1", 1, 5, "expected 0 operands for RET, got 1"),
    ("brz", 1, 1, "expected 1 operand for BRz, got 0"),
    ("BRz A, B", 1, 8, "expected 1 operand for BRz, got 2"),
    ("LDR R1, R2, R3", 1, 13, "expected 2 operands for LDR, got 3"),
    ("ADD R1, R2, R3 R4", 1, 16, "expected ',' or end of line, got 'R4'"),
    ("ADD R1 R2, R3", 1, 8, "expected ',' or end of line, got 'R2'"),
    ("ADD R1, R2, R3,", 1, 16, "expected an operand after ','"),
    ("ADD R1, , R3", 1, 9, "expected an operand, got ','"),
    ("ADD R1, R2, R3 @", 1, 16, "expected ',' or end of line, got '@'"),
    ("#5", 1, 1, "expected an instruction, label or directive, got '#5'"),
    ("%blockIdx", 1, 1, "expected an instruction, label or directive, got '%blockIdx'"),
    ("NOP\nNOP\n.thread 4", 3, 1, "unknown directive '.thread' (expected one of .threads, .data, .word)"),
    (".threads 4\n.threads 4", 2, 1, ".threads given twice (first at line 1)"),
    (".threads", 1, 9, "expected a thread count after .threads"),
    (".threads 256", 1, 10, "thread count 256 out of range 0..255"),
    (".threads -1", 1, 10, "thread count -1 out of range 0..255"),
    (".threads 4 5", 1, 12, "expected end of line, got '5'"),
    (".threads #4", 1, 10, "expected a thread count, got '#4'"),
    (".data", 1, 6, "expected at least one data value (0..255) after .data"),
    (".data 1 2 256", 1, 11, "data value 256 out of range 0..255"),
    (".data 1 x", 1, 9, "expected a data value (0..255), got 'x'"),
    (".data 1,,2", 1, 9, "expected a data value (0..255), got ','"),
    (".data , 1", 1, 7, "expected a data value (0..255), got ','"),
    (".data 1, ; trailing comma", 1, 9, "expected a data value (0..255) after ','"),
    (".data" + " 1" * 200 + "\n.data" + " 2" * 57, 2, 7 + 2 * 56, ".data holds more than 256 bytes"),
    ("L: .data 1", 1, 1, "a label cannot mark .data (labels name program addresses)"),
    ("L: .threads 1", 1, 1, "a label cannot mark .threads (labels name program addresses)"),
    (".word", 1, 6, "expected a 16-bit instruction word after .word"),
    (".word 0x10000", 1, 7, ".word value 0x10000 out of range 0x0000..0xFFFF"),
    (".word R1", 1, 7, "expected a 16-bit instruction word, got 'R1'"),
    ("NOP\n" * 299 + "  RET", 257, 1, "program has 300 instructions; program memory holds 256"),
    # Too long a program is reported at the first instruction that does not fit.
    ("NOP\n" * 255 + "L: NOP\nBRn L\n" + "NOP\n" * 3, 257, 1, "program has 260 instructions; program memory holds 256"),
]


@pytest.mark.parametrize(("source", "line", "column", "message"), BAD_SOURCES)
def test_error_message_line_and_column(source: str, line: int, column: int, message: str) -> None:
    with pytest.raises(AsmError) as caught:
        assemble(source, filename="bad.asm")
    error = caught.value
    assert (error.message, error.line, error.column) == (message, line, column)
    assert error.filename == "bad.asm"
    assert str(error) == f"bad.asm:{line}:{column}: error: {message}"


def test_label_beyond_branch_range() -> None:
    with pytest.raises(AsmError) as caught:
        assemble("BRn END\n" + "NOP\n" * 255 + "END:")
    assert str(caught.value) == ("<string>:1:5: error: label 'END' is at address 256; branch targets are 0..255")


def test_first_error_in_source_order_is_raised_and_all_are_kept() -> None:
    source = "NOP\nFOO\nADD R1\nCONST R1, #999\n"
    with pytest.raises(AsmError) as caught:
        assemble(source)
    assert [(e.line, e.message) for e in caught.value.all_errors] == [
        (2, "unknown mnemonic 'FOO'"),
        (3, "expected 3 operands for ADD, got 1"),
        (4, "immediate 999 out of range 0..255"),
    ]
    assert caught.value is caught.value.all_errors[0]


def test_syntax_errors_come_before_undefined_labels() -> None:
    # The undefined label is on an earlier line, but a syntax error stops pass 2.
    with pytest.raises(AsmError, match="unknown mnemonic 'BAD'"):
        assemble("BRn NOWHERE\nBAD")


def test_error_caret_points_at_the_column() -> None:
    with pytest.raises(AsmError) as caught:
        assemble("    CONST R1, #300 ; too big")
    assert caught.value.caret_lines() == ("        CONST R1, #300 ; too big\n" + " " * (4 + 14) + "^")


def test_assemble_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "k.asm"
    path.write_text("NOP\nJUNK\n")
    with pytest.raises(AsmError) as caught:
        assemble_file(path)
    assert str(caught.value) == f"{path}:2:1: error: unknown mnemonic 'JUNK'"


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def test_cli_writes_program_and_data_hex(tmp_path: Path) -> None:
    source = tmp_path / "k.asm"
    source.write_text(".data 1 0xff\nCONST R1, #5\nRET\n")
    out, data = tmp_path / "k.hex", tmp_path / "k.data.hex"
    assert main([str(source), "-o", str(out), "--data-out", str(data)]) == 0
    assert out.read_text() == "9105\nf000\n"
    assert data.read_text() == "01\nff\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.asm", "k.data.hex", "k.hex"]


def test_cli_prints_program_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "k.asm"
    source.write_text("NOP\nRET\n")
    assert main([str(source)]) == 0
    assert capsys.readouterr().out == "0000\nf000\n"


def test_cli_on_error_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "bad.asm"
    source.write_text(".data 1\nNOP\nADD R1, R2\n")
    out, data = tmp_path / "out.hex", tmp_path / "data.hex"
    data.write_text("stale\n")  # an existing output must survive a failed run unchanged
    result = subprocess.run(
        [sys.executable, str(ASSEMBLER), str(source), "-o", str(out), "--data-out", str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{source}:3:1: error: expected 3 operands for ADD, got 2\n")
    assert not out.exists()
    assert data.read_text() == "stale\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.asm", "data.hex"]


def test_cli_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.asm"
    assert main([str(missing), "-o", str(tmp_path / "x.hex")]) == 1
    assert "No such file" in capsys.readouterr().err
    assert not (tmp_path / "x.hex").exists()
