#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Shim for `python scripts/cluster_bench.py`; the same command is the console script tinygpu-cluster-bench."""

import sys

from tinygpu.cli.cluster_bench import main

sys.exit(main())
