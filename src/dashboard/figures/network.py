"""The co-occurrence network as a plotly figure: nodes placed by a seeded spring layout.

Node size by mentions, colour by entity type (with a legend), edge width by the number of
sentences naming both. Each edge carries a marker at its midpoint that can be clicked (a
plotly point selection, as on the relations map); a node clicked after another one, or a
box around two nodes, picks their pair too. No Streamlit here.
"""

from __future__ import annotations

import html
import math
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis.network import edge_key
from ..common import i18n
from .compare import place_labels
from .style import TYPE_COLORS, base_layout

i18n.extend(
    {
        # the menu is built before a page file runs: the page's title is registered here
        "page.network": {"zh": "共现网络", "en": "Network"},
        "network.fig.edge_hover": {
            "zh": "<b>{a} – {b}</b><br>同句出现 {n} 句(见于 {m} 篇文章)<br>点击查看句子",
            "en": "<b>{a} – {b}</b><br>named together in {n} sentences ({m} articles)"
            "<br>click for the sentences",
        },
        "network.fig.node_hover": {
            "zh": "<b>{name}</b> · {type}<br>提及 {n} 次,{s} 句<br>图中关联 {d} 个",
            "en": "<b>{name}</b> · {type}<br>{n} mentions in {s} sentences<br>{d} ties shown",
        },
        "network.fig.edges": {"zh": "关联(点击中点)", "en": "ties (click a midpoint)"},
    }
)

LAYOUT_SEED = 7  # the same network is always drawn the same
NODE_PREFIX = "node:"  # a node's customdata; an edge midpoint's is its edge key
WIDTH_BINS = 6  # edges drawn as this many line traces of growing width
X_RANGE, Y_RANGE = (-1.25, 1.25), (-1.15, 1.2)
# The plot area assumed when placing names (a laptop's is wider, a phone's narrower): a
# name that would print over another name or node there is left off (it is in the hover
# and in the ties table).
PLOT_PX = (620.0, 560.0)
PHONE_PX = (330.0, 560.0)
# The name traces' names: the figure's last two traces, in this order (app.responsive).
WIDE_NAMES, PHONE_NAMES = "names (laptop)", "names (phone)"


