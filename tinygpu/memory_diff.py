# SPDX-License-Identifier: MIT
"""Comparing two data memories and describing the difference in a way one can act on."""

from __future__ import annotations

from collections.abc import Sequence


def memory_diff(
    expected: Sequence[int], actual: Sequence[int], *, limit: int = 16, initial: Sequence[int] | None = None
) -> list[str]:
    """One line per differing address (at most `limit`, then a summary); [] when equal.
    With `initial`, each line also shows the byte's value before the run.

    >>> memory_diff([1, 2, 3], [1, 9, 3])
    ['address 1 (0x01): expected 2 (0x02), got 9 (0x09)']
    """
    if len(expected) != len(actual):
        return [f"memory sizes differ: expected {len(expected)} bytes, got {len(actual)}"]
    pairs = enumerate(zip(expected, actual, strict=True))
    differing = [address for address, (want, got) in pairs if want != got]
    lines = [
        f"address {address} (0x{address:02x}): expected {expected[address]} "
        f"(0x{expected[address]:02x}), got {actual[address]} (0x{actual[address]:02x})"
        + (f", initially {initial[address]}" if initial is not None else "")
        for address in differing[:limit]
    ]
    if len(differing) > limit:
        lines.append(f"... and {len(differing) - limit} more differing addresses")
    return lines
