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

from .corpus import Corpus, article_positions_of
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


def codes_of(values: pd.Series, sort: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the values they stand for (missing values are a value too, None).
    A categorical column gives its own codes without touching its strings."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int64)
        uniques = np.asarray(values.cat.categories, dtype=object)
        if (codes < 0).any():
            codes = np.where(codes < 0, len(uniques), codes)
            uniques = np.append(uniques, None)
        if sort:
            order = sorted(range(len(uniques)), key=lambda i: (uniques[i] is None, uniques[i]))
            rank = np.empty(len(uniques), dtype=np.int64)
            rank[order] = np.arange(len(uniques))
            codes, uniques = rank[codes], uniques[order]
        return codes, uniques
    codes, uniques = pd.factorize(values.astype(object), sort=sort, use_na_sentinel=False)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


_DERIVED: dict[tuple, tuple[list[weakref.ref], object]] = {}


def derived(name: str, build, *frames: pd.DataFrame):
    """``build(*frames)``, computed once per set of frame objects: the per-corpus work
    (joins, pairings) that no filter changes. Corpus frames are read-only and live as long
    as their corpus; a weak reference per frame makes sure a recycled id never matches."""
    key = (name, *map(id, frames))
    hit = _DERIVED.get(key)
    if hit is not None and all(ref() is f for ref, f in zip(hit[0], frames, strict=True)):
        return hit[1]
    value = build(*frames)
    # Entries of frames that are gone (an earlier ingestion run) go first.
    for old_key, (refs, _) in list(_DERIVED.items()):
        if any(ref() is None for ref in refs):
            del _DERIVED[old_key]
    if len(_DERIVED) > 64:
        _DERIVED.clear()
    _DERIVED[key] = ([weakref.ref(f) for f in frames], value)
    return value


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
        days = published_days(corpus)
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


def published_days(corpus: Corpus) -> np.ndarray:
    """Publication day of every article as datetime64[D] (NaT when unknown), once per corpus."""
    return derived(
        "queries.published_days",
        lambda a: pd.to_datetime(a["published"]).to_numpy(dtype="datetime64[D]"),
        corpus.articles,
    )


def source_codes(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """Every article's outlet as a code into the sorted outlet names, once per corpus."""
    return derived(
        "queries.source_codes", lambda a: codes_of(a["source"], sort=True), corpus.articles
    )


def article_positions(corpus: Corpus, table: str) -> np.ndarray:
    """For each row of ``corpus.<table>`` (mentions, events, terms), the position of its
    article in ``corpus.articles`` (-1 when unknown); computed once per corpus run."""
    frame = getattr(corpus, table)
    if "article_pos" in frame:  # added by corpus.prepare
        return frame["article_pos"].to_numpy()
    # A table put in after prepare (tests replace one): looked up the same way.
    return article_positions_of(frame["article_id"], corpus.articles["article_id"])


def selection_rows(corpus: Corpus, filters: Filters, table: str) -> np.ndarray:
    """Boolean array over ``corpus.<table>``: rows of the selected articles."""
    positions = article_positions(corpus, table)
    mask = selected_mask(corpus, filters)
    if not len(mask):
        return np.zeros(len(positions), dtype=bool)
    return (positions >= 0) & mask[np.clip(positions, 0, None)]


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


def rows_in(frame: pd.DataFrame, articles: pd.DataFrame) -> np.ndarray:
    """Boolean array over ``frame``: rows whose article is one of ``articles``.

    Frames of one corpus carry ``article_pos`` (see corpus.prepare) and the lookup is an
    array index; other frames fall back to matching ``article_id`` strings."""
    if "article_pos" in frame and "article_pos" in articles:
        rows = frame["article_pos"].to_numpy()
        chosen = articles["article_pos"].to_numpy()
        size = int(max(rows.max(initial=-1), chosen.max(initial=-1))) + 1
        present = np.zeros(size, dtype=bool)
        present[chosen] = True
        return (rows >= 0) & present[np.clip(rows, 0, None)]
    return isin_mask(frame["article_id"], articles["article_id"])


def filter_articles(corpus: Corpus, filters: Filters, with_text: bool = False) -> pd.DataFrame:
    """The articles the filters keep (see ``selected_mask``), without their full text unless
    ``with_text`` (see ``Corpus.meta``)."""
    mask = selected_mask(corpus, filters)
    if not with_text:
        return (corpus.meta if corpus.meta is not None else corpus.articles)[mask]
    if "text" in corpus.articles:
        return corpus.articles[mask]
    return pd.concat([corpus.articles[mask], corpus.texts()[mask]], axis=1)


def text_contains(corpus: Corpus, filters: Filters, query: str) -> np.ndarray:
    """Boolean array over ``corpus.articles``: selected articles whose Simplified text or
    title contains ``query`` (already Simplified). Arrow scans the text without copying it."""
    mask = selected_mask(corpus, filters).copy()
    if not query or not mask.any():
        return mask & False
    text = _arrow_strings(corpus.texts()["text_simplified"])
    titles = derived(
        "queries.titles_simplified", lambda a: a["title"].map(to_simplified), corpus.articles
    )  # once per corpus, not on every search
    title = _arrow_strings(titles)
    hit = pc.or_(
        pc.match_substring(text, query).fill_null(False),
        pc.match_substring(title, query).fill_null(False),
    )
    return mask & hit.to_numpy(zero_copy_only=False)


def outlet_counts(corpus: Corpus) -> pd.DataFrame:
    """Every outlet with its article count in the whole corpus: source, source_zh, articles
    (counted once per corpus: the sidebar asks on every rerun)."""
    return derived("queries.outlet_counts", _outlet_counts, corpus.articles)


def _outlet_counts(articles: pd.DataFrame) -> pd.DataFrame:
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
    mentions = selection_rows(corpus, filters, "mentions")
    events = selection_rows(corpus, filters, "events")
    dates = articles["published"].dropna()
    index = mention_index(corpus)
    entity_codes = index.entity[mentions & index.has_entity]
    story_codes = event_index(corpus).story[events]
    return {
        "articles": len(articles),
        "outlets": articles["source"].nunique(),
        "date_min": dates.min() if len(dates) else None,
        "date_max": dates.max() if len(dates) else None,
        "entities": int(np.count_nonzero(np.bincount(entity_codes))) if len(entity_codes) else 0,
        "mentions": int(mentions.sum()),
        # one visit told by five reports is one event
        "events": int(np.count_nonzero(np.bincount(story_codes))) if len(story_codes) else 0,
        "event_reports": int(events.sum()),
    }


# Bars per period: a day each up to three months, else a week (Monday) up to two years, else a
# month. Twenty thousand daily bars (ten outlets over six years) took the browser seconds.
# The timeline's bucketed marks use the same weeks and months (timeline.bucket_period).
PERIOD_DAYS = {"D": 92, "W": 730}


def period_for(first: np.datetime64, last: np.datetime64) -> str:
    """'D', 'W' or 'M': the bar period for a selection spanning ``first`` to ``last``."""
    span = int((last - first) // np.timedelta64(1, "D"))
    return next((p for p, limit in PERIOD_DAYS.items() if span <= limit), "M")


def period_starts(days: np.ndarray, period: str) -> np.ndarray:
    """The first day of the day, week (from Monday) or month each datetime64[D] day is in."""
    if period == "M":
        return days.astype("datetime64[M]").astype("datetime64[D]")
    if period == "W":  # 1970-01-05 was a Monday
        monday = np.datetime64("1970-01-05")
        return monday + (days - monday) // np.timedelta64(7, "D") * np.timedelta64(7, "D")
    return days


def articles_per_day(corpus: Corpus, filters: Filters) -> pd.DataFrame:
    """published, source, source_zh, articles: one row per day and outlet with articles."""
    return articles_per_period(corpus, filters, "D")[0]


def articles_per_period(
    corpus: Corpus, filters: Filters, period: str | None = None
) -> tuple[pd.DataFrame, str]:
    """Articles per publication period and outlet, and the period ('D', 'W', 'M'; by default
    chosen by ``period_for`` from the selection's span). Columns: published (the period's
    first day), source, source_zh, articles; one row per period and outlet with articles."""
    days = published_days(corpus)
    rows = np.flatnonzero(selected_mask(corpus, filters) & ~np.isnat(days))
    if not len(rows):
        empty = pd.DataFrame({"published": [], "source": [], "source_zh": [], "articles": []})
        return empty, period or "D"
    period = period or period_for(days[rows].min(), days[rows].max())
    # Counted on integer codes: (period, outlet, Chinese outlet name) as one number each.
    source, sources = source_codes(corpus)
    source_zh, sources_zh = derived(
        "queries.source_zh_codes", lambda a: codes_of(a["source_zh"]), corpus.articles
    )
    day = period_starts(days[rows], period).astype(np.int64)
    first_day = int(day.min())
    key = ((day - first_day) * len(sources) + source[rows]) * len(sources_zh) + source_zh[rows]
    keys, counts = np.unique(key, return_counts=True)  # sorted: by period, then outlet name
    day_of, rest = np.divmod(keys, len(sources) * len(sources_zh))
    source_of, source_zh_of = np.divmod(rest, len(sources_zh))
    frame = pd.DataFrame(
        {
            "published": (day_of + first_day).astype("datetime64[D]").astype(object),
            "source": sources[source_of],
            "source_zh": sources_zh[source_zh_of],
            "articles": counts,
        }
    )
    return frame, period


def list_articles(corpus: Corpus, filters: Filters, search: str = "") -> pd.DataFrame:
    """The selected articles, newest first, optionally only those containing ``search``.

    The search runs on the Simplified text, so a Traditional query finds Simplified
    articles and the other way round.
    """
    query = to_simplified(search.strip()) if search else ""
    if query:
        meta = corpus.meta if corpus.meta is not None else corpus.articles
        articles = meta[text_contains(corpus, filters, query)]
    else:
        articles = filter_articles(corpus, filters)
    columns = ["article_id", "published", "source", "source_zh", "title", "dup_of", "script"]
    return articles.sort_values(
        ["published", "source", "index"], ascending=[False, True, True], na_position="last"
    )[columns].reset_index(drop=True)


def _article_lookup(corpus: Corpus) -> pd.Series:
    """article_id -> position of its first row in ``corpus.articles`` (ids are unique after
    ingestion; the first wins if a hand-made table repeats one)."""

    def build(articles: pd.DataFrame) -> pd.Series:
        ids = articles["article_id"].astype(object)
        positions = pd.Series(np.arange(len(ids)), index=pd.Index(ids))
        return positions[~ids.duplicated().to_numpy()]

    return derived("queries.article_lookup", build, corpus.articles)


def article_positions_for(corpus: Corpus, article_ids) -> np.ndarray:
    """Positions in ``corpus.articles`` of the given ids (-1 for unknown ones)."""
    lookup = _article_lookup(corpus)
    found = lookup.index.get_indexer(list(article_ids))
    return np.where(found >= 0, lookup.to_numpy()[found], -1)


def has_article(corpus: Corpus, article_id) -> bool:
    return isinstance(article_id, str) and article_id in _article_lookup(corpus).index


def article_by_id(corpus: Corpus, article_id: str) -> dict | None:
    position = int(article_positions_for(corpus, [article_id])[0])
    if position < 0:
        return None
    row = corpus.articles.iloc[position].to_dict()
    if "text" not in row:
        row.update(corpus.texts().iloc[position].to_dict())
    return row


def _mention_rows_by_article(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """Mention rows ordered by article, and where each article's rows start in that order."""

    def build(mentions: pd.DataFrame, articles: pd.DataFrame):
        positions = article_positions(corpus, "mentions")
        order = np.argsort(positions, kind="stable")
        bounds = np.searchsorted(positions[order], np.arange(len(articles) + 1))
        return order, bounds

    return derived("queries.mentions_by_article", build, corpus.mentions, corpus.articles)


def article_mentions(corpus: Corpus, article_id: str) -> pd.DataFrame:
    """Mentions inside one article with valid offsets, in text order, overlaps removed."""
    position = int(article_positions_for(corpus, [article_id])[0])
    if position < 0:
        rows = np.zeros(0, dtype=np.int64)
    else:
        order, bounds = _mention_rows_by_article(corpus)
        rows = order[bounds[position] : bounds[position + 1]]
    mentions = corpus.mentions.iloc[rows]
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

    return derived("queries.mention_index", build, corpus.mentions, corpus.articles)


def _mention_keep(corpus: Corpus, filters: Filters, entity_type: str | None) -> np.ndarray:
    keep = selection_rows(corpus, filters, "mentions") & mention_index(corpus).has_entity
    if entity_type:
        is_type = derived(
            f"queries.mentions_of_type:{entity_type}",
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


@dataclass(frozen=True)
class EventIndex:
    """Integer codes over ``corpus.events``, built once per corpus (see MentionIndex)."""

    story: np.ndarray  # per event row: code of its story
    first_of_story_in_article: np.ndarray  # the first row of its story in its article
    when: np.ndarray  # per row: event date, else article date (datetime64[D])


def event_index(corpus: Corpus) -> EventIndex:
    def build(events: pd.DataFrame) -> EventIndex:
        story, _ = pd.factorize(_story_keys(events))
        pairs = pd.DataFrame({"a": events["article_id"].astype(object), "s": story})
        when = pd.to_datetime(events["date"], errors="coerce")
        if "article_published" in events:
            when = when.fillna(pd.to_datetime(events["article_published"], errors="coerce"))
        return EventIndex(
            story=story.astype(np.int64),
            first_of_story_in_article=~pairs.duplicated().to_numpy(),
            when=when.to_numpy(dtype="datetime64[D]"),
        )

    return derived("queries.event_index", build, corpus.events)


def latest_events(corpus: Corpus, filters: Filters, n: int = 10) -> pd.DataFrame:
    """The ``n`` most recent events (by event date, else article date) in the selected
    articles, one row per story: the newest report's sentence, and how many reports tell it."""
    keep = selection_rows(corpus, filters, "events")
    if not keep.any():
        return pd.DataFrame({c: [] for c in EVENT_LIST_COLUMNS})
    index = event_index(corpus)
    reports = np.bincount(index.story[keep & index.first_of_story_in_article])
    rows = np.flatnonzero(keep)
    days = index.when[rows]
    # Newest first, undated last; ties keep table order (a stable sort on the negated day).
    key = np.where(np.isnat(days), np.iinfo(np.int64).max, -days.astype(np.int64))
    ordered = rows[np.argsort(key, kind="stable")]
    _, first = np.unique(index.story[ordered], return_index=True)
    chosen = ordered[np.sort(first)[:n]]
    events = corpus.events.iloc[chosen].copy()
    if "article_published" in events:
        events["date"] = events["date"].where(events["date"].notna(), events["article_published"])
    events["reports"] = reports[index.story[chosen]]
    return events[EVENT_LIST_COLUMNS].reset_index(drop=True)


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
