"""The overview's figures: articles per period by outlet, and the latest events as a list."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..common import i18n
from .style import (
    OTHER_OUTLETS,
    bar_offset_ms,
    bar_width_ms,
    base_layout,
    hover_date_format,
    outlet_group,
    time_axis,
)

MEASURES = ("count", "share")


def outlet_legend_order(sources, labels, colors: dict[str, str]) -> list[str]:
    """The outlets (or the "other outlets" group) of a chart in the corpus's order: largest
    first, the group of the rest after them, unknown last; the same on every chart."""
    rank = {s: i for i, s in enumerate(labels.outlet_order)}
    groups = {outlet_group(s, colors) for s in sources}
    return sorted(
        groups,
        key=lambda s: (
            s == "unknown",
            s == OTHER_OUTLETS,
            rank.get(s, len(rank)),
            str(s),
        ),
    )


def group_label(source: str, labels) -> str:
    return labels.t("outlet.other") if source == OTHER_OUTLETS else labels.outlet(source)


def articles_per_period_figure(
    per_period: pd.DataFrame,
    labels,
    colors: dict[str, str],
    period: str = "D",
    measure: str = "count",
) -> go.Figure:
    """Articles per publication day (or week, or month: ``period`` 'W', 'M', with
    ``published`` the period's first day), one colour per outlet (``colors``, the corpus's
    stable outlet colours; outlets without one are summed as "other outlets").

    ``measure`` 'count': stacked bars, each as wide as its period. 'share': one line per
    outlet, the share of the outlet's dated articles in the selection that fall in the period
    (an outlet's rhythm next to another's, whatever their size); a period in which no outlet
    published is a gap, not a zero.
    """
    lang = labels.lang
    fig = go.Figure()
    if per_period.empty:
        time_axis(fig, lang)
        return base_layout(fig)
    frame = per_period.assign(group=[outlet_group(s, colors) for s in per_period["source"]])
    frame = frame.groupby(["group", "published"], as_index=False)["articles"].sum()
    frame["published"] = pd.to_datetime(frame["published"])
    when = hover_date_format(period, lang)
    totals = frame.groupby("group")["articles"].sum()
    bins = _all_periods(frame["published"], period)
    for group in outlet_legend_order(frame["group"].unique(), labels, colors):
        rows = frame[frame["group"] == group]
        name = group_label(group, labels)
        color = colors.get(group)
        if measure == "share":
            counts = rows.set_index("published")["articles"].reindex(bins, fill_value=0)
            share = counts / max(int(totals[group]), 1)
            share[~bins.isin(frame["published"])] = np.nan  # nobody published: a gap
            fig.add_scatter(
                x=bins.to_numpy(dtype="datetime64[D]"),
                y=share.to_numpy(),
                mode="lines+markers",
                connectgaps=False,
                name=name,
                line={"color": color},
                marker={"color": color, "size": 5},
                hovertemplate=f"{html.escape(name)}<br>%{{x|{when}}}: %{{y:.1%}}<extra></extra>",
            )
        else:
            fig.add_bar(
                # days as a numpy array: plotly checks a list item by item (a day per outlet)
                x=rows["published"].to_numpy(dtype="datetime64[D]"),
                y=rows["articles"].tolist(),
                width=bar_width_ms(period),
                offset=bar_offset_ms(period),
                name=name,
                marker_color=color,
                hovertemplate=f"{html.escape(name)}<br>%{{x|{when}}}: %{{y:,}}<extra></extra>",
            )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    # The last bar covers its whole period.
    end = frame["published"].max() + pd.Timedelta(days={"D": 0, "W": 6}.get(period, 30))
    time_axis(
        fig,
        lang,
        frame["published"].min(),
        end,
        title=i18n.t(f"period.axis.{period}", lang),
    )
    if measure == "share":
        fig.update_yaxes(title=i18n.t("overview.share_axis", lang), tickformat=".0%")
    else:
        small = int(frame.groupby("published")["articles"].sum().max()) <= 10
        fig.update_yaxes(
            title=i18n.t("col.articles", lang), dtick=1 if small else None, tickformat=","
        )
    # The legend wraps above the plot: room for its rows (about three outlets a row in the
    # overview's column), so many outlets never squeeze the bars.
    rows = -(-len(fig.data) // 3)
    return base_layout(fig, height=300 + 22 * rows)


def _all_periods(days: pd.Series, period: str) -> pd.DatetimeIndex:
    """Every period from the first to the last, so a line can show where nothing was."""
    first, last = days.min(), days.max()
    if period == "M":
        return pd.date_range(first, last, freq="MS")
    return pd.date_range(first, last, freq="7D" if period == "W" else "D")


def events_html(rows: pd.DataFrame, lang: str) -> str:
    """The latest events as an escaped HTML table: evidence in full (wrapped, never cut
    off), every outlet that reported the event, and links to the newest report (``link``)
    and to all reports on the timeline (``reports_link``, may be empty).

    Every value comes from articles, so every value is escaped before markup is added."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    head = "".join(
        f"<th>{html.escape(t(k))}</th>"
        for k in ("col.date", "col.kind", "col.route", "col.evidence", "col.outlets", "col.reports")
    )
    body = []
    for r in rows.to_dict("records"):
        phrase = (
            f'<div class="phrase">{html.escape(t("col.time_expr"))}: '
            f"{html.escape(r['time_expr'])}</div>"
            if r.get("time_expr")
            else ""
        )
        n = int(r["reports"])
        reports = html.escape(
            t("overview.one_report") if n == 1 else t("overview.n_reports", n=f"{n:,}")
        )
        if r.get("reports_link"):
            href = html.escape(r["reports_link"], quote=True)
            reports = f'<a href="{href}" target="_self">{reports}</a>'
        read = html.escape(r["link"], quote=True)
        body.append(
            "<tr>"
            f"<td class='date'>{html.escape(r['date'])}{phrase}</td>"
            f"<td>{html.escape(r['kind'])}</td>"
            f"<td>{html.escape(r['route'])}</td>"
            f"<td class='evidence'>{html.escape(r['evidence'])} "
            f'<a href="{read}" target="_self">{html.escape(t("col.read"))} ↗</a></td>'
            f"<td>{html.escape(r['outlets'])}</td>"
            f"<td class='num'>{reports}</td>"
            "</tr>"
        )
    style = (
        "<style>.events{border-collapse:collapse;width:100%;font-size:.9rem}"
        ".events th{text-align:left;border-bottom:1px solid #ccc;padding:.3em .4em}"
        ".events td{vertical-align:top;border-bottom:1px solid #eee;padding:.35em .4em}"
        ".events td.date{white-space:nowrap}.events .phrase{color:#666;font-size:.8rem;"
        "white-space:normal}.events td.evidence{min-width:16em}.events td.num{white-space:nowrap}"
        ".events-wrap{overflow-x:auto}</style>"
    )
    return (
        f'{style}<div class="events-wrap"><table class="events"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
