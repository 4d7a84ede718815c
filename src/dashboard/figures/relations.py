"""The relations map and its companions: countries shaded by mentions, lines between pairs.

How pairs are counted is in ``analysis.relations``; this module draws them (plotly geo with the
offline base map from ``static/topojson/``), the pair strength over time and the pair table.
Every name comes from ``analysis.labels.Labels``.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis.countries import topojson_centroids
from ..analysis.labels import Labels
from ..analysis.relations import COUNTRY_COLUMNS, MEASURES, PAIR_COLUMNS, rank_pairs
from ..analysis.relations_events import VISIT_KINDS
from . import style
from .geo import arrowhead, fit_view, great_circle_point

TOP_PAIRS = 10  # pairs drawn by default: the strongest by what the lines measure
LINE_COLOR = "rgba(200, 60, 40, 0.7)"
CHOSEN_COLOR = "#1f4e9c"  # the chosen pair: another colour, thicker, on top
MAP_HEIGHT = 520
MAP_ASPECT = 0.6  # the map's height / width on a laptop screen with the sidebar open

_TEXT = {
    "zh": {
        "country_hover": "<b>%{customdata[1]}</b><br>"
        "提及 %{customdata[5]} 次（含其人物、机构、地点）<br>"
        "直接提到国名 %{customdata[2]} 次，经其人物/机构/地点 %{customdata[3]} 次<br>"
        "见于 %{customdata[4]} 篇文章<extra></extra>",
        "colorbar": "提及次数",
        "co": "同句共现 {n} 句",
        "visit": "访问 {a} → {b}：{n} 次",
        "meet": "会见/会谈 {n} 次",
        "span": "{first} 至 {last}",
        "strength": "关联强度 {n}（共现 + 访问 + 会见）",
        "events": "访问与会见 {n} 次",
        "visits_trace": "访问方向",
        "pairs_trace": "国家对",
        "countries_trace": "提及",
        "co_mentions": "同句共现",
        "meetings": "会见/会谈",
        "visits": "访问 {a} → {b}",
        "click": "点击查看依据",
    },
    "en": {
        "country_hover": "<b>%{customdata[1]}</b><br>"
        "%{customdata[5]} mentions (incl. its people, organizations, places)<br>"
        "country named %{customdata[2]}, via its people/orgs/places %{customdata[3]}<br>"
        "in %{customdata[4]} articles<extra></extra>",
        "colorbar": "mentions",
        "co": "named in the same sentence: {n} sentences",
        "visit": "visits {a} → {b}: {n}",
        "meet": "meetings: {n}",
        "span": "{first} to {last}",
        "strength": "strength {n} (co-mentions + visits + meetings)",
        "events": "visits and meetings: {n}",
        "visits_trace": "visit direction",
        "pairs_trace": "country pairs",
        "countries_trace": "mentions",
        "co_mentions": "co-mentions",
        "meetings": "meetings",
        "visits": "visits {a} → {b}",
        "click": "click for the evidence",
    },
}


def _text(labels: Labels) -> dict[str, str]:
    return _TEXT.get(labels.lang, _TEXT["zh"])


def map_config() -> dict:
    """Config for st.plotly_chart: the base map comes from the app's static folder.

    Relative, so it keeps working when the app is served under a URL prefix. Plotly asks for
    ``<topojsonURL><scope>_<resolution>m.json``, i.e. ``world_110m.json`` for our layout.
    """
    return {"topojsonURL": "app/static/topojson/", "displaylogo": False}


def pair_hover(row, labels: Labels) -> str:
    """What a pair's midpoint says (escaped names, numbers with separators)."""
    t = _text(labels)
    a_name = html.escape(labels.country(row.a))
    b_name = html.escape(labels.country(row.b))
    n = labels.number
    lines = [
        f"<b>{a_name} – {b_name}</b>",
        t["strength"].format(n=n(int(row.strength))),
        t["events"].format(n=n(int(row.events))),
        t["visit"].format(a=a_name, b=b_name, n=n(int(row.visits_ab))),
        t["visit"].format(a=b_name, b=a_name, n=n(int(row.visits_ba))),
        t["meet"].format(n=n(int(row.meetings))),
        t["co"].format(n=n(int(row.co_mentions))),
    ]
    if pd.notna(row.first):
        first = labels.date(row.first, row.first_precision, row.first_approximate)
        last = labels.date(row.last, row.last_precision, row.last_approximate)
        lines.append(t["span"].format(first=first, last=last))
    lines.append(f"<i>{t['click']}</i>")
    return "<br>".join(lines)


