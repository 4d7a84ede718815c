"""Timeline: who went where, and when. One mark per story (the same visit told by several
reports) on the busiest directions, or a direction × period heatmap when there are too many
to draw one by one; a mark, a cell or a table row leads to every report of a story with a link
to the reader. Events without a date are counted and listed, never dropped silently."""

import streamlit as st

from dashboard import analysis, figures
from dashboard.analysis import file_names, timeline_buckets, timeline_reports
from dashboard.app import frame_cache, page, picks, widgets
from dashboard.common import i18n
from dashboard.figures import evidence as evidence_html

i18n.extend(
    {
        "timeline.title": {"zh": "访问时间线", "en": "Visit timeline"},
        "timeline.pair": {"zh": "国家对", "en": "Country pair"},
        "timeline.kind": {"zh": "类型", "en": "Kind"},
        "timeline.all_pairs": {"zh": "全部国家对", "en": "All pairs"},
        "timeline.all_lanes": {"zh": "显示全部方向", "en": "Show all directions"},
        "kind.all": {"zh": "全部类型", "en": "All kinds"},
        "timeline.how": {
            "zh": "每个标记是一个事件（多篇报道合并为一个），按出访方向分行；形状表示类型，大小表示报道篇数，"
            "峰会/签约以星形/菱形突出；只知月份或大致时间的事件画成横条，空心标记在中点。"
            "点击标记或表格中的一行，查看该事件的所有报道。",
            "en": "Each mark is one event (several reports merged), one lane per direction of "
            "travel; shape = kind, size = number of reports, summits and signings stand out. "
            "Dates known only to the month or roughly are drawn as bars with an open mark in the "
            "middle. Click a mark or a table row to see every report.",
        },
        "timeline.heat_how": {
            "zh": "{n} 个事件，逐个画出会重叠成一片：每格是一个方向在一{unit}内的事件数，颜色越深越多，"
            "空白格表示没有事件。点击格子在下表中列出这些事件，再点选一行查看其报道；"
            "缩小日期范围或选择国家对可看到单个事件。",
            "en": "{n} events would overlap into a band: each cell counts the events of one "
            "direction in a {unit}, darker is more, a blank cell has none. Click a cell to list "
            "its events below, then pick a row for its reports; narrow the dates or pick a "
            "country pair to see single events.",
        },
        "timeline.unit.W": {"zh": "周", "en": "week"},
        "timeline.unit.M": {"zh": "个月", "en": "month"},
        "timeline.top_lanes": {
            "zh": "显示报道最多的 {shown} 个方向（共 {n} 个方向，{hidden} 个事件在其余方向）；"
            "打开“显示全部方向”查看全部。",
            "en": "Showing the {shown} directions with the most reports (of {n}; {hidden} "
            "events are in the others); turn on “Show all directions” to see them all.",
        },
        "timeline.undated_note": {
            "zh": "另有 {n} 个事件没有日期，未画在图中，见页面底部“无日期的事件”。",
            "en": "{n} more events have no date and are not drawn; see “Events without a "
            "date” at the bottom of the page.",
        },
        "timeline.undated_title": {
            "zh": "无日期的事件：{n} 个（{reports} 篇报道）",
            "en": "Events without a date: {n} ({reports} reports)",
        },
        "timeline.undated_how": {
            "zh": "这些事件的原文没有给出可确定的时间，因此不在时间线上。",
            "en": "The reports give no time these events can be placed at, so they are not "
            "on the timeline.",
        },
        "timeline.cell_table": {
            "zh": "所选格子（{lane}，{period}）中的 {n} 个事件。",
            "en": "The {n} events of the chosen cell ({lane}, {period}).",
        },
        "timeline.cell_clear": {"zh": "显示全部事件", "en": "Show all events"},
        "timeline.none": {
            "zh": "所选范围内没有可标注日期的访问、会见或峰会。",
            "en": "No dated visit, meeting or summit in the selection.",
        },
        "timeline.table": {"zh": "事件列表", "en": "Events"},
        "timeline.table_how": {
            "zh": "点选一行，查看该事件的所有报道。",
            "en": "Pick a row to see every report of that event.",
        },
        "timeline.table_capped": {
            "zh": "表中列出最近的 {shown} 个事件（共 {n} 个）；CSV 包含全部。点击图中的格子或标记、或缩小日期范围可查看其余事件。",
            "en": "The table lists the latest {shown} of {n} events; the CSV has them all. "
            "Click a cell or mark, or narrow the dates, to see the others.",
        },
        "timeline.download": {"zh": "下载事件 CSV", "en": "Download events CSV"},
        "timeline.reports": {"zh": "报道：{story}", "en": "Reports: {story}"},
        "timeline.reports_how": {
            "zh": "{n} 篇报道；每篇的事件日期按原文的精确程度显示，并附原文中的时间说法。",
            "en": "{n} reports; each gives the event's date as precisely as it states it, "
            "with the words it was read from.",
        },
        "timeline.download_reports": {"zh": "下载报道 CSV", "en": "Download reports CSV"},
        "timeline.col.date": {"zh": "日期", "en": "Date"},
        "timeline.col.direction": {"zh": "方向", "en": "Direction"},
        "timeline.col.kind": {"zh": "类型", "en": "Kind"},
        "timeline.col.lead": {"zh": "率团", "en": "Lead"},
        "timeline.col.place": {"zh": "地点", "en": "Place"},
        "timeline.col.reports": {"zh": "报道数", "en": "Reports"},
        "timeline.col.outlets": {"zh": "媒体", "en": "Outlets"},
        "timeline.col.time_expr": {"zh": "原文时间", "en": "Date as written"},
    }
)

