#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/coverage_report.py`; the same command is the console script tinygpu-coverage."""

import sys

from tinygpu.cli.coverage import main

sys.exit(main())
