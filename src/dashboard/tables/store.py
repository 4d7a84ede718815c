"""Write and load the processed tables (Parquet), atomically.

A run writes every table to a temporary file next to its final name first (the slow part);
only when all are written does it move them into place with ``os.replace`` and finally
write ``manifest.json``. An interrupted run therefore leaves the previous tables as they
were. Each Parquet file carries the run id in its metadata and the manifest names it, so a
loader can tell a consistent set from a mixed one.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import store

TABLES = ("articles", "mentions", "entities", "events", "terms")
MANIFEST = "manifest.json"
REPORT = "ingest_report.json"
RUN_KEY = b"dashboard_run_id"


class StoreError(Exception):
    """The processed tables are missing, unreadable or from different runs."""


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_tables(out_dir: Path, tables: dict[str, pd.DataFrame], report_json: str) -> str:
    """Write all tables and the report; returns the run id."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex
    staged: list[tuple[str, Path]] = []
    try:
        for name, frame in tables.items():
            table = _plain_strings(pa.Table.from_pandas(frame, preserve_index=False))
            meta = dict(table.schema.metadata or {})
            meta[RUN_KEY] = run_id.encode()
            table = table.replace_schema_metadata(meta)
            fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            os.close(fd)
            staged.append((tmp, out_dir / f"{name}.parquet"))
            pq.write_table(table, tmp, compression="zstd")
        for tmp, final in staged:
            os.replace(tmp, final)
        staged = []
        _atomic_write_bytes(out_dir / REPORT, report_json.encode("utf-8"))
        manifest = {"run_id": run_id, "tables": sorted(tables)}
        _atomic_write_bytes(out_dir / MANIFEST, json.dumps(manifest).encode("utf-8"))
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
    return run_id


def _plain_strings(table: pa.Table) -> pa.Table:
    """Categorical columns written as plain strings (Parquet dictionary-encodes them anyway).
    Written as Arrow dictionaries, every row group would carry all the categories, and a
    read would have to merge 61 copies of 100,000 article ids at 100,000 articles."""
    for index, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            plain = table.column(index).cast(field.type.value_type)
            table = table.set_column(index, pa.field(field.name, plain.type), plain)
    return table


@dataclass(frozen=True)
class Snapshot:
    """Identifies one set of processed tables on disk; changes whenever a run lands."""

    path: str
    run_id: str
    mtime_ns: int


def snapshot(data_dir: Path) -> Snapshot | None:
    manifest = Path(data_dir) / MANIFEST
    try:
        stat = manifest.stat()
        run_id = json.loads(manifest.read_text(encoding="utf-8"))["run_id"]
    except (OSError, ValueError, KeyError):
        return None
    return Snapshot(str(Path(data_dir).resolve()), run_id, stat.st_mtime_ns)


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
) -> dict[str, pd.DataFrame]:
    """Load the named tables; raises StoreError with a message a user can act on.
    Repetitive string columns (CATEGORY_COLUMNS) come back as pandas categoricals.
    ``skip`` / ``only``: columns not to read / the only ones to read, per table. ``run_id``:
    the run the tables must come from (default: the one manifest.json names)."""
    data_dir = Path(data_dir)
    snap = snapshot(data_dir)
    if snap is None:
        raise StoreError(f"No processed tables in {data_dir} (manifest.json missing or broken).")
    frames = {}
    for name in names:
        path = data_dir / f"{name}.parquet"
        try:
            columns = None
            if skip and name in skip:
                columns = [c for c in pq.read_schema(path).names if c not in skip[name]]
            if only and name in only:
                columns = [c for c in pq.read_schema(path).names if c in only[name]]
            table = pq.read_table(path, columns=columns, read_dictionary=CATEGORY_COLUMNS.get(name))
        except FileNotFoundError as exc:
            raise StoreError(f"{path} is missing.") from exc
        except (OSError, pa.ArrowInvalid) as exc:
            raise StoreError(f"{path} cannot be read ({exc}).") from exc
        run = (table.schema.metadata or {}).get(RUN_KEY, b"").decode()
        if run != (run_id or snap.run_id):
            raise StoreError(f"{path} comes from another ingestion run than manifest.json.")
        frames[name] = _sorted_categories(table, CATEGORY_COLUMNS.get(name, [])).to_pandas()
    return frames


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
    try:
        return json.loads((Path(data_dir) / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def has_tables(data_dir: Path) -> bool:
    return store.snapshot(Path(data_dir)) is not None
