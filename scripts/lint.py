#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/lint.py`; the same command is the console script tinygpu-lint."""

import sys

from tinygpu.cli.lint import main

sys.exit(main())
