"""Two outlets, term by term: a log-log scatter of each term's frequency in outlet A (x)
against outlet B (y), the most distinctive terms of each side labelled. No Streamlit here."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..analysis.compare import SIGNIFICANT_Z
from ..common import i18n
from .style import base_layout

i18n.extend(
    {
        # the menu is built before a page file runs: the page's title is registered here
        "page.compare": {"zh": "媒体对比", "en": "Compare"},
        "compare.fig.axis.per10k": {
            "zh": "{outlet}:每万词出现次数(对数)",
            "en": "{outlet}: per 10,000 words (log)",
        },
        "compare.fig.axis.share": {
            "zh": "{outlet}:使用该词的文章占比(对数)",
            "en": "{outlet}: share of its articles using it (log)",
        },
        "compare.fig.hover": {
            "zh": "<b>{term}</b><br>{a}:{ca} 次,{aa} 篇文章<br>{b}:{cb} 次,{ab} 篇文章"
            "<br>对数几率 z = {z}<br>点击查看句子",
            "en": "<b>{term}</b><br>{a}: {ca} times, {aa} articles<br>{b}: {cb} times, {ab} articles"
            "<br>log-odds z = {z}<br>click for the sentences",
        },
        "compare.fig.others": {"zh": "其他词", "en": "other terms"},
        "compare.fig.typical": {"zh": "{outlet}特色词", "en": "typical of {outlet}"},
        "compare.fig.equal": {"zh": "两家频率相同", "en": "equally frequent"},
        "compare.fig.never": {
            "zh": "最左边一列或最下面一行的点:该媒体(横轴 A、纵轴 B)在所选范围内从未用过这个词。",
            "en": "Points in the leftmost column or the bottom row: that outlet (A across, B up) "
            "never used the term in the selection.",
        },
    }
)

LABELLED = 12  # terms per side offered a label (those that fit get one)
# The plot area assumed when placing labels: a laptop's (wider in fact) and a phone's.
PLOT_PX = (640.0, 520.0)
PHONE_PX = (290.0, 470.0)
# The label traces' names: the figure's last two traces, in this order (app.responsive).
WIDE_LABELS, PHONE_LABELS = "labels (laptop)", "labels (phone)"
NEUTRAL = "#b8bec6"


def _positions(values: np.ndarray, floor: float) -> np.ndarray:
    """Frequencies on a log axis: a zero (the outlet never used the term) at ``floor``."""
    return np.where(values > 0, values, floor)


def _floor(terms: pd.DataFrame) -> float:
    positive = np.concatenate(
        [terms["freq_a"].to_numpy(dtype=float), terms["freq_b"].to_numpy(dtype=float)]
    )
    positive = positive[positive > 0]
    return float(positive.min()) / 2 if len(positive) else 1.0


# Where a label may go around its point, in order of preference: plotly's text position,
# and which side of the point the label's box lies on (x: -1 left, 0 centred, 1 right;
# y: -1 below, 0 level, 1 above).
_PLACES = (
    ("top center", 0, 1),
    ("bottom center", 0, -1),
    ("middle right", 1, 0),
    ("middle left", -1, 0),
    ("top right", 1, 1),
    ("top left", -1, 1),
    ("bottom right", 1, -1),
    ("bottom left", -1, -1),
)
LINE_PX = 17.0  # a label's height


def _label_width(text: str, size: float = 13.0) -> float:
    """A label's width in pixels: a CJK character is about a font size wide, others half."""
    return sum(size if ord(c) > 0x2E80 else size * 0.55 for c in text) + 4


