#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/run_kernel.py`; the same command is the console script tinygpu-run."""

import sys

from tinygpu.cli.run import main

sys.exit(main())
