# SPDX-License-Identifier: MIT
"""Tests of tinygpu.disassembler and its command lines: canonical text and the assemble/disassemble round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tinygpu.assembler import assemble, assemble_file
from tinygpu.cli import gtkwave_disasm
from tinygpu.cli.disasm import main
from tinygpu.disassembler import disassemble, disassemble_program
from tinygpu.isa import (
    ARITHMETIC_OPCODES,
    WORD_MASK,
    Opcode,
    decode,
    is_canonical,
    is_read_only,
)

KERNELS = Path(__file__).resolve().parent.parent / "kernels"


@pytest.mark.parametrize(
    ("word", "text"),
    [
        (0x0000, "NOP"),
        (0xF000, "RET"),
        (0x300F, "ADD R0, R0, %threadIdx"),
        (0x50DE, "MUL R0, %blockIdx, %blockDim"),
        (0x4C0B, "SUB R12, R0, R11"),
        (0x6602, "DIV R6, R0, R2"),
        (0x2092, "CMP R9, R2"),
        (0x7440, "LDR R4, R4"),
        (0x8076, "STR R7, R6"),
        (0x80DF, "STR %blockIdx, %threadIdx"),
        (0x9105, "CONST R1, #5"),
        (0x1C0C, "BRnz #12"),
        (0x1EFF, "BRnzp #255"),
        (0x1201, "BRp #1"),
        # No mnemonic spells these exactly, so they come out as raw words:
        (0xA123, ".word 0xA123"),  # BAR with don't-care bits set
        (0xD123, ".word 0xD123"),  # unused opcode
        (0xEFFF, ".word 0xEFFF"),
        (0x1005, ".word 0x1005"),  # condition 000
        (0x3D12, ".word 0x3D12"),  # ADD to %blockIdx
        (0x9F07, ".word 0x9F07"),  # CONST to %threadIdx
        (0x7E00, ".word 0x7E00"),  # LDR to %blockDim
        (0x0123, ".word 0x0123"),  # NOP with don't-care bits set
        (0x7441, ".word 0x7441"),  # LDR with bits [3:0] set
        (0x1D0C, ".word 0x1D0C"),  # branch with bit 8 set
        (0xF00F, ".word 0xF00F"),  # RET with don't-care bits set
    ],
)
def test_canonical_text(word: int, text: str) -> None:
    assert disassemble(word) == text


def test_branch_uses_label_names() -> None:
    assert disassemble(0x180C, {12: "LOOP"}) == "BRn LOOP"
    assert disassemble(0x180C, {3: "ELSEWHERE"}) == "BRn #12"


def test_round_trip_every_canonical_word() -> None:
    """assemble(disassemble(w)) == w for all canonical words (the property of the brief)."""
    canonical = [word for word in range(WORD_MASK + 1) if is_canonical(word)]
    assert len(canonical) > 20_000
    for start in range(0, len(canonical), 256):  # 256 words fill one program
        chunk = canonical[start : start + 256]
        text = "\n".join(disassemble(word) for word in chunk)
        assert assemble(text).words == chunk

    for word in canonical:  # only two canonical shapes need the raw form
        assert disassemble(word).startswith(".word") == _no_mnemonic_spells(word), hex(word)


def _no_mnemonic_spells(word: int) -> bool:
    """Canonical words the assembler refuses: never-branches and read-only destinations."""
    instruction = decode(word)
    if instruction.opcode == Opcode.BRNZP:
        return instruction.nzp == 0
    writes_rd = instruction.opcode in (*ARITHMETIC_OPCODES, Opcode.LDR, Opcode.LDS, Opcode.CONST)
    return writes_rd and is_read_only(instruction.rd)


def test_round_trip_every_word() -> None:
    """Stronger: the text is lossless for all 65536 words, via .word where needed."""
    for start in range(0, WORD_MASK + 1, 256):
        chunk = list(range(start, start + 256))
        assert assemble("\n".join(disassemble(word) for word in chunk)).words == chunk


@pytest.mark.parametrize("name", ["matmul", "flags", "readonly_and_illegal", "nested_divergence"])
def test_program_listing_reassembles(name: str) -> None:
    words = assemble_file(KERNELS / f"{name}.asm").words
    listing = disassemble_program(words)
    assert assemble(listing).words == words
    assert assemble(disassemble_program(words, with_labels=False)).words == words


def test_program_listing_labels_branch_targets() -> None:
    listing = disassemble_program(assemble_file(KERNELS / "matmul.asm").words)
    assert "L12:\n" in listing
    assert "BRn L12" in listing


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hex_file = tmp_path / "p.hex"
    hex_file.write_text("9105\n180c // comment\n\nF000\n")
    assert main([str(hex_file), "--no-labels"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(";")[0].strip() for line in lines] == ["CONST R1, #5", "BRn #12", "RET"]


def test_cli_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hex_file = tmp_path / "p.hex"
    hex_file.write_text("9105\nzz\n")
    assert main([str(hex_file)]) == 1
    assert "not a hex number" in capsys.readouterr().err


def test_gtkwave_translate_filter_disassembles_each_line() -> None:
    """tinygpu-gtkwave-disasm: one answer line per word, a word with x/z bits as `-`."""
    words = io.StringIO("9105\n180C\nf000\nxxxx\n1z0c\n")
    answer = io.StringIO()
    assert gtkwave_disasm.main(words, answer) == 0
    assert answer.getvalue().splitlines() == ["CONST R1, #5", "BRn #12", "RET", "-", "-"]
