# SPDX-License-Identifier: MIT
"""The instruction set of the tiny-gpu compatible GPU, described once for all Python tools.

Everything the assembler, the disassembler and the golden model need to know about the
16-bit instruction word lives here: opcode numbers, register numbering and names, the NZP
condition bits, field extraction (`decode`) and one encoder per instruction format.
The semantics (what each instruction *does*) are defined in docs/isa.md and implemented
by tinygpu/model.py; this module only knows where the bits are.

Instruction word layout (bit 15 on the left)::

    oooo dddd ssss tttt     register formats (d = Rd, s = Rs, t = Rt)
    oooo dddd iiii iiii     CONST (i = IMM8)
    0001 nzpx iiii iiii     BRnzp (n = bit 11, z = bit 10, p = bit 9, x unused)
    1010 xxxx xxxx xxxx     BAR (block barrier)
    1011 dddd ssss xxxx     LDS Rd, Rs (shared-memory load)
    1100 xxxx ssss tttt     STS Rs, Rt (shared-memory store)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

# --------------------------------------------------------------------------------------
# Sizes and widths
# --------------------------------------------------------------------------------------

WORD_BITS = 16
WORD_MASK = (1 << WORD_BITS) - 1  # 0xFFFF
DATA_BITS = 8
DATA_MASK = (1 << DATA_BITS) - 1  # 0xFF: registers and data memory hold bytes
IMM8_MAX = 0xFF

DATA_MEM_SIZE = 256  # bytes of data memory (8-bit addresses)
PROGRAM_MEM_SIZE = 256  # 16-bit words of program memory (8-bit program counter)
PC_MASK = PROGRAM_MEM_SIZE - 1  # the program counter wraps from 255 to 0


# --------------------------------------------------------------------------------------
# Opcodes
# --------------------------------------------------------------------------------------


class Opcode(IntEnum):
    """The 4-bit opcode in bits [15:12]. Values 0xD and 0xE are unused and run as NOP.

    BAR, LDS and STS (0xA-0xC) are this GPU's extension of tiny-gpu's ISA: the block
    barrier and the block's shared memory (docs/isa.md, "Barriers and shared memory").
    """

    NOP = 0b0000
    BRNZP = 0b0001
    CMP = 0b0010
    ADD = 0b0011
    SUB = 0b0100
    MUL = 0b0101
    DIV = 0b0110
    LDR = 0b0111
    STR = 0b1000
    CONST = 0b1001
    BAR = 0b1010
    LDS = 0b1011
    STS = 0b1100
    RET = 0b1111


_ASSIGNED_OPCODES = frozenset(int(opcode) for opcode in Opcode)

# The four register-register-register arithmetic instructions share one format.
ARITHMETIC_OPCODES = (Opcode.ADD, Opcode.SUB, Opcode.MUL, Opcode.DIV)

# Bits of the word that carry meaning for each opcode; the others are don't-care bits.
# A word is "canonical" when all its don't-care bits are zero.
USED_BITS: dict[int, int] = {
    Opcode.NOP: 0xF000,
    Opcode.BRNZP: 0xFEFF,  # bit 8 is unused
    Opcode.CMP: 0xF0FF,
    Opcode.ADD: 0xFFFF,
    Opcode.SUB: 0xFFFF,
    Opcode.MUL: 0xFFFF,
    Opcode.DIV: 0xFFFF,
    Opcode.LDR: 0xFFF0,
    Opcode.STR: 0xF0FF,
    Opcode.CONST: 0xFFFF,
    Opcode.BAR: 0xF000,
    Opcode.LDS: 0xFFF0,
    Opcode.STS: 0xF0FF,
    Opcode.RET: 0xF000,
}


# --------------------------------------------------------------------------------------
# Registers
# --------------------------------------------------------------------------------------

NUM_REGISTERS = 16
NUM_GENERAL_REGISTERS = 13  # R0..R12 are read/write
REG_BLOCK_IDX = 13
REG_BLOCK_DIM = 14
REG_THREAD_IDX = 15
FIRST_READ_ONLY_REGISTER = REG_BLOCK_IDX

SPECIAL_REGISTER_NAMES: dict[int, str] = {
    REG_BLOCK_IDX: "%blockIdx",
    REG_BLOCK_DIM: "%blockDim",
    REG_THREAD_IDX: "%threadIdx",
}

# Human-readable list of the accepted spellings, for error messages.
REGISTER_SYNTAX = "R0-R12, %blockIdx, %blockDim, %threadIdx"

_GENERAL_REGISTER_RE = re.compile(r"[Rr](0|[1-9][0-9]?)")
_SPECIAL_BY_LOWER_NAME = {name.lower(): number for number, name in SPECIAL_REGISTER_NAMES.items()}


def register_name(number: int) -> str:
    """Canonical spelling of register `number` (0..15): 'R7' or '%threadIdx'."""
    if not 0 <= number < NUM_REGISTERS:
        raise ValueError(f"register number {number} out of range 0..{NUM_REGISTERS - 1}")
    return SPECIAL_REGISTER_NAMES.get(number, f"R{number}")


def parse_register(text: str) -> int | None:
    """Register number for `text`, or None if `text` names no register.

    R0..R12 are accepted in either case ('r3'); the special registers are accepted with
    their exact spelling and also case-insensitively ('%blockidx'). 'R13'..'R15' are not
    register names: the read-only registers are always spelled with '%'.
    """
    match = _GENERAL_REGISTER_RE.fullmatch(text)
    if match:
        number = int(match.group(1))
        return number if number < NUM_GENERAL_REGISTERS else None
    return _SPECIAL_BY_LOWER_NAME.get(text.lower())


def is_read_only(register: int) -> bool:
    """True for %blockIdx, %blockDim and %threadIdx: writes to them are dropped."""
    return register >= FIRST_READ_ONLY_REGISTER


# --------------------------------------------------------------------------------------
# NZP condition flags
# --------------------------------------------------------------------------------------

NZP_N = 0b100  # Rs < Rt
NZP_Z = 0b010  # Rs == Rt
NZP_P = 0b001  # Rs > Rt
NZP_RESET = NZP_Z  # a thread starts as if `CMP R0, R0` had run

_NZP_LETTERS = ((NZP_N, "n"), (NZP_Z, "z"), (NZP_P, "p"))


def nzp_suffix(nzp: int) -> str:
    """Branch condition letters for a 3-bit nzp field: 0b110 -> 'nz', 0b000 -> ''."""
    return "".join(letter for bit, letter in _NZP_LETTERS if nzp & bit)


def parse_nzp_suffix(text: str) -> int | None:
    """The nzp field for branch condition letters ('nz' -> 0b110), case-insensitive.

    The letters must appear in the order n, z, p, each at most once, and at least one
    must be present (so 'pn' and '' give None).
    """
    match = re.fullmatch(r"(n?)(z?)(p?)", text.lower())
    if not match or not text:
        return None
    return sum(bit for (bit, _), group in zip(_NZP_LETTERS, match.groups(), strict=True) if group)


# --------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    """All fields of one instruction word, extracted whatever the opcode.

    `opcode` is an `Opcode` member for assigned opcodes and the plain 4-bit number for
    the unused ones (0xD, 0xE). Fields that the opcode does not use are still filled in
    from their bits; which ones matter is the opcode's business.
    """

    word: int
    opcode: int
    rd: int  # bits [11:8]
    rs: int  # bits [7:4]
    rt: int  # bits [3:0]
    nzp: int  # bits [11:9], branch condition, bit 2 = n
    imm8: int  # bits [7:0]


def decode(word: int) -> Instruction:
    """Split a 16-bit instruction word into its fields."""
    _check_range("instruction word", word, WORD_MASK)
    raw_opcode = (word >> 12) & 0xF
    opcode: int = Opcode(raw_opcode) if raw_opcode in _ASSIGNED_OPCODES else raw_opcode
    return Instruction(
        word=word,
        opcode=opcode,
        rd=(word >> 8) & 0xF,
        rs=(word >> 4) & 0xF,
        rt=word & 0xF,
        nzp=(word >> 9) & 0b111,
        imm8=word & 0xFF,
    )


def is_canonical(word: int) -> bool:
    """True when every don't-care bit of `word` is zero (unused opcodes never are canonical)."""
    used = USED_BITS.get((word >> 12) & 0xF)
    return used is not None and word & ~used & WORD_MASK == 0


