"""The visit timeline's figures: one mark per story, or per lane, kind and period at scale.

``timeline_figure`` draws ``analysis.timeline.timeline_frame`` (time across, one lane per
direction of travel such as 俄→朝, marker symbol by kind, size by number of reports, summits as
large stars, month-only or vague dates as a span); ``bucket_figure`` draws the bucketed marks.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis.timeline import KIND_PRIORITY, MAX_LANES, MILESTONES
from ..analysis.timeline_buckets import BUCKET_PREFIX, bucket_frame
from ..common import i18n

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
    for kind in sorted(set(frame["kind"]), key=lambda k: KIND_PRIORITY.get(k, 99)):
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
    for kind in sorted(set(buckets["kind"]), key=lambda k: KIND_PRIORITY.get(k, 99)):
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
