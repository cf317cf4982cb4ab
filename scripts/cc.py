#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/cc.py`; the same command is the console script tinygpu-cc."""

import sys

from tinygpu.cli.cc import main

sys.exit(main())
