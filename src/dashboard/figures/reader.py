"""Escaped HTML for the reader: an article with its entities and search hits marked, where it
came from (provenance), the events read from it, and a term marked in a sentence.

Every piece of article text (and of anything read from it: titles, places, evidence, file
names, URLs) is untrusted: it is escaped *before* markup is put around it. Marks are placed
by offsets into the text, never by replacing strings in HTML. Text as written is wrapped in
``lang="zh"`` when it is Chinese (the right glyphs, and what the interface words are not).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

import pandas as pd

from ..analysis.labels import Labels
from ..common import i18n
from .style import TYPE_COLORS

i18n.extend(
    {
        "reader.outlet": {"zh": "媒体", "en": "Outlet"},
        "reader.published": {"zh": "发布日期", "en": "Published"},
        "reader.date_from": {"zh": "日期依据", "en": "Date from"},
        "reader.url": {"zh": "网址", "en": "URL"},
        "reader.file": {"zh": "文件", "en": "File"},
        "reader.site": {"zh": "网站", "en": "Site"},
        "reader.place": {"zh": "电头地点", "en": "Dateline place"},
        "reader.quoted": {"zh": "文中引用的媒体", "en": "Quoted outlets"},
        "reader.script": {"zh": "原文字体", "en": "Written in"},
        "reader.none": {"zh": "无", "en": "none"},
        "date_source.none": {"zh": "未找到日期", "en": "no date found"},
        "date_source.dateline": {"zh": "电头", "en": "dateline"},
        "date_source.date_line": {"zh": "文中日期行", "en": "date line"},
        "date_source.page": {"zh": "网页日期", "en": "page date"},
        "date_source.forum": {"zh": "论坛发帖时间", "en": "forum post time"},
        "date_source.url": {"zh": "网址中的日期", "en": "date in the URL"},
        "date_source.metadata": {"zh": "元数据", "en": "metadata"},
        "date_source.help": {
            "zh": "“电头 + 网页日期”:月日取自电头,年份取自网页日期。",
            "en": "“dateline + page date”: month and day from the dateline, the year from "
            "the page's date.",
        },
        "reader.event_read_from": {"zh": "读自“{expr}”", "en": "read from “{expr}”"},
        "reader.event_undated": {"zh": "日期不明", "en": "date unknown"},
        "reader.event_lead": {"zh": "人物", "en": "Lead"},
        "reader.event_place": {"zh": "地点", "en": "Place"},
        "reader.hit": {"zh": "搜索词", "en": "Search term"},
    }
)

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def as_written(text: object) -> str:
    """Escaped text from an article (or read from one), marked Chinese when it is."""
    text = "" if text is None else str(text)
    escaped = html.escape(text)
    return f'<span lang="zh">{escaped}</span>' if _CJK.search(text) else escaped


def _value(value: object) -> str | None:
    """A table value as text; None for missing ones (None, NaN, NA, empty)."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # an array
        return None
    text = str(value).strip()
    return text or None


# ---------------------------------------------------------------- marks by offsets


def _marked(
    text: str, start: int, end: int, hits: Sequence[tuple[int, int]], cls: str = "hit"
) -> str:
    """``text[start:end]`` escaped, with the parts of ``hits`` inside it marked."""
    parts, cursor = [], start
    for h_start, h_end in hits:
        lo, hi = max(h_start, cursor), min(h_end, end)
        if lo >= hi:
            continue
        parts.append(html.escape(text[cursor:lo]))
        parts.append(f'<mark class="{cls}">{html.escape(text[lo:hi])}</mark>')
        cursor = hi
    parts.append(html.escape(text[cursor:end]))
    return "".join(parts)


def _clean_spans(spans, length: int) -> list[tuple[int, int]]:
    """Valid, sorted, non-overlapping (start, end) spans inside a text of ``length``."""
    kept, last = [], 0
    for start, end in sorted((int(s), int(e)) for s, e in spans):
        if start < last or start < 0 or end > length or start >= end:
            continue
        kept.append((start, end))
        last = end
    return kept


def mark_spans(text: str, spans) -> str:
    """Text as safe HTML with the (start, end) spans marked as search hits."""
    text = str(text or "")
    return _marked(text, 0, len(text), _clean_spans(spans, len(text)))


