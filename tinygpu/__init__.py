# SPDX-License-Identifier: MIT
"""tinygpu: the Python side of tiny-gpu-sv.

The assembler, the golden models, the simulator harness driver, the checks and the
tools that run kernels, random programs, coverage and benchmarks. Modules by concern;
``docs/architecture.md`` (section "The Python package") shows them and the direction of
their imports. Command-line entry points live in ``tinygpu.cli``.
"""
