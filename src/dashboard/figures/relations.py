"""The relations map and its companions: countries shaded by mentions, lines between pairs.

How pairs are counted is in ``analysis.relations``; this module draws them (plotly geo with the
offline base map from ``static/topojson/``), the pair strength over time and the pair table.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from ..analysis.countries import country_name, topojson_centroids
from ..analysis.relations import (
    COUNTRY_COLUMNS,
    PAIR_COLUMNS,
    VISIT_KINDS,
)
from .geo import arrowhead, great_circle_point

_TEXT = {
    "zh": {
        "country_hover": "<b>%{customdata[1]}</b> (%{location})<br>"
        "提及 %{z} 次（含其人物、机构、地点）<br>"
        "直接提到国名 %{customdata[2]} 次，经其人物/机构/地点 %{customdata[3]} 次<br>"
        "见于 %{customdata[4]} 篇文章<extra></extra>",
        "colorbar": "提及次数",
        "co": "同句共现 {n} 句",
        "visit": "访问 {a}→{b}：{n} 次",
        "meet": "会见/会谈 {n} 次",
        "span": "{first} 至 {last}",
        "strength": "关联强度 {n}（共现 + 访问 + 会见）",
        "visits_trace": "访问方向",
        "pairs_trace": "国家对",
        "countries_trace": "提及",
    },
    "en": {
        "country_hover": "<b>%{customdata[1]}</b> (%{location})<br>"
        "%{z} mentions (incl. its people, organizations, places)<br>"
        "country named %{customdata[2]}, via its people/orgs/places %{customdata[3]}<br>"
        "in %{customdata[4]} articles<extra></extra>",
        "colorbar": "mentions",
        "co": "named in the same sentence: {n} sentences",
        "visit": "visits {a}→{b}: {n}",
        "meet": "meetings: {n}",
        "span": "{first} to {last}",
        "strength": "strength {n} (co-mentions + visits + meetings)",
        "visits_trace": "visit direction",
        "pairs_trace": "country pairs",
        "countries_trace": "mentions",
    },
}


def map_config() -> dict:
    """Config for st.plotly_chart: the base map comes from the app's static folder.

    Relative, so it keeps working when the app is served under a URL prefix. Plotly asks for
    ``<topojsonURL><scope>_<resolution>m.json``, i.e. ``world_110m.json`` for our layout.
    """
    return {"topojsonURL": "app/static/topojson/", "displaylogo": False}


def _pair_hover(row, names: dict[str, str], lang: str) -> str:
    t = _TEXT[lang]
    a_name, b_name = names.get(row.a, row.a), names.get(row.b, row.b)
    lines = [
        f"<b>{a_name} – {b_name}</b>",
        t["strength"].format(n=row.strength),
        t["co"].format(n=row.co_mentions),
    ]
    lines.append(t["visit"].format(a=a_name, b=b_name, n=row.visits_ab))
    lines.append(t["visit"].format(a=b_name, b=a_name, n=row.visits_ba))
    lines.append(t["meet"].format(n=row.meetings))
    if pd.notna(row.first):
        lines.append(t["span"].format(first=row.first, last=row.last))
    return "<br>".join(lines)


def relations_map(
    country_counts: pd.DataFrame, pairs: pd.DataFrame, lang: str = "zh", max_width: float = 10.0
) -> go.Figure:
    """The relations map.

    - choropleth (first trace): countries shaded by mentions, hover splits direct/indirect;
    - one line trace per pair, width by strength (name ``pair:<key>``, customdata = key);
    - a marker trace at each line's midpoint carrying the full explanation (customdata = key);
    - per visit direction a filled arrowhead on the line near the destination (name
      ``visit:<from>-><to>``, customdata = key), hover giving the number of visits.
    Framed on the countries in view (``fitbounds="locations"``). Country names and
    coordinates come from ``country_counts`` (columns of :func:`country_mentions`).
    """
    lang = lang if lang in _TEXT else "zh"
    t = _TEXT[lang]
    fig = go.Figure()
    counts = country_counts if country_counts is not None else pd.DataFrame(columns=COUNTRY_COLUMNS)
    # Names end up in hover HTML: escape them (plotly renders a subset of tags).
    names = {c: html.escape(str(n)) for c, n in zip(counts["country"], counts["name"], strict=True)}
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
                [r.country, names[r.country], int(r.direct), int(r.indirect), int(r.articles)]
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
    top = max([int(s) for s in pairs["strength"]] or [1])
    mid_lat, mid_lon, mid_key, mid_text, mid_size = [], [], [], [], []
    arrows = []
    for row in pairs.itertuples(index=False):
        a, b = coords[row.a], coords[row.b]
        width = 1.5 + (max_width - 1.5) * (int(row.strength) / top)
        path = [great_circle_point(a, b, f / 20) for f in range(21)]
        fig.add_trace(
            go.Scattergeo(
                lat=[p[0] for p in path],
                lon=[p[1] for p in path],
                mode="lines",
                line={"width": width, "color": "rgba(200, 60, 40, 0.7)"},
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
        mid_text.append(_pair_hover(row, names, lang))
        mid_size.append(8 + 10 * int(row.strength) / top)
        for src, dst, (s_code, d_code), n in (
            (a, b, (row.a, row.b), int(row.visits_ab)),
            (b, a, (row.b, row.a), int(row.visits_ba)),
        ):
            if n <= 0:
                continue
            text = t["visit"].format(a=names.get(s_code, s_code), b=names.get(d_code, d_code), n=n)
            triangle = arrowhead(src, dst)
            arrows.append(
                go.Scattergeo(
                    lat=[v[0] for v in triangle],
                    lon=[v[1] for v in triangle],
                    mode="lines",
                    fill="toself",
                    fillcolor="rgb(130, 20, 10)",
                    line={"color": "white", "width": 1},
                    customdata=[row.pair] * len(triangle),
                    hovertext=[text] * len(triangle),
                    hoverinfo="text",
                    showlegend=False,
                    name=f"visit:{s_code}->{d_code}",
                )
            )
    fig.add_trace(
        go.Scattergeo(
            lat=mid_lat,
            lon=mid_lon,
            mode="markers",
            marker={
                "size": mid_size,
                "color": "rgb(200, 60, 40)",
                "line": {"color": "white", "width": 1},
            },
            customdata=mid_key,
            hovertext=mid_text,
            hoverinfo="text",
            name=t["pairs_trace"],
            showlegend=False,
        )
    )
    for arrow in arrows:  # on top of the lines
        fig.add_trace(arrow)
    fig.update_geos(
        scope="world",
        resolution=110,
        projection_type="natural earth",
        fitbounds="locations" if len(counts) else False,
        showcountries=True,
        countrycolor="#999",
        showland=True,
        landcolor="#f2f2f2",
        showocean=True,
        oceancolor="#e8f1f8",
        showframe=False,
    )
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=520, clickmode="event+select")
    return fig


def selected_pair(fig: go.Figure, selection) -> str | None:
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
        if curve is None or index is None or not (0 <= curve < len(fig.data)):
            continue
        custom = fig.data[curve].customdata
        if custom is not None and index < len(custom) and isinstance(custom[index], str):
            return custom[index]
    return None


def strength_figure(over_time: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Stacked bars per period: co-mentions, visits, meetings (the pair's strength)."""
    labels = {
        "zh": {"co_mentions": "同句共现", "visits": "访问", "meetings": "会见/会谈"},
        "en": {"co_mentions": "co-mentions", "visits": "visits", "meetings": "meetings"},
    }[lang if lang in _TEXT else "zh"]
    colors = {"co_mentions": "#d98c7a", "visits": "#822014", "meetings": "#3b6fa0"}
    fig = go.Figure()
    for column, label in labels.items():
        fig.add_trace(
            go.Bar(
                x=list(over_time["period"]),
                y=[int(v) for v in over_time[column]],
                name=label,
                marker_color=colors[column],
                hovertemplate=f"%{{x}}: {label} %{{y}}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.2},
        xaxis={"type": "date"},
    )
    return fig


def pairs_display(
    pairs: pd.DataFrame, country_counts: pd.DataFrame, lang: str = "zh"
) -> pd.DataFrame:
    """The pair table as shown: country names, then the numbers (same row order as pairs)."""
    names = dict(zip(country_counts["country"], country_counts["name"], strict=True))
    out = pd.DataFrame(
        {
            "pair": pairs["pair"],
            "a": [country_name(c, names, lang) for c in pairs["a"]],
            "b": [country_name(c, names, lang) for c in pairs["b"]],
        }
    )
    for column in PAIR_COLUMNS[3:]:  # the counts and dates, after pair, a, b
        out[column] = pairs[column].to_numpy()
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


def kind_label(row: dict, names: dict[str, str], lang: str = "zh") -> str:
    """``访问 朝鲜→俄罗斯`` for a visit, ``同句共现`` for a co-mention (display text)."""
    labels = _KIND_LABELS[lang if lang in _KIND_LABELS else "zh"]
    text = labels.get(row["kind"], str(row["kind"]))
    if row["kind"] in VISIT_KINDS and row.get("from_country") and row.get("to_country"):
        a = country_name(row["from_country"], names, lang)
        b = country_name(row["to_country"], names, lang)
        text += f" {a}→{b}"
    return text