# --------------------------------------------------------------------------------------
# Encoding: one function per instruction format; don't-care bits are always zero.
# --------------------------------------------------------------------------------------


def _check_range(what: str, value: int, maximum: int) -> None:
    if not 0 <= value <= maximum:
        raise ValueError(f"{what} {value} out of range 0..{maximum}")


def _check_register(what: str, register: int) -> None:
    _check_range(what, register, NUM_REGISTERS - 1)


def encode_nop() -> int:
    return Opcode.NOP << 12


def encode_ret() -> int:
    return Opcode.RET << 12


def encode_branch(nzp: int, target: int) -> int:
    """BRnzp: jump to absolute address `target` if (NZP & nzp) != 0."""
    _check_range("nzp field", nzp, 0b111)
    _check_range("branch target", target, IMM8_MAX)
    return Opcode.BRNZP << 12 | nzp << 9 | target


def encode_cmp(rs: int, rt: int) -> int:
    _check_register("rs", rs)
    _check_register("rt", rt)
    return Opcode.CMP << 12 | rs << 4 | rt


def encode_arithmetic(opcode: Opcode, rd: int, rs: int, rt: int) -> int:
    """ADD, SUB, MUL or DIV: Rd = Rs op Rt."""
    if opcode not in ARITHMETIC_OPCODES:
        raise ValueError(f"{opcode!r} is not an arithmetic opcode")
    for what, register in (("rd", rd), ("rs", rs), ("rt", rt)):
        _check_register(what, register)
    return opcode << 12 | rd << 8 | rs << 4 | rt


def encode_ldr(rd: int, rs: int) -> int:
    """LDR: Rd = data_mem[Rs]."""
    _check_register("rd", rd)
    _check_register("rs", rs)
    return Opcode.LDR << 12 | rd << 8 | rs << 4


def encode_str(rs: int, rt: int) -> int:
    """STR: data_mem[Rs] = Rt."""
    _check_register("rs", rs)
    _check_register("rt", rt)
    return Opcode.STR << 12 | rs << 4 | rt


def encode_const(rd: int, imm8: int) -> int:
    """CONST: Rd = IMM8."""
    _check_register("rd", rd)
    _check_range("immediate", imm8, IMM8_MAX)
    return Opcode.CONST << 12 | rd << 8 | imm8


def encode_bar() -> int:
    """BAR: wait until every live thread of the block waits at a barrier."""
    return Opcode.BAR << 12


def encode_lds(rd: int, rs: int) -> int:
    """LDS: Rd = shared[Rs mod SHARED_MEM_BYTES]."""
    _check_register("rd", rd)
    _check_register("rs", rs)
    return Opcode.LDS << 12 | rd << 8 | rs << 4


def encode_sts(rs: int, rt: int) -> int:
    """STS: shared[Rs mod SHARED_MEM_BYTES] = Rt."""
    _check_register("rs", rs)
    _check_register("rt", rt)
    return Opcode.STS << 12 | rs << 4 | rt
