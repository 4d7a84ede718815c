"""Keyword weightings, the per-corpus term index and the sentences of a term.

Weightings (over the ``terms`` table, one row per article and term):

- ``frequency``: occurrences of the term in the selected articles.
- ``tfidf``: occurrences in the selection times a smoothed inverse document frequency over the
  comparison corpus: ``idf = ln((1 + N) / (1 + df)) + 1`` (N articles, df articles containing
  the term; scikit-learn's smoothing, so a term in every article still counts).
- ``distinctive``: the z-score of the log-odds ratio with an informative Dirichlet prior
  (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 16-22): the selection against the rest
  of the comparison corpus, with the whole comparison corpus as the prior (alpha_w = its count
  of w). Only terms with z > 0 (more typical of the selection than of the rest) are shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .corpus import Corpus
from .filters import Filters, rows_in, selected_mask
from .term_counts import (
    TermIndex,
    article_term_counts,
    articles_counted,
    counts_of_rows,
    rows_of_articles,
    term_index,
    term_runs,
)

WEIGHTINGS = {
    "frequency": "raw frequency (occurrences)",
    "tfidf": "TF-IDF (occurrences × inverse document frequency)",
    "distinctive": "distinctive (log-odds z-score, informative Dirichlet prior; Monroe et al. 2008)",
}


# ---------------------------------------------------------------------------------------------
# Selecting articles


def select_articles(
    articles: pd.DataFrame,
    sources: list[str] | tuple[str, ...] | None = None,
    date_from=None,
    date_to=None,
    once: bool = False,
) -> pd.DataFrame:
    """Articles within the filters (any of ``sources``; dates inclusive; originals only if once)."""
    mask = pd.Series(True, index=articles.index)
    if sources:
        mask &= articles["source"].isin(list(sources))
    if date_from is not None or date_to is not None:
        published = pd.to_datetime(articles["published"], errors="coerce")
        if date_from is not None:
            mask &= published >= pd.Timestamp(date_from)
        if date_to is not None:
            mask &= published <= pd.Timestamp(date_to)
    if once and "dup_of" in articles:
        mask &= articles["dup_of"].isna()
    return articles[mask]


def terms_of(terms: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The term rows of ``articles``."""
    return terms[rows_in(terms, articles)]


# ---------------------------------------------------------------------------------------------
# Weightings


def frequency(terms: pd.DataFrame) -> pd.Series:
    """term -> total count, largest first (ties by term, so the order is stable)."""
    if terms.empty:
        return pd.Series(dtype="float64", name="weight")
    counts = terms.groupby("term", sort=True)["count"].sum().astype("float64")
    return _ranked(counts)


def tfidf(terms: pd.DataFrame, corpus: pd.DataFrame | None = None) -> pd.Series:
    """Count in ``terms`` × smoothed idf over the articles of ``corpus`` (default: ``terms``)."""
    corpus = terms if corpus is None else corpus
    if terms.empty:
        return pd.Series(dtype="float64", name="weight")
    n_docs = corpus["article_id"].nunique()
    doc_freq = corpus.groupby("term")["article_id"].nunique()
    tf = terms.groupby("term")["count"].sum().astype("float64")
    return _tfidf_from(tf, doc_freq, n_docs)


def _tfidf_from(tf: pd.Series, doc_freq: pd.Series, n_docs: int) -> pd.Series:
    """term counts × smoothed idf (``doc_freq``: articles per term among ``n_docs``)."""
    df = doc_freq.reindex(tf.index).fillna(0)
    idf = np.log((1 + n_docs) / (1 + df)) + 1.0
    return _ranked(tf.astype("float64") * idf)


def log_odds_z(target: pd.Series, reference: pd.Series, prior: pd.Series) -> pd.Series:
    """Monroe, Colaresi & Quinn (2008) z-scores of the log-odds ratio, target vs reference.

    ``target``, ``reference``: term -> count. ``prior``: term -> alpha_w (Dirichlet pseudo-counts,
    e.g. the counts of the whole corpus); alpha_0 is their sum. Terms missing from the prior get
    no prior mass, so pass a prior that covers both sides.
    """
    vocab = target.index.union(reference.index).union(prior.index)
    y_i = target.reindex(vocab).fillna(0).astype("float64")
    y_j = reference.reindex(vocab).fillna(0).astype("float64")
    alpha = prior.reindex(vocab).fillna(0).astype("float64")
    a0, n_i, n_j = alpha.sum(), y_i.sum(), y_j.sum()
    log_odds_i = np.log(y_i + alpha) - np.log(n_i + a0 - y_i - alpha)
    log_odds_j = np.log(y_j + alpha) - np.log(n_j + a0 - y_j - alpha)
    variance = 1.0 / (y_i + alpha) + 1.0 / (y_j + alpha)
    z = (log_odds_i - log_odds_j) / np.sqrt(variance)
    return z.rename("weight")


