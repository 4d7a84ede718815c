"""Incremental ingestion: per-item results of the last run, reused when nothing they depend
on changed.

Every per-document and per-article step (reading a file, sketching an article for
near-duplicates, finding its entities, its events, its terms) is a pure function of a few
inputs. Each stage names those inputs as a key per item; a result whose key was seen in the
previous run is taken from ``<out>/.cache/<stage>.sqlite`` instead of being computed again.
A cache file also records a version: a hash of the code and data files the stage depends
on, so editing the gazetteer or a rule invalidates exactly the stages it touches. The
cross-article steps (ids, near-duplicate matching, name resolution, story grouping) always
run over the whole corpus, so the tables are the same as a run from scratch.

Results are stored pickled at the moment they are computed: later stages may change the
objects in place, and the cache must hold what the step itself returned. They go straight
into an SQLite file beside the cache (renamed over it when the run has written its tables),
so a run does not hold a second, pickled copy of every result in memory: at 100,000
articles that copy was 700 MB.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import struct
import tempfile
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..tables.paths import DATA_DIR
from .engine import Engine, InProcess

SRC_DIR = Path(__file__).resolve().parents[1]  # the dashboard package


def version_of(*files: str | Path) -> str:
    """A hash of the given files (modules relative to the dashboard package, such as
    ``ingest/events.py``, or data paths). A data file may be missing; a module must exist (a
    misspelt or moved module would leave the cache valid after its code changed)."""
    digest = hashlib.sha1()
    for name in files:
        path = Path(name)
        if not path.is_absolute():
            path = SRC_DIR / path if path.suffix == ".py" else DATA_DIR / path
        digest.update(str(path.name).encode())
        if path.suffix == ".py":
            digest.update(path.read_bytes())
            continue
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def key_of(*parts: object) -> str:
    """A short stable key from the values a result depends on."""
    digest = hashlib.sha1()
    for part in parts:
        if isinstance(part, str):  # article texts: hashed as they are, not through repr
            digest.update(b"s")
            digest.update(part.encode("utf-8", "surrogatepass"))
        else:
            digest.update(b"r")
            digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


INSERT = "INSERT OR REPLACE INTO items VALUES (?, ?)"


def _keys(key: Callable[[Any, object], str] | None, context: Any, items: Sequence) -> list[str]:
    """The key of every item; none when there is no ``key`` (the caller has them)."""
    return [key(context, item) for item in items] if key is not None else []


def _pickled(results: list, compress: bool = True) -> list[bytes]:
    # Pickled as soon as they are computed: what the step returned, before any later stage
    # can change the objects in place.
    blobs = (pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in results)
    return [_encoded(b) if compress else b"P" + b for b in blobs]


# Values are pickles, LZ4-compressed where that saves at least a fifth: article texts,
# mentions and terms shrink 2-4x, near-duplicate sketches (random hashes) do not, and their
# stage does not try (compress=False). At 10,000 bench articles the cache went from 77 MB to
# 45 MB. LZ4 (through pyarrow, already a dependency) rather than zlib: as small within 10 %,
# and 12x faster to pack and 4x faster to unpack; the unpacking happens in the parent process,
# which every stage waits for (zlib cost it 0.7 s at 20,000 articles).
FORMAT = "lz4"  # part of every cache's version: caches written before are not read
_SIZE = struct.Struct("<Q")


def _encoded(blob: bytes) -> bytes:
    packed = pa.compress(blob, codec="lz4", asbytes=True)
    if len(packed) + _SIZE.size >= 0.8 * len(blob):
        return b"P" + blob
    return b"L" + _SIZE.pack(len(blob)) + packed


def _decoded(value: bytes) -> object:
    if value[:1] == b"L":
        (size,) = _SIZE.unpack_from(value, 1)
        body = memoryview(value)[1 + _SIZE.size :]
        return pickle.loads(pa.decompress(body, size, codec="lz4", asbytes=True))
    return pickle.loads(memoryview(value)[1:])


def _keyed_pickles(
    func: Callable[[Any, Sequence], list],
    key: Callable[[Any, object], str] | None,
    compress: bool,
    context: Any,
    items: Sequence,
) -> tuple[list[str], list[bytes]]:
    return _keys(key, context, items), _pickled(func(context, items), compress)


def _computed(
    func: Callable[[Any, Sequence], list],
    key: Callable[[Any, object], str] | None,
    items: Sequence,
    engine: Engine,
    context: Any,
    compress: bool = True,
) -> Iterator[tuple[list[str], list[bytes], list]]:
    """(keys, pickles, results) of ``items``, chunk by chunk in input order; keys only when
    ``key`` is given. Workers send back only keys and pickles, which are then read once here;
    in this process the results are used as they are."""
    if engine.runs_here(len(items)):
        results = list(func(context, items))
        yield _keys(key, context, items), _pickled(results, compress), results
        return
    chunks = engine.iter_chunks(partial(_keyed_pickles, func, key, compress), items, context)
    for keys, blobs in chunks:
        yield keys, blobs, [_decoded(blob) for blob in blobs]


class ResultCache:
    """The cached results of one stage; ``map`` computes only what is missing."""

    BATCH = 500  # keys looked up per query

    def __init__(self, path: Path | None, version: str, compress: bool = True):
        self.path, self.version, self.compress = path, f"{FORMAT}:{version}", compress
        self.hits = self.misses = 0
        self._previous: sqlite3.Connection | None = None
        self._next: sqlite3.Connection | None = None
        self._next_path: Path | None = None
        if path is None or not path.exists():
            return
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            (stored,) = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        except (sqlite3.Error, TypeError):
            return  # an unreadable or older cache is only a slower run
        if stored == self.version:
            self._previous = db
        else:
            db.close()

    def _lookup(self, keys: list[str]) -> dict[str, bytes]:
        if self._previous is None or not keys:
            return {}
        marks = ",".join("?" * len(keys))
        query = f"SELECT key, value FROM items WHERE key IN ({marks})"
        return dict(self._previous.execute(query, keys).fetchall())

    def _writer(self) -> sqlite3.Connection:
        if self._next is None:
            assert self.path is not None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
            os.close(fd)
            self._next_path = Path(tmp)
            self._next = sqlite3.connect(tmp)
            self._next.executescript(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE items (key TEXT PRIMARY KEY, value BLOB);"
            )
            self._next.execute("INSERT INTO meta VALUES ('version', ?)", (self.version,))
        return self._next

    def map(
        self,
        func: Callable[[Any, Sequence], list],
        items: Sequence,
        key: Callable[[Any, object], str],
        engine: Engine | None = None,
        context: Any = None,
    ) -> list:
        """Like ``Engine.map_chunks`` with one result per item, reusing cached results.

        ``key(context, item)`` names what the item's result depends on. On workers, keys and
        pickles are made there along with the results (both are module-level functions, so
        the workers can run them): made in this process they were about a quarter of its
        work at 10,000 articles, and this process is the one every stage waits for.
        """
        engine = engine or InProcess()
        if self.path is None:  # no cache: the keys (hashes of every text) are not needed
            self.misses += len(items)
            return engine.map_chunks(func, items, context)
        items = list(items)
        writer = self._writer()
        if self._previous is None:  # nothing to reuse: keys and results in one pass
            results = []
            for keys, blobs, computed in _computed(
                func, key, items, engine, context, self.compress
            ):
                writer.executemany(INSERT, zip(keys, blobs, strict=True))
                results.extend(computed)
            writer.commit()
            self.misses += len(items)
            return results
        keys = engine.map_chunks(partial(_keys, key), items, context)
        results = [None] * len(items)
        missing = []
        # In batches: reused results are copied to the new file without holding them all.
        for first in range(0, len(keys), self.BATCH):
            batch = keys[first : first + self.BATCH]
            stored = self._lookup(batch)
            for i, item_key in enumerate(batch, start=first):
                blob = stored.get(item_key)
                if blob is None:
                    missing.append(i)
                else:
                    results[i] = _decoded(blob)
            writer.executemany(INSERT, stored.items())
        done = iter(missing)
        missing_items = [items[i] for i in missing]
        for _, blobs, computed in _computed(
            func, None, missing_items, engine, context, self.compress
        ):
            positions = [next(done) for _ in blobs]
            writer.executemany(INSERT, zip((keys[i] for i in positions), blobs, strict=True))
            for i, result in zip(positions, computed, strict=True):
                results[i] = result
        writer.commit()
        self.hits += len(items) - len(missing)
        self.misses += len(missing)
        return results

    def save(self) -> None:
        """Keep what this run used (results of removed inputs are dropped), atomically."""
        if self._previous is not None:
            self._previous.close()
            self._previous = None
        if self._next is None or self.path is None:
            return
        self._next.commit()
        self._next.close()
        self._next = None
        os.replace(self._next_path, self.path)

    def discard(self) -> None:
        """Drop what this run wrote (a failed run leaves the previous cache as it was)."""
        for db in (self._previous, self._next):
            if db is not None:
                db.close()
        self._previous = self._next = None
        if self._next_path is not None:
            self._next_path.unlink(missing_ok=True)


class Caches:
    """The stage caches of one ingestion run (none when ``directory`` is None)."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.stages: dict[str, ResultCache] = {}

    def stage(self, name: str, version: str, compress: bool = True) -> ResultCache:
        path = None if self.directory is None else self.directory / f"{name}.sqlite"
        cache = self.stages[name] = ResultCache(path, version, compress)
        return cache

    def save(self) -> None:
        for cache in self.stages.values():
            cache.save()

    def sweep(self) -> None:
        """Remove what killed runs left (their half-written caches) and caches of the pickle
        format this replaced. Only while holding the output folder's lock: another run's
        files would be among them."""
        if self.directory is not None and self.directory.is_dir():
            for old in [*self.directory.glob("*.pkl"), *self.directory.glob(".*.sqlite.*")]:
                old.unlink(missing_ok=True)

    def discard(self) -> None:
        for cache in self.stages.values():
            cache.discard()

    def summary(self) -> dict[str, str]:
        return {name: f"{c.hits} reused, {c.misses} computed" for name, c in self.stages.items()}
