"""The terms stage: ``terms`` = (article_id, term, count) for every article, stopwords removed.

Runs on ``text_simplified``. Entity names are single terms, and one term per entity:

- where the entity stage found a mention, the mention's span is not tokenized; it counts as the
  entity's canonical name (``entities.name_zh``, Simplified). 普丁 and 普京 (or 朝鲜民主主义人民共和国
  and 朝鲜) therefore count as one term, and a name the tokenizer would cut apart stays whole;
- the text between mentions goes through the tokenizer, whose user dictionary holds every
  gazetteer name and alias, so names the entity stage missed still stay whole (under their
  written form).

Near-duplicates keep their terms: "count each story once" is a filter applied at query time.
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter

import numpy as np
import pandas as pd

from ..common.textnorm import to_simplified
from ..tables.schema import empty
from .cache import ResultCache, key_of, version_of
from .engine import Engine
from .language import Tokenizer, tokenizer


def canonical_names(entities: pd.DataFrame | None) -> dict[str, str]:
    """entity_id -> canonical Simplified name (name_zh), for the entities that have one."""
    if entities is None or entities.empty or "name_zh" not in entities:
        return {}
    out = {}
    for entity_id, name in zip(entities["entity_id"], entities["name_zh"], strict=True):
        if isinstance(name, str) and name.strip():
            out[str(entity_id)] = to_simplified(name.strip())
    return out


def spans_by_article(mentions: pd.DataFrame | None, names: dict[str, str]) -> dict[str, list]:
    """article_id -> sorted, non-overlapping [(start, end, term)] from the mentions table."""
    if mentions is None or mentions.empty:
        return {}
    valid = (mentions["start"].notna() & mentions["end"].notna()).to_numpy()
    if not valid.all():
        mentions = mentions[valid]
    # Lists, not the columns: iterating Arrow-backed columns item by item is slow.
    article_ids, entity_ids, surfaces = (
        mentions[c].tolist() for c in ("article_id", "entity_id", "surface")
    )
    starts, ends = (mentions[c].astype("int64").tolist() for c in ("start", "end"))
    # A term per (entity, surface), not per mention: 1.2 million mentions at 100,000 articles
    # have a few thousand pairs.
    term_of: dict[tuple, str] = {}
    spans: dict[str, list] = {}
    for article_id, entity_id, surface, start, end in zip(
        article_ids, entity_ids, surfaces, starts, ends, strict=True
    ):
        term = term_of.get((entity_id, surface))
        if term is None:
            term = names.get(str(entity_id)) or to_simplified(str(surface)).strip()
            term_of[entity_id, surface] = term
        if term:
            spans.setdefault(str(article_id), []).append((start, end, term))
    for article_id, items in spans.items():
        # Longest first at equal start, then drop spans that overlap an earlier kept one.
        items.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept, last_end = [], -1
        for start, end, term in items:
            if start >= last_end and end > start:
                kept.append((start, end, term))
                last_end = end
        spans[article_id] = kept
    return spans


def article_terms(text: str, spans: list, tok: Tokenizer) -> Counter:
    """Term counts of one article: mention spans as canonical names, the rest tokenized."""
    # Each piece between mentions is cut on its own; their tokens are judged and counted
    # together (per piece, the overhead cost more than the work: pieces are short).
    tokens: list[str] = []
    names: list[str] = []
    pos = 0
    for start, end, term in spans:
        if start > pos:
            tokens += tok.cut(text[pos:start])
        names.append(term)
        pos = max(pos, end)
    if pos < len(text):
        tokens += tok.cut(text[pos:])
    counts = Counter(tok.kept_terms(tokens))
    counts.update(names)
    return counts


_SEP = "\x00"  # between the terms of one article (never inside a term)


# What every chunk of the terms stage reads (sent once to each worker): the tokenizer, and
# per article the spans of its names.
_TermsContext = tuple[Tokenizer, dict]


def _terms_key(context: _TermsContext, row: tuple[str, str]) -> str:
    """An article's terms depend on its text and the spans of its names."""
    article_id, text = row
    return key_of(text, context[1].get(str(article_id), []))


