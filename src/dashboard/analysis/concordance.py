"""Concordance (keyword in context, as Voyant shows it): every occurrence of a query's words,
or of an entity under any of its names, in the selected articles that match the query, each
aligned on the hit between the words before and after it, sortable by the words right after
the hit, right before it (read outwards from the hit), or by date.

Built on ``search`` (the occurrences of words in the whole corpus, found once per corpus and
words) and ``query`` (which articles match: ``访问 NOT 取消`` lists 访问 only in articles
without 取消). The order of all occurrences is computed once per corpus, query and sort; a
filter change keeps the occurrences of the selected articles in that order, and only the
page shown (and a download) cuts the context out of the texts.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .corpus import Corpus
from .entities import mention_index
from .filters import Filters, article_positions, column_at, published_days, selected_mask
from .query import Query, query_mask
from .search import Occurrences, corpus_occurrences

SORTS = ("right", "left", "newest", "oldest")
KEY_CHARS = 16  # characters of context a sort reads
WIDTH = 40  # characters of context shown either side
MAX_EXPORT = 20_000  # occurrences in one download
_NOT_WORD = re.compile(r"[\W_]+")
ROW_COLUMNS = [
    "article_id",
    "article_pos",
    "published",
    "source",
    "site",
    "title",
    "start",
    "end",
    "left",
    "hit",
    "right",
    "cut_left",
    "cut_right",
    "hit_simplified",
]
EXPORT_COLUMNS = ["date", "outlet", "left", "hit", "right", "title", "article_id", "offset"]


@dataclass(frozen=True)
class Concordance:
    """The occurrences of ``query`` in the selection, in order: ``order`` indexes ``found``."""

    query: Query
    found: Occurrences
    order: np.ndarray
    articles: int  # articles they are in

    def __len__(self) -> int:
        return len(self.order)


_FOUND: dict[tuple, tuple[weakref.ref, object]] = {}


def _cached(key: tuple, corpus: Corpus, build):
    hit = _FOUND.get(key)
    if hit is not None and hit[0]() is corpus:
        return hit[1]
    value = build()
    if len(_FOUND) >= 16:
        _FOUND.pop(next(iter(_FOUND)))
    _FOUND[key] = (weakref.ref(corpus), value)
    return value


def entity_occurrences(corpus: Corpus, entity_id: str) -> Occurrences:
    """Where the entity is named, under any name: its mentions' offsets, in reading order."""
    index = mention_index(corpus)
    codes = np.flatnonzero(index.entity_ids == entity_id)
    rows = np.flatnonzero(np.isin(index.entity, codes) & index.has_entity)
    positions = article_positions(corpus, "mentions")[rows]
    rows, positions = rows[positions >= 0], positions[positions >= 0]
    starts = corpus.mentions["start"].to_numpy()[rows]
    ends = corpus.mentions["end"].to_numpy()[rows]
    return Occurrences(positions.astype(np.int32), starts.astype(np.int32), ends.astype(np.int32))


def query_occurrences(corpus: Corpus, query: Query) -> Occurrences:
    """Every occurrence of the query's words and entities (none under a NOT) in the texts of
    the articles that match it, in reading order, each place once. Once per corpus and query."""

    def build() -> Occurrences:
        parts = [corpus_occurrences(corpus, query.words)] if query.words else []
        parts += [entity_occurrences(corpus, e) for e in query.entities]
        if not parts:
            empty = np.zeros(0, dtype=np.int32)
            return Occurrences(empty, empty, empty)
        pos = np.concatenate([p.article_pos for p in parts])
        start = np.concatenate([p.start for p in parts])
        end = np.concatenate([p.end for p in parts])
        keep = query_mask(corpus, query)[pos] if len(pos) else np.zeros(0, dtype=bool)
        pos, start, end = pos[keep], start[keep], end[keep]
        # Reading order; a word that is also the entity's name is one occurrence (the
        # longer span wins where two start at the same place).
        order = np.lexsort((-end.astype(np.int64), start, pos))
        pos, start, end = pos[order], start[order], end[order]
        first = np.ones(len(pos), dtype=bool)
        first[1:] = (pos[1:] != pos[:-1]) | (start[1:] != start[:-1])
        return Occurrences(pos[first], start[first], end[first])

    return _cached(("occurrences", id(corpus), query.key), corpus, build)


def _date_keys(corpus: Corpus, found: Occurrences) -> tuple[np.ndarray, np.ndarray]:
    """Per occurrence: days for newest first and for oldest first, undated last in both."""
    days = published_days(corpus)[found.article_pos].astype(np.int64)
    undated = np.isnat(published_days(corpus)[found.article_pos])
    last = np.iinfo(np.int64).max
    return np.where(undated, last, -days), np.where(undated, last, days)


def _context_keys(corpus: Corpus, found: Occurrences, side: str) -> np.ndarray:
    """Per occurrence: the characters right after the hit, or those right before it read
    from the hit outwards, in Simplified and any case, without spaces, line breaks and
    punctuation (what the sort compares: the words, as Voyant's)."""
    where, at = np.unique(found.article_pos, return_inverse=True)
    at = at.reshape(-1)
    keys = [""] * len(found)
    reach = 2 * KEY_CHARS  # room for the spaces and punctuation a key leaves out
    first = 0
    # The occurrences of a block of articles at a time: one block's texts in memory.
    for block, texts in corpus.texts_in_blocks(where):
        simplified = texts["text_simplified"].tolist()
        mine = np.flatnonzero((at >= first) & (at < first + len(block)))
        for n in mine.tolist():
            text = simplified[at[n] - first] or ""
            start, end = int(found.start[n]), int(found.end[n])
            after, before = text[end : end + reach], text[max(0, start - reach) : start]
            near = after if side == "right" else before[::-1]
            keys[n] = _NOT_WORD.sub("", near)[:KEY_CHARS].casefold()
        first += len(block)
    return np.array(keys, dtype=f"<U{KEY_CHARS}") if keys else np.array([], dtype="<U1")


