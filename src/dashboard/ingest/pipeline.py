"""The ingestion pipeline: raw documents -> processed tables, as a sequence of stages.

Each stage is a function ``stage(ctx)`` that reads tables from ``ctx.tables`` and adds or
updates its own. Adding a stage means writing that function and listing it in ``STAGES``.
"""

from __future__ import annotations

import gc
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..common.memory import release_memory
from ..tables import store
from ..tables.lock import output_lock
from ..tables.schema import COLUMNS, empty
from . import dedup, entities, events, terms
from .articles import ARTICLES_VERSION, extract_articles
from .cache import Caches
from .engine import Engine, engine_for
from .report import IngestReport

ProgressFn = Callable[[str, int, int], None]
CACHE_DIR = ".cache"  # inside the output folder: per-item results for the next run


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class PipelineContext:
    tables: dict[str, pd.DataFrame]
    report: IngestReport
    progress: ProgressFn = _no_progress
    options: dict = field(default_factory=dict)
    caches: Caches = field(default_factory=lambda: Caches(None))


Stage = Callable[[PipelineContext], None]

# Order matters: entities need articles, events need mentions, terms need entity names.
STAGES: list[tuple[str, Stage]] = [
    ("near-duplicates", dedup.run),
    ("entities", entities.run),
    ("events", events.run),
    ("terms", terms.run),
]


class NothingIngested(Exception):
    """No input yielded a single article. ``report`` lists what was rejected."""

    def __init__(self, message: str, report: IngestReport | None = None):
        super().__init__(message)
        self.report = report


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a stage runs. The stages make millions of
    objects that live until the stage ends (tokens, mentions, rows), and the collector went
    over them again and again: a tenth of the work of an ingestion in one process (20,000
    synthetic articles: 2 s of 25). Stages make little cyclic garbage; what there is gets
    collected after each stage (_released), so the peak memory stays the same."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _released() -> None:
    """What a stage left: its cyclic garbage collected, freed memory handed back."""
    gc.collect()
    release_memory()


def build_tables(
    paths: Iterable[Path],
    report: IngestReport,
    progress: ProgressFn = _no_progress,
    max_file_mb: float = 50.0,
    workers: int = 1,
    caches: Caches | None = None,
    engine: Engine | None = None,
) -> dict[str, pd.DataFrame]:
    """All tables from raw inputs. ``caches`` (see cache.py) lets per-item work of an earlier
    run be reused; ``engine`` (see engine.py) runs the per-file and per-article work, by
    default one for ``workers``. The tables are the same either way."""
    if engine is None:
        with engine_for(workers) as owned:
            return build_tables(paths, report, progress, max_file_mb, workers, caches, owned)
    caches = caches or Caches(None)
    started = time.perf_counter()
    with _collector_paused():
        articles = extract_articles(
            list(paths),
            report,
            progress=progress,
            max_file_mb=max_file_mb,
            engine=engine,
            cache=caches.stage("files", ARTICLES_VERSION),
        )
    _released()
    report.timings["articles"] = round(time.perf_counter() - started, 3)
    ctx = PipelineContext({"articles": articles}, report, progress, {"engine": engine}, caches)
    for name, stage in STAGES:
        progress(name, 0, 1)
        started = time.perf_counter()
        with _collector_paused():
            stage(ctx)
        _released()
        report.timings[name] = round(time.perf_counter() - started, 3)
        progress(name, 1, 1)
    tables = {}
    for name, columns in COLUMNS.items():
        frame = ctx.tables.get(name)
        if frame is None:
            frame = empty(name)
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise RuntimeError(f"stage output for {name} lacks contract columns {missing}")
        tables[name] = frame.reset_index(drop=True)
    report.articles = len(tables["articles"])
    report.cache = caches.summary() if caches.directory is not None else {}
    report.count_sources(tables["articles"]["source"].tolist())
    for name in ("mentions", "entities", "events"):
        report.counts[name] = len(tables[name])
    return tables


def ingest(
    paths: Iterable[Path],
    out_dir: Path,
    progress: ProgressFn = _no_progress,
    max_file_mb: float = 50.0,
    workers: int = 1,
    incremental: bool = True,
    wait: bool = False,
    scheduler: str | None = None,
    engine: Engine | None = None,
) -> IngestReport:
    """Run every stage and publish the tables in ``out_dir`` (see ``tables.store``).

    One run per output folder at a time: a second one raises ``LockHeld`` (or waits with
    ``wait``). A run that fails for any reason leaves the published tables and the cache as
    they were. ``workers`` > 1 runs the per-file and per-article work on a local Dask
    cluster of that many processes, ``scheduler`` (``tcp://HOST:PORT``) on a Dask cluster
    already running; both raise ``EngineError`` when the cluster cannot do the work. An
    ``engine`` given is used instead, and left open.
    """
    out_dir = Path(out_dir)
    paths = [Path(p) for p in paths]
    report = IngestReport()
    with output_lock(out_dir, wait=wait):
        store.sweep(out_dir)
        caches = Caches(out_dir / CACHE_DIR if incremental else None)
        caches.sweep()
        try:
            try:
                # Started under the lock: a run that has to stop for another one starts nothing.
                with nullcontext(engine) if engine else engine_for(workers, scheduler) as used:
                    tables = build_tables(
                        paths, report, progress, max_file_mb, workers, caches, used
                    )
            except sqlite3.OperationalError as exc:
                if "full" not in str(exc):
                    raise
                raise store.DiskFull(
                    out_dir / CACHE_DIR,
                    None,
                    store.free_bytes(out_dir),
                    advice="free some space, or run with --no-cache (the incremental cache "
                    "takes several times the tables' size)",
                ) from exc
            if tables["articles"].empty:
                raise NothingIngested(
                    "No article could be read from the input; nothing was written. "
                    + (f"{len(report.rejected)} input(s) rejected." if report.rejected else ""),
                    report,
                )
            inputs = [str(p.resolve()) for p in paths]
            with _collector_paused():  # the tables hold millions of objects (see there)
                store.write_tables(out_dir, tables, report.to_json(), inputs=inputs)
            store.sweep(out_dir)  # two sets stay on disk: this one and the one it replaced
        except BaseException:
            caches.discard()  # a failed run leaves the old cache as it was
            raise
        caches.save()  # only after the tables landed
    return report
