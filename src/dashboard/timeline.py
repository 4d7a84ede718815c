"""The visit timeline: pure query and figure functions (no Streamlit).

``timeline_frame`` turns the ``events`` table into one row per story (the ``story_id`` of the
events stage: the same visit told by several reports), ``timeline_figure`` draws it (time
across, one lane per direction of travel such as 俄→朝, marker symbol by kind, size by number
of reports, summits as large stars, month-only or vague dates as a span), and
``story_reports`` lists the reports of one story for the page's selection.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import i18n
from .arrays import unique_sorted
from .queries import codes_of, derived, period_for, period_starts, rows_in

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
_KIND_PRIORITY = {k: i for i, k in enumerate(KINDS)}
MILESTONES = {"summit", "signing"}
KIND_SYMBOLS = {
    "summit": "star",
    "signing": "diamond",
    "meeting": "square",
    "visit": "circle",
    "departure": "triangle-right",
}
KIND_COLORS = {
    "summit": "#d4a017",
    "signing": "#b03a2e",
    "meeting": "#2471a3",
    "visit": "#1e8449",
    "departure": "#7d3c98",
}
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

i18n.extend(
    {
        "timeline.lane_other": {"zh": "其他方向", "en": "Other directions"},
        "timeline.hover_lead": {"zh": "率团", "en": "Lead"},
        "timeline.hover_place": {"zh": "地点", "en": "Place"},
        "timeline.hover_date": {"zh": "日期", "en": "Date"},
        "timeline.hover_words": {"zh": "原文时间", "en": "Resolved from"},
        "timeline.hover_outlets": {"zh": "媒体", "en": "Outlets"},
        "timeline.hover_reports": {"zh": "报道数", "en": "Reports"},
        "timeline.hover_stories": {"zh": "事件数", "en": "Events"},
        "timeline.unit_week": {"zh": "周", "en": "Week of"},
        "timeline.unit_month": {"zh": "月", "en": "Month"},
        "timeline.span": {"zh": "日期仅知月份或大致时间", "en": "Date known only roughly"},
        "kind.signing": {"zh": "签约", "en": "Signing"},
    }
)


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


def _mode_per_group(
    groups: np.ndarray, values: np.ndarray, valid: np.ndarray, n_groups: int
) -> np.ndarray:
    """Per group, its commonest valid value (ties: the one seen first), else None.
    ``values`` are integer codes; the result holds codes, -1 for none."""
    out = np.full(n_groups, -1, dtype=np.int64)
    if not valid.any():
        return out
    width = int(values[valid].max()) + 1
    key = groups[valid].astype(np.int64) * width + values[valid]
    keys, first, counts = np.unique(key, return_index=True, return_counts=True)
    group, value = keys // width, keys % width
    order = np.lexsort((first, -counts, group))
    _, winners = np.unique(group[order], return_index=True)
    chosen = order[winners]
    out[group[chosen]] = value[chosen]
    return out


def _joined_per_group(
    groups: np.ndarray,
    codes: np.ndarray,
    names: np.ndarray,
    valid: np.ndarray,
    n_groups: int,
    sep: str,
    by: str,
) -> np.ndarray:
    """Per group, its distinct valid values (``names[codes]``) joined by ``sep``: in order of
    first appearance (``by="first"``) or alphabetical (``by="name"``)."""
    out = np.full(n_groups, "", dtype=object)
    if not valid.any():
        return out
    names = np.asarray(names, dtype=object)
    codes = codes[valid].astype(np.int64)
    if by == "name":  # codes renumbered in alphabetical order of their names
        rank = np.empty(len(names), dtype=np.int64)
        rank[sorted(range(len(names)), key=lambda i: str(names[i]))] = np.arange(len(names))
        codes, names = rank[codes], names[np.argsort(rank)]
    width = max(len(names), 1)
    keys, first = np.unique(groups[valid].astype(np.int64) * width + codes, return_index=True)
    group, value = keys // width, keys % width
    order = np.lexsort((first, group)) if by == "first" else np.arange(len(keys))
    group, value = group[order], value[order]
    # Groups that hold the same sequence of values share one joined string: the sequence of
    # each group gets an id one place at a time (the id so far and the next value, numbered
    # again), and only the distinct sequences are joined in Python. A join per group took a
    # third of the frame's time at 48,000 stories.
    place = np.arange(len(group)) - np.searchsorted(group, group)  # 0, 1, ... within a group
    sequence = np.full(n_groups, -1, dtype=np.int64)
    length = np.zeros(n_groups, dtype=np.int64)
    for k in range(int(place.max(initial=-1)) + 1):
        at = place == k
        here = group[at]
        pairs = sequence[here] * (len(names) + 1) + value[at]
        _, sequence[here] = np.unique(pairs, return_inverse=True)
        length[here] = k + 1
    has = length > 0
    _, first_group, which = np.unique(
        length[has] * (len(group) + 1) + sequence[has], return_index=True, return_inverse=True
    )
    starts = np.searchsorted(group, np.flatnonzero(has)[first_group])
    spelled = [str(x) for x in names]
    words = [spelled[v] for v in value.tolist()]
    texts = np.array(
        [
            sep.join(words[s : s + n])
            for s, n in zip(starts.tolist(), length[has][first_group].tolist(), strict=True)
        ],
        dtype=object,
    )
    out[has] = texts[which.reshape(-1)]
    return out


def _is_text(values: pd.Series) -> np.ndarray:
    """Non-empty strings (not None, NaN or other objects)."""
    if isinstance(values.dtype, pd.StringDtype):
        return (values.str.len() > 0).to_numpy(dtype=bool, na_value=False)
    objects = values.to_numpy(dtype=object)
    return np.fromiter((isinstance(v, str) and v != "" for v in objects), bool, len(objects))


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
        sorted(kinds_seen, key=lambda k: (_KIND_PRIORITY.get(k, 99), str(k))), dtype=object
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
        lead_valid=_is_text(events["lead"]),
        place=place,
        places=places,
        place_valid=_is_text(events["place"]),
        time_expr=time_expr,
        time_exprs=time_exprs,
        time_expr_valid=_is_text(events["time_expr"]),
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
    kinds_joined = _joined_per_group(
        story[by_rank], kind_rank[by_rank], codes.kind_names, every, n, ", ", "first"
    )
    lead = _mode_per_group(story, codes.lead[rows], codes.lead_valid[rows], n)
    place = _mode_per_group(story, codes.place[rows], codes.place_valid[rows], n)
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
        "outlets": _joined_per_group(
            story, source_code, labels, is_source[source_code], n, sep, "name"
        ),
        "lead": np.concatenate([codes.leads, none])[lead],  # -1 (no lead) is the None
        "lead_name": np.concatenate([lead_names, none])[lead],
        "place": np.concatenate([codes.places, none])[place],
        "time_expr": _joined_per_group(
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
    route_code = _mode_per_group(story, route, exact | rough, n)

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


def date_labels(frame: pd.DataFrame, lang: str = "zh") -> list[str]:
    """How each story's date reads: '2024-07-19', '2024-07' (known to the month), '2024'
    (to the year), else 'start – end', prefixed 'about' when the report is vague."""
    if frame.empty:
        return []
    start = pd.to_datetime(frame["start"]).to_numpy(dtype="datetime64[D]")
    end = pd.to_datetime(frame["end"]).to_numpy(dtype="datetime64[D]")
    end = np.where(np.isnat(end), start, end)
    first, last = np.datetime_as_string(start), np.datetime_as_string(end)
    precision = frame["precision"].to_numpy(dtype=object)
    approximate = frame["approximate"].astype(bool).to_numpy()
    month_of = lambda days: days.astype("datetime64[M]")  # noqa: E731
    first_of_month = month_of(start).astype("datetime64[D]") == start
    month_s = month_of(start).astype(np.int64) % 12
    month_e = month_of(end).astype(np.int64) % 12
    one_day = (precision == "day") & (start == end)
    one_month = (precision == "month") & ~approximate & first_of_month & (month_s == month_e)
    whole_year = (precision == "year") & first_of_month & (month_s == 0) & (month_e == 11)
    about = "约 " if lang == "zh" else "about "
    labels = []
    for i, (a, b) in enumerate(zip(first.tolist(), last.tolist(), strict=True)):
        if one_day[i]:
            labels.append(a)
        elif one_month[i]:
            labels.append(a[:7])
        elif whole_year[i]:
            labels.append(a[:4])
        else:
            labels.append(f"{about}{a} – {b}" if approximate[i] else f"{a} – {b}")
    return labels


def _marker_size(reports: int) -> float:
    return min(8 + 5 * math.sqrt(max(reports, 1) - 1) + 4, 34)


def _escaped(values: pd.Series) -> np.ndarray:
    """``values`` as HTML-escaped strings ('—' for a missing one), each distinct value
    escaped once: article text is untrusted, and plotly renders hover text as HTML."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    escaped = np.array([html.escape(str(v)) for v in uniques] + ["—"], dtype=object)
    return escaped[codes]  # the sentinel -1 takes the last one


