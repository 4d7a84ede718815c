"""Entity frequencies: top N by type, per outlet, over time; a bar leads to its sentences."""

from functools import partial

import streamlit as st

from dashboard import analysis, figures
from dashboard.app import page, widgets

ctx = page.page_setup("entities")
st.title(ctx.t("entities.title"))
if ctx.articles.empty:
    page.empty_selection(ctx)

col_type, col_n = st.columns([2, 3])
entity_type = widgets.url_selectbox(
    ctx,
    "type",
    ["all", *analysis.entities.ENTITY_TYPES],
    key="ent_type",
    label=ctx.t("entities.type"),
    format_func=lambda k: ctx.t(f"type.{k}"),
    container=col_type,
)
top_n = widgets.url_slider(
    ctx, "n", 20, 5, 50, key="ent_n", label=ctx.t("entities.top_n"), container=col_n
)

top = analysis.entities.top_entities(
    ctx.corpus, ctx.filters, None if entity_type == "all" else entity_type, n=top_n
)
if top.empty:
    st.info(ctx.t("empty.entities"))
    st.stop()

st.caption(ctx.t("entities.bar_how"))
event = st.plotly_chart(
    figures.entities.top_entities_figure(top, ctx.lang),
    key="ent_bar",
    on_select=widgets.keep_selection("ent_bar"),
    selection_mode="points",
    config={"displaylogo": False},
)
st.download_button(
    ctx.t("entities.download"),
    data=partial(analysis.export.to_csv, top),
    file_name="entities.csv",
    mime="text/csv",
    key="ent_csv",
)

# The selected entity: a clicked bar, else the link's `entity` on the first visit.
selected = widgets.selected_from_chart(
    ctx,
    event,
    top["entity_id"].tolist(),
    "entity",
    "ent_selected",
    valid=lambda e: bool((ctx.corpus.mentions["entity_id"] == e).any()),
    chart_key="ent_bar",
)
st.subheader(
    ctx.t(
        "entities.sentences", name=analysis.entities.entity_names(ctx.corpus, [selected])[selected]
    )
    if selected
    else ctx.t("entities.sentences_none")
)
if selected is None:
    st.caption(ctx.t("entities.sentences_hint"))
else:
    sentences = analysis.entities.entity_sentences(ctx.corpus, ctx.filters, selected)
    st.html(widgets.sentences_html(ctx, sentences))
    st.download_button(
        ctx.t("entities.download"),
        data=partial(analysis.export.to_csv, sentences),
        file_name=f"sentences_{selected}.csv",
        mime="text/csv",
        key="ent_sentences_csv",
    )

shown = top["entity_id"].tolist()
names = {r["entity_id"]: figures.entities.entity_label(r, ctx.lang) for r in top.to_dict("records")}
left, right = st.columns(2)
with left:
    st.subheader(ctx.t("entities.per_outlet"))
    st.caption(ctx.t("entities.per_outlet_how"))
    by_outlet = analysis.entities.entity_counts_by_outlet(ctx.corpus, ctx.filters, shown)
    st.plotly_chart(
        figures.entities.entity_outlet_figure(by_outlet, names, ctx.lang, ctx.source_label),
        key="ent_outlets",
        config={"displaylogo": False},
    )
with right:
    st.subheader(ctx.t("entities.trend"))
    chosen = st.multiselect(
        ctx.t("entities.trend_pick"),
        shown,
        default=shown[:3],
        format_func=names.get,
        key="ent_trend_pick",
    )
    st.caption(ctx.t("entities.trend_how"))
    trend = analysis.entities.entity_trend(ctx.corpus, ctx.filters, chosen)
    st.plotly_chart(
        figures.entities.entity_trend_figure(trend, {e: names[e] for e in chosen}, ctx.lang),
        key="ent_trend",
        config={"displaylogo": False},
    )
