"""Bilateral relations: a map of countries tied together in the coverage, a pair table, and
for the selected pair its evidence sentences and its strength over time."""

from functools import partial

import streamlit as st

from dashboard import analysis, figures
from dashboard.app import page, widgets
from dashboard.common import i18n

i18n.extend(
    {
        "relations.title": {"zh": "国家关系图", "en": "Bilateral relations"},
        "relations.how": {
            "zh": "颜色：国家被提及的次数（含其领导人、机构、地点，如“金正恩”计入朝鲜）。"
            "连线：两国在同一句中出现的句数 + 互访次数 + 会见次数，越粗越强；箭头指向访问的目的地。"
            "点击连线中点或箭头，或在下表中选一行，查看依据句子。",
            "en": "Colour: how often a country is mentioned (incl. its leaders, organizations "
            "and places: 金正恩 counts for North Korea). Lines: sentences naming both + visits + "
            "meetings, thicker is stronger; arrows point at the visited country. Click a "
            "line's midpoint or arrow, or pick a table row, to see the evidence.",
        },
        "relations.none": {
            "zh": "所选范围内没有两个国家同时出现的句子或互访记录。",
            "en": "No sentence naming two countries and no visit in the selection.",
        },
        "relations.table": {"zh": "国家对", "en": "Country pairs"},
        "relations.col.a": {"zh": "国家甲", "en": "Country A"},
        "relations.col.b": {"zh": "国家乙", "en": "Country B"},
        "relations.col.co": {"zh": "同句共现（句）", "en": "Co-mentions (sentences)"},
        "relations.col.ab": {"zh": "访问 甲→乙", "en": "Visits A→B"},
        "relations.col.ba": {"zh": "访问 乙→甲", "en": "Visits B→A"},
        "relations.col.meet": {"zh": "会见/会谈", "en": "Meetings"},
        "relations.col.strength": {"zh": "关联强度", "en": "Strength"},
        "relations.col.first": {"zh": "首次", "en": "First"},
        "relations.col.last": {"zh": "最近", "en": "Last"},
        "relations.download_pairs": {"zh": "下载国家对 CSV", "en": "Download pairs CSV"},
        "relations.pick_hint": {
            "zh": "在地图或表格中选择一对国家以查看依据句子和强度变化。",
            "en": "Select a pair on the map or in the table to see its evidence and its strength over time.",
        },
        "relations.evidence": {"zh": "依据句子：{pair}", "en": "Evidence: {pair}"},
        "relations.over_time": {"zh": "关联强度变化", "en": "Strength over time"},
        "relations.freq": {"zh": "时间粒度", "en": "Period"},
        "relations.freq.W": {"zh": "按周", "en": "Weekly"},
        "relations.freq.M": {"zh": "按月", "en": "Monthly"},
        "relations.over_time_how": {
            "zh": "每条依据记一次（同一事件的多篇报道各计一次）；共现按文章发布日期，访问和会见按事件日期。",
            "en": "Each piece of evidence counts once (several reports of one event each count); "
            "co-mentions by publication date, visits and meetings by event date.",
        },
        "relations.col.kind": {"zh": "类型", "en": "Kind"},
        "relations.col.date": {"zh": "日期", "en": "Date"},
        "relations.col.source": {"zh": "媒体", "en": "Outlet"},
        "relations.col.sentence": {"zh": "句子", "en": "Sentence"},
        "relations.col.link": {"zh": "文章", "en": "Article"},
        "relations.open": {"zh": "打开", "en": "open"},
        "relations.download_evidence": {"zh": "下载依据 CSV", "en": "Download evidence CSV"},
    }
)

ctx = page.page_setup("relations")
st.title(ctx.t("relations.title"))
if ctx.articles.empty:
    page.empty_selection(ctx)

corpus = ctx.corpus
counts = analysis.relations.country_mentions(
    ctx.articles, corpus.mentions, corpus.entities, ctx.lang
)
pairs = analysis.relations.country_pairs(
    ctx.articles, corpus.mentions, corpus.entities, corpus.events
)

st.caption(ctx.t("relations.how"))
figure = figures.relations.relations_map(counts, pairs, ctx.lang)
map_event = st.plotly_chart(
    figure,
    config=figures.relations.map_config(),
    on_select="rerun",
    selection_mode="points",
    key="rel_map",
)
if pairs.empty:
    st.info(ctx.t("relations.none"))
    st.stop()

