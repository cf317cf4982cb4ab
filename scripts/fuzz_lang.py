#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/fuzz_lang.py`; the same command is the console script tinygpu-fuzz-lang."""

import sys

from tinygpu.cli.fuzz_lang import main

sys.exit(main())
