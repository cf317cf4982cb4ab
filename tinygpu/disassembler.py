#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Disassembler: 16-bit instruction words back to assembly text the assembler accepts.

`disassemble(word)` is lossless: `assemble(disassemble(word)).words == [word]` for every
16-bit word. Words that no mnemonic spells exactly come out as `.word 0xNNNN`:

- unused opcodes 0xD and 0xE (they run as NOP, but the bits would be lost);
- words with a non-zero don't-care bit (e.g. a NOP 0x0123, an LDR with bits [3:0] set);
- a branch with condition 000 (never jumps; no `BR` spelling has no letters);
- a write to a read-only register (the assembler refuses `ADD %blockIdx, ...`).

Command line: `tinygpu-disasm program.hex` prints a listing that
reassembles to the same words, with labels `L<address>` at branch targets.
"""

from __future__ import annotations

from collections.abc import Sequence

from .isa import (
    ARITHMETIC_OPCODES,
    Opcode,
    decode,
    is_canonical,
    is_read_only,
    nzp_suffix,
    register_name,
)


def raw_word(word: int) -> str:
    """The `.word` spelling of `word`, which always reassembles exactly."""
    return f".word 0x{word:04X}"


def disassemble(word: int, labels: dict[int, str] | None = None) -> str:
    """Canonical assembly text for one instruction word.

    `labels` maps program addresses to label names; a branch to a named address uses the
    name, any other branch spells its target `#N`.
    """
    instruction = decode(word)
    if not is_canonical(word):
        return raw_word(word)
    op = instruction.opcode
    rd, rs, rt = (register_name(r) for r in (instruction.rd, instruction.rs, instruction.rt))
    writes_read_only = is_read_only(instruction.rd)

    if op == Opcode.NOP:
        return "NOP"
    if op == Opcode.RET:
        return "RET"
    if op == Opcode.BAR:
        return "BAR"
    if op == Opcode.BRNZP:
        if instruction.nzp == 0:
            return raw_word(word)
        target = (labels or {}).get(instruction.imm8, f"#{instruction.imm8}")
        return f"BR{nzp_suffix(instruction.nzp)} {target}"
    if op == Opcode.CMP:
        return f"CMP {rs}, {rt}"
    if op == Opcode.STR:
        return f"STR {rs}, {rt}"
    if op == Opcode.STS:
        return f"STS {rs}, {rt}"
    if writes_read_only:  # every remaining opcode writes Rd
        return raw_word(word)
    if op in ARITHMETIC_OPCODES:
        return f"{Opcode(op).name} {rd}, {rs}, {rt}"
    if op == Opcode.LDR:
        return f"LDR {rd}, {rs}"
    if op == Opcode.LDS:
        return f"LDS {rd}, {rs}"
    if op == Opcode.CONST:
        return f"CONST {rd}, #{instruction.imm8}"
    raise AssertionError(f"unhandled canonical word 0x{word:04X}")  # pragma: no cover


def branch_targets(words: Sequence[int]) -> set[int]:
    """Addresses that some branch spelled with a mnemonic jumps to."""
    targets = set()
    for word in words:
        instruction = decode(word)
        if instruction.opcode == Opcode.BRNZP and is_canonical(word) and instruction.nzp:
            targets.add(instruction.imm8)
    return targets


def disassemble_program(words: Sequence[int], *, with_labels: bool = True) -> str:
    """A listing of `words` that reassembles to the same words.

    Each line carries its address and word as a comment. With `with_labels`, branch
    targets inside the program get labels `L<address>`.
    """
    labels: dict[int, str] = {}
    if with_labels:
        labels = {address: f"L{address}" for address in sorted(branch_targets(words)) if address < len(words)}
    lines = []
    for address, word in enumerate(words):
        if address in labels:
            lines.append(f"{labels[address]}:")
        text = disassemble(word, labels)
        lines.append(f"    {text:<28} ; {address:3d}: {word:04x}")
    return "\n".join(lines) + "\n"
