# SPDX-License-Identifier: MIT
"""tinygpu-gtkwave-disasm: a GTKWave translate-filter process for instruction words.

GTKWave starts it once (the save file written by tinygpu.gtkwave_save names it) and then
writes the value of the instruction signal, one hex word a line; each answer line is the
word's disassembly, so the fetched instruction reads `ADD R0, R0, %threadIdx`. A value
with x or z bits (no word read yet) is shown as `-`.
"""

from __future__ import annotations

import sys
from typing import TextIO

from ..disassembler import disassemble
from ..isa import WORD_MASK


def main(stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Hex words in, disassembly out, line by line, until GTKWave closes the pipe."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    for line in stdin:
        text = line.strip()
        try:
            stdout.write(disassemble(int(text, 16) & WORD_MASK) + "\n")
        except ValueError:  # x/z bits: no word yet
            stdout.write("-\n")
        stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
