"""Two outlets, term by term (like Scattertext): each term's frequency in outlet A against
outlet B, the most distinctive ones labelled; a term leads to its sentences in both.

Thin: filters -> analysis.compare (pure, tests/test_compare.py) -> figures.compare -> st.*.
Page parameters in the URL: ``a``, ``b`` (outlets; by default the two largest of the
selection), ``measure`` (per10k|share), ``term``, ``apage``/``bpage`` (sentence pages).
"""

from functools import partial

import streamlit as st

from dashboard import analysis, figures
from dashboard.app import markup, page, picks, responsive, widgets
from dashboard.common import i18n

i18n.extend(
    {
        "compare.title": {"zh": "两家媒体逐词对比", "en": "Two outlets, term by term"},
        "compare.a": {"zh": "媒体 A(横轴)", "en": "Outlet A (across)"},
        "compare.b": {"zh": "媒体 B(纵轴)", "en": "Outlet B (up)"},
        "compare.measure": {"zh": "频率", "en": "Frequency"},
        "compare.measure.per10k": {"zh": "每万词", "en": "Per 10,000 words"},
        "compare.measure.share": {"zh": "文章占比", "en": "Share of articles"},
        "compare.how": {
            "zh": "每个点是一个词:横轴是它在 {a} 的频率,纵轴是在 {b} 的频率(对数坐标;"
            "“词”指关键词云所计的词,不含停用词和单字)。虚线上两家一样常用;右下方的词 {a} 用得更多,"
            "左上方的 {b} 用得更多。标出名称的是两边最有特色的词:带信息性狄利克雷先验的对数几率比 z 值"
            "(Monroe 等, 2008;先验为两家合计)绝对值至少 1.96(约 95% 置信)的词,最多各 12 个。媒体自己的名称不作为它的词。点击一个点查看两家使用该词的句子。",
            "en": "Each point is a term: across, its frequency in {a}; up, in {b} (log axes; terms "
            "are the words the keyword clouds count, without stopwords and single characters). On the "
            "dotted line both use it equally often; below it {a} uses it more, above it {b} does. "
            "Named: each side's most distinctive terms by the z-score of the log-odds ratio with an "
            "informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; prior: both outlets "
            "together), those with |z| of at least 1.96 (about 95 % confidence), up to 12 each. An outlet's own names are never its terms. Click a point for the sentences "
            "of both outlets that use it.",
        },
        "compare.sizes": {
            "zh": "{a}:{na} 篇文章,{wa} 词 · {b}:{nb} 篇文章,{wb} 词 · 图中 {n} 个最常用的词",
            "en": "{a}: {na} articles, {wa} words · {b}: {nb} articles, {wb} words · "
            "the {n} most used terms shown",
        },
        "compare.need_two": {
            "zh": "对比需要所选范围内至少有两家已知媒体的文章。",
            "en": "Comparing needs articles of at least two known outlets in the selection.",
        },
        "compare.no_terms": {
            "zh": "这两家媒体在所选范围内没有可比较的词。",
            "en": "These two outlets have no terms to compare in the selection.",
        },
        "compare.typical": {"zh": "{outlet}的特色词", "en": "Typical of {outlet}"},
        "compare.none_typical": {
            "zh": "在所选范围内没有哪个词明显是{outlet}的特色(|z| ≥ 1.96);选更多文章也许会有。",
            "en": "No term is distinctive of {outlet} in the selection (|z| ≥ 1.96); a larger "
            "selection may show some.",
        },
        "compare.table_help": {
            "zh": "点选一行查看该词的句子。",
            "en": "Select a row to see the term's sentences.",
        },
        "compare.col.term": {"zh": "词", "en": "Term"},
        "compare.col.z": {"zh": "z 值", "en": "z"},
        "compare.col.count_a": {"zh": "A 次数", "en": "A count"},
        "compare.col.count_b": {"zh": "B 次数", "en": "B count"},
        "compare.download": {"zh": "下载全部词 CSV", "en": "Download all terms (CSV)"},
        "compare.pick_hint": {
            "zh": "点击图中的点,或在特色词表中选一行,查看两家媒体使用该词的句子。",
            "en": "Click a point, or pick a row of the lists, to see both outlets' sentences with that term.",
        },
        "compare.sentences": {"zh": "“{term}”的句子", "en": "Sentences with “{term}”"},
        "compare.in_outlet": {
            "zh": "{outlet}:{n} 篇文章使用该词",
            "en": "{outlet}: {n} articles use it",
        },
        "compare.capped": {
            "zh": "(列出最新 {k} 篇文章中的句子)",
            "en": " (sentences of the newest {k} listed)",
        },
        "compare.capped_sentences": {
            "zh": "(只列出最新的 {k} 个句子)",
            "en": " (only the newest {k} sentences listed)",
        },
        "compare.never": {
            "zh": "{outlet}在所选范围内没有使用这个词。",
            "en": "{outlet} never uses this term in the selection.",
        },
        "compare.search_it": {"zh": "在全文中搜索它 ↗", "en": "Search the texts for it ↗"},
        "compare.download_sentences": {
            "zh": "下载这些句子(CSV)",
            "en": "Download these sentences (CSV)",
        },
    }
)

