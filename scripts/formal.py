#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/formal.py`; the same command is the console script tinygpu-formal."""

import sys

from tinygpu.cli.formal import main

sys.exit(main())
