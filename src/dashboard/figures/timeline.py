"""The visit timeline's figures: one mark per story, or a direction × period heatmap at scale.

``timeline_figure`` draws ``analysis.timeline.timeline_frame`` (time across, one lane per
direction of travel such as 朝鲜 → 俄罗斯, marker symbol by kind, size by number of reports,
summits as large stars, month-only or vague dates as a span); ``heatmap_figure`` counts the
stories per direction and week or month when there are too many to draw one by one. Every
name comes from ``analysis.labels.Labels``; every date says how precisely it is known.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis.labels import Labels
from ..analysis.timeline import KIND_PRIORITY, MILESTONES, lane_totals
from ..analysis.timeline_buckets import heat_cells, period_columns
from ..common import i18n
from . import style

i18n.extend(
    {
        "timeline.hover_lead": {"zh": "率团", "en": "Lead"},
        "timeline.hover_place": {"zh": "地点", "en": "Place"},
        "timeline.hover_date": {"zh": "日期", "en": "Date"},
        "timeline.hover_words": {"zh": "原文时间", "en": "Date as written"},
        "timeline.hover_outlets": {"zh": "媒体", "en": "Outlets"},
        "timeline.hover_reports": {"zh": "报道数", "en": "Reports"},
        "timeline.hover_stories": {"zh": "事件数", "en": "Events"},
        "timeline.hover_click_cell": {
            "zh": "点击列出这些事件",
            "en": "Click to list these events",
        },
        "timeline.span": {"zh": "日期仅知月份或大致时间", "en": "Date known only roughly"},
        "timeline.heat_scale": {"zh": "事件数", "en": "Events"},
        "timeline.chosen": {"zh": "已选事件", "en": "Chosen event"},
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
PLOT_WIDTH_PX = 950  # about the chart's width at 1400 px with the sidebar open
CHOSEN_COLOR = "#1f4e9c"  # the story or cell whose reports or events are open below


def date_texts(frame: pd.DataFrame, labels: Labels) -> list[str]:
    """How each story's date reads (Labels.date): '2024-07-19', '2024-07' (known to the
    month), '2024' (to the year), 'start – end', '约 …' / 'about …' when the report is vague."""
    if frame.empty:
        return []
    return [
        labels.date(s, p, a, e)
        for s, e, p, a in zip(
            frame["start"], frame["end"], frame["precision"], frame["approximate"], strict=True
        )
    ]


def _marker_size(reports: int) -> float:
    return min(8 + 5 * math.sqrt(max(reports, 1) - 1) + 4, 34)


def _escaped(values: pd.Series) -> np.ndarray:
    """``values`` as HTML-escaped strings ('—' for a missing one), each distinct value
    escaped once: article text is untrusted, and plotly renders hover text as HTML."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    escaped = np.array([html.escape(str(v)) for v in uniques] + ["—"], dtype=object)
    return escaped[codes]  # the sentinel -1 takes the last one


def lane_order(frame: pd.DataFrame) -> list[str]:
    """Lanes busiest first (most reports): the top lane of the chart is the busiest."""
    return lane_totals(frame)["lane"].tolist()


