"""Run per-document and per-article work on every core, with the output of a single process.

Work is cut into contiguous chunks and the results are put back in input order, so tables
come out identical whatever the number of workers. Workers are forked: the expensive
read-only state (the entity automaton, the tokenizer) is built once in the parent and shared
copy-on-write, and so are the items themselves: a worker is sent only the bounds of its
chunk, not a pickled copy of its texts. Fork is only safe from a process without other
threads, so the app (a threaded server) ingests with one worker and the command line uses
them all.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items per worker the pool costs more than it saves.
MIN_ITEMS_PER_WORKER = 200
# Several chunks per worker so a slow chunk does not leave the other cores idle, and at most
# this many items in one: a finished chunk's results wait in the parent until it is read.
CHUNKS_PER_WORKER = 4
MAX_CHUNK = 2000

# The items of the map running now. Set before the pool forks, so every worker has them.
_shared: Sequence = ()


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool_size(n_items: int, workers: int) -> int:
    """The processes a map of ``n_items`` uses (1: it runs in this process)."""
    return max(1, min(workers, n_items // MIN_ITEMS_PER_WORKER))


def _die_with_parent() -> None:
    """Worker start-up: ask the kernel to kill this worker when its parent dies (Linux
    PR_SET_PDEATHSIG). A killed ingestion otherwise leaves its workers running, and they
    hold the output folder's lock."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when the parent's pipe closes
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def _run_slice(func: Callable[[Sequence], list], start: int, stop: int) -> list:
    return func(_shared[start:stop])


def iter_chunks(
    func: Callable[[Sequence[T]], R], items: Sequence[T], workers: int = 1
) -> Iterator[R]:
    """Yields ``func(chunk)`` for contiguous chunks of ``items``, in input order, each as
    soon as it and those before it are done (one chunk of all items without a pool)."""
    global _shared
    items = list(items)
    workers = pool_size(len(items), workers)
    if workers == 1:
        yield func(items)
        return
    size = min(MAX_CHUNK, -(-len(items) // (workers * CHUNKS_PER_WORKER)))
    starts = range(0, len(items), size)
    _shared = items
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_die_with_parent
        ) as pool:
            stops = [min(start + size, len(items)) for start in starts]
            yield from pool.map(_run_slice, repeat(func), starts, stops)
    finally:
        _shared = ()


def map_chunks(
    func: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int = 1
) -> list[R]:
    """``func`` maps a chunk of items to a list of results (one per item, or any number);
    returns the concatenation in input order."""
    return [r for chunk in iter_chunks(func, items, workers) for r in chunk]
