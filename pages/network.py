"""Co-occurrence network: people, organisations and countries named in the same sentences.

Thin: filters -> analysis.network (pure, tests/test_network.py) -> figures.network -> st.*.
Page parameters in the URL: ``n`` (top nodes), ``w`` (least sentences per tie; ``auto``
when absent), ``edge`` (the pair whose sentences are listed, ``CHN~RUS``), ``spage``.
"""

from functools import partial

import streamlit as st

from dashboard import analysis, figures
from dashboard.app import page, picks, responsive, widgets
from dashboard.common import i18n

i18n.extend(
    {
        "network.title": {"zh": "共现网络", "en": "Co-occurrence network"},
        "network.top_n": {"zh": "节点数(提及最多的前 N 个)", "en": "Nodes (the N most mentioned)"},
        "network.min_weight": {"zh": "每条关联至少几句", "en": "Least sentences per tie"},
        "network.auto": {"zh": "自动(至少 {n} 句)", "en": "automatic (at least {n})"},
        "network.how": {
            "zh": "节点:所选文章中提及最多的人物、机构和国家,大小表示提及次数,颜色表示类型。"
            "连线:两者在同一句中出现的句数,越粗越多;只画至少 {w} 句的关联。"
            "点击连线中点(或先后点击两个节点)查看这些句子。布局固定,同样的网络总是画成同样。",
            "en": "Nodes: the most mentioned people, organisations and countries of the selection, "
            "sized by mentions, coloured by type. Lines: sentences naming both, thicker for more; "
            "only ties of at least {w} sentences are drawn. Click a line's midpoint (or one node, "
            "then another) for those sentences. The layout is fixed: the same network always "
            "looks the same.",
        },
        "network.isolated": {
            "zh": "另有 {n} 个节点在此阈值下没有关联,未画出:{names}",
            "en": "{n} more nodes have no tie at this threshold and are not drawn: {names}",
        },
        "network.none": {
            "zh": "所选文章中没有两个人物、机构或国家在同一句中出现{w}句以上。请降低阈值或放宽筛选。",
            "en": "No two people, organisations or countries are named together in {w} or more "
            "sentences of the selection. Lower the threshold or widen the filters.",
        },
        "network.first_node": {
            "zh": "已选 {name}:再点击另一个节点,查看两者同句出现的句子。",
            "en": "{name} picked: click another node for the sentences naming both.",
        },
        "network.table": {"zh": "关联列表", "en": "Ties"},
        "network.table_help": {
            "zh": "点选一行查看这两者同时出现的句子。",
            "en": "Select a row to see the sentences naming both.",
        },
        "network.col.a": {"zh": "甲", "en": "A"},
        "network.col.b": {"zh": "乙", "en": "B"},
        "network.col.sentences": {"zh": "同句(句)", "en": "Sentences"},
        "network.col.articles": {"zh": "文章数", "en": "Articles"},
        "network.download": {"zh": "下载关联 CSV", "en": "Download ties (CSV)"},
        "network.pick_hint": {
            "zh": "在图中点击连线中点,或在关联列表中选一行,查看依据句子。",
            "en": "Click a line's midpoint in the network, or pick a row of the ties, to see the sentences.",
        },
        "network.sentences": {
            "zh": "{a} 与 {b} 同句出现:{n} 句",
            "en": "{a} and {b} in the same sentence: {n}",
        },
        "network.sentences_none": {
            "zh": "{a} 与 {b} 在所选文章中从未在同一句中出现。",
            "en": "{a} and {b} are never named in the same sentence of the selection.",
        },
        "network.download_sentences": {
            "zh": "下载这 {n} 句(CSV)",
            "en": "Download these {n} sentences (CSV)",
        },
    }
)

SENTENCES_PER_PAGE = 30
K_SELECTED, K_CHART, K_TABLE = "net_selected", "net_chart", "net_table"
K_NEW_PICK = "net_new_pick"  # a pick the user just made (chart or table), read once
K_FIRST_NODE = "net_first_node"  # a node clicked: the first end of a pair

ctx = page.page_setup("network")
st.title(ctx.t("network.title"))
if ctx.empty:
    page.empty_selection(ctx)

labels, ss = ctx.labels, st.session_state
col_n, col_w = st.columns([3, 2])
top_n = widgets.url_slider(
    ctx, "n", 30, 5, 60, key="net_n", label=ctx.t("network.top_n"), container=col_n
)
nodes, edges = analysis.network.cooccurrence_network(ctx.corpus, ctx.filters, top_n, 1)
auto = analysis.network.auto_min_weight(edges, top_n)
min_weight = widgets.url_selectbox(
    ctx,
    "w",
    ["auto", *map(str, analysis.network.WEIGHT_STEPS)],
    key="net_w",
    label=ctx.t("network.min_weight"),
    format_func=lambda w: ctx.t("network.auto", n=auto) if w == "auto" else w,
    container=col_w,
)
threshold = auto if min_weight == "auto" else int(min_weight)
nodes, edges = analysis.network.with_min_weight(nodes, edges, threshold)
table = figures.network.edges_table(edges, labels)
keys = table["edge"].tolist()


