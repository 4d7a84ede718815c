"""Escaped HTML for the reader: entities highlighted in an article, a term marked in a sentence."""

from __future__ import annotations

import html

import pandas as pd

from ..common import i18n
from .style import TYPE_COLORS

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
