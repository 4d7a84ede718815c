"""Pure query functions behind every chart: ``(corpus, filters, ...) -> DataFrame``.

No Streamlit here. Every function returns a frame with fixed columns, also when the
selection is empty, so pages and figure functions never special-case missing columns.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..common.memory import release_memory
from ..tables.derived_files import batch_of, open_arrays
from .corpus import Corpus, article_positions_of
from .derived_layout import code_version, decode, encode, run_of


@dataclass(frozen=True)
class Filters:
    """The shared sidebar selection. ``sources`` empty means every outlet. ``undated``:
    articles without a publication date are in the selection whatever the date bounds (their
    date is unknown, not outside the bounds); they are on no time axis, and every time chart
    says how many it leaves out."""

    date_from: date | None = None
    date_to: date | None = None
    sources: tuple[str, ...] = ()
    once: bool = False
    undated: bool = True


# ---------------------------------------------------------------- articles


# Every page asks for the same selection several times per rerun (and again on the next
# rerun for the same link): the boolean mask over the articles is memoised per corpus run and
# filters. Corpus frames are read-only, so sharing the results is safe.
# Keyed by id(corpus); the entry keeps a weak reference so a new corpus that happens to get
# a dead one's id never sees its arrays.
_MASKS: dict[tuple, tuple[weakref.ref, np.ndarray]] = {}


def codes_of(values: pd.Series, sort: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the values they stand for (missing values are a value too, None).
    A categorical column gives its own codes without touching its strings."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        uniques = np.asarray(values.cat.categories, dtype=object)
        if (codes < 0).any():
            codes = np.where(codes < 0, len(uniques), codes)
            uniques = np.append(uniques, None)
        if sort:
            order = sorted(range(len(uniques)), key=lambda i: (uniques[i] is None, uniques[i]))
            rank = np.empty(len(uniques), dtype=np.int64)
            rank[order] = np.arange(len(uniques))
            codes, uniques = rank[codes], uniques[order]
        return codes, uniques
    codes, uniques = pd.factorize(values.astype(object), sort=sort, use_na_sentinel=False)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


_DERIVED: dict[tuple, tuple[list[weakref.ref], object]] = {}


def derived(name: str, build, *frames: pd.DataFrame):
    """``build(*frames)``, computed once per set of frame objects: the per-corpus work
    (joins, pairings) that no filter changes. Corpus frames are read-only and live as long
    as their corpus; a weak reference per frame makes sure a recycled id never matches."""
    key = (name, *map(id, frames))
    hit = _DERIVED.get(key)
    if hit is not None and all(ref() is f for ref, f in zip(hit[0], frames, strict=True)):
        return hit[1]
    run = run_of(frames)
    value = build(*frames) if run is None else _kept(run, name, build, frames)
    # The build's temporaries go back to the system (once per corpus and entry; the
    # allocator kept 100-250 MB of them after the relations' and network's builds).
    release_memory()
    # Entries of frames that are gone (an earlier ingestion run) go first.
    for old_key, (refs, _) in list(_DERIVED.items()):
        if any(ref() is None for ref in refs):
            del _DERIVED[old_key]
    if len(_DERIVED) > 64:
        _DERIVED.clear()
    _DERIVED[key] = ([weakref.ref(f) for f in frames], value)
    return value


def _kept(run: tuple[Path, str], name: str, build, frames):
    """``build(*frames)`` as kept in the run's derived file (``tables/derived_files``):
    mapped when a process before this one built it, else built, written and mapped. The
    value handed out is always the mapped one, so the build's own arrays are let go."""
    built = []

    def make():
        built.append(build(*frames))
        return batch_of(*encode(built[0]))

    try:
        arrays, layout = open_arrays(*run, name, code_version(), make)
    except (TypeError, FileNotFoundError):
        # A value that cannot be kept in a file (built in each process), or the run's folder
        # went since the load: the value as built.
        return built[0] if built else build(*frames)
    return decode(arrays, layout)


def memo_get(cache: dict, key: tuple, owner):
    """The value ``memo_put`` kept under ``key`` for this very ``owner`` (a corpus, a
    per-corpus structure; held by a weak reference, so a new one that got a dead one's id
    never sees its values); None when there is none."""
    hit = cache.get(key)
    return hit[1] if hit is not None and hit[0]() is owner else None


def memo_put(cache: dict, key: tuple, owner, value, limit: int = 64) -> None:
    """Keep ``value`` for ``owner`` under ``key``; past ``limit`` entries, the oldest go."""
    while len(cache) >= limit:
        try:
            cache.pop(next(iter(cache)))
        except (StopIteration, KeyError, RuntimeError):  # another session emptied it meanwhile
            break
    cache[key] = (weakref.ref(owner), value)


def selected_mask(corpus: Corpus, filters: Filters) -> np.ndarray:
    """Boolean array over ``corpus.articles``: the articles the filters keep (dated ones
    inside the date bounds; undated ones when ``filters.undated``)."""
    key = (id(corpus), filters)
    mask = memo_get(_MASKS, key, corpus)
    if mask is not None:
        return mask
    articles = corpus.articles
    keep = np.ones(len(articles), dtype=bool)
    if filters.date_from is not None or filters.date_to is not None or not filters.undated:
        # Days since the epoch: one vectorised comparison instead of a Python call per row.
        days = published_days(corpus)
        dated = ~np.isnat(days)
        in_range = dated.copy()
        if filters.date_from is not None:
            in_range &= days >= np.datetime64(filters.date_from, "D")
        if filters.date_to is not None:
            in_range &= days <= np.datetime64(filters.date_to, "D")
        keep &= in_range | (~dated if filters.undated else False)
    if filters.sources:
        keep &= articles["source"].isin(filters.sources).to_numpy()
    if filters.once:
        keep &= articles["dup_of"].isna().to_numpy()
    memo_put(_MASKS, key, corpus, keep)
    return keep


