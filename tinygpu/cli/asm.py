# SPDX-License-Identifier: MIT
"""tinygpu-asm: assemble tiny-gpu assembly into hex files ($readmemh format)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..assembler import AsmError, assemble_file, format_errors
from ..hexfile import format_hex, write_text_atomically
from .args import Parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = Parser(prog="tinygpu-asm", description="Assemble tiny-gpu assembly into hex files ($readmemh format).")
    parser.add_argument("source", help="assembly file (.asm)")
    parser.add_argument("-o", "--output", help="program hex file, 4 digits a line (default: stdout)")
    parser.add_argument("--data-out", help="data hex file, 2 digits a line (the .data bytes)")
    args = parser.parse_args(argv)

    try:
        program = assemble_file(args.source)
    except OSError as error:
        print(f"{args.source}: error: {error.strerror}", file=sys.stderr)
        return 1
    except AsmError as error:
        print(format_errors(error), file=sys.stderr)
        return 1

    program_text = format_hex(program.words, 4)
    outputs = []
    if args.output:
        outputs.append((args.output, program_text))
    if args.data_out:
        outputs.append((args.data_out, format_hex(program.data, 2)))
    try:
        write_text_atomically(outputs)
    except OSError as error:
        print(f"{error.filename}: error: {error.strerror}", file=sys.stderr)
        return 1
    if not args.output:
        sys.stdout.write(program_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
