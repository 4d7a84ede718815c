"""Concordance (keyword in context, as in Voyant): every occurrence of a word, phrase or
entity in the selected articles, aligned on it, sortable by the words after or before it.

Link parameters: ``q`` (a query as on the attention page: words, "phrases", entity:PRK,
AND / OR / NOT), ``sort`` (right|left|newest|oldest), ``page`` (50 occurrences a page).
"""

import html
from urllib.parse import urlencode

import streamlit as st

from dashboard.analysis import concordance, export, query
from dashboard.app import markup, page, widgets
from dashboard.app.urlstate import keep_value, seed_widget, set_query
from dashboard.common import i18n
from dashboard.figures import attention as chart
from dashboard.figures import concordance as table
from dashboard.figures import kwic

PER_PAGE = 50

i18n.extend(
    {
        "concordance.title": {"zh": "上下文(关键词索引)", "en": "Concordance (keyword in context)"},
        "concordance.query": {"zh": "词语、短语或实体", "en": "Word, phrase or entity"},
        "concordance.query_help": {
            "zh": "一个词或短语;entity:PRK 列出一个实体的所有名称的每处出现。也可用 AND、OR、NOT "
            "和括号:只列出匹配整个查询的文章中的出现。繁体简体都可以,英文字母不分大小写。",
            "en": "A word or phrase; entity:PRK lists every occurrence of an entity under any "
            "of its names. AND, OR, NOT and brackets work too: only articles that match the "
            "whole query are read. Simplified or Traditional, Latin letters in any case.",
        },
        "concordance.placeholder": {"zh": "例如:访问", "en": "e.g. entity:PRK"},
        "concordance.sort": {"zh": "排序", "en": "Sort by"},
        "concordance.sort.right": {"zh": "之后的字", "en": "Words after"},
        "concordance.sort.left": {"zh": "之前的字", "en": "Words before"},
        "concordance.sort.newest": {"zh": "最新在前", "en": "Newest"},
        "concordance.sort.oldest": {"zh": "最早在前", "en": "Oldest"},
        "concordance.none": {
            "zh": "输入一个词、短语或实体,列出它在所选文章中的每一处出现。例如:",
            "en": "Type a word, phrase or entity to list every occurrence of it in the "
            "selected articles. For example:",
        },
        "concordance.bad": {
            "zh": "“{q}”无法理解({reason})。",
            "en": "“{q}” could not be read ({reason}).",
        },
        "concordance.no_match": {
            "zh": "当前筛选下没有文章包含“{q}”。",
            "en": "No article of the selection contains “{q}”.",
        },
        "concordance.summary": {
            "zh": "“{q}”:{n} 处,分布在 {articles} 篇文章中 · 第 {page}/{pages} 页",
            "en": "“{q}”: {n} occurrences in {articles} articles · page {page} of {pages}",
        },
        "concordance.how.right": {
            "zh": "每行一处,按命中之后的字排序(相同时最新在前);点击命中阅读全文。",
            "en": "One line per occurrence, sorted by the words right after the hit (then "
            "newest first); click a hit to read the article.",
        },
        "concordance.how.left": {
            "zh": "每行一处,按命中之前的字(从命中往前读)排序,相同时最新在前;点击命中阅读全文。",
            "en": "One line per occurrence, sorted by the words right before the hit, read "
            "from the hit backwards (then newest first); click a hit to read the article.",
        },
        "concordance.how.newest": {
            "zh": "每行一处,最新的文章在前(无日期的在最后);点击命中阅读全文。",
            "en": "One line per occurrence, newest articles first (undated last); click a "
            "hit to read the article.",
        },
        "concordance.how.oldest": {
            "zh": "每行一处,最早的文章在前(无日期的在最后);点击命中阅读全文。",
            "en": "One line per occurrence, oldest articles first (undated last); click a "
            "hit to read the article.",
        },
        "concordance.names": {
            "zh": "{entity}的名称:{names}",
            "en": "{entity} is found under: {names}",
        },
        "concordance.csv": {
            "zh": "下载全部 {n} 处(CSV)",
            "en": "Download all {n} occurrences (CSV)",
        },
        "concordance.csv_capped": {
            "zh": "下载前 {limit} 处(CSV)",
            "en": "Download the first {limit} (CSV)",
        },
        "concordance.capped": {
            "zh": "共 {n} 处,CSV 只含按当前排序的前 {limit} 处;缩小日期或媒体范围即可下载其余部分。",
            "en": "{n} occurrences: the CSV holds the first {limit} in the current order; "
            "narrow the dates or outlets to download the rest.",
        },
        "concordance.attention": {
            "zh": "“{q}”的关注度随时间变化 ↗",
            "en": "Attention to “{q}” over time ↗",
        },
    }
)

ctx = page.page_setup("concordance")
st.title(ctx.t("concordance.title"))
labels = ctx.labels


def _query_changed() -> None:
    keep_value("conc_q")
    set_query("page", None)


