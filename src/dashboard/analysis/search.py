"""Full-text search: which selected articles contain the query, how often, and the hits in
context (a concordance, or KWIC: each hit centred between the words around it).

The search runs on the Simplified copies of text and title, so a Traditional query finds
Simplified articles and the other way round; the snippets are cut from the text as written
(both copies have the same length, so the offsets hold for both). Latin letters match in
any case. Words separated by spaces must all occur in an article (anywhere in it); every
occurrence of each is a hit.

Cost: one Arrow pass over the texts per word (``count_substring``: about 10 ms for 20,000
articles) gives every article's number of hits; snippets are cut only for the articles of
the page shown (``snippets``).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..common.textnorm import to_simplified
from .corpus import Corpus, count_in
from .filters import Filters, arrow_strings, column_at, derived, memo_get, memo_put, selected_mask

MAX_TERMS = 8  # words of one query (more are ignored)
MAX_QUERY = 200  # characters of a query
ORDERS = ("newest", "oldest", "hits")
RESULT_COLUMNS = [
    "article_id",
    "article_pos",
    "published",
    "source",
    "site",
    "title",
    "dup_of",
    "script",
    "hits",
    "title_hits",
]
SNIPPET_COLUMNS = ["article_pos", "start", "end", "left", "match", "right", "cut_left", "cut_right"]


def query_terms(query: str | None) -> tuple[str, ...]:
    """The words of a query, in Simplified, without repeats; a word inside another word of
    the query is left out (its hits are the longer word's)."""
    words = to_simplified(str(query or "")[:MAX_QUERY]).split()
    unique: list[str] = []
    for word in words:
        if word.casefold() not in (u.casefold() for u in unique):
            unique.append(word)
    folded = [w.casefold() for w in unique]
    kept = [
        w for w, f in zip(unique, folded, strict=True) if not any(f != g and f in g for g in folded)
    ]
    return tuple(kept[:MAX_TERMS])


def term_pattern(terms) -> re.Pattern | None:
    """One pattern for every term, longest first, any case; None without terms."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def occurrences(text: str, terms) -> list[tuple[int, int]]:
    """(start, end) of every hit of ``terms`` in ``text`` (already Simplified), in order,
    never overlapping."""
    pattern = term_pattern(terms)
    if pattern is None or not text:
        return []
    return [m.span() for m in pattern.finditer(text)]


@dataclass(frozen=True)
class SearchResult:
    """``articles``: the articles with hits (RESULT_COLUMNS), in the asked order, with their
    ``hits`` (in the text, and in the title when the title is not part of the text, counted
    in ``title_hits`` too); ``hits``: the occurrences in all of them."""

    terms: tuple[str, ...]
    articles: pd.DataFrame
    hits: int

    @property
    def n_articles(self) -> int:
        return len(self.articles)


def _titles_simplified(corpus: Corpus) -> pd.Series:
    """Every title in Simplified, once per corpus (the entry analysis.articles shares)."""
    return derived(
        "articles.titles_simplified", lambda a: a["title"].map(to_simplified), corpus.articles
    )


def title_apart(corpus: Corpus) -> np.ndarray:
    """Per article: True when its title is not part of its text (its hits count apart)."""

    def build(articles: pd.DataFrame) -> np.ndarray:
        titles = _titles_simplified(corpus).to_numpy(dtype=object)
        apart = np.zeros(len(titles), dtype=bool)
        at = 0
        # A batch of texts at a time as Python strings (the map's batches), never all.
        for chunk in corpus.text_column().chunks:
            texts = chunk.to_pylist()
            mine = titles[at : at + len(texts)]
            apart[at : at + len(texts)] = [
                bool(t) and t not in x for t, x in zip(mine, texts, strict=True)
            ]
            at += len(texts)
        return apart

    return derived("search.title_apart", build, corpus.articles)


_RESULTS: dict[tuple, tuple] = {}


def search_articles(
    corpus: Corpus, filters: Filters, query: str | None, order: str = "newest"
) -> SearchResult:
    """The selected articles that contain every word of ``query`` (in text or title), with
    their number of hits, ordered newest first (undated last), oldest first, or by hits.
    Remembered per corpus, filters, query and order (the reader asks again for its links)."""
    terms = query_terms(query)
    order = order if order in ORDERS else ORDERS[0]
    key = (id(corpus), filters, terms, order)
    hit = memo_get(_RESULTS, key, corpus)
    if hit is not None:
        return hit
    result = _search(corpus, filters, terms, order)
    # The list and the reader ask for the same few; each holds rows.
    memo_put(_RESULTS, key, corpus, result, limit=4)
    return result


def _search(corpus: Corpus, filters: Filters, terms: tuple[str, ...], order: str) -> SearchResult:
    mask = selected_mask(corpus, filters).copy()
    if not terms or not mask.any():
        return SearchResult(terms, _empty(), 0)
    title = arrow_strings(_titles_simplified(corpus))
    apart = title_apart(corpus)
    hits = np.zeros(len(mask), dtype=np.int64)
    title_hits = np.zeros(len(mask), dtype=np.int64)
    for term in terms:
        in_text = corpus.text_counts(term)
        in_title = count_in(title, term)
        mask &= (in_text > 0) | (in_title > 0)
        title_hits += np.where(apart, in_title, 0)
        hits += in_text
    positions = np.flatnonzero(mask)
    meta = corpus.meta if corpus.meta is not None else corpus.articles
    found = meta.iloc[positions]
    frame = pd.DataFrame(
        {
            "article_id": found["article_id"].to_numpy(dtype=object),
            "article_pos": positions,
            "published": found["published"].to_numpy(dtype=object),
            "source": found["source"].to_numpy(dtype=object),
            "site": _column(corpus, "site", positions),
            "title": found["title"].to_numpy(dtype=object),
            "dup_of": _present(found["dup_of"].to_numpy(dtype=object)),
            "script": _column(corpus, "script", positions),
            "hits": hits[positions] + title_hits[positions],
            "title_hits": title_hits[positions],
        }
    )
    frame = _ordered(frame, found, order)
    return SearchResult(terms, frame.reset_index(drop=True), int(frame["hits"].sum()))


def _column(corpus: Corpus, name: str, positions: np.ndarray) -> np.ndarray:
    return _present(column_at(corpus.articles, name, positions))


def _present(values: np.ndarray) -> np.ndarray:
    """Missing values (NaN, NA) as None: a page never shows 'nan' or takes it for a value."""
    return np.where(pd.isna(values), None, values)


def _ordered(frame: pd.DataFrame, found: pd.DataFrame, order: str) -> pd.DataFrame:
    """Newest (or oldest) first, undated last; by hits, most first and then newest; ties in
    outlet and reading order."""
    if frame.empty:
        return frame
    stamps = pd.to_datetime(frame["published"]).to_numpy(dtype="datetime64[D]")
    undated = np.isnat(stamps)
    days = stamps.astype(np.int64)
    newest = np.where(undated, np.iinfo(np.int64).max, -days)
    oldest = np.where(undated, np.iinfo(np.int64).max, days)
    index = found["index"].to_numpy() if "index" in found else np.zeros(len(frame))
    source = pd.factorize(frame["source"].astype(str), sort=True)[0]
    # np.lexsort: the last key is the primary one.
    if order == "oldest":
        keys = (index, source, oldest)
    elif order == "hits":
        keys = (index, source, newest, -frame["hits"].to_numpy())
    else:
        keys = (index, source, newest)
    return frame.iloc[np.lexsort(keys)]


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in RESULT_COLUMNS})
    return frame.astype({"article_pos": np.int64, "hits": np.int64, "title_hits": np.int64})


def page_count(result: SearchResult, per_page: int) -> int:
    return max(1, -(-result.n_articles // per_page))


def page_rows(result: SearchResult, page: int, per_page: int) -> pd.DataFrame:
    """The articles of page ``page`` (1-based; clamped to the pages there are)."""
    page = min(max(1, int(page)), page_count(result, per_page))
    return result.articles.iloc[(page - 1) * per_page : page * per_page]


def _one_line(text: str) -> str:
    return " ".join(text.split()) if any(c.isspace() and c != " " for c in text) else text


def snippets(
    corpus: Corpus, positions, terms, width: int = 30, per_article: int = 10
) -> pd.DataFrame:
    """The first ``per_article`` hits of ``terms`` in each article at ``positions``: the
    matched words as written (``match``) with up to ``width`` characters either side
    (``left``, ``right``; line breaks as spaces; ``cut_left``/``cut_right`` when the text
    goes on). Offsets are into the text as written. Only for the articles asked for."""
    rows: list[tuple] = []
    pattern = term_pattern(terms)
    if pattern is not None:
        positions = [int(p) for p in positions]
        texts = corpus.texts_at(positions)
        for n, pos in enumerate(positions):
            original = str(texts["text"].iat[n] or "")
            search_in = str(texts["text_simplified"].iat[n] or "")
            if len(search_in) != len(original):  # offsets would not hold: search as written
                search_in = original
            for n, m in enumerate(pattern.finditer(search_in)):
                if n >= per_article:
                    break
                start, end = m.span()
                lo, hi = max(0, start - width), min(len(original), end + width)
                rows.append(
                    (
                        pos,
                        start,
                        end,
                        _one_line(original[lo:start]),
                        original[start:end],
                        _one_line(original[end:hi]),
                        lo > 0,
                        hi < len(original),
                    )
                )
    frame = pd.DataFrame(rows, columns=SNIPPET_COLUMNS)
    return frame.astype({"article_pos": np.int64, "start": np.int64, "end": np.int64})


# ---------------------------------------------------------------- whole-corpus lookups
#
# What no filter changes, kept per corpus run: which articles hold a word (the attention
# page's queries) and where every occurrence of some words is (the concordance). A filter
# change then only indexes these with the selection mask.

_TERM_MASKS: dict[tuple, tuple[weakref.ref, np.ndarray]] = {}
_OCCURRENCES: dict[tuple, tuple[weakref.ref, Occurrences]] = {}


def _remember(cache: dict, key: tuple, corpus: Corpus, value, size: int) -> None:
    if len(cache) >= size:
        cache.pop(next(iter(cache)))
    cache[key] = (weakref.ref(corpus), value)


def _recalled(cache: dict, key: tuple, corpus: Corpus):
    hit = cache.get(key)
    if hit is not None and hit[0]() is corpus:
        cache[key] = cache.pop(key)  # most recently used last
        return hit[1]
    return None


def term_mask(corpus: Corpus, term: str, in_title: bool = True) -> np.ndarray:
    """Boolean array over ``corpus.articles``: the article's text (and, with ``in_title``, its
    title) holds ``term`` (Simplified, Latin letters in any case). Once per corpus and term."""
    term = to_simplified(str(term))
    key = (id(corpus), term.casefold(), in_title)
    found = _recalled(_TERM_MASKS, key, corpus)
    if found is not None:
        return found
    if not term:
        found = np.zeros(len(corpus.articles), dtype=bool)
    elif in_title:
        title = count_in(arrow_strings(_titles_simplified(corpus)), term) > 0
        found = term_mask(corpus, term, in_title=False) | title
    else:
        found = corpus.text_counts(term) > 0
    _remember(_TERM_MASKS, key, corpus, found, 128)
    return found


@dataclass(frozen=True)
class Occurrences:
    """Every occurrence of some words in the texts of a corpus, in reading order: the article
    (its position in ``corpus.articles``) and the offsets (the same in the text as written
    and in its Simplified copy)."""

    article_pos: np.ndarray  # int32
    start: np.ndarray  # int32
    end: np.ndarray  # int32

    def __len__(self) -> int:
        return len(self.article_pos)


def corpus_occurrences(corpus: Corpus, terms) -> Occurrences:
    """Every occurrence of ``terms`` (words as ``query_terms`` gives them) in the text of
    every article of the corpus, never overlapping (longest word first, as ``occurrences``).
    Once per corpus and words: about 0.1 s per 10,000 articles holding them."""
    terms = tuple(sorted({to_simplified(t).casefold() for t in terms if t}))
    key = (id(corpus), terms)
    found = _recalled(_OCCURRENCES, key, corpus)
    if found is not None:
        return found
    pattern = term_pattern(terms)
    pos: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    if pattern is not None:
        where = np.zeros(len(corpus.articles), dtype=bool)
        for term in terms:
            where |= term_mask(corpus, term, in_title=False)
        for block, texts in corpus.texts_in_blocks(np.flatnonzero(where)):
            written = texts["text"].tolist()
            simplified = texts["text_simplified"].tolist()
            for at, text, search_in in zip(block.tolist(), written, simplified, strict=True):
                if len(search_in) != len(text):  # offsets would not hold: search as written
                    search_in = text
                for match in pattern.finditer(search_in):
                    pos.append(at)
                    starts.append(match.start())
                    ends.append(match.end())
    found = Occurrences(
        np.asarray(pos, dtype=np.int32),
        np.asarray(starts, dtype=np.int32),
        np.asarray(ends, dtype=np.int32),
    )
    _remember(_OCCURRENCES, key, corpus, found, 8)
    return found