def highlight_html(text: str, mentions: pd.DataFrame, hits=()) -> str:
    """Article text as safe HTML with entity mentions marked, and search hits too.

    Each piece of the (untrusted) text is escaped *before* markup is added around it, so
    tags or scripts inside an article show as text. ``mentions`` needs start, end, type and
    entity_id, with non-overlapping offsets into ``text``; bad offsets are skipped. ``hits``:
    (start, end) offsets of the search term; a hit that crosses an entity's edge is marked
    in pieces, inside and outside the entity's mark.
    """
    text = str(text or "")
    hits = _clean_spans(hits, len(text))
    parts: list[str] = []
    cursor = 0
    for row in mentions.sort_values("start").itertuples(index=False):
        start, end = int(row.start), int(row.end)
        if start < cursor or end > len(text) or start >= end:
            continue
        parts.append(_marked(text, cursor, start, hits))
        kind = row.type if row.type in TYPE_COLORS else "other"
        parts.append(
            f'<mark class="ent ent-{kind}" title="{html.escape(str(row.entity_id))}">'
            f"{_marked(text, start, end, hits)}</mark>"
        )
        cursor = end
    parts.append(_marked(text, cursor, len(text), hits))
    body = "".join(parts).replace("\n", "<br>")
    return f'<div class="article-text" lang="zh">{body}</div>'


def title_html(title: object) -> str:
    """An article's title as a heading (escaped; its markup and Markdown show as text)."""
    return f'<h3 style="margin:0">{as_written(title)}</h3>'


def link_html(href: str, text: object) -> str:
    """An in-app link (same tab) whose text comes from an article."""
    return f'<a href="{html.escape(href, quote=True)}" target="_self">{as_written(text)}</a>'


def mark_in_sentence(sentence: str, surface: str) -> str:
    """A sentence as safe HTML with every occurrence of ``surface`` marked."""
    sentence, surface = str(sentence or ""), str(surface or "")
    if not surface:
        return html.escape(sentence)
    pieces = sentence.split(surface)
    marked = f"<mark>{html.escape(surface)}</mark>"
    return marked.join(html.escape(p) for p in pieces)


def legend_html(lang: str, with_hit: bool = False) -> str:
    """The reader's colour key: one marked sample per entity type (and the search term's)."""
    items = "".join(
        f'<mark class="ent ent-{kind}">{html.escape(i18n.t(f"type.{kind}", lang))}</mark> '
        for kind in TYPE_COLORS
    )
    if with_hit:
        items += f'<mark class="hit">{html.escape(i18n.t("reader.hit", lang))}</mark>'
    return f'<div class="reader-legend">{items}</div>'


# ---------------------------------------------------------------- provenance


def date_source_text(value: object, lang: str) -> str:
    """Where a publication date came from, in words: 'dateline + page date'."""
    value = _value(value)
    if value is None:
        return i18n.t("date_source.none", lang)
    words = []
    for part in value.split("+"):
        key = f"date_source.{part.strip()}"
        words.append(i18n.t(key, lang) if key in i18n.STRINGS else part.strip())
    return " + ".join(words)


