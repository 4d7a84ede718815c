"""Timeline: who went where, and when. One mark per story (the same visit told by several
reports); selecting a mark lists every report of it with a link to the reader."""

from functools import partial

import streamlit as st

from dashboard import analysis, figures
from dashboard.app import page, widgets
from dashboard.common import i18n

i18n.extend(
    {
        "timeline.title": {"zh": "访问时间线", "en": "Visit timeline"},
        "timeline.pair": {"zh": "国家对", "en": "Country pair"},
        "timeline.kind": {"zh": "类型", "en": "Kind"},
        "timeline.all_pairs": {"zh": "全部国家对", "en": "All pairs"},
        "kind.all": {"zh": "全部类型", "en": "All kinds"},
        "timeline.how": {
            "zh": "每个标记是一个事件（多篇报道合并为一个），按出访方向分行；形状表示类型，大小表示报道篇数，"
            "峰会/签约以星形/菱形突出；只知月份或大致时间的事件画成横条，空心标记在中点。"
            "点击标记查看所有报道。",
            "en": "Each mark is one event (several reports merged), one lane per direction of "
            "travel; shape = kind, size = number of reports, summits and signings stand out. "
            "Dates known only to the month or roughly are drawn as bars with an open mark in the "
            "middle. Click a mark to see every report.",
        },
        "timeline.aggregated": {
            "zh": "当前筛选有 {n} 个事件，逐个画出无法阅读：每个标记汇总同一方向、同一类型在一周（跨度超过两年时为一个月）内的事件，"
            "大小表示事件数。点击标记在下表中列出这些事件；缩小日期范围或选择国家对可看到单个事件。",
            "en": "{n} events are too many to draw one by one: each mark sums the events of one "
            "direction and kind in a week (a month over spans beyond two years), sized by their "
            "number. Click a mark to list its events below; narrow the dates or pick a country "
            "pair to see single events.",
        },
        "timeline.bucket_table": {
            "zh": "所选标记中的 {n} 个事件。",
            "en": "The {n} events of the chosen mark.",
        },
        "timeline.none": {
            "zh": "所选范围内没有可标注日期的访问、会见或峰会。",
            "en": "No dated visit, meeting or summit in the selection.",
        },
        "timeline.table": {"zh": "事件列表", "en": "Events"},
        "timeline.table_capped": {
            "zh": "表中列出最近的 {shown} 个事件（共 {n} 个）；CSV 包含全部。点击图中标记或缩小日期范围可查看其余事件。",
            "en": "The table lists the latest {shown} of {n} events; the CSV has them all. "
            "Click a mark or narrow the dates to see the others.",
        },
        "timeline.download": {"zh": "下载事件 CSV", "en": "Download events CSV"},
        "timeline.pick_hint": {
            "zh": "点击图中的标记，查看该事件的所有报道。",
            "en": "Click a mark in the chart to see every report of that event.",
        },
        "timeline.reports": {"zh": "报道：{story}", "en": "Reports: {story}"},
        "timeline.download_reports": {"zh": "下载报道 CSV", "en": "Download reports CSV"},
        "timeline.col.date": {"zh": "日期", "en": "Date"},
        "timeline.col.direction": {"zh": "方向", "en": "Direction"},
        "timeline.col.kind": {"zh": "类型", "en": "Kind"},
        "timeline.col.lead": {"zh": "率团", "en": "Lead"},
        "timeline.col.place": {"zh": "地点", "en": "Place"},
        "timeline.col.reports": {"zh": "报道数", "en": "Reports"},
        "timeline.col.outlets": {"zh": "媒体", "en": "Outlets"},
        "timeline.col.time_expr": {"zh": "原文时间", "en": "Resolved from"},
        "timeline.col.published": {"zh": "发布日期", "en": "Published"},
        "timeline.col.source": {"zh": "媒体", "en": "Outlet"},
        "timeline.col.evidence": {"zh": "依据句子", "en": "Evidence"},
        "timeline.col.link": {"zh": "文章", "en": "Article"},
        "timeline.open": {"zh": "打开", "en": "open"},
    }
)

ctx = page.page_setup("timeline")
st.title(ctx.t("timeline.title"))
if ctx.articles.empty:
    page.empty_selection(ctx)

corpus = ctx.corpus
col_pair, col_kind = st.columns(2)
pair = widgets.url_selectbox(
    ctx,
    "pair",
    ["all", *analysis.timeline.pair_options(corpus.events)],
    key="tl_pair",
    label=ctx.t("timeline.pair"),
    format_func=lambda p: (
        ctx.t("timeline.all_pairs") if p == "all" else analysis.timeline.pair_label(p, ctx.lang)
    ),
    container=col_pair,
)
kind = widgets.url_selectbox(
    ctx,
    "kind",
    ["all", "summit", "meeting", "visit", "departure"],
    key="tl_kind",
    label=ctx.t("timeline.kind"),
    format_func=lambda k: ctx.t(f"kind.{k}"),
    container=col_kind,
)


def build_frame(view: tuple, details):
    """The stories of one view (see timeline_frame). ``details``: True for every column,
    False for the cheap frame that counts and plots, or a tuple of story ids to build."""
    _version, _filters, kind, pair, lang = view
    return analysis.timeline.timeline_frame(
        ctx.corpus.events,
        ctx.articles,
        kinds=None if kind == "all" else [kind],
        pair=None if pair == "all" else pair,
        lang=lang,
        entity_names=analysis.timeline.lead_names(ctx.corpus.entities, lang),
        source_label=ctx.source_label,
        stories=details if isinstance(details, tuple) else None,
        details=details is not False,
    )


