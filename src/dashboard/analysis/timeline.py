"""The visit timeline: pure query and figure functions (no Streamlit).

``timeline_frame`` turns the ``events`` table into one row per story (the ``story_id`` of the
events stage: the same visit told by several reports), ``timeline_figure`` draws it (time
across, one lane per direction of travel such as 俄→朝, marker symbol by kind, size by number
of reports, summits as large stars, month-only or vague dates as a span), and
``story_reports`` lists the reports of one story for the page's selection.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..common.arrays import unique_sorted
from .filters import codes_of, derived, rows_in
from .grouping import is_text, joined_per_group, mode_per_group

# Chinese abbreviations used for directions of travel (俄→朝); others fall back to the
# entity's Chinese name, then to the ISO code.
COUNTRY_SHORT_ZH = {
    "CHN": "中",
    "PRK": "朝",
    "RUS": "俄",
    "KOR": "韩",
    "JPN": "日",
    "USA": "美",
    "UKR": "乌",
    "VNM": "越",
    "LAO": "老",
    "MNG": "蒙",
    "GBR": "英",
    "FRA": "法",
    "DEU": "德",
    "IND": "印",
    "IRN": "伊朗",
    "BLR": "白俄",
    "SYR": "叙",
    "CUB": "古",
}
KINDS = ["summit", "signing", "meeting", "visit", "departure"]
# Which kind names a story that mixes several: the most telling one.
KIND_PRIORITY = {k: i for i, k in enumerate(KINDS)}
MILESTONES = {"summit", "signing"}
MAX_LANES = 24  # more directions than this: the rest share one "other" lane
OTHER_LANE = "__other__"

FRAME_COLUMNS = [
    "story_id",
    "lane",
    "from_country",
    "to_country",
    "kind",
    "kinds",
    "start",
    "end",
    "precision",
    "approximate",
    "reports",
    "outlets",
    "lead",
    "lead_name",
    "place",
    "time_expr",
    "milestone",
]
REPORT_COLUMNS = [
    "published",
    "source",
    "source_zh",
    "evidence",
    "date",
    "time_expr",
    "kind",
    "article_id",
    "title",
]


def country_short(iso: str | None, lang: str = "zh", names: dict[str, str] | None = None) -> str:
    if not isinstance(iso, str) or not iso:
        return "?"
    if lang == "zh":
        return COUNTRY_SHORT_ZH.get(iso) or (names or {}).get(iso) or iso
    return iso


def lane_label(frm: str | None, to: str | None, lang: str = "zh", names=None) -> str:
    return f"{country_short(frm, lang, names)}→{country_short(to, lang, names)}"


def _to_date(series: pd.Series) -> pd.Series:
    converted = pd.to_datetime(series, errors="coerce")
    return converted.dt.date.astype("object").where(converted.notna(), None)


def _events_in(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Events of the given (already filtered) articles, with outlet and publication date."""
    ev = events[rows_in(events, articles)].copy()
    ev = ev.drop(columns=["source", "source_zh", "published"], errors="ignore")
    meta_cols = [
        c for c in ("article_id", "source", "source_zh", "published", "title") if c in articles
    ]
    ev = ev.merge(articles[meta_cols], on="article_id", how="left")
    ev["date"] = _to_date(ev["date"])
    end = ev["date_end"] if "date_end" in ev else ev["date"]
    ev["date_end"] = _to_date(end).where(lambda s: s.notna(), ev["date"])
    if "approximate" not in ev:
        ev["approximate"] = False
    ev["approximate"] = ev["approximate"].fillna(False).astype(bool)
    if "story_id" not in ev:
        ev["story_id"] = ev["event_id"]
    ev["story_id"] = ev["story_id"].where(ev["story_id"].notna(), ev["event_id"])
    return ev[ev["date"].notna()]


def pair_options(events: pd.DataFrame) -> list[str]:
    """Country pairs present in the events, as 'AAA-BBB' (sorted codes), most frequent first
    (worked out once per events table)."""
    if events.empty:
        return []
    return derived("timeline.pair_options", _pair_options, events)


