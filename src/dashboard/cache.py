"""Incremental ingestion: per-item results of the last run, reused when nothing they depend
on changed.

Every per-document and per-article step (reading a file, sketching an article for
near-duplicates, finding its entities, its events, its terms) is a pure function of a few
inputs. Each stage names those inputs as a key per item; a result whose key was seen in the
previous run is taken from ``<out>/.cache/<stage>.pkl`` instead of being computed again.
A cache file also records a version: a hash of the code and data files the stage depends
on, so editing the gazetteer or a rule invalidates exactly the stages it touches. The
cross-article steps (ids, near-duplicate matching, name resolution, story grouping) always
run over the whole corpus, so the tables are the same as a run from scratch.

Results are stored pickled at the moment they are computed: later stages may change the
objects in place, and the cache must hold what the step itself returned.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .parallel import map_chunks
from .paths import DATA_DIR

SRC_DIR = Path(__file__).resolve().parent


def version_of(*files: str | Path) -> str:
    """A hash of the given files (module names relative to this package, or data paths)."""
    digest = hashlib.sha1()
    for name in files:
        path = Path(name)
        if not path.is_absolute():
            path = SRC_DIR / path if path.suffix == ".py" else DATA_DIR / path
        digest.update(str(path.name).encode())
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


class ResultCache:
    """The cached results of one stage; ``map`` computes only what is missing."""

    def __init__(self, path: Path | None, version: str):
        self.path, self.version = path, version
        self.previous: dict[str, bytes] = {}
        self.current: dict[str, bytes] = {}
        self.hits = self.misses = 0
        if path is not None and path.exists():
            try:
                with open(path, "rb") as f:
                    stored = pickle.load(f)
                if stored.get("version") == version:
                    self.previous = stored["items"]
            except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError):
                self.previous = {}  # an unreadable cache is only a slower run

    def map(
        self,
        func: Callable[[Sequence], list],
        items: Sequence,
        keys: Iterable[str],
        workers: int = 1,
    ) -> list:
        """Like ``parallel.map_chunks`` with one result per item, reusing cached results."""
        if self.path is None:  # no cache: the keys (hashes of every text) are not needed
            self.misses += len(items)
            return map_chunks(func, items, workers)
        keys = list(keys)
        results: list = [None] * len(items)
        missing = []
        for i, key in enumerate(keys):
            stored = self.previous.get(key)
            if stored is None:
                missing.append(i)
            else:
                results[i] = pickle.loads(stored)
                self.current[key] = stored
        computed = map_chunks(func, [items[i] for i in missing], workers)
        for i, result in zip(missing, computed, strict=True):
            results[i] = result
            if self.path is not None:
                self.current[keys[i]] = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        self.hits += len(items) - len(missing)
        self.misses += len(missing)
        return results

    def save(self) -> None:
        """Keep what this run used (results of removed inputs are dropped), atomically."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(
                    {"version": self.version, "items": self.current},
                    f,
                    protocol=pickle.HIGHEST_PROTOCOL,
                )
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class Caches:
    """The stage caches of one ingestion run (none when ``directory`` is None)."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.stages: dict[str, ResultCache] = {}

    def stage(self, name: str, version: str) -> ResultCache:
        path = None if self.directory is None else self.directory / f"{name}.pkl"
        cache = self.stages[name] = ResultCache(path, version)
        return cache

    def save(self) -> None:
        for cache in self.stages.values():
            cache.save()

    def summary(self) -> dict[str, str]:
        return {name: f"{c.hits} reused, {c.misses} computed" for name, c in self.stages.items()}
