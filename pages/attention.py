"""Attention over time (as in Media Cloud): how many articles match each query per day, week
or month, overlaid or per outlet, as a count or a share; a click lists that point's articles.

Link parameters: ``query`` (repeated, one per query), ``measure`` (count|share), ``by``
(query|outlet), ``point`` (the clicked point: 2:2024-07-01 or 2:2024-07-01:KCNA), ``apage``
(the page of its article list).
"""

import html
from urllib.parse import urlencode

import streamlit as st

from dashboard.analysis import attention, export, query, search
from dashboard.app import markup, page, widgets
from dashboard.app.urlstate import keep_value, kept_key, seed_widget, set_query
from dashboard.common import i18n
from dashboard.figures import attention as chart
from dashboard.figures import kwic
from dashboard.figures.style import OTHER_OUTLETS, outlet_group

MAX_QUERIES = 6
PER_PAGE = 20

i18n.extend(
    {
        "attention.title": {"zh": "关注度随时间的变化", "en": "Attention over time"},
        "attention.queries": {"zh": "查询(每行一个)", "en": "Queries (one per line)"},
        "attention.queries_help": {
            "zh": "词语或短语(“…”中的原样查找),实体(entity:PRK,或在“添加实体”中选择),"
            "用 AND、OR、NOT 和括号组合:朝鲜 AND 俄罗斯、访问 NOT 取消、(普京 OR 拉夫罗夫) 平壤。"
            "空格等于 AND。繁体简体都可以,英文字母不分大小写;在标题和正文中查找。最多 6 个查询。",
            "en": "Words or phrases (in quotes, found as written), entities (entity:PRK, or "
            "pick one under “Add an entity”), combined with AND, OR, NOT and brackets. A space means AND. "
            "Simplified or Traditional, Latin letters in any case; titles and texts are "
            "searched. Up to 6 queries.",
        },
        "attention.placeholder": {
            "zh": "例如:\n朝鲜 AND 俄罗斯\n访问 NOT 取消",
            "en": "For example:\nentity:PRK\na word as written in Chinese",
        },
        "attention.add_entity": {"zh": "添加实体", "en": "Add an entity"},
        "attention.add_entity_placeholder": {"zh": "选择实体……", "en": "Pick an entity…"},
        "attention.measure": {"zh": "度量", "en": "Measure"},
        "attention.measure.count": {"zh": "文章数", "en": "Articles"},
        "attention.measure.share": {"zh": "占比", "en": "Share"},
        "attention.by": {"zh": "分组", "en": "Lines"},
        "attention.by.query": {"zh": "按查询", "en": "One per query"},
        "attention.by.outlet": {"zh": "按媒体", "en": "Per outlet"},
        "attention.none": {
            "zh": "输入一个或多个查询,每行一个。例如:",
            "en": "Type one or more queries, one per line. For example:",
        },
        "attention.example_entities": {
            "zh": "所选文章中提及最多的实体",
            "en": "the most mentioned entities of the selection",
        },
        "attention.bad_query": {
            "zh": "查询“{q}”无法理解({reason}),已略去。",
            "en": "Query “{q}” could not be read ({reason}); it is left out.",
        },
        "attention.too_many": {
            "zh": "最多 {n} 个查询,其余已略去。",
            "en": "At most {n} queries; the others are left out.",
        },
        "attention.how.count.query": {
            "zh": "每{period}中匹配各查询的文章数。点击柱形即可列出这些文章。",
            "en": "Articles matching each query per {period}. Click a bar to list them.",
        },
        "attention.how.share.query": {
            "zh": "每{period}所选文章中匹配各查询的比例;该期没有文章处留空。点击一个点即可列出这些文章。",
            "en": "Share of the selected articles of each {period} that match each query; a "
            "period without articles is a gap. Click a point to list them.",
        },
        "attention.how.count.outlet": {
            "zh": "每个查询一栏:每{period}中各媒体匹配的文章数。点击柱形即可列出这些文章。",
            "en": "One panel per query: matching articles per {period}, by outlet. Click a bar "
            "to list them.",
        },
        "attention.how.share.outlet": {
            "zh": "每个查询一栏:每{period}各媒体的文章中匹配的比例;该媒体该期没有文章处留空。"
            "点击一个点即可列出这些文章。",
            "en": "One panel per query: the share of each outlet's articles of the {period} "
            "that match; a period without articles of the outlet is a gap. Click a point to "
            "list them.",
        },
        "attention.undated": {
            "zh": "没有日期的文章不在时间轴上:{items}。",
            "en": "Articles without a date are on no time axis: {items}.",
        },
        "attention.undated_item": {"zh": "“{q}” {n} 篇", "en": "{n} matching “{q}”"},
        "attention.csv": {"zh": "下载数据(CSV)", "en": "Download the data (CSV)"},
        "attention.concordance_of": {"zh": "“{q}”的上下文", "en": "“{q}” in context"},
        "attention.links": {"zh": "查看每处出现:", "en": "Every occurrence:"},
        "attention.pick_hint": {
            "zh": "点击图中的柱形或点,列出该期匹配的文章。",
            "en": "Click a bar or point to list the matching articles of that period.",
        },
        "attention.point_one": {
            "zh": "“{q}” · {when}{outlet}:{n} 篇",
            "en": "“{q}” · {when}{outlet}: {n} article",
        },
        "attention.point_many": {
            "zh": "“{q}” · {when}{outlet}:{n} 篇",
            "en": "“{q}” · {when}{outlet}: {n} articles",
        },
        "attention.point_outlet": {"zh": " · {name}", "en": " · {name}"},
        "attention.point_none": {
            "zh": "当前筛选下这一期没有匹配的文章。",
            "en": "No matching article in that period under the current filters.",
        },
        "attention.point_csv": {"zh": "下载这些文章(CSV)", "en": "Download these articles (CSV)"},
        "attention.no_words": {
            "zh": "这个查询只排除词语,文中没有可标出的内容。",
            "en": "This query only leaves words out: there is nothing to mark in the texts.",
        },
    }
)

