#!/usr/bin/env python3
"""Shim for `python scripts/lint.py`; the same command is the console script tinygpu-lint."""
import sys

from tinygpu.cli.lint import main

sys.exit(main())