def _pair_options(events: pd.DataFrame) -> list[str]:
    routes = events.groupby(["from_country", "to_country"], dropna=True).size()
    pairs = Counter()
    for (a, b), n in routes.items():
        if isinstance(a, str) and isinstance(b, str):
            pairs["-".join(sorted((a, b)))] += int(n)
    return [p for p, _ in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))]


@dataclass(frozen=True)
class _EventCodes:
    """The event table as integer codes, built once per table (see ``timeline_frame``)."""

    dated: np.ndarray  # rows with an event date
    story: np.ndarray
    story_ids: np.ndarray  # sorted: a story's code is its place among them
    exact: np.ndarray  # a day, not approximate
    day: np.ndarray  # days since the epoch
    day_end: np.ndarray
    precision: np.ndarray
    approximate: np.ndarray
    kind_rank: np.ndarray  # code into kind_names, which are in priority order
    kind_names: np.ndarray
    from_code: np.ndarray
    from_names: np.ndarray
    to_code: np.ndarray
    to_names: np.ndarray
    lead: np.ndarray
    leads: np.ndarray
    lead_valid: np.ndarray
    place: np.ndarray
    places: np.ndarray
    place_valid: np.ndarray
    time_expr: np.ndarray
    time_exprs: np.ndarray
    time_expr_valid: np.ndarray
    article: np.ndarray
    # Dated rows that are the first dated row of their (story, article): one per report.
    first_report: np.ndarray
    source: np.ndarray | None  # None when the events do not carry their outlet
    source_names: np.ndarray | None


def _event_codes(events: pd.DataFrame) -> _EventCodes:
    def days(values: pd.Series) -> np.ndarray:
        return pd.to_datetime(values, errors="coerce").to_numpy(dtype="datetime64[D]")

    day = days(events["date"])
    day_end = days(events["date_end"]) if "date_end" in events else day
    day_end = np.where(np.isnat(day_end), day, day_end)
    approximate = (
        events["approximate"].fillna(False).astype(bool).to_numpy()
        if "approximate" in events
        else np.zeros(len(events), dtype=bool)
    )
    story_ids = events["story_id"] if "story_id" in events else events["event_id"]
    story_ids = story_ids.where(story_ids.notna(), events["event_id"])
    # Codes in the order of the ids, so the frame's tie-break on story_id is a code order.
    story, story_names = codes_of(story_ids, sort=True)
    precision = events["date_precision"].to_numpy(dtype=object)
    kind_code, kinds_seen = codes_of(events["kind"])
    kind_names = np.array(
        sorted(kinds_seen, key=lambda k: (KIND_PRIORITY.get(k, 99), str(k))), dtype=object
    )
    rank_of = {k: i for i, k in enumerate(kind_names)}
    from_code, from_names = codes_of(events["from_country"])
    to_code, to_names = codes_of(events["to_country"])
    lead, leads = codes_of(events["lead"])
    place, places = codes_of(events["place"])
    time_expr, time_exprs = codes_of(events["time_expr"])
    source, source_names = codes_of(events["source"]) if "source" in events else (None, None)
    article = pd.factorize(events["article_id"].astype(object))[0]
    dated = ~np.isnat(day)
    dated_rows = np.flatnonzero(dated)
    repeated = pd.DataFrame(
        {"story": story[dated_rows], "article": article[dated_rows]}
    ).duplicated()
    first_report = np.zeros(len(events), dtype=bool)
    first_report[dated_rows[~repeated.to_numpy()]] = True
    return _EventCodes(
        dated=dated,
        story=story,
        story_ids=story_names,
        exact=(precision == "day") & ~approximate,
        day=day.astype(np.int64),
        day_end=day_end.astype(np.int64),
        precision=precision,
        approximate=approximate,
        kind_rank=np.array([rank_of[k] for k in kinds_seen], dtype=np.int64)[kind_code],
        kind_names=kind_names,
        from_code=from_code,
        from_names=from_names,
        to_code=to_code,
        to_names=to_names,
        lead=lead,
        leads=leads,
        lead_valid=is_text(events["lead"]),
        place=place,
        places=places,
        place_valid=is_text(events["place"]),
        time_expr=time_expr,
        time_exprs=time_exprs,
        time_expr_valid=is_text(events["time_expr"]),
        article=article,
        first_report=first_report,
        source=source,
        source_names=source_names,
    )