def _terms_chunk(
    context: _TermsContext, rows: list[tuple[str, str]]
) -> list[tuple[str, str, np.ndarray]]:
    """Per article: its id, its terms joined by _SEP, and their counts. One string and one
    array per article, not a tuple per term: at 100,000 articles the eight million little
    objects coming back from the workers took a gigabyte."""
    tok, spans = context
    out = []
    for article_id, text in rows:
        article_counts = article_terms(text or "", spans.get(str(article_id), []), tok)
        # Sorted for a deterministic table: most frequent first, then by term (by term, then
        # a stable sort by count: no Python key per term).
        pairs = sorted(article_counts.items())
        pairs.sort(key=itemgetter(1), reverse=True)
        terms = [t for t, _ in pairs]
        joined = _SEP.join(terms)
        if joined.count(_SEP) != max(len(terms) - 1, 0):  # a term holding the separator
            joined = _SEP.join(t.replace(_SEP, "") for t in terms)
        out.append(
            (article_id, joined, np.fromiter(map(itemgetter(1), pairs), np.int32, len(pairs)))
        )
    return out


def build_terms(
    articles: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    entities: pd.DataFrame | None = None,
    tok: Tokenizer | None = None,
    engine: Engine | None = None,
    cache: ResultCache | None = None,
) -> pd.DataFrame:
    tok = tok or tokenizer()
    if articles is None or articles.empty:
        return empty("terms")
    spans = spans_by_article(mentions, canonical_names(entities))
    rows = list(
        zip(articles["article_id"].tolist(), articles["text_simplified"].tolist(), strict=True)
    )
    cache = cache or ResultCache(None, "")
    per_article = cache.map(_terms_chunk, rows, _terms_key, engine, (tok, spans))
    # Integer codes, not a Python object per row: at 100,000 articles the table has eight
    # million rows, and lists of tuples took over a gigabyte.
    all_terms: list[str] = []
    counts: list[np.ndarray] = []
    lengths = np.zeros(len(rows), dtype=np.int64)
    for i, (_, joined, article_counts) in enumerate(per_article):
        names = joined.split(_SEP) if len(article_counts) else []
        lengths[i] = len(names)
        all_terms.extend(names)
        counts.append(article_counts)
        per_article[i] = None  # freed as soon as it is read
    del per_article
    # The id from this run: a cached result may be the same text under another id.
    article_ids = pd.Index([article_id for article_id, _ in rows], dtype=object)
    article_rows = np.repeat(np.arange(len(rows), dtype=np.int32), lengths)
    # Codes in order of first appearance (as a dict filled term by term gave them), hashed
    # in C: the terms go as one list, then the list is let go.
    codes, vocabulary = pd.factorize(np.array(all_terms, dtype=object), sort=False)
    codes = codes.astype(np.int32)
    del all_terms
    # Categorical columns: codes and one string per article and per term, not an object per
    # row (eight million at 100,000 articles); Parquet stores them dictionary-encoded anyway.
    return pd.DataFrame(
        {
            "article_id": _categorical(article_rows, article_ids),
            "term": _categorical(codes, pd.Index(vocabulary, dtype=object)),
            "count": np.concatenate(counts).astype(np.int64) if counts else np.zeros(0, np.int64),
        }
    )


def _categorical(codes: np.ndarray, values: pd.Index) -> pd.Categorical | np.ndarray:
    if values.is_unique:
        return pd.Categorical.from_codes(codes, categories=values)
    return values.to_numpy()[codes]  # an id twice (a frame given by hand): plain strings


def run(ctx) -> None:
    ctx.tables["terms"] = build_terms(
        ctx.tables.get("articles"),
        ctx.tables.get("mentions"),
        ctx.tables.get("entities"),
        engine=ctx.options.get("engine"),
        cache=ctx.caches.stage(
            "terms",
            version_of(
                "ingest/terms.py", "ingest/language.py", "stopwords_news.txt", "gazetteer.csv"
            ),
        ),
    )
    ctx.report.counts["terms"] = len(ctx.tables["terms"])