def sort_order(corpus: Corpus, query: Query, sort: str) -> np.ndarray:
    """Every occurrence of ``query`` in the order ``sort`` asks for: by the words right
    after the hit (``right``) or right before it (``left``), then newest first (hits with
    no words on that side last); or by date
    (``newest``, ``oldest``; undated last). Ties in reading order. Once per corpus, query
    and sort."""
    sort = sort if sort in SORTS else SORTS[0]

    def build() -> np.ndarray:
        found = query_occurrences(corpus, query)
        newest, oldest = _date_keys(corpus, found)
        reading = np.arange(len(found))
        if sort == "oldest":
            return np.lexsort((reading, oldest))
        by_date = np.lexsort((reading, newest))
        if sort == "newest":
            return by_date
        keys = _context_keys(corpus, found, sort)
        order = by_date[np.argsort(keys[by_date], kind="stable")]
        # A hit with nothing before it (the text's first words) or after it has nothing to
        # be sorted by: those come last, not as the first pages.
        return order[np.argsort(keys[order] == "", kind="stable")]

    return _cached(("order", id(corpus), query.key, sort), corpus, build)


def concordance(corpus: Corpus, filters: Filters, query: Query, sort: str = "right") -> Concordance:
    """The occurrences of ``query`` in the selected articles, in the ``sort`` order."""
    found = query_occurrences(corpus, query)
    order = sort_order(corpus, query, sort)
    if len(order):
        order = order[selected_mask(corpus, filters)[found.article_pos[order]]]
    articles = np.count_nonzero(np.bincount(found.article_pos[order])) if len(order) else 0
    return Concordance(query, found, order, int(articles))


def _one_line(text: str) -> str:
    return " ".join(text.split()) if any(c.isspace() and c != " " for c in text) else text


def concordance_rows(
    corpus: Corpus, result: Concordance, first: int, stop: int, width: int = WIDTH
) -> pd.DataFrame:
    """Occurrences ``first`` to ``stop`` (0-based, in order) with their context as written:
    ``left`` and ``right`` (up to ``width`` characters, line breaks as spaces; ``cut_left``
    and ``cut_right`` when the text goes on), the ``hit``, and the article's date, outlet,
    site and title (ROW_COLUMNS)."""
    chosen = result.order[max(0, first) : max(0, stop)]
    found = result.found
    pos = found.article_pos[chosen]
    # Only the texts of the rows asked for (the whole column as objects costs 40 ms a run).
    texts = corpus.texts_at(pos)
    written = texts["text"].tolist()
    simplified = texts["text_simplified"].tolist()
    meta = corpus.meta if corpus.meta is not None else corpus.articles
    left, hit, right, cut_left, cut_right, hit_simplified = [], [], [], [], [], []
    starts, ends = found.start[chosen].tolist(), found.end[chosen].tolist()
    for n, (a, b) in enumerate(zip(starts, ends, strict=True)):
        text = str(written[n] or "")
        lo, hi = max(0, a - width), min(len(text), b + width)
        left.append(_one_line(text[lo:a]))
        hit.append(text[a:b])
        right.append(_one_line(text[b:hi]))
        cut_left.append(lo > 0)
        cut_right.append(hi < len(text))
        hit_simplified.append(str(simplified[n] or "")[a:b])

    def column(name: str) -> np.ndarray:
        values = column_at(meta, name, pos)
        return np.where(pd.isna(values), None, values)

    return pd.DataFrame(
        {
            "article_id": column("article_id"),
            "article_pos": pos.astype(np.int64),
            "published": column("published"),
            "source": column("source"),
            "site": column("site"),
            "title": column("title"),
            "start": found.start[chosen].astype(np.int64),
            "end": found.end[chosen].astype(np.int64),
            "left": left,
            "hit": hit,
            "right": right,
            "cut_left": cut_left,
            "cut_right": cut_right,
            "hit_simplified": hit_simplified,
        },
        columns=ROW_COLUMNS,
    )


def concordance_export(
    corpus: Corpus, result: Concordance, labels, limit: int = MAX_EXPORT
) -> pd.DataFrame:
    """The first ``limit`` occurrences in order as a download (EXPORT_COLUMNS): date, outlet
    by name, left context, hit, right context, title, article id, the hit's offset."""
    rows = concordance_rows(corpus, result, 0, limit)
    return pd.DataFrame(
        {
            "date": [labels.date(p) for p in rows["published"]],
            "outlet": [
                labels.outlet(s, t) for s, t in zip(rows["source"], rows["site"], strict=True)
            ],
            "left": rows["left"],
            "hit": rows["hit"],
            "right": rows["right"],
            "title": rows["title"],
            "article_id": rows["article_id"],
            "offset": rows["start"],
        },
        columns=EXPORT_COLUMNS,
    )
