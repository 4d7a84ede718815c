"""Escaped HTML for search results: the hits in context (a concordance, or KWIC), grouped
per article, and the links to the other pages of results.

Each hit is one line: the words before it, the hit marked, the words after it, the hit in
the middle of the line (on a phone the line wraps instead). Every piece of article text is
escaped before markup is added; the hit's place comes from its offsets.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import pandas as pd

from ..analysis.labels import Labels
from ..analysis.search import occurrences
from ..common import i18n
from ..common.textnorm import to_simplified
from .reader import as_written, mark_spans

i18n.extend(
    {
        "kwic.hits_one": {"zh": "{n} 处", "en": "{n} hit"},
        "kwic.hits_many": {"zh": "{n} 处", "en": "{n} hits"},
        "kwic.more_one": {"zh": "另有 {n} 处,在全文中查看", "en": "1 more: read it in the article"},
        "kwic.more_many": {
            "zh": "另有 {n} 处,在全文中查看",
            "en": "{n} more: read them in the article",
        },
        "kwic.undated": {"zh": "无日期", "en": "undated"},
        "kwic.title_only": {"zh": "只在标题中出现", "en": "In the title only"},
        "kwic.relay": {"zh": "转载", "en": "relay"},
        "kwic.relay_help": {
            "zh": "近似重复:转载或改写了一篇较早的文章",
            "en": "Near-duplicate: relays or rewrites an earlier article",
        },
        "kwic.prev": {"zh": "‹ 上一页", "en": "‹ Previous"},
        "kwic.next": {"zh": "下一页 ›", "en": "Next ›"},
        "kwic.pages": {"zh": "结果分页", "en": "Result pages"},
    }
)


def hits_text(n: int, labels: Labels) -> str:
    key = "kwic.hits_one" if n == 1 else "kwic.hits_many"
    return labels.t(key, n=labels.number(n))


def _title_html(title: str, terms) -> str:
    simplified = to_simplified(title)
    spans = occurrences(simplified, terms) if len(simplified) == len(title) else []
    body = mark_spans(title, spans)
    return f'<span lang="zh">{body}</span>' if body else ""


def kwic_html(
    rows: pd.DataFrame,
    snippets: pd.DataFrame,
    labels: Labels,
    hrefs: Mapping[str, str],
    terms=(),
) -> str:
    """One block per article of ``rows`` (search.RESULT_COLUMNS): date · outlet · hits, the
    title linking to ``hrefs[article_id]`` (the reader), then a line per snippet
    (search.SNIPPET_COLUMNS) and how many more hits the article holds."""
    by_article = {pos: group for pos, group in snippets.groupby("article_pos", sort=False)}
    blocks = []
    for row in rows.to_dict("records"):
        aid = str(row["article_id"])
        href = html.escape(hrefs.get(aid, ""), quote=True)
        day = labels.date(row.get("published"))
        day = labels.t("kwic.undated") if day == "—" else day
        meta = [day, labels.outlet(row.get("source"), row.get("site"))]
        meta_html = " · ".join(as_written(m) for m in meta)
        n_hits = int(row.get("hits") or 0)
        badge = f'<span class="kwic-n">{html.escape(hits_text(n_hits, labels))}</span>'
        if row.get("dup_of"):
            badge += (
                f' <span class="kwic-relay" title="{html.escape(labels.t("kwic.relay_help"))}">'
                f"{html.escape(labels.t('kwic.relay'))}</span>"
            )
        title = _title_html(str(row.get("title") or ""), terms) or html.escape(aid)
        lines = []
        group = by_article.get(row["article_pos"])
        shown = 0 if group is None else len(group)
        if group is not None:
            for s in group.to_dict("records"):
                left = ("…" if s["cut_left"] else "") + s["left"]
                right = s["right"] + ("…" if s["cut_right"] else "")
                lines.append(
                    '<div class="kwic-line" lang="zh">'
                    f'<span class="l"><span>{html.escape(left)}</span></span>'
                    f'<mark class="hit">{html.escape(s["match"])}</mark>'
                    f'<span class="r">{html.escape(right)}</span></div>'
                )
        else:
            lines.append(f'<div class="kwic-note">{html.escape(labels.t("kwic.title_only"))}</div>')
        more = n_hits - int(row.get("title_hits") or 0) - shown  # the title's are shown
        if group is not None and more > 0:
            key = "kwic.more_one" if more == 1 else "kwic.more_many"
            text = labels.t(key, n=labels.number(more))
            lines.append(
                f'<div class="kwic-note"><a href="{href}" target="_self">{html.escape(text)}</a></div>'
            )
        blocks.append(
            '<section class="kwic-art">'
            f'<div class="kwic-meta">{meta_html} · {badge}</div>'
            f'<div class="kwic-title"><a href="{href}" target="_self">{title}</a></div>'
            f"{''.join(lines)}</section>"
        )
    return KWIC_CSS + f'<div class="kwic">{"".join(blocks)}</div>'


def pager_html(current: int, pages: int, href_for: Callable[[int], str], labels: Labels) -> str:
    """Links to the other pages of results: previous, the first, a few around the current
    one, the last, next. Empty when there is one page."""
    if pages <= 1:
        return ""

    def link(n: int, text: str, cls: str = "") -> str:
        href = html.escape(href_for(n), quote=True)
        extra = f' class="{cls}"' if cls else ""
        return f'<a href="{href}" target="_self"{extra}>{html.escape(text)}</a>'

    wanted = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    items = []
    if current > 1:
        items.append(link(current - 1, labels.t("kwic.prev"), "step"))
    last = 0
    for n in wanted:
        if n - last > 1:
            items.append('<span class="gap">…</span>')
        if n == current:
            items.append(f'<span class="current" aria-current="page">{labels.number(n)}</span>')
        else:
            items.append(link(n, labels.number(n)))
        last = n
    if current < pages:
        items.append(link(current + 1, labels.t("kwic.next"), "step"))
    label = html.escape(labels.t("kwic.pages"), quote=True)
    return KWIC_CSS + f'<nav class="pager" aria-label="{label}">{"".join(items)}</nav>'


KWIC_CSS = """
<style>
.kwic-art { margin: 0 0 1.2rem; }
.kwic-meta { color: #6b6b6b; font-size: .85rem; }
.kwic-n { color: #444; }
.kwic-relay { color: #8a5a00; border: 1px solid #e0c48a; border-radius: .6em;
  padding: 0 .4em; font-size: .8rem; }
.kwic-title { font-weight: 600; margin: .05rem 0 .2rem; overflow-wrap: anywhere; }
.kwic-line { display: grid; grid-template-columns: minmax(0, 1fr) auto minmax(0, 1fr);
  line-height: 1.75; font-size: .95rem; }
.kwic-line .l { display: flex; justify-content: flex-end; overflow: hidden; white-space: nowrap; }
.kwic-line .r { overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.kwic-note { font-size: .85rem; color: #6b6b6b; }
mark.hit { background: #ffe066; color: inherit; padding: 0 .1em; border-radius: .15em;
  box-shadow: 0 0 0 2px #e67700; font-weight: 600; }
.kwic-line mark.hit { margin: 0 .2em; }
nav.pager { display: flex; flex-wrap: wrap; gap: .35rem .6rem; align-items: center;
  margin: .5rem 0 1rem; }
nav.pager a, nav.pager span { padding: .15rem .45rem; border-radius: .3rem; }
nav.pager a { border: 1px solid #d0d0d0; text-decoration: none; }
nav.pager .current { background: #262730; color: #fff; font-weight: 600; }
nav.pager .gap { color: #999; }
@media (max-width: 640px) {
  .kwic-line { display: block; margin-bottom: .3rem; }
  .kwic-line .l, .kwic-line .r { display: inline; white-space: normal; }
}
</style>
"""
