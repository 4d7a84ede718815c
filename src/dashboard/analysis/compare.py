"""Two outlets, term by term (like Scattertext): how often each outlet uses each term, and
which terms set one apart from the other.

For outlets A and B in the selection, every term gets its count and the articles using it in
each outlet, a frequency (per 10,000 counted words, or the share of the outlet's articles that
use it), and the z-score of the log-odds ratio with an informative Dirichlet prior (Monroe,
Colaresi & Quinn 2008; the prior is A and B together, as in ``keywords.log_odds_z``): positive
for terms typical of A, negative for B. Counted with the keyword clouds' per-corpus term index
(``term_counts.term_runs``): ``np.bincount`` over the slices of rows of each outlet's articles.

The words counted are those of the ``terms`` table (the keyword clouds' words: stopwords and
single characters left out), so "per 10,000 words" means per 10,000 such words. An outlet's
own names (``labels.outlet_name_terms``) are never plotted: 新华社 writing 新华社 says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .corpus import Corpus
from .filters import Filters, published_days, selected_mask, source_codes
from .keywords import term_sentences
from .labels import UNKNOWN_SOURCE, outlet_name_terms
from .term_counts import article_term_counts, counts_of_rows, term_index, term_runs

MEASURES = ("per10k", "share")
TERM_COLUMNS = [
    "term",
    "count_a",
    "count_b",
    "articles_a",
    "articles_b",
    "freq_a",
    "freq_b",
    "z",
]
MAX_TERMS = 1500  # points on the scatter: the most used terms of the two outlets
# A term is called distinctive of one outlet when its log-odds z is at least this far from
# zero (about 95 % two-sided): smaller leanings are noise a small selection makes.
SIGNIFICANT_Z = 1.96
SENTENCE_LIMIT = 2000  # sentences listed per outlet (the page says when the list is cut)


@dataclass(frozen=True)
class Comparison:
    """``terms`` (TERM_COLUMNS, most used first), and per outlet its articles in the
    selection and its counted words."""

    terms: pd.DataFrame
    articles_a: int
    articles_b: int
    words_a: int
    words_b: int


def outlets_in(corpus: Corpus, filters: Filters) -> list[str]:
    """The selection's outlets with a name, most articles first (ties by name)."""
    codes, names = source_codes(corpus)
    counts = np.bincount(codes[selected_mask(corpus, filters)], minlength=len(names))
    present = [i for i in np.flatnonzero(counts) if names[i] not in (None, UNKNOWN_SOURCE)]
    return [str(names[i]) for i in sorted(present, key=lambda i: (-int(counts[i]), names[i]))]


def _outlet_mask(corpus: Corpus, filters: Filters, outlet: str) -> np.ndarray:
    codes, names = source_codes(corpus)
    found = np.flatnonzero(names == outlet)
    if not len(found):
        return np.zeros(len(codes), dtype=bool)
    return selected_mask(corpus, filters) & (codes == int(found[0]))


def _term_rows(corpus: Corpus, article_mask: np.ndarray) -> np.ndarray:
    """Boolean array over ``corpus.terms``: the rows of the articles in ``article_mask``."""
    index = term_index(corpus.terms)
    if index.rows_per_article is not None and len(index.rows_per_article) == len(article_mask) + 1:
        chosen = np.concatenate([[False], article_mask])
        return np.repeat(chosen, index.rows_per_article)
    article = index.article
    return (article >= 0) & article_mask[np.clip(article, 0, None)]


