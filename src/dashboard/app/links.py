"""Links from any entity, term or search to its concordance and its attention over time."""

from __future__ import annotations

from urllib.parse import urlencode

from ..analysis import query
from ..common import i18n
from .markup import link_html
from .page import PageContext, page_link, search_link

i18n.extend(
    {
        "links.search": {"zh": "全文搜索", "en": "Search the texts"},
        "links.concordance": {"zh": "上下文(每处出现)", "en": "Concordance (every occurrence)"},
        "links.attention": {"zh": "关注度随时间变化", "en": "Attention over time"},
    }
)


def concordance_link(ctx: PageContext, text: str) -> str:
    """The concordance of a query (keeps the shared filters)."""
    return page_link(ctx, "concordance", q=text)


def attention_link(ctx: PageContext, *texts: str) -> str:
    """The attention page with these queries (keeps the shared filters)."""
    base = page_link(ctx, "attention")
    extra = urlencode([("query", t) for t in texts if t])
    return base + ("" if base.endswith("?") or not extra else "&") + extra


def more_links_html(ctx: PageContext, text: str, search: str | None = None) -> str:
    """One line of links for a query ``text``: its concordance and its attention over time,
    and (given ``search``, the words for the search box) the full-text search."""
    links = []
    if search:
        links.append(link_html(search_link(ctx, search), ctx.t("links.search") + " ↗"))
    links.append(link_html(concordance_link(ctx, text), ctx.t("links.concordance") + " ↗"))
    links.append(link_html(attention_link(ctx, text), ctx.t("links.attention") + " ↗"))
    return '<p class="more-links">' + " · ".join(links) + "</p>"


def entity_query(entity_id: str) -> str:
    return f"{query.ENTITY_PREFIX}{entity_id}"


def search_query(words: str) -> str:
    """The articles page's search (every word must occur) as a query of the same meaning."""
    return query.words_query(words)
