"""Processed tables N times the size of an ingested set, for measuring the app at sizes
whose ingestion this machine cannot run yet (issue 25's million articles: the ingestion
holds every table in memory until issue 24's bounded-memory ingestion lands).

Each copy of the source set gets its own ids (``<id>~<k>`` for articles, events and
stories) and its dates moved ``k`` years later, so the tiled set reads as a longer archive
of the same outlets: a date filter selects a share of it as it would of a real archive,
and no two copies merge. Entities are shared. Texts, sentences and terms are the source's;
the search, the clouds and the network see the same words N times over. The tables go
through the store's writer (Parquet, mapped files, search index) and, like an ingestion,
the pages' per-corpus structures are built after.

    python scripts/tile_tables.py data/synthetic/n100000-s7/processed OUT --times 10
    python -m dashboard bench --app-only --data OUT --json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd
from pandas.api.types import union_categoricals

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dashboard.analysis.prebuild import build_derived  # noqa: E402
from dashboard.tables import store  # noqa: E402

ID_COLUMNS = {
    "articles": ("article_id", "doc", "dup_of"),
    "mentions": ("article_id",),
    "events": ("event_id", "article_id", "story_id"),
    "terms": ("article_id",),
}
DATE_COLUMNS = {"articles": ("published",), "events": ("date", "date_end")}


def _suffixed(values: pd.Series, k: int) -> pd.Series:
    if isinstance(values.dtype, pd.CategoricalDtype):  # one new name per category, not per row
        if k == 0:
            return values
        return values.cat.rename_categories([f"{c}~{k}" for c in values.cat.categories])
    strings = values.astype("str")  # Arrow strings: the suffix is one vectorised call
    return strings if k == 0 else strings + f"~{k}"


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The copies one under the other; a category column stays one (pandas would make a
    Python string of every row where the copies' categories differ)."""
    columns = {}
    for column in parts[0].columns:
        pieces = [part[column] for part in parts]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in pieces):
            values = union_categoricals([p.array for p in pieces])
            columns[column] = pd.Series(values, copy=False)
        else:
            columns[column] = pd.concat(pieces, ignore_index=True)
    return pd.DataFrame(columns, copy=False)


def _later(values: pd.Series, k: int) -> pd.Series:
    if k == 0:
        return values
    days = pd.to_datetime(values, errors="coerce")
    moved = days + pd.DateOffset(years=k)
    return moved.dt.date.where(days.notna(), None)


def tile(frame: pd.DataFrame, name: str, k: int) -> pd.DataFrame:
    copy = frame.copy() if k else frame
    for column in ID_COLUMNS.get(name, ()):
        if column in copy and copy[column].notna().any():
            copy[column] = _suffixed(copy[column], k)
    for column in DATE_COLUMNS.get(name, ()):
        if column in copy:
            copy[column] = _later(copy[column], k)
    return copy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="an ingestion's output folder")
    parser.add_argument("out", type=Path, help="where the tiled set is written")
    parser.add_argument("--times", type=int, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    source = store.load_tables(args.source)
    tables = {}
    for name, frame in source.items():
        if name == "entities":
            tables[name] = frame
            continue
        parts = [tile(frame, name, k) for k in range(args.times)]
        tables[name] = _concat(parts)
        del parts
        print(f"{name}: {len(tables[name]):,} rows", flush=True)
    del source
    report = {"tiled_from": str(args.source), "times": args.times}
    store.write_tables(args.out, tables, json.dumps(report))
    written = time.perf_counter() - started
    del tables
    prepared = build_derived(args.out)
    print(f"written in {written:.0f} s, the pages' structures in {prepared:.0f} s: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