def _outlet_counts(corpus: Corpus, article_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per vocabulary code: occurrences and articles among the articles in ``article_mask``
    (from the slices of the corpus's TermRuns when it has them)."""
    runs = term_runs(corpus.terms, corpus.articles)
    if runs is not None:
        return article_term_counts(runs, article_mask)
    return counts_of_rows(term_index(corpus.terms), _term_rows(corpus, article_mask))


def log_odds_z(y_a: np.ndarray, y_b: np.ndarray) -> np.ndarray:
    """Monroe et al. (2008) z-scores of A against B with both together as the prior
    (``keywords.log_odds_z`` on arrays)."""
    alpha = y_a + y_b
    a0, n_a, n_b = alpha.sum(), y_a.sum(), y_b.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        odds_a = np.log(y_a + alpha) - np.log(n_a + a0 - y_a - alpha)
        odds_b = np.log(y_b + alpha) - np.log(n_b + a0 - y_b - alpha)
        z = (odds_a - odds_b) / np.sqrt(1.0 / (y_a + alpha) + 1.0 / (y_b + alpha))
    return np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0)


def compare_outlets(
    corpus: Corpus,
    filters: Filters,
    a: str,
    b: str,
    measure: str = "per10k",
    limit: int = MAX_TERMS,
) -> Comparison:
    """Terms of outlet ``a`` against outlet ``b`` in the selection (see the module docstring);
    the ``limit`` most used terms of the two together, most used first."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(MEASURES)}")
    index = term_index(corpus.terms)
    mask_a, mask_b = _outlet_mask(corpus, filters, a), _outlet_mask(corpus, filters, b)
    n_a, n_b = int(mask_a.sum()), int(mask_b.sum())
    empty = pd.DataFrame({c: [] for c in TERM_COLUMNS})
    if not n_a or not n_b or not len(index.vocabulary):
        return Comparison(empty, n_a, n_b, 0, 0)
    count_a, articles_a = _outlet_counts(corpus, mask_a)
    count_b, articles_b = _outlet_counts(corpus, mask_b)
    words_a, words_b = int(count_a.sum()), int(count_b.sum())
    allowed = np.ones(len(index.vocabulary), dtype=bool)
    own = index.vocabulary.get_indexer(list(outlet_name_terms([a, b], corpus.source_names)))
    allowed[own[own >= 0]] = False
    used = np.flatnonzero(((count_a + count_b) > 0) & allowed)
    z = log_odds_z(count_a[used].astype(float), count_b[used].astype(float))
    total = count_a[used] + count_b[used]
    order = np.lexsort((index.vocabulary[used].to_numpy(), -total))[: max(int(limit), 0)]
    pick = used[order]
    if measure == "per10k":
        freq_a = count_a[pick] / max(words_a, 1) * 10_000
        freq_b = count_b[pick] / max(words_b, 1) * 10_000
    else:
        freq_a = articles_a[pick] / n_a
        freq_b = articles_b[pick] / n_b
    terms = pd.DataFrame(
        {
            "term": index.vocabulary[pick].astype(str),
            "count_a": count_a[pick].astype(np.int64),
            "count_b": count_b[pick].astype(np.int64),
            "articles_a": articles_a[pick].astype(np.int64),
            "articles_b": articles_b[pick].astype(np.int64),
            "freq_a": freq_a.astype(float),
            "freq_b": freq_b.astype(float),
            "z": z[order],
        }
    )
    return Comparison(terms[TERM_COLUMNS], n_a, n_b, words_a, words_b)


def distinctive(
    terms: pd.DataFrame, side: str, n: int = 12, min_z: float = SIGNIFICANT_Z
) -> pd.DataFrame:
    """The ``n`` terms most typical of outlet ``side`` ('a': largest z; 'b': smallest),
    among those distinctive of it (z >= ``min_z`` for A, z <= -``min_z`` for B)."""
    if side == "a":
        part = terms[terms["z"] >= min_z].sort_values(["z", "term"], ascending=[False, True])
    else:
        part = terms[terms["z"] <= -min_z].sort_values(["z", "term"], ascending=[True, True])
    return part.head(max(int(n), 0)).reset_index(drop=True)


def term_sentences_in(
    corpus: Corpus,
    filters: Filters,
    outlet: str,
    term: str,
    limit: int = 100,
    sentence_limit: int = SENTENCE_LIMIT,
) -> tuple[pd.DataFrame, int]:
    """The sentences of ``outlet``'s selected articles that use ``term`` (keywords'
    ``term_sentences``: as written, the term's place given, a person or country under any of
    its names: 川普 for 特朗普), newest first, from at most the ``limit`` newest articles using
    it and at most ``sentence_limit`` sentences; and how many of its articles use the term."""
    index = term_index(corpus.terms)
    code = index.vocabulary.get_indexer([term])[0]
    mask = _outlet_mask(corpus, filters, outlet)
    if code < 0 or not mask.any():
        return term_sentences(pd.DataFrame(), ""), 0
    rows = _term_rows(corpus, mask) & (index.term == code)
    positions = np.unique(index.article[rows])
    positions = positions[positions >= 0]
    days = published_days(corpus)[positions]
    undated = np.isnat(days)
    # newest first, undated last
    order = np.lexsort((positions, -np.where(undated, 0, days.astype("int64")), undated))
    newest = positions[order][: max(int(limit), 0)]
    meta = corpus.meta if corpus.meta is not None else corpus.articles
    columns = ["article_id", "source", "published", "title"]
    chosen = meta.iloc[newest][columns].reset_index(drop=True)
    texts = corpus.texts_at(newest)
    frame = pd.concat([chosen, texts[["text", "text_simplified"]]], axis=1)
    found = term_sentences(frame, term, corpus.mentions, corpus.entities, limit=sentence_limit)
    return found, len(positions)