def place_labels(
    px: np.ndarray,
    py: np.ndarray,
    texts: list[str],
    width: float,
    height: float,
    radii=None,
    size: float = 13.0,
) -> list[str | None]:
    """A text position for each label (in order of importance), or None where every
    place around its point would print over an earlier label, over a point or off the
    chart: such a point keeps its hover (and the page lists it). The first label is always
    named: where every place around it is taken by points, it prints over them (the most
    mentioned entity of a dense network, at its centre). ``px``, ``py``: the points in
    pixels from the lower-left corner of a ``width`` × ``height`` plot; ``radii``: their
    markers' radii in pixels (5 each by default)."""
    radii = [5.0] * len(px) if radii is None else [float(r) for r in radii]
    boxes: list[tuple[float, float, float, float]] = []
    dots = [(x - r, y - r, x + r, y + r) for x, y, r in zip(px, py, radii, strict=True)]
    out: list[str | None] = []
    for i, (x, y, text) in enumerate(zip(px, py, texts, strict=True)):
        w, r = _label_width(text, size), radii[i]
        others = boxes + dots[:i] + dots[i + 1 :]
        chosen = None
        first_inside = None
        for name, across, up in _PLACES:
            left = {0: x - w / 2, 1: x + r + 2, -1: x - r - 2 - w}[across]
            bottom = {0: y - LINE_PX / 2, 1: y + r + 1, -1: y - r - 1 - LINE_PX}[up]
            box = (left, bottom, left + w, bottom + LINE_PX)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            if inside and first_inside is None:
                first_inside = (name, box)
            if inside and all(
                box[2] <= o[0] or o[2] <= box[0] or box[3] <= o[1] or o[3] <= box[1] for o in others
            ):
                chosen = name
                boxes.append(box)
                break
        if chosen is None and i == 0 and first_inside is not None:
            chosen = first_inside[0]
            boxes.append(first_inside[1])
        out.append(chosen)
    return out


