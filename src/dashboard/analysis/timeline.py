"""The visit timeline: pure query functions (no Streamlit).

``timeline_frame`` turns the ``events`` table into one row per story (the ``story_id`` of the
events stage: the same visit told by several reports), with its direction of travel named by
``analysis.labels.Labels.route`` (朝鲜 → 俄罗斯 / North Korea → Russia), its lead and place in
the page's language, and how precisely its date is known. ``lane_totals``/``top_lanes`` rank
the directions; ``story_reports`` lists the reports of one story; ``undated_events`` lists the
events of the selection that have no date (they are on no time axis, and the page says so).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..common.arrays import unique_sorted
from .filters import codes_of, derived, rows_in
from .grouping import is_text, joined_per_group, mode_per_group
from .labels import UNKNOWN_SOURCE, Labels

KINDS = ["summit", "signing", "meeting", "visit", "departure"]
# Which kind names a story that mixes several: the most telling one.
KIND_PRIORITY = {k: i for i, k in enumerate(KINDS)}
MILESTONES = {"summit", "signing"}
TOP_LANES = 8  # directions drawn by default: the busiest; the rest one click away

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
    "place_name",
    "time_expr",
    "milestone",
]


def _labels(labels: Labels | None) -> Labels:
    """The page's labels, or (tests, scripts) Chinese names from the gazetteer alone."""
    return labels if labels is not None else Labels("zh")


def _to_date(series: pd.Series) -> pd.Series:
    converted = pd.to_datetime(series, errors="coerce")
    return converted.dt.date.astype("object").where(converted.notna(), None)


def place_names(entities: pd.DataFrame, lang: str) -> dict[str, str]:
    """A place as events name it (平壤, 首爾) -> its name in ``lang``: the entities table's
    English name on English pages where it has one (Pyongyang), else the place as written.
    Built once per entities table and language."""
    if lang != "en" or entities is None or entities.empty:
        return {}

    def build(ents: pd.DataFrame) -> dict[str, str]:
        names: dict[str, str] = {}
        places = ents[ents["type"].isin(["place", "country"])] if "type" in ents else ents
        columns = [c for c in ("name_zh", "name_en", "aliases") if c in places]
        for row in places[columns].itertuples(index=False):
            zh, en = getattr(row, "name_zh", None), getattr(row, "name_en", None)
            if not isinstance(en, str) or not en:
                continue
            aliases = getattr(row, "aliases", None)
            spelled = [
                zh,
                *(list(aliases) if isinstance(aliases, list | tuple | np.ndarray) else []),
            ]
            for name in spelled:
                if isinstance(name, str) and name:
                    names.setdefault(name, en)
        return names

    return derived("timeline.place_names", build, entities)


def _place_label(place, places: Mapping[str, str]) -> str | None:
    if not isinstance(place, str) or not place:
        return None
    return places.get(place, place)


