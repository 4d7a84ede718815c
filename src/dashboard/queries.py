"""Pure query functions behind every chart: ``(corpus, filters, ...) -> DataFrame``.

No Streamlit here. Every function returns a frame with fixed columns, also when the
selection is empty, so pages and figure functions never special-case missing columns.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .corpus import Corpus
from .textnorm import to_simplified


@dataclass(frozen=True)
class Filters:
    """The shared sidebar selection. ``sources`` empty means every outlet."""

    date_from: date | None = None
    date_to: date | None = None
    sources: tuple[str, ...] = ()
    once: bool = False


# ---------------------------------------------------------------- articles


# Every page asks for the same selection several times per rerun (and again on the next
# rerun for the same link): the boolean mask over the articles is memoised per corpus run and
# filters. Corpus frames are read-only, so sharing the results is safe.
# Keyed by id(corpus); the entry keeps a weak reference so a new corpus that happens to get
# a dead one's id never sees its arrays.
_MASKS: dict[tuple, tuple[weakref.ref, np.ndarray]] = {}
_POSITIONS: dict[tuple, tuple[weakref.ref, np.ndarray]] = {}


def _memo_get(cache: dict, key: tuple, corpus: Corpus) -> np.ndarray | None:
    hit = cache.get(key)
    return hit[1] if hit is not None and hit[0]() is corpus else None


def _memo_put(cache: dict, key: tuple, corpus: Corpus, value: np.ndarray) -> None:
    if len(cache) > 64:
        cache.clear()
    cache[key] = (weakref.ref(corpus), value)


def selected_mask(corpus: Corpus, filters: Filters) -> np.ndarray:
    """Boolean array over ``corpus.articles``: the articles the filters keep. Undated
    articles are kept only without a date bound."""
    key = (id(corpus), filters)
    mask = _memo_get(_MASKS, key, corpus)
    if mask is not None:
        return mask
    articles = corpus.articles
    keep = np.ones(len(articles), dtype=bool)
    if filters.date_from is not None or filters.date_to is not None:
        # Days since the epoch: one vectorised comparison instead of a Python call per row.
        days = pd.to_datetime(articles["published"]).to_numpy(dtype="datetime64[D]")
        dated = ~np.isnat(days)
        keep &= dated
        if filters.date_from is not None:
            keep &= dated & (days >= np.datetime64(filters.date_from, "D"))
        if filters.date_to is not None:
            keep &= dated & (days <= np.datetime64(filters.date_to, "D"))
    if filters.sources:
        keep &= articles["source"].isin(filters.sources).to_numpy()
    if filters.once:
        keep &= articles["dup_of"].isna().to_numpy()
    _memo_put(_MASKS, key, corpus, keep)
    return keep


def article_positions(corpus: Corpus, table: str) -> np.ndarray:
    """For each row of ``corpus.<table>`` (mentions, events, terms), the position of its
    article in ``corpus.articles`` (-1 when unknown); computed once per corpus run."""
    key = (id(corpus), table)
    positions = _memo_get(_POSITIONS, key, corpus)
    if positions is None:
        index = pd.Index(corpus.articles["article_id"])
        positions = index.get_indexer(getattr(corpus, table)["article_id"])
        _memo_put(_POSITIONS, key, corpus, positions)
    return positions


def rows_of_selection(corpus: Corpus, filters: Filters, table: str) -> pd.DataFrame:
    """The rows of ``corpus.<table>`` that belong to the selected articles."""
    frame = getattr(corpus, table)
    positions = article_positions(corpus, table)
    mask = selected_mask(corpus, filters)
    keep = (positions >= 0) & mask[np.clip(positions, 0, None)] if len(mask) else positions < -1
    return frame[keep]


def _arrow_strings(values) -> pa.Array:
    if isinstance(values, pd.Series | pd.Index):
        return pa.array(values, type=pa.string(), from_pandas=True)
    return pa.array(list(values), type=pa.string(), from_pandas=True)


def isin_mask(values: pd.Series, allowed) -> np.ndarray:
    """``values.isin(allowed)`` for string ids, as a numpy mask, through Arrow's hash lookup:
    on a million ids it takes milliseconds where pandas takes a second."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    found = pc.is_in(_arrow_strings(values), value_set=_arrow_strings(allowed))
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def filter_articles(corpus: Corpus, filters: Filters) -> pd.DataFrame:
    """The articles the filters keep (see ``selected_mask``)."""
    return corpus.articles[selected_mask(corpus, filters)]