def drawn_pairs(
    pairs: pd.DataFrame, measure: str = "events", top: int | None = TOP_PAIRS, selected=None
) -> pd.DataFrame:
    """The pairs the map draws: those with some of what the lines measure, strongest first,
    the first ``top`` of them (all with None), and the chosen pair whatever its rank."""
    ranked = rank_pairs(pairs, measure)
    if ranked.empty:
        return ranked
    column = MEASURES.get(measure, "strength")
    shown = ranked[ranked[column] > 0]
    if top is not None:
        shown = shown.head(top)
    if selected is not None and selected not in set(shown["pair"]):
        shown = pd.concat([shown, ranked[ranked["pair"] == selected]])
    return shown


def relations_map(
    country_counts: pd.DataFrame,
    pairs: pd.DataFrame,
    labels: Labels,
    measure: str = "events",
    top: int | None = TOP_PAIRS,
    selected: str | None = None,
    max_width: float = 10.0,
) -> go.Figure:
    """The relations map.

    - choropleth (first trace): countries shaded by mentions, hover splits direct/indirect;
    - one line trace per drawn pair (``drawn_pairs``: the ``top`` strongest by ``measure``,
      a key of ``analysis.relations.MEASURES``), width by that measure (name ``pair:<key>``,
      customdata = key); the ``selected`` pair thicker, in CHOSEN_COLOR, on top;
    - a marker trace at each line's midpoint carrying the full explanation (customdata = key);
    - unless the lines measure co-mentions only, per visit direction a filled arrowhead near
      the destination (name ``visit:<from>-><to>``, customdata = key).
    The view is fitted to the drawn lines (geo.fit_view), not to the world.
    """
    t = _text(labels)
    fig = go.Figure()
    counts = country_counts if country_counts is not None else pd.DataFrame(columns=COUNTRY_COLUMNS)
    coords = {
        r.country: (float(r.lat), float(r.lon))
        for r in counts.itertuples(index=False)
        if pd.notna(r.lat) and pd.notna(r.lon)
    }
    for code, latlon in topojson_centroids().items():
        coords.setdefault(code, latlon)

    fig.add_trace(
        go.Choropleth(
            locations=list(counts["country"]),
            z=[int(v) for v in counts["mentions"]],
            locationmode="ISO-3",
            colorscale="Blues",
            zmin=0,
            zmax=max([int(v) for v in counts["mentions"]] or [1]),
            customdata=[
                [
                    r.country,
                    html.escape(labels.country(r.country)),
                    labels.number(int(r.direct)),
                    labels.number(int(r.indirect)),
                    labels.number(int(r.articles)),
                    labels.number(int(r.mentions)),
                ]
                for r in counts.itertuples(index=False)
            ],
            hovertemplate=t["country_hover"],
            colorbar={"title": {"text": t["colorbar"]}, "thickness": 12, "len": 0.6},
            marker={"line": {"color": "#555", "width": 0.5}},
            # Picking a pair must not fade the shading (plotly dims unselected points).
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}},
            name=t["countries_trace"],
        )
    )

    pairs = pairs if pairs is not None else pd.DataFrame(columns=PAIR_COLUMNS)
    pairs = pairs[pairs["a"].isin(coords) & pairs["b"].isin(coords)]
    shown = drawn_pairs(pairs, measure, top, selected)
    column = MEASURES.get(measure, "strength")
    top_value = max([int(s) for s in shown[column]] or [1]) or 1
    mid_lat, mid_lon, mid_key, mid_text, mid_size, mid_color = [], [], [], [], [], []
    arrows, lines = [], []
    # The chosen pair is drawn last: on top of the others.
    order = sorted(shown.itertuples(index=False), key=lambda r: r.pair == selected)
    paths = {
        row.pair: [great_circle_point(coords[row.a], coords[row.b], f / 20) for f in range(21)]
        for row in order
    }
    view_points = [p for path in paths.values() for p in path]
    if not view_points:  # no line: the countries shaded
        view_points = [coords[c] for c in counts["country"] if c in coords]
    view = fit_view(view_points, aspect=MAP_ASPECT) or {}
    lon_span = abs(view["lonaxis_range"][1] - view["lonaxis_range"][0]) if view else 360
    for row in order:
        chosen = row.pair == selected
        a, b = coords[row.a], coords[row.b]
        value = int(getattr(row, column))
        width = 1.5 + (max_width - 1.5) * (value / top_value)
        path = paths[row.pair]
        lines.append(
            go.Scattergeo(
                lat=[p[0] for p in path],
                lon=[p[1] for p in path],
                mode="lines",
                line={
                    "width": width + 3 if chosen else width,
                    "color": CHOSEN_COLOR if chosen else LINE_COLOR,
                },
                customdata=[row.pair] * len(path),
                hoverinfo="skip",
                showlegend=False,
                name=f"pair:{row.pair}",
            )
        )
        mid = great_circle_point(a, b, 0.5)
        mid_lat.append(mid[0])
        mid_lon.append(mid[1])
        mid_key.append(row.pair)
        mid_text.append(pair_hover(row, labels))
        # The chosen pair's midpoint stays visible even on a short line (Korea to Korea).
        mid_size.append(
            max(22.0, 8 + 10 * value / top_value) if chosen else 8 + 10 * value / top_value
        )
        mid_color.append(CHOSEN_COLOR if chosen else "rgb(200, 60, 40)")
        if measure == "co":
            continue
        for src, dst, (s_code, d_code), n in (
            (a, b, (row.a, row.b), int(row.visits_ab)),
            (b, a, (row.b, row.a), int(row.visits_ba)),
        ):
            if n <= 0:
                continue
            text = t["visit"].format(
                a=html.escape(labels.country(s_code)),
                b=html.escape(labels.country(d_code)),
                n=labels.number(n),
            )
            triangle = arrowhead(src, dst, max_deg=min(6.0, lon_span * 0.025))
            arrows.append(
                go.Scattergeo(
                    lat=[v[0] for v in triangle],
                    lon=[v[1] for v in triangle],
                    mode="lines",
                    fill="toself",
                    fillcolor="rgb(20, 40, 110)" if chosen else "rgb(130, 20, 10)",
                    line={"color": "white", "width": 1},
                    customdata=[row.pair] * len(triangle),
                    hovertext=[text] * len(triangle),
                    hoverinfo="text",
                    showlegend=False,
                    name=f"visit:{s_code}->{d_code}",
                )
            )
    for line in lines:
        fig.add_trace(line)

    def midpoints(at: list[int], outline: str, width: float) -> go.Scattergeo:
        return go.Scattergeo(
            lat=[mid_lat[i] for i in at],
            lon=[mid_lon[i] for i in at],
            mode="markers",
            marker={
                "size": [mid_size[i] for i in at],
                "color": [mid_color[i] for i in at],
                "line": {"color": outline, "width": width},
            },
            customdata=[mid_key[i] for i in at],
            hovertext=[mid_text[i] for i in at],
            hoverinfo="text",
            name=t["pairs_trace"],
            showlegend=False,
        )

    chosen_at = [i for i, key in enumerate(mid_key) if key == selected]
    fig.add_trace(midpoints([i for i in range(len(mid_key)) if i not in chosen_at], "white", 1))
    for arrow in arrows:  # on top of the lines
        fig.add_trace(arrow)
    if chosen_at:  # above every line and arrow: a short line (Korea to Korea) stays findable
        fig.add_trace(midpoints(chosen_at, "#111", 2.5))
    fig.update_geos(
        scope="world",
        resolution=110,
        projection_type="natural earth",
        fitbounds=False,
        showcountries=True,
        countrycolor="#999",
        showland=True,
        landcolor="#f2f2f2",
        showocean=True,
        oceancolor="#e8f1f8",
        showframe=False,
        **view,
    )
    fig.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=MAP_HEIGHT, clickmode="event+select"
    )
    return fig


