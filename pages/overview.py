"""Overview: the selection at a glance, articles per day (week, month) by outlet, top entities,
latest events."""

import streamlit as st

from dashboard import analysis, figures
from dashboard.app import markup, page

ctx = page.page_setup("overview")
st.title(ctx.t("overview.title"))
if ctx.articles.empty:
    page.empty_selection(ctx)

stats = analysis.overview.overview_stats(ctx.corpus, ctx.filters)
cols = st.columns([1, 1, 2, 1, 1])
cols[0].metric(ctx.t("overview.articles"), stats["articles"])
cols[1].metric(ctx.t("overview.outlets"), stats["outlets"])
cols[2].metric(
    ctx.t("overview.span"),
    markup.short_span(stats["date_min"], stats["date_max"]),
    help=ctx.t("overview.span_value", start=stats["date_min"], end=stats["date_max"]),
)
cols[3].metric(ctx.t("overview.entities"), stats["entities"])
cols[4].metric(ctx.t("overview.events"), stats["events"])

left, right = st.columns([3, 2])
with left:
    per_period, period = analysis.overview.articles_per_period(ctx.corpus, ctx.filters)
    st.subheader(ctx.t(f"overview.per_{period}"))
    st.caption(ctx.t("overview.per_day_how"))
    st.plotly_chart(
        figures.overview.articles_per_day_figure(per_period, ctx.lang, ctx.source_label, period),
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
            figures.entities.top_entities_figure(top, ctx.lang),
            key="ov_top_entities",
            config={"displaylogo": False},
        )

st.subheader(ctx.t("overview.latest_events"))
st.caption(ctx.t("overview.latest_events_how"))
events = analysis.overview.latest_events(ctx.corpus, ctx.filters, n=10)
if events.empty:
    st.info(ctx.t("empty.events"))
else:
    table = analysis.overview.event_rows(events, ctx.lang, ctx.source_label)
    table["link"] = [page.article_link(ctx, a) for a in events["article_id"]]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "date": st.column_config.TextColumn(ctx.t("col.date")),
            "kind": st.column_config.TextColumn(ctx.t("col.kind")),
            "route": st.column_config.TextColumn(ctx.t("col.route")),
            "evidence": st.column_config.TextColumn(ctx.t("col.evidence"), width="large"),
            "source": st.column_config.TextColumn(ctx.t("col.source")),
            "reports": st.column_config.NumberColumn(ctx.t("col.reports")),
            "link": st.column_config.LinkColumn(ctx.t("col.link"), display_text="↗"),
        },
        key="ov_events",
    )
