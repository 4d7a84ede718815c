"""Small Markdown and HTML helpers for the pages (escaping user text)."""

from __future__ import annotations

import re
from datetime import date


def link_html(href: str, text: str) -> str:
    """An escaped in-app link (same tab)."""
    import html

    return f'<a href="{html.escape(href, quote=True)}" target="_self">{html.escape(text)}</a>'


def short_span(start: date | None, end: date | None) -> str:
    """A compact date range for a metric tile, always with its year: 2024-07-09 – 07-20,
    or 2023-11 – 2024-07 across years."""
    if start is None or end is None:
        return "—"
    if start.year == end.year:
        return f"{start:%Y-%m-%d} – {end:%m-%d}"
    return f"{start:%Y-%m} – {end:%Y-%m}"


def swatch_heading_html(text: str, color: str | None) -> str:
    """A panel heading with the outlet's colour as a square before it (the colour it has on
    every chart); no square without a colour."""
    import html

    square = (
        f'<span style="display:inline-block;width:.8em;height:.8em;margin-right:.4em;'
        f'border-radius:2px;background:{html.escape(color, quote=True)}"></span>'
        if color
        else ""
    )
    return f'<h3 style="margin:0 0 .2em 0">{square}{html.escape(str(text))}</h3>'


def heading_html(text: str) -> str:
    """An untrusted title as a heading: escaped, so markup and Markdown show as text."""
    import html

    return f'<h3 style="margin:0">{html.escape(str(text))}</h3>'


# Markdown that could make a link, an image, emphasis, LaTeX ($) or an icon (:name:) out
# of quoted text. Raw HTML needs no escaping: Streamlit does not render it in Markdown.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!~$:])")


def md_escape(text: str) -> str:
    """Text from a link or an article made inert for st.markdown-based elements."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