def timeline_figure(
    frame: pd.DataFrame, labels: Labels, height: int | None = None, chosen: str | None = None
) -> go.Figure:
    """Time across, one lane per direction; one trace per kind (its symbol), spans for
    month-only or vague dates, summits and signings as large outlined markers.

    Every marker's ``customdata`` starts with the story_id (then lead, place, date as known,
    the words the date was read from, outlets, report count, kind), so a page can resolve a
    plotly selection to its story. Many stories: WebGL markers. The ``chosen`` story (its
    reports are open below) is ringed.
    """
    lang = labels.lang
    fig = go.Figure()
    if frame.empty:
        fig.update_layout(height=height or 200, xaxis={"type": "date"})
        return fig
    frame = frame.copy()
    lanes = lane_order(frame)
    frame["date_label"] = date_texts(frame, labels)
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
        f"{t('timeline.hover_date')}: %{{customdata[3]}}<br>"
        f"{t('timeline.hover_words')}: %{{customdata[4]}}<br>"
        f"{t('timeline.hover_lead')}: %{{customdata[1]}}<br>"
        f"{t('timeline.hover_place')}: %{{customdata[2]}}<br>"
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
                _escaped(rows["place_name"]),
                _escaped(rows["date_label"]),
                _escaped(rows["time_expr"].where(rows["time_expr"] != "", None)),
                _escaped(rows["outlets"].where(rows["outlets"] != "", None)),
                np.array([labels.number(int(n)) for n in rows["reports"]], dtype=object),
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
    ring = frame[frame["story_id"] == chosen]
    if len(ring):
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(ring["mid"]).to_numpy(dtype="datetime64[D]"),
                y=ring["lane"].to_numpy(dtype=str),
                mode="markers",
                marker={
                    "symbol": "circle-open",
                    "size": 30,
                    "color": CHOSEN_COLOR,
                    "line": {"width": 3},
                },
                customdata=customdata(ring),
                hovertemplate=hover,
                name=t("timeline.chosen"),
            )
        )
    # A range slider copies every mark; under forty lanes it is a second chart, not a handle.
    _lane_layout(fig, lanes, height, rangeslider=len(frame) > 50 and len(lanes) <= 12)
    first, last = min(frame["start"]), max(frame["end"].fillna(frame["start"]))
    style.time_axis(fig, lang, first, last)
    fig.update_layout(dragmode="zoom")
    return fig


def _lane_layout(fig: go.Figure, lanes: list[str], height: int | None, rangeslider: bool) -> None:
    """The layout both timeline figures share: one row per lane (busiest on top), time
    across, the legend above."""
    per_lane = 46 if len(lanes) <= 12 else 30
    fig.update_layout(
        height=height or max(240, 110 + per_lane * len(lanes)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        xaxis={"type": "date", "rangeslider": {"visible": rangeslider}},
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(reversed(lanes)),
            "title": None,
            "automargin": True,
        },
        hovermode="closest",
    )


def period_text(day, freq: str, lang: str) -> str:
    """A heatmap column in words: '2024-07-01 起一周' / 'week of 2024-07-01', '2024年7月'."""
    stamp = pd.Timestamp(day)
    if freq == "M":
        return f"{stamp.year}年{stamp.month}月" if lang == "zh" else stamp.strftime("%b %Y")
    if lang == "zh":
        return f"{stamp:%Y-%m-%d} 起一周"
    return f"week of {stamp:%Y-%m-%d}"


