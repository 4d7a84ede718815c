"""The reports behind the timeline: every report of one story, and the events of the
selection that have no date (pure query functions, no Streamlit).

Dates keep how precisely they are known (``date`` to ``date_end``, ``date_precision``,
``approximate``) and the words they were read from (``time_expr``): a page shows them with
``Labels.date`` so a month is never drawn as a day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .filters import derived, rows_in
from .labels import Labels
from .timeline import _labels, _place_label, _to_date, story_ids_of

REPORT_COLUMNS = [
    "published",
    "source",
    "source_zh",
    "site",
    "outlet",
    "evidence",
    "date",
    "date_end",
    "date_precision",
    "approximate",
    "time_expr",
    "kind",
    "article_id",
    "title",
]
UNDATED_COLUMNS = [
    "story_id",
    "lane",
    "from_country",
    "to_country",
    "kind",
    "lead_name",
    "place_name",
    "time_expr",
    "evidence",
    "article_id",
    "published",
    "outlet",
    "title",
]
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


def _with_articles(ev: pd.DataFrame, articles: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """Event rows with their article's outlet (its display name: an unknown outlet names its
    site), publication date and title; dates as dates; a story id for every row."""
    ev = ev.drop(columns=["source", "source_zh", "published", "site"], errors="ignore")
    meta_cols = [
        c
        for c in ("article_id", "source", "source_zh", "published", "title", "site")
        if c in articles
    ]
    ev = ev.merge(_own_articles(ev, articles, meta_cols), on="article_id", how="left")
    for column in ("source", "source_zh", "published", "title", "site"):
        if column not in ev:
            ev[column] = None
    ev["outlet"] = [
        labels.outlet(s, site) if isinstance(s, str) else ""
        for s, site in zip(ev["source"], ev["site"], strict=True)
    ]
    ev["date"] = _to_date(ev["date"])
    end = ev["date_end"] if "date_end" in ev else ev["date"]
    ev["date_end"] = _to_date(end).where(lambda s: s.notna(), ev["date"])
    if "approximate" not in ev:
        ev["approximate"] = False
    ev["approximate"] = ev["approximate"].fillna(False).astype(bool)
    ev["story_id"] = story_ids_of(ev)
    return ev


def _own_articles(ev: pd.DataFrame, articles: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``columns`` of the articles ``ev``'s rows come from, one row per article id. Only the
    events' own articles: deduplicating every selected article cost more than the rest at
    100,000 articles."""
    if "article_pos" in ev and "article_pos" in articles:
        mine = articles["article_pos"].isin(ev["article_pos"].unique()).to_numpy()
    else:
        mine = articles["article_id"].isin(ev["article_id"].unique()).to_numpy()
    return articles.loc[mine, columns].drop_duplicates("article_id")


def _lanes(ev: pd.DataFrame, labels: Labels) -> list[str]:
    """Each row's direction as the page names it; a direction named once, not once per row."""
    route_of: dict = {}
    return [
        route_of[key] if key in route_of else route_of.setdefault(key, labels.route(*key))
        for key in zip(ev["from_country"], ev["to_country"], strict=True)
    ]


def _joined(values: pd.Series, sep: str) -> str:
    return sep.join(dict.fromkeys(x for x in values if isinstance(x, str) and x))


def story_reports(
    events: pd.DataFrame, articles: pd.DataFrame, story_id: str, labels: Labels | None = None
) -> pd.DataFrame:
    """Every report of one story (one row per article, oldest first): outlet (``outlet``: its
    display name), publication date, the evidence sentences, the event date as the report
    gives it (its most precise one: ``date`` to ``date_end``, ``date_precision``,
    ``approximate``) and the words it was read from (``time_expr``)."""
    labels = _labels(labels)
    story = events["story_id"] if "story_id" in events else events["event_id"]
    ev = events[rows_in(events, articles) & (story == story_id).to_numpy()]
    ev = _with_articles(ev, articles, labels)
    ev = ev[ev["date"].notna()]
    if ev.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in REPORT_COLUMNS})
    for c in REPORT_COLUMNS:
        if c not in ev:
            ev[c] = None
    # A report's date is its most precise one (a day before a month), then its earliest.
    ev["_rank"] = ev["date_precision"].map(_PRECISION_RANK).fillna(3)
    ev["_rank"] += ev["approximate"].astype(int) * 0.5
    ev = ev.sort_values(["published", "source", "_rank", "date"], kind="stable", na_position="last")
    grouped = ev.groupby("article_id", sort=False)
    first = grouped.first()
    out = pd.DataFrame(
        {
            **{c: first[c] for c in REPORT_COLUMNS if c not in ("article_id", "evidence")},
            # One article telling the event in two sentences: one report with both.
            "evidence": grouped["evidence"].agg(lambda s: "\n".join(dict.fromkeys(s))),
            "time_expr": grouped["time_expr"].agg(lambda s: _joined(s, " / ")),
        }
    ).reset_index()
    # The date fields belong together: those of the report's most precise row.
    best = ev.sort_values("_rank", kind="stable").groupby("article_id", sort=False).first()
    for column in ("date", "date_end", "date_precision", "approximate"):
        out[column] = out["article_id"].map(best[column])
    return out[REPORT_COLUMNS].reset_index(drop=True)