MAX_LISTED = 200  # reports or undated events listed on the page; the CSVs have every one

ctx = page.page_setup("timeline")
st.title(ctx.t("timeline.title"))
if ctx.empty:
    page.empty_selection(ctx)

corpus, labels, f = ctx.corpus, ctx.labels, ctx.filters
places = analysis.timeline.place_names(corpus.entities, ctx.lang)
col_pair, col_kind, col_lanes = st.columns([2, 2, 1.4], vertical_alignment="bottom")
pair = widgets.url_selectbox(
    ctx,
    "pair",
    ["all", *analysis.timeline.pair_options(corpus.events)],
    key="tl_pair",
    label=ctx.t("timeline.pair"),
    format_func=lambda p: ctx.t("timeline.all_pairs") if p == "all" else labels.pair(p),
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
show_all = picks.url_toggle(
    ctx, "lanes", "all", key="tl_all_lanes", label=ctx.t("timeline.all_lanes"), container=col_lanes
)
kinds = None if kind == "all" else [kind]
chosen_pair = None if pair == "all" else pair


def build_frame(view: tuple, details):
    """The stories of one view (see timeline_frame). ``details``: True for every column,
    False for the cheap frame that counts and plots, or a tuple of story ids to build."""
    return analysis.timeline.timeline_frame(
        ctx.corpus.events,
        ctx.articles,
        kinds=kinds,
        pair=chosen_pair,
        labels=labels,
        places=places,
        stories=details if isinstance(details, tuple) else None,
        details=details is not False,
    )


# Kept per process within a budget of bytes (see frame_cache): the same frame object back,
# never modified, without pickling. The whole of a million articles is 485,000 stories, 235
# MB a frame; a view left is built again in 0.05 s at 100,000 articles, 0.4-1 s at a million.
def story_frame(view: tuple, details):
    """Kept per corpus run and selection: a click reruns the page, and on a large corpus
    the frame is the slow part."""
    return frame_cache.TIMELINE_FRAMES.get((view, details), lambda: build_frame(view, details))


view = (
    corpus.version,
    (f.date_from, f.date_to, f.sources, f.once, f.undated),
    kind,
    pair,
    ctx.lang,
)
# Counted and plotted from the cheap frame; the joined columns (outlets, lead, place, time
# expressions) are built only for the stories a reader sees.
every_lane = story_frame(view, False)
undated_stories, undated_reports = timeline_reports.undated_counts(
    corpus.events, ctx.articles, kinds, chosen_pair
)
if every_lane.empty:
    st.info(ctx.t("timeline.none"))
frame = every_lane if show_all else analysis.timeline.top_lanes(every_lane)
aggregated = analysis.timeline.too_many_marks(frame)


def in_full(stories, cached: bool = True):
    """``stories`` (rows of a cheap frame) with every column."""
    ids = tuple(stories["story_id"])
    return story_frame(view, ids) if cached else build_frame(view, ids)


if not aggregated and len(frame):
    frame = in_full(frame)


def story_or_cell(value: str) -> None:
    """A click on the chart: a cell lists its stories, a mark opens its story."""
    if value.startswith(timeline_buckets.CELL_PREFIX):
        picks.set_pick("tl_cell", value)
        picks.set_pick("tl_story", None)
    else:
        picks.set_pick("tl_story", value)


def pick_on_chart() -> None:
    value = figures.timeline.selected_story(None, {"points": picks.chart_points("tl_chart")})
    if value:
        story_or_cell(value)


# A heatmap cell narrows the table to its stories.
cell = picks.current_pick(
    ctx,
    "cell",
    "tl_cell",
    lambda c: (
        timeline_buckets.parse_cell(c) is not None
        and not timeline_buckets.cell_stories(every_lane, c).empty
    ),
)
listed = frame
if cell is not None and aggregated:
    listed = timeline_buckets.cell_stories(frame, cell)
    if listed.empty:  # the cell's direction is not drawn now
        listed = timeline_buckets.cell_stories(every_lane, cell)
elif cell is not None:  # single marks again: no cell to narrow to
    picks.set_pick("tl_cell", None)
    ctx.set_query("cell", None)
    cell = None

# The story: a mark or a table row, else (first visit) the link's `story`.
story_ids = every_lane["story_id"].to_numpy()
selected = picks.current_pick(ctx, "story", "tl_story", lambda s: bool((story_ids == s).any()))
if len(frame):
    lanes = analysis.timeline.lane_totals(every_lane)
    if len(frame) < len(every_lane):
        hidden = len(every_lane) - len(frame)
        shown_lanes = frame["lane"].nunique()
        st.caption(
            ctx.t(
                "timeline.top_lanes",
                shown=shown_lanes,
                n=len(lanes),
                hidden=labels.number(hidden),
            )
        )
    if aggregated:
        unit = timeline_buckets.bucket_period(frame)
        st.caption(
            ctx.t(
                "timeline.heat_how",
                n=labels.number(len(frame)),
                unit=ctx.t(f"timeline.unit.{unit}"),
            )
        )
        figure = figures.timeline.heatmap_figure(frame, labels, chosen=cell)
    else:
        st.caption(ctx.t("timeline.how"))
        figure = figures.timeline.timeline_figure(frame, labels, chosen=selected)
    st.plotly_chart(
        figure,
        key="tl_chart",
        on_select=pick_on_chart,
        selection_mode="points",
        config={"displaylogo": False},
    )
if undated_stories:
    st.caption(ctx.t("timeline.undated_note", n=labels.number(undated_stories)))

if len(frame):
    st.subheader(ctx.t("timeline.table"))
    if cell is not None:
        period, frm, to, first = timeline_buckets.parse_cell(cell)
        period_text = figures.timeline.period_text(first, period, ctx.lang)
        st.caption(
            ctx.t(
                "timeline.cell_table",
                n=labels.number(len(listed)),
                lane=labels.route(frm, to),
                period=period_text,
            )
        )
        if st.button(ctx.t("timeline.cell_clear"), key="tl_cell_clear"):
            picks.set_pick("tl_cell", None)
            st.rerun()
    # Tens of thousands of rows are for the CSV, not for reading: the table shows the latest.
    shown = listed.tail(analysis.timeline.MAX_TABLE_ROWS)
    if len(shown) < len(listed):
        st.caption(
            ctx.t(
                "timeline.table_capped",
                shown=labels.number(len(shown)),
                n=labels.number(len(listed)),
            )
        )
    st.caption(ctx.t("timeline.table_how"))
    table = figures.timeline.timeline_table(in_full(shown) if aggregated else shown, labels)
    table = table.iloc[::-1].reset_index(drop=True)  # newest first
    # Another list of stories is another widget: an old row selection means nothing.
    ids = list(table["story_id"])
    table_key = f"tl_table_{hash((view, cell, show_all, tuple(ids))) & 0xFFFFFFFF:x}"
    st.session_state["tl_table_ids"] = ids
    st.dataframe(
        table,
        hide_index=True,
        on_select=lambda: picks.pick_from_table(table_key, "tl_table_ids", "tl_story"),
        selection_mode="single-row",
        column_order=[c for c in table.columns if c != "story_id"],
        column_config={
            **{c: ctx.t(f"timeline.col.{c}") for c in table.columns if c != "story_id"},
            "reports": st.column_config.NumberColumn(
                ctx.t("timeline.col.reports"), format="localized"
            ),
        },
        key=table_key,
    )
    extra = [chosen_pair, kinds and kind]
    if cell is not None:
        extra.append(f"{frm}-{to}_{first:%Y-%m-%d}")
    st.download_button(
        ctx.t("timeline.download"),
        data=lambda: analysis.export.to_csv(
            figures.timeline.timeline_table(in_full(listed, False), labels)
        ),
        file_name=file_names.csv_name("timeline", f, corpus.date_min, corpus.date_max, *extra),
        mime="text/csv",
        key="tl_csv",
    )

if selected is not None:
    story_row = every_lane[every_lane["story_id"] == selected].iloc[0]
    when = labels.date(
        story_row["start"], story_row["precision"], story_row["approximate"], story_row["end"]
    )
    st.subheader(ctx.t("timeline.reports", story=f"{story_row['lane']} · {when}"))
    reports = timeline_reports.story_reports(corpus.events, ctx.articles, selected, labels)
    st.caption(ctx.t("timeline.reports_how", n=labels.number(len(reports))))
    items = [
        {
            "date": labels.date(r["date"], r["date_precision"], r["approximate"], r["date_end"]),
            "words": r["time_expr"],
            "published": labels.date(r["published"]) if r["published"] else "",
            "kind": ctx.t(f"kind.{r['kind']}"),
            "outlet": r["outlet"],
            "sentence": r["evidence"],
            "link": page.article_link(ctx, r["article_id"]),
        }
        for r in reports.head(MAX_LISTED).to_dict("records")
    ]
    st.html(evidence_html.evidence_html(items, ctx.lang, "tl-reports"))
    st.download_button(
        ctx.t("timeline.download_reports"),
        data=lambda: analysis.export.to_csv(reports),
        file_name=file_names.csv_name(
            "timeline_reports", f, corpus.date_min, corpus.date_max, selected
        ),
        mime="text/csv",
        key="tl_reports_csv",
    )

if undated_stories:
    title = ctx.t(
        "timeline.undated_title",
        n=labels.number(undated_stories),
        reports=labels.number(undated_reports),
    )
    with st.expander(title):
        # The rows listed are built alone; the CSV builds every row when it is asked for.
        undated = timeline_reports.undated_events(
            corpus.events, ctx.articles, kinds, chosen_pair, labels, places, limit=MAX_LISTED
        )
        st.caption(ctx.t("timeline.undated_how"))
        items = [
            {
                "date": "—",
                "words": r["time_expr"],
                "published": labels.date(r["published"]) if r["published"] else "",
                "kind": f"{ctx.t('kind.' + str(r['kind']))} {r['lane']}",
                "outlet": r["outlet"],
                "sentence": r["evidence"],
                "link": page.article_link(ctx, r["article_id"]),
            }
            for r in undated.to_dict("records")
        ]
        st.html(evidence_html.evidence_html(items, ctx.lang, "tl-undated"))
        st.download_button(
            ctx.t("timeline.download"),
            data=lambda: analysis.export.to_csv(
                timeline_reports.undated_events(
                    corpus.events, ctx.articles, kinds, chosen_pair, labels, places
                )
            ),
            file_name=file_names.csv_name(
                "timeline_undated", f, corpus.date_min, corpus.date_max, chosen_pair, kinds and kind
            ),
            mime="text/csv",
            key="tl_undated_csv",
        )
