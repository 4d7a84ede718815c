"""Entity frequencies: top N by type, per outlet, over time; a bar leads to its sentences."""

from functools import partial

import streamlit as st

from dashboard import analysis, figures
from dashboard.app import links, page, widgets

SENTENCES_PER_PAGE = 50

ctx = page.page_setup("entities")
st.title(ctx.t("entities.title"))
if ctx.empty:
    page.empty_selection(ctx)

labels = ctx.labels
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
    figures.entities.top_entities_figure(top, labels),
    key="ent_bar",
    on_select=widgets.keep_selection("ent_bar"),
    selection_mode="points",
    config={"displaylogo": False},
)
st.download_button(
    ctx.t("entities.download"),
    data=partial(analysis.export.to_csv, top),
    file_name=page.export_name(ctx, "entities", entity_type),
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
names = figures.entities.entity_display_names(top, ctx.lang)
if selected is None:
    st.subheader(ctx.t("entities.sentences_none"))
    st.caption(ctx.t("entities.sentences_hint"))
else:
    name = names.get(selected) or labels.entity(selected)
    sentences = analysis.entities.entity_sentences(ctx.corpus, ctx.filters, selected)
    st.subheader(ctx.t("entities.sentences", name=name, n=labels.number(len(sentences))))
    st.html(links.more_links_html(ctx, links.entity_query(selected), search=name))
    at = widgets.url_page(
        ctx, "spage", len(sentences), SENTENCES_PER_PAGE, key=f"ent_spage_{selected}"
    )
    shown = sentences.iloc[at * SENTENCES_PER_PAGE : (at + 1) * SENTENCES_PER_PAGE]
    st.caption(
        ctx.t(
            "list.showing",
            first=labels.number(at * SENTENCES_PER_PAGE + 1 if len(shown) else 0),
            last=labels.number(at * SENTENCES_PER_PAGE + len(shown)),
            n=labels.number(len(sentences)),
        )
    )
    st.html(page.entity_sentences_html(ctx, shown))
    st.download_button(
        ctx.t("entities.download_sentences", n=labels.number(len(sentences))),
        data=partial(analysis.export.to_csv, sentences.drop(columns=["spans"])),
        file_name=page.export_name(ctx, "sentences", selected),
        mime="text/csv",
        key="ent_sentences_csv",
    )

shown_ids = top["entity_id"].tolist()
# Full width, one under the other: a heatmap of 15 outlets and a time axis of years need it.
with st.container():
    st.subheader(ctx.t("entities.per_outlet"))
    outlet_measure = widgets.url_segmented(
        ctx,
        "omeasure",
        list(figures.entities.OUTLET_MEASURES),
        key="ent_omeasure",
        label=ctx.t("overview.measure"),
        format_func=lambda m: ctx.t(f"entities.outlet_measure.{m}"),
    )
    st.caption(ctx.t(f"entities.per_outlet_how.{outlet_measure}"))
    by_outlet = analysis.entities.entity_counts_by_outlet(ctx.corpus, ctx.filters, shown_ids)
    st.plotly_chart(
        figures.entities.entity_outlet_heatmap(
            by_outlet, names, labels, ctx.colors, outlet_measure
        ),
        key="ent_outlets",
        config={"displaylogo": False},
    )
with st.container():
    st.subheader(ctx.t("entities.trend"))
    chosen = st.multiselect(
        ctx.t("entities.trend_pick"),
        shown_ids,
        default=shown_ids[:3],
        format_func=names.get,
        key="ent_trend_pick",
    )
    trend_measure = widgets.url_segmented(
        ctx,
        "tmeasure",
        list(figures.entities.TREND_MEASURES),
        key="ent_tmeasure",
        label=ctx.t("overview.measure"),
        format_func=lambda m: ctx.t(f"entities.trend_measure.{m}"),
    )
    trend, period = analysis.entities.entity_trend(ctx.corpus, ctx.filters, chosen)
    st.caption(ctx.t(f"entities.trend_how.{trend_measure}", period=ctx.t(f"period.name.{period}")))
    undated = analysis.filters.undated_in(ctx.corpus, ctx.filters)
    if undated:
        st.caption(ctx.t("entities.trend_undated", n=labels.number(undated)))
    st.plotly_chart(
        figures.entities.entity_trend_figure(
            trend, {e: names[e] for e in chosen}, labels, period, trend_measure
        ),
        key="ent_trend",
        config={"displaylogo": False},
    )