def _link_or_text(url: str) -> str:
    """An http(s) address as a link that opens in a new tab; anything else as text."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in ("http", "https"):
        return as_written(url)
    return (
        f'<a href="{html.escape(url, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">{html.escape(url)}</a>'
    )


def provenance_html(article: dict, labels: Labels, quoted: Sequence[str] = ()) -> str:
    """Where an article came from: outlet, date and what it was read from, URL or file,
    site, dateline place, the outlets it quotes, its script. ``quoted``: display names of
    the quoted outlets. Missing values are left out or shown as none, never as 'None'."""
    lang = labels.lang
    t = labels.t
    site = _value(article.get("site"))
    rows: list[tuple[str, str]] = [
        (t("reader.outlet"), as_written(labels.outlet(article.get("source"), site)))
    ]
    published = article.get("published")
    rows.append((t("reader.published"), html.escape(labels.date(published))))
    source = date_source_text(article.get("date_source"), lang)
    help_text = t("date_source.help")
    rows.append(
        (
            t("reader.date_from"),
            f'<span title="{html.escape(help_text, quote=True)}">{html.escape(source)}</span>',
        )
    )
    url = _value(article.get("url"))
    if url:
        rows.append((t("reader.url"), _link_or_text(url)))
    doc = _value(article.get("doc"))
    if doc:
        rows.append((t("reader.file"), as_written(doc)))
    if site:
        rows.append((t("reader.site"), as_written(site)))
    place = _value(article.get("place"))
    if place:
        rows.append((t("reader.place"), as_written(place)))
    sep = "、" if lang == "zh" else ", "
    names = sep.join(as_written(q) for q in quoted) if quoted else t("reader.none")
    rows.append((t("reader.quoted"), names))
    script = _value(article.get("script"))
    if script in ("hans", "hant"):
        rows.append((t("reader.script"), html.escape(t(f"script.{script}"))))
    items = "".join(f"<div><dt>{html.escape(k)}</dt><dd>{v}</dd></div>" for k, v in rows)
    return f'<dl class="provenance">{items}</dl>'


# ---------------------------------------------------------------- events


def events_html(events: pd.DataFrame, labels: Labels) -> str:
    """The events read from an article: kind, route, date (as precisely as known) and the
    phrase it was read from, lead and place, and the sentence it was found in."""
    t = labels.t
    items = []
    for row in events.to_dict("records"):
        kind = _value(row.get("kind"))
        head = [f'<span class="ev-kind">{html.escape(t(f"kind.{kind}") if kind else "—")}</span>']
        a, b = _value(row.get("from_country")), _value(row.get("to_country"))
        if a or b:
            route = f"{labels.country(a) if a else '—'} → {labels.country(b) if b else '—'}"
            head.append(as_written(route))
        when = labels.date(
            row.get("date"),
            _value(row.get("date_precision")) or "day",
            bool(row.get("approximate")),
            row.get("date_end"),
        )
        expr = _value(row.get("time_expr"))
        if when == "—":
            when = t("reader.event_undated")
        date_part = f"<b>{html.escape(when)}</b>"
        if expr:
            quoted = t("reader.event_read_from", expr="\x00")
            before, _, after = quoted.partition("\x00")
            date_part += (
                f' <span class="ev-expr">{html.escape(before)}{as_written(expr)}'
                f"{html.escape(after)}</span>"
            )
        head.append(date_part)
        lead = _value(row.get("lead"))
        if lead:
            name = labels.entity(lead)
            head.append(f"{html.escape(t('reader.event_lead'))}: {as_written(name)}")
        place = _value(row.get("place"))
        if place:
            head.append(f"{html.escape(t('reader.event_place'))}: {as_written(place)}")
        evidence = _value(row.get("evidence"))
        body = f'<div class="ev-evidence">{_evidence(evidence, expr)}</div>' if evidence else ""
        items.append(f"<li>{' · '.join(head)}{body}</li>")
    return f'<ul class="events">{"".join(items)}</ul>'


def _evidence(sentence: str, expr: str | None) -> str:
    """The evidence sentence, escaped, with the time phrase marked where it occurs."""
    spans = []
    if expr:
        at = sentence.find(expr)
        if at >= 0:
            spans.append((at, at + len(expr)))
    return f'<span lang="zh">{_marked(sentence, 0, len(sentence), spans, "expr")}</span>'


READER_CSS = """
<style>
.article-text { line-height: 1.9; font-size: 1.05rem; overflow-wrap: anywhere; }
mark.ent { padding: 0 .15em; border-radius: .2em; }
mark.ent-person { background: #f5b7b1; }
mark.ent-country { background: #aed6f1; }
mark.ent-org { background: #d7bde2; }
mark.ent-place { background: #abebc6; }
mark.ent-other { background: #f9e79f; }
mark.hit { background: #ffe066; color: inherit; padding: 0 .1em; border-radius: .15em;
  box-shadow: 0 0 0 2px #e67700; font-weight: 600; }
.reader-legend { font-size: .85rem; line-height: 1.4; margin-bottom: .5rem; }
.reader-legend mark { margin-right: .3em; }
dl.provenance { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
  gap: .15rem 1.5rem; margin: .3rem 0 .7rem; padding: 0; font-size: .9rem; }
dl.provenance > div { display: flex; gap: .7rem; min-width: 0; }
dl.provenance dt { color: #6b6b6b; flex: 0 0 7.5em; font-weight: normal; }
dl.provenance dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
ul.events { padding-left: 1.1em; line-height: 1.7; }
ul.events li { margin-bottom: .45rem; }
.ev-kind { font-weight: 600; }
.ev-expr { color: #6b6b6b; font-size: .9em; }
.ev-evidence { color: #444; font-size: .92em; }
mark.expr { background: #e3e3e3; padding: 0 .1em; }
</style>
"""