def heatmap_figure(
    frame: pd.DataFrame, labels: Labels, height: int | None = None, chosen: str | None = None
) -> go.Figure:
    """Many stories: one cell per direction (row, busiest on top) and week or month (column,
    as wide as its period on a date axis; a period without stories is an empty cell), shaded
    by the number of stories.

    Heatmap cells cannot be selected in plotly, so an invisible marker sits on each cell that
    holds stories; its ``customdata`` starts with the cell id (``cell:W|PRK>RUS|2024-07-01``,
    see ``analysis.timeline_buckets``), then lane, period, stories and reports. The
    ``chosen`` cell (its events are listed below) is outlined.
    """
    lang = labels.lang
    t = lambda k: i18n.t(k, lang)  # noqa: E731
    fig = go.Figure()
    if frame.empty:
        fig.update_layout(height=height or 200, xaxis={"type": "date"})
        return fig
    freq, edges = period_columns(frame)
    cells = heat_cells(frame, freq)
    lanes = lane_order(frame)
    row_of = {lane: i for i, lane in enumerate(lanes)}
    col_of = {int(d): i for i, d in enumerate(edges[:-1].astype(np.int64))}
    z = np.full((len(lanes), len(edges) - 1), np.nan)
    period_days = pd.to_datetime(cells["period"]).to_numpy(dtype="datetime64[D]").astype(np.int64)
    rows = np.array([row_of[x] for x in cells["lane"]], dtype=np.int64)
    cols = np.array([col_of[int(d)] for d in period_days], dtype=np.int64)
    z[rows, cols] = cells["stories"].to_numpy(dtype=float)
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=edges,  # one more than the columns: the cells' edges, each as wide as its period
            y=lanes,
            colorscale="YlOrRd",
            zmin=0,
            xgap=1,
            ygap=2,
            hoverinfo="skip",
            colorbar={"title": {"text": t("timeline.heat_scale")}, "thickness": 12, "len": 0.7},
        )
    )
    centres = edges[:-1] + (edges[1:] - edges[:-1]) // 2
    stories = [labels.number(int(n)) for n in cells["stories"]]
    reports = [labels.number(int(n)) for n in cells["reports"]]
    width_px = PLOT_WIDTH_PX / max(len(edges) - 1, 1)
    fig.add_trace(
        go.Scatter(
            x=centres[cols],
            y=cells["lane"].to_numpy(dtype=str),
            mode="markers",
            marker={
                "symbol": "square-open",
                "size": float(np.clip(width_px, 6, 30)),
                "color": "#111",
                "opacity": 0,
                "line": {"width": 2},
            },
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 0}},
            customdata=np.column_stack(
                [
                    cells["cell_id"].to_numpy(dtype=str),
                    np.array([html.escape(str(x)) for x in cells["lane"]], dtype=object),
                    np.array([period_text(d, freq, lang) for d in cells["period"]], dtype=object),
                    np.array(stories, dtype=object),
                    np.array(reports, dtype=object),
                ]
            ).astype(str),
            hovertemplate=(
                "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
                f"{t('timeline.hover_stories')}: %{{customdata[3]}}<br>"
                f"{t('timeline.hover_reports')}: %{{customdata[4]}}<br>"
                f"<i>{t('timeline.hover_click_cell')}</i><extra></extra>"
            ),
            showlegend=False,
        )
    )
    _lane_layout(fig, lanes, height, rangeslider=False)
    picked = cells[cells["cell_id"] == chosen]
    if len(picked):
        row = len(lanes) - 1 - row_of[picked["lane"].iloc[0]]  # lanes run bottom to top
        col = col_of[int(period_days[picked.index[0]])]
        fig.add_shape(
            type="rect",
            xref="x",
            yref="y",
            x0=edges[col],
            x1=edges[col + 1],
            y0=row - 0.5,
            y1=row + 0.5,
            line={"color": CHOSEN_COLOR, "width": 3},
        )
    style.time_axis(fig, lang, edges[0], edges[-1])
    fig.update_layout(clickmode="event+select", dragmode="zoom")
    return fig


def story_at(figure: go.Figure | dict, curve_number: int, point_index: int) -> str | None:
    """The story_id (or cell id) of a selected point (plotly selection: curve, point index)."""
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


TABLE_COLUMNS = [
    "date",
    "time_expr",
    "direction",
    "kind",
    "lead",
    "place",
    "reports",
    "outlets",
    "story_id",
]


def timeline_table(frame: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """What the chart shows, as a table (also the CSV download): the date as precisely as
    it is known next to the words it was read from."""
    if frame.empty:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    return pd.DataFrame(
        {
            "date": date_texts(frame, labels),
            "time_expr": frame["time_expr"].fillna(""),
            "direction": frame["lane"],
            "kind": [i18n.t(f"kind.{k}", labels.lang) for k in frame["kind"]],
            "lead": frame["lead_name"].fillna(""),
            "place": frame["place_name"].fillna(""),
            "reports": frame["reports"],
            "outlets": frame["outlets"],
            "story_id": frame["story_id"],
        }
    )[TABLE_COLUMNS]


def selected_story(figure: go.Figure | dict | None, selection) -> str | None:
    """The story (or heatmap cell) a plotly selection (st.plotly_chart's ``selection``)
    points at; ``figure`` resolves points that carry only their curve and index."""
    points = (selection or {}).get("points") or []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and data and isinstance(data[0], str):
            return data[0]
        curve, index = point.get("curve_number"), point.get("point_index")
        if figure is not None and curve is not None and index is not None:
            story = story_at(figure, int(curve), int(index))
            if story:
                return story
    return None
