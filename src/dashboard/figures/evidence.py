"""Evidence as a page shows it: every sentence in full, wrapped, with its date as precisely as
it is known, the words the date was read from, the outlet and a link to the reader.

Article text is untrusted: every value is escaped before it goes into markup (``html.escape``),
and links are escaped as attributes. Pure functions, no Streamlit.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from ..common import i18n

i18n.extend(
    {
        "evidence.words": {"zh": "原文：{words}", "en": "as written: {words}"},
        "evidence.open": {"zh": "阅读原文", "en": "Read the article"},
        "evidence.published": {"zh": "发布于 {date}", "en": "published {date}"},
    }
)

STYLE = (
    "<style>"
    ".evidence{list-style:none;padding:0 !important;margin:0 !important;max-height:560px;"
    "overflow-y:auto;"
    "border-top:1px solid #e6e6e6}"
    ".evidence li{padding:.45em .2em;margin:0 !important;border-bottom:1px solid #e6e6e6}"
    ".evidence .meta{color:#555;font-size:.85em;line-height:1.5}"
    ".evidence .date{font-weight:600;color:#222}"
    ".evidence .words{color:#7a5c00}"
    ".evidence .kind{color:#1f4e79}"
    ".evidence .text{line-height:1.7;white-space:normal;overflow-wrap:anywhere;margin-top:.15em}"
    "</style>"
)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def evidence_item(row: Mapping, lang: str) -> str:
    """One piece of evidence as an escaped ``<li>``. ``row``: ``date`` (text, as precisely as
    known), ``words`` (what the date was read from), ``outlet``, ``kind`` (text), ``published``
    (text, shown when it is not the date itself), ``sentence`` (may hold several lines),
    ``link`` (a relative URL to the reader)."""
    meta = []
    date = _text(row.get("date"))
    if date:
        meta.append(f'<span class="date">{html.escape(date)}</span>')
    words = _text(row.get("words"))
    if words:
        text = i18n.t("evidence.words", lang, words=words)
        meta.append(f'<span class="words">{html.escape(text)}</span>')
    published = _text(row.get("published"))
    if published and published != date:
        meta.append(html.escape(i18n.t("evidence.published", lang, date=published)))
    for name, css in (("kind", "kind"), ("outlet", "outlet")):
        value = _text(row.get(name))
        if value:
            meta.append(f'<span class="{css}">{html.escape(value)}</span>')
    link = _text(row.get("link"))
    if link:
        href = html.escape(link, quote=True)
        meta.append(
            f'<a href="{href}" target="_self">{html.escape(i18n.t("evidence.open", lang))}</a>'
        )
    lines = [html.escape(x) for x in _text(row.get("sentence")).split("\n") if x.strip()]
    return (
        f'<li><div class="meta">{" · ".join(meta)}</div>'
        f'<div class="text">{"<br>".join(lines)}</div></li>'
    )


def evidence_html(rows: Iterable[Mapping], lang: str, css_class: str = "evidence") -> str:
    """A scrolling list of evidence (see ``evidence_item``), escaped; the style included."""
    items = "".join(evidence_item(r, lang) for r in rows)
    return f'{STYLE}<ol class="evidence {html.escape(css_class, quote=True)}">{items}</ol>'
