"""The keyword clouds' per-corpus term counting: integer codes over the terms table
(``TermIndex``), the rows regrouped so a filter's rows are slices (``TermRuns``), and the
counts of a selection's rows through either. Used by ``keywords`` and ``compare``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .filters import codes_of, derived, memo_get, memo_put, rows_in


@dataclass(frozen=True)
class TermIndex:
    """Integer codes over a terms table, built once per table: a cloud of any selection is
    then a few ``np.bincount`` calls instead of copying and grouping millions of rows."""

    term: np.ndarray  # per row: code into ``vocabulary``
    vocabulary: pd.Index
    article: np.ndarray  # per row: code of its article (-1: missing from the articles table)
    # Rows that count a term other than once, and by how much more (or less): counting every
    # row once and adding these is cheaper than a weighted count over all rows (most are 1).
    repeated: np.ndarray
    extra: np.ndarray
    total: np.ndarray  # per code, over the whole table: occurrences
    articles: np.ndarray  # per code, over the whole table: rows (= articles with the term)
    # Rows per article position when the rows are in article order (as corpus.prepare leaves
    # them), so a selection's rows are np.repeat of its article mask; else None.
    rows_per_article: np.ndarray | None


def term_index(terms: pd.DataFrame) -> TermIndex:
    def build(frame: pd.DataFrame) -> TermIndex:
        term = frame["term"]
        own = isinstance(term.dtype, pd.CategoricalDtype) and term.array.codes.min(initial=0) >= 0
        if own:  # the column's own codes, not a copy (mapped terms: the file's, see mapped.py)
            codes, vocabulary = term.array.codes, np.asarray(term.cat.categories, dtype=object)
        else:
            codes, vocabulary = codes_of(term)
            codes = codes.astype(np.int32)  # 8 million rows at 100,000 articles: 4 bytes each
        article = np.asarray(
            frame["article_pos"].to_numpy()
            if "article_pos" in frame
            else pd.factorize(frame["article_id"])[0]
        )
        count = frame["count"].to_numpy()
        # Rows counting a term other than once (0 too: an empty count adds nothing), in four
        # bytes each (8 million rows at 100,000 articles); the sums stay exact.
        repeated = np.flatnonzero(count != 1).astype(np.int32)
        extra = (count[repeated] - 1).astype(np.float32)
        size = len(vocabulary)
        in_order = "article_pos" in frame and bool(np.all(article[1:] >= article[:-1]))
        articles = np.bincount(codes, minlength=size)
        return TermIndex(
            term=codes,
            vocabulary=pd.Index(vocabulary.astype(str), name="term"),
            article=article,
            repeated=repeated,
            extra=extra,
            # every row once, plus what repeated rows count more: no float copy of all counts
            total=articles + np.bincount(codes[repeated], weights=extra, minlength=size),
            articles=articles,
            # slot 0 holds rows of unknown articles (-1), slot p + 1 those of article p
            rows_per_article=np.bincount(article + 1) if in_order else None,
        )

    return derived("cloud.term_index", build, terms)


@dataclass(frozen=True)
class TermRuns:
    """The terms rows regrouped so that what a filter keeps is a few runs of rows: articles
    ordered by outlet, relayed-or-not and publication day (undated last, ingestion order
    within), each article's rows together as in the table. The articles a filter keeps are
    then a few runs of that order, and their rows a few slices here: counted by bincount over
    slices, with no mask over all the rows (8 million at 100,000 articles, 80 at a million)."""

    order: np.ndarray  # article positions, in run order
    row_start: np.ndarray  # per article in run order, its first row here; one more at the end
    term: np.ndarray  # per row: code into the TermIndex's vocabulary
    repeated: np.ndarray  # rows (ascending) that count a term other than once
    extra: np.ndarray  # by how much more (or less) they count it
    total: np.ndarray  # per code, over these rows: occurrences (rows of unknown articles left out)
    articles: np.ndarray  # per code, over these rows: articles with the term


# A slice this long is counted as a view of the rows; shorter ones are joined first (a
# bincount has a fixed cost per vocabulary entry), in pieces of this size at most.
_PIECE = 1 << 22
# More runs than this (a selection that is not a filter's: scattered articles) are counted
# through a mask over the rows instead.
_MAX_RUNS = 4096


def term_runs(terms: pd.DataFrame, articles: pd.DataFrame) -> TermRuns | None:
    """The TermRuns of a corpus's terms, ``articles`` being the whole articles table (rows in
    ``article_pos`` order); None when the rows are not in article order (a table that was
    not prepared), where the counts go through a mask over the rows."""
    if "article_pos" not in articles:
        return None
    index = term_index(terms)

    def build(terms: pd.DataFrame, articles: pd.DataFrame) -> TermRuns | None:
        n = len(articles)
        # Checked once per pair of tables (the answer is kept like the runs).
        if (
            index.rows_per_article is None
            or not np.array_equal(articles["article_pos"].to_numpy(), np.arange(n))
            or len(index.rows_per_article) > n + 1
        ):
            return None
        per_article = np.zeros(n, dtype=np.int64)  # rows of each article (slot 0 is unknowns)
        per_article[: len(index.rows_per_article) - 1] = index.rows_per_article[1:]
        first = int(index.rows_per_article[0])  # rows of unknown articles come first
        old_start = first + np.concatenate([[0], np.cumsum(per_article)[:-1]])
        source, _ = codes_of(articles["source"], sort=True)
        relayed = articles["dup_of"].notna().to_numpy() if "dup_of" in articles else np.zeros(n)
        days = pd.to_datetime(articles["published"]).to_numpy(dtype="datetime64[D]")
        day = np.where(np.isnat(days), np.iinfo(np.int64).max, days.view(np.int64))
        order = np.lexsort((np.arange(n), day, relayed, source)).astype(np.int32)
        lengths = per_article[order]
        row_start = np.concatenate([[0], np.cumsum(lengths)])
        term = np.empty(int(row_start[-1]), dtype=index.term.dtype)
        # Moved a slice of articles at a time: one index over all the rows would take 8 bytes
        # per row (640 MB at a million articles).
        step = 1 << 16
        for lo in range(0, n, step):
            hi = min(lo + step, n)
            rows = int(row_start[hi] - row_start[lo])
            shift = np.repeat(old_start[order[lo:hi]] - row_start[lo:hi], lengths[lo:hi])
            term[row_start[lo] : row_start[hi]] = index.term[
                shift + np.arange(row_start[lo], row_start[lo] + rows)
            ]
        # The repeated rows, as rows here: their article's new start plus their place in it.
        repeated, extra = index.repeated, index.extra
        known = index.article[repeated] >= 0
        repeated, extra = repeated[known], extra[known]
        article = index.article[repeated]
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        moved = row_start[rank[article]] + (repeated - old_start[article])
        by_row = np.argsort(moved, kind="stable")
        moved, extra = moved[by_row], extra[by_row]
        size = len(index.vocabulary)
        articles_with = np.bincount(term, minlength=size)
        return TermRuns(
            order=order,
            row_start=row_start,
            term=term,
            repeated=moved,
            extra=extra,
            total=articles_with + np.bincount(term[moved], weights=extra, minlength=size),
            articles=articles_with,
        )

    return derived("cloud.term_runs", build, terms, articles)


# The counts of the last selections (a page's clouds count the same selection several times:
# the whole selection's cloud, then each outlet's compared with it). Keyed by the TermRuns and
# a digest of the article mask; values are per-vocabulary arrays, so few are kept.
_RUN_COUNTS: dict[tuple, tuple] = {}
_RUN_COUNTS_KEPT = 16


def article_term_counts(runs: TermRuns, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per vocabulary code: occurrences and articles (one row per article and term) among
    the rows of the articles in ``chosen`` (a boolean mask over article positions).

    More than half the rows are counted as the whole minus the rest, so the widest
    selections cost the least."""
    in_order = chosen[runs.order]
    key = (id(runs), hashlib.blake2b(np.packbits(in_order).tobytes(), digest_size=16).digest())
    hit = memo_get(_RUN_COUNTS, key, runs)
    if hit is not None:
        return hit
    edges = np.flatnonzero(np.diff(in_order.view(np.int8), prepend=0, append=0))
    starts, ends = runs.row_start[edges[0::2]], runs.row_start[edges[1::2]]
    if int((ends - starts).sum()) * 2 > len(runs.term):
        rest = np.flatnonzero(np.diff((~in_order).view(np.int8), prepend=0, append=0))
        rest_total, rest_articles = _counted_runs(
            runs, runs.row_start[rest[0::2]], runs.row_start[rest[1::2]], ~in_order
        )
        counts = (runs.total - rest_total, runs.articles - rest_articles)
    else:
        counts = _counted_runs(runs, starts, ends, in_order)
    for values in counts:
        values.setflags(write=False)  # shared between the callers that count this selection
    memo_put(_RUN_COUNTS, key, runs, counts, limit=_RUN_COUNTS_KEPT)
    return counts