@lru_cache(maxsize=64)
def _spring(nodes: tuple[str, ...], edges: tuple[tuple[str, str, float], ...]) -> np.ndarray:
    """Spring layout (networkx, Fruchterman-Reingold) with a fixed seed: positions in
    [-1, 1] in the order of ``nodes``. Heavier ties pull harder, on a square-root scale so
    the few heaviest do not squeeze every other node into a corner."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    top = max((w for _, _, w in edges), default=1.0)
    graph.add_weighted_edges_from((a, b, 0.3 + 0.7 * math.sqrt(w / top)) for a, b, w in edges)
    k = 3.0 / math.sqrt(max(len(nodes), 1))  # more room than the default 1/sqrt(n): labels
    placed = nx.spring_layout(graph, k=k, seed=LAYOUT_SEED, iterations=200, weight="weight")
    return _spread(np.array([placed[n] for n in nodes], dtype=float).reshape(-1, 2))


def _spread(places: np.ndarray, gap: float = 0.3, rounds: int = 100) -> np.ndarray:
    """Nodes pushed apart until no two are closer than ``gap`` (of the [-1, 1] square), then
    scaled back into it: a dense core (every pair of a few countries tied) otherwise draws
    its nodes and names on top of each other."""
    places = places.copy()
    for _ in range(rounds):
        delta = places[:, None, :] - places[None, :, :]
        dist = np.sqrt((delta**2).sum(-1))
        np.fill_diagonal(dist, 10.0)  # a node never pushes itself
        close = dist < gap
        if not close.any():
            break
        push = np.where(close, (gap - dist) / np.maximum(dist, 1e-9) / 2, 0.0)
        places += (delta * push[:, :, None]).sum(1)
    span = np.abs(places).max(axis=0)
    return places / np.where(span > 0, span, 1.0)


def layout(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """entity_id -> (x, y) of the nodes that have a tie in ``edges`` (isolated ones are not
    drawn); the same nodes and edges always give the same places."""
    tied = set(edges["a"]) | set(edges["b"])
    ids = tuple(sorted(e for e in nodes["entity_id"] if e in tied))
    if not ids:
        return {}
    ties = tuple(
        sorted(
            (str(a), str(b), float(w))
            for a, b, w in zip(edges["a"], edges["b"], edges["weight"], strict=True)
        )
    )
    places = _spring(ids, ties)
    return {e: (float(x), float(y)) for e, (x, y) in zip(ids, places, strict=True)}


def _scaled(values, lo: float, hi: float) -> list[float]:
    values = np.asarray(values, dtype=float)
    if not len(values):
        return []
    top = float(values.max()) or 1.0
    return (lo + (hi - lo) * np.sqrt(values / top)).tolist()


def network_figure(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    labels,
    selected: str | None = None,
    height: int = 620,
) -> go.Figure:
    """The network: a line trace per width class (not clickable), the edges' midpoint
    markers (customdata: edge key, selectable), a node trace per entity type (customdata:
    ``node:<entity_id>``; the legend names the types). ``selected`` (an edge key) is drawn
    in the highlight colour. The names are two text traces, ``WIDE_NAMES`` placed for a
    laptop and ``PHONE_NAMES`` for a phone: a name that would print over another name or
    a node there is left off (it is in the hover)."""
    lang = labels.lang
    fig = go.Figure()
    places = layout(nodes, edges)
    if not places:
        return base_layout(fig, height)
    names = {e: labels.entity(e, default=str(e).split(":", 1)[-1]) for e in nodes["entity_id"]}
    ends_a, ends_b = edges["a"].tolist(), edges["b"].tolist()
    widths = _scaled(edges["weight"], 0.6, 9.0)
    bins = np.minimum((np.asarray(widths) - 0.6) / (9.0 - 0.6) * WIDTH_BINS, WIDTH_BINS - 1)
    bins = bins.astype(int) if len(widths) else np.zeros(0, int)
    for level in range(WIDTH_BINS):
        xs: list = []
        ys: list = []
        for i in np.flatnonzero(bins == level).tolist():
            (x0, y0), (x1, y1) = places[ends_a[i]], places[ends_b[i]]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        if xs:
            fig.add_scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"width": 0.6 + (9.0 - 0.6) * (level + 0.5) / WIDTH_BINS, "color": "#8c9aa8"},
                opacity=0.55,
                hoverinfo="skip",
                showlegend=False,
            )
    keys = [edge_key(a, b) for a, b in zip(edges["a"], edges["b"], strict=True)]
    if selected in keys:
        i = keys.index(selected)
        (x0, y0), (x1, y1) = places[ends_a[i]], places[ends_b[i]]
        fig.add_scatter(
            x=[x0, x1],
            y=[y0, y1],
            mode="lines",
            line={"width": max(widths[i], 3.0), "color": "#f39c12"},
            hoverinfo="skip",
            showlegend=False,
        )
    esc = {e: html.escape(n) for e, n in names.items()}
    fig.add_scatter(
        x=[(places[a][0] + places[b][0]) / 2 for a, b in zip(edges["a"], edges["b"], strict=True)],
        y=[(places[a][1] + places[b][1]) / 2 for a, b in zip(edges["a"], edges["b"], strict=True)],
        mode="markers",
        marker={
            "size": _scaled(edges["weight"], 7, 14),
            "color": "#5d6d7e",
            "line": {"color": "white", "width": 1},
        },
        customdata=keys,
        hovertext=[
            i18n.t(
                "network.fig.edge_hover",
                lang,
                a=esc[a],
                b=esc[b],
                n=f"{int(w):,}",
                m=f"{int(m):,}",
            )
            for a, b, w, m in zip(
                edges["a"], edges["b"], edges["weight"], edges["articles"], strict=True
            )
        ],
        hoverinfo="text",
        name=i18n.t("network.fig.edges", lang),
        showlegend=True,
        selected={"marker": {"color": "#f39c12"}},
        unselected={"marker": {"opacity": 0.9}},
    )
    drawn = nodes[nodes["entity_id"].isin(places)].sort_values("mentions", ascending=False)
    sizes = dict(zip(drawn["entity_id"], _scaled(drawn["mentions"], 12, 46), strict=True))
    order = drawn["entity_id"].tolist()
    spots = {
        uid: dict(
            zip(
                order,
                place_labels(
                    np.array(
                        [(places[e][0] - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]) for e in order]
                    )
                    * px[0],
                    np.array(
                        [(places[e][1] - Y_RANGE[0]) / (Y_RANGE[1] - Y_RANGE[0]) for e in order]
                    )
                    * px[1],
                    [names[e] for e in order],
                    *px,
                    radii=[sizes[e] / 2 for e in order],
                ),
                strict=True,
            )
        )
        for uid, px in ((WIDE_NAMES, PLOT_PX), (PHONE_NAMES, PHONE_PX))
    }
    for kind, color in TYPE_COLORS.items():
        part = drawn[drawn["type"] == kind]
        if part.empty:
            continue
        fig.add_scatter(
            x=[places[e][0] for e in part["entity_id"]],
            y=[places[e][1] for e in part["entity_id"]],
            mode="markers",
            marker={
                "size": [sizes[e] for e in part["entity_id"]],
                "color": color,
                "opacity": 0.9,
                "line": {"color": "white", "width": 1.5},
            },
            customdata=[NODE_PREFIX + e for e in part["entity_id"]],
            hovertext=[
                i18n.t(
                    "network.fig.node_hover",
                    lang,
                    name=esc[r["entity_id"]],
                    type=i18n.t(f"type.{kind}", lang),
                    n=f"{int(r['mentions']):,}",
                    s=f"{int(r['sentences']):,}",
                    d=int(r["degree"]),
                )
                for r in part.to_dict("records")
            ],
            hoverinfo="text",
            name=i18n.t(f"type.{kind}", lang),
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 0.9}},
        )
    # The names, last: one trace placed for a laptop, then one for a phone; the page shows
    # the one that fits (app.responsive). Invisible markers of the nodes' size put each name beside
    # its node, not on it; they take no hover and no click.
    for uid, spot in spots.items():
        named = [e for e in order if spot[e]]
        fig.add_scatter(
            x=[places[e][0] for e in named],
            y=[places[e][1] for e in named],
            mode="markers+text",
            text=[html.escape(names[e]) for e in named],  # names come from the texts
            textposition=[spot[e] for e in named],
            textfont={"size": 13, "color": "#1b2631"},
            marker={"size": [sizes[e] for e in named], "color": "rgba(0,0,0,0)"},
            hoverinfo="skip",
            showlegend=False,
            name=uid,
            selected={"textfont": {"color": "#1b2631"}},
            unselected={"textfont": {"color": "#1b2631"}},
        )
    base_layout(fig, height)
    fig.update_layout(
        # no drag mode of our own: with "select" Streamlit turns click selection off
        clickmode="event+select",
        xaxis={"visible": False, "range": list(X_RANGE), "fixedrange": True},
        yaxis={"visible": False, "range": list(Y_RANGE), "fixedrange": True},
        plot_bgcolor="white",
    )
    return fig


def picked_pair(points, pending: str | None = None) -> tuple[str, str | None]:
    """What a chart selection means: ``("pair", edge key)`` for an edge's midpoint, for two
    nodes picked together (a box holding just two) or for a node clicked after another one
    (``pending``, the node clicked before); ``("node", entity id)`` for a first node (the
    page waits for the second); ``("clear", None)`` for an empty selection or a box over
    many nodes."""
    nodes: list[str] = []
    pairs: list[str] = []
    for point in points or []:
        data = point.get("customdata") if isinstance(point, dict) else None
        data = data[0] if isinstance(data, list | tuple) and data else data
        if not isinstance(data, str):
            continue
        if data.startswith(NODE_PREFIX):
            node = data[len(NODE_PREFIX) :]
            if node not in nodes:
                nodes.append(node)
        elif "~" in data and data not in pairs:
            pairs.append(data)
    if len(nodes) == 2:
        return "pair", edge_key(*nodes)
    if len(nodes) == 1 and not pairs:
        if pending and pending != nodes[0]:
            return "pair", edge_key(pending, nodes[0])
        return "node", nodes[0]
    if pairs and not nodes:
        return "pair", pairs[0]
    return "clear", None


def edges_table(edges: pd.DataFrame, labels) -> pd.DataFrame:
    """The ties as a table (and CSV): both names, both ids, sentences, articles; the page's
    order (heaviest first)."""
    return pd.DataFrame(
        {
            "edge": [edge_key(a, b) for a, b in zip(edges["a"], edges["b"], strict=True)],
            "name_a": [labels.entity(e) for e in edges["a"]],
            "name_b": [labels.entity(e) for e in edges["b"]],
            "a": edges["a"].astype(str),
            "b": edges["b"].astype(str),
            "sentences": edges["weight"].astype("int64"),
            "articles": edges["articles"].astype("int64"),
        }
    )
