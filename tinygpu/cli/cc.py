# SPDX-License-Identifier: MIT
"""tinygpu-cc: compile a Python kernel (tinygpu.lang) to tiny-gpu assembly.

    tinygpu-cc kernel.py [-o kernel.asm] [--passes]

Prints the assembly (or writes it with -o), each source line as a comment above its
instructions; --passes prints the IR after each compiler pass first. A kernel the
compiler refuses gets every error as `file.py:LINE:COL: error: ...` and exit status 2,
and no file is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..assembler import format_errors
from ..hexfile import write_text_atomically
from ..lang.compiler import compile_file
from ..lang.errors import CompileError
from . import args as checked

PROG = "tinygpu-cc"


def main(argv: Sequence[str] | None = None) -> int:
    parser = checked.Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="Python kernel file (.py)")
    parser.add_argument("-o", "--output", type=checked.output_file, help="write the assembly here (default: stdout)")
    parser.add_argument("--passes", action="store_true", help="print the IR after each pass before the assembly")
    args = parser.parse_args(argv)
    try:
        compiled = compile_file(args.source)
    except OSError as error:
        checked.fail(PROG, f"cannot read {args.source}: {error.strerror}")
    except CompileError as error:
        print(format_errors(error), file=sys.stderr)
        return checked.USAGE_ERROR
    if args.passes:
        for name, text in compiled.stages:
            print(f"; ---- after {name} ----")
            print(text)
    if args.output:
        try:
            write_text_atomically([(args.output, compiled.assembly)])
        except OSError as error:
            checked.fail(PROG, f"cannot write {args.output}: {error.strerror}")
    else:
        sys.stdout.write(compiled.assembly)
    return 0


if __name__ == "__main__":
    sys.exit(main())
