"""Command line of tinygpu.gtkwave_save: write a GTKWave save file that groups the GPU's signals by block."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import gtkwave_save as gtkwave_save_module
from ..gtkwave_save import save_file
from ..paths import REPO_ROOT
from . import args as checked


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(prog="tinygpu-gtkwave-save", description=gtkwave_save_module.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=checked.config_name, default="default")
    parser.add_argument("--fst", type=checked.existing_file, required=True, help="the waveform to take the signal names from")
    parser.add_argument("-o", "--output", type=checked.output_file, default=str(REPO_ROOT / "tb" / "gtkwave" / "gpu.gtkw"))
    args = parser.parse_args(argv)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(save_file(args.config.name, Path(args.fst)))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
