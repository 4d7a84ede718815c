"""Write and load the processed tables (Parquet); one atomic publish per run.

An output folder ``DIR`` holds complete sets of tables, one folder per ingestion run, and a
pointer to the published one::

    DIR/runs/<run_id>/        articles.parquet ... terms.parquet, manifest.json, ingest_report.json,
                              texts.arrow, sentences.arrow, terms.arrow (the texts, the
                              mentions' sentences and the terms' codes again, for the app
                              to map: mapped.py), search.arrow (the search's index of the
                              texts: search_index.py), derived.*.arrow (what the pages derive
                              from the run, kept by the app or the ingest command:
                              derived_files.py)
    DIR/current -> runs/<run_id>      the published set: a symlink, swapped with one rename
    DIR/articles.parquet -> current/articles.parquet   (and every table, the manifest and the
                              report: links made once, so ``DIR/<table>.parquet`` keeps reading
                              as the current set for notebooks and scripts)
    DIR/.lock                 held by the run that writes DIR (``tables.lock``)
    DIR/.cache/               the incremental cache of the ingestion

A run writes its set into ``runs/.<run_id>.partial/``, renames that to ``runs/<run_id>``
and then swaps ``current``: readers see the old set or the new one, never a mix, and a run
killed at any point leaves the last published set in place. The next run sweeps what killed
runs left behind and every set but the current and the previous one (an app still showing
the previous set keeps reading it until it reloads).

Readers resolve ``current`` once (``run_dir_of``) and read every table from that folder;
each Parquet file also carries its run id, so a set that was tampered with is detected.
A folder written before run folders existed (tables directly in ``DIR``) still loads, and
the first run into it turns its files into the links above.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import mapped, search_index

TABLES = ("articles", "mentions", "entities", "events", "terms")
MANIFEST = "manifest.json"
REPORT = "ingest_report.json"
RUN_KEY = b"dashboard_run_id"
RUNS = "runs"
CURRENT = "current"
PARTIAL = ".partial"
STALE_TMP_S = 600  # a temporary file in a run folder older than this was left by a killed app
# What ``DIR/<name>`` links to inside the current set.
LINKED = (*(f"{name}.parquet" for name in TABLES), MANIFEST, REPORT)


class StoreError(Exception):
    """The processed tables are missing, unreadable or from different runs.

    ``problems`` names every file that is wrong and how, so a message can list them all."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems = problems or []


class DiskFull(OSError):
    """The disk filled up while a run wrote; the published set is unchanged."""

    def __init__(
        self,
        folder: Path,
        needed: int | None,
        free: int | None,
        what: str = "tables",
        advice: str = "free some space (or write elsewhere with --out) and run again",
    ):
        self.folder, self.needed, self.free = Path(folder), needed, free
        need = f"the new {what} need about {_mb(needed)} MB and " if needed else ""
        have = f"{_mb(free)} MB are free" if free is not None else "no space is left"
        super().__init__(
            errno.ENOSPC,
            f"the disk holding {folder} is full: {need}{have}; {advice}. "
            "The tables you had are unchanged.",
        )

    def __str__(self) -> str:
        return self.strerror


def _mb(n: int | None) -> str:
    return f"{(n or 0) / 1e6:,.1f}"


def free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _plain_strings(table: pa.Table) -> pa.Table:
    """Categorical columns written as plain strings (Parquet dictionary-encodes them anyway).
    Written as Arrow dictionaries, every row group would carry all the categories, and a
    read would have to merge 61 copies of 100,000 article ids at 100,000 articles."""
    for index, field_ in enumerate(table.schema):
        if pa.types.is_dictionary(field_.type):
            plain = table.column(index).cast(field_.type.value_type)
            table = table.set_column(index, pa.field(field_.name, plain.type), plain)
    return table


def _arrow_table(frame: pd.DataFrame, run_id: str) -> pa.Table:
    table = _plain_strings(pa.Table.from_pandas(frame, preserve_index=False))
    meta = dict(table.schema.metadata or {})
    meta[RUN_KEY] = run_id.encode()
    return table.replace_schema_metadata(meta)


def _mapped_size(arrow: dict[str, pa.Table]) -> int:
    """About what the mapped files of a set take (uncompressed: the texts, the sentences,
    ten bytes a term row, and the search index about a quarter of the texts)."""
    size = 0
    if "articles" in arrow:
        texts = [c for c in ("text", "text_simplified") if c in arrow["articles"].column_names]
        size += int(sum(arrow["articles"].column(c).nbytes for c in texts) * 1.25)
    if "mentions" in arrow and "sentence" in arrow["mentions"].column_names:
        size += arrow["mentions"].column("sentence").nbytes
    if "terms" in arrow:
        size += 10 * arrow["terms"].num_rows
    return size


