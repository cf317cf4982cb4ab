#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/fuzz.py`; the same command is the console script tinygpu-fuzz."""

import sys

from tinygpu.cli.fuzz import main

sys.exit(main())
