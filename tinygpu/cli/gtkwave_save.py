# SPDX-License-Identifier: MIT
"""tinygpu-gtkwave-save: the GTKWave save file (and zoom script) for one waveform."""

from __future__ import annotations

import argparse
import sys

from .. import gtkwave_save
from . import args as checked

PROG = "tinygpu-gtkwave-save"


def main(argv: list[str] | None = None) -> int:
    parser = checked.Parser(
        prog=PROG, description=gtkwave_save.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--config", type=checked.config_name, default="default", help="the configuration the waveform was made with"
    )
    parser.add_argument(
        "--fst", type=checked.existing_file, required=True, help="the waveform (FST) to take the signals from"
    )
    parser.add_argument(
        "-o",
        "--output",
        type=checked.output_file,
        required=True,
        help="the save file to write; its translate filters and NAME.tcl (zoom) go beside it",
    )
    args = parser.parse_args(argv)
    try:
        text = gtkwave_save.save_file(args.config, args.fst, args.output.parent / "filters")
    except gtkwave_save.MissingSignals as error:
        checked.fail(PROG, f"{error} (was it written with --config {args.config.name}?)")
    args.output.write_text(text)
    args.output.with_suffix(".tcl").write_text(gtkwave_save.first_cycles_script(args.fst))
    print(f"wrote {args.output} and {args.output.with_suffix('.tcl')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
