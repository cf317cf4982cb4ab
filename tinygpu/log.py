# SPDX-License-Identifier: MIT
"""Where the library's reports go: only the command lines (tinygpu/cli/) print.

A library function that reports as it goes (a campaign's progress, a run's result) takes
a `log` argument, a function that receives each line of text; tinygpu.cli passes
`cli.args.say` (print, flushed), a test may pass `list.append`.
"""

from __future__ import annotations

from collections.abc import Callable

Log = Callable[[str], None]