def _sort_changed() -> None:
    keep_value("conc_sort")
    set_query("page", None)


seed_widget("conc_q", lambda: (ctx.query_value("q") or "")[: query.MAX_QUERY])
box, order_box = st.columns([3, 2], vertical_alignment="bottom")
text = box.text_input(
    ctx.t("concordance.query"),
    key="conc_q",
    on_change=_query_changed,
    help=ctx.t("concordance.query_help"),
    placeholder=ctx.t("concordance.placeholder"),
).strip()
set_query("q", text or None)
raw_sort = ctx.query_value("sort")
if raw_sort is not None and raw_sort not in concordance.SORTS:
    ctx.notice(ctx.t("notice.bad_param", name="sort", value=raw_sort[:80]))
seed_widget(
    "conc_sort",
    lambda: raw_sort if raw_sort in concordance.SORTS else concordance.SORTS[0],
    valid=lambda v: v in concordance.SORTS,
)
sort = order_box.segmented_control(
    ctx.t("concordance.sort"),
    concordance.SORTS,
    key="conc_sort",
    format_func=lambda s: ctx.t(f"concordance.sort.{s}"),
    required=True,
    on_change=_sort_changed,
)
sort = sort if sort in concordance.SORTS else concordance.SORTS[0]
set_query("sort", None if sort == concordance.SORTS[0] else sort)
if ctx.empty:
    page.empty_selection(ctx)

if not text:
    st.info(ctx.t("concordance.none"))
    examples = [f"entity:{e}" for e in query.entity_choices(ctx.corpus, 3)] + ["访问"]
    items = [
        f'<li><a href="{html.escape(page.page_link(ctx, "concordance", q=e), quote=True)}" '
        f'target="_self"><span lang="zh">{html.escape(chart.query_label(e, labels))}</span></a></li>'
        for e in examples
    ]
    st.html(f"<ul>{''.join(items)}</ul>")
    st.stop()

lookup = query.entity_lookup(ctx.corpus)
try:
    parsed = query.parse_query(text, lookup)
except query.QueryError as exc:
    reason = chart.query_error_text(exc, ctx.lang)
    st.warning(markup.md_escape(ctx.t("concordance.bad", q=text[:80], reason=reason)))
    st.stop()

with page.texts_or_notice(ctx):
    result = concordance.concordance(ctx.corpus, ctx.filters, parsed, sort)
shown_q = chart.query_label(text, labels, lookup)
for entity in parsed.entities:
    names = query.entity_surfaces(ctx.corpus, entity)
    st.caption(
        markup.md_escape(
            ctx.t(
                "concordance.names",
                entity=labels.entity(entity),
                names=("、" if ctx.lang == "zh" else ", ").join(names[:12]),
            )
        )
    )
st.html(
    markup.link_html(
        page.page_link(ctx, "attention", query=text), ctx.t("concordance.attention", q=shown_q)
    )
)
if not len(result):
    st.info(markup.md_escape(ctx.t("concordance.no_match", q=shown_q)))
    st.stop()

pages = max(1, -(-len(result) // PER_PAGE))
current = widgets.url_int(ctx, "page", 1, 1, pages)
set_query("page", None if current == 1 else str(current))
summary = ctx.t(
    "concordance.summary",
    q=shown_q,
    n=labels.number(len(result)),
    articles=labels.number(result.articles),
    page=labels.number(current),
    pages=labels.number(pages),
)
st.markdown(f"**{markup.md_escape(summary)}**")
st.caption(ctx.t(f"concordance.how.{sort}"))
with page.texts_or_notice(ctx):
    rows = concordance.concordance_rows(
        ctx.corpus, result, (current - 1) * PER_PAGE, current * PER_PAGE
    )
hrefs = [
    page.page_link(ctx, "articles", article=aid, q=hit)
    for aid, hit in zip(rows["article_id"], rows["hit_simplified"], strict=True)
]
st.html(table.concordance_html(rows, labels, hrefs, sort))


def results_link(number: int) -> str:
    extra = [("sort", sort)] if sort != concordance.SORTS[0] else []
    extra += [("page", str(number))] if number > 1 else []
    link = page.page_link(ctx, "concordance", q=text)
    return link + ("&" + urlencode(extra) if extra else "")


if pages > 1:
    st.html(kwic.pager_html(current, pages, results_link, labels))
limit = concordance.MAX_EXPORT
capped = len(result) > limit
if capped:
    st.caption(
        ctx.t("concordance.capped", n=labels.number(len(result)), limit=labels.number(limit))
    )
st.download_button(
    ctx.t("concordance.csv_capped", limit=labels.number(limit))
    if capped
    else ctx.t("concordance.csv", n=labels.number(len(result))),
    data=lambda: export.to_csv(concordance.concordance_export(ctx.corpus, result, labels, limit)),
    file_name=page.export_name(ctx, "concordance", text, sort),
    mime="text/csv",
    key="conc_csv",
)
