"""The co-occurrence network: people, organisations and countries named in the same sentence.

A node is an entity of one of NETWORK_TYPES; an edge joins two entities named in one sentence,
and its weight is the number of sentences that name both (a sentence naming 普京 three times
and 朝鲜 once counts once for the pair). Like Voyant's Links and GDELT's co-occurrence graphs.

Per corpus (``pair_index``, once per ingestion run): every sentence gets an id, every pair of
distinct network entities of a sentence becomes one row (its article, the two entity codes,
the sentence). A selection is then counted with numpy: the rows of the selected articles,
restricted to the top nodes, summed with ``np.bincount`` — no Python loop per sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .corpus import Corpus
from .entities import SENTENCE_COLUMNS, entity_codes, mention_index, newest_sentences_first
from .filters import (
    Filters,
    article_positions,
    column_at,
    derived,
    selected_mask,
    selection_rows,
)

NETWORK_TYPES = ("person", "org", "country")
NODE_COLUMNS = ["entity_id", "type", "mentions", "sentences", "degree"]
EDGE_COLUMNS = ["a", "b", "weight", "articles"]


@dataclass(frozen=True)
class PairIndex:
    """Sentence ids and entity pairs over ``corpus.mentions``, built once per corpus.

    Entity codes are those of ``entities.mention_index`` (``entity_ids``)."""

    # per mention row of a network type (``rows``): its sentence id
    rows: np.ndarray  # mention row numbers (into corpus.mentions)
    sentence: np.ndarray  # per such row: its sentence id
    entity: np.ndarray  # per such row: entity code
    first_in_sentence: np.ndarray  # per such row: first mention of its entity in the sentence
    # per pair row (two distinct entities a < b named in one sentence)
    pair_a: np.ndarray
    pair_b: np.ndarray
    pair_sentence: np.ndarray
    pair_article: np.ndarray  # article position
    pair_first_in_article: np.ndarray  # the first row of this pair in its article
    node_type: np.ndarray  # per entity code: its type (object; None when not a network type)


def _entity_types(corpus: Corpus, entity_ids: np.ndarray, rows, types) -> np.ndarray:
    """One type per entity code: the entities table's, else its first network mention's."""
    known = dict(
        zip(corpus.entities["entity_id"], corpus.entities["type"], strict=True)
    )  # an entity id is unique in the table
    out = np.array([known.get(e) for e in entity_ids], dtype=object)
    codes = mention_index(corpus).entity[rows]
    first = pd.Series(types).groupby(codes).first()
    for code, kind in first.items():
        if out[code] not in NETWORK_TYPES:
            out[code] = kind
    out[~np.isin(out, NETWORK_TYPES)] = None
    return out


def pair_index(corpus: Corpus) -> PairIndex:
    def build(mentions: pd.DataFrame, _articles: pd.DataFrame) -> PairIndex:
        index = mention_index(corpus)
        positions = article_positions(corpus, "mentions")
        kinds = mentions["type"].astype(object).to_numpy()
        usable = index.has_entity & (positions >= 0) & np.isin(kinds, NETWORK_TYPES)
        rows = np.flatnonzero(usable)
        pos = positions[rows].astype(np.int64)
        if "sentence_code" in mentions:  # the run's codes (mapped.py): no string is made
            text_code = mentions["sentence_code"].to_numpy()[rows].astype(np.int64)
        else:
            text_code, _ = pd.factorize(column_at(mentions, "sentence", rows))
        # A mention without a sentence is a sentence of its own: it still counts, and shares
        # no sentence with anyone (its code, -1, keyed with its article's position, fell on
        # the previous article's last sentence).
        missing = text_code < 0
        if missing.any():
            text_code = text_code.copy()
            start = int(text_code.max(initial=-1)) + 1
            text_code[missing] = start + np.arange(int(missing.sum()))
        width = int(text_code.max()) + 1 if len(rows) else 1
        _, sentence = np.unique(pos * width + text_code, return_inverse=True)
        sentence = sentence.astype(np.int64).reshape(-1)
        entity = index.entity[rows].astype(np.int64)
        size = max(len(index.entity_ids), 1)
        # one row per (sentence, entity), sorted by sentence then entity code
        keys, first_row = np.unique(sentence * size + entity, return_index=True)
        first_in_sentence = np.zeros(len(rows), dtype=bool)
        first_in_sentence[first_row] = True
        s, e = keys // size, keys % size
        article_of_sentence = np.zeros(int(sentence.max()) + 1 if len(rows) else 0, np.int64)
        article_of_sentence[sentence] = pos
        # every pair of a sentence: each row with the rows ``step`` places after it in its
        # sentence, for step = 1, 2, ... while any sentence has that many entities left
        starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]]) if len(s) else s[:0]
        group = np.diff(np.r_[starts, len(s)])
        after = np.repeat(group, group) - (np.arange(len(s)) - np.repeat(starts, group)) - 1
        a_parts, b_parts, s_parts = [], [], []
        candidates, step = np.flatnonzero(after > 0), 1
        while len(candidates):
            a_parts.append(e[candidates])
            b_parts.append(e[candidates + step])
            s_parts.append(s[candidates])
            step += 1
            candidates = candidates[after[candidates] >= step]
        pair_a = np.concatenate(a_parts) if a_parts else np.zeros(0, np.int64)
        pair_b = np.concatenate(b_parts) if b_parts else np.zeros(0, np.int64)
        pair_sentence = np.concatenate(s_parts) if s_parts else np.zeros(0, np.int64)
        order = np.lexsort((pair_b, pair_a, pair_sentence))
        pair_a, pair_b, pair_sentence = pair_a[order], pair_b[order], pair_sentence[order]
        pair_article = article_of_sentence[pair_sentence]
        seen = pd.DataFrame({"p": pair_article, "a": pair_a, "b": pair_b}).duplicated()
        return PairIndex(
            rows=rows.astype(np.int32),  # four bytes a row: a million rows at 100,000 articles
            sentence=sentence.astype(np.int32),
            entity=entity.astype(np.int32),
            first_in_sentence=first_in_sentence,
            pair_a=pair_a.astype(np.int32),
            pair_b=pair_b.astype(np.int32),
            pair_sentence=pair_sentence.astype(np.int32),
            pair_article=pair_article.astype(np.int32),
            pair_first_in_article=~seen.to_numpy(),
            node_type=_entity_types(corpus, index.entity_ids, rows, kinds[rows]),
        )

    return derived("network.pair_index", build, corpus.mentions, corpus.articles)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: [] for c in columns})


def cooccurrence_network(
    corpus: Corpus, filters: Filters, top_n: int = 30, min_weight: int = 2
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The network of the selection: ``(nodes, edges)``.

    nodes (NODE_COLUMNS): the ``top_n`` most mentioned people, organisations and countries
    of the selection (most mentions first): mentions, sentences naming it, and degree (its
    edges shown). edges (EDGE_COLUMNS): pairs of those nodes named together in at least
    ``min_weight`` sentences: weight (sentences naming both) and articles; heaviest first,
    ``a`` < ``b`` by entity id."""
    index = mention_index(corpus)
    pairs = pair_index(corpus)
    size = len(index.entity_ids)
    if not len(pairs.rows) or not size:
        return _empty(NODE_COLUMNS), _empty(EDGE_COLUMNS)
    chosen = selection_rows(corpus, filters, "mentions")[pairs.rows]
    mentions = np.bincount(pairs.entity[chosen], minlength=size)
    sentences = np.bincount(pairs.entity[chosen & pairs.first_in_sentence], minlength=size)
    present = np.flatnonzero(mentions)
    if not len(present):
        return _empty(NODE_COLUMNS), _empty(EDGE_COLUMNS)
    # most mentions first, ties by entity id (codes are in id order)
    top = present[np.lexsort((present, -mentions[present]))][: max(int(top_n), 0)]
    rank = np.full(size, -1, dtype=np.int64)
    rank[top] = np.arange(len(top))
    selected = selected_mask(corpus, filters)
    keep = selected[pairs.pair_article] if len(selected) else np.zeros(0, bool)
    ra, rb = rank[pairs.pair_a], rank[pairs.pair_b]
    keep &= (ra >= 0) & (rb >= 0)
    n = len(top)
    key = ra[keep] * n + rb[keep]
    weight = np.bincount(key, minlength=n * n)
    articles = np.bincount(
        ra[keep & pairs.pair_first_in_article] * n + rb[keep & pairs.pair_first_in_article],
        minlength=n * n,
    )
    strong = np.flatnonzero(weight >= max(int(min_weight), 1))
    code_a, code_b = top[strong // n], top[strong % n]
    edges = pd.DataFrame(
        {
            "a": index.entity_ids[code_a],
            "b": index.entity_ids[code_b],
            "weight": weight[strong].astype(np.int64),
            "articles": articles[strong].astype(np.int64),
        }
    )
    edges = edges.sort_values(["weight", "a", "b"], ascending=[False, True, True], kind="stable")
    degree = np.bincount(np.concatenate([strong // n, strong % n]), minlength=n)
    nodes = pd.DataFrame(
        {
            "entity_id": index.entity_ids[top],
            "type": pairs.node_type[top],
            "mentions": mentions[top].astype(np.int64),
            "sentences": sentences[top].astype(np.int64),
            "degree": degree.astype(np.int64),
        }
    )
    return nodes[NODE_COLUMNS], edges[EDGE_COLUMNS].reset_index(drop=True)


WEIGHT_STEPS = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
TIES_PER_NODE = 2.0  # the automatic threshold keeps about this many ties per node


def auto_min_weight(edges: pd.DataFrame, top_n: int) -> int:
    """The smallest of WEIGHT_STEPS that keeps at most ``TIES_PER_NODE * top_n`` ties (a
    network that stays readable: every pair of 30 countries and leaders is a hairball)."""
    weights = np.sort(edges["weight"].to_numpy(dtype=np.int64))
    room = max(int(TIES_PER_NODE * max(int(top_n), 1)), 1)
    for step in WEIGHT_STEPS:
        if len(weights) - np.searchsorted(weights, step) <= room:
            return step
    return WEIGHT_STEPS[-1]


def with_min_weight(
    nodes: pd.DataFrame, edges: pd.DataFrame, min_weight: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``nodes`` and ``edges`` of ``cooccurrence_network`` keeping the ties of at least
    ``min_weight`` sentences (nodes' degree counted again)."""
    kept = edges[edges["weight"] >= int(min_weight)].reset_index(drop=True)
    ends = pd.concat([kept["a"], kept["b"]]).value_counts()
    nodes = nodes.assign(degree=nodes["entity_id"].map(ends).fillna(0).astype("int64").to_numpy())
    return nodes, kept


def edge_key(a: str, b: str) -> str:
    """A pair of entity ids as one link value, in a fixed order: ``CHN~RUS``."""
    first, second = sorted((str(a), str(b)))
    return f"{first}~{second}"


def parse_edge_key(value: str | None) -> tuple[str, str] | None:
    """``edge_key``'s inverse; None for a value that is not two different ids."""
    if not isinstance(value, str) or value.count("~") != 1:
        return None
    a, b = value.split("~")
    if not a or not b or a == b:
        return None
    return tuple(sorted((a, b)))


def is_entity(corpus: Corpus, entity_id: str) -> bool:
    """Whether ``entity_id`` can be a node: a person, organisation or country named in the
    corpus (a link's pair is checked; a place is never counted, so it cannot be asked for)."""
    index = pair_index(corpus)
    ids = mention_index(corpus).entity_ids
    known = derived(
        "network.node_ids",
        lambda m: frozenset(ids[i] for i, kind in enumerate(index.node_type) if kind is not None),
        corpus.mentions,
    )
    return entity_id in known


def edge_sentences(corpus: Corpus, filters: Filters, a: str, b: str) -> pd.DataFrame:
    """The sentences of the selection that name both ``a`` and ``b``, newest first, one row
    per sentence, with the columns of ``entities.entity_sentences`` (``spans``: both
    entities' mentions in the sentence, for ``entities.marks_of_rows``)."""
    index = mention_index(corpus)
    pairs = pair_index(corpus)
    codes = entity_codes(index)
    if a not in codes or b not in codes or a == b:
        return _empty(SENTENCE_COLUMNS)
    ca, cb = sorted((codes[a], codes[b]))
    hit = (pairs.pair_a == ca) & (pairs.pair_b == cb)
    selected = selected_mask(corpus, filters)
    hit &= selected[pairs.pair_article] if len(selected) else False
    wanted = np.unique(pairs.pair_sentence[hit])
    if not len(wanted):
        return _empty(SENTENCE_COLUMNS)
    mine = np.isin(pairs.sentence, wanted) & np.isin(pairs.entity, [ca, cb])
    rows = pairs.rows[mine]
    sentence = pairs.sentence[mine]
    order = np.lexsort((corpus.mentions["start"].to_numpy()[rows], sentence))
    rows, sentence = rows[order], sentence[order]
    _, first, sizes = np.unique(sentence, return_index=True, return_counts=True)
    m = corpus.mentions
    starts = m["start"].to_numpy()[rows].tolist()
    ends = m["end"].to_numpy()[rows].tolist()
    surfaces = m["surface"].take(rows).astype(object).tolist()
    spans = [
        tuple(zip(starts[i : i + k], ends[i : i + k], surfaces[i : i + k], strict=True))
        for i, k in zip(first.tolist(), sizes.tolist(), strict=True)
    ]
    head = rows[first]
    at = article_positions(corpus, "mentions")[head]
    articles = corpus.meta if corpus.meta is not None else corpus.articles

    out = pd.DataFrame(
        {
            "article_id": column_at(articles, "article_id", at),
            "published": column_at(articles, "published", at),
            "source": column_at(articles, "source", at),
            "site": column_at(articles, "site", at),
            "title": column_at(articles, "title", at),
            "sentence": column_at(m, "sentence", head),
            "mentions": sizes,
            "spans": spans,
            "_pos": at,
            "_start": [s[0][0] for s in spans],
        }
    )
    return newest_sentences_first(out)