SENTENCES_PER_PAGE = 20
ARTICLE_LIMIT = 200  # articles per outlet whose sentences are listed (the newest)
K_SELECTED, K_CHART, K_NEW_PICK = "cmp_selected", "cmp_chart", "cmp_new_pick"

ctx = page.page_setup("compare")
st.title(ctx.t("compare.title"))
if ctx.empty:
    page.empty_selection(ctx)

labels, ss = ctx.labels, st.session_state
outlets = analysis.compare.outlets_in(ctx.corpus, ctx.filters)
if len(outlets) < 2:
    st.info(ctx.t("compare.need_two"))
    st.stop()
col_a, col_b, col_m = st.columns([2, 2, 2])
outlet_a = widgets.url_selectbox(
    ctx,
    "a",
    outlets,
    key="cmp_a",
    label=ctx.t("compare.a"),
    format_func=ctx.source_label,
    container=col_a,
)
others = [o for o in outlets if o != outlet_a]
# A just took B's outlet (B's widget is on screen): B falls back to the default. A link
# asking for the same outlet twice gets the usual notice from the selectbox instead.
if ctx.query_value("b") == outlet_a and "cmp_b" in ss:
    ctx.set_query("b", None)
outlet_b = widgets.url_selectbox(
    ctx,
    "b",
    others,
    key="cmp_b",
    label=ctx.t("compare.b"),
    format_func=ctx.source_label,
    container=col_b,
)
measure = widgets.url_segmented(
    ctx,
    "measure",
    list(analysis.compare.MEASURES),
    key="cmp_measure",
    label=ctx.t("compare.measure"),
    format_func=lambda m: ctx.t(f"compare.measure.{m}"),
    container=col_m,
)
name_a, name_b = ctx.source_label(outlet_a), ctx.source_label(outlet_b)
# Outlet names are data (an upload's own source field): escaped for markdown captions.
md_a, md_b = markup.md_escape(name_a), markup.md_escape(name_b)
result = analysis.compare.compare_outlets(ctx.corpus, ctx.filters, outlet_a, outlet_b, measure)
terms = result.terms
st.caption(ctx.t("compare.how", a=md_a, b=md_b))
st.caption(
    ctx.t(
        "compare.sizes",
        a=md_a,
        b=md_b,
        na=labels.number(result.articles_a),
        nb=labels.number(result.articles_b),
        wa=labels.number(result.words_a),
        wb=labels.number(result.words_b),
        n=labels.number(len(terms)),
    )
)
if terms.empty:
    st.info(ctx.t("compare.no_terms"))
    st.stop()
if ((terms["count_a"] == 0) | (terms["count_b"] == 0)).any():
    st.caption(ctx.t("compare.fig.never"))


def keep_chart_pick(chart_key: str) -> None:
    """A chart's on_select: the clicked term ("" for a cleared pick)."""
    picked = [p.get("customdata") for p in picks.chart_points(chart_key)]
    picked = [p[0] if isinstance(p, list | tuple) and p else p for p in picked]
    ss[K_NEW_PICK] = next((p for p in picked if isinstance(p, str)), "")


def keep_table_pick(table_key: str, shown_terms: list[str]) -> None:
    rows = ss[table_key].selection.rows
    ss[K_NEW_PICK] = shown_terms[rows[0]] if rows and rows[0] < len(shown_terms) else ""


known = set(terms["term"])
# The term shown: a pick just made, else the one kept in this session, else the link's.
if K_NEW_PICK in ss:
    term = ss.pop(K_NEW_PICK) or None
elif K_SELECTED in ss:
    term = ss[K_SELECTED]
else:
    term = ctx.query_value("term")
    if term is not None and term not in known:
        ctx.notice(ctx.t("notice.bad_param", name="term", value=term[:80]))
        term = None