def distinctive(terms: pd.DataFrame, corpus: pd.DataFrame) -> pd.Series:
    """Terms typical of ``terms`` against the rest of ``corpus``; positive z-scores only.

    Empty when the rest is empty (nothing to compare with).
    """
    if terms.empty:
        return pd.Series(dtype="float64", name="weight")
    selected = set(terms["article_id"])
    rest = corpus[~corpus["article_id"].isin(selected)]
    if rest.empty:
        return pd.Series(dtype="float64", name="weight")
    target = terms.groupby("term")["count"].sum()
    reference = rest.groupby("term")["count"].sum()
    return _distinctive_from(target, reference)


def _distinctive_from(target: pd.Series, reference: pd.Series) -> pd.Series:
    """Positive log-odds z-scores of ``target`` counts against ``reference`` counts, with
    both together as the prior."""
    prior = target.add(reference, fill_value=0)
    z = log_odds_z(target, reference, prior)
    return _ranked(z[z > 0])


def cloud_weights(
    terms: pd.DataFrame, weighting: str, corpus: pd.DataFrame | None = None
) -> pd.Series:
    """Weights of the selection's terms; ``corpus`` is what idf and "distinctive" compare with."""
    if weighting == "frequency":
        return frequency(terms)
    if weighting == "tfidf":
        return tfidf(terms, corpus)
    if weighting == "distinctive":
        return distinctive(terms, terms if corpus is None else corpus)
    raise ValueError(f"unknown weighting {weighting!r}; choose one of {', '.join(WEIGHTINGS)}")


def _ranked(weights: pd.Series) -> pd.Series:
    frame = pd.DataFrame({"term": weights.index, "weight": weights.to_numpy()})
    frame = frame.sort_values(["weight", "term"], ascending=[False, True], kind="stable")
    return pd.Series(
        frame["weight"].to_numpy(), index=pd.Index(frame["term"], name="term"), name="weight"
    )


def ranked_terms(
    weights: pd.Series, terms: pd.DataFrame | None = None, top: int = 30
) -> pd.DataFrame:
    """The cloud's terms as a table: rank, term, weight, and (given ``terms``) count and articles."""
    top_weights = weights.head(top)
    table = pd.DataFrame(
        {
            "rank": range(1, len(top_weights) + 1),
            "term": top_weights.index.astype(str),
            "weight": top_weights.to_numpy().round(3),
        }
    )
    if terms is not None:
        sub = terms[terms["term"].isin(set(table["term"]))]
        count = sub.groupby("term")["count"].sum()
        articles = sub.groupby("term")["article_id"].nunique()
        table["count"] = table["term"].map(count).fillna(0).astype("int64")
        table["articles"] = table["term"].map(articles).fillna(0).astype("int64")
    return table


# ---------------------------------------------------------------------------------------------
# Provenance: the sentences behind a term

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
SENTENCE_COLUMNS = [
    "article_id",
    "source",
    "published",
    "title",
    "sentence",
    "match_start",
    "match_end",
]


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = pos
    while start > 0 and text[start - 1] not in "。！？!?；;\n":
        start -= 1
    end = pos
    while end < len(text) and text[end] not in "。！？!?；;\n":
        end += 1
    while end < len(text) and text[end] in "。！？!?；;":
        end += 1
    return start, end


def _entities_named(entities: pd.DataFrame, term: str) -> set:
    """The ids of the entities whose Chinese name is ``term`` (in Simplified)."""
    from ..common.textnorm import to_simplified

    return {
        e
        for e, name in zip(entities["entity_id"], entities["name_zh"], strict=True)
        if isinstance(name, str) and to_simplified(name.strip()) == term
    }


