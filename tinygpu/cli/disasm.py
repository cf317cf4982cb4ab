# SPDX-License-Identifier: MIT
"""Command line of tinygpu.disassembler: 16-bit instruction words back to assembly text the
assembler accepts."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..disassembler import disassemble_program
from ..hexfile import read_hex
from . import args as checked


def main(argv: Sequence[str] | None = None) -> int:
    parser = checked.Parser(prog="tinygpu-disasm", description="Disassemble a program hex file.")
    parser.add_argument("hexfile", help="program words, one 16-bit hex value a line")
    parser.add_argument("--no-labels", action="store_true", help="branch targets as #N")
    args = parser.parse_args(argv)
    try:
        words = read_hex(args.hexfile)
    except OSError as error:
        print(f"{args.hexfile}: error: {error.strerror}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    bad = [word for word in words if not 0 <= word <= 0xFFFF]
    if bad:
        print(f"{args.hexfile}: error: value {bad[0]:x} is not a 16-bit word", file=sys.stderr)
        return 1
    sys.stdout.write(disassemble_program(words, with_labels=not args.no_labels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
