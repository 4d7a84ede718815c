"""Bilateral relations: a map of countries tied together in the coverage (the strongest pairs
by what the user chose to measure), a pair table, and for the chosen pair every piece of
evidence, newest first, and its strength over time."""

from functools import partial

import streamlit as st

from dashboard import analysis, figures
from dashboard.analysis import file_names, relations_evidence
from dashboard.app import page, picks, widgets
from dashboard.common import i18n
from dashboard.figures import evidence as evidence_html

i18n.extend(
    {
        "relations.title": {"zh": "国家关系图", "en": "Bilateral relations"},
        "relations.how": {
            "zh": "颜色：国家被提及的次数（含其领导人、机构、地点，如“金正恩”计入朝鲜）。"
            "连线：所选的度量（访问与会见、同句共现或两者之和），越粗越强；箭头指向访问的目的地；"
            "所选国家对以蓝色加粗显示。点击连线中点或箭头、在下表中选一行或在上方选择国家对，查看依据句子。",
            "en": "Colour: how often a country is mentioned (incl. its leaders, organizations "
            "and places: 金正恩 counts for North Korea). Lines: what you chose to measure "
            "(visits and meetings, co-mentions, or both), thicker is stronger; arrows point "
            "at the visited country; the chosen pair is thick and blue. Click a line's "
            "midpoint or arrow, pick a table row or choose a pair above to see the evidence.",
        },
        "relations.measure": {"zh": "连线表示", "en": "Lines measure"},
        "relations.measure.events": {"zh": "访问与会见", "en": "Visits and meetings"},
        "relations.measure.co": {"zh": "同句共现", "en": "Co-mentions"},
        "relations.measure.all": {
            "zh": "两者之和（关联强度）",
            "en": "Both (strength)",
        },
        "relations.all_pairs": {"zh": "显示全部国家对", "en": "Show all pairs"},
        "relations.pair_pick": {"zh": "国家对", "en": "Country pair"},
        "relations.no_pair": {"zh": "（未选择）", "en": "(none)"},
        "relations.drawn": {
            "zh": "地图画出最强的 {shown} 对（共 {n} 对有此度量）；打开“显示全部国家对”可画出其余各对，下表列出全部。",
            "en": "The map draws the {shown} strongest of {n} pairs with this measure; "
            "“Show all pairs” draws the rest, and the table lists them all.",
        },
        "relations.drawn_all": {
            "zh": "地图画出有此度量的全部国家对（{n} 对）。",
            "en": "The map draws every pair with this measure ({n}).",
        },
        "relations.none": {
            "zh": "所选范围内没有两个国家同时出现的句子或互访记录。",
            "en": "No sentence naming two countries and no visit in the selection.",
        },
        "relations.table": {"zh": "国家对", "en": "Country pairs"},
        "relations.table_how": {
            "zh": "按所选度量排序。点选一行查看该国家对的依据。",
            "en": "Ordered by the chosen measure. Pick a row to see that pair's evidence.",
        },
        "relations.col.a": {"zh": "国家甲", "en": "Country A"},
        "relations.col.b": {"zh": "国家乙", "en": "Country B"},
        "relations.col.co": {"zh": "同句共现（句）", "en": "Co-mentions (sentences)"},
        "relations.col.ab": {"zh": "访问 甲→乙", "en": "Visits A→B"},
        "relations.col.ba": {"zh": "访问 乙→甲", "en": "Visits B→A"},
        "relations.col.meet": {"zh": "会见/会谈", "en": "Meetings"},
        "relations.col.events": {"zh": "访问与会见", "en": "Visits and meetings"},
        "relations.col.strength": {"zh": "关联强度", "en": "Strength"},
        "relations.col.first": {"zh": "首次", "en": "First"},
        "relations.col.last": {"zh": "最近", "en": "Last"},
        "relations.download_pairs": {"zh": "下载国家对 CSV", "en": "Download pairs CSV"},
        "relations.pick_hint": {
            "zh": "在地图、表格或上方的“国家对”中选择一对国家，查看依据句子和强度变化。",
            "en": "Pick a pair on the map, in the table or in “Country pair” above to see its "
            "evidence and its strength over time.",
        },
        "relations.evidence": {"zh": "依据：{pair}", "en": "Evidence: {pair}"},
        "relations.evidence_how": {
            "zh": "{n} 条{what}依据，最新的在前；日期按原文的精确程度显示（只知年份或月份的不写到日），"
            "并附原文中的时间说法。切换上方的“连线表示”可查看其他依据。",
            "en": "{n} pieces of evidence ({what}), newest first; each date as precisely as the "
            "source gives it (a year or a month is not shown as a day), with the words it was "
            "read from. “Lines measure” above switches to the other evidence.",
        },
        "relations.what.events": {"zh": "访问与会见的", "en": "visits and meetings"},
        "relations.what.co": {"zh": "同句共现的", "en": "co-mentions"},
        "relations.what.all": {"zh": "", "en": "all kinds"},
        "relations.evidence_capped": {
            "zh": "列出最新的 {shown} 条（共 {n} 条）；CSV 包含全部。",
            "en": "The newest {shown} of {n} are listed; the CSV has them all.",
        },
        "relations.over_time": {"zh": "关联强度变化", "en": "Strength over time"},
        "relations.freq": {"zh": "时间粒度", "en": "Period"},
        "relations.freq.auto": {"zh": "自动（按跨度）", "en": "Automatic (by span)"},
        "relations.freq.D": {"zh": "按日", "en": "Daily"},
        "relations.freq.W": {"zh": "按周", "en": "Weekly"},
        "relations.freq.M": {"zh": "按月", "en": "Monthly"},
        "relations.over_time_how": {
            "zh": "每条依据记一次（同一事件的多篇报道各计一次）；共现按文章发布日期，访问和会见按事件日期"
            "（只知月份的计入其第一天所在的时段）。",
            "en": "Each piece of evidence counts once (several reports of one event each count); "
            "co-mentions by publication date, visits and meetings by event date (one known "
            "only to the month counts in the period of its first day).",
        },
        "relations.undated": {
            "zh": "另有 {n} 条依据没有日期（事件和文章都无日期），未画在图中；它们在左侧列表和 CSV 中。",
            "en": "{n} more pieces of evidence have no date (neither the event nor its article "
            "has one) and are not drawn; they are in the list and the CSV.",
        },
        "relations.download_evidence": {"zh": "下载依据 CSV", "en": "Download evidence CSV"},
    }
)