def selected_pair(fig: go.Figure | None, selection) -> str | None:
    """The pair key a map selection points at (None when it points at no pair).

    ``selection`` is the ``selection`` part of st.plotly_chart's on_select event (a dict with
    ``points``); each point carries customdata or curve_number/point_index.
    """
    points = (selection or {}).get("points") or []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, str) and "-" in data:
            return data
        curve, index = point.get("curve_number"), point.get("point_index")
        if fig is None or curve is None or index is None or not (0 <= curve < len(fig.data)):
            continue
        custom = fig.data[curve].customdata
        if custom is not None and index < len(custom) and isinstance(custom[index], str):
            return custom[index]
    return None


STRENGTH_COLORS = {
    "co_mentions": "#d98c7a",
    "visits_ab": "#822014",
    "visits_ba": "#c0392b",
    "meetings": "#3b6fa0",
}


def strength_figure(
    over_time: pd.DataFrame, labels: Labels, pair: str, period: str = "W"
) -> go.Figure:
    """Stacked bars per day, week or month (``period``), each as wide as its bin on a date
    axis in the page's language: co-mentions, visits each way (named by their direction:
    朝鲜 → 俄罗斯) and meetings. An empty period is a gap."""
    t = _text(labels)
    a, _, b = pair.partition("-")
    names = {
        "co_mentions": t["co_mentions"],
        "visits_ab": t["visits"].format(a=labels.country(a), b=labels.country(b)),
        "visits_ba": t["visits"].format(a=labels.country(b), b=labels.country(a)),
        "meetings": t["meetings"],
    }
    when = style.hover_date_format(period, labels.lang)
    fig = go.Figure()
    days = pd.to_datetime(over_time["period"]).to_numpy(dtype="datetime64[D]")
    x = [str(d) for d in days]  # a few hundred bars at most: plain lists read well in JSON
    for column, label in names.items():
        fig.add_trace(
            go.Bar(
                x=x,
                y=[int(v) for v in over_time[column]],
                name=label,
                width=style.bar_width_ms(period),
                offset=style.bar_offset_ms(period),
                marker_color=STRENGTH_COLORS[column],
                hovertemplate=f"%{{x|{when}}}<br>{html.escape(label)}: %{{y:,}}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.25},
        yaxis={"rangemode": "tozero"},
    )
    if len(days):
        end = days.max() + (np.timedelta64(27, "D") if period == "M" else np.timedelta64(0, "D"))
        style.time_axis(fig, labels.lang, days.min(), end)
    else:
        fig.update_xaxes(type="date")
    return fig


def pairs_display(pairs: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The pair table as shown: country names, then the numbers (same row order as pairs)."""
    out = pd.DataFrame(
        {
            "pair": pairs["pair"],
            "a": [labels.country(c) for c in pairs["a"]],
            "b": [labels.country(c) for c in pairs["b"]],
        }
    )
    for column in PAIR_COLUMNS[3:]:  # the counts and dates, after pair, a, b
        out[column] = pairs[column].to_numpy()
    # First and last as precisely as they are known ('2024-06' for a month).
    for end in ("first", "last"):
        out[end] = [
            labels.date(d, p, a) if d is not None and not pd.isna(d) else ""
            for d, p, a in zip(
                pairs[end], pairs[f"{end}_precision"], pairs[f"{end}_approximate"], strict=True
            )
        ]
    return out.reset_index(drop=True)


_KIND_LABELS = {
    "zh": {
        "co-mention": "同句共现",
        "visit": "访问",
        "departure": "启程前往",
        "meeting": "会见/会谈",
    },
    "en": {
        "co-mention": "co-mention",
        "visit": "visit",
        "departure": "departure",
        "meeting": "meeting",
    },
}


def kind_label(row: dict, labels: Labels) -> str:
    """``访问 朝鲜 → 俄罗斯`` for a visit, ``同句共现`` for a co-mention (display text)."""
    texts = _KIND_LABELS.get(labels.lang, _KIND_LABELS["zh"])
    text = texts.get(row["kind"], str(row["kind"]))
    if row["kind"] in VISIT_KINDS and row.get("from_country") and row.get("to_country"):
        text += f" {labels.route(row['from_country'], row['to_country'])}"
    return text