def _counted_runs(
    runs: TermRuns, starts: np.ndarray, ends: np.ndarray, in_order: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    size = len(runs.total)
    if len(starts) > _MAX_RUNS:
        rows = np.repeat(in_order, np.diff(runs.row_start))
        return _masked_counts(runs.term, runs.repeated, runs.extra, size, rows)
    articles = np.zeros(size, dtype=np.int64)
    pieces: list[np.ndarray] = []
    waiting = 0
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        for lo in range(start, end, _PIECE):
            piece = runs.term[lo : min(end, lo + _PIECE)]
            if len(piece) * 4 >= _PIECE:
                articles += np.bincount(piece, minlength=size)
                continue
            pieces.append(piece)
            waiting += len(piece)
            if waiting >= _PIECE:
                articles += np.bincount(np.concatenate(pieces), minlength=size)
                pieces, waiting = [], 0
    if pieces:
        articles += np.bincount(np.concatenate(pieces), minlength=size)
    lo = np.searchsorted(runs.repeated, starts)
    hi = np.searchsorted(runs.repeated, ends)
    which = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True) if b > a] or [[]])
    which = which.astype(np.int64)
    extra = np.bincount(runs.term[runs.repeated[which]], weights=runs.extra[which], minlength=size)
    return articles + extra, articles