ss[K_SELECTED] = term
ctx.set_query("term", term)

color_a = ctx.colors.get(outlet_a, figures.style.OTHER_COLOR)
color_b = ctx.colors.get(outlet_b, figures.style.OTHER_COLOR)
# labels placed for a laptop and for a phone (fewer, so none prints over another)
responsive.text_by_width(K_CHART)
st.plotly_chart(
    figures.compare.compare_figure(
        terms,
        name_a,
        name_b,
        color_a,
        color_b,
        ctx.lang,
        measure,
        term,
        min_z=analysis.compare.SIGNIFICANT_Z,
    ),
    key=K_CHART,
    on_select=partial(keep_chart_pick, K_CHART),
    selection_mode="points",
    config={"displaylogo": False},
)
st.download_button(
    ctx.t("compare.download"),
    data=partial(analysis.export.to_csv, figures.compare.term_table(terms)),
    file_name=page.export_name(ctx, "compare", outlet_a, outlet_b, measure),
    mime="text/csv",
    key="cmp_csv",
    on_click="ignore",
)

left, right = st.columns(2)
for column, side, name, color in ((left, "a", name_a, color_a), (right, "b", name_b, color_b)):
    top = analysis.compare.distinctive(terms, side, 12)
    with column:
        st.html(markup.swatch_heading_html(ctx.t("compare.typical", outlet=name), color))
        if top.empty:
            st.caption(ctx.t("compare.none_typical", outlet=markup.md_escape(name)))
            continue
        table_key = f"cmp_table_{side}"
        st.dataframe(
            top[["term", "z", "count_a", "count_b"]].round({"z": 2}),
            key=table_key,
            hide_index=True,
            on_select=partial(keep_table_pick, table_key, top["term"].tolist()),
            selection_mode="single-row",
            column_config={
                "term": ctx.t("compare.col.term"),
                "z": st.column_config.NumberColumn(ctx.t("compare.col.z"), format="%+.2f"),
                "count_a": st.column_config.NumberColumn(
                    f"{name_a} · {ctx.t('col.count')}", format="localized"
                ),
                "count_b": st.column_config.NumberColumn(
                    f"{name_b} · {ctx.t('col.count')}", format="localized"
                ),
            },
        )
st.caption(ctx.t("compare.table_help"))

if term is None:
    st.caption(ctx.t("compare.pick_hint"))
    st.stop()

st.subheader(ctx.t("compare.sentences", term=term))
st.html(markup.link_html(page.search_link(ctx, term), ctx.t("compare.search_it")))
left, right = st.columns(2)
for column, side, outlet, name in (
    (left, "a", outlet_a, name_a),
    (right, "b", outlet_b, name_b),
):
    with column, page.texts_or_notice(ctx):
        sentences, n_articles = analysis.compare.term_sentences_in(
            ctx.corpus, ctx.filters, outlet, term, limit=ARTICLE_LIMIT
        )
        st.html(markup.swatch_heading_html(name, ctx.colors.get(outlet)))
        if not n_articles:
            st.caption(ctx.t("compare.never", outlet=markup.md_escape(name)))
            continue
        if n_articles > ARTICLE_LIMIT:
            cut = ctx.t("compare.capped", k=labels.number(ARTICLE_LIMIT))
        elif len(sentences) >= analysis.compare.SENTENCE_LIMIT:
            cut = ctx.t("compare.capped_sentences", k=labels.number(len(sentences)))
        else:
            cut = ""
        st.caption(
            ctx.t("compare.in_outlet", outlet=markup.md_escape(name), n=labels.number(n_articles))
            + cut
        )
        at = widgets.url_page(
            ctx, f"{side}page", len(sentences), SENTENCES_PER_PAGE, key=f"cmp_{side}page_{term}"
        )
        shown = sentences.iloc[at * SENTENCES_PER_PAGE : (at + 1) * SENTENCES_PER_PAGE]
        st.html(
            figures.sentences.sentences_html(
                shown,
                [
                    [(int(s), int(e))]
                    for s, e in zip(shown["match_start"], shown["match_end"], strict=True)
                ],
                [labels.date(p) for p in shown["published"]],
                [page.article_link(ctx, x) for x in shown["article_id"]],
            )
        )
        st.download_button(
            ctx.t("compare.download_sentences"),
            data=partial(analysis.export.to_csv, sentences),
            file_name=page.export_name(ctx, "sentences", outlet, term),
            mime="text/csv",
            key=f"cmp_sentences_csv_{side}",
            on_click="ignore",
        )