def keep_chart_pick(chart_key: str) -> None:
    """A chart's on_select: what was clicked, as an edge key ("" for a cleared pick)."""
    action, value = figures.network.picked_pair(picks.chart_points(chart_key), ss.get(K_FIRST_NODE))
    if action == "node":  # the first end of a pair: wait for the second
        ss[K_FIRST_NODE] = value
        return
    ss.pop(K_FIRST_NODE, None)
    ss[K_NEW_PICK] = value or ""


def keep_table_pick(edge_keys: list[str]) -> None:
    ss.pop(K_FIRST_NODE, None)
    rows = ss[K_TABLE].selection.rows
    ss[K_NEW_PICK] = edge_keys[rows[0]] if rows and rows[0] < len(edge_keys) else ""


def valid_pair(value: str | None) -> str | None:
    pair = analysis.network.parse_edge_key(value)
    if pair is None or not all(analysis.network.is_entity(ctx.corpus, e) for e in pair):
        return None
    return analysis.network.edge_key(*pair)


# The pair shown: a pick just made, else the one kept in this session, else the link's.
if K_NEW_PICK in ss:
    selected = ss.pop(K_NEW_PICK) or None
elif K_SELECTED in ss:
    selected = ss[K_SELECTED]
else:
    raw = ctx.query_value("edge")
    selected = valid_pair(raw)
    if raw is not None and selected is None:
        ctx.notice(ctx.t("notice.bad_param", name="edge", value=raw[:80]))
ss[K_SELECTED] = selected
ctx.set_query("edge", selected)

st.caption(ctx.t("network.how", w=labels.number(threshold)))
if edges.empty:
    st.info(ctx.t("network.none", w=labels.number(threshold)))
else:
    # names placed for a laptop and for a phone (fewer, so none prints over another)
    responsive.text_by_width(K_CHART)
    st.plotly_chart(
        figures.network.network_figure(nodes, edges, labels, selected),
        key=K_CHART,
        on_select=partial(keep_chart_pick, K_CHART),
        selection_mode=("points", "box", "lasso"),
        config={"displaylogo": False, "scrollZoom": False},
    )
    first_node = ss.get(K_FIRST_NODE)
    if first_node:
        st.info(ctx.t("network.first_node", name=labels.entity(first_node)))
    lonely = nodes[nodes["degree"] == 0]
    if len(lonely):
        st.caption(
            ctx.t(
                "network.isolated",
                n=len(lonely),
                names=("、" if ctx.lang == "zh" else ", ").join(
                    labels.entity(e) for e in lonely["entity_id"].head(12)
                )
                + ("…" if len(lonely) > 12 else ""),
            )
        )

if selected is None:
    st.caption(ctx.t("network.pick_hint"))
else:
    a, b = analysis.network.parse_edge_key(selected)
    name_a, name_b = labels.entity(a), labels.entity(b)
    sentences = analysis.network.edge_sentences(ctx.corpus, ctx.filters, a, b)
    if sentences.empty:
        st.subheader(ctx.t("network.sentences_none", a=name_a, b=name_b))
    else:
        st.subheader(
            ctx.t("network.sentences", a=name_a, b=name_b, n=labels.number(len(sentences)))
        )
        at = widgets.url_page(
            ctx, "spage", len(sentences), SENTENCES_PER_PAGE, key=f"net_spage_{selected}"
        )
        shown = sentences.iloc[at * SENTENCES_PER_PAGE : (at + 1) * SENTENCES_PER_PAGE]
        st.caption(
            ctx.t(
                "list.showing",
                first=labels.number(at * SENTENCES_PER_PAGE + 1),
                last=labels.number(at * SENTENCES_PER_PAGE + len(shown)),
                n=labels.number(len(sentences)),
            )
        )
        st.html(page.entity_sentences_html(ctx, shown))
        st.download_button(
            ctx.t("network.download_sentences", n=labels.number(len(sentences))),
            data=partial(analysis.export.to_csv, sentences.drop(columns=["spans"])),
            file_name=page.export_name(ctx, "cooccurrence", selected),
            mime="text/csv",
            key="net_sentences_csv",
            on_click="ignore",
        )

if not edges.empty:
    st.subheader(ctx.t("network.table"))
    st.caption(ctx.t("network.table_help"))
    st.dataframe(
        table,
        key=K_TABLE,
        hide_index=True,
        on_select=partial(keep_table_pick, keys),
        selection_mode="single-row",
        column_order=["name_a", "name_b", "sentences", "articles"],
        column_config={
            "name_a": ctx.t("network.col.a"),
            "name_b": ctx.t("network.col.b"),
            "sentences": st.column_config.NumberColumn(
                ctx.t("network.col.sentences"), format="localized"
            ),
            "articles": st.column_config.NumberColumn(
                ctx.t("network.col.articles"), format="localized"
            ),
        },
        height=320,
    )
    st.download_button(
        ctx.t("network.download"),
        data=partial(analysis.export.to_csv, table),
        file_name=page.export_name(ctx, "network", f"top{top_n}", f"min{threshold}"),
        mime="text/csv",
        key="net_csv",
        on_click="ignore",
    )
