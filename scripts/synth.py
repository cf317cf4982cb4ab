#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/synth.py`; the same command is the console script tinygpu-synth."""

import sys

from tinygpu.cli.synth import main

sys.exit(main())
