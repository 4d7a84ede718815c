"""The entity figures: top entities by type, entity x outlet heatmap, mentions over time.

No Streamlit here. Names come from ``labels`` (analysis.labels.Labels): the page's language,
English names on English pages where the gazetteer has one; outlet colours from
``figures.style.outlet_colors``.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..common import i18n
from .overview import group_label, outlet_legend_order
from .style import (
    OTHER_OUTLETS,
    TYPE_COLORS,
    bar_offset_ms,
    bar_width_ms,
    base_layout,
    hover_date_format,
    time_axis,
)

TREND_MEASURES = ("count", "share")
OUTLET_MEASURES = ("share", "count")
MAX_HEATMAP_OUTLETS = 14  # columns that stay readable on a laptop; the rest are one column


def entity_label(row: pd.Series | dict, lang: str) -> str:
    """The name shown for an entity: Chinese, or English when the UI is English and one exists."""
    name_en = row.get("name_en") or ""
    if lang == "en" and name_en:
        return str(name_en)
    return str(row.get("name_zh") or row.get("entity_id"))


def entity_display_names(top: pd.DataFrame, lang: str) -> dict[str, str]:
    """entity_id -> the name on the chart, unique: two entities that share a display name
    get a number, so their bars and heatmap rows stay apart."""
    seen: dict[str, int] = {}
    names = {}
    for row in top.to_dict("records"):
        label = entity_label(row, lang)
        seen[label] = seen.get(label, 0) + 1
        names[row["entity_id"]] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return names


def top_entities_figure(top: pd.DataFrame, labels) -> go.Figure:
    """Horizontal bars, most mentioned on top, one colour per entity type with a legend.
    One trace holds every bar, so a selected point's index is its row of ``top`` (and its
    ``customdata[0]`` the entity id); the legend's entries are empty traces, not clickable."""
    lang = labels.lang
    fig = go.Figure()
    if top.empty:
        return base_layout(fig)
    names = entity_display_names(top, lang)
    order = [names[e] for e in top["entity_id"]]
    type_names = {t: i18n.t(f"type.{t}", lang) for t in TYPE_COLORS}
    hover = (
        "<b>%{customdata[1]}</b> · %{customdata[2]}<br>"
        + i18n.t("col.aliases", lang)
        + ": %{customdata[3]}<br>"
        + i18n.t("col.type", lang)
        + ": %{customdata[4]}<br>"
        + i18n.t("col.mentions", lang)
        + ": %{x:,} · "
        + i18n.t("col.articles", lang)
        + ": %{customdata[5]:,}<extra></extra>"
    )
    fig.add_bar(
        x=top["mentions"].tolist(),
        y=order,
        orientation="h",
        marker={"color": [TYPE_COLORS.get(t, "#7f8c8d") for t in top["type"]]},
        customdata=[
            [
                r["entity_id"],
                html.escape(str(r["name_zh"])),
                html.escape(str(r["name_en"] or "—")),
                html.escape(str(r["aliases"] or "—")),
                type_names.get(r["type"], str(r["type"])),
                int(r["articles"]),
            ]
            for r in top.to_dict("records")
        ],
        hovertemplate=hover,
        showlegend=False,
    )
    for kind in [t for t in TYPE_COLORS if (top["type"] == t).any()]:
        fig.add_bar(  # a legend entry for the colour of each type on the chart
            x=[None],
            y=[None],
            orientation="h",
            name=type_names[kind],
            marker={"color": TYPE_COLORS[kind]},
            hoverinfo="skip",
        )
    fig.update_layout(barmode="overlay", showlegend=True, legend={"itemclick": False})
    fig.update_layout(legend={"itemdoubleclick": False})
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array")
    fig.update_yaxes(categoryarray=order)
    fig.update_xaxes(title=i18n.t("col.mentions", lang), tickformat=",")
    return base_layout(fig, height=max(260, 28 * len(top) + 90))


