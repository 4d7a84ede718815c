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

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import i18n
from .queries import rows_in

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
    """Country pairs present in the events, as 'AAA-BBB' (sorted codes), most frequent first."""
    if events.empty:
        return []
    pairs = Counter(
        "-".join(sorted((a, b)))
        for a, b in zip(events["from_country"], events["to_country"], strict=True)
        if isinstance(a, str) and isinstance(b, str)
    )
    return [p for p, _ in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))]


def _most_common(values: Iterable) -> object:
    vals = [v for v in values if isinstance(v, str) and v]
    return Counter(vals).most_common(1)[0][0] if vals else None


def timeline_frame(
    events: pd.DataFrame,
    articles: pd.DataFrame,
    kinds: Iterable[str] | None = None,
    pair: str | None = None,
    lang: str = "zh",
    entity_names: dict[str, str] | None = None,
    source_label: Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """One row per story of the selected articles (see FRAME_COLUMNS), sorted by date.

    ``articles`` are the articles the shared filters keep; ``kinds`` keeps events of those
    kinds; ``pair`` ('PRK-RUS', either direction) keeps one country pair. ``start``/``end``
    are the exact days the reports give (first to last), or, when no report gives an exact
    day, the narrowest window they give (``precision`` month/year, maybe ``approximate``).
    """
    ev = _events_in(events, articles)
    if kinds:
        ev = ev[ev["kind"].isin(set(kinds))]
    if pair:
        codes = set(pair.split("-"))
        ev = ev[
            [{a, b} == codes for a, b in zip(ev["from_country"], ev["to_country"], strict=True)]
        ]
    if ev.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in FRAME_COLUMNS})
    names = entity_names or {}
    label = source_label or (lambda s: s)
    ev = ev.assign(_exact=(ev["date_precision"] == "day") & ~ev["approximate"])
    # Plain records grouped in a dict: a pandas groupby with per-group frames cost seconds
    # for ten thousand stories.
    by_story: dict[str, list[dict]] = {}
    for rec in ev.to_dict("records"):
        by_story.setdefault(rec["story_id"], []).append(rec)
    has_source = "source" in ev
    rows = []
    for story_id, g in by_story.items():
        ex = [r for r in g if r["_exact"]]
        if ex:
            start, end, precision, approx = (
                min(r["date"] for r in ex),
                max(r["date_end"] for r in ex),
                "day",
                False,
            )
            direction = ex
        else:
            best = min(g, key=lambda r: ((r["date_end"] - r["date"]).days, r["date"]))
            start, end, precision = best["date"], best["date_end"], best["date_precision"]
            approx = bool(best["approximate"])
            direction = g
        kinds_here = sorted({r["kind"] for r in g}, key=lambda k: _KIND_PRIORITY.get(k, 99))
        kind = kinds_here[0]
        frm, to = Counter((r["from_country"], r["to_country"]) for r in direction).most_common(1)[
            0
        ][0]
        lead = _most_common(r["lead"] for r in g)
        outlets = (
            sorted({label(r["source"]) for r in g if isinstance(r["source"], str)})
            if has_source
            else []
        )
        rows.append(
            {
                "story_id": story_id,
                "lane": lane_label(frm, to, lang, names),
                "from_country": frm,
                "to_country": to,
                "kind": kind,
                "kinds": ", ".join(kinds_here),
                "start": start,
                "end": end,
                "precision": precision,
                "approximate": approx,
                "reports": len({r["article_id"] for r in g}),
                "outlets": "、".join(outlets) if lang == "zh" else ", ".join(outlets),
                "lead": lead,
                "lead_name": names.get(lead, lead) if lead else None,
                "place": _most_common(r["place"] for r in g),
                "time_expr": " / ".join(
                    dict.fromkeys(
                        r["time_expr"]
                        for r in g
                        if isinstance(r["time_expr"], str) and r["time_expr"]
                    )
                ),
                "milestone": kind in MILESTONES,
            }
        )
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    return frame.sort_values(["start", "lane", "story_id"], kind="stable").reset_index(drop=True)


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


def _date_label(row, lang: str) -> str:
    s, e = row["start"], row["end"]
    if row["precision"] == "day" and s == e:
        return s.isoformat()
    if row["precision"] == "month" and not row["approximate"] and s.day == 1 and s.month == e.month:
        return s.strftime("%Y-%m")
    if row["precision"] == "year" and s.month == 1 and s.day == 1 and e.month == 12:
        return str(s.year)
    text = f"{s.isoformat()} – {e.isoformat()}"
    return ("约 " if lang == "zh" else "about ") + text if row["approximate"] else text