def selection_term_sentences(
    corpus: Corpus, filters: Filters, term: str, limit: int = 200
) -> pd.DataFrame:
    """``term_sentences`` of the selected articles, reading only the texts that can give one:
    those holding the term (the search's index, else a scan in Arrow, finds them) and those
    mentioning an entity of that name. Every selected text as a Python string cost seconds
    and hundreds of MB at 100,000 articles."""
    if not term:
        return term_sentences(pd.DataFrame(), "")
    mask = selected_mask(corpus, filters)
    can = corpus.text_counts(term) > 0
    ids = _entities_named(corpus.entities, term) if not corpus.entities.empty else set()
    if ids and not corpus.mentions.empty:
        named = corpus.mentions["entity_id"].isin(ids).to_numpy()
        positions = corpus.mentions["article_pos"].to_numpy()[named]
        can[positions[positions >= 0]] = True
    chosen = np.flatnonzero(mask & can)
    meta = corpus.meta if corpus.meta is not None else corpus.articles
    columns = ["article_id", "source", "published", "title"]
    frame = meta.iloc[chosen][columns].reset_index(drop=True)
    frame = pd.concat([frame, corpus.texts_at(chosen)], axis=1)
    return term_sentences(frame, term, corpus.mentions, corpus.entities, limit=limit)


def term_sentences(
    articles: pd.DataFrame,
    term: str,
    mentions: pd.DataFrame | None = None,
    entities: pd.DataFrame | None = None,
    limit: int = 200,
) -> pd.DataFrame:
    """Sentences (as written, maybe Traditional) of ``articles`` that use ``term``, newest
    article first, at most ``limit``.

    The term is searched in ``text_simplified`` and the sentence cut from ``text`` at the same
    offsets. When the term is an entity's canonical name, the sentences of that entity's mentions
    count too (普京 finds a sentence that writes 普丁). ``match_start``/``match_end``: the term's
    place in the sentence. The text is untrusted: escape it before any HTML.
    """
    rows: list[dict] = []
    seen: set[tuple[str, int]] = set()
    if not term or articles.empty:
        return pd.DataFrame(columns=SENTENCE_COLUMNS)
    by_id = articles.set_index("article_id", drop=False)
    hits: list[tuple[str, int, int]] = []
    for article_id, simplified in zip(
        articles["article_id"], articles["text_simplified"], strict=True
    ):
        for match in re.finditer(re.escape(term), simplified or ""):
            hits.append((article_id, match.start(), match.end()))
    if mentions is not None and entities is not None and not mentions.empty and not entities.empty:
        ids = _entities_named(entities, term)
        sub = mentions[
            mentions["entity_id"].isin(ids)
            & mentions["article_id"].isin(set(by_id.index))
            & (pd.to_numeric(mentions["start"], errors="coerce") >= 0)  # -1: offsets unknown
        ]
        hits += [
            (a, int(s), int(e))
            for a, s, e in zip(sub["article_id"], sub["start"], sub["end"], strict=True)
        ]
    # Newest articles first (undated last), each article's sentences in text order.
    hits.sort(key=lambda h: (h[0], h[1]))
    hits.sort(key=lambda h: str(by_id.loc[h[0], "published"] or ""), reverse=True)
    for article_id, start, end in hits:
        article = by_id.loc[article_id]
        text = article["text"] or ""
        s_start, s_end = _sentence_bounds(text, start)
        if (article_id, s_start) in seen:
            continue
        seen.add((article_id, s_start))
        sentence = text[s_start:s_end]
        lead = len(sentence) - len(sentence.lstrip())
        rows.append(
            {
                "article_id": article_id,
                "source": article["source"],
                "published": article["published"],
                "title": article["title"],
                "sentence": sentence.strip(),
                "match_start": start - s_start - lead,
                "match_end": end - s_start - lead,
            }
        )
        if len(rows) >= limit:
            break
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


# ---------------------------------------------------------------------------------------------
# The keywords page's query: one cloud's data for the shared filters (and an outlet)


@dataclass(frozen=True)
class CloudData:
    """What one cloud shows: weights (term -> weight, largest first), its ranked table, and
    ``note``: why it is empty ('no_articles', 'no_terms', 'no_contrast') or None."""

    weights: pd.Series
    table: pd.DataFrame
    articles: int
    note: str | None = None


def _series(index: TermIndex, values: np.ndarray, where: np.ndarray) -> pd.Series:
    chosen = np.flatnonzero(where)
    return pd.Series(values[chosen], index=index.vocabulary[chosen])