def _sites_of(events: pd.DataFrame, articles: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """The site each event row's article came from (None when unknown), for ``rows``."""
    out = np.full(len(rows), None, dtype=object)
    if "site" not in articles or not len(rows):
        return out
    if "article_pos" in events and "article_pos" in articles:
        pos = events["article_pos"].to_numpy()[rows]
        chosen = articles["article_pos"].to_numpy()
        size = int(max(pos.max(initial=-1), chosen.max(initial=-1))) + 1
        table = np.full(size, None, dtype=object)
        table[chosen] = articles["site"].to_numpy(dtype=object)
        return np.where(pos >= 0, table[np.clip(pos, 0, None)], None)
    by_id = articles.drop_duplicates("article_id").set_index("article_id")["site"]
    return events["article_id"].iloc[rows].map(by_id).to_numpy(dtype=object)


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


def story_ids_of(events: pd.DataFrame) -> pd.Series:
    """Each event row's story id (the same visit told by several reports), its event id
    where it has none."""
    story = events["story_id"] if "story_id" in events else events["event_id"]
    return story.where(story.notna(), events["event_id"])


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
    # Codes in the order of the ids, so the frame's tie-break on story_id is a code order.
    story, story_names = codes_of(story_ids_of(events), sort=True)
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


_DETAIL_COLUMNS = ["kinds", "outlets", "lead", "lead_name", "place", "place_name", "time_expr"]


def _outlet_codes(
    codes: _EventCodes,
    rows: np.ndarray,
    events: pd.DataFrame,
    articles: pd.DataFrame,
    labels: Labels,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's outlet as a code into display names (Labels.outlet: an unknown outlet
    names its site), and which names are outlets at all. Two outlets under one display name
    share a code."""
    if codes.source is not None:
        source_names = codes.source_names
        source_code = codes.source[rows]
    else:  # events without their outlet: look it up in the articles
        by_id = articles.drop_duplicates("article_id").set_index("article_id")["source"]
        source_code, source_names = codes_of(events["article_id"].iloc[rows].map(by_id))
    names = [labels.outlet(x) if isinstance(x, str) else "" for x in source_names]
    is_source = [isinstance(x, str) for x in source_names]
    unknown = np.array([x == UNKNOWN_SOURCE for x in source_names], dtype=bool)
    if unknown.any() and "site" in articles:  # the unknown outlet, one name per site
        at = np.flatnonzero(unknown[source_code])
        site_code, sites = codes_of(pd.Series(_sites_of(events, articles, rows[at])))
        source_code = source_code.copy()
        source_code[at] = len(names) + site_code
        names += [labels.outlet(UNKNOWN_SOURCE, s) for s in sites]
        is_source += [True] * len(sites)
    label_code, display = pd.factorize(np.array(names, dtype=object))
    valid = np.zeros(len(display), dtype=bool)
    np.logical_or.at(valid, label_code, np.array(is_source, dtype=bool))
    return label_code[source_code], np.asarray(display, dtype=object), valid


def _story_details(
    codes: _EventCodes,
    rows: np.ndarray,
    story: np.ndarray,
    n: int,
    events: pd.DataFrame,
    articles: pd.DataFrame,
    labels: Labels,
    places: Mapping[str, str],
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
    outlet_code, outlet_names, is_outlet = _outlet_codes(codes, rows, events, articles, labels)
    sep = "、" if labels.lang == "zh" else ", "
    none = np.array([None], dtype=object)
    lead_names = np.array([labels.entity(x) if x else None for x in codes.leads], dtype=object)
    place_shown = np.array([_place_label(x, places) for x in codes.places], dtype=object)
    return {
        "kinds": kinds_joined,
        "outlets": joined_per_group(
            story, outlet_code, outlet_names, is_outlet[outlet_code], n, sep, "name"
        ),
        "lead": np.concatenate([codes.leads, none])[lead],  # -1 (no lead) is the None
        "lead_name": np.concatenate([lead_names, none])[lead],
        "place": np.concatenate([codes.places, none])[place],
        "place_name": np.concatenate([place_shown, none])[place],
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
    labels: Labels | None = None,
    places: Mapping[str, str] | None = None,
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
    ``labels`` (analysis.labels) names the lane (朝鲜 → 俄罗斯), the lead and the outlets in
    the page's language; ``places`` (see ``place_names``) the place.

    ``stories`` keeps only those story ids: their rows are the same as in the whole frame.
    With ``details=False`` the columns that join or vote over a story's reports (kinds,
    outlets, lead, lead_name, place, time_expr) are left None: enough to count and plot
    tens of thousands of stories, whose shown rows are then built with ``stories``.
    """
    labels = _labels(labels)
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
        detail = _story_details(codes, rows, story, n, events, articles, labels, places or {})
    else:
        detail = dict.fromkeys(_DETAIL_COLUMNS, np.full(n, None, dtype=object))

    # Per story values looked up through arrays of the few distinct ones, not per story.
    routes, route_of_story = np.unique(route_code, return_inverse=True)
    lane_names = np.array(
        [labels.route(codes.from_names[c // width], codes.to_names[c % width]) for c in routes],
        dtype=object,
    )
    # Sorted by start, lane, story_id: story codes are in id order (see _event_codes). The
    # columns of names are then made in that order from their codes (permuting object
    # columns afterwards took a fifth of the frame's time at a million articles); the detail
    # columns, built for a few shown stories, are permuted.
    lane_rank = np.argsort(np.argsort(lane_names.astype(str), kind="stable"))[route_of_story]
    order = np.lexsort((np.arange(n), lane_rank, start))
    route = route_of_story[order]
    kind = kind[order]
    columns = {
        "story_id": codes.story_ids[story_ids[order]],
        "lane": lane_names[route],
        "from_country": codes.from_names[routes // width][route],
        "to_country": codes.to_names[routes % width][route],
        "kind": kind,
        "start": start[order].astype("datetime64[D]").astype(object),
        "end": end[order].astype("datetime64[D]").astype(object),
        "precision": precision[order],
        "approximate": approximate[order],
        "reports": reports[order],
        "milestone": np.isin(kind, list(MILESTONES)),
        **{c: values[order] if details else values for c, values in detail.items()},
    }
    # Text columns stay object arrays of the names' own strings (pandas would copy each into
    # an Arrow string column: 0.18 s and more memory for a million articles' 485,000 stories),
    # and the arrays made here are the frame's own (no copy).
    return pd.DataFrame(
        {
            c: pd.Series(columns[c], dtype=object, copy=False)
            if columns[c].dtype == object
            else columns[c]
            for c in FRAME_COLUMNS
        },
        copy=False,
    )


def lane_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """The directions of a timeline frame, busiest first: lane, from_country, to_country,
    stories and reports (ties by name)."""
    if frame.empty:
        return pd.DataFrame(columns=["lane", "from_country", "to_country", "stories", "reports"])
    totals = (
        frame.groupby(["lane", "from_country", "to_country"], sort=False)["reports"]
        .agg(stories="size", reports="sum")
        .reset_index()
    )
    return totals.sort_values(
        ["reports", "stories", "lane"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


def top_lanes(frame: pd.DataFrame, n: int = TOP_LANES) -> pd.DataFrame:
    """The stories of the ``n`` directions with the most reports (the frame's order kept)."""
    lanes = lane_totals(frame)
    if len(lanes) <= n:
        return frame
    return frame[frame["lane"].isin(set(lanes["lane"].head(n)))]


# Beyond this many stories single marks are neither readable nor quick to draw: the chart
# counts them per direction and week (or month, over long spans) instead, as a heatmap.
MAX_MARKS = 2000
# Nor when one direction holds more than this: a lane of 800 marks across a chart 950 px
# wide is one band (a country pair over three years of a 20,000-article corpus).
MAX_MARKS_PER_LANE = 120
MAX_TABLE_ROWS = 1000  # rows the page's table shows; the CSV has every story


def too_many_marks(frame: pd.DataFrame) -> bool:
    """Whether the stories are drawn as a direction × period heatmap, not one mark each."""
    if len(frame) > MAX_MARKS:
        return True
    return bool(len(frame)) and int(frame["lane"].value_counts().iloc[0]) > MAX_MARKS_PER_LANE
