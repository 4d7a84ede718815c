"""Entity queries: top entities, per outlet, over time, and the sentences of one entity."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .corpus import Corpus
from .filters import (
    Filters,
    article_positions,
    codes_of,
    column_at,
    derived,
    memo_get,
    memo_put,
    published_days,
    selected_mask,
    selection_rows,
    source_codes,
)
from .periods import period_for, period_starts

# ---------------------------------------------------------------- entities

ENTITY_TYPES = ("person", "country", "org", "place")


def _entity_frame(corpus: Corpus) -> pd.DataFrame:
    """entity_id -> name_zh, name_en, aliases (as text), type; falls back to mention surfaces."""
    entities = corpus.entities[["entity_id", "type", "name_zh", "name_en", "aliases"]].copy()
    entities["aliases"] = entities["aliases"].map(_aliases_text)
    return entities.drop_duplicates("entity_id")


def _aliases_text(value) -> str:
    if value is None or isinstance(value, float):
        return ""
    if isinstance(value, str):
        return value
    return "、".join(str(v) for v in list(value))


TOP_ENTITY_COLUMNS = ["entity_id", "name_zh", "name_en", "aliases", "type", "mentions", "articles"]


@dataclass(frozen=True)
class MentionIndex:
    """Integer codes over ``corpus.mentions``, built once per corpus: counting a selection is
    then ``np.bincount`` over a mask instead of a string groupby over a million rows."""

    entity: np.ndarray  # per mention: code into ``entity_ids``
    entity_ids: np.ndarray  # code -> entity_id
    has_entity: np.ndarray  # per mention: an entity id is given (a missing one counts nowhere)
    first_in_article: np.ndarray  # per mention: the first of its entity in its article
    # ... and of its entity with this type: an unverified name can carry several types, and
    # counting articles of one type must not depend on a mention of another type.
    first_of_type_in_article: np.ndarray
    source: np.ndarray  # per mention: code into ``sources`` (its article's outlet)
    sources: np.ndarray
    day: np.ndarray  # per mention: its article's day (datetime64[D], NaT when undated)


def mention_index(corpus: Corpus) -> MentionIndex:
    def build(mentions: pd.DataFrame, _articles: pd.DataFrame) -> MentionIndex:
        entity, entity_ids = codes_of(mentions["entity_id"], sort=True)
        type_codes, _ = codes_of(mentions["type"])
        positions = article_positions(corpus, "mentions")
        pairs = pd.DataFrame({"a": positions, "e": entity, "t": type_codes})
        source, sources = source_codes(corpus)
        days = published_days(corpus)
        inside = positions >= 0
        safe = np.clip(positions, 0, None)
        return MentionIndex(
            entity=entity.astype(np.int32),
            entity_ids=np.asarray(entity_ids, dtype=object),
            has_entity=mentions["entity_id"].notna().to_numpy(),
            first_in_article=~pairs.duplicated(["a", "e"]).to_numpy(),
            first_of_type_in_article=~pairs.duplicated().to_numpy(),
            source=np.where(inside, source[safe] if len(source) else -1, -1).astype(np.int32),
            sources=np.asarray(sources, dtype=object),
            day=np.where(
                inside, days[safe] if len(days) else np.datetime64("NaT"), np.datetime64("NaT")
            ),
        )

    return derived("entities.mention_index", build, corpus.mentions, corpus.articles)


# The selection's mentions, per corpus, filters and type: the page's three queries (the top,
# per outlet, over time) ask for the same mask on every rerun. One byte per mention (12 MB
# at a million articles), so only the last few are kept.
_KEEPS: dict[tuple, tuple] = {}
_KEEPS_KEPT = 4


def _mention_keep(corpus: Corpus, filters: Filters, entity_type: str | None) -> np.ndarray:
    """Boolean array over the mentions: those of the selection that name an entity (of
    ``entity_type`` when given)."""
    key = (id(corpus), filters, entity_type)
    keep = memo_get(_KEEPS, key, corpus)
    if keep is None:
        keep = _selected_mentions(corpus, filters, entity_type)
        keep.setflags(write=False)
        memo_put(_KEEPS, key, corpus, keep, limit=_KEEPS_KEPT)
    return keep


def _selected_mentions(corpus: Corpus, filters: Filters, entity_type: str | None) -> np.ndarray:
    keep = selection_rows(corpus, filters, "mentions") & mention_index(corpus).has_entity
    if entity_type:
        keep = keep & mentions_of_type(corpus, entity_type)
    return keep


def mentions_of_type(corpus: Corpus, entity_type: str) -> np.ndarray:
    """Boolean array over the mentions: those of ``entity_type``, once per corpus (built at
    ingestion for the four types: a million articles' first view of a type took a second)."""
    return derived(
        f"entities.mentions_of_type:{entity_type}",
        lambda m: (m["type"] == entity_type).to_numpy(dtype=bool, na_value=False),
        corpus.mentions,
    )


def top_entities(
    corpus: Corpus, filters: Filters, entity_type: str | None = None, n: int = 20
) -> pd.DataFrame:
    """The ``n`` most mentioned entities: TOP_ENTITY_COLUMNS, most mentions first."""
    keep = _mention_keep(corpus, filters, entity_type)
    if not keep.any():
        return pd.DataFrame({c: [] for c in TOP_ENTITY_COLUMNS})
    index = mention_index(corpus)
    size = len(index.entity_ids)
    first = index.first_of_type_in_article if entity_type else index.first_in_article
    mentions = np.bincount(index.entity[keep], minlength=size)
    articles = np.bincount(index.entity[keep & first], minlength=size)
    present = np.flatnonzero(mentions)
    counts = pd.DataFrame(
        {
            "entity_id": index.entity_ids[present],
            "mentions": mentions[present],
            "articles": articles[present],
        }
    )
    counts = counts.merge(_entity_frame(corpus), on="entity_id", how="left")
    unnamed = counts["name_zh"].isna()
    if unnamed.any():
        # An entity missing from the entities table still shows, under its commonest
        # surface in the selection (ties: the alphabetically first).
        codes = present[unnamed.to_numpy()]
        rows = corpus.mentions.loc[keep & np.isin(index.entity, codes), ["entity_id", "surface"]]
        surfaces = (
            rows.groupby(["entity_id", "surface"])
            .size()
            .reset_index(name="n")
            .sort_values(["entity_id", "n", "surface"], ascending=[True, False, True])
            .drop_duplicates("entity_id")
            .set_index("entity_id")["surface"]
        )
        counts["name_zh"] = counts["name_zh"].fillna(counts["entity_id"].map(surfaces))
    counts["name_en"] = counts["name_en"].fillna("")
    counts["aliases"] = counts["aliases"].fillna("")
    counts = counts.sort_values(
        ["mentions", "articles", "name_zh"], ascending=[False, False, True], kind="stable"
    )
    top = counts.head(max(int(n), 0)).reset_index(drop=True)
    # Not in the entities table: the type its first mention in the selection gives.
    for i in np.flatnonzero(top["type"].isna().to_numpy()):
        code = int(_codes_of(index, [top.at[i, "entity_id"]])[0])
        types = corpus.mentions["type"][keep & (index.entity == code)].dropna()
        top.at[i, "type"] = types.iloc[0] if len(types) else None
    return top[TOP_ENTITY_COLUMNS]


def _codes_of(index: MentionIndex, entity_ids: list[str]) -> np.ndarray:
    return np.flatnonzero(np.isin(index.entity_ids, list(entity_ids)))


def entity_counts_by_outlet(
    corpus: Corpus, filters: Filters, entity_ids: list[str]
) -> pd.DataFrame:
    """entity_id, source, mentions, articles, outlet_articles, share: per outlet, the mentions
    of each given entity, the outlet's articles that mention it, the outlet's articles in the
    selection, and the share of them that mention it (raw counts favour the biggest outlet;
    the share compares outlets fairly). Outlets of the selection without a mention get a row
    with zeros, so a heatmap shows them as "never", not as missing."""
    columns = ["entity_id", "source", "mentions", "articles", "outlet_articles", "share"]
    index = mention_index(corpus)
    selected = selected_mask(corpus, filters)
    source, sources = source_codes(corpus)
    per_outlet = np.bincount(source[selected], minlength=len(sources))
    present = np.flatnonzero(per_outlet)
    code_of = entity_codes(index)
    wanted = [e for e in entity_ids if e in code_of]
    if not wanted or not len(present):
        return pd.DataFrame({c: [] for c in columns})
    distinct = list(dict.fromkeys(wanted))
    rows, slot = _rows_of_entities(corpus, filters, [code_of[e] for e in distinct])
    outlet = index.source[rows]
    if outlet.min(initial=0) < 0:  # rows of an unknown outlet count nowhere
        known = outlet >= 0
        rows, slot, outlet = rows[known], slot[known], outlet[known]
    # index.sources and source_codes are the same sorted outlet names
    width = len(index.sources)
    key = slot.astype(np.int64) * width + outlet
    size = len(distinct) * width
    mentions = np.bincount(key, minlength=size)
    articles = np.bincount(key[index.first_in_article[rows]], minlength=size)
    number = {e: i for i, e in enumerate(distinct)}
    out = pd.DataFrame(
        [
            (
                entity,
                sources[s],
                int(mentions[number[entity] * width + s]),
                int(articles[number[entity] * width + s]),
                int(per_outlet[s]),
                int(articles[number[entity] * width + s]) / int(per_outlet[s]),
            )
            for entity in wanted
            for s in present.tolist()
        ],
        columns=columns,
    )
    return out.sort_values(["entity_id", "source"]).reset_index(drop=True)


def entity_codes(index: MentionIndex) -> dict[str, int]:
    """entity_id -> its code in the MentionIndex, once per index."""
    return derived(
        "entities.code_lookup",
        lambda ids: {e: int(c) for c, e in enumerate(ids) if isinstance(e, str)},
        index.entity_ids,
    )


def _rows_of_entities(
    corpus: Corpus, filters: Filters, codes: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """The selection's mentions of the entities with the MentionIndex ``codes``: their rows,
    and for each the number of its entity in ``codes``. One look at every mention, whatever
    the number of entities."""
    index = mention_index(corpus)
    slot = np.full(len(index.entity_ids), -1, dtype=np.int32)
    slot[codes] = np.arange(len(codes), dtype=np.int32)
    of_row = slot[index.entity]
    rows = np.flatnonzero(_mention_keep(corpus, filters, None) & (of_row >= 0))
    return rows, of_row[rows]


TREND_COLUMNS = ["published", "entity_id", "mentions", "articles", "period_articles", "share"]


def entity_trend(
    corpus: Corpus, filters: Filters, entity_ids: list[str], period: str | None = None
) -> tuple[pd.DataFrame, str]:
    """Mentions of the given entities per period (by article date) and the period ('D', 'W',
    'M'; by default by the selection's span, as on the overview).

    One row per period of the selection's dated span and entity (TREND_COLUMNS): mentions,
    articles that mention it, the selection's articles of that period, and share = articles /
    period_articles. A period without any selected article has period_articles 0 and a share
    of NaN: a gap in the coverage, not a zero."""
    index = mention_index(corpus)
    days = published_days(corpus)
    selected = selected_mask(corpus, filters) & ~np.isnat(days)
    if not selected.any() or not entity_ids:
        return pd.DataFrame({c: [] for c in TREND_COLUMNS}), period or "D"
    period = period or period_for(days[selected].min(), days[selected].max())
    starts = period_starts(days[selected], period)
    bins = _period_range(starts.min(), starts.max(), period)
    bin_of = np.searchsorted(bins, starts)
    period_articles = np.bincount(bin_of, minlength=len(bins))
    code_of = entity_codes(index)
    distinct = [e for e in dict.fromkeys(entity_ids) if e in code_of]
    rows, slot = _rows_of_entities(corpus, filters, [code_of[e] for e in distinct])
    day = index.day[rows]
    dated = ~np.isnat(day)
    rows, slot, day = rows[dated], slot[dated], day[dated]
    # Each day of the span to its period once, then every mention by its day's offset (the
    # selected mentions' days lie within the selected articles' span, from bins[0] on).
    span = np.arange(bins[0], days[selected].max() + np.timedelta64(1, "D"))
    bin_of_day = np.searchsorted(bins, period_starts(span, period))
    bin_of = bin_of_day[(day - bins[0]).astype(np.int64)]
    key = slot.astype(np.int64) * len(bins) + bin_of
    size = len(distinct) * len(bins)
    mentions = np.bincount(key, minlength=size).reshape(len(distinct), len(bins))
    first = index.first_in_article[rows]
    articles = np.bincount(key[first], minlength=size).reshape(len(distinct), len(bins))
    number = {e: i for i, e in enumerate(distinct)}
    nothing = np.zeros(len(bins), dtype=np.int64)
    frames = []
    for entity in entity_ids:
        found = number.get(entity)
        in_articles = nothing if found is None else articles[found]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(
                period_articles > 0, in_articles / np.maximum(period_articles, 1), np.nan
            )
        frames.append(
            pd.DataFrame(
                {
                    "published": bins.astype(object),
                    "entity_id": entity,
                    "mentions": nothing if found is None else mentions[found],
                    "articles": in_articles,
                    "period_articles": period_articles,
                    "share": share,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[TREND_COLUMNS], period


def _period_range(first: np.datetime64, last: np.datetime64, period: str) -> np.ndarray:
    """Every period start from ``first`` to ``last`` (both period starts) as datetime64[D]."""
    if period == "M":
        months = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 1)
        return months.astype("datetime64[D]")
    step = 7 if period == "W" else 1
    return np.arange(first, last + np.timedelta64(1, "D"), np.timedelta64(step, "D"))


SENTENCE_COLUMNS = [
    "article_id",
    "published",
    "source",
    "site",
    "title",
    "sentence",
    "mentions",
    "spans",
]


def entity_sentences(corpus: Corpus, filters: Filters, entity_id: str) -> pd.DataFrame:
    """The sentences that mention one entity, newest first, one row per sentence (an entity
    named three times in a sentence is one row with ``mentions`` 3): article_id, published,
    source, site, title, sentence, mentions, spans (the mentions' (start, end) offsets in
    the article and surfaces, to mark exactly those characters: 俄 named alone, not 俄 inside
    俄罗斯; see ``sentence_marks``)."""
    index = mention_index(corpus)
    keep = selection_rows(corpus, filters, "mentions") & np.isin(
        index.entity, _codes_of(index, [entity_id])
    )
    rows = np.flatnonzero(keep)
    if not len(rows):
        return pd.DataFrame({c: [] for c in SENTENCE_COLUMNS})
    m = corpus.mentions
    positions = article_positions(corpus, "mentions")[rows]
    sentences = column_at(m, "sentence", rows)
    sentence_code, _ = pd.factorize(sentences)
    key = positions.astype(np.int64) * (int(sentence_code.max()) + 1) + sentence_code
    order = np.argsort(key, kind="stable")
    _, first, group_sizes = np.unique(key[order], return_index=True, return_counts=True)
    starts = m["start"].to_numpy()[rows][order].tolist()
    ends = m["end"].to_numpy()[rows][order].tolist()
    surfaces = column_at(m, "surface", rows)[order].tolist()
    spans = [
        tuple(zip(starts[a : a + n], ends[a : a + n], surfaces[a : a + n], strict=True))
        for a, n in zip(first.tolist(), group_sizes.tolist(), strict=True)
    ]
    head = order[first]  # one mention row per sentence
    articles = corpus.meta if corpus.meta is not None else corpus.articles
    at = positions[head]
    out = pd.DataFrame(
        {
            "article_id": column_at(articles, "article_id", at),
            "published": column_at(articles, "published", at),
            "source": column_at(articles, "source", at),
            "site": column_at(articles, "site", at),
            "title": column_at(articles, "title", at),
            "sentence": sentences[head],
            "mentions": group_sizes,
            "spans": spans,
            "_pos": at,
            "_start": [s[0][0] for s in spans],
        }
    )
    return newest_sentences_first(out)


def newest_sentences_first(out: pd.DataFrame) -> pd.DataFrame:
    """Sentence rows (with ``_pos``: the article's position, ``_start``: the first mark's
    offset) newest day first, undated last, then by outlet, article and place in the text;
    the ``SENTENCE_COLUMNS``."""
    out["_day"] = pd.to_datetime(out["published"])
    out = out.sort_values(
        ["_day", "source", "_pos", "_start"],
        ascending=[False, True, True, True],
        na_position="last",
        kind="stable",
    )
    return out[SENTENCE_COLUMNS].reset_index(drop=True)


def sentence_marks(sentence: str, spans, context=()) -> list[tuple[int, int]]:
    """Where in ``sentence`` the mentions ``spans`` ((start, end, surface) offsets in the
    article) are. The sentence's own offset in the article is the one at which every span's
    surface, and every other mention of the sentence (``context``, same form), reads true;
    so a mention of 俄 is marked where it was found, never inside 俄罗斯. Spans whose place
    cannot be told are marked at their surface's first free occurrence."""
    sentence = str(sentence or "")
    spans = sorted((int(a), int(b), str(s)) for a, b, s in spans if s)
    if not spans:
        return []
    every = spans + [(int(a), int(b), str(s)) for a, b, s in context if s]
    first_start, _, first_surface = spans[0]
    at = sentence.find(first_surface)
    while at >= 0:
        base = first_start - at
        if all(sentence[a - base : b - base] == s for a, b, s in every):
            return [(a - base, b - base) for a, b, _ in spans]
        at = sentence.find(first_surface, at + 1)
    marks: list[tuple[int, int]] = []
    for _, _, surface in spans:  # offsets do not fit (a cleaned sentence): by surface
        at = sentence.find(surface)
        while at >= 0 and any(a < at + len(surface) and at < b for a, b in marks):
            at = sentence.find(surface, at + 1)
        if at >= 0:
            marks.append((at, at + len(surface)))
    return sorted(marks)


def marks_of_rows(corpus: Corpus, rows: pd.DataFrame) -> list[list[tuple[int, int]]]:
    """``sentence_marks`` for rows of ``entity_sentences`` (a page of them), with every
    other mention of each sentence as context."""
    positions = article_positions(corpus, "mentions")
    order, bounds = derived(
        "entities.mentions_by_article",
        lambda m, a: _rows_by_article(positions, len(a)),
        corpus.mentions,
        corpus.articles,
    )
    ids = derived("entities.article_ids", lambda a: pd.Index(a["article_id"]), corpus.articles)
    found = ids.get_indexer(rows["article_id"].tolist()) if len(rows) else []
    m = corpus.mentions
    marks = []
    for at, row in zip(found, rows.to_dict("records"), strict=True):
        own = order[bounds[at] : bounds[at + 1]] if at >= 0 else order[:0]
        same = m.iloc[own]
        same = same[same["sentence"] == row["sentence"]]
        context = zip(same["start"], same["end"], same["surface"], strict=True)
        marks.append(sentence_marks(row["sentence"], row["spans"], list(context)))
    return marks


def _rows_by_article(positions: np.ndarray, n_articles: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(positions, kind="stable")
    return order, np.searchsorted(positions[order], np.arange(n_articles + 1))


def entity_names(corpus: Corpus, entity_ids: list[str]) -> dict[str, str]:
    """entity_id -> Chinese name (else the id). Pages show ``Labels.entity`` instead."""
    names = dict(zip(corpus.entities["entity_id"], corpus.entities["name_zh"], strict=True))
    return {e: names.get(e) or e for e in entity_ids}