class _Counter:
    """Counts of the term rows of ``articles`` or a part of them (a boolean mask over its
    rows), or of the whole table: through the TermRuns when the corpus's whole articles
    table is known (the part is then positions, never a copy of the rows), else through a
    mask over the term rows."""

    def __init__(
        self, terms: pd.DataFrame, everything: pd.DataFrame | None, articles: pd.DataFrame
    ) -> None:
        self.terms, self.index, self.articles = terms, term_index(terms), articles
        self.runs = None
        if everything is not None and "article_pos" in articles:
            self.runs = term_runs(terms, everything)
            self.size = len(everything)

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        """Per vocabulary code, over the whole table: occurrences, and articles using it."""
        return self.index.total, self.index.articles

    def counts(self, part: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Per vocabulary code, over ``articles`` (its ``part``): occurrences, and articles
        using it."""
        if self.runs is None:
            return counts_of_rows(self.index, self._rows(part))
        return article_term_counts(self.runs, self._chosen(part))

    def using_any(self, part: np.ndarray | None, whole_table: bool = False) -> int:
        """How many (known) articles use any term: of ``articles`` (its ``part``), or of the
        whole table."""
        if self.runs is None:
            rows = np.ones(len(self.terms), dtype=bool) if whole_table else self._rows(part)
            return articles_counted(self.index, rows)
        used = np.diff(self.runs.row_start) > 0  # per article in run order
        if whole_table:
            return int(np.count_nonzero(used))
        return int(np.count_nonzero(used & self._chosen(part)[self.runs.order]))

    def _rows(self, part: np.ndarray | None) -> np.ndarray:
        frame = self.articles if part is None else self.articles[part]
        return rows_of_articles(self.index, self.terms, frame)

    def _chosen(self, part: np.ndarray | None) -> np.ndarray:
        positions = self.articles["article_pos"].to_numpy()
        if part is not None:
            positions = positions[part]
        chosen = np.zeros(self.size, dtype=bool)
        chosen[positions[(positions >= 0) & (positions < self.size)]] = True
        return chosen


def cloud_data(
    articles: pd.DataFrame,
    terms: pd.DataFrame,
    weighting: str,
    outlet: str | None = None,
    top: int = 30,
    exclude=(),
    everything: pd.DataFrame | None = None,
) -> CloudData:
    """The cloud of the filtered ``articles`` (or of one outlet's share of them), without
    the terms in ``exclude`` (an outlet's own names: labels.outlet_name_terms).

    Comparison corpus: for the filtered selection, the whole corpus (``terms``); for an outlet,
    the filtered selection, so "distinctive" means "compared with the other outlets shown".
    The weights are those of ``frequency``, ``tfidf`` and ``distinctive`` above, counted
    through a TermIndex; given ``everything`` (the corpus's whole articles table, which
    ``articles`` is a part of), through its TermRuns: the same counts, from slices.
    """
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}; choose one of {', '.join(WEIGHTINGS)}")
    # The outlet's part of the selection, as a mask: its rows are only taken where the
    # counts go through a mask over the term rows.
    part = None
    if outlet is not None:
        part = (articles["source"] == outlet).to_numpy(dtype=bool, na_value=False)
    selected = len(articles) if part is None else int(np.count_nonzero(part))
    empty = pd.Series(dtype="float64", name="weight")
    if not selected:
        return CloudData(empty, ranked_terms(empty), 0, "no_articles")
    counter = _Counter(terms, everything, articles)
    index = counter.index
    total, articles_with = counter.counts(part)
    # What the cloud is compared with: the whole table for the selection, the selection for
    # an outlet.
    whole = outlet is None
    present = articles_with > 0
    if not present.any():
        weights = empty
    elif weighting == "frequency":
        weights = _ranked(_series(index, total, present))
    elif weighting == "tfidf":
        _, doc_freq = counter.table() if whole else counter.counts(None)
        weights = _tfidf_from(
            _series(index, total, present),
            _series(index, doc_freq, doc_freq > 0),
            counter.using_any(None, whole_table=whole),
        )
    else:
        compared_total, compared_articles = counter.table() if whole else counter.counts(None)
        rest_total, rest_articles = compared_total - total, compared_articles - articles_with
        weights = (
            _distinctive_from(
                _series(index, total, present), _series(index, rest_total, rest_articles > 0)
            )
            if rest_articles.any()
            else empty
        )
    if len(exclude) and not weights.empty:
        weights = weights[~weights.index.isin(list(exclude))]
    note = None
    if weights.empty:
        note = "no_contrast" if weighting == "distinctive" and present.any() else "no_terms"
    table = ranked_terms(weights.rename("weight"), top=top)
    codes = index.vocabulary.get_indexer(table["term"])
    table["count"] = total[codes].astype("int64")
    table["articles"] = articles_with[codes].astype("int64")
    return CloudData(weights.rename("weight"), table, selected, note)


def outlets_by_size(articles: pd.DataFrame) -> list[str]:
    """Outlets of the selection, most articles first (ties by name)."""
    counts = articles.groupby("source").size()
    return sorted(counts.index, key=lambda s: (-int(counts[s]), str(s)))
