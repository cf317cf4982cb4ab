# SPDX-License-Identifier: MIT
"""Command-line entry points: argument parsing, then one call into the library."""
