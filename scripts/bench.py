#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/bench.py`; the same command is the console script tinygpu-bench."""

import sys

from tinygpu.cli.bench import main

sys.exit(main())
