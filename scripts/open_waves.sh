#!/usr/bin/env bash
# Open the waveform written by the last `make run WAVES=1` in GTKWave, with the
# save file that groups signals by block. Without a display (or without GTKWave)
# say where the files are instead.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAST="$REPO_ROOT/build/run/last_wave"

if [[ ! -f "$LAST" ]]; then
    echo "no waveform yet: run 'make run WAVES=1' first" >&2
    exit 1
fi
WAVE="$(cat "$LAST")"
CONFIG="$(cat "$(dirname "$WAVE")/config" 2>/dev/null || echo default)"
SAVE="${WAVE%.fst}.gtkw"
# The save file lists signals with their bit ranges, taken from the waveform itself
# (fst2vcd comes with GTKWave); without GTKWave fall back to the committed one.
if command -v fst2vcd >/dev/null 2>&1; then
    "$REPO_ROOT/.venv/bin/tinygpu-gtkwave-save" \
        --fst "$WAVE" --config "$CONFIG" -o "$SAVE" >/dev/null
else
    SAVE="$REPO_ROOT/tb/gtkwave/gpu.gtkw"
fi

if [[ -z "${DISPLAY:-}" ]] || ! command -v gtkwave >/dev/null 2>&1; then
    echo "waveform:  $WAVE"
    echo "save file: $SAVE"
    echo "trace:     $(dirname "$WAVE")/trace.txt"
    if ! command -v gtkwave >/dev/null 2>&1; then
        echo "GTKWave is not installed: sudo apt-get install gtkwave"
    else
        echo "no display here: on a machine with one, run"
        echo "  gtkwave --script=$REPO_ROOT/tb/gtkwave/zoom_fit.tcl $WAVE $SAVE"
    fi
    exit 0
fi
exec gtkwave --script="$REPO_ROOT/tb/gtkwave/zoom_fit.tcl" "$WAVE" "$SAVE"