def timeline_figure(frame: pd.DataFrame, lang: str = "zh", height: int | None = None) -> go.Figure:
    """Time across, one lane per direction; one trace per kind (its symbol), spans for
    month-only or vague dates, summits and signings as large outlined markers.

    Every marker's ``customdata`` starts with the story_id (then lead, place, date label, the
    words the date was resolved from, outlets, report count), so a page can resolve a plotly
    selection to its story. Many stories: WebGL markers, and lanes beyond MAX_LANES merged.
    """
    fig = go.Figure()
    if frame.empty:
        fig.update_layout(height=height or 200, xaxis={"type": "date"})
        return fig
    frame = frame.copy()
    lane_rank = frame.groupby("lane")["reports"].sum().sort_values(ascending=False)
    other = i18n.t("timeline.lane_other", lang)
    if len(lane_rank) > MAX_LANES:
        keep = set(lane_rank.index[: MAX_LANES - 1])
        frame["lane"] = frame["lane"].where(frame["lane"].isin(keep), other)
        lane_rank = frame.groupby("lane")["reports"].sum().sort_values(ascending=False)
    lanes = list(lane_rank.index)
    if other in lanes:  # the merged lane goes last
        lanes = [x for x in lanes if x != other] + [other]

    frame["date_label"] = date_labels(frame, lang)
    # Rough dates (month only, vague windows) are spans; an exact multi-day visit is a
    # filled marker on its first day.
    frame["rough"] = (frame["precision"] != "day") | frame["approximate"].astype(bool)
    frame["mid"] = [
        s + (e - s) / 2 if rough and e is not None else s
        for s, e, rough in zip(frame["start"], frame["end"], frame["rough"], strict=True)
    ]
    big = len(frame) > 1500
    scatter = go.Scattergl if big else go.Scatter
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    hover = (
        "<b>%{customdata[7]}</b> %{y}<br>"
        f"{t('timeline.hover_lead')}: %{{customdata[1]}}<br>"
        f"{t('timeline.hover_place')}: %{{customdata[2]}}<br>"
        f"{t('timeline.hover_date')}: %{{customdata[3]}}<br>"
        f"{t('timeline.hover_words')}: %{{customdata[4]}}<br>"
        f"{t('timeline.hover_outlets')}: %{{customdata[5]}}<br>"
        f"{t('timeline.hover_reports')}: %{{customdata[6]}}<extra></extra>"
    )

    def customdata(rows: pd.DataFrame) -> np.ndarray:
        # A fixed-width string array: plotly validates it in one step and deep-copies it as
        # one block (an object array item by item, a list of lists item by item).
        kinds = _escaped(rows["kind"].map(lambda k: i18n.t(f"kind.{k}", lang)))
        return np.column_stack(
            [
                rows["story_id"].to_numpy(dtype=str),
                _escaped(rows["lead_name"]),
                _escaped(rows["place"]),
                _escaped(rows["date_label"]),
                _escaped(rows["time_expr"]),
                _escaped(rows["outlets"]),
                rows["reports"].to_numpy().astype(int).astype(str),
                kinds,
            ]
        ).astype(str)

    spans = frame[frame["rough"] & frame["end"].notna()]
    if len(spans):
        xs, ys, cd = [], [], []
        for r, c in zip(spans.to_dict("records"), customdata(spans), strict=True):
            xs += [r["start"], r["end"], None]
            ys += [r["lane"], r["lane"], None]
            cd += [c, c, None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"width": 6, "color": "rgba(120,120,120,0.45)"},
                customdata=cd,
                hovertemplate=hover,
                name=t("timeline.span"),
                legendgroup="span",
            )
        )
    for kind in sorted(set(frame["kind"]), key=lambda k: _KIND_PRIORITY.get(k, 99)):
        rows = frame[frame["kind"] == kind]
        milestone = kind in MILESTONES
        sizes = [_marker_size(n) * (1.6 if milestone else 1.0) for n in rows["reports"]]
        # A span's marker sits at its middle, drawn open, so a rough date reads as rough.
        open_ = rows["rough"].tolist()
        symbol = KIND_SYMBOLS.get(kind, "circle")
        fig.add_trace(
            scatter(
                x=pd.to_datetime(rows["mid"]).to_numpy(dtype="datetime64[D]"),
                # Fixed-width string arrays: plotly deep-copies trace data, an object
                # array one item at a time.
                y=rows["lane"].to_numpy(dtype=str),
                mode="markers",
                name=i18n.t(f"kind.{kind}", lang),
                marker={
                    "symbol": np.array([f"{symbol}-open" if o else symbol for o in open_]),
                    "size": np.array(sizes),
                    "color": KIND_COLORS.get(kind, "#555"),
                    "opacity": 0.85,
                    "line": {
                        "width": 2 if milestone else 1,
                        "color": "#222" if milestone else "#fff",
                    },
                },
                customdata=customdata(rows),
                hovertemplate=hover,
            )
        )
    _lane_layout(fig, lanes, height, rangeslider=len(frame) > 50)
    fig.update_layout(dragmode="zoom")
    return fig


