# SPDX-License-Identifier: MIT
"""The one way the tools run work side by side: a process pool over a list of tasks.

Fuzzing, coverage and benchmarks all run many independent simulator processes; each task
here is a plain function call in a forked worker (the simulator itself is a child of that
worker). pytest uses pytest-xdist instead; nothing else starts processes in parallel.

    for result in parallel_map(run_batch, batches, jobs=2):
        ...   # results arrive as tasks finish (ordered=True: in the tasks' order)
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")


def parallel_map(
    function: Callable[[Task], Result], tasks: Iterable[Task], *, jobs: int, ordered: bool = False
) -> Iterator[Result]:
    """function(task) for every task in up to `jobs` worker processes.

    Yields results as they finish (or in task order with ordered=True). With one job or
    one task everything runs in this process, which keeps tracebacks and debuggers simple.
    `function` must be a module-level function (it is sent to the workers by name).
    """
    tasks = list(tasks)
    workers = max(1, min(jobs, len(tasks)))
    if workers == 1:
        yield from map(function, tasks)
        return
    with multiprocessing.get_context("fork").Pool(processes=workers) as pool:
        mapper = pool.imap if ordered else pool.imap_unordered
        yield from mapper(function, tasks)
