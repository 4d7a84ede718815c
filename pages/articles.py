"""Articles: a searchable list and a reader with entities highlighted (?article=<id>)."""

import streamlit as st

from dashboard import analysis, figures
from dashboard.app import markup, page, widgets

ctx = page.page_setup("articles")
st.title(ctx.t("articles.title"))

search = widgets.url_text(
    ctx, "q", key="art_q", label=ctx.t("articles.search"), help=ctx.t("articles.search_help")
)
with page.texts_or_notice(ctx):  # a search reads the texts
    listing = analysis.articles.list_articles(ctx.corpus, ctx.filters, search)
linked = ctx.query_value("article")

if listing.empty and not linked:
    if ctx.articles.empty:
        page.empty_selection(ctx)
    st.info(ctx.t("articles.no_match", q=search))
    st.stop()

st.caption(ctx.t("articles.list_how", n=len(listing)))
if len(listing) > widgets.PICKER_LIMIT:
    st.caption(ctx.t("articles.list_capped", n=widgets.PICKER_LIMIT))
article_id = widgets.article_picker(ctx, listing, key="art_pick", label=ctx.t("articles.pick"))
if article_id is None:
    st.stop()

with page.texts_or_notice(ctx):
    article = analysis.articles.article_by_id(ctx.corpus, article_id)
if not (listing["article_id"] == article_id).any():
    st.caption(ctx.t("articles.filtered_out"))

st.html(markup.heading_html(article["title"] or article_id))
st.caption(
    ctx.t(
        "articles.meta",
        source=ctx.source_label(article["source"]),
        date=article["published"] or "—",
        script=ctx.t(f"script.{article['script']}") if article.get("script") else "",
    )
)
if article.get("dup_of"):
    with page.texts_or_notice(ctx):
        original = analysis.articles.article_by_id(ctx.corpus, article["dup_of"])
    title = original["title"] if original else article["dup_of"]
    st.warning(ctx.t("articles.dup_of"))
    if original:
        st.html(markup.link_html(page.article_link(ctx, article["dup_of"]), title[:60]))

mentions = analysis.articles.article_mentions(ctx.corpus, article_id)
legend = figures.reader.legend_html(ctx.lang) if not mentions.empty else ""
st.html(
    figures.reader.READER_CSS + legend + figures.reader.highlight_html(article["text"], mentions)
)
