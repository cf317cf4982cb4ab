#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Assembler for tiny-gpu assembly: text in, 16-bit program words and data bytes out.

The syntax is the one tiny-gpu's README shows (see docs/tiny-gpu.md)::

    .threads 8                       ; thread count of the launch
    .data 0 1 2 3, 4 5 6 7           ; data memory bytes from address 0 (lines append)
    LOOP:                            ; a label names the address of the next instruction
        MUL R0, %blockIdx, %blockDim
        ADD R0, R0, %threadIdx       ; i = blockIdx * blockDim + threadIdx
        CONST R1, #0x10              ; immediates: decimal, 0x hex or 0b binary, 0..255
        CMP R0, R1
        BRn LOOP                     ; BRn BRz BRp BRnz BRnp BRzp BRnzp, label or #address
        .word 0x9D05                 ; a raw instruction word, for encodings no mnemonic spells
        RET

Mnemonics, directives and register names are case-insensitive; labels are case-sensitive.

Assembly runs in two passes. Pass 1 reads line by line, encodes every instruction and
notes which branch words still need a label's address; a line with an error is skipped
and the next line is read, so all syntax errors are found. Pass 2, run only when pass 1
found no error, fills in the label addresses. The first error in source order is raised
as an `AsmError`; the others ride along in its `all_errors` list.

Command line::

    tinygpu-asm kernel.asm [-o program.hex] [--data-out data.hex]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .isa import (
    DATA_MEM_SIZE,
    IMM8_MAX,
    PROGRAM_MEM_SIZE,
    REGISTER_SYNTAX,
    WORD_MASK,
    Opcode,
    encode_arithmetic,
    encode_bar,
    encode_branch,
    encode_cmp,
    encode_const,
    encode_ldr,
    encode_lds,
    encode_nop,
    encode_ret,
    encode_str,
    encode_sts,
    is_read_only,
    parse_nzp_suffix,
    parse_register,
    register_name,
)

MAX_THREADS = 255  # the device control register holds the thread count in 8 bits


# --------------------------------------------------------------------------------------
# Results and errors
# --------------------------------------------------------------------------------------


@dataclass
class Program:
    """An assembled program: what the host loads before a launch."""

    words: list[int]  # program memory from address 0, 16-bit words
    data: list[int]  # data memory from address 0: the `.data` bytes, concatenated
    threads: int | None  # from `.threads`, None when the source has none
    labels: dict[str, int]  # label name -> program address
    source_lines: list[int]  # 1-based source line of each word


class AsmError(Exception):
    """An assembly error at a source position: `file:line:col: error: message`.

    `column` is 1-based and points at the first character of the offending token (or just
    past the end of the line when something is missing). `source` is the text of the
    offending line, for display. The error raised by `assemble` also carries
    `all_errors`, every error found, in source order, itself first.
    """

    def __init__(self, message: str, filename: str, line: int, column: int, source: str = ""):
        super().__init__(message)
        self.message = message
        self.filename = filename
        self.line = line
        self.column = column
        self.source = source
        self.all_errors: list[AsmError] = [self]

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.column}: error: {self.message}"

    def caret_lines(self) -> str:
        """The offending source line and a caret under the column, for terminals."""
        if not self.source:
            return ""
        pointer = "".join("\t" if ch == "\t" else " " for ch in self.source[: self.column - 1])
        return f"    {self.source}\n    {pointer}^"


# --------------------------------------------------------------------------------------
# Lexer: one line of text -> tokens with their columns
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # 'word', 'number', 'immediate', 'comma', 'colon' or 'other'
    text: str
    column: int  # 1-based


