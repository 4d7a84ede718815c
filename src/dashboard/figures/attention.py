"""The attention chart: matching articles per period for several queries, overlaid (one
colour per query) or per outlet (one panel per query, the outlets' own colours); counts as
bars as wide as their period, shares as lines with a gap where nothing was published.

Every bar and point carries its id (``analysis.attention.point_id``) in ``customdata``, so a
click names the query, the period and the outlet whose articles the page then lists.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis.attention import period_end, point_id
from ..common import i18n
from .overview import group_label, outlet_legend_order
from .style import DAY_MS, bar_width_ms, base_layout, outlet_group, time_axis

i18n.extend(
    {
        "page.attention": {"zh": "关注度", "en": "Attention"},
        "attention.entity": {"zh": "实体:{name}", "en": "entity: {name}"},
        "attention.axis.count": {"zh": "匹配的文章", "en": "Matching articles"},
        "attention.axis.share": {"zh": "占该期文章的比例", "en": "Share of the period's articles"},
        "attention.hover.count": {
            "zh": "{name}<br>{when}:{n} 篇(该期共 {total} 篇)",
            "en": "{name}<br>{when}: {n} of {total} articles",
        },
        "attention.hover.share": {
            "zh": "{name}<br>{when}:{share}({n}/{total} 篇)",
            "en": "{name}<br>{when}: {share} ({n} of {total} articles)",
        },
        "attention.reason.quote": {"zh": "引号没有闭合", "en": "a quote is not closed"},
        "attention.reason.paren": {"zh": "括号不成对", "en": "brackets do not pair up"},
        "attention.reason.operator": {
            "zh": "AND、OR、NOT 前后缺少词语",
            "en": "AND, OR or NOT lacks a word beside it",
        },
        "attention.reason.entity": {
            "zh": "没有实体 {detail}",
            "en": "there is no entity {detail}",
        },
        "attention.reason.too_long": {"zh": "太长", "en": "too long"},
        "attention.reason.empty": {"zh": "是空的", "en": "empty"},
        "attention.week_of": {"zh": "{day} 起一周", "en": "week of {day}"},
    }
)

MEASURES = ("count", "share")
# One colour per query (Dark2 and friends): apart from each other, and never an outlet's
# colour in the same chart, since queries and outlets are coloured in different views.
QUERY_COLORS = ("#1b6ca8", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#a6761d")
_TITLE_PX, _PANEL_PX, _GAP_PX = 24, 170, 18  # a panel per query: its title band, plot, gap
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ENTITY = re.compile(r"(?i)entity:([^\s()（）\"“”「」]+)")


def query_label(text: str, labels, lookup: Mapping[str, str] | None = None) -> str:
    """A query as a legend shows it: as typed, each ``entity:ID`` by the entity's name."""

    def name(match: re.Match) -> str:
        raw = match.group(1)
        eid = (lookup or {}).get(raw) or (lookup or {}).get(raw.casefold()) or raw
        return labels.t("attention.entity", name=labels.entity(eid, raw))

    return _ENTITY.sub(name, str(text)).strip()


def query_error_text(error, lang: str) -> str:
    """Why a query could not be read (an ``analysis.query.QueryError``), in words."""
    return i18n.t(f"attention.reason.{error.reason}", lang, detail=str(error.detail)[:40])


def period_text(start, period: str, lang: str) -> str:
    """A period in words: 2024-07-19, 2024-07-15 起一周 / week of 2024-07-15, 2024年7月 / Jul 2024."""
    day = pd.Timestamp(start)
    if period == "M":
        return (
            f"{day.year}年{day.month}月" if lang == "zh" else f"{_MONTHS[day.month - 1]} {day.year}"
        )
    if period == "W":
        return i18n.t("attention.week_of", lang, day=f"{day:%Y-%m-%d}")
    return f"{day:%Y-%m-%d}"


def _grouped(series: pd.DataFrame, colors: Mapping[str, str], by: str) -> pd.DataFrame:
    """The series with outlets beyond the palette summed into one group (by outlet)."""
    if by != "outlet":
        return series.assign(group=None)
    frame = series.assign(group=[outlet_group(s, colors) for s in series["source"]])
    frame = frame.groupby(["query", "group", "period"], as_index=False, sort=False)[
        ["articles", "total"]
    ].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["share"] = np.where(
            frame["total"] > 0, frame["articles"] / frame["total"].clip(lower=1), np.nan
        )
    return frame