def compare_figure(
    terms: pd.DataFrame,
    name_a: str,
    name_b: str,
    color_a: str,
    color_b: str,
    lang: str,
    measure: str = "per10k",
    selected: str | None = None,
    labelled: int = LABELLED,
    height: int = 640,
    min_z: float = SIGNIFICANT_Z,
) -> go.Figure:
    """Every term a point (customdata: the term, so a click picks it); log axes; the
    ``labelled`` most distinctive terms of A (z >= ``min_z``) and of B (z <= -``min_z``) in their outlet's
    colour, named where the name prints over no other (two text traces: ``WIDE_LABELS``
    placed for a laptop, ``PHONE_LABELS`` for a phone); the diagonal where both use a
    term equally often."""
    fig = go.Figure()
    if terms.empty:
        return base_layout(fig, height)
    floor = _floor(terms)
    words = terms["term"].astype(str).tolist()
    x = _positions(terms["freq_a"].to_numpy(dtype=float), floor)
    y = _positions(terms["freq_b"].to_numpy(dtype=float), floor)
    fmt = "{:.3g}" if measure == "per10k" else "{:.1%}"
    esc_a, esc_b = html.escape(name_a), html.escape(name_b)
    hover = [
        i18n.t(
            "compare.fig.hover",
            lang,
            term=html.escape(str(r["term"])),
            a=esc_a,
            b=esc_b,
            ca=f"{int(r['count_a']):,}",
            cb=f"{int(r['count_b']):,}",
            aa=f"{int(r['articles_a']):,}",
            ab=f"{int(r['articles_b']):,}",
            z=f"{r['z']:+.2f}",
        )
        + f"<br>{esc_a} {fmt.format(r['freq_a'])} · {esc_b} {fmt.format(r['freq_b'])}"
        for r in terms.to_dict("records")
    ]
    z = terms["z"].to_numpy(dtype=float)
    of_a, of_b = z >= min_z, z <= -min_z
    top_a = set(terms.index[of_a][np.argsort(-z[of_a], kind="stable")][:labelled])
    top_b = set(terms.index[of_b][np.argsort(z[of_b], kind="stable")][:labelled])
    low, high = float(min(x.min(), y.min())), float(max(x.max(), y.max()))
    fig.add_scatter(
        x=[low, high],
        y=[low, high],
        mode="lines",
        line={"color": "#d5d8dc", "dash": "dot", "width": 1},
        hoverinfo="skip",
        name=i18n.t("compare.fig.equal", lang),
    )
    rest = [i for i in range(len(terms)) if terms.index[i] not in top_a | top_b]
    groups = [
        (rest, NEUTRAL, i18n.t("compare.fig.others", lang), False),
        (
            [i for i in range(len(terms)) if terms.index[i] in top_a],
            color_a,
            i18n.t("compare.fig.typical", lang, outlet=esc_a),
            True,
        ),
        (
            [i for i in range(len(terms)) if terms.index[i] in top_b],
            color_b,
            i18n.t("compare.fig.typical", lang, outlet=esc_b),
            True,
        ),
    ]
    lx = np.log10([low / 1.6, high * 1.6])
    lx_span = float(lx[1] - lx[0]) or 1.0

    def pixels(values: np.ndarray, size: float) -> np.ndarray:
        return (np.log10(values) - lx[0]) / lx_span * size

    # labels: A's and B's most distinctive terms, strongest first, where they fit
    labelled_rows = sorted(
        [i for i in range(len(terms)) if terms.index[i] in top_a | top_b], key=lambda i: -abs(z[i])
    )
    for rows, color, name, with_text in groups:
        if not rows:
            continue
        rows = sorted(rows, key=lambda i: -abs(z[i])) if with_text else rows
        fig.add_scatter(
            x=x[rows].tolist(),
            y=y[rows].tolist(),
            mode="markers",
            marker={
                "size": 9 if with_text else 6,
                "color": color,
                "opacity": 0.95 if with_text else 0.55,
                "line": {"color": "white", "width": 0.5},
            },
            customdata=[words[i] for i in rows],
            hovertext=[hover[i] for i in rows],
            hoverinfo="text",
            name=name,
            selected={"marker": {"opacity": 1, "size": 13}},
            unselected={"marker": {"opacity": 0.95 if with_text else 0.55}},
        )
    if selected is not None and selected in set(terms["term"]):
        i = int(np.flatnonzero(terms["term"].to_numpy() == selected)[0])
        fig.add_scatter(
            x=[x[i]],
            y=[y[i]],
            mode="markers",
            marker={"size": 16, "color": "rgba(0,0,0,0)", "line": {"color": "#f39c12", "width": 3}},
            hoverinfo="skip",
            showlegend=False,
        )
    # The labels, last: one trace placed for a laptop, then one for a phone; the page shows the one
    # that fits (app.responsive). Invisible markers of the points' size keep each label
    # beside its point; they take no hover and no click.
    side_color = {i: color_a if z[i] > 0 else color_b for i in labelled_rows}
    for uid, px in ((WIDE_LABELS, PLOT_PX), (PHONE_LABELS, PHONE_PX)):
        places = place_labels(
            pixels(x[labelled_rows], px[0]),
            pixels(y[labelled_rows], px[1]),
            [words[i] for i in labelled_rows],
            *px,
        )
        shown = [(i, p) for i, p in zip(labelled_rows, places, strict=True) if p]
        fig.add_scatter(
            x=[float(x[i]) for i, _ in shown],
            y=[float(y[i]) for i, _ in shown],
            mode="markers+text",
            text=[html.escape(words[i]) for i, _ in shown],  # terms are text from articles
            textposition=[p for _, p in shown],
            textfont={"size": 13, "color": [side_color[i] for i, _ in shown]},
            marker={"size": 9, "color": "rgba(0,0,0,0)"},
            hoverinfo="skip",
            showlegend=False,
            name=uid,
        )
    base_layout(fig, height)
    axis = {
        "type": "log",
        "range": lx.tolist(),
        "dtick": 1,  # a tick per power of ten: minor tick labels read as noise
        "tickformat": "~%" if measure == "share" else "~g",
        "showgrid": True,
        "gridcolor": "#eef0f2",
        "zeroline": False,
    }
    fig.update_xaxes(title=i18n.t(f"compare.fig.axis.{measure}", lang, outlet=esc_a), **axis)
    fig.update_yaxes(title=i18n.t(f"compare.fig.axis.{measure}", lang, outlet=esc_b), **axis)
    fig.update_layout(
        clickmode="event+select",
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    return fig


def term_table(terms: pd.DataFrame) -> pd.DataFrame:
    """The comparison as a table (and CSV): term, counts, articles, frequencies, z."""
    return terms.assign(
        freq_a=terms["freq_a"].round(4), freq_b=terms["freq_b"].round(4), z=terms["z"].round(3)
    ).reset_index(drop=True)
