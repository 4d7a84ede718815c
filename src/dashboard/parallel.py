"""Run per-document and per-article work on every core, with the output of a single process.

Work is cut into contiguous chunks and the results are put back in input order, so tables
come out identical whatever the number of workers. Workers are forked: the expensive
read-only state (the entity automaton, the tokenizer) is built once in the parent and shared
copy-on-write. Fork is only safe from a process without other threads, so the app (a
threaded server) ingests with one worker and the command line uses them all.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items per worker the pool costs more than it saves.
MIN_ITEMS_PER_WORKER = 200


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_chunks(
    func: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int = 1
) -> list[R]:
    """``func`` maps a chunk of items to a list of results (one per item, or any number);
    returns the concatenation in input order."""
    items = list(items)
    workers = max(1, min(workers, len(items) // MIN_ITEMS_PER_WORKER))
    if workers == 1:
        return list(func(items))
    # Several chunks per worker so a slow chunk does not leave the other cores idle.
    n_chunks = workers * 4
    size = -(-len(items) // n_chunks)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = pool.map(func, chunks)
        return [r for chunk in results for r in chunk]
