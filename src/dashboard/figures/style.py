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