ctx = page.page_setup("attention")
st.title(ctx.t("attention.title"))
if ctx.empty:
    page.empty_selection(ctx)
labels = ctx.labels
lookup = query.entity_lookup(ctx.corpus)


def _forget_point() -> None:
    for name in ("point", "apage"):
        set_query(name, None)
    for key in ("att_point", kept_key("att_chart")):
        st.session_state.pop(key, None)


def _queries_changed() -> None:
    keep_value("att_queries")
    _forget_point()


def _entity_added() -> None:
    entity = st.session_state.get("att_add")
    if entity:
        lines = [q for q in st.session_state["att_queries"].splitlines() if q.strip()]
        st.session_state["att_queries"] = "\n".join([*lines, f"entity:{entity}"])
        keep_value("att_queries")
        _forget_point()
    st.session_state["att_add"] = None


seed_widget(
    "att_queries",
    lambda: "\n".join(q[: query.MAX_QUERY] for q in ctx.query_values("query")[:MAX_QUERIES]),
)
box, side = st.columns([3, 2])
typed = box.text_area(
    ctx.t("attention.queries"),
    key="att_queries",
    on_change=_queries_changed,
    help=ctx.t("attention.queries_help"),
    placeholder=ctx.t("attention.placeholder"),
    height=110,
)
choices = query.entity_choices(ctx.corpus)
side.selectbox(
    ctx.t("attention.add_entity"),
    choices,
    index=None,
    key="att_add",
    format_func=lambda e: f"{labels.entity(e)} · {ctx.t('type.' + query.entity_type(e))}",
    placeholder=ctx.t("attention.add_entity_placeholder"),
    on_change=_entity_added,
)
lines = [q.strip() for q in typed.splitlines() if q.strip()]
if len(lines) > MAX_QUERIES:
    ctx.notice(ctx.t("attention.too_many", n=MAX_QUERIES))
    lines = lines[:MAX_QUERIES]
set_query("query", lines)
queries = []
for line in lines:
    try:
        queries.append(query.parse_query(line, lookup))
    except query.QueryError as exc:
        reason = chart.query_error_text(exc, ctx.lang)
        ctx.notice(ctx.t("attention.bad_query", q=line[:80], reason=reason))

if not queries:
    st.info(ctx.t("attention.none"))
    top = choices[:3]
    examples = [
        (["朝鲜 AND 俄罗斯", "访问 NOT 取消"], "朝鲜 AND 俄罗斯 · 访问 NOT 取消"),
        ([f"entity:{e}" for e in top], ", ".join(labels.entity(e) for e in top)),
    ]
    items = []
    for values, text in examples:
        base = page.page_link(ctx, "attention")
        href = (
            base + ("" if base.endswith("?") else "&") + urlencode([("query", v) for v in values])
        )
        items.append(
            f'<li><a href="{html.escape(href, quote=True)}" target="_self">'
            f'<span lang="zh">{html.escape(text)}</span></a></li>'
        )
    st.html(f"<ul>{''.join(items)}</ul>")
    st.stop()

