#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/assembler.py`; the same command is the console script tinygpu-asm."""

import sys

from tinygpu.cli.asm import main

sys.exit(main())
