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
    derived,
    published_days,
    selection_rows,
    source_codes,
)

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


def _mention_keep(corpus: Corpus, filters: Filters, entity_type: str | None) -> np.ndarray:
    keep = selection_rows(corpus, filters, "mentions") & mention_index(corpus).has_entity
    if entity_type:
        is_type = derived(
            f"entities.mentions_of_type:{entity_type}",
            lambda m: (m["type"] == entity_type).to_numpy(dtype=bool, na_value=False),
            corpus.mentions,
        )
        keep = keep & is_type
    return keep


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
    """entity_id, source, mentions: mentions of the given entities per outlet."""
    index = mention_index(corpus)
    keep = _mention_keep(corpus, filters, None) & np.isin(
        index.entity, _codes_of(index, entity_ids)
    )
    keep &= index.source >= 0
    if not keep.any():
        return pd.DataFrame({"entity_id": [], "source": [], "mentions": []})
    width = len(index.sources)
    combined = index.entity[keep].astype(np.int64) * width + index.source[keep]
    keys, counts = np.unique(combined, return_counts=True)
    out = pd.DataFrame(
        {
            "entity_id": index.entity_ids[keys // width],
            "source": index.sources[keys % width],
            "mentions": counts,
        }
    )
    return out.sort_values(["entity_id", "source"]).reset_index(drop=True)


def entity_trend(corpus: Corpus, filters: Filters, entity_ids: list[str]) -> pd.DataFrame:
    """published, entity_id, mentions: mentions per day (article date) of the given entities."""
    index = mention_index(corpus)
    keep = _mention_keep(corpus, filters, None) & np.isin(
        index.entity, _codes_of(index, entity_ids)
    )
    keep &= ~np.isnat(index.day)
    if not keep.any():
        return pd.DataFrame({"published": [], "entity_id": [], "mentions": []})
    days = index.day[keep].astype(np.int64)
    first = days.min()
    span = int(days.max() - first) + 1
    combined = index.entity[keep].astype(np.int64) * span + (days - first)
    keys, counts = np.unique(combined, return_counts=True)
    out = pd.DataFrame(
        {
            "published": (first + keys % span).astype("datetime64[D]").astype(object),
            "entity_id": index.entity_ids[keys // span],
            "mentions": counts,
        }
    )
    return out.sort_values(["published", "entity_id"]).reset_index(drop=True)


def entity_sentences(corpus: Corpus, filters: Filters, entity_id: str) -> pd.DataFrame:
    """The sentences that mention one entity: article_id, published, source, title, surface, sentence."""
    keep = selection_rows(corpus, filters, "mentions")
    keep &= (corpus.mentions["entity_id"] == entity_id).to_numpy(dtype=bool, na_value=False)
    mentions = corpus.mentions[keep]
    columns = ["article_id", "published", "source", "title", "surface", "sentence"]
    if mentions.empty:
        return pd.DataFrame({c: [] for c in columns})
    titles = corpus.articles[["article_id", "title"]]
    rows = mentions.merge(titles, on="article_id", how="left")
    rows = rows.drop_duplicates(["article_id", "sentence", "surface"])
    return rows.sort_values(["published", "source"], ascending=[False, True], na_position="last")[
        columns
    ].reset_index(drop=True)


def entity_names(corpus: Corpus, entity_ids: list[str]) -> dict[str, str]:
    """entity_id -> display name (Chinese name, else the id)."""
    names = dict(zip(corpus.entities["entity_id"], corpus.entities["name_zh"], strict=True))
    return {e: names.get(e) or e for e in entity_ids}
