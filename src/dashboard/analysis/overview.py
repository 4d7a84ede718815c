"""Overview queries: headline numbers, articles per period and outlet, latest events."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .corpus import Corpus
from .entities import mention_index
from .filters import (
    Filters,
    codes_of,
    derived,
    filter_articles,
    published_days,
    selected_mask,
    selection_rows,
    source_codes,
)
from .periods import period_for, period_starts


def outlet_counts(corpus: Corpus) -> pd.DataFrame:
    """Every outlet with its article count in the whole corpus: source, source_zh, articles
    (counted once per corpus: the sidebar asks on every rerun)."""
    return derived("overview.outlet_counts", _outlet_counts, corpus.articles)


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
        "overview.source_zh_codes", lambda a: codes_of(a["source_zh"]), corpus.articles
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


# ---------------------------------------------------------------- events

EVENT_LIST_COLUMNS = [
    "date",
    "date_end",
    "date_precision",
    "approximate",
    "dated",
    "kind",
    "from_country",
    "to_country",
    "place",
    "time_expr",
    "evidence",
    "source",
    "article_id",
    "reports",
    "outlets",
    "story_key",
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

    return derived("overview.event_index", build, corpus.events)


def latest_events(corpus: Corpus, filters: Filters, n: int = 10) -> pd.DataFrame:
    """The ``n`` most recent events (by event date, else article date) in the selected
    articles, one row per story: the newest report's sentence, how many reports tell it, and
    every outlet among them (``outlets``: (source, site) pairs, most recent report first).
    ``dated`` is False when the event has no date of its own and ``date`` is the article's."""
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
    for column, default in (("date_end", None), ("approximate", False), ("story_id", None)):
        if column not in events:
            events[column] = default
    events["dated"] = events["date"].notna().to_numpy()
    if "article_published" in events:
        events["date"] = events["date"].where(events["date"].notna(), events["article_published"])
    events["reports"] = reports[index.story[chosen]]
    events["story_key"] = _story_keys(corpus.events).to_numpy()[chosen]
    events["outlets"] = _story_outlets(corpus, ordered, index.story[chosen])
    return events[EVENT_LIST_COLUMNS].reset_index(drop=True)


def _story_outlets(corpus: Corpus, ordered: np.ndarray, stories: np.ndarray) -> list[tuple]:
    """Per chosen story, its reports' outlets as (source, site) pairs, newest report first."""
    index = event_index(corpus)
    of_chosen = np.isin(index.story[ordered], stories)
    rows = ordered[of_chosen]
    positions = corpus.events["article_pos"].to_numpy()[rows] if len(rows) else rows
    articles = corpus.meta if corpus.meta is not None else corpus.articles
    sources = articles["source"].to_numpy(dtype=object)
    sites = (
        articles["site"].to_numpy(dtype=object)
        if "site" in articles
        else np.full(len(articles), None, dtype=object)
    )
    found: dict[int, dict] = {int(s): {} for s in stories}
    for story, pos in zip(index.story[rows].tolist(), positions.tolist(), strict=True):
        if pos < 0:
            continue
        site = sites[pos] if isinstance(sites[pos], str) else None
        source = sources[pos] if isinstance(sources[pos], str) else "unknown"
        pair = (source, site if source == "unknown" else None)
        found[story].setdefault(pair, None)
    return [tuple(found[int(s)]) for s in stories]


def event_rows(events: pd.DataFrame, labels) -> pd.DataFrame:
    """Events as display rows (``labels``: analysis.labels.Labels): date with its precision
    (or the publication date, said as such), kind, route with country names, the phrase the
    date was read from, evidence, every outlet, reports."""
    t = labels.t

    def route(row) -> str:
        parts = [labels.country(row[c]) for c in ("from_country", "to_country") if _present(row[c])]
        text = " → ".join(parts)
        return f"{text} ({labels.place(row['place'])})" if _present(row.get("place")) else text

    def when(row) -> str:
        if not row.get("dated", True):
            return t("overview.published_on", date=labels.date(row["date"]))
        return labels.date(
            row["date"],
            row.get("date_precision"),
            bool(row.get("approximate")) if _present(row.get("approximate")) else False,
            row.get("date_end"),
        )

    sep = "、" if labels.lang == "zh" else ", "
    records = events.to_dict("records")
    return pd.DataFrame(
        {
            "date": [when(r) for r in records],
            "kind": [t(f"kind.{r['kind']}") for r in records],
            "route": [route(r) for r in records],
            "time_expr": [r["time_expr"] if _present(r.get("time_expr")) else "" for r in records],
            "evidence": [r["evidence"] if _present(r.get("evidence")) else "" for r in records],
            "outlets": [
                sep.join(labels.outlet(s, site) for s, site in (r.get("outlets") or ()))
                or labels.outlet(r.get("source"))
                for r in records
            ],
            "reports": [int(r.get("reports") or 1) for r in records],
        }
    )


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""