names = [chart.query_label(q.text, labels, lookup) for q in queries]
left, right = st.columns(2)
measure = widgets.url_segmented(
    ctx,
    "measure",
    list(chart.MEASURES),
    key="att_measure",
    label=ctx.t("attention.measure"),
    format_func=lambda m: ctx.t(f"attention.measure.{m}"),
    container=left,
)
by = widgets.url_segmented(
    ctx,
    "by",
    list(attention.BYS),
    key="att_by",
    label=ctx.t("attention.by"),
    format_func=lambda b: ctx.t(f"attention.by.{b}"),
    container=right,
)
with page.texts_or_notice(ctx):
    series, period = attention.attention_series(ctx.corpus, ctx.filters, queries, by)
    undated = attention.undated_matches(ctx.corpus, ctx.filters, queries)
st.caption(ctx.t(f"attention.how.{measure}.{by}", period=ctx.t(f"period.name.{period}")))
if any(undated):
    items = [
        ctx.t("attention.undated_item", q=name, n=labels.number(n))
        for name, n in zip(names, undated, strict=True)
        if n
    ]
    st.caption(
        markup.md_escape(
            ctx.t("attention.undated", items=("；" if ctx.lang == "zh" else "; ").join(items))
        )
    )
# The clicked point (kept by the chart's callback, which runs before this line; else the
# link's), known before the chart is drawn so that the chart can ring it.
ids = chart.point_ids(series, ctx.colors, by)
selected = widgets.selected_from_chart(ctx, None, ids, "point", "att_point", chart_key="att_chart")
st.plotly_chart(
    chart.attention_figure(series, names, labels, ctx.colors, period, measure, by, selected),
    key="att_chart",
    on_select=widgets.keep_selection("att_chart"),
    selection_mode="points",
    config={"displaylogo": False},
)
st.download_button(
    ctx.t("attention.csv"),
    data=lambda: export.to_csv(attention.export_frame(series, [q.text for q in queries], period)),
    file_name=page.export_name(ctx, "attention", by, measure, *[q.text for q in queries]),
    mime="text/csv",
    key="att_csv",
)
links = [
    markup.link_html(
        page.page_link(ctx, "concordance", q=q.text), ctx.t("attention.concordance_of", q=name)
    )
    for q, name in zip(queries, names, strict=True)
    if q.words or q.entities
]
if links:
    st.html(f"<p>{html.escape(ctx.t('attention.links'))} {' · '.join(links)}</p>")

point = attention.parse_point(selected)
if point is None or point[0] >= len(queries):
    st.caption(ctx.t("attention.pick_hint"))
    st.stop()

number, start, source = point
chosen = queries[number]
if source is None:
    sources = None
elif source == OTHER_OUTLETS:
    sources = [s for s in ctx.articles["source"].unique() if outlet_group(s, ctx.colors) == source]
else:
    sources = [source]
rows = attention.point_articles(ctx.corpus, ctx.filters, chosen, start, period, sources)
outlet = (
    ctx.t("attention.point_outlet", name=chart.group_label(source, labels))
    if source is not None
    else ""
)
st.subheader(
    ctx.t(
        "attention.point_one" if len(rows) == 1 else "attention.point_many",
        q=names[number],
        when=chart.period_text(start, period, ctx.lang),
        outlet=outlet,
        n=labels.number(len(rows)),
    )
)
if rows.empty:
    st.info(ctx.t("attention.point_none"))
    st.stop()
with st.columns([1, 3])[0]:  # a page number needs no full width
    at = widgets.url_page(ctx, "apage", len(rows), PER_PAGE, key=f"att_apage_{selected}")
shown = rows.iloc[at * PER_PAGE : (at + 1) * PER_PAGE]
st.caption(
    ctx.t(
        "list.showing",
        first=labels.number(at * PER_PAGE + 1),
        last=labels.number(at * PER_PAGE + len(shown)),
        n=labels.number(len(rows)),
    )
)
words = query.mark_words(ctx.corpus, chosen)
if not words:
    st.caption(ctx.t("attention.no_words"))
with page.texts_or_notice(ctx):
    shown = attention.with_hits(ctx.corpus, shown, words)
    snippets = search.snippets(ctx.corpus, shown["article_pos"], words)
hrefs = {
    aid: page.page_link(ctx, "articles", article=aid, q=found)
    for aid, found in zip(shown["article_id"], shown["found"], strict=True)
}
st.html(kwic.kwic_html(shown, snippets, labels, hrefs, words))
st.download_button(
    ctx.t("attention.point_csv"),
    data=lambda: export.to_csv(attention.articles_export(rows, labels)),
    file_name=page.export_name(ctx, "attention-articles", selected),
    mime="text/csv",
    key="att_point_csv",
)
