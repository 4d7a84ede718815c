"""Pure figure functions: ``DataFrame -> plotly Figure`` (and escaped HTML for the reader).

No Streamlit here. Labels come in through ``lang``; entity and outlet display names come
in through the frames or small dicts, so the functions stay testable on plain data.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from . import i18n

TYPE_COLORS = {
    "person": "#c0392b",
    "country": "#2471a3",
    "org": "#7d3c98",
    "place": "#1e8449",
}
_FONT = "Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


def _layout(fig: go.Figure, height: int = 360) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        font={"family": _FONT},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"family": _FONT}},
    )
    return fig


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
    return _layout(fig)


def _max_stack(per_day: pd.DataFrame) -> int:
    if per_day.empty:
        return 0
    return int(per_day.groupby("published")["articles"].sum().max())


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
        return _layout(fig)
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
    return _layout(fig, height=max(240, 28 * len(top) + 60))


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
    return _layout(fig)


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
    return _layout(fig)


# ---------------------------------------------------------------- reader


def highlight_html(text: str, mentions: pd.DataFrame) -> str:
    """Article text as safe HTML with entity mentions marked.

    Each piece of the (untrusted) text is escaped *before* markup is added around it, so
    tags or scripts inside an article show as text. ``mentions`` needs start, end, type and
    entity_id, with non-overlapping offsets into ``text``; bad offsets are skipped.
    """
    parts: list[str] = []
    cursor = 0
    for row in mentions.sort_values("start").itertuples(index=False):
        start, end = int(row.start), int(row.end)
        if start < cursor or end > len(text) or start >= end:
            continue
        parts.append(html.escape(text[cursor:start]))
        kind = row.type if row.type in TYPE_COLORS else "other"
        parts.append(
            f'<mark class="ent ent-{kind}" title="{html.escape(str(row.entity_id))}">'
            f"{html.escape(text[start:end])}</mark>"
        )
        cursor = end
    parts.append(html.escape(text[cursor:]))
    body = "".join(parts).replace("\n", "<br>")
    return f'<div class="article-text">{body}</div>'


def mark_in_sentence(sentence: str, surface: str) -> str:
    """A sentence as safe HTML with every occurrence of ``surface`` marked."""
    sentence, surface = str(sentence or ""), str(surface or "")
    if not surface:
        return html.escape(sentence)
    pieces = sentence.split(surface)
    marked = f"<mark>{html.escape(surface)}</mark>"
    return marked.join(html.escape(p) for p in pieces)


def legend_html(lang: str) -> str:
    """The reader's colour key: one marked sample per entity type."""
    items = "".join(
        f'<mark class="ent ent-{kind}">{html.escape(i18n.t(f"type.{kind}", lang))}</mark> '
        for kind in TYPE_COLORS
    )
    return f'<div class="reader-legend">{items}</div>'


READER_CSS = """
<style>
.article-text { line-height: 1.9; font-size: 1.05rem; }
mark.ent { padding: 0 .15em; border-radius: .2em; }
mark.ent-person { background: #f5b7b1; }
mark.ent-country { background: #aed6f1; }
mark.ent-org { background: #d7bde2; }
mark.ent-place { background: #abebc6; }
mark.ent-other { background: #f9e79f; }
.reader-legend { font-size: .85rem; line-height: 1.4; margin-bottom: .5rem; }
</style>
"""
