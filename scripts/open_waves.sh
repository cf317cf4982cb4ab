#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make waves`: open the waveform of the last `make run WAVES=1` in GTKWave, with a save
# file that groups the signals by block (written from the waveform itself, so every
# signal it names is there) and a script that zooms to the first cycles of the kernel.
# GTKWave is installed on first use (Debian's package); without a display the paths
# and the command to run are printed instead.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAST="$REPO_ROOT/build/run/last_wave"

if [[ ! -f "$LAST" ]]; then
    echo "waves: no waveform yet: run 'make run WAVES=1' first" >&2
    exit 1
fi
WAVE="$(cat "$LAST")"
CONFIG="$(cat "$(dirname "$WAVE")/config" 2>/dev/null || echo default)"
SAVE="${WAVE%.fst}.gtkw"
"$REPO_ROOT/.venv/bin/tinygpu-gtkwave-save" --fst "$WAVE" --config "$CONFIG" -o "$SAVE" >/dev/null
bash "$REPO_ROOT/scripts/setup_env.sh" --gui >/dev/null

COMMAND=(gtkwave "--script=${SAVE%.gtkw}.tcl" "$WAVE" "$SAVE")
if [[ -z "${DISPLAY:-}" ]]; then
    echo "waveform:  $WAVE"
    echo "save file: $SAVE"
    echo "trace:     $(dirname "$WAVE")/trace.txt"
    echo "no display here: on a machine with one, run"
    echo "  ${COMMAND[*]}"
    exit 0
fi
exec "${COMMAND[@]}"