_DETAIL_COLUMNS = ["kinds", "outlets", "lead", "lead_name", "place", "time_expr"]


def _story_details(
    codes: _EventCodes,
    rows: np.ndarray,
    story: np.ndarray,
    n: int,
    events: pd.DataFrame,
    articles: pd.DataFrame,
    lang: str,
    names: dict[str, str],
    label: Callable[[str], str],
) -> dict[str, np.ndarray]:
    """The columns of ``timeline_frame`` that join or vote over a story's reports."""
    position = np.arange(len(rows))
    # Kinds in priority order: rows ordered by rank list a story's kinds in that order.
    kind_rank = codes.kind_rank[rows]
    by_rank = np.lexsort((position, kind_rank))
    every = np.ones(len(rows), dtype=bool)
    kinds_joined = joined_per_group(
        story[by_rank], kind_rank[by_rank], codes.kind_names, every, n, ", ", "first"
    )
    lead = mode_per_group(story, codes.lead[rows], codes.lead_valid[rows], n)
    place = mode_per_group(story, codes.place[rows], codes.place_valid[rows], n)
    if codes.source is not None:
        source_names = codes.source_names
        source_code = codes.source[rows]
    else:  # events without their outlet: look it up in the articles
        by_id = articles.drop_duplicates("article_id").set_index("article_id")["source"]
        source_code, source_names = codes_of(events["article_id"].iloc[rows].map(by_id))
    is_source = np.array([isinstance(x, str) for x in source_names], dtype=bool)
    labels = np.array([label(x) if isinstance(x, str) else "" for x in source_names], dtype=object)
    # Two outlets under one display name are listed once.
    label_code, labels = pd.factorize(labels)
    source_code = label_code[source_code]
    is_source = np.array([any(is_source[label_code == c]) for c in range(len(labels))], dtype=bool)
    sep = "、" if lang == "zh" else ", "
    none = np.array([None], dtype=object)
    lead_names = np.array([names.get(x, x) if x else None for x in codes.leads], dtype=object)
    return {
        "kinds": kinds_joined,
        "outlets": joined_per_group(
            story, source_code, labels, is_source[source_code], n, sep, "name"
        ),
        "lead": np.concatenate([codes.leads, none])[lead],  # -1 (no lead) is the None
        "lead_name": np.concatenate([lead_names, none])[lead],
        "place": np.concatenate([codes.places, none])[place],
        "time_expr": joined_per_group(
            story,
            codes.time_expr[rows],
            codes.time_exprs,
            codes.time_expr_valid[rows],
            n,
            " / ",
            "first",
        ),
    }


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in FRAME_COLUMNS})