MAX_EVIDENCE = 200  # pieces of evidence listed on the page; the CSV has every one

ctx = page.page_setup("relations")
st.title(ctx.t("relations.title"))
if ctx.empty:
    page.empty_selection(ctx)

corpus, labels, f = ctx.corpus, ctx.labels, ctx.filters
counts = analysis.relations.country_mentions(ctx.articles, corpus.mentions, corpus.entities, labels)
pairs = analysis.relations.country_pairs(
    ctx.articles, corpus.mentions, corpus.entities, corpus.events
)

col_measure, col_pair, col_all = st.columns([2, 3, 1.4], vertical_alignment="bottom")
measure = widgets.url_selectbox(
    ctx,
    "measure",
    list(analysis.relations.MEASURES),
    key="rel_measure",
    label=ctx.t("relations.measure"),
    format_func=lambda m: ctx.t(f"relations.measure.{m}"),
    container=col_measure,
)
show_all = picks.url_toggle(
    ctx, "pairs", "all", key="rel_all_pairs", label=ctx.t("relations.all_pairs"), container=col_all
)
ranked = analysis.relations.rank_pairs(pairs, measure)
known = set(ranked["pair"])


def valid_pair(value: str) -> bool:
    try:
        return analysis.relations.pair_key(*value.split("-")) in known
    except (TypeError, ValueError):
        return False


selected = picks.current_pick(ctx, "pair", "rel_pair", valid_pair)
if selected is not None:
    selected = analysis.relations.pair_key(*selected.split("-"))
    picks.set_pick("rel_pair", selected)
    ctx.set_query("pair", selected)


# The select box shows the pick, whoever made it; choosing in it makes the pick.
st.session_state["rel_pick_box"] = selected
col_pair.selectbox(
    ctx.t("relations.pair_pick"),
    list(ranked["pair"]),
    key="rel_pick_box",
    format_func=labels.pair,
    placeholder=ctx.t("relations.no_pair"),
    on_change=lambda: picks.set_pick("rel_pair", st.session_state["rel_pick_box"]),
)

st.caption(ctx.t("relations.how"))
top = None if show_all else figures.relations.TOP_PAIRS
figure = figures.relations.relations_map(counts, ranked, labels, measure, top, selected)


def pick_on_map() -> None:
    pair = figures.relations.selected_pair(None, {"points": picks.chart_points("rel_map")})
    if pair:
        picks.set_pick("rel_pair", pair)


st.plotly_chart(
    figure,
    config=figures.relations.map_config(),
    on_select=pick_on_map,
    selection_mode="points",
    key="rel_map",
)
if pairs.empty:
    st.info(ctx.t("relations.none"))
    st.stop()
column = analysis.relations.MEASURES[measure]
measured = int((ranked[column] > 0).sum())
drawn = len(figures.relations.drawn_pairs(ranked, measure, top))
if drawn < measured:
    st.caption(ctx.t("relations.drawn", shown=labels.number(drawn), n=labels.number(measured)))
else:
    st.caption(ctx.t("relations.drawn_all", n=labels.number(measured)))