def outlet_counts(corpus: Corpus) -> pd.DataFrame:
    """Every outlet with its article count in the whole corpus: source, source_zh, articles."""
    articles = corpus.articles
    if articles.empty:
        return pd.DataFrame({"source": [], "source_zh": [], "articles": []})
    counts = (
        articles.groupby(["source", "source_zh"], dropna=False)
        .size()
        .reset_index(name="articles")
        .sort_values(["articles", "source"], ascending=[False, True], kind="stable")
        .drop_duplicates("source")
    )
    return counts.reset_index(drop=True)


def overview_stats(corpus: Corpus, filters: Filters) -> dict:
    """Headline numbers of the selection."""
    articles = filter_articles(corpus, filters)
    mentions = rows_of_selection(corpus, filters, "mentions")
    events = rows_of_selection(corpus, filters, "events")
    dates = articles["published"].dropna()
    stories = _story_keys(events)
    return {
        "articles": len(articles),
        "outlets": articles["source"].nunique(),
        "date_min": dates.min() if len(dates) else None,
        "date_max": dates.max() if len(dates) else None,
        "entities": mentions["entity_id"].nunique(),
        "mentions": len(mentions),
        "events": stories.nunique(),  # one visit told by five reports is one event
        "event_reports": len(events),
    }


def articles_per_day(corpus: Corpus, filters: Filters) -> pd.DataFrame:
    """published, source, source_zh, articles: one row per day and outlet with articles."""
    articles = filter_articles(corpus, filters)
    articles = articles[articles["published"].notna()]
    if articles.empty:
        return pd.DataFrame({"published": [], "source": [], "source_zh": [], "articles": []})
    return (
        articles.groupby(["published", "source", "source_zh"])
        .size()
        .reset_index(name="articles")
        .sort_values(["published", "source"])
        .reset_index(drop=True)
    )


def list_articles(corpus: Corpus, filters: Filters, search: str = "") -> pd.DataFrame:
    """The selected articles, newest first, optionally only those containing ``search``.

    The search runs on the Simplified text, so a Traditional query finds Simplified
    articles and the other way round.
    """
    articles = filter_articles(corpus, filters)
    query = to_simplified(search.strip()) if search else ""
    if query:
        title_simplified = articles["title"].map(to_simplified)
        hit = articles["text_simplified"].str.contains(
            query, regex=False
        ) | title_simplified.str.contains(query, regex=False)
        articles = articles[hit]
    columns = ["article_id", "published", "source", "source_zh", "title", "dup_of", "script"]
    return articles.sort_values(
        ["published", "source", "index"], ascending=[False, True, True], na_position="last"
    )[columns].reset_index(drop=True)


def article_by_id(corpus: Corpus, article_id: str) -> dict | None:
    rows = corpus.articles[corpus.articles["article_id"] == article_id]
    return None if rows.empty else rows.iloc[0].to_dict()


def article_mentions(corpus: Corpus, article_id: str) -> pd.DataFrame:
    """Mentions inside one article with valid offsets, in text order, overlaps removed."""
    mentions = corpus.mentions[corpus.mentions["article_id"] == article_id]
    mentions = mentions[(mentions["start"] >= 0) & (mentions["end"] > mentions["start"])]
    mentions = mentions.sort_values(["start", "end"], ascending=[True, False])
    keep, last_end = [], -1
    for start, end in zip(mentions["start"], mentions["end"], strict=True):
        keep.append(start >= last_end)
        if start >= last_end:
            last_end = end
    return mentions[keep][["entity_id", "surface", "type", "start", "end"]].reset_index(drop=True)


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


def _selected_mentions(
    corpus: Corpus, filters: Filters, entity_type: str | None = None
) -> pd.DataFrame:
    mentions = rows_of_selection(corpus, filters, "mentions")
    if entity_type:
        mentions = mentions[mentions["type"] == entity_type]
    return mentions


TOP_ENTITY_COLUMNS = ["entity_id", "name_zh", "name_en", "aliases", "type", "mentions", "articles"]


def top_entities(
    corpus: Corpus, filters: Filters, entity_type: str | None = None, n: int = 20
) -> pd.DataFrame:
    """The ``n`` most mentioned entities: TOP_ENTITY_COLUMNS, most mentions first."""
    mentions = _selected_mentions(corpus, filters, entity_type)
    if mentions.empty:
        return pd.DataFrame({c: [] for c in TOP_ENTITY_COLUMNS})
    counts = (
        mentions.groupby("entity_id")
        .agg(
            mentions=("article_id", "size"),
            articles=("article_id", "nunique"),
            mention_type=("type", "first"),
        )
        .reset_index()
    )
    # The commonest surface of each entity (ties: the alphabetically first), without a
    # Python call per entity.
    surfaces = (
        mentions.groupby(["entity_id", "surface"])
        .size()
        .reset_index(name="n")
        .sort_values(["entity_id", "n", "surface"], ascending=[True, False, True], kind="stable")
        .drop_duplicates("entity_id")
    )
    counts = counts.merge(surfaces[["entity_id", "surface"]], on="entity_id", how="left")
    counts = counts.merge(_entity_frame(corpus), on="entity_id", how="left")
    # An entity missing from the entities table still shows, under its commonest surface.
    counts["name_zh"] = counts["name_zh"].fillna(counts["surface"])
    counts["name_en"] = counts["name_en"].fillna("")
    counts["aliases"] = counts["aliases"].fillna("")
    counts["type"] = counts["type"].fillna(counts["mention_type"])
    counts = counts.sort_values(
        ["mentions", "articles", "name_zh"], ascending=[False, False, True], kind="stable"
    )
    return counts.head(max(int(n), 0))[TOP_ENTITY_COLUMNS].reset_index(drop=True)


