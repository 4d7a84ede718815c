"""Article queries: the list, the reader's article, its mentions and events, and the outlet
registry's names of the outlets an article quotes (the search is in ``search``)."""

from __future__ import annotations

import csv
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..common.textnorm import to_simplified
from ..tables.paths import OUTLETS_CSV
from .corpus import Corpus
from .filters import (
    Filters,
    arrow_strings,
    article_positions,
    derived,
    filter_articles,
    selected_mask,
)


def text_contains(corpus: Corpus, filters: Filters, query: str) -> np.ndarray:
    """Boolean array over ``corpus.articles``: selected articles whose Simplified text or
    title contains ``query`` (already Simplified). Arrow scans the text without copying it."""
    mask = selected_mask(corpus, filters).copy()
    if not query or not mask.any():
        return mask & False
    text = corpus.text_column()
    titles = derived(
        "articles.titles_simplified", lambda a: a["title"].map(to_simplified), corpus.articles
    )  # once per corpus, not on every search
    title = arrow_strings(titles)
    hit = pc.or_(
        pc.match_substring(text, query).fill_null(False),
        pc.match_substring(title, query).fill_null(False),
    )
    return mask & hit.to_numpy(zero_copy_only=False)


def list_articles(corpus: Corpus, filters: Filters, search: str = "") -> pd.DataFrame:
    """The selected articles, newest first, optionally only those containing ``search``.

    The search runs on the Simplified text, so a Traditional query finds Simplified
    articles and the other way round.
    """
    query = to_simplified(search.strip()) if search else ""
    if query:
        meta = corpus.meta if corpus.meta is not None else corpus.articles
        articles = meta[text_contains(corpus, filters, query)]
    else:
        articles = filter_articles(corpus, filters)
    columns = ["article_id", "published", "source", "source_zh", "title", "dup_of", "script"]
    return articles.sort_values(
        ["published", "source", "index"], ascending=[False, True, True], na_position="last"
    )[columns].reset_index(drop=True)


def article_lookup(corpus: Corpus) -> pd.Series:
    """article_id -> position of its first row in ``corpus.articles`` (ids are unique after
    ingestion; the first wins if a hand-made table repeats one)."""

    def build(articles: pd.DataFrame) -> pd.Series:
        ids = articles["article_id"].astype(object)
        positions = pd.Series(np.arange(len(ids)), index=pd.Index(ids))
        return positions[~ids.duplicated().to_numpy()]

    return derived("articles.article_lookup", build, corpus.articles)


def article_positions_for(corpus: Corpus, article_ids) -> np.ndarray:
    """Positions in ``corpus.articles`` of the given ids (-1 for unknown ones)."""
    lookup = article_lookup(corpus)
    found = lookup.index.get_indexer(list(article_ids))
    return np.where(found >= 0, lookup.to_numpy()[found], -1)


def has_article(corpus: Corpus, article_id) -> bool:
    return isinstance(article_id, str) and article_id in article_lookup(corpus).index


def article_by_id(corpus: Corpus, article_id: str) -> dict | None:
    position = int(article_positions_for(corpus, [article_id])[0])
    if position < 0:
        return None
    row = corpus.articles.iloc[position].to_dict()
    if "text" not in row:
        row.update(corpus.text_store().row(position))
    return row


def mention_rows_by_article(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """Mention rows ordered by article, and where each article's rows start in that order."""

    def build(mentions: pd.DataFrame, articles: pd.DataFrame):
        positions = article_positions(corpus, "mentions")
        order = np.argsort(positions, kind="stable")
        bounds = np.searchsorted(positions[order], np.arange(len(articles) + 1))
        return order, bounds

    return derived("articles.mentions_by_article", build, corpus.mentions, corpus.articles)


def article_mentions(corpus: Corpus, article_id: str) -> pd.DataFrame:
    """Mentions inside one article with valid offsets, in text order, overlaps removed."""
    position = int(article_positions_for(corpus, [article_id])[0])
    if position < 0:
        rows = np.zeros(0, dtype=np.int64)
    else:
        order, bounds = mention_rows_by_article(corpus)
        rows = order[bounds[position] : bounds[position + 1]]
    mentions = corpus.mentions.iloc[rows]
    mentions = mentions[(mentions["start"] >= 0) & (mentions["end"] > mentions["start"])]
    mentions = mentions.sort_values(["start", "end"], ascending=[True, False])
    keep, last_end = [], -1
    for start, end in zip(mentions["start"], mentions["end"], strict=True):
        keep.append(start >= last_end)
        if start >= last_end:
            last_end = end
    kept = mentions[np.asarray(keep, dtype=bool)]  # a list of no flags is read as no columns
    return kept[["entity_id", "surface", "type", "start", "end"]].reset_index(drop=True)


EVENT_COLUMNS = [
    "kind",
    "lead",
    "from_country",
    "to_country",
    "place",
    "date",
    "date_end",
    "date_precision",
    "approximate",
    "time_expr",
    "evidence",
]


def article_events(corpus: Corpus, article_id: str) -> pd.DataFrame:
    """The events read from one article (EVENT_COLUMNS), in the order their sentences come
    in its text; missing values are None (never NaN)."""
    position = int(article_positions_for(corpus, [article_id])[0])
    events = corpus.events
    if position < 0 or events.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in EVENT_COLUMNS})
    rows = events.iloc[np.flatnonzero(article_positions(corpus, "events") == position)]
    frame = pd.DataFrame(
        {c: rows[c].to_numpy(dtype=object) if c in rows else None for c in EVENT_COLUMNS},
        index=range(len(rows)),
    )
    frame = frame.astype(object).where(frame.notna(), None)
    text = str(corpus.text_store().row(position)["text_simplified"] or "")
    where = [
        text.find(to_simplified(e)) if isinstance(e, str) and e else -1 for e in frame["evidence"]
    ]
    order = sorted(range(len(frame)), key=lambda i: (where[i] < 0, where[i], i))
    return frame.iloc[order].reset_index(drop=True)


@lru_cache(maxsize=1)
def registry_outlet_names() -> dict[str, dict[str, str]]:
    """Outlet id -> {"zh": ..., "en": ...} from the outlet registry (data/outlets.csv): the
    names of outlets an article quotes, which need not be the outlet of any article."""
    names: dict[str, dict[str, str]] = {}
    try:
        with open(OUTLETS_CSV, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("id"):
                    names[row["id"]] = {"zh": row.get("name_zh") or "", "en": row.get("id") or ""}
    except OSError:
        pass
    return names


def quoted_outlets(value) -> list[str]:
    """The outlet ids in an article's ``quoted_sources`` (a list, an array or nothing)."""
    if isinstance(value, str):
        return [value] if value else []
    if not pd.api.types.is_list_like(value):  # None, NaN, pd.NA
        return []
    return [str(v) for v in list(value) if isinstance(v, str) and v]
