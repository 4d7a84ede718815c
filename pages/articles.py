"""Articles: search with every hit in context (?q=, ?page=, ?order=), and a reader that shows
where an article came from, its entities, the search term and its events (?article=<id>).

Three views, chosen by the link: a search without an article lists the hits in context,
page by page; an article opened from a hit (?article=&q=) is read with the term marked and
links back to its page of hits and on to the next hit; without a search, the newest articles
are offered in a list and the chosen one is read.
"""

import html
from urllib.parse import urlencode

import streamlit as st

from dashboard import analysis
from dashboard.analysis import search as text_search
from dashboard.app import links, markup, page, widgets
from dashboard.app.urlstate import keep_value, kept_key, seed_widget, set_query
from dashboard.common import i18n
from dashboard.figures import kwic, reader

PER_PAGE = 20  # articles per page of hits

i18n.extend(
    {
        "articles.search_help": {
            "zh": "繁体和简体都可以,英文字母不分大小写;在标题和正文中查找。"
            "用空格分开的几个词须都出现在同一篇文章中。",
            "en": "Simplified or Traditional, Latin letters in any case; searches titles and "
            "text. Several words separated by spaces must all be in the article.",
        },
        "articles.search_placeholder": {
            "zh": "例如:俄罗斯",
            "en": "A word or name, as written in Chinese",
        },
        "articles.order": {"zh": "排序", "en": "Order"},
        "articles.order.newest": {"zh": "最新在前", "en": "Newest first"},
        "articles.order.oldest": {"zh": "最早在前", "en": "Oldest first"},
        "articles.order.hits": {"zh": "命中最多在前", "en": "Most hits first"},
        "articles.hits_summary": {
            "zh": "“{q}”:{hits},分布在 {n} 篇文章中 · 第 {page}/{pages} 页",
            "en": "“{q}”: {hits} in {n} · page {page} of {pages}",
        },
        "articles.n_articles_one": {"zh": "{n}", "en": "{n} article"},
        "articles.n_articles_many": {"zh": "{n}", "en": "{n} articles"},
        "articles.hits_how": {
            "zh": "每行一处命中,前后各约 30 字;按文章分组,每篇最多列 10 处。"
            "点击标题阅读全文(搜索词在文中标出)。",
            "en": "One line per hit, about 30 characters either side, grouped by article "
            "(up to 10 each). Click a title to read the article with the term marked.",
        },
        "articles.list_how": {
            "zh": "共 {n} 篇,按发布日期从新到旧。",
            "en": "{n} articles, newest first.",
        },
        "articles.back": {"zh": "← 返回“{q}”的搜索结果", "en": "← Back to the hits for “{q}”"},
        "articles.prev_hit": {"zh": "‹ 上一篇", "en": "‹ Previous"},
        "articles.next_hit": {"zh": "下一篇 ›", "en": "Next ›"},
        "articles.hit_of": {"zh": "第 {i}/{n} 篇", "en": "{i} of {n}"},
        "articles.hits_here_many": {
            "zh": "“{q}”在本文中出现 {n} 处,已标出。",
            "en": "“{q}” occurs {n} times in this article, marked.",
        },
        "articles.hits_here_one": {
            "zh": "“{q}”在本文中出现 1 处,已标出。",
            "en": "“{q}” occurs once in this article, marked.",
        },
        "articles.hits_here_none": {
            "zh": "“{q}”不在本文正文中。",
            "en": "“{q}” is not in this article's text.",
        },
        "articles.not_a_hit": {
            "zh": "此文不在当前筛选下“{q}”的搜索结果中。",
            "en": "This article is not among the hits for “{q}” under the current filters.",
        },
        "articles.not_found_hits": {
            "zh": "链接中的文章 {id} 不存在,已显示搜索结果。",
            "en": "Article {id} from the link does not exist; showing the hits instead.",
        },
        "articles.events": {"zh": "文中读出的事件({n})", "en": "Events read from it ({n})"},
        "articles.events_how": {
            "zh": "访问、会见、峰会和启程;日期精确到原文给出的程度(年、月或日),"
            "并注明读自哪个词语;灰色为依据原句。",
            "en": "Visits, meetings, summits and departures; each date as precisely as the "
            "text gives it (year, month or day), with the words it was read from, and the "
            "sentence it was found in.",
        },
        "articles.events_none": {
            "zh": "本文中没有读出访问、会见、峰会或启程。",
            "en": "No visit, meeting, summit or departure was read from this article.",
        },
    }
)