# Beyond this many stories single marks are neither readable nor quick to draw: the chart
# shows one mark per lane, kind and week (or month, over long spans) instead.
MAX_MARKS = 2000
MAX_TABLE_ROWS = 1000  # rows the page's table shows; the CSV has every story
BUCKET_PREFIX = "bucket:"


def _start_days(frame: pd.DataFrame) -> np.ndarray:
    return pd.to_datetime(frame["start"]).to_numpy(dtype="datetime64[D]")


def bucket_period(frame: pd.DataFrame, days: np.ndarray | None = None) -> str:
    """'W' (weeks) or 'M' (months, when the stories span more than two years): the periods
    of the overview's bars (queries.period_for), never days."""
    days = _start_days(frame) if days is None else days
    days = days[~np.isnat(days)]
    period = period_for(days.min(), days.max()) if len(days) else "W"
    return "W" if period == "D" else period


def bucket_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Stories counted per lane, kind and period: lane, kind, period (its first day), stories,
    reports, bucket_id (what a selection of the mark returns). Sorted by lane, kind, period."""
    days = _start_days(frame)
    freq = bucket_period(frame, days)
    first_days = period_starts(days, freq)  # weeks from Monday, as pandas' W periods
    dated = ~np.isnat(first_days)
    # Grouped on integer codes (lanes and kinds numbered in sorted order), not by pandas on
    # strings and dates: the groups come out in the same order, several times faster.
    lane_code, lanes = codes_of(frame["lane"][dated], sort=True)
    kind_code, kinds = codes_of(frame["kind"][dated], sort=True)
    period = first_days[dated].astype(np.int64)
    base = int(period.min()) if len(period) else 0
    width = int(period.max()) - base + 1 if len(period) else 1
    key = (lane_code * len(kinds) + kind_code) * width + (period - base)
    keys, group = np.unique(key, return_inverse=True)
    reports = frame["reports"].to_numpy()[dated]
    starts = (keys % width + base).astype("datetime64[D]")
    lane = lanes[keys // width // len(kinds)] if len(keys) else []
    kind = kinds[keys // width % len(kinds)] if len(keys) else []
    grouped = pd.DataFrame(
        {
            "lane": lane,
            "kind": kind,
            "period": starts.astype(object),
            "stories": np.bincount(group, minlength=len(keys)).astype(np.int64),
            "reports": np.bincount(group, weights=reports, minlength=len(keys)).astype(
                reports.dtype
            ),
        }
    )
    grouped["bucket_id"] = (
        f"{BUCKET_PREFIX}{freq}|"
        + grouped["lane"].astype(str)
        + "|"
        + grouped["kind"].astype(str)
        + "|"
        + pd.Series(starts.astype(str), index=grouped.index)  # ISO days
    )
    return grouped


def bucket_stories(frame: pd.DataFrame, bucket_id: str) -> pd.DataFrame:
    """The stories of ``frame`` inside one bucket mark (empty for an unknown bucket)."""
    try:
        freq, lane, kind, day = bucket_id[len(BUCKET_PREFIX) :].split("|")
        first = pd.Timestamp(day).to_period(freq)
    except ValueError:
        return frame.iloc[0:0]
    starts = pd.to_datetime(frame["start"]).dt.to_period(freq)
    return frame[(frame["lane"] == lane) & (frame["kind"] == kind) & (starts == first)]


def _lane_layout(fig: go.Figure, lanes: list[str], height: int | None, rangeslider: bool) -> None:
    """The layout both timeline figures share: one row per lane (first lane on top), time
    across, the legend above."""
    fig.update_layout(
        height=height or max(220, 90 + 46 * len(lanes)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        xaxis={"type": "date", "rangeslider": {"visible": rangeslider}},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(reversed(lanes)),
            "title": None,
        },
        hovermode="closest",
    )


def bucket_figure(frame: pd.DataFrame, lang: str = "zh", height: int | None = None) -> go.Figure:
    """The timeline for many stories: one mark per lane, kind and period, sized by stories."""
    buckets = bucket_frame(frame)
    lanes = list(buckets.groupby("lane")["reports"].sum().sort_values(ascending=False).index)
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    monthly = buckets["bucket_id"].str.startswith(f"{BUCKET_PREFIX}M|").any()
    unit = t("timeline.unit_month" if monthly else "timeline.unit_week")
    fig = go.Figure()
    for kind in sorted(set(buckets["kind"]), key=lambda k: _KIND_PRIORITY.get(k, 99)):
        rows = buckets[buckets["kind"] == kind]
        label = html.escape(t(f"kind.{kind}"))
        fig.add_trace(
            go.Scatter(
                # numpy arrays: plotly checks a list item by item, an array in one step
                x=pd.to_datetime(rows["period"]).to_numpy(dtype="datetime64[D]"),
                # Fixed-width string arrays: plotly deep-copies trace data, an object
                # array one item at a time.
                y=rows["lane"].to_numpy(dtype=str),
                mode="markers",
                name=t(f"kind.{kind}"),
                marker={
                    "symbol": KIND_SYMBOLS.get(kind, "circle"),
                    "size": np.clip(6 + 3 * np.sqrt(rows["stories"].to_numpy()), 6, 40),
                    "color": KIND_COLORS.get(kind, "#555"),
                    "opacity": 0.8,
                    "line": {"width": 1, "color": "#fff"},
                },
                # The kind's name is the same for the whole trace: in the template, not
                # repeated per mark (plotly copies every string of customdata one by one).
                customdata=np.column_stack(
                    [
                        rows["bucket_id"].to_numpy(dtype=str),
                        rows["stories"].to_numpy().astype(str),
                        rows["reports"].to_numpy().astype(str),
                    ]
                ),
                hovertemplate=(
                    f"<b>{label}</b> %{{y}}<br>{unit}: %{{x}}<br>"
                    f"{t('timeline.hover_stories')}: %{{customdata[1]}}<br>"
                    f"{t('timeline.hover_reports')}: %{{customdata[2]}}<extra></extra>"
                ),
            )
        )
    _lane_layout(fig, lanes, height, rangeslider=True)
    return fig


def story_at(figure: go.Figure | dict, curve_number: int, point_index: int) -> str | None:
    """The story_id of a selected point (plotly selection: curve_number, point_index)."""
    data = figure["data"] if isinstance(figure, dict) else figure.data
    if not 0 <= curve_number < len(data):
        return None
    cd = (
        data[curve_number]["customdata"]
        if isinstance(data[curve_number], dict)
        else data[curve_number].customdata
    )
    if cd is None or not 0 <= point_index < len(cd) or cd[point_index] is None:
        return None
    return str(cd[point_index][0])


def timeline_table(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """What the chart shows, as a table (also the CSV download)."""
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "date",
                "direction",
                "kind",
                "lead",
                "place",
                "reports",
                "outlets",
                "time_expr",
                "story_id",
            ]
        )
    return pd.DataFrame(
        {
            "date": date_labels(frame, lang),
            "direction": frame["lane"],
            "kind": [i18n.t(f"kind.{k}", lang) for k in frame["kind"]],
            "lead": frame["lead_name"],
            "place": frame["place"].fillna(""),
            "reports": frame["reports"],
            "outlets": frame["outlets"],
            "time_expr": frame["time_expr"],
            "story_id": frame["story_id"],
        }
    )


def selected_story(figure: go.Figure, selection) -> str | None:
    """The story a plotly selection (st.plotly_chart's ``event.selection``) points at."""
    points = (selection or {}).get("points") or []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and data and isinstance(data[0], str):
            return data[0]
        curve, index = point.get("curve_number"), point.get("point_index")
        if curve is not None and index is not None:
            story = story_at(figure, int(curve), int(index))
            if story:
                return story
    return None


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