def _parquet_size(table: pa.Table) -> int:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().size


# ---------------------------------------------------------------------------- reading


def run_dir_of(data_dir: Path) -> Path | None:
    """The folder that holds the published set of ``data_dir``: ``runs/<id>`` through
    ``current``, or ``data_dir`` itself when its tables lie directly in it (a folder written
    before run folders, or a run folder given directly). None when there is none."""
    data_dir = Path(data_dir)
    current = data_dir / CURRENT
    if os.path.lexists(current):
        target = current.resolve()
        return target if (target / MANIFEST).is_file() else None
    if (data_dir / MANIFEST).is_file():
        return data_dir
    return None


def read_manifest(data_dir: Path) -> dict | None:
    run_dir = run_dir_of(data_dir)
    if run_dir is None:
        return None
    try:
        manifest = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("run_id") else None


@dataclass(frozen=True)
class Snapshot:
    """Identifies one set of processed tables on disk; changes whenever a run lands."""

    path: str  # the run folder the set lives in (read every table from here)
    run_id: str
    mtime_ns: int


def snapshot(data_dir: Path) -> Snapshot | None:
    run_dir = run_dir_of(data_dir)
    manifest = read_manifest(data_dir) if run_dir is not None else None
    if manifest is None:
        return None
    try:
        stat = (run_dir / MANIFEST).stat()
    except OSError:
        return None
    return Snapshot(str(run_dir.resolve()), manifest["run_id"], stat.st_mtime_ns)


def has_tables(data_dir: Path) -> bool:
    return snapshot(Path(data_dir)) is not None


# Columns that repeat a few values over many rows, read as categories: a million mentions
# of a few hundred entities then hold one integer per row, not one string. Sentences stay
# strings: turning 300,000 distinct ones into categories cost a second of the cold load
# (relations codes them itself, once, for the rows it joins).
CATEGORY_COLUMNS = {
    "mentions": ["article_id", "entity_id", "surface", "type"],
    "terms": ["article_id", "term"],
}


def load_tables(
    data_dir: Path,
    names: tuple[str, ...] = TABLES,
    skip: dict[str, tuple[str, ...]] | None = None,
    run_id: str | None = None,
    only: dict[str, tuple[str, ...]] | None = None,
    arrow_lists: bool = False,
) -> dict[str, pd.DataFrame]:
    """Load the named tables of the published set; raises StoreError naming every file
    that is missing or unreadable. Repetitive string columns (CATEGORY_COLUMNS) come back
    as pandas categoricals. ``skip`` / ``only``: columns not to read / the only ones to read,
    per table. ``run_id``: the run the tables must come from (default: the manifest's).
    ``arrow_lists``: list columns stay Arrow arrays (a row reads as a Python list) instead of
    a Python list object per row."""
    data_dir = Path(data_dir)
    snap = snapshot(data_dir)
    if snap is None:
        raise StoreError(
            f"No processed tables in {data_dir} (manifest.json missing or broken).",
            [(str(data_dir / MANIFEST), "missing or broken")],
        )
    run_dir = Path(snap.path)
    frames, problems = {}, []
    for name in names:
        path = run_dir / f"{name}.parquet"

        def read(path: Path, name: str = name) -> pa.Table:
            columns = None
            if skip and name in skip:
                columns = [c for c in pq.read_schema(path).names if c not in skip[name]]
            if only and name in only:
                columns = [c for c in pq.read_schema(path).names if c in only[name]]
            return pq.read_table(path, columns=columns, read_dictionary=CATEGORY_COLUMNS.get(name))

        table = _of_run(path, data_dir / path.name, run_id or snap.run_id, read, problems)
        if table is not None:
            table = _sorted_categories(table, CATEGORY_COLUMNS.get(name, []))
            frames[name] = table.to_pandas(types_mapper=_list_as_arrow if arrow_lists else None)
    _raise_for(problems)
    return frames


def _list_as_arrow(arrow_type: pa.DataType) -> pd.ArrowDtype | None:
    return pd.ArrowDtype(arrow_type) if pa.types.is_list(arrow_type) else None


