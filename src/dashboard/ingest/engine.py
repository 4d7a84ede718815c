"""Where the per-file and per-article work of an ingestion runs: in this process, or as tasks
on Dask (``dask.distributed``).

Work is cut into contiguous chunks of the items and the results come back in input order, so
the tables are identical whatever runs them. A chunk function is called as
``func(context, chunk)``: ``context`` is what every chunk of one map reads (the entity
matcher, the mention table ...). On Dask it is scattered once to every worker, not sent with
each task; the chunk itself travels inside its task, so a task whose worker died can be run
again elsewhere (scattered chunks would die with their worker).

- ``InProcess``: everything here, no pickling (tests, the app, ``--workers 1``).
- ``DaskEngine()``: an in-process ``distributed.LocalCluster`` with a worker process per core,
  started on the first map large enough to be worth it (a small input never starts one).
- ``DaskEngine(scheduler="tcp://HOST:PORT")``: the tasks go to a cluster already running;
  every map goes there (whoever names a cluster wants it used).
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from contextlib import suppress
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items per worker a local cluster costs more than it saves.
MIN_ITEMS_PER_WORKER = 200
# Several chunks per worker so a slow chunk does not leave the other workers idle.
CHUNKS_PER_WORKER = 4
# At most this many items in a chunk: a chunk's items travel inside its task, and Dask warns
# about task graphs over 10 MB (500 bench articles with both scripts are about 3 MB).
MAX_CHUNK = 500
# Chunks submitted ahead of the one being read, per worker: enough to keep every worker busy,
# few enough that finished results do not pile up on the workers.
AHEAD_PER_WORKER = 3
# Fresh copies of a map's context sent when the scheduler cancelled chunks while workers
# remain: each copy serves every chunk sent after it, so one lost copy (which cancels every
# chunk still waiting on it) costs one, however many chunks it cancelled.
RESUBMITS = 3
# How long to wait for a named scheduler before giving up with a message.
CONNECT_TIMEOUT_S = 20


# Contexts, chunks and results cross between processes as one pickle each. Dask's own
# serialization walks lists and tuples item by item and sends every bytes object or numpy
# array as a frame of its own: a list of 20,000 shingle arrays took 2-3.5 s to scatter,
# the same bytes in one object 0.1 s.
def _pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


# On a worker: the contexts it has unpickled, by the token of their map, so each is
# unpickled once per worker, not once per chunk. A few are kept: a cluster may serve several
# ingestions at once; each map asks its workers to forget its own at the end.
_contexts: OrderedDict[str, Any] = OrderedDict()
_contexts_lock = threading.Lock()
CONTEXTS_KEPT = 4


def _run_chunk(func: Callable, token: str, context: bytes, chunk: bytes) -> bytes:
    """A Dask task: ``func(context, chunk)``, its result pickled."""
    with _contexts_lock:
        if token not in _contexts:
            _contexts[token] = pickle.loads(context)
            while len(_contexts) > CONTEXTS_KEPT:
                _contexts.popitem(last=False)
        value = _contexts[token]
    return _pickled(func(value, pickle.loads(chunk)))


def _forget_context(token: str) -> None:
    with _contexts_lock:
        _contexts.pop(token, None)


def _has_workers(client) -> bool:
    """True when the scheduler answers and has at least one worker."""
    try:
        return bool(client.nthreads())
    except Exception:  # noqa: BLE001 - any failure to ask means no cluster to resubmit to
        return False


class EngineError(RuntimeError):
    """The cluster could not run the work (unreachable, or its workers kept dying)."""


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def worker_environ() -> dict:
    """The environment Dask's nannies give worker processes, without MALLOC_TRIM_THRESHOLD_.

    Dask sets it (to 65536) so workers hand freed memory back to the system; setting it at
    all also stops glibc from raising its mmap threshold, so every allocation over 128 KB
    is a fresh mmap: the near-duplicate sketches ran 4-5 times slower on a worker than in
    this process (2,000 bench articles: 1.0 s against 0.22 s; 0.23 s without it)."""
    import dask

    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {})
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return environ


def chunk_bounds(n_items: int, workers: int) -> list[tuple[int, int]]:
    size = max(1, min(MAX_CHUNK, -(-n_items // (workers * CHUNKS_PER_WORKER))))
    return [(start, min(start + size, n_items)) for start in range(0, n_items, size)]


class Engine:
    """Runs everything in this process (the one-process path)."""

    workers = 1

    def runs_here(self, n_items: int) -> bool:
        """True when a map of ``n_items`` is computed in this process, in one chunk."""
        return True

    def iter_chunks(
        self, func: Callable[[Any, Sequence[T]], R], items: Sequence[T], context: Any = None
    ) -> Iterator[R]:
        """Yields ``func(context, chunk)`` for contiguous chunks of ``items``, in input order,
        each as soon as it and those before it are done."""
        yield func(context, items)

    def map_chunks(
        self, func: Callable[[Any, Sequence[T]], list[R]], items: Sequence[T], context: Any = None
    ) -> list[R]:
        """``func`` maps a chunk to a list of results; their concatenation in input order."""
        return [r for chunk in self.iter_chunks(func, items, context) for r in chunk]

    def close(self) -> None:
        return None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


InProcess = Engine  # the name callers use for the one-process path


class DaskEngine(Engine):
    """Tasks on ``dask.distributed``: a local cluster of ``workers`` processes, or the
    cluster whose scheduler is at ``scheduler``."""

    def __init__(
        self,
        workers: int | None = None,
        scheduler: str | None = None,
        min_items_per_worker: int | None = None,
    ):
        self.scheduler = scheduler
        self.workers = workers or default_workers()
        if min_items_per_worker is None:
            min_items_per_worker = 1 if scheduler else MIN_ITEMS_PER_WORKER
        self.min_items_per_worker = min_items_per_worker
        self._cluster = None
        self._client = None
        if scheduler:  # connect now: an unreachable scheduler is said before any work starts
            self._connect()

    def runs_here(self, n_items: int) -> bool:
        if self.scheduler:
            return n_items == 0
        return self.workers < 2 or n_items // self.min_items_per_worker < 2

    def _connect(self):
        if self._client is not None:
            return self._client
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self._client = Client(
                    self.scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False
                )
            except OSError as exc:
                raise EngineError(
                    f"cannot reach the Dask scheduler {self.scheduler}: {exc}"
                ) from exc
            self.workers = max(1, sum(self._client.nthreads().values()))
            return self._client
        # Processes with one thread each: the tokenizers hold the GIL. No web dashboard: it
        # would take a port, and nobody asked for it. The scheduler's HTTP routes (health,
        # metrics) still start: on a free port of this machine only, not on 8787 of every
        # interface (a second ingestion, or any cluster running, printed "Port 8787 is
        # already in use" into the user's one-line messages).
        with dask.config.set({"distributed.nanny.pre-spawn-environ": worker_environ()}):
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.ERROR,
            )
        self._client = Client(self._cluster, set_as_default=False)
        return self._client

    def iter_chunks(
        self, func: Callable[[Any, Sequence[T]], R], items: Sequence[T], context: Any = None
    ) -> Iterator[R]:
        items = list(items)
        if self.runs_here(len(items)):
            yield func(context, items)
            return
        from distributed import KilledWorker

        client = self._connect()
        bounds = chunk_bounds(len(items), self.workers)
        token = uuid.uuid4().hex
        context_bytes = _pickled(context)
        # Sent to every worker, yet a worker that dies can take the only copy with it: a
        # worker that joined later has none, and Dask's memory manager drops the extra copies
        # of data no waiting task needs (two became one within 4 s). Every chunk waiting on
        # the lost copy is then cancelled ("already forgotten") and sent again below.
        shared = [client.scatter([context_bytes], broadcast=True, hash=False)[0]]
        ahead = max(2, self.workers * AHEAD_PER_WORKER)
        pending: deque = deque()  # (bound, future, index of its copy in shared), input order
        queued = iter(bounds)

        def submit(bound: tuple[int, int]):
            start, stop = bound
            chunk = _pickled(items[start:stop])
            future = client.submit(_run_chunk, func, token, shared[-1], chunk, pure=False)
            return bound, future, len(shared) - 1

        def submit_next() -> None:
            bound = next(queued, None)
            if bound is not None:
                pending.append(submit(bound))

        try:
            for _ in range(ahead):
                submit_next()
            while pending:
                bound, future, copy = pending.popleft()
                try:
                    result = future.result()
                except KilledWorker as exc:
                    raise EngineError(
                        f"the Dask workers running the ingestion kept dying ({exc}); "
                        "nothing was written"
                    ) from exc
                except CancelledError as exc:
                    # A worker killed mid-task can leave a task "forgotten" by the scheduler
                    # (the context's only copy died with it, or the scheduler lost track
                    # under load): while the cluster still has workers, send the chunk again,
                    # with a fresh copy of the context when it used the newest one (the other
                    # chunks the same loss cancelled reuse that copy). Otherwise the
                    # scheduler left.
                    newest = copy == len(shared) - 1
                    if (not newest or len(shared) <= RESUBMITS) and _has_workers(client):
                        if newest:
                            shared.append(
                                client.scatter([context_bytes], broadcast=True, hash=False)[0]
                            )
                            # The chunks still waiting on the lost copy went with it: send
                            # them all now, so the workers stay busy while this one runs.
                            for i in range(len(pending)):
                                waiting = pending[i]
                                if waiting[2] <= copy and waiting[1].status != "finished":
                                    waiting[1].release()
                                    pending[i] = submit(waiting[0])
                        future.release()
                        pending.appendleft(submit(bound))
                        continue
                    raise EngineError(
                        f"the Dask cluster stopped in the middle of the ingestion ({exc}); "
                        "nothing was written"
                    ) from exc
                future.release()
                submit_next()
                yield pickle.loads(result)
        finally:
            for _bound, future, _copy in pending:
                future.cancel()
            for held in shared:
                held.release()
            with suppress(Exception):  # a worker that died has nothing left to forget
                client.run(_forget_context, token, on_error="ignore")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def engine_for(workers: int = 1, scheduler: str | None = None) -> Engine:
    """The engine of ``--workers`` / ``--scheduler``: one process for one worker and no
    scheduler, Dask otherwise."""
    if scheduler:
        return DaskEngine(scheduler=scheduler)
    if workers <= 1:
        return InProcess()
    return DaskEngine(workers=workers)