def entity_outlet_heatmap(
    by_outlet: pd.DataFrame, names: dict[str, str], labels, colors: dict[str, str], measure="share"
) -> go.Figure:
    """Entities (rows, in ``names`` order) x outlets (columns, in the corpus's outlet order):
    the share of each outlet's articles that mention the entity (``measure`` 'share', fair
    to small outlets) or its mentions ('count'). The largest MAX_HEATMAP_OUTLETS outlets of
    the selection get a column each (in the corpus's order); the rest share one "other
    outlets" column, the unknown outlet its own."""
    lang = labels.lang
    fig = go.Figure()
    if by_outlet.empty or not names:
        return base_layout(fig)
    rank = {s: i for i, s in enumerate(labels.outlet_order)}
    named = sorted(
        (s for s in by_outlet["source"].unique() if s != "unknown"),
        key=lambda s: (rank.get(s, len(rank)), s),
    )[:MAX_HEATMAP_OUTLETS]
    own_column = set(named) | {"unknown"}
    frame = by_outlet.assign(
        group=[s if s in own_column else OTHER_OUTLETS for s in by_outlet["source"]]
    )
    summed = frame.groupby(["entity_id", "group"], as_index=False)[
        ["mentions", "articles", "outlet_articles"]
    ].sum()
    # Per entity and group: the group's articles are the sum over its outlets (one row each).
    summed["share"] = summed["articles"] / summed["outlet_articles"].clip(lower=1)
    groups = outlet_legend_order(summed["group"].unique(), labels, dict.fromkeys(own_column, ""))
    entities = [e for e in names if e in set(summed["entity_id"])]
    # Every (entity, group) cell in one reindex: a lookup per cell cost 100 ms a rerun.
    cells = pd.MultiIndex.from_product([entities, groups], names=["entity_id", "group"])
    table = summed.set_index(["entity_id", "group"]).reindex(cells)

    def grid(name: str) -> np.ndarray:
        return table[name].to_numpy().reshape(len(entities), len(groups))

    column = "share" if measure == "share" else "mentions"
    z = grid(column).astype(float)
    counts = np.empty((len(entities), len(groups), 3), dtype=object)
    for n, name in enumerate(("articles", "outlet_articles", "mentions")):
        counts[:, :, n] = [[f"{int(v):,}" for v in row] for row in grid(name)]
    outlet_names = [group_label(g, labels) for g in groups]
    value = "%{z:.0%}" if measure == "share" else "%{z:,}"
    fig.add_heatmap(
        z=z.tolist(),
        x=outlet_names,
        y=[names[e] for e in entities],
        customdata=counts,
        colorscale="Blues",
        zmin=0,
        colorbar={"title": {"text": i18n.t(f"entities.outlet_measure.{measure}", lang)}},
        hovertemplate=(
            "<b>%{y}</b> · %{x}<br>"
            + value
            + "<br>"
            + i18n.t("entities.heat_hover", lang)
            + "<extra></extra>"
        ),
        # Numbers in the cells while they fit; the hover always has them.
        texttemplate=("%{z:.0%}" if measure == "share" else "%{z:,}")
        if len(groups) <= 10
        else None,
        textfont={"size": 10},
        xgap=1,
        ygap=1,
    )
    if measure == "share":
        fig.data[0].colorbar.tickformat = ".0%"
    fig.data[0].colorbar.update(thickness=12, len=0.8)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", tickangle=-35 if len(groups) > 5 else 0, side="top")
    fig = base_layout(fig, height=max(280, 24 * len(entities) + 160))
    fig.update_layout(margin={"t": 110 if len(groups) > 5 else 40})
    return fig


def entity_trend_figure(
    trend: pd.DataFrame, names: dict[str, str], labels, period: str = "D", measure="count"
) -> go.Figure:
    """Each chosen entity over time, one bin per day, week or month (``period``).

    'count': its mentions per bin, as bars as wide as the bin (grouped). 'share': the share
    of the selection's articles of the bin that mention it, as lines; a bin in which the
    selection has no article at all is a gap in the line, never a zero or a joined slope."""
    lang = labels.lang
    fig = go.Figure()
    if trend.empty:
        time_axis(fig, lang)
        return base_layout(fig)
    when = hover_date_format(period, lang)
    shown = [e for e in names if (trend["entity_id"] == e).any()]
    width = bar_width_ms(period) / max(1, len(shown))
    for k, entity_id in enumerate(shown):
        rows = trend[trend["entity_id"] == entity_id]
        x = pd.to_datetime(rows["published"]).to_numpy(dtype="datetime64[D]")
        name = names[entity_id]
        if measure == "share":
            fig.add_scatter(
                x=x,
                y=rows["share"].to_numpy(dtype=float),
                mode="lines+markers",
                connectgaps=False,
                name=name,
                marker={"size": 5},
                hovertemplate=f"{html.escape(name)}<br>%{{x|{when}}}: %{{y:.1%}}<extra></extra>",
            )
        else:
            # Bins without any article are left out: no bar is not a zero bar.
            has = rows["period_articles"].to_numpy() > 0
            offset = bar_offset_ms(period)
            fig.add_bar(
                x=x[has],
                y=rows["mentions"].to_numpy()[has],
                width=width,
                offset=(offset or -bar_width_ms(period) / 2) + k * width,
                name=name,
                hovertemplate=f"{html.escape(name)}<br>%{{x|{when}}}: %{{y:,}}<extra></extra>",
            )
    days = pd.to_datetime(trend["published"])
    end = days.max() + pd.Timedelta(days={"D": 0, "W": 6}.get(period, 30))
    time_axis(fig, lang, days.min(), end, title=i18n.t(f"period.axis.{period}", lang))
    if measure == "share":
        fig.update_yaxes(title=i18n.t("entities.trend_share_axis", lang), tickformat=".0%")
    else:
        fig.update_yaxes(title=i18n.t("col.mentions", lang), rangemode="tozero", tickformat=",")
    fig.update_layout(barmode="overlay")
    return base_layout(fig)