ctx = page.page_setup("articles")
st.title(ctx.t("articles.title"))


def _search_changed() -> None:
    """A new search lists its hits from the first page; the article being read is closed."""
    keep_value("art_q")
    if st.session_state["art_q"].strip():
        set_query("article", None)
    st.session_state.pop(kept_key("art_pick"), None)  # the picker follows the link again
    set_query("page", None)


def _order_changed() -> None:
    keep_value("art_order")
    set_query("page", None)


seed_widget("art_q", lambda: (ctx.query_value("q") or "")[: text_search.MAX_QUERY])
# The order of the hits sits next to the box when the hits are listed (a callback has run
# before this line: the state holds the search the user just typed).
listing_hits = bool(st.session_state["art_q"].strip()) and ctx.query_value("article") is None
if listing_hits:
    search_column, order_column = st.columns([4, 1], vertical_alignment="bottom")
else:
    search_column = order_column = st.container()
query = search_column.text_input(
    ctx.t("articles.search"),
    key="art_q",
    on_change=_search_changed,
    help=ctx.t("articles.search_help"),
    placeholder=ctx.t("articles.search_placeholder"),
).strip()
set_query("q", query or None)
# The order of the hits: the one chosen in this session (its callback ran before this
# line), else the link's. Every link below carries it.
order = st.session_state.get(kept_key("art_order"), ctx.query_value("order"))
order = order if order in text_search.ORDERS else text_search.ORDERS[0]


def results_link(number: int) -> str:
    """The link to page ``number`` of the hits (the shared filters kept)."""
    extra = [("page", str(number))] if number > 1 else []
    extra += [("order", order)] if order != text_search.ORDERS[0] else []
    return page.search_link(ctx, query) + ("&" + urlencode(extra) if extra else "")


def reader_link(article_id: str, number: int) -> str:
    """The link to the reader from a hit: the search and its page go along (marks, way back)."""
    extra = [("q", query)] + ([("page", str(number))] if number > 1 else [])
    extra += [("order", order)] if order != text_search.ORDERS[0] else []
    return page.article_link(ctx, article_id) + "&" + urlencode(extra)


def count_text(key: str, n: int) -> str:
    return ctx.t(f"{key}_one" if n == 1 else f"{key}_many", n=ctx.labels.number(n))


def show_hits() -> None:
    """The hits in context, one page of articles, and the links to the other pages."""
    if ctx.empty:
        page.empty_selection(ctx)
    seed_widget("art_order", lambda: order)
    chosen = order_column.selectbox(
        ctx.t("articles.order"),
        text_search.ORDERS,
        key="art_order",
        format_func=lambda o: ctx.t(f"articles.order.{o}"),
        on_change=_order_changed,
    )
    set_query("order", None if chosen == text_search.ORDERS[0] else chosen)
    with page.texts_or_notice(ctx):
        result = text_search.search_articles(ctx.corpus, ctx.filters, query, chosen)
    if not result.n_articles:
        st.info(ctx.t("articles.no_match", q=markup.md_escape(query)))
        st.stop()
    pages = text_search.page_count(result, PER_PAGE)
    current = widgets.url_int(ctx, "page", 1, 1, pages)
    set_query("page", None if current == 1 else str(current))
    summary = ctx.t(
        "articles.hits_summary",
        q=query,
        hits=kwic.hits_text(result.hits, ctx.labels),
        n=count_text("articles.n_articles", result.n_articles),
        page=ctx.labels.number(current),
        pages=ctx.labels.number(pages),
    )
    st.markdown(f"**{markup.md_escape(summary)}**", help=ctx.t("articles.hits_how"))
    st.html(links.more_links_html(ctx, links.search_query(query)))
    rows = text_search.page_rows(result, current, PER_PAGE)
    with page.texts_or_notice(ctx):
        snippets = text_search.snippets(ctx.corpus, rows["article_pos"], result.terms)
    hrefs = {aid: reader_link(aid, current) for aid in rows["article_id"]}
    st.html(kwic.kwic_html(rows, snippets, ctx.labels, hrefs, result.terms))
    if pages > 1:
        st.html(kwic.pager_html(current, pages, results_link, ctx.labels))


