"""Overview queries: headline numbers, articles per period and outlet, latest events."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .corpus import Corpus
from .entities import mention_index
from .filters import (
    Filters,
    article_positions,
    codes_of,
    column_at,
    derived,
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
    selected = selected_mask(corpus, filters)
    mentions = selection_rows(corpus, filters, "mentions")
    events = selection_rows(corpus, filters, "events")
    days = published_days(corpus)[selected]
    days = days[~np.isnat(days)]
    source, names = source_codes(corpus)
    per_outlet = np.bincount(source[selected], minlength=len(names))
    index = mention_index(corpus)
    entity_codes = index.entity[mentions & index.has_entity]
    story_codes = event_index(corpus).story[events]
    return {
        "articles": int(np.count_nonzero(selected)),
        "outlets": int(np.count_nonzero(per_outlet[~pd.isna(names)])),
        "date_min": days.min().item() if len(days) else None,
        "date_max": days.max().item() if len(days) else None,
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
    keys, counts = _key_counts(key)  # sorted: by period, then outlet name
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


def _key_counts(key: np.ndarray, most: int = 1 << 22) -> tuple[np.ndarray, np.ndarray]:
    """The distinct non-negative integers of ``key``, ascending, and how often each occurs
    (np.unique's): by a bincount when they are below ``most``, with no sort."""
    if len(key) and int(key.max()) < most:
        counts = np.bincount(key)
        keys = np.flatnonzero(counts)
        return keys, counts[keys]
    return np.unique(key, return_counts=True)


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
    rows = np.flatnonzero(keep)
    newest = _newest_first(index.when[rows])
    # The first n stories of the rows newest first: found among the newest rows, taking more
    # of them until n stories are there (a story of many reports fills several places).
    wanted = max(int(n), 0) * 8
    while True:
        ordered = rows[newest(wanted)]
        _, first = np.unique(index.story[ordered], return_index=True)
        if len(first) >= n or len(ordered) == len(rows):
            break
        wanted *= 4
    chosen = ordered[np.sort(first)[:n]]
    stories = index.story[chosen]
    of_chosen = np.zeros(int(index.story.max(initial=-1)) + 1, dtype=bool)
    of_chosen[stories] = True
    told = keep & of_chosen[index.story]
    reports = np.bincount(index.story[told & index.first_of_story_in_article])
    their_rows = np.flatnonzero(told)
    their_rows = their_rows[_newest_first(index.when[their_rows])(len(their_rows))]
    events = corpus.events.iloc[chosen].copy()
    for column, default in (("date_end", None), ("approximate", False), ("story_id", None)):
        if column not in events:
            events[column] = default
    events["dated"] = events["date"].notna().to_numpy()
    if "article_published" in events:
        events["date"] = events["date"].where(events["date"].notna(), events["article_published"])
    events["reports"] = reports[index.story[chosen]]
    events["story_key"] = _story_keys(events).to_numpy()  # of the chosen rows only
    events["outlets"] = _story_outlets(corpus, their_rows, stories)
    return events[EVENT_LIST_COLUMNS].reset_index(drop=True)


def _newest_first(days: np.ndarray):
    """A function k -> the positions (into ``days``, rows in table order) of the k first
    rows newest first (undated last, ties in table order), in that order: a partition of
    the k first, then a sort of those k only."""
    n = len(days)
    undated = np.iinfo(np.int64).max // (2 * (n + 1))
    day = np.where(np.isnat(days), undated, -days.astype(np.int64))
    # Unique keys (day, then place in the table), so the k first are the same as a stable
    # sort's whatever the partition does with ties.
    key = day * (n + 1) + np.arange(n)

    def first(k: int) -> np.ndarray:
        if k < len(key):
            part = np.argpartition(key, k)[:k]
            return part[np.argsort(key[part])]
        return np.argsort(key)

    return first


def _story_outlets(corpus: Corpus, rows: np.ndarray, stories: np.ndarray) -> list[tuple]:
    """Per chosen story, its reports' outlets as (source, site) pairs, newest report first
    (``rows``: the event rows of those stories, newest first)."""
    index = event_index(corpus)
    positions = article_positions(corpus, "events")[rows] if len(rows) else rows
    articles = corpus.meta if corpus.meta is not None else corpus.articles
    known = positions[positions >= 0]
    sources = dict(zip(known.tolist(), column_at(articles, "source", known).tolist(), strict=True))
    sites = dict(zip(known.tolist(), column_at(articles, "site", known).tolist(), strict=True))
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