def published_days(corpus: Corpus) -> np.ndarray:
    """Publication day of every article as datetime64[D] (NaT when unknown), once per corpus."""
    return derived(
        "filters.published_days",
        lambda a: pd.to_datetime(a["published"]).to_numpy(dtype="datetime64[D]"),
        corpus.articles,
    )


def undated_count(corpus: Corpus) -> int:
    """How many articles of the corpus have no publication date."""
    return int(np.isnat(published_days(corpus)).sum())


def undated_in(corpus: Corpus, filters: Filters) -> int:
    """How many articles of the selection have no publication date (on no time axis)."""
    return int((selected_mask(corpus, filters) & np.isnat(published_days(corpus))).sum())


def source_codes(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """Every article's outlet as a code into the sorted outlet names, once per corpus."""
    return derived(
        "filters.source_codes", lambda a: codes_of(a["source"], sort=True), corpus.articles
    )


def article_positions(corpus: Corpus, table: str) -> np.ndarray:
    """For each row of ``corpus.<table>`` (mentions, events, terms), the position of its
    article in ``corpus.articles`` (-1 when unknown); computed once per corpus run."""
    frame = getattr(corpus, table)
    if "article_pos" in frame:  # added by corpus.prepare
        return frame["article_pos"].to_numpy()
    # A table put in after prepare (tests replace one): looked up the same way.
    return article_positions_of(frame["article_id"], corpus.articles["article_id"])


# The rows of the selected articles, per corpus, filters and table: a page asks for them in
# several queries. One byte per row (12 million mentions at a million articles), so few kept.
_ROWS: dict[tuple, tuple] = {}
_ROWS_KEPT = 6


def selection_rows(corpus: Corpus, filters: Filters, table: str) -> np.ndarray:
    """Boolean array over ``corpus.<table>``: rows of the selected articles (read-only)."""
    key = (id(corpus), filters, table)
    rows = memo_get(_ROWS, key, corpus)
    if rows is None:
        positions = article_positions(corpus, table)
        # One slot more, False, for the rows of unknown articles (position -1).
        padded = np.append(selected_mask(corpus, filters), False)
        rows = padded[positions]
        rows.setflags(write=False)
        memo_put(_ROWS, key, corpus, rows, limit=_ROWS_KEPT)
    return rows


def arrow_strings(values) -> pa.Array:
    if isinstance(values, pd.Series | pd.Index):
        return pa.array(values, type=pa.string(), from_pandas=True)
    return pa.array(list(values), type=pa.string(), from_pandas=True)


def column_at(frame: pd.DataFrame, name: str, positions: np.ndarray) -> np.ndarray:
    """Column ``name`` of ``frame`` at the row ``positions``, as Python objects (None for a
    column the frame lacks). Taken first and converted after: converting a whole string
    column (a million mentions' sentences: 0.4 s) costs more than the rest of a query."""
    if name not in frame:
        return np.full(len(positions), None, dtype=object)
    return frame[name].take(positions).to_numpy(dtype=object)


def isin_mask(values: pd.Series, allowed) -> np.ndarray:
    """``values.isin(allowed)`` for string ids, as a numpy mask, through Arrow's hash lookup:
    on a million ids it takes milliseconds where pandas takes a second."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    found = pc.is_in(arrow_strings(values), value_set=arrow_strings(allowed))
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def rows_in(frame: pd.DataFrame, articles: pd.DataFrame) -> np.ndarray:
    """Boolean array over ``frame``: rows whose article is one of ``articles``.

    Frames of one corpus carry ``article_pos`` (see corpus.prepare) and the lookup is an
    array index; other frames fall back to matching ``article_id`` strings."""
    if "article_pos" in frame and "article_pos" in articles:
        rows = frame["article_pos"].to_numpy()
        chosen = articles["article_pos"].to_numpy()
        size = int(max(rows.max(initial=-1), chosen.max(initial=-1))) + 1
        present = np.zeros(size, dtype=bool)
        present[chosen] = True
        return (rows >= 0) & present[np.clip(rows, 0, None)]
    return isin_mask(frame["article_id"], articles["article_id"])


def filter_articles(corpus: Corpus, filters: Filters, with_text: bool = False) -> pd.DataFrame:
    """The articles the filters keep (see ``selected_mask``), without their full text unless
    ``with_text`` (see ``Corpus.meta``)."""
    mask = selected_mask(corpus, filters)
    if not with_text:
        return (corpus.meta if corpus.meta is not None else corpus.articles)[mask]
    if "text" in corpus.articles:
        return corpus.articles[mask]
    chosen = corpus.articles[mask]
    texts = corpus.texts_at(np.flatnonzero(mask)).set_axis(chosen.index)
    return pd.concat([chosen, texts], axis=1)