def entity_counts_by_outlet(
    corpus: Corpus, filters: Filters, entity_ids: list[str]
) -> pd.DataFrame:
    """entity_id, source, mentions: mentions of the given entities per outlet."""
    mentions = _selected_mentions(corpus, filters)
    mentions = mentions[mentions["entity_id"].isin(entity_ids)]
    if mentions.empty:
        return pd.DataFrame({"entity_id": [], "source": [], "mentions": []})
    return (
        mentions.groupby(["entity_id", "source"])
        .size()
        .reset_index(name="mentions")
        .sort_values(["entity_id", "source"])
    ).reset_index(drop=True)


def entity_trend(corpus: Corpus, filters: Filters, entity_ids: list[str]) -> pd.DataFrame:
    """published, entity_id, mentions: mentions per day (article date) of the given entities."""
    mentions = _selected_mentions(corpus, filters)
    mentions = mentions[mentions["entity_id"].isin(entity_ids) & mentions["published"].notna()]
    if mentions.empty:
        return pd.DataFrame({"published": [], "entity_id": [], "mentions": []})
    return (
        mentions.groupby(["published", "entity_id"])
        .size()
        .reset_index(name="mentions")
        .sort_values(["published", "entity_id"])
    ).reset_index(drop=True)


def entity_sentences(corpus: Corpus, filters: Filters, entity_id: str) -> pd.DataFrame:
    """The sentences that mention one entity: article_id, published, source, title, surface, sentence."""
    mentions = _selected_mentions(corpus, filters)
    mentions = mentions[mentions["entity_id"] == entity_id]
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


# ---------------------------------------------------------------- events

EVENT_LIST_COLUMNS = [
    "date",
    "kind",
    "from_country",
    "to_country",
    "place",
    "evidence",
    "source",
    "article_id",
    "reports",
]


def _story_keys(events: pd.DataFrame) -> pd.Series:
    """The story each event row belongs to (several reports of one visit share it); rows
    without a story are their own."""
    own = (
        events["event_id"] if "event_id" in events else pd.Series(events.index, index=events.index)
    )
    if "story_id" not in events:
        return own.astype(str)
    return events["story_id"].where(events["story_id"].notna(), own).astype(str)


def latest_events(corpus: Corpus, filters: Filters, n: int = 10) -> pd.DataFrame:
    """The ``n`` most recent events (by event date, else article date) in the selected
    articles, one row per story: the newest report's sentence, and how many reports tell it."""
    events = rows_of_selection(corpus, filters, "events").copy()
    if events.empty:
        return pd.DataFrame({c: [] for c in EVENT_LIST_COLUMNS})
    events["date"] = events["date"].where(events["date"].notna(), events["article_published"])
    events["story"] = _story_keys(events)
    events["reports"] = events.groupby("story")["article_id"].transform("nunique")
    events = events.sort_values("date", ascending=False, na_position="last", kind="stable")
    events = events.drop_duplicates("story")
    return events.head(n)[EVENT_LIST_COLUMNS].reset_index(drop=True)


def event_rows(events: pd.DataFrame, lang: str, source_label=str) -> pd.DataFrame:
    """Events as display rows: date, kind (translated), route, evidence, source."""
    from .i18n import t

    def route(row) -> str:
        parts = [str(row[c]) for c in ("from_country", "to_country") if _present(row[c])]
        text = " → ".join(parts)
        return f"{text} ({row['place']})" if _present(row.get("place")) else text

    return pd.DataFrame(
        {
            "date": [d.isoformat() if d is not None else "" for d in events["date"]],
            "kind": [t(f"kind.{k}", lang) for k in events["kind"]],
            "route": [route(r) for r in events.to_dict("records")],
            "evidence": events["evidence"].fillna("").tolist(),
            "source": [source_label(s) if isinstance(s, str) else "" for s in events["source"]],
            "reports": events["reports"].tolist() if "reports" in events else [1] * len(events),
        }
    )


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes with a BOM so spreadsheet programs read the Chinese correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""