# cache_resource, not cache_data: the same frame object back, without pickling tens of
# thousands of rows on every miss and unpickling them on every hit. It is never modified.
# Eight views per process: a 48,000-story frame is tens of MB.
@st.cache_resource(max_entries=8, show_spinner=False)
def story_frame(view: tuple, details):
    """Cached per corpus run and selection: a click on a mark reruns the page, and on a
    large corpus the frame is the slow part."""
    return build_frame(view, details)


f = ctx.filters
view = (corpus.version, (f.date_from, f.date_to, f.sources, f.once), kind, pair, ctx.lang)
# Counted and plotted from the cheap frame; the joined columns (outlets, lead, place, time
# expressions) are built only for the stories a reader sees: all of them when they are few
# enough to draw one by one, else the rows of the table (the CSV builds the rest on click).
frame = story_frame(view, False)
aggregated = len(frame) > analysis.timeline.MAX_MARKS
if not aggregated:
    frame = story_frame(view, True)


def in_full(stories, cached: bool = True):
    """``stories`` (rows of ``frame``) with every column."""
    if not aggregated:
        return stories
    ids = tuple(stories["story_id"])
    return story_frame(view, ids) if cached else build_frame(view, ids)


if frame.empty:
    st.info(ctx.t("timeline.none"))
    st.stop()

if aggregated:
    st.caption(ctx.t("timeline.aggregated", n=len(frame)))
    figure = figures.timeline.bucket_figure(frame, ctx.lang)
else:
    st.caption(ctx.t("timeline.how"))
    figure = figures.timeline.timeline_figure(frame, ctx.lang)
chart_event = st.plotly_chart(
    figure,
    key="tl_chart",
    on_select="rerun",
    selection_mode="points",
    config={"displaylogo": False},
)

# With many stories a mark is a week or month of them: choosing one narrows the table.
picked = figures.timeline.selected_story(figure, getattr(chart_event, "selection", None))
in_bucket = (
    analysis.timeline_buckets.bucket_stories(frame, picked)
    if aggregated and picked and picked.startswith(analysis.timeline_buckets.BUCKET_PREFIX)
    else frame
)
st.subheader(ctx.t("timeline.table"))
if in_bucket is not frame:
    st.caption(ctx.t("timeline.bucket_table", n=len(in_bucket)))
# Tens of thousands of rows are for the CSV, not for reading: the table shows the latest.
shown = in_bucket.tail(analysis.timeline.MAX_TABLE_ROWS)
if len(shown) < len(in_bucket):
    st.caption(ctx.t("timeline.table_capped", shown=len(shown), n=len(in_bucket)))
table = figures.timeline.timeline_table(in_full(shown), ctx.lang)
st.dataframe(
    table,
    hide_index=True,
    column_order=[c for c in table.columns if c != "story_id"],
    column_config={c: ctx.t(f"timeline.col.{c}") for c in table.columns if c != "story_id"},
    key="tl_table",
)
st.download_button(
    ctx.t("timeline.download"),
    data=lambda: analysis.export.to_csv(
        figures.timeline.timeline_table(in_full(in_bucket, False), ctx.lang)
    ),
    file_name="timeline.csv",
    mime="text/csv",
    key="tl_csv",
)

# The selected story: a clicked mark, else (first visit) the link's `story`.
ss = st.session_state
pick = None if aggregated else picked
if pick:
    selected, ss["tl_had_pick"] = pick, True
elif ss.get("tl_had_pick"):  # the user cleared the chart selection
    selected, ss["tl_had_pick"] = None, False
elif "tl_story" in ss:
    selected = ss["tl_story"]
else:
    selected = ctx.query_value("story")
    if selected is not None and not (frame["story_id"] == selected).any():
        ctx.notice(ctx.t("notice.bad_param", name="story", value=selected[:80]))
        selected = None
if selected is not None and not (frame["story_id"] == selected).any():
    selected = None  # filtered out since it was picked
ss["tl_story"] = selected
ctx.set_query("story", selected)

if selected is None:
    st.caption(ctx.t("timeline.pick_hint"))
    st.stop()

# From the whole frame: the table may show only the latest stories or one mark's.
story_row = frame[frame["story_id"] == selected]
st.subheader(
    ctx.t(
        "timeline.reports",
        story=f"{story_row['lane'].iloc[0]} · {figures.timeline.date_labels(story_row, ctx.lang)[0]}",
    )
)
reports = analysis.timeline.story_reports(corpus.events, ctx.articles, selected)
reports["link"] = [page.article_link(ctx, a) for a in reports["article_id"]]
reports["source"] = [ctx.source_label(s) if isinstance(s, str) else "" for s in reports["source"]]
columns = ["published", "source", "evidence", "time_expr", "link"]
st.dataframe(
    reports,
    hide_index=True,
    column_order=columns,
    column_config={
        **{c: ctx.t(f"timeline.col.{c}") for c in columns if c != "link"},
        "link": st.column_config.LinkColumn(
            ctx.t("timeline.col.link"), display_text=ctx.t("timeline.open")
        ),
    },
    key="tl_reports",
)
st.download_button(
    ctx.t("timeline.download_reports"),
    data=partial(analysis.export.to_csv, reports[columns[:-1] + ["article_id"]]),
    file_name="timeline_reports.csv",
    mime="text/csv",
    key="tl_reports_csv",
)