st.subheader(ctx.t("relations.table"))
st.caption(ctx.t("relations.table_how"))
shown = figures.relations.pairs_display(ranked, labels)
column_labels = {
    "a": "relations.col.a",
    "b": "relations.col.b",
    "events": "relations.col.events",
    "visits_ab": "relations.col.ab",
    "visits_ba": "relations.col.ba",
    "meetings": "relations.col.meet",
    "co_mentions": "relations.col.co",
    "strength": "relations.col.strength",
    "first": "relations.col.first",
    "last": "relations.col.last",
}
# A new table (other pairs or order) is a new widget: an old row selection means nothing.
table_key = f"rel_table_{hash((tuple(shown['pair']), measure)) & 0xFFFFFFFF:x}"
st.session_state["rel_table_ids"] = list(shown["pair"])
st.dataframe(
    shown,
    hide_index=True,
    on_select=partial(picks.pick_from_table, table_key, "rel_table_ids", "rel_pair"),
    selection_mode="single-row",
    column_order=list(column_labels),
    column_config={
        c: (
            st.column_config.NumberColumn(ctx.t(k), format="localized", width="small")
            if c in ("events", "visits_ab", "visits_ba", "meetings", "co_mentions", "strength")
            else st.column_config.TextColumn(ctx.t(k), width="small")
        )
        for c, k in column_labels.items()
    },
    key=table_key,
)
st.download_button(
    ctx.t("relations.download_pairs"),
    data=partial(analysis.export.to_csv, shown),
    file_name=file_names.csv_name("relations_pairs", f, corpus.date_min, corpus.date_max, measure),
    mime="text/csv",
    key="rel_pairs_csv",
)

if selected is None:
    st.caption(ctx.t("relations.pick_hint"))
    st.stop()

st.subheader(ctx.t("relations.evidence", pair=labels.pair(selected)))
evidence = relations_evidence.pair_evidence(
    ctx.articles, corpus.mentions, corpus.entities, corpus.events, selected
)
# The list shows the evidence of what the lines measure; the chart over time all of it.
KINDS = {"events": ("visit", "departure", "meeting"), "co": ("co-mention",)}
shown_evidence = evidence[evidence["kind"].isin(KINDS[measure])] if measure in KINDS else evidence
left, right = st.columns([3, 2])
with right:
    st.markdown(f"**{ctx.t('relations.over_time')}**")
    freq = widgets.url_selectbox(
        ctx,
        "period",
        ["auto", "D", "W", "M"],
        key="rel_freq",
        label=ctx.t("relations.freq"),
        format_func=lambda p: ctx.t(f"relations.freq.{p}"),
    )
    over_time, period, undated = relations_evidence.strength_over_time(evidence, freq)
    st.caption(ctx.t("relations.over_time_how"))
    st.plotly_chart(
        figures.relations.strength_figure(over_time, labels, selected, period),
        key="rel_over_time",
        config={"displaylogo": False},
    )
    if undated:
        st.caption(ctx.t("relations.undated", n=labels.number(undated)))
with left:
    st.caption(
        ctx.t(
            "relations.evidence_how",
            n=labels.number(len(shown_evidence)),
            what=ctx.t(f"relations.what.{measure}"),
        )
    )
    listed = shown_evidence.head(MAX_EVIDENCE)
    if len(listed) < len(shown_evidence):
        st.caption(
            ctx.t(
                "relations.evidence_capped",
                shown=labels.number(len(listed)),
                n=labels.number(len(shown_evidence)),
            )
        )
    items = [
        {
            # An event's own date (as precisely as known), else the article's, said so.
            "date": (
                labels.date(r["date"], r["date_precision"], r["approximate"], r["date_end"])
                if r["dated_by"] == "event"
                else ctx.t("evidence.published", date=labels.date(r["date"]))
                if r["dated_by"] == "published"
                else "—"
            ),
            "words": r["time_expr"] if isinstance(r["time_expr"], str) else "",
            "published": labels.date(r["published"]) if r["dated_by"] == "event" else "",
            "kind": figures.relations.kind_label(r, labels),
            "outlet": labels.outlet(r["source"], r["site"]),
            "sentence": r["sentence"] if isinstance(r["sentence"], str) else "",
            "link": page.article_link(ctx, r["article_id"]),
        }
        for r in listed.to_dict("records")
    ]
    st.html(evidence_html.evidence_html(items, ctx.lang, "rel-evidence"))

    def evidence_csv() -> bytes:
        """The listed kinds of evidence, every row, with outlets and dates as shown."""
        rows = shown_evidence
        return analysis.export.to_csv(
            rows.assign(
                outlet=[
                    labels.outlet(s, site)
                    for s, site in zip(rows["source"], rows["site"], strict=True)
                ],
                date_text=[
                    labels.date(d, p, a, e)
                    for d, p, a, e in zip(
                        rows["date"],
                        rows["date_precision"],
                        rows["approximate"],
                        rows["date_end"],
                        strict=True,
                    )
                ],
            )
        )

    st.download_button(
        ctx.t("relations.download_evidence"),
        data=evidence_csv,
        file_name=file_names.csv_name(
            "relations_evidence", f, corpus.date_min, corpus.date_max, selected, measure
        ),
        mime="text/csv",
        key="rel_evidence_csv",
    )
