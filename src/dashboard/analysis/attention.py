"""Attention over time (as Media Cloud draws it): for each query, how many of the selected
articles match it in each day, week or month, per outlet or all outlets together, and what
share of the articles of that period (and outlet) that is; the articles behind any point.

Queries are ``analysis.query.Query`` objects (words, phrases, entities, AND / OR / NOT).
The bins are those of the overview (``periods.period_for``: day, week or month by the
selection's span). A period in which the selection (or the outlet) has no article at all
has ``total`` 0 and a share of NaN: a gap in the coverage, not a zero. Undated articles are
on no time axis: ``undated_matches`` counts them, and the page says so.

Cost after a filter change: the query masks are kept per corpus (``query.query_mask``);
what is left is a few ``np.bincount`` over the selection.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

import numpy as np
import pandas as pd

from .corpus import Corpus
from .filters import Filters, published_days, selected_mask, source_codes
from .periods import period_for, period_starts
from .query import Query, query_mask
from .search import RESULT_COLUMNS, occurrences, term_pattern

BYS = ("query", "outlet")
SERIES_COLUMNS = ["query", "period", "source", "articles", "total", "share"]
EXPORT_COLUMNS = ["query", "period_start", "outlet", "matching_articles", "articles", "share"]


def period_range(first: np.datetime64, last: np.datetime64, period: str) -> np.ndarray:
    """Every period start from ``first`` to ``last`` (both period starts), datetime64[D]."""
    if period == "M":
        months = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 1)
        return months.astype("datetime64[D]")
    step = 7 if period == "W" else 1
    return np.arange(first, last + np.timedelta64(1, "D"), np.timedelta64(step, "D"))


def period_end(start, period: str) -> np.datetime64:
    """The first day after the period that starts on ``start``."""
    start = np.datetime64(start, "D")
    if period == "M":
        return (start.astype("datetime64[M]") + 1).astype("datetime64[D]")
    return start + np.timedelta64(7 if period == "W" else 1, "D")


def _empty_series() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in SERIES_COLUMNS})
    return frame.astype({"query": np.int64, "articles": np.int64, "total": np.int64})


def attention_series(
    corpus: Corpus,
    filters: Filters,
    queries: Sequence[Query],
    by: str = "query",
    period: str | None = None,
) -> tuple[pd.DataFrame, str]:
    """Matching articles per query, period (and outlet, ``by`` 'outlet') and the period
    ('D', 'W', 'M'; by default by the span of the selection's dated articles).

    One row per query, period of the whole span, and (by outlet) each outlet with a dated
    article in the selection: ``query`` (its index in ``queries``), ``period`` (the period's
    first day), ``source`` (None: all outlets), ``articles`` (matching), ``total`` (the
    selection's articles of that period and outlet), ``share`` (articles / total; NaN when
    total is 0)."""
    days = published_days(corpus)
    dated = np.flatnonzero(selected_mask(corpus, filters) & ~np.isnat(days))
    if not len(dated) or not queries:
        return _empty_series(), period or "D"
    period = period or period_for(days[dated].min(), days[dated].max())
    starts = period_starts(days[dated], period)
    bins = period_range(starts.min(), starts.max(), period)
    bin_of = np.searchsorted(bins, starts).astype(np.int64)
    if by == "outlet":
        codes, names = source_codes(corpus)
        width = len(names)
        key = bin_of * width + codes[dated]
        present = np.unique(codes[dated])
        sources = np.asarray(names, dtype=object)[present]
    else:
        width, key, present = 1, bin_of, np.zeros(1, dtype=np.int64)
        sources = np.array([None], dtype=object)

    def table(keys: np.ndarray) -> np.ndarray:
        return np.bincount(keys, minlength=len(bins) * width).reshape(len(bins), width)[:, present]

    total = table(key).ravel()
    period_col = np.repeat(bins.astype(object), len(present))
    source_col = np.tile(sources, len(bins))
    frames = []
    for i, query in enumerate(queries):
        matching = table(key[query_mask(corpus, query)[dated]]).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(total > 0, matching / np.maximum(total, 1), np.nan)
        frames.append(
            pd.DataFrame(
                {
                    "query": np.full(len(total), i, dtype=np.int64),
                    "period": period_col,
                    "source": source_col,
                    "articles": matching.astype(np.int64),
                    "total": total.astype(np.int64),
                    "share": share,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[SERIES_COLUMNS], period


def undated_matches(corpus: Corpus, filters: Filters, queries: Sequence[Query]) -> list[int]:
    """Per query: the selected articles without a date that match it (on no time axis)."""
    undated = selected_mask(corpus, filters) & np.isnat(published_days(corpus))
    if not undated.any():
        return [0] * len(queries)
    return [int((undated & query_mask(corpus, q)).sum()) for q in queries]


def export_frame(series: pd.DataFrame, query_texts: Sequence[str], period: str) -> pd.DataFrame:
    """The series as a download: the query as typed, the period's first day, the outlet
    (empty: all), matching articles, all articles of that period (and outlet), the share."""
    texts = np.asarray(list(query_texts), dtype=object)
    frame = pd.DataFrame(
        {
            "query": texts[series["query"].to_numpy()] if len(series) else [],
            "period_start": [str(p) for p in series["period"]],
            "outlet": series["source"].fillna("").to_numpy(),
            "matching_articles": series["articles"].to_numpy(),
            "articles": series["total"].to_numpy(),
            "share": series["share"].round(6).to_numpy(),
        }
    )
    frame.attrs["period"] = period
    return frame[EXPORT_COLUMNS]


# ---------------------------------------------------------------- the articles of a point


def point_id(query: int, start, source: str | None = None) -> str:
    """A point of the chart as text (its URL value): '2:2024-07-01' or '2:2024-07-01:KCNA'
    (the query's number from 1, the period's first day, the outlet)."""
    head = f"{int(query) + 1}:{np.datetime64(start, 'D')}"
    return head if source is None else f"{head}:{source}"


def parse_point(text: str | None) -> tuple[int, date, str | None] | None:
    """(query index from 0, period start, outlet or None) of ``point_id`` text; None when it
    is not one."""
    parts = str(text or "").split(":", 2)
    if len(parts) < 2 or not parts[0].isdigit() or int(parts[0]) < 1:
        return None
    try:
        start = date.fromisoformat(parts[1])
    except ValueError:
        return None
    return int(parts[0]) - 1, start, (parts[2] if len(parts) == 3 and parts[2] else None)


def point_articles(
    corpus: Corpus,
    filters: Filters,
    query: Query,
    start,
    period: str,
    sources: Collection[str] | None = None,
) -> pd.DataFrame:
    """The selected articles that match ``query`` in the period starting on ``start`` (of
    the outlets ``sources``; None: all), newest first, then by outlet and reading order.
    Columns: search.RESULT_COLUMNS (``hits`` and ``title_hits`` 0: see ``with_hits``)."""
    days = published_days(corpus)
    first = np.datetime64(start, "D")
    keep = selected_mask(corpus, filters) & query_mask(corpus, query)
    keep &= (days >= first) & (days < period_end(first, period))
    meta = corpus.meta if corpus.meta is not None else corpus.articles
    if sources is not None:
        keep &= meta["source"].isin(list(sources)).to_numpy()
    positions = np.flatnonzero(keep)
    found = meta.iloc[positions]

    def column(name: str) -> np.ndarray:
        if name not in found:
            return np.full(len(found), None, dtype=object)
        values = found[name].to_numpy(dtype=object)
        return np.where(pd.isna(values), None, values)

    frame = pd.DataFrame(
        {
            "article_id": column("article_id"),
            "article_pos": positions.astype(np.int64),
            "published": column("published"),
            "source": column("source"),
            "site": column("site"),
            "title": column("title"),
            "dup_of": column("dup_of"),
            "script": column("script"),
            "hits": np.zeros(len(found), dtype=np.int64),
            "title_hits": np.zeros(len(found), dtype=np.int64),
        }
    )
    order = np.lexsort(
        (
            found["index"].to_numpy() if "index" in found else np.zeros(len(found)),
            frame["source"].astype(str).to_numpy(),
            -days[positions].astype(np.int64),
        )
    )
    return frame.iloc[order].reset_index(drop=True)[RESULT_COLUMNS]


def with_hits(corpus: Corpus, rows: pd.DataFrame, words) -> pd.DataFrame:
    """``rows`` (a page of ``point_articles``) with their hits of ``words`` counted: in the
    text, and in the title when the title is not part of the text (also in ``title_hits``),
    and ``found``: the words each article holds (what the reader marks)."""
    from ..common.textnorm import to_simplified

    pattern = term_pattern(words)
    texts = corpus.texts_at(rows["article_pos"].to_numpy())["text_simplified"].tolist()
    hits, title_hits, found = [], [], []
    for text, title in zip(texts, rows["title"], strict=True):
        text = str(text or "")
        title = to_simplified(str(title or ""))
        in_text = [text[a:b] for a, b in occurrences(text, words)] if pattern else []
        in_title = [title[a:b] for a, b in occurrences(title, words)] if title not in text else []
        hits.append(len(in_text) + len(in_title))
        title_hits.append(len(in_title))
        present = {w.casefold() for w in in_text + in_title}
        found.append(" ".join(w for w in words if w.casefold() in present))
    return rows.assign(hits=hits, title_hits=title_hits, found=found)


def articles_export(rows: pd.DataFrame, labels) -> pd.DataFrame:
    """The articles of a point as a download: id, date, outlet (its name), title, relay of."""
    return pd.DataFrame(
        {
            "article_id": rows["article_id"].to_numpy(),
            "published": [labels.date(p) for p in rows["published"]],
            "outlet": [
                labels.outlet(s, t) for s, t in zip(rows["source"], rows["site"], strict=True)
            ],
            "title": rows["title"].to_numpy(),
            "relay_of": rows["dup_of"].fillna("").to_numpy(),
        }
    )
