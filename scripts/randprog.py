#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/randprog.py`; the same command is the console script tinygpu-randprog."""

import sys

from tinygpu.cli.randprog import main

sys.exit(main())