def hit_navigation(article_id: str) -> None:
    """Back to the page of hits this article is on, and on to the previous or next hit."""
    result = text_search.search_articles(ctx.corpus, ctx.filters, query, order)
    ids = result.articles["article_id"].tolist()
    where = ids.index(article_id) if article_id in ids else None
    number = where // PER_PAGE + 1 if where is not None else 1
    links = [markup.link_html(results_link(number), ctx.t("articles.back", q=query))]
    if where is not None:
        if where > 0:
            prev_id = ids[where - 1]
            links.append(
                markup.link_html(
                    reader_link(prev_id, (where - 1) // PER_PAGE + 1), ctx.t("articles.prev_hit")
                )
            )
        numbers = {"i": ctx.labels.number(where + 1), "n": ctx.labels.number(len(ids))}
        links.append(html.escape(ctx.t("articles.hit_of", **numbers)))
        if where + 1 < len(ids):
            next_id = ids[where + 1]
            links.append(
                markup.link_html(
                    reader_link(next_id, (where + 1) // PER_PAGE + 1), ctx.t("articles.next_hit")
                )
            )
    st.html('<div class="hit-nav">' + " · ".join(links) + "</div>")
    if where is None:
        st.caption(markup.md_escape(ctx.t("articles.not_a_hit", q=query)))


def pick_article() -> str:
    """Without a search: the newest articles in a list (the linked one kept)."""
    listing = analysis.articles.list_articles(ctx.corpus, ctx.filters)
    if listing.empty and not ctx.query_value("article"):
        page.empty_selection(ctx)
    st.caption(ctx.t("articles.list_how", n=ctx.labels.number(len(listing))))
    if len(listing) > widgets.PICKER_LIMIT:
        st.caption(ctx.t("articles.list_capped", n=ctx.labels.number(widgets.PICKER_LIMIT)))
    chosen = widgets.article_picker(ctx, listing, key="art_pick", label=ctx.t("articles.pick"))
    if chosen is None:
        st.stop()
    if not (listing["article_id"] == chosen).any():
        st.caption(ctx.t("articles.filtered_out"))
    return chosen


def show_article(article_id: str) -> None:
    """The reader: title, provenance, near-duplicate marker, text with marks, events."""
    corpus, labels = ctx.corpus, ctx.labels
    with page.texts_or_notice(ctx):
        article = analysis.articles.article_by_id(corpus, article_id)
    terms = text_search.query_terms(query)
    simplified = str(article.get("text_simplified") or "")
    hits = text_search.occurrences(simplified, terms) if terms else []
    st.html(reader.title_html(article["title"] or article_id))
    quoted = [
        labels.outlet(q)
        if labels.lang == "en" or q in labels.outlets
        else analysis.articles.registry_outlet_names().get(q, {}).get("zh") or q
        for q in analysis.articles.quoted_outlets(article.get("quoted_sources"))
    ]
    st.html(reader.READER_CSS + reader.provenance_html(article, labels, quoted))
    if article.get("dup_of"):
        with page.texts_or_notice(ctx):
            original = analysis.articles.article_by_id(corpus, article["dup_of"])
        st.warning(ctx.t("articles.dup_of"))
        if original:
            title = original["title"] or article["dup_of"]
            st.html(reader.link_html(page.article_link(ctx, article["dup_of"]), title[:60]))
    if query:
        key = "articles.hits_here_" + ("none" if not hits else "one" if len(hits) == 1 else "many")
        st.caption(markup.md_escape(ctx.t(key, q=query, n=labels.number(len(hits)))))
    mentions = analysis.articles.article_mentions(corpus, article_id)
    legend = reader.legend_html(ctx.lang, with_hit=bool(hits)) if len(mentions) or hits else ""
    st.html(reader.READER_CSS + legend + reader.highlight_html(article["text"], mentions, hits))
    with page.texts_or_notice(ctx):
        events = analysis.articles.article_events(corpus, article_id)
    st.subheader(ctx.t("articles.events", n=labels.number(len(events))))
    if events.empty:
        st.caption(ctx.t("articles.events_none"))
    else:
        st.caption(ctx.t("articles.events_how"))
        st.html(reader.READER_CSS + reader.events_html(events, labels))


linked = ctx.query_value("article")
if query:
    if linked is not None and not analysis.articles.has_article(ctx.corpus, linked):
        ctx.notice(ctx.t("articles.not_found_hits", id=linked[:40]))
        set_query("article", None)
        linked = None
    if linked is None:
        show_hits()
        st.stop()
    with page.texts_or_notice(ctx):
        hit_navigation(linked)
    show_article(linked)
else:
    show_article(pick_article())