def _of_run(path: Path, shown: Path, run_id: str, read, problems: list) -> object | None:
    """``read(path)`` (a table or its schema) when the file is there, readable and of run
    ``run_id``; else None, with why added to ``problems`` under the name ``shown``."""
    try:
        found = read(path)
    except FileNotFoundError:
        problems.append((str(shown), "missing"))
        return None
    except (OSError, pa.ArrowException) as exc:
        problems.append((str(shown), f"cannot be read ({exc})"))
        return None
    schema = found.schema if isinstance(found, pa.Table) else found
    if (schema.metadata or {}).get(RUN_KEY, b"").decode() != run_id:
        problems.append((str(shown), "comes from another ingestion run than manifest.json"))
        return None
    return found


def _raise_for(problems: list[tuple[str, str]]) -> None:
    if problems:
        listed = "; ".join(f"{path} {why}" for path, why in problems)
        raise StoreError(f"{len(problems)} table file(s) unusable: {listed}.", problems)


def check_tables(run_dir: Path, names: tuple[str, ...], run_id: str) -> None:
    """Raise StoreError, as ``load_tables`` does, when a table of ``names`` in ``run_dir`` is
    missing, unreadable or of another run than ``run_id``; reads only their footers (a load
    that takes what it needs from mapped files still refuses a set that is not whole)."""
    problems: list[tuple[str, str]] = []
    for name in names:
        path = Path(run_dir) / f"{name}.parquet"
        _of_run(path, path, run_id, pq.read_schema, problems)
    _raise_for(problems)


def row_count(run_dir: Path, name: str) -> int:
    """Rows of table ``name`` in ``run_dir`` (from its footer)."""
    return pq.read_metadata(Path(run_dir) / f"{name}.parquet").num_rows


def _sorted_categories(table: pa.Table, columns: list[str]) -> pa.Table:
    """Dictionary columns with their values in sorted order: pandas orders a categorical by
    its categories, and a sort or a tie-break must come out as it would on the strings."""
    for column in columns:
        if column not in table.column_names:
            continue
        index = table.column_names.index(column)
        array = table.column(column).unify_dictionaries().combine_chunks()
        if not isinstance(array, pa.DictionaryArray):
            array = array.dictionary_encode()
        order = pc.sort_indices(array.dictionary)
        rank = np.empty(len(order), dtype=np.int32)
        rank[order.to_numpy()] = np.arange(len(order), dtype=np.int32)
        recoded = pc.take(pa.array(rank), array.indices)  # nulls stay null
        sorted_array = pa.DictionaryArray.from_arrays(recoded, array.dictionary.take(order))
        table = table.set_column(index, column, sorted_array)
    return table


