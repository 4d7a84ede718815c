"""Evidence sentences as escaped HTML: outlet, date and a link to the article, the words that
were counted marked by their exact place, never cut off."""

from __future__ import annotations

import html

import pandas as pd

STYLE = (
    "<style>.sentences{line-height:1.8;padding-left:1.2em;margin:0}"
    ".sentences li{margin-bottom:.35em}.sentences .meta{color:#666;font-size:.85em}"
    ".sentences mark{background:#f9e79f;padding:0 .1em}</style>"
)


def marked_html(text: str, marks) -> str:
    """``text`` escaped, with the character ranges ``marks`` ((start, end) pairs) marked.
    Each piece is escaped before markup is added: article text is untrusted."""
    text = str(text or "")
    parts, cursor = [], 0
    for start, end in sorted(marks):
        start, end = max(int(start), cursor), min(int(end), len(text))
        if start >= end:
            continue
        parts.append(html.escape(text[cursor:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def term_marks(sentence: str, term: str) -> list[tuple[int, int]]:
    """Every occurrence of ``term`` in ``sentence``, as (start, end) ranges."""
    sentence, term = str(sentence or ""), str(term or "")
    marks, at = [], sentence.find(term) if term else -1
    while at >= 0:
        marks.append((at, at + len(term)))
        at = sentence.find(term, at + len(term))
    return marks


def sentences_html(rows: pd.DataFrame, marks, meta: list[str], links: list[str]) -> str:
    """One list item per row: ``meta`` (date · outlet, plain text) and the title linking to
    ``links`` (in-app hrefs), then the whole sentence with ``marks`` marked."""
    items = []
    for row, row_marks, row_meta, href in zip(
        rows.to_dict("records"), marks, meta, links, strict=True
    ):
        title = str(row.get("title") or "")
        short = title[:40] + ("…" if len(title) > 40 else "")
        items.append(
            "<li>"
            f'<span class="meta">{html.escape(row_meta)} · '
            f'<a href="{html.escape(href, quote=True)}" target="_self" '
            f'title="{html.escape(title, quote=True)}">{html.escape(short or "↗")}</a></span><br>'
            f"{marked_html(row['sentence'], row_marks)}"
            "</li>"
        )
    return STYLE + '<ul class="sentences">' + "".join(items) + "</ul>"