def _marker_size(reports: int) -> float:
    return min(8 + 5 * math.sqrt(max(reports, 1) - 1) + 4, 34)


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

    frame["date_label"] = [_date_label(r, lang) for r in frame.to_dict("records")]
    # Rough dates (month only, vague windows) are spans; an exact multi-day visit is a
    # filled marker on its first day.
    frame["rough"] = (frame["precision"] != "day") | frame["approximate"].astype(bool)
    frame["mid"] = [
        s + (e - s) / 2 if rough and e is not None else s
        for s, e, rough in zip(frame["start"], frame["end"], frame["rough"], strict=True)
    ]
    big = len(frame) > 1500
    scatter = go.Scattergl if big else go.Scatter
    esc = lambda v: html.escape(str(v)) if v is not None and v == v else "—"  # noqa: E731
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
        # A numpy array: plotly validates it in one step, a list of lists item by item.
        return np.array(
            [
                [
                    r["story_id"],
                    esc(r["lead_name"]),
                    esc(r["place"]),
                    esc(r["date_label"]),
                    esc(r["time_expr"]),
                    esc(r["outlets"]),
                    int(r["reports"]),
                    esc(i18n.t(f"kind.{r['kind']}", lang)),
                ]
                for r in rows.to_dict("records")
            ],
            dtype=object,
        )

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
                x=rows["mid"].tolist(),
                y=rows["lane"].to_numpy(dtype=object),
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
    fig.update_layout(
        height=height or max(220, 90 + 46 * len(lanes)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        xaxis={"type": "date", "rangeslider": {"visible": len(frame) > 50}},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(reversed(lanes)),
            "title": None,
        },
        dragmode="zoom",
        hovermode="closest",
    )
    return fig


# Beyond this many stories single marks are neither readable nor quick to draw: the chart
# shows one mark per lane, kind and week (or month, over long spans) instead.
MAX_MARKS = 2000
BUCKET_PREFIX = "bucket:"


def bucket_period(frame: pd.DataFrame) -> str:
    """'W' (weeks) or 'M' (months, when the stories span more than two years)."""
    span = (pd.to_datetime(frame["start"]).max() - pd.to_datetime(frame["start"]).min()).days
    return "M" if span > 730 else "W"


def bucket_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Stories counted per lane, kind and period: lane, kind, period (its first day), stories,
    reports, bucket_id (what a selection of the mark returns)."""
    freq = bucket_period(frame)
    starts = pd.to_datetime(frame["start"])
    period = (starts.dt.to_period(freq).dt.start_time).dt.date
    grouped = (
        frame.assign(period=period)
        .groupby(["lane", "kind", "period"], sort=True)
        .agg(stories=("story_id", "size"), reports=("reports", "sum"))
        .reset_index()
    )
    grouped["bucket_id"] = [
        f"{BUCKET_PREFIX}{freq}|{lane}|{kind}|{day.isoformat()}"
        for lane, kind, day in zip(grouped["lane"], grouped["kind"], grouped["period"], strict=True)
    ]
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


def bucket_figure(frame: pd.DataFrame, lang: str = "zh", height: int | None = None) -> go.Figure:
    """The timeline for many stories: one mark per lane, kind and period, sized by stories."""
    buckets = bucket_frame(frame)
    lanes = list(buckets.groupby("lane")["reports"].sum().sort_values(ascending=False).index)
    t = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    unit = t("timeline.unit_month" if bucket_period(frame) == "M" else "timeline.unit_week")
    fig = go.Figure()
    for kind in sorted(set(buckets["kind"]), key=lambda k: _KIND_PRIORITY.get(k, 99)):
        rows = buckets[buckets["kind"] == kind]
        fig.add_trace(
            go.Scatter(
                x=rows["period"].tolist(),
                y=rows["lane"].tolist(),
                mode="markers",
                name=t(f"kind.{kind}"),
                marker={
                    "symbol": KIND_SYMBOLS.get(kind, "circle"),
                    "size": np.clip(6 + 3 * np.sqrt(rows["stories"].to_numpy()), 6, 40),
                    "color": KIND_COLORS.get(kind, "#555"),
                    "opacity": 0.8,
                    "line": {"width": 1, "color": "#fff"},
                },
                customdata=np.array(
                    [
                        [b, int(n), int(r), html.escape(t(f"kind.{kind}"))]
                        for b, n, r in zip(
                            rows["bucket_id"], rows["stories"], rows["reports"], strict=True
                        )
                    ],
                    dtype=object,
                ),
                hovertemplate=(
                    f"<b>%{{customdata[3]}}</b> %{{y}}<br>{unit}: %{{x}}<br>"
                    f"{t('timeline.hover_stories')}: %{{customdata[1]}}<br>"
                    f"{t('timeline.hover_reports')}: %{{customdata[2]}}<extra></extra>"
                ),
            )
        )
    fig.update_layout(
        height=height or max(220, 90 + 46 * len(lanes)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        xaxis={"type": "date", "rangeslider": {"visible": True}},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(reversed(lanes)),
            "title": None,
        },
        hovermode="closest",
    )
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
            "date": [_date_label(r, lang) for r in frame.to_dict("records")],
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