def rows_of_articles(index: TermIndex, terms: pd.DataFrame, articles: pd.DataFrame) -> np.ndarray:
    """Boolean array over the terms rows: rows of ``articles`` (as ``rows_in``, faster)."""
    if index.rows_per_article is None or "article_pos" not in articles:
        return rows_in(terms, articles)
    chosen = np.zeros(len(index.rows_per_article), dtype=bool)
    positions = articles["article_pos"].to_numpy()
    positions = positions[(positions >= 0) & (positions + 1 < len(chosen))]
    chosen[positions + 1] = True
    return np.repeat(chosen, index.rows_per_article)


def counts_of_rows(index: TermIndex, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per vocabulary code: summed count and number of rows (= articles: one row per article
    and term) over the chosen rows. A selection of more than half the rows is counted as the
    whole table minus the rest, so the widest selections cost the least."""
    chosen = int(np.count_nonzero(rows))
    if chosen == len(rows):
        return index.total, index.articles
    if chosen > len(rows) // 2:
        rest_total, rest_articles = _counted(index, ~rows)
        return index.total - rest_total, index.articles - rest_articles
    return _counted(index, rows)


def _counted(index: TermIndex, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _masked_counts(index.term, index.repeated, index.extra, len(index.vocabulary), rows)


def _masked_counts(
    term: np.ndarray, repeated: np.ndarray, extra: np.ndarray, size: int, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per code: occurrences and rows among the ``rows`` (a mask) of codes ``term``, whose
    rows ``repeated`` count ``extra`` more (a TermIndex's or a TermRuns' arrays)."""
    articles = np.bincount(term[rows], minlength=size)
    chosen = rows[repeated]
    more = np.bincount(term[repeated[chosen]], weights=extra[chosen], minlength=size)
    return articles + more, articles


def articles_counted(index: TermIndex, rows: np.ndarray) -> int:
    """How many known articles the chosen rows come from."""
    if index.rows_per_article is not None:  # in article order: count each article's first row
        firsts = np.cumsum(index.rows_per_article)[:-1][index.rows_per_article[1:] > 0]
        return int(np.count_nonzero(rows[firsts]))
    known = index.article[rows]
    return int(np.count_nonzero(np.bincount(known[known >= 0])))