st.subheader(ctx.t("relations.table"))
shown = figures.relations.pairs_display(pairs, counts, ctx.lang)
column_labels = {
    "a": "relations.col.a",
    "b": "relations.col.b",
    "co_mentions": "relations.col.co",
    "visits_ab": "relations.col.ab",
    "visits_ba": "relations.col.ba",
    "meetings": "relations.col.meet",
    "strength": "relations.col.strength",
    "first": "relations.col.first",
    "last": "relations.col.last",
}
table_event = st.dataframe(
    shown,
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    column_order=list(column_labels),
    column_config={c: ctx.t(k) for c, k in column_labels.items()},
    key="rel_table",
)
st.download_button(
    ctx.t("relations.download_pairs"),
    data=partial(analysis.export.to_csv, shown),
    file_name="relations_pairs.csv",
    mime="text/csv",
    key="rel_pairs_csv",
)

# The selected pair: the latest new pick on the map or in the table, else the link's `pair`.
ss = st.session_state
map_pick = figures.relations.selected_pair(figure, getattr(map_event, "selection", None))
rows = list(getattr(getattr(table_event, "selection", None), "rows", None) or [])
table_pick = shown.iloc[rows[0]]["pair"] if rows and rows[0] < len(shown) else None
last_map, last_table = ss.get("rel_last_picks", (None, None))
if map_pick and map_pick != last_map:
    selected = map_pick
elif table_pick and table_pick != last_table:
    selected = table_pick
elif "rel_selected" in ss:
    selected = ss["rel_selected"]
else:
    selected = ctx.query_value("pair")
    if selected is not None:
        try:
            selected = analysis.relations.pair_key(*selected.split("-"))
        except (TypeError, ValueError):
            selected = "?"
        if selected not in set(pairs["pair"]):
            ctx.notice(ctx.t("notice.bad_param", name="pair", value=ctx.query_value("pair")[:80]))
            selected = None
ss["rel_last_picks"] = (map_pick, table_pick)
if selected not in set(pairs["pair"]):
    selected = None
ss["rel_selected"] = selected
ctx.set_query("pair", selected)

if selected is None:
    st.caption(ctx.t("relations.pick_hint"))
    st.stop()

row = shown.set_index("pair").loc[selected]
st.subheader(ctx.t("relations.evidence", pair=f"{row['a']} – {row['b']}"))
left, right = st.columns([3, 2])
with right:
    st.markdown(f"**{ctx.t('relations.over_time')}**")
    freq = widgets.url_selectbox(
        ctx,
        "period",
        ["W", "M"],
        key="rel_freq",
        label=ctx.t("relations.freq"),
        format_func=lambda f: ctx.t(f"relations.freq.{f}"),
    )
    over_time = analysis.relations.pair_strength_over_time(
        ctx.articles, corpus.mentions, corpus.entities, corpus.events, selected, freq
    )
    st.caption(ctx.t("relations.over_time_how"))
    st.plotly_chart(
        figures.relations.strength_figure(over_time, ctx.lang),
        key="rel_over_time",
        config={"displaylogo": False},
    )
with left:
    evidence = analysis.relations.pair_evidence(
        ctx.articles, corpus.mentions, corpus.entities, corpus.events, selected
    )
    names = dict(zip(counts["country"], counts["name"], strict=True))
    evidence["source"] = [ctx.source_label(s) for s in evidence["source"]]
    evidence["kind"] = [
        figures.relations.kind_label(r, names, ctx.lang) for r in evidence.to_dict("records")
    ]
    evidence["link"] = [page.article_link(ctx, a) for a in evidence["article_id"]]
    # st.dataframe shows article text as plain text (no HTML rendering).
    st.dataframe(
        evidence,
        hide_index=True,
        column_order=["date", "source", "kind", "sentence", "link"],
        column_config={
            "date": ctx.t("relations.col.date"),
            "source": ctx.t("relations.col.source"),
            "kind": ctx.t("relations.col.kind"),
            "sentence": st.column_config.TextColumn(ctx.t("relations.col.sentence"), width="large"),
            "link": st.column_config.LinkColumn(
                ctx.t("relations.col.link"), display_text=ctx.t("relations.open")
            ),
        },
        key="rel_evidence",
    )
    st.download_button(
        ctx.t("relations.download_evidence"),
        data=partial(analysis.export.to_csv, evidence.drop(columns=["link"])),
        file_name=f"relations_{selected}.csv",
        mime="text/csv",
        key="rel_evidence_csv",
    )