def _undated_rows(
    events: pd.DataFrame,
    articles: pd.DataFrame,
    kinds: Iterable[str] | None,
    pair: str | None,
) -> pd.DataFrame:
    """The event rows of the selection that have no date (``kinds`` and ``pair`` as in
    timeline_frame)."""
    no_date = derived(
        "timeline.undated_rows",
        lambda e: pd.to_datetime(e["date"], errors="coerce").isna().to_numpy(),
        events,
    )
    keep = rows_in(events, articles) & no_date
    if kinds:
        keep &= events["kind"].isin(list(kinds)).to_numpy()
    if pair:
        a, _, b = pair.partition("-")
        frm, to = events["from_country"], events["to_country"]
        keep &= (((frm == a) & (to == b)) | ((frm == b) & (to == a))).to_numpy()
    return events[keep]


def undated_counts(
    events: pd.DataFrame,
    articles: pd.DataFrame,
    kinds: Iterable[str] | None = None,
    pair: str | None = None,
) -> tuple[int, int]:
    """Stories and reports (articles) among the selection's events without a date: the
    counts of ``undated_events``'s rows, without building them."""
    ev = _undated_rows(events, articles, kinds, pair)
    return int(story_ids_of(ev).nunique()), int(ev["article_id"].nunique())


def _first_stories(
    ev: pd.DataFrame, articles: pd.DataFrame, labels: Labels, limit: int
) -> np.ndarray:
    """Positions in ``ev`` of the rows of the first ``limit`` (story, article) rows of
    ``undated_events``, in ``ev``'s order: its sort on keys found cheaply (the direction's
    name, the story, the article's publication date joined as there), the costly columns
    then made for those rows only."""
    if "published" in articles:
        own = _own_articles(ev, articles, ["article_id", "published"])
        published = ev["article_id"].map(own.set_index("article_id")["published"])
        published = published.to_numpy(dtype=object)
    else:
        published = np.full(len(ev), None, dtype=object)
    keys = pd.DataFrame(
        {
            "lane": np.array(_lanes(ev, labels), dtype=object),
            "story_id": story_ids_of(ev).to_numpy(dtype=object),
            "published": published,
            "article_id": ev["article_id"].to_numpy(dtype=object),
        }
    )
    order = keys.sort_values(
        ["lane", "story_id", "published"], kind="stable", na_position="last"
    ).index.to_numpy()
    group = pd.factorize(
        pd.MultiIndex.from_arrays(
            [keys["story_id"].to_numpy()[order], keys["article_id"].to_numpy()[order]]
        )
    )[0]
    return np.sort(order[group < limit])


def undated_events(
    events: pd.DataFrame,
    articles: pd.DataFrame,
    kinds: Iterable[str] | None = None,
    pair: str | None = None,
    labels: Labels | None = None,
    places: Mapping[str, str] | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The events of the selection that have no date (on no time axis): one row per story and
    article, with its direction, kind, lead, place, evidence, outlet and publication date
    (UNDATED_COLUMNS), by direction then story. ``kinds`` and ``pair`` as in timeline_frame;
    ``limit``: only the first rows (the same as the whole list's first rows)."""
    labels = _labels(labels)
    ev = _undated_rows(events, articles, kinds, pair)
    if limit is not None and not ev.empty:
        ev = ev.iloc[_first_stories(ev, articles, labels, limit)]
    if ev.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in UNDATED_COLUMNS})
    ev = _with_articles(ev, articles, labels)
    ev["lane"] = _lanes(ev, labels)
    ev["lead_name"] = [labels.entity(x) if isinstance(x, str) and x else None for x in ev["lead"]]
    ev["place_name"] = [_place_label(x, places or {}) for x in ev["place"]]
    ev = ev.sort_values(["lane", "story_id", "published"], kind="stable", na_position="last")
    grouped = ev.groupby(["story_id", "article_id"], sort=False)
    out = grouped.first()
    out["evidence"] = grouped["evidence"].agg(lambda s: "\n".join(dict.fromkeys(s)))
    out["time_expr"] = grouped["time_expr"].agg(lambda s: _joined(s, " / "))
    out = out.reset_index()
    out = out[UNDATED_COLUMNS].reset_index(drop=True)
    return out if limit is None else out.head(limit)
