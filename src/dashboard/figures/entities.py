"""Pure figure functions: ``DataFrame -> plotly Figure`` (and escaped HTML for the reader).

No Streamlit here. Labels come in through ``lang``; entity and outlet display names come
in through the frames or small dicts, so the functions stay testable on plain data.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from ..common import i18n
from .style import TYPE_COLORS, base_layout


def entity_label(row: pd.Series | dict, lang: str) -> str:
    """The name shown for an entity: Chinese, or English when the UI is English and one exists."""
    name_en = row.get("name_en") or ""
    if lang == "en" and name_en:
        return str(name_en)
    return str(row.get("name_zh") or row.get("entity_id"))


def top_entities_figure(top: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars, most mentioned on top, coloured by type. Selecting a bar gives its
    entity id in ``customdata[0]`` (the page lists that entity's sentences)."""
    fig = go.Figure()
    if top.empty:
        return base_layout(fig)
    labels = [entity_label(r, lang) for r in top.to_dict("records")]
    # Two entities can share a display name: make the category unique, keep the text.
    seen: dict[str, int] = {}
    categories = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        categories.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    type_names = {t: i18n.t(f"type.{t}", lang) for t in TYPE_COLORS}
    customdata = [
        [
            r["entity_id"],
            html.escape(str(r["name_zh"])),
            html.escape(str(r["name_en"] or "—")),
            html.escape(str(r["aliases"] or "—")),
            type_names.get(r["type"], str(r["type"])),
            int(r["articles"]),
        ]
        for r in top.to_dict("records")
    ]
    fig.add_bar(
        x=top["mentions"].tolist(),
        y=categories,
        orientation="h",
        marker={"color": [TYPE_COLORS.get(t, "#7f8c8d") for t in top["type"]]},
        customdata=customdata,
        hovertemplate=(
            "<b>%{customdata[1]}</b> · %{customdata[2]}<br>"
            + i18n.t("col.aliases", lang)
            + ": %{customdata[3]}<br>"
            + i18n.t("col.type", lang)
            + ": %{customdata[4]}<br>"
            + i18n.t("col.mentions", lang)
            + ": %{x} · "
            + i18n.t("col.articles", lang)
            + ": %{customdata[5]}<extra></extra>"
        ),
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=i18n.t("col.mentions", lang))
    return base_layout(fig, height=max(240, 28 * len(top) + 60))


def entity_outlet_figure(
    by_outlet: pd.DataFrame,
    names: dict[str, str],
    lang: str,
    source_label: Callable[[str], str] = str,
) -> go.Figure:
    """Grouped bars: mentions of each entity (x) per outlet (colour)."""
    fig = go.Figure()
    order = list(names)
    for source, rows in by_outlet.groupby("source", sort=True):
        rows = rows.set_index("entity_id").reindex(
            [e for e in order if e in set(rows["entity_id"])]
        )
        fig.add_bar(
            x=[names.get(e, e) for e in rows.index],
            y=rows["mentions"].tolist(),
            name=source_label(source),
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=[names[e] for e in order]
    )
    fig.update_yaxes(title=i18n.t("col.mentions", lang))
    return base_layout(fig)


def entity_trend_figure(trend: pd.DataFrame, names: dict[str, str], lang: str) -> go.Figure:
    """Lines with markers: mentions per day for each chosen entity."""
    fig = go.Figure()
    for entity_id in names:
        rows = trend[trend["entity_id"] == entity_id]
        if rows.empty:
            continue
        fig.add_scatter(
            x=[d.isoformat() for d in rows["published"]],
            y=rows["mentions"].tolist(),
            mode="lines+markers",
            name=names[entity_id],
        )
    fig.update_xaxes(type="date", title=i18n.t("col.date", lang), tickformat="%Y-%m-%d")
    fig.update_yaxes(title=i18n.t("col.mentions", lang), rangemode="tozero")
    return base_layout(fig)
