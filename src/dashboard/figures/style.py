"""What every plotly figure shares: font, margins, entity-type colours."""

from __future__ import annotations

import plotly.graph_objects as go

TYPE_COLORS = {
    "person": "#c0392b",
    "country": "#2471a3",
    "org": "#7d3c98",
    "place": "#1e8449",
}
_FONT = "Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


def base_layout(fig: go.Figure, height: int = 360) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        font={"family": _FONT},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"family": _FONT}},
    )
    return fig


# ---------------------------------------------------------------- outlet colours
#
# One colour per outlet on every chart: the corpus's outlets by size (Labels.outlet_order)
# take these in turn, so an outlet keeps its colour whatever the filters, and 24 outlets are
# told apart (pairwise CIE76 distance >= 26, none grey; tests/test_analyst_view.py). Outlets
# beyond the 24th share OTHER_COLOR and are drawn as one "other outlets" group; the unknown
# outlet is always UNKNOWN_COLOR.
OUTLET_PALETTE = (
    "#4c78a8",
    "#f58518",
    "#e45756",
    "#54a24b",
    "#b279a2",
    "#ff9da6",
    "#511cfb",
    "#fe00ce",
    "#6a76fc",
    "#6c4516",
    "#bcbd22",
    "#b00068",
    "#2ed9ff",
    "#fb0d0d",
    "#00a08b",
    "#990099",
    "#da16ff",
    "#5f4690",
    "#dea0fd",
    "#86ce00",
    "#ddcc77",
    "#f2b701",
    "#ff0092",
    "#6c7c32",
)
UNKNOWN_COLOR = "#9e9e9e"
OTHER_COLOR = "#d0d0d0"
OTHER_OUTLETS = "__other__"  # the group of outlets beyond the palette


def outlet_colors(order) -> dict[str, str]:
    """source -> colour for outlets in ``order`` (Labels.outlet_order); others: OTHER_COLOR."""
    colors = {OTHER_OUTLETS: OTHER_COLOR, "unknown": UNKNOWN_COLOR}
    named = [s for s in order if s != "unknown"]
    for source, color in zip(named, OUTLET_PALETTE, strict=False):
        colors[source] = color
    return colors


def outlet_group(source: str, colors: dict[str, str]) -> str:
    """The outlet itself when it has a colour of its own, else the "other outlets" group."""
    return source if source in colors else OTHER_OUTLETS


# ---------------------------------------------------------------- time axes

DAY_MS = 86_400_000
_PERIOD_DAYS = {"D": 1.0, "W": 7.0, "M": 30.4}
# Tick labels per language, by the distance between ticks; the year is always in them (a
# chart of July alone must still say which July), and Chinese pages get no English months.
_TICK_FORMATS = {
    "zh": ("%Y年%-m月%-d日", "%Y年%-m月", "%Y年"),
    "en": ("%-d %b %Y", "%b %Y", "%Y"),
}
_HOVER_FORMATS = {
    "zh": {"D": "%Y-%m-%d", "W": "%Y-%m-%d 起一周", "M": "%Y年%-m月"},
    "en": {"D": "%Y-%m-%d", "W": "week of %Y-%m-%d", "M": "%b %Y"},
}


def bar_width_ms(period: str) -> float:
    """A bar's width in milliseconds of the date axis: its bin (day, week, month), less a gap.
    Without it plotly sizes bars by the closest two bars, and two weekly bars a year apart
    are drawn a year wide."""
    return _PERIOD_DAYS.get(period, 1.0) * DAY_MS * 0.85


def bar_offset_ms(period: str) -> float | None:
    """Weekly and monthly bars start at their bin's first day and cover the bin; a day's bar
    is centred on its day."""
    return None if period == "D" else 0.0


def hover_date_format(period: str, lang: str) -> str:
    """A d3 date format for hover text of a bin (``%{x|...}``)."""
    return _HOVER_FORMATS.get(lang, _HOVER_FORMATS["en"]).get(period, "%Y-%m-%d")


def time_axis(fig: go.Figure, lang: str, first=None, last=None, title: str | None = None) -> None:
    """A date x axis the reader can trust: ticks in the page's language with the year, never
    finer than a day (a one-day range gets no hour ticks), the range padded by half a day."""
    import pandas as pd

    day, month, year = _TICK_FORMATS.get(lang, _TICK_FORMATS["en"])
    axis: dict = {
        "type": "date",
        "tickformatstops": [
            {"dtickrange": [None, "M1"], "value": day},
            {"dtickrange": ["M1", "M12"], "value": month},
            {"dtickrange": ["M12", None], "value": year},
        ],
        "hoverformat": "%Y-%m-%d",
    }
    if title is not None:
        axis["title"] = title
    if first is not None and last is not None:
        start, end = pd.Timestamp(first), pd.Timestamp(last)
        # A few days: one tick a day, never hours.
        if pd.notna(start) and pd.notna(end) and (end - start).days < 14:
            axis["dtick"] = DAY_MS
            axis["tick0"] = start.strftime("%Y-%m-%d")
            axis["range"] = [
                (start - pd.Timedelta(hours=12)).isoformat(),
                (end + pd.Timedelta(hours=12)).isoformat(),
            ]
    fig.update_xaxes(**axis)