def point_ids(series: pd.DataFrame, colors: Mapping[str, str], by: str = "query") -> list[str]:
    """The id of every point the chart draws (what a click can select)."""
    frame = _grouped(series, colors, by)
    frame = frame[frame["total"] > 0]
    return [
        point_id(q, p, g)
        for q, p, g in zip(frame["query"], frame["period"], frame["group"], strict=True)
    ]


def _middle(starts: np.ndarray, period: str) -> np.ndarray:
    """A line's point in the middle of its period (a day's on the day)."""
    if period == "D":
        return starts
    ends = np.array([period_end(s, period) for s in starts], dtype="datetime64[D]")
    half = (ends - starts).astype(np.int64) * (DAY_MS // 2)
    return starts.astype("datetime64[ms]") + half.astype("timedelta64[ms]")


def _selection(ids: list[str], selected: str | None) -> dict:
    """Plotly's selected points of a trace: the chosen point, or none of the trace's."""
    if selected is None:
        return {}
    chosen = [i for i, p in enumerate(ids) if p == selected]
    return {
        "selectedpoints": chosen,
        "selected": {"marker": {"opacity": 1.0}},
        "unselected": {"marker": {"opacity": 0.3}},
    }


def _hover(labels, key: str, name: str, when, n, total, share) -> list[str]:
    return [
        html.escape(
            labels.t(
                key,
                name=name,
                when=w,
                n=labels.number(int(a)),
                total=labels.number(int(t)),
                share="—" if np.isnan(v) else f"{v:.1%}",
            )
        )
        for w, a, t, v in zip(when, n, total, share, strict=True)
    ]


def attention_figure(
    series: pd.DataFrame,
    names: Sequence[str],
    labels,
    colors: Mapping[str, str],
    period: str = "D",
    measure: str = "count",
    by: str = "query",
    selected: str | None = None,
) -> go.Figure:
    """The chart of ``analysis.attention.attention_series`` (``names``: each query's label).

    By query: one colour per query; counts as bars side by side inside their period, shares
    as lines. By outlet: one panel per query (one time axis under them all), stacked bars
    (counts) or lines (shares) per outlet in its own colour (``colors``; outlets beyond the
    palette as "other outlets"). A period with no article at all (in the selection, or of
    that outlet) is a gap: no bar, a break in the line. The ``selected`` point (its id)
    stands out, the others are dimmed."""
    lang = labels.lang
    frame = _grouped(series, colors, by)
    panels = max(1, len(names)) if by == "outlet" else 1
    if frame.empty:
        fig = go.Figure()
        time_axis(fig, lang)
        return base_layout(fig)
    frame["period"] = pd.to_datetime(frame["period"]).to_numpy(dtype="datetime64[D]")
    starts_all = frame["period"].to_numpy(dtype="datetime64[D]")
    bins = np.unique(starts_all)
    when_of = dict(zip(bins.tolist(), (period_text(b, period, lang) for b in bins), strict=True))
    middle_of = dict(zip(bins.tolist(), _middle(bins, period).tolist(), strict=True))
    width = bar_width_ms(period)
    base = -width / 2 if period == "D" else 0.0
    key = "attention.hover." + measure
    if by == "outlet":
        order = outlet_legend_order(frame["group"].dropna().unique(), labels, colors)
        groups = frame.groupby(["query", "group"], sort=False).indices
    else:
        order = [None]
        groups = {(q, None): idx for q, idx in frame.groupby("query", sort=False).indices.items()}
    articles = frame["articles"].to_numpy()
    totals = frame["total"].to_numpy()
    shares = frame["share"].to_numpy(dtype=float)
    traces = []
    for q in range(len(names)):
        for group in order:
            idx = groups.get((q, group))
            if idx is None:
                continue
            if measure == "count":
                idx = idx[totals[idx] > 0]
                if not len(idx):
                    continue
            name = names[q] if group is None else group_label(group, labels)
            color = QUERY_COLORS[q % len(QUERY_COLORS)] if group is None else colors.get(group)
            starts = starts_all[idx]
            days = starts.tolist()
            hover = _hover(
                labels,
                key,
                name,
                [when_of[d] for d in days],
                articles[idx],
                totals[idx],
                shares[idx],
            )
            ids = [
                point_id(q, s, group) if t > 0 else ""
                for s, t in zip(starts, totals[idx], strict=True)
            ]
            trace = _selection(ids, selected) | {
                "name": name,
                "customdata": np.array([ids, hover], dtype=object).T,
                "hovertemplate": "%{customdata[1]}<extra></extra>",
                "legendgroup": str(q if group is None else group),
                "showlegend": group is None or q == 0,
                "yaxis": "y" if by != "outlet" or q == 0 else f"y{q + 1}",
            }
            if measure == "share":
                trace |= {
                    "type": "scatter",
                    "x": [middle_of[d] for d in days],
                    "y": shares[idx],
                    "mode": "lines+markers",
                    "connectgaps": False,
                    "line": {"color": color, "width": 2},
                    "marker": {"color": color, "size": 6},
                }
            else:
                n = 1 if by == "outlet" else len(names)
                trace |= {
                    "type": "bar",
                    "x": starts,
                    "y": articles[idx],
                    "width": width / n,
                    "offset": base + (0 if by == "outlet" else q) * width / n,
                    "marker": {"color": color},
                }
            traces.append(trace)
    layout: dict = {
        "barmode": "stack" if by == "outlet" else "overlay",
        "legend": {"traceorder": "normal"},
    }
    if measure == "share":
        top = float(np.nanmax(shares)) if np.isfinite(shares).any() else 0.0
        y_axis = {"tickformat": ".1%" if top < 0.1 else ".0%", "rangemode": "tozero"}
    else:
        small = int(articles.max()) <= 10
        y_axis = {"tickformat": ",", "rangemode": "tozero"} | ({"dtick": 1} if small else {})
    if panels == 1:
        layout["yaxis"] = y_axis | {"title": i18n.t(f"attention.axis.{measure}", lang)}
    else:
        # One panel per query, top to bottom, under one time axis; each titled by its query
        # in a band of its own above it (never over the legend or the panel above).
        whole = panels * (_TITLE_PX + _PANEL_PX) + (panels - 1) * _GAP_PX
        annotations = []
        for q in range(panels):
            top_px = q * (_TITLE_PX + _PANEL_PX + _GAP_PX)
            top, bottom = top_px + _TITLE_PX, top_px + _TITLE_PX + _PANEL_PX
            domain = [max(0.0, round(1 - bottom / whole, 6)), min(1.0, round(1 - top / whole, 6))]
            layout["yaxis" if q == 0 else f"yaxis{q + 1}"] = y_axis | {
                "domain": domain,
                "anchor": "x",
            }
            annotations.append(
                {
                    "text": html.escape(names[q]),
                    "x": 0,
                    "xref": "paper",
                    "xanchor": "left",
                    "y": round(1 - top_px / whole, 6),
                    "yref": "paper",
                    "yanchor": "top",
                    "showarrow": False,
                    "font": {"size": 13, "color": QUERY_COLORS[q % len(QUERY_COLORS)]},
                }
            )
        layout["annotations"] = annotations
        layout["xaxis"] = {"anchor": f"y{panels}"}
    fig = go.Figure(data=traces, layout=layout)
    first, last = bins.min(), bins.max()
    if period != "D":  # the last bar covers its whole period
        last = pd.Timestamp(period_end(last, period)) - pd.Timedelta(days=1)
    time_axis(fig, lang, first, last, title=i18n.t(f"period.axis.{period}", lang))
    shown = len(order) if by == "outlet" else len(names)
    legend_rows = -(-shown // 4)
    if panels == 1:
        height = 300 + 22 * legend_rows
    else:
        height = panels * (_TITLE_PX + _PANEL_PX + _GAP_PX) + 60 + 22 * legend_rows
    fig = base_layout(fig, height=height)
    if by == "outlet":  # outlets side by side in rows of even width, also on a phone
        fig.update_layout(legend={"entrywidth": 135, "entrywidthmode": "pixels"})
    return fig