def read_report(data_dir: Path) -> dict:
    run_dir = run_dir_of(data_dir)
    if run_dir is None:
        return {}
    try:
        return json.loads((run_dir / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


@dataclass
class Diagnosis:
    """What is in a data folder, for a message a user can act on."""

    state: str  # ok | missing | empty | partial | damaged
    problems: list[tuple[str, str]] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # what built the last published set


def diagnose(data_dir: Path) -> Diagnosis:
    data_dir = Path(data_dir)
    if not data_dir.exists():
        return Diagnosis("missing", [(str(data_dir), "does not exist")])
    manifest = read_manifest(data_dir)
    inputs = [str(p) for p in (manifest or {}).get("inputs", [])]
    if manifest is None:
        present = [n for n in LINKED if (data_dir / n).exists()]
        if not present:
            return Diagnosis("empty", [(str(data_dir), "holds no processed tables")])
        missing = [n for n in LINKED[: len(TABLES) + 1] if n not in present]
        return Diagnosis("partial", [(str(data_dir / n), "missing") for n in missing], inputs)
    try:
        load_tables(data_dir, only={name: () for name in TABLES})
    except StoreError as exc:
        return Diagnosis("damaged", exc.problems, inputs)
    return Diagnosis("ok", [], inputs)


# ---------------------------------------------------------------------------- writing


def new_run_id() -> str:
    return uuid.uuid4().hex


def write_tables(
    out_dir: Path,
    tables: dict[str, pd.DataFrame],
    report_json: str,
    inputs: list[str] | None = None,
    run_id: str | None = None,
) -> str:
    """Write a complete set into its own run folder and publish it; returns the run id.
    ``inputs``: the paths the set was built from, remembered for a rebuild."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    run_id = run_id or new_run_id()
    runs = out_dir / RUNS
    runs.mkdir(exist_ok=True)
    staging = runs / f".{run_id}{PARTIAL}"
    staging.mkdir()
    previous = read_manifest(out_dir)
    written = 0
    arrow = {name: _arrow_table(frame, run_id) for name, frame in tables.items()}
    try:
        try:
            for name, table in arrow.items():
                path = staging / f"{name}.parquet"
                pq.write_table(table, path, compression="zstd")
                written += path.stat().st_size
            if "articles" in tables:  # the texts the app maps instead of loading (mapped.py)
                texts_file = staging / mapped.TEXTS
                mapped.write_mapped(texts_file, mapped.frame_batches(tables["articles"]), run_id)
                written += texts_file.stat().st_size
                # The search's index of the same texts, read back from the map a batch at a
                # time (search_index.py).
                index_file = staging / search_index.SEARCH
                written_texts = mapped.open_texts(staging, run_id)
                batches = search_index.index_batches(written_texts.simplified_texts())
                mapped.write_mapped(index_file, batches, run_id, search_index.SCHEMA)
                written += index_file.stat().st_size
            if "terms" in tables and "articles" in tables:  # the terms' codes, likewise
                file = staging / mapped.TERMS
                ids = tables["articles"]["article_id"]
                batches = mapped.term_batches(tables["terms"], ids)
                mapped.write_mapped(file, batches, run_id, None)
                written += file.stat().st_size
            if "mentions" in tables:  # their sentences, likewise
                file = staging / mapped.SENTENCES
                batches = mapped.sentence_batches(tables["mentions"])
                mapped.write_mapped(file, batches, run_id, mapped.SENTENCE_SCHEMA)
                written += file.stat().st_size
            manifest = {
                "run_id": run_id,
                "tables": sorted(tables),
                "inputs": [str(p) for p in inputs or []],
                "previous": (previous or {}).get("run_id"),
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            _write_bytes(staging / REPORT, report_json.encode("utf-8"))
            _write_bytes(staging / MANIFEST, json.dumps(manifest).encode("utf-8"))
            for path in staging.iterdir():
                with open(path, "rb") as f:
                    os.fsync(f.fileno())
            _fsync_dir(staging)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
            needed = sum(_parquet_size(t) for t in arrow.values()) + _mapped_size(arrow)
            raise DiskFull(out_dir, needed, free_bytes(out_dir) + written) from exc
        final = runs / run_id
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _publish(out_dir, run_id)
    return run_id


def _publish(out_dir: Path, run_id: str) -> None:
    """Make ``runs/<run_id>`` the current set: one rename of the ``current`` link."""
    link = out_dir / f".{CURRENT}.{run_id}.tmp"
    os.symlink(f"{RUNS}/{run_id}", link)
    os.replace(link, out_dir / CURRENT)
    _fsync_dir(out_dir)
    _link_tables(out_dir)


def _link_tables(out_dir: Path) -> None:
    """``DIR/<file>`` -> ``current/<file>`` for every table, the manifest and the report;
    made once (a file left by a run from before run folders is replaced by its link)."""
    for name in LINKED:
        path = out_dir / name
        target = f"{CURRENT}/{name}"
        if path.is_symlink() and os.readlink(path) == target:
            continue
        tmp = out_dir / f".{name}.link.tmp"
        tmp.unlink(missing_ok=True)
        os.symlink(target, tmp)
        os.replace(tmp, path)


def sweep(out_dir: Path) -> list[str]:
    """Remove what killed runs left (partial run folders, temporary files) and every run
    folder but the current and the previous one. Call only while holding the folder's lock.
    Returns what was removed."""
    out_dir = Path(out_dir)
    removed: list[str] = []
    for tmp in out_dir.glob(".*.tmp"):  # links being made, files of runs before run folders
        tmp.unlink(missing_ok=True)
        removed.append(tmp.name)
    runs = out_dir / RUNS
    if not runs.is_dir():
        return removed
    current = out_dir / CURRENT
    if not current.is_symlink():  # no published run folder: only partial ones can go
        keep = None
    else:
        manifest = read_manifest(out_dir) or {}
        # The current set stays even when its manifest is damaged (it may be repaired).
        keep = {Path(os.readlink(current)).name, manifest.get("previous")}
    for folder in runs.iterdir():
        if folder.name.endswith(PARTIAL) or (keep is not None and folder.name not in keep):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(f"{RUNS}/{folder.name}")
        elif folder.is_dir():
            # A mapped file an app was making when it was killed (mapped.py); one an app is
            # making now is minutes old at most.
            for tmp in folder.glob(".*.tmp"):
                if time.time() - tmp.stat().st_mtime > STALE_TMP_S:
                    tmp.unlink(missing_ok=True)
                    removed.append(f"{RUNS}/{folder.name}/{tmp.name}")
    return removed
