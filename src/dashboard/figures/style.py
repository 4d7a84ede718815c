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