def timeline_frame(
    events: pd.DataFrame,
    articles: pd.DataFrame,
    kinds: Iterable[str] | None = None,
    pair: str | None = None,
    lang: str = "zh",
    entity_names: dict[str, str] | None = None,
    source_label: Callable[[str], str] | None = None,
    stories: Iterable[str] | None = None,
    details: bool = True,
) -> pd.DataFrame:
    """One row per story of the selected articles (see FRAME_COLUMNS), sorted by date.

    ``articles`` are the articles the shared filters keep; ``kinds`` keeps events of those
    kinds; ``pair`` ('PRK-RUS', either direction) keeps one country pair. ``start``/``end``
    are the exact days the reports give (first to last), or, when no report gives an exact
    day, the narrowest window they give (``precision`` month/year, maybe ``approximate``).
    The direction, lead and place are the commonest among the reports (exact-day reports
    decide the direction when there are any); ties go to the report listed first.

    ``stories`` keeps only those story ids: their rows are the same as in the whole frame.
    With ``details=False`` the columns that join or vote over a story's reports (kinds,
    outlets, lead, lead_name, place, time_expr) are left None: enough to count and plot
    tens of thousands of stories, whose shown rows are then built with ``stories``.
    """
    if events.empty or articles.empty:
        return _empty_frame()
    # Integer codes of the whole table, once per table; a Python loop per story took
    # seconds at 100,000 articles.
    codes = derived("timeline.event_codes", _event_codes, events)
    keep = rows_in(events, articles) & codes.dated
    if kinds:
        wanted = set(kinds)
        keep &= np.array([k in wanted for k in codes.kind_names], dtype=bool)[codes.kind_rank]
    if pair:
        a, _, b = pair.partition("-")

        def is_(names: np.ndarray, row_codes: np.ndarray, code: str) -> np.ndarray:
            return np.array([x == code for x in names], dtype=bool)[row_codes]

        from_a, to_b = (
            is_(codes.from_names, codes.from_code, a),
            is_(codes.to_names, codes.to_code, b),
        )
        from_b, to_a = (
            is_(codes.from_names, codes.from_code, b),
            is_(codes.to_names, codes.to_code, a),
        )
        keep &= (from_a & to_b) | (from_b & to_a)
    if stories is not None:  # found by binary search in the sorted ids
        asked = np.asarray(list(stories), dtype=object)
        at = np.searchsorted(codes.story_ids, asked)
        known = at < len(codes.story_ids)
        known[known] = codes.story_ids[at[known]] == asked[known]
        wanted = np.zeros(len(codes.story_ids), dtype=bool)
        wanted[at[known]] = True
        keep &= wanted[codes.story]
    rows = np.flatnonzero(keep)
    if not len(rows):
        return _empty_frame()
    names = entity_names or {}
    label = source_label or (lambda s: s)
    # The stories present, and each row's story renumbered among them (np.unique without
    # its sort: story codes are small integers).
    present = np.zeros(len(codes.story_ids), dtype=bool)
    present[codes.story[rows]] = True
    story_ids = np.flatnonzero(present)
    story = (np.cumsum(present) - 1)[codes.story[rows]]
    n = len(story_ids)
    exact, day, day_end = codes.exact[rows], codes.day[rows], codes.day_end[rows]
    has_exact = np.bincount(story[exact], minlength=n) > 0

    start = np.zeros(n, dtype=np.int64)
    end = np.zeros(n, dtype=np.int64)
    precision = np.empty(n, dtype=object)
    approximate = np.zeros(n, dtype=bool)
    if exact.any():  # first to last exact day of each story that has one
        start[has_exact] = np.iinfo(np.int64).max
        end[has_exact] = np.iinfo(np.int64).min
        np.minimum.at(start, story[exact], day[exact])
        np.maximum.at(end, story[exact], day_end[exact])
        precision[has_exact] = "day"
    # Stories without an exact day: the narrowest window (then the earliest) wins.
    rough = ~has_exact[story]
    if rough.any():
        sub = np.flatnonzero(rough)
        order = sub[np.lexsort((sub, day[sub], day_end[sub] - day[sub], story[sub]))]
        _, firsts = np.unique(story[order], return_index=True)
        best = order[firsts]
        start[story[best]], end[story[best]] = day[best], day_end[best]
        precision[story[best]] = codes.precision[rows[best]]
        approximate[story[best]] = codes.approximate[rows[best]]

    # Kinds in priority order: rows ordered by rank list a story's kinds in that order.
    kind_rank = codes.kind_rank[rows]
    kind = codes.kind_names[pd.Series(kind_rank).groupby(story).min().to_numpy()]

    width = len(codes.to_names)
    route = codes.from_code[rows].astype(np.int64) * width + codes.to_code[rows]
    route_code = mode_per_group(story, route, exact | rough, n)

    if kinds or pair:  # a story's rows from one article may be only partly kept
        article = codes.article[rows]
        span = int(article.max()) + 1
        reports = np.bincount(unique_sorted(story * span + article) // span, minlength=n)
    else:  # an article's dated rows are kept or dropped together
        reports = np.bincount(story[codes.first_report[rows]], minlength=n)
    if details:
        detail = _story_details(codes, rows, story, n, events, articles, lang, names, label)
    else:
        detail = dict.fromkeys(_DETAIL_COLUMNS, np.full(n, None, dtype=object))

    # Per story values looked up through arrays of the few distinct ones, not per story.
    routes, route_of_story = np.unique(route_code, return_inverse=True)
    from_country = codes.from_names[routes // width][route_of_story]
    to_country = codes.to_names[routes % width][route_of_story]
    lane_names = np.array(
        [
            lane_label(codes.from_names[c // width], codes.to_names[c % width], lang, names)
            for c in routes
        ],
        dtype=object,
    )
    lane = lane_names[route_of_story]
    # Sorted by start, lane, story_id: story codes are in id order (see _event_codes).
    lane_rank = np.argsort(np.argsort(lane_names.astype(str), kind="stable"))[route_of_story]
    order = np.lexsort((np.arange(n), lane_rank, start))
    columns = {
        "story_id": codes.story_ids[story_ids],
        "lane": lane,
        "from_country": from_country,
        "to_country": to_country,
        "kind": kind,
        "start": start.astype("datetime64[D]").astype(object),
        "end": end.astype("datetime64[D]").astype(object),
        "precision": precision,
        "approximate": approximate,
        "reports": reports,
        "milestone": np.isin(kind, list(MILESTONES)),
        **detail,
    }
    return pd.DataFrame({c: np.asarray(columns[c])[order] for c in FRAME_COLUMNS})


def story_reports(events: pd.DataFrame, articles: pd.DataFrame, story_id: str) -> pd.DataFrame:
    """Every report of one story: evidence, outlet, article date, event date, article id."""
    ev = _events_in(events, articles)
    ev = ev[ev["story_id"] == story_id]
    if ev.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in REPORT_COLUMNS})
    for c in REPORT_COLUMNS:
        if c not in ev:
            ev[c] = None
    ev = ev.sort_values(["published", "source", "date"], kind="stable", na_position="last")
    # One article telling the event in two sentences is one report with both sentences.
    out = (
        ev.groupby("article_id", sort=False)
        .agg(
            {
                "published": "first",
                "source": "first",
                "source_zh": "first",
                "evidence": lambda s: "\n".join(dict.fromkeys(s)),
                "date": "min",
                "time_expr": lambda s: " / ".join(
                    dict.fromkeys(x for x in s if isinstance(x, str))
                ),
                "kind": "first",
                "title": "first",
            }
        )
        .reset_index()
    )
    return out[REPORT_COLUMNS].reset_index(drop=True)


# Beyond this many stories single marks are neither readable nor quick to draw: the chart
# shows one mark per lane, kind and week (or month, over long spans) instead.
MAX_MARKS = 2000
MAX_TABLE_ROWS = 1000  # rows the page's table shows; the CSV has every story


def pair_label(pair: str, lang: str = "zh", names: dict[str, str] | None = None) -> str:
    """'PRK-RUS' -> '朝–俄' (zh) or 'PRK–RUS'."""
    a, _, b = pair.partition("-")
    return f"{country_short(a, lang, names)}–{country_short(b, lang, names)}"


def lead_names(entities: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """entity_id -> display name of a lead: English name in English when there is one."""
    if entities.empty:
        return {}
    zh = entities["name_zh"] if "name_zh" in entities else pd.Series(None, index=entities.index)
    en = entities["name_en"] if "name_en" in entities else pd.Series(None, index=entities.index)
    names = {}
    for eid, z, e in zip(entities["entity_id"], zh, en, strict=True):
        pick = e if lang == "en" and isinstance(e, str) and e else z
        names[eid] = pick if isinstance(pick, str) and pick else eid
    return names
