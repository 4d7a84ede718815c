"""The overview's figure: articles per period, stacked by outlet."""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from ..common import i18n
from .style import base_layout


def articles_per_day_figure(
    per_day: pd.DataFrame,
    lang: str,
    source_label: Callable[[str], str] = str,
    period: str = "D",
) -> go.Figure:
    """Stacked bars: articles per publication day (or week, or month: ``period`` 'W', 'M',
    with ``published`` the period's first day), one colour per outlet."""
    fig = go.Figure()
    when = i18n.t(f"period.hover.{period}", lang)
    for source, rows in per_day.groupby("source", sort=True):
        label = source_label(source)
        fig.add_bar(
            # days as a numpy array: plotly checks a list item by item (a day per outlet)
            x=pd.to_datetime(rows["published"]).to_numpy(dtype="datetime64[D]"),
            y=rows["articles"].tolist(),
            name=label,
            hovertemplate=f"{html.escape(label)}<br>{when}: %{{y}}<extra></extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_xaxes(
        type="date",
        title=i18n.t(f"period.axis.{period}", lang),
        tickformat="%Y-%m" if period == "M" else "%Y-%m-%d",
    )
    fig.update_yaxes(
        title=i18n.t("col.articles", lang), dtick=1 if _max_stack(per_day) <= 10 else None
    )
    return base_layout(fig)


def _max_stack(per_day: pd.DataFrame) -> int:
    if per_day.empty:
        return 0
    return int(per_day.groupby("published")["articles"].sum().max())
