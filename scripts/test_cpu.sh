#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The CPU that `make test` costs, phase by phase: runs each command of `make -n test`
# (the Makefile is the one list of phases) under /usr/bin/time and prints, per phase,
# CPU seconds (user + system, the phase's child processes included) and wall seconds,
# then the total. Nothing is cached between runs except what the phases cache
# themselves (build/): run it in a fresh clone to measure what CI pays.
#
# Usage:  bash scripts/test_cpu.sh [MAKE VARIABLES...]   e.g. JOBS=2
# Exit status: that of the first failing phase (the table so far is still printed).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

table=()
total_cpu=0
total_wall=0
status=0
while IFS= read -r command; do
    [[ -z "$command" ]] && continue
    times="$(mktemp)"
    /usr/bin/time -f "%U %S %e" -o "$times" bash -c "$command"
    rc=$?
    read -r user sys wall < <(tail -n 1 "$times")
    rm -f "$times"
    cpu="$(echo "$user + $sys" | bc)"
    total_cpu="$(echo "$total_cpu + $cpu" | bc)"
    total_wall="$(echo "$total_wall + $wall" | bc)"
    table+=("$(printf '%8.0f %8.0f  %s' "$cpu" "$wall" "$command")")
    echo "test_cpu: ${table[-1]}"  # each phase as it ends: a run cut short still tells
    if ((rc)); then
        status=$rc
        table+=("   (failed with status $rc)")
        break
    fi
done < <(make -n test "$@")

echo
echo "make test, per phase (CPU = user + system of the phase and its children):"
printf '%8s %8s  %s\n' "CPU s" "wall s" "phase"
printf '%s\n' "${table[@]}"
printf '%8.0f %8.0f  %s\n' "$total_cpu" "$total_wall" "total"
exit "$status"
