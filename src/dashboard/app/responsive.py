"""Chart text placed for a laptop or for a phone, each shown only at its width.

A chart's names (node names, term labels) are placed on the server, which does not know the
screen: a figure that must not print names over each other ends with two text-only scatter
traces, the names placed for a laptop and then those placed for a phone (fewer), and CSS
shows the one that fits. Streamlit gives a keyed element the class ``st-key-<key>``; plotly
draws a figure's scatter traces in order as the children of ``g.scatterlayer`` (it keeps
no trace name or uid in the page, so the order is the handle).
"""

from __future__ import annotations

import streamlit as st

NARROW_MAX_PX = 640  # viewport widths up to this are phones


def text_by_width(chart_key: str) -> None:
    """In the chart ``chart_key``, show the last-but-one scatter trace (the laptop's names)
    on screens wider than NARROW_MAX_PX and the last one (the phone's) on the others."""
    layer = f".st-key-{chart_key} g.scatterlayer > g.trace"
    st.html(
        "<style>"
        f"@media (max-width: {NARROW_MAX_PX}px) {{ {layer}:nth-last-child(2) {{ display: none; }} }}"
        f"@media (min-width: {NARROW_MAX_PX + 1}px) {{ {layer}:last-child {{ display: none; }} }}"
        "</style>"
    )
