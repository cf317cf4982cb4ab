#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/gtkwave_save.py`; the same command is the console script tinygpu-gtkwave-save."""

import sys

from tinygpu.cli.gtkwave_save import main

sys.exit(main())
