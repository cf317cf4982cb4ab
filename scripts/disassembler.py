#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/disassembler.py`; the same command is the console script tinygpu-disasm."""

import sys

from tinygpu.cli.disasm import main

sys.exit(main())