_TOKEN_RE = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comma>,)
    | (?P<colon>:)
    | (?P<immediate>\#[^\s,;:]*)               # '#' and whatever follows, checked later
    | (?P<word>[%.]?[A-Za-z_][A-Za-z0-9_]*)    # mnemonic, register, label or directive
    | (?P<number>[-+]?[0-9][A-Za-z0-9_]*)      # bare number (directive arguments)
    | (?P<other>.)
    """,
    re.VERBOSE,
)
_NUMBER_RE = re.compile(r"(?P<sign>[-+]?)(?:0[xX](?P<hex>[0-9a-fA-F]+)|0[bB](?P<bin>[01]+)|(?P<dec>[0-9]+))")
_LABEL_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def tokenize(code: str) -> list[Token]:
    """Tokens of one line whose comment has already been removed."""
    tokens = []
    for match in _TOKEN_RE.finditer(code):
        kind = match.lastgroup
        assert kind is not None
        if kind != "space":
            tokens.append(Token(kind, match.group(), match.start() + 1))
    return tokens


def parse_number(text: str) -> int | None:
    """Value of a decimal, 0x hex or 0b binary literal, optionally signed; else None."""
    match = _NUMBER_RE.fullmatch(text)
    if not match:
        return None
    if match["hex"]:
        value = int(match["hex"], 16)
    elif match["bin"]:
        value = int(match["bin"], 2)
    else:
        value = int(match["dec"], 10)
    return -value if match["sign"] == "-" else value


# --------------------------------------------------------------------------------------
# Instruction table
# --------------------------------------------------------------------------------------

# Operand kinds: 'dest' a writable register, 'reg' any register, 'imm' an #immediate,
# 'target' a branch target (label or #address).
_INSTRUCTIONS: dict[str, tuple[tuple[str, ...], Callable[..., int]]] = {
    "NOP": ((), encode_nop),
    "RET": ((), encode_ret),
    "CMP": (("reg", "reg"), encode_cmp),
    "ADD": (("dest", "reg", "reg"), partial(encode_arithmetic, Opcode.ADD)),
    "SUB": (("dest", "reg", "reg"), partial(encode_arithmetic, Opcode.SUB)),
    "MUL": (("dest", "reg", "reg"), partial(encode_arithmetic, Opcode.MUL)),
    "DIV": (("dest", "reg", "reg"), partial(encode_arithmetic, Opcode.DIV)),
    "LDR": (("dest", "reg"), encode_ldr),
    "STR": (("reg", "reg"), encode_str),
    "CONST": (("dest", "imm"), encode_const),
    "BAR": ((), encode_bar),
    "LDS": (("dest", "reg"), encode_lds),
    "STS": (("reg", "reg"), encode_sts),
}
_BRANCH_SPELLINGS = "BRn, BRz, BRp, BRnz, BRnp, BRzp, BRnzp"
_DIRECTIVES = (".threads", ".data", ".word")


def is_reserved_word(name: str) -> bool:
    """True for mnemonics and register names, which cannot be labels."""
    upper = name.upper()
    is_branch = upper.startswith("BR") and parse_nzp_suffix(upper[2:]) is not None
    looks_like_register = re.fullmatch(r"R[0-9]+", upper) is not None  # also R13, R99
    return upper in _INSTRUCTIONS or is_branch or looks_like_register or parse_register(name) is not None


# --------------------------------------------------------------------------------------
# The assembler proper
# --------------------------------------------------------------------------------------


class _LineError(Exception):
    """Raised inside the line parser; turned into an AsmError with the line's position."""

    def __init__(self, message: str, column: int):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass
class _LabelUse:
    """A branch word whose target label is filled in by pass 2."""

    word_index: int
    nzp: int
    name: str
    line: int
    column: int


@dataclass
class _Assembler:
    filename: str
    program_size: int
    data_size: int
    words: list[int] = field(default_factory=list)
    word_columns: list[int] = field(default_factory=list)  # column of each word's mnemonic
    source_lines: list[int] = field(default_factory=list)
    data: list[int] = field(default_factory=list)
    threads: int | None = None
    threads_line: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    label_lines: dict[str, int] = field(default_factory=dict)
    label_uses: list[_LabelUse] = field(default_factory=list)
    errors: list[AsmError] = field(default_factory=list)

    # ---- driver ---------------------------------------------------------------------

    def run(self, text: str) -> Program:
        lines = text.splitlines()
        for line_number, line in enumerate(lines, start=1):
            try:
                self.assemble_line(line, line_number)
            except _LineError as error:
                self.error(error.message, line_number, error.column, line)
        self.check_program_size(lines)
        if not self.errors:
            self.resolve_labels(lines)
        if self.errors:
            self.errors.sort(key=lambda error: (error.line, error.column))
            first = self.errors[0]
            first.all_errors = list(self.errors)
            raise first
        return Program(
            words=self.words,
            data=self.data,
            threads=self.threads,
            labels=self.labels,
            source_lines=self.source_lines,
        )

    def error(self, message: str, line: int, column: int, source: str) -> None:
        self.errors.append(AsmError(message, self.filename, line, column, source))

    def assemble_line(self, line: str, line_number: int) -> None:
        code = line.split(";", 1)[0]
        tokens = tokenize(code)
        end_column = len(code.rstrip()) + 1  # where a missing token would have been

        # Leading labels: `NAME:` (several are allowed, each naming the same address).
        label_tokens = []
        while len(tokens) >= 2 and tokens[0].kind == "word" and tokens[1].kind == "colon":
            label_tokens.append(tokens[0])
            tokens = tokens[2:]
        marks_data = bool(tokens) and tokens[0].text.lower() in (".threads", ".data")
        if label_tokens and marks_data:
            raise _LineError(
                f"a label cannot mark {tokens[0].text.lower()} (labels name program addresses)",
                label_tokens[0].column,
            )
        for token in label_tokens:
            self.define_label(token, line_number)
        if not tokens:
            return

        first = tokens[0]
        if first.kind != "word" or first.text.startswith("%"):
            raise _LineError(f"expected an instruction, label or directive, got '{first.text}'", first.column)
        if first.text.startswith("."):
            self.directive(first, tokens[1:], line_number, end_column)
        else:
            self.instruction(first, tokens[1:], line_number, end_column)

    # ---- labels ---------------------------------------------------------------------

    def define_label(self, token: Token, line_number: int) -> None:
        name = token.text
        if not _LABEL_RE.fullmatch(name):
            raise _LineError(
                f"invalid label name '{name}' (letters, digits and '_', not starting with a digit)",
                token.column,
            )
        if is_reserved_word(name):
            raise _LineError(f"label '{name}' is a reserved word", token.column)
        if name in self.labels:
            raise _LineError(
                f"duplicate label '{name}' (first defined at line {self.label_lines[name]})",
                token.column,
            )
        self.labels[name] = len(self.words)
        self.label_lines[name] = line_number

    def resolve_labels(self, lines: Sequence[str]) -> None:
        for use in self.label_uses:
            source = lines[use.line - 1]
            address = self.labels.get(use.name)
            if address is None:
                hint = next(
                    (
                        f" (labels are case-sensitive; did you mean '{name}'?)"
                        for name in self.labels
                        if name.lower() == use.name.lower()
                    ),
                    "",
                )
                self.error(f"undefined label '{use.name}'{hint}", use.line, use.column, source)
            elif address > IMM8_MAX:
                self.error(
                    f"label '{use.name}' is at address {address}; branch targets are 0..{IMM8_MAX}",
                    use.line,
                    use.column,
                    source,
                )
            else:
                self.words[use.word_index] = encode_branch(use.nzp, address)

    # ---- directives -----------------------------------------------------------------

    def directive(self, name_token: Token, args: list[Token], line_number: int, end: int) -> None:
        name = name_token.text.lower()
        if name == ".threads":
            self.threads_directive(name_token, args, line_number, end)
        elif name == ".data":
            self.data_directive(args, end)
        elif name == ".word":
            value = self.single_number(name_token, args, end, "a 16-bit instruction word")
            if not 0 <= value <= WORD_MASK:
                raise _LineError(f".word value {args[0].text} out of range 0x0000..0xFFFF", args[0].column)
            self.emit(value, line_number, name_token.column)
        else:
            raise _LineError(
                f"unknown directive '{name_token.text}' (expected one of {', '.join(_DIRECTIVES)})",
                name_token.column,
            )

    def single_number(self, name_token: Token, args: list[Token], end: int, what: str) -> int:
        """The one number argument of a directive (range checks are the caller's)."""
        if not args:
            raise _LineError(f"expected {what} after {name_token.text}", end)
        value = self.number(args[0], what)
        if len(args) > 1:
            raise _LineError(f"expected end of line, got '{args[1].text}'", args[1].column)
        return value

    def number(self, token: Token, what: str) -> int:
        """Value of a bare number token (decimal, 0x hex or 0b binary)."""
        value = parse_number(token.text) if token.kind == "number" else None
        if value is None:
            raise _LineError(f"expected {what}, got '{token.text}'", token.column)
        return value

    def threads_directive(self, token: Token, args: list[Token], line_number: int, end: int) -> None:
        if self.threads is not None:
            raise _LineError(f".threads given twice (first at line {self.threads_line})", token.column)
        count = self.single_number(token, args, end, "a thread count")
        if not 0 <= count <= MAX_THREADS:
            raise _LineError(f"thread count {count} out of range 0..{MAX_THREADS}", args[0].column)
        self.threads = count
        self.threads_line = line_number

    def data_directive(self, args: list[Token], end: int) -> None:
        """`.data v v, v ...`: values separated by spaces and/or single commas."""
        if not args:
            raise _LineError("expected at least one data value (0..255) after .data", end)
        expect_value = True
        values: list[int] = []
        for token in args:
            if token.kind == "comma":
                if expect_value:
                    raise _LineError("expected a data value (0..255), got ','", token.column)
                expect_value = True
                continue
            value = self.number(token, "a data value (0..255)")
            if not 0 <= value <= 0xFF:
                raise _LineError(f"data value {value} out of range 0..255", token.column)
            if len(self.data) + len(values) >= self.data_size:
                raise _LineError(f".data holds more than {self.data_size} bytes", token.column)
            values.append(value)
            expect_value = False
        if expect_value:
            raise _LineError("expected a data value (0..255) after ','", end)
        self.data.extend(values)

    # ---- instructions ---------------------------------------------------------------

    def instruction(self, mnemonic: Token, rest: list[Token], line_number: int, end: int) -> None:
        name = mnemonic.text.upper()
        nzp = parse_nzp_suffix(name[2:]) if name.startswith("BR") else None
        if nzp is not None:
            kinds: tuple[str, ...] = ("target",)
            display = "BR" + mnemonic.text[2:].lower()
        elif name in _INSTRUCTIONS:
            kinds, encoder = _INSTRUCTIONS[name]
            display = name
        else:
            hint = f" (branches are {_BRANCH_SPELLINGS})" if name.startswith("BR") else ""
            raise _LineError(f"unknown mnemonic '{mnemonic.text}'{hint}", mnemonic.column)

        operands = self.split_operands(rest, end)
        if len(operands) != len(kinds):
            plural = "operand" if len(kinds) == 1 else "operands"
            column = operands[len(kinds)].column if len(operands) > len(kinds) else mnemonic.column
            raise _LineError(f"expected {len(kinds)} {plural} for {display}, got {len(operands)}", column)

        if nzp is not None:
            target = operands[0]
            if target.kind == "immediate":
                address = self.immediate(target, "branch target")
                self.emit(encode_branch(nzp, address), line_number, mnemonic.column)
            elif target.kind == "word" and _LABEL_RE.fullmatch(target.text) and not is_reserved_word(target.text):
                self.label_uses.append(_LabelUse(len(self.words), nzp, target.text, line_number, target.column))
                self.emit(encode_branch(nzp, 0), line_number, mnemonic.column)
            else:
                raise _LineError(f"expected a label or #address, got '{target.text}'", target.column)
            return

        values = [self.operand(kind, token) for kind, token in zip(kinds, operands, strict=True)]
        self.emit(encoder(*values), line_number, mnemonic.column)

    def split_operands(self, tokens: list[Token], end: int) -> list[Token]:
        """Operand tokens of `op, op, op`, checking the commas between them."""
        operands: list[Token] = []
        expect_operand = bool(tokens)
        for token in tokens:
            if expect_operand:
                if token.kind not in ("word", "number", "immediate"):
                    raise _LineError(f"expected an operand, got '{token.text}'", token.column)
                operands.append(token)
                expect_operand = False
            elif token.kind == "comma":
                expect_operand = True
            else:
                raise _LineError(f"expected ',' or end of line, got '{token.text}'", token.column)
        if expect_operand:
            raise _LineError("expected an operand after ','", end)
        return operands

    def operand(self, kind: str, token: Token) -> int:
        if kind == "imm":
            return self.immediate(token, "immediate")
        register = parse_register(token.text) if token.kind == "word" else None
        if register is None:
            raise _LineError(f"expected a register ({REGISTER_SYNTAX}), got '{token.text}'", token.column)
        if kind == "dest" and is_read_only(register):
            raise _LineError(f"destination {register_name(register)} is read-only", token.column)
        return register

    def immediate(self, token: Token, what: str) -> int:
        """Value of an `#N` operand, 0..255."""
        if token.kind != "immediate":
            raise _LineError(f"expected an immediate #N, got '{token.text}'", token.column)
        value = parse_number(token.text[1:])
        if value is None:
            raise _LineError(
                f"expected a number after '#' (decimal, 0x hex or 0b binary), got '{token.text}'",
                token.column,
            )
        if not 0 <= value <= IMM8_MAX:
            raise _LineError(f"{what} {value} out of range 0..{IMM8_MAX}", token.column)
        return value

    def emit(self, word: int, line_number: int, column: int) -> None:
        self.words.append(word)
        self.word_columns.append(column)
        self.source_lines.append(line_number)

    def check_program_size(self, lines: Sequence[str]) -> None:
        if len(self.words) <= self.program_size:
            return
        line = self.source_lines[self.program_size]  # the first word that does not fit
        self.error(
            f"program has {len(self.words)} instructions; program memory holds {self.program_size}",
            line,
            self.word_columns[self.program_size],
            lines[line - 1],
        )


# --------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------


def assemble(
    text: str,
    filename: str = "<string>",
    program_size: int = PROGRAM_MEM_SIZE,
    data_size: int = DATA_MEM_SIZE,
) -> Program:
    """Assemble source `text`; raise `AsmError` (the first error in source order) on failure."""
    return _Assembler(filename, program_size, data_size).run(text)


def assemble_file(path: str | Path) -> Program:
    """Assemble the file at `path`; errors name the file as given.

    A file is a whole program, so besides `assemble`'s errors it must be UTF-8 text and
    hold at least one instruction (an empty program would run NOPs until the PC wraps
    and never finish). OSError when the file cannot be read."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise AsmError(
            f"not a text file: byte 0x{raw[error.start]:02x} at offset {error.start} "
            "is not UTF-8 (an assembly source is plain text)",
            str(path),
            line,
            1,
        ) from None
    program = assemble(text, filename=str(path))
    if not program.words:
        raise AsmError("no instructions: a program needs at least one (a thread ends at RET)", str(path), 1, 1)
    return program


def format_errors(error: AsmError) -> str:
    """Every error of a failed assembly, in source order, each with its line and a caret."""
    lines = []
    for each in error.all_errors:
        lines.append(str(each))
        if each.caret_lines():
            lines.append(each.caret_lines())
    return "\n".join(lines)
