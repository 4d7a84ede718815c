"""Overview: the selection at a glance, articles per day (week, month) by outlet, top entities,
latest events."""

import streamlit as st

from dashboard import analysis, figures
from dashboard.app import markup, page, widgets

ctx = page.page_setup("overview")
st.title(ctx.t("overview.title"))
if ctx.empty:
    page.empty_selection(ctx)

labels = ctx.labels
stats = analysis.overview.overview_stats(ctx.corpus, ctx.filters)
undated = analysis.filters.undated_in(ctx.corpus, ctx.filters)
cols = st.columns([1, 1, 2, 1, 1])
cols[0].metric(
    ctx.t("overview.articles"),
    labels.number(stats["articles"]),
    help=ctx.t("overview.undated_help", n=labels.number(undated)) if undated else None,
)
cols[1].metric(ctx.t("overview.outlets"), labels.number(stats["outlets"]))
cols[2].metric(
    ctx.t("overview.span"),
    markup.short_span(stats["date_min"], stats["date_max"]),
    help=ctx.t(
        "overview.span_value",
        start=labels.date(stats["date_min"]),
        end=labels.date(stats["date_max"]),
    ),
)
cols[3].metric(ctx.t("overview.entities"), labels.number(stats["entities"]))
cols[4].metric(ctx.t("overview.events"), labels.number(stats["events"]))

left, right = st.columns([3, 2])
with left:
    per_period, period = analysis.overview.articles_per_period(ctx.corpus, ctx.filters)
    st.subheader(ctx.t(f"overview.per_{period}"))
    measure = widgets.url_segmented(
        ctx,
        "measure",
        list(figures.overview.MEASURES),
        key="ov_measure",
        label=ctx.t("overview.measure"),
        format_func=lambda m: ctx.t(f"overview.measure.{m}"),
    )
    st.caption(ctx.t(f"overview.per_period_how.{measure}"))
    if undated:
        st.caption(ctx.t("overview.undated_not_drawn", n=labels.number(undated)))
    st.plotly_chart(
        figures.overview.articles_per_period_figure(
            per_period, labels, ctx.colors, period, measure
        ),
        key="ov_per_day",
        config={"displaylogo": False},
    )
with right:
    st.subheader(ctx.t("overview.top_entities"))
    st.caption(ctx.t("overview.top_entities_how"))
    top = analysis.entities.top_entities(ctx.corpus, ctx.filters, n=10)
    if top.empty:
        st.info(ctx.t("empty.entities"))
    else:
        st.plotly_chart(
            figures.entities.top_entities_figure(top, labels),
            key="ov_top_entities",
            config={"displaylogo": False},
        )

st.subheader(ctx.t("overview.latest_events"))
st.caption(ctx.t("overview.latest_events_how"))
events = analysis.overview.latest_events(ctx.corpus, ctx.filters, n=10)
if events.empty:
    st.info(ctx.t("empty.events"))
else:
    rows = analysis.overview.event_rows(events, labels)
    rows["link"] = [page.article_link(ctx, a) for a in events["article_id"]]
    # All reports of a dated event are one click away on the timeline (undated events are
    # listed there too, but not as a mark to select).
    rows["reports_link"] = [
        page.page_link(ctx, "timeline", story=s) if dated else ""
        for s, dated in zip(events["story_key"], events["dated"], strict=True)
    ]
    st.html(figures.overview.events_html(rows, ctx.lang))
