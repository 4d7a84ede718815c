"""The shared page frame: navigation, the page context, and what every page does first.

How to write a page (``pages/<page_id>.py``; keep it thin: filter -> query -> figure -> st.*)
------------------------------------------------------------------------------------------
::

    import streamlit as st

    from dashboard import analysis, figures
    from dashboard.app import page, widgets
    from dashboard.common import i18n

    i18n.extend({"timeline.intro": {"zh": "……", "en": "..."}})  # the page's own strings

    ctx = page.page_setup("timeline")        # FIRST call, before any other st.* call
    st.title(ctx.t("page.timeline"))
    if ctx.empty:                            # filters left nothing: say so, stop
        page.empty_selection(ctx)            # (shows the message and calls st.stop())

    # A page's own URL-bound widget: initial value from the link (validated), value back
    # into the URL. The key is the widget's session key, the name its URL parameter.
    kind = widgets.url_selectbox(ctx, "kind", ["all", "visit", "meeting"], key="tl_kind",
                                 label=ctx.t("timeline.kind"),
                                 format_func=lambda k: ctx.t(f"kind.{k}"))

    table = analysis.timeline.some_query(ctx.corpus, ctx.filters, kind)  # pure, unit-tested
    st.caption(ctx.t("timeline.how_counted"))                             # one line per chart
    st.plotly_chart(figures.timeline.some_figure(table, ctx.lang), key="tl_chart")

What ``page_setup`` does, so every page works however it is reached (also a cold deep
link, where Streamlit may run the page file without ``app.py``; see NOTES.md):
  1. page config and, if ``app.py`` did not run (pages-directory mode), the navigation menu;
  2. loads the processed tables (``app.data``: cached per ingestion run; builds them from
     DASHBOARD_RAW on first start with progress; a broken store shows a message and a
     rebuild button);
  3. draws the shared sidebar (``app.sidebar``: language, dates, outlets, "count each story
     once", reset), initialised from the URL (``from``, ``to``, ``source`` repeated, ``once``,
     ``lang``; parsed in ``app.urlstate``), with a visible notice for invalid values, and
     writes the state back into the URL.

``ctx`` (a :class:`PageContext`) gives ``corpus`` (all tables), ``filters`` (an
``analysis.filters.Filters``), ``articles`` (the filtered articles), ``lang``,
``t(key, **fields)``, ``notice(text)``, ``query_value(name)`` / ``query_values(name)`` (raw
link values) and ``set_query(name, value)`` (None removes; a list repeats the parameter).

Other URL-bound page widgets (``app.widgets``): ``url_slider``, ``url_text``,
``article_picker``; a clickable chart: ``st.plotly_chart(fig, key=k,
on_select=widgets.keep_selection(k))`` then ``widgets.selected_from_chart(ctx, event, ids,
"param", "state_key", chart_key=k)`` (use these helpers rather than plain widgets: they
survive the routing switch after a cold deep link).

Rules: never render article text as HTML unescaped (use ``html.escape`` before markup);
give every widget and chart a ``key`` prefixed with the page id; link to the reader with
``page.article_link(ctx, article_id)`` (a relative URL that keeps the shared filters).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import streamlit as st

from .. import analysis, figures
from ..analysis.corpus import Corpus
from ..analysis.filters import Filters
from ..common import i18n
from ..tables.paths import PROJECT_ROOT
from ..tables.store import StoreError
from . import import_strings  # noqa: F401 - the import page's title is in the menu
from .corpus_choice import corpus_name, open_corpus
from .markup import md_escape
from .sidebar import shared_sidebar
from .urlstate import (
    K_LANG,
    NOTICES_KEY,
    STATE_KEY,
    LinkNotice,
    UrlFilters,
    set_query,
    url_params_for,
)

PAGES_DIR = PROJECT_ROOT / "pages"

# (page id == file stem == URL path, icon). Order is the menu order. No icons: Material
# icons make the browser fetch SVGs from fonts.gstatic.com (breaks the offline guarantee)
# and emoji need a colour-emoji font the server's users may not have.
PAGES: list[tuple[str, str | None]] = [
    ("overview", None),
    ("entities", None),
    ("timeline", None),
    ("relations", None),
    ("keywords", None),
    ("network", None),
    ("compare", None),
    ("articles", None),
    ("attention", None),
    ("concordance", None),
    ("import", None),  # upload your own documents (app.importer)
]


# ---------------------------------------------------------------- navigation


def existing_pages() -> list[tuple[str, str | None]]:
    """The registered pages whose file exists (others are being written and are skipped)."""
    return [(pid, icon) for pid, icon in PAGES if (PAGES_DIR / f"{pid}.py").exists()]


def navigation_pages(lang: str = i18n.DEFAULT_LANG) -> list:
    """st.Page objects for st.navigation; url_path == file stem, as in pages-directory mode.

    The default page (served at ``/``) is a hidden copy of the first page: Streamlit's
    frontend answers "page not found" for the default page's own path, and ``/overview``
    must work as a link like every other page.
    """
    found = existing_pages()
    pages = [
        st.Page(PAGES_DIR / f"{pid}.py", title=i18n.t(f"page.{pid}", lang), icon=icon, url_path=pid)
        for pid, icon in found
    ]
    if found:
        first = found[0][0]
        pages.insert(
            0,
            st.Page(
                PAGES_DIR / f"{first}.py",
                title=i18n.t(f"page.{first}", lang),
                url_path="home",
                default=True,
                visibility="hidden",
            ),
        )
    return pages


def _in_pages_directory_mode() -> bool:
    """True when Streamlit ran this page file directly (cold deep link), not via app.py."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # internal module moved: assume app.py routed
        return False
    return bool(PagesManager.uses_pages_directory)


# ---------------------------------------------------------------- context

# The context of the page this thread runs (a session's reruns run on its script thread).
_running = threading.local()


def release_page_data() -> None:
    """Drop the selection the page that just ran made (``PageContext.articles``). A widget's
    callback keeps the page's globals, the context among them, alive until the session's next
    rerun: at a million articles each idle session held its filtered articles (up to 200 MB).
    Called by app.py once the page has run; a callback that asks again gets them made anew."""
    ctx = getattr(_running, "ctx", None)
    _running.ctx = None
    if ctx is not None:
        ctx.__dict__.pop("articles", None)


@dataclass
class PageContext:
    page_id: str
    corpus: Corpus
    filters: Filters
    lang: str
    notices: list[str] = field(default_factory=list)
    # Display names (countries, entities, outlets, dates) and outlet colours: the same on
    # every page (analysis.labels, figures.style.outlet_colors).
    labels: analysis.labels.Labels | None = None
    colors: dict[str, str] = field(default_factory=dict)
    corpus_id: str | None = None  # the uploaded corpus that is open (None: the bundled one)

    def t(self, key: str, **fields: object) -> str:
        return i18n.t(key, self.lang, **fields)

    @functools.cached_property
    def articles(self) -> pd.DataFrame:
        """The filtered articles (without texts), made when a page first asks: at a million
        articles taking the selection's rows of every column costs 40-90 ms, and most pages
        only need to know whether anything is selected (``empty``) or how much (``count``)."""
        return analysis.filters.filter_articles(self.corpus, self.filters)

    @property
    def count(self) -> int:
        """How many articles the filters keep."""
        return int(np.count_nonzero(analysis.filters.selected_mask(self.corpus, self.filters)))

    @property
    def empty(self) -> bool:
        """Whether the filters keep no article at all."""
        return self.count == 0

    def notice(self, text: str) -> None:
        """A visible notice; the text is Markdown-escaped (it often quotes link values)."""
        st.warning(md_escape(text))

    @staticmethod
    def query_value(name: str) -> str | None:
        return st.query_params.get(name)

    @staticmethod
    def query_values(name: str) -> list[str]:
        return st.query_params.get_all(name)

    @staticmethod
    def set_query(name: str, value: str | Sequence[str] | None) -> None:
        set_query(name, value)

    def source_label(self, source: str, site: str | None = None) -> str:
        return self.labels.outlet(source, site)


def page_link(ctx: PageContext, page_id: str, **params: str) -> str:
    """A relative link to another page with its own ``params`` that keeps the shared filters."""
    shared = url_params_for(_state_of(ctx), ctx.corpus.date_min, ctx.corpus.date_max)
    pairs = [(k, v) for k, vs in shared.items() for v in vs]
    pairs += [(k, str(v)) for k, v in params.items() if v is not None and v != ""]
    return f"{page_id}?" + urlencode(pairs)


def export_name(ctx: PageContext, kind: str, *parts: str, ext: str = "csv") -> str:
    """A download's file name that says what it holds: the kind, the dates, the outlets and
    options of the selection, and the page's own choices (``parts``)."""
    import re

    f, corpus = ctx.filters, ctx.corpus
    bits = [kind]
    start, end = f.date_from or corpus.date_min, f.date_to or corpus.date_max
    if start is not None and end is not None:
        bits.append(f"{start}_{end}")
    if f.sources:
        bits.append(
            "-".join(f.sources[:3]) + (f"+{len(f.sources) - 3}" if len(f.sources) > 3 else "")
        )
    if f.once:
        bits.append("once")
    if not f.undated:
        bits.append("dated")
    bits += [str(p) for p in parts if p]
    return re.sub(r"[^\w.+-]+", "-", "_".join(bits)).strip("-")[:150] + f".{ext}"


def article_link(ctx: PageContext, article_id: str) -> str:
    """A relative link to the reader that keeps the shared filters."""
    return page_link(ctx, "articles", article=article_id)


def entity_sentences_html(ctx: PageContext, shown: pd.DataFrame) -> str:
    """Sentence rows of ``analysis.entities`` / ``analysis.network`` as a list: the names
    marked, date and outlet, each opening its article in the reader."""
    labels = ctx.labels
    return figures.sentences.sentences_html(
        shown,
        analysis.entities.marks_of_rows(ctx.corpus, shown),
        [
            f"{labels.date(r['published'])} · {labels.outlet(r['source'], r['site'])}"
            for r in shown.to_dict("records")
        ],
        [article_link(ctx, a) for a in shown["article_id"]],
    )


def search_link(ctx: PageContext, query: str) -> str:
    """A relative link to the articles page searching ``query`` (keeps the shared filters):
    any entity or term on any page is one click from its hits in context."""
    return page_link(ctx, "articles", q=query)


def _state_of(ctx: PageContext) -> UrlFilters:
    f = ctx.filters
    return UrlFilters(ctx.lang, f.date_from, f.date_to, f.sources, f.once, f.undated, ctx.corpus_id)


# ---------------------------------------------------------------- setup


def page_setup(page_id: str, summary: bool = True) -> PageContext:
    """Call first in every page file. Returns the page context (see the module docstring).
    ``summary``: say the selection above the page (the import page does not)."""
    lang = _current_lang()
    st.set_page_config(
        page_title=f"{i18n.t(f'page.{page_id}', lang)} · {i18n.t('app.title', lang)}",
        layout="wide",
    )
    if _in_pages_directory_mode():
        # Cold deep link: Streamlit ran this file directly. Register the real menu (same
        # url paths) so the sidebar and later reruns behave exactly as via app.py.
        st.navigation(navigation_pages(lang), position="sidebar")

    # The corpus the link (or the session) names: an uploaded one, or the bundled one.
    corpus, corpus_id = open_corpus(lang, quiet=not summary)
    state = shared_sidebar(corpus, lang, corpus_id)
    # A bound equal to the corpus edge is no bound (the same selection, one cache entry).
    filters = Filters(
        None if state.date_from == corpus.date_min else state.date_from,
        None if state.date_to == corpus.date_max else state.date_to,
        state.sources,
        state.once,
        state.undated,
    )
    labels = analysis.labels.labels_for(corpus, state.lang)
    ctx = PageContext(
        page_id,
        corpus,
        filters,
        state.lang,
        labels=labels,
        colors=figures.style.outlet_colors(labels.outlet_order),
        corpus_id=corpus_id,
    )
    _running.ctx = ctx
    bad = st.session_state.get(NOTICES_KEY, [])
    if bad:  # one notice for the whole link
        ctx.notice(" ".join(link_notice_text(n, state.lang) for n in bad))
    text = filters_summary(ctx)
    st.sidebar.caption(text)
    if corpus_id:  # on a phone the sidebar is folded away: say which corpus this is
        text = f"{md_escape(corpus_name(corpus_id, state.lang))} · {text}"
    if summary:
        # The sidebar is folded away on a phone: the selection is also said above the page.
        st.caption(text, help=i18n.t("filters.summary_help", state.lang))
    return ctx


def link_notice_text(notice: LinkNotice, lang: str) -> str:
    value = notice.value[:80]
    if notice.kind == "outside":
        return i18n.t("notice.dates_outside", lang, value=value, shown=notice.shown)
    if notice.kind == "clamped":
        return i18n.t(f"notice.{notice.name}_clamped", lang, value=value, shown=notice.shown)
    if notice.kind == "swapped":
        return i18n.t("notice.from_after_to", lang)
    return i18n.t("notice.bad_param", lang, name=notice.name, value=value)


def filters_summary(ctx: PageContext) -> str:
    """The selection in one line: dates, outlets, options, and how many articles (how many
    of them undated)."""
    f, labels, corpus = ctx.filters, ctx.labels, ctx.corpus
    parts = []
    if corpus.date_min is not None:
        start = f.date_from or corpus.date_min
        end = f.date_to or corpus.date_max
        parts.append(f"{labels.date(start)} – {labels.date(end)}")
    if f.sources:
        names = [labels.outlet(s) for s in f.sources]
        shown = "、".join(names[:3]) if ctx.lang == "zh" else ", ".join(names[:3])
        more = len(names) - 3
        parts.append(shown + (ctx.t("filters.summary_more", n=more) if more > 0 else ""))
    else:
        parts.append(ctx.t("filters.sources_placeholder"))
    if f.once:
        parts.append(ctx.t("filters.once"))
    undated = analysis.filters.undated_in(corpus, f)
    count = ctx.t("filters.summary", n=labels.number(ctx.count))
    if undated:
        count += ctx.t("filters.summary_undated", n=labels.number(undated))
    elif not f.undated and analysis.filters.undated_count(corpus):
        count += ctx.t("filters.summary_no_undated")
    parts.append(count)
    return " · ".join(parts)


@contextmanager
def texts_or_notice(ctx: PageContext) -> Iterator[None]:
    """Around code that reads article texts (read on first use, after the page loaded): a
    text file damaged or replaced under the running app becomes a message, not a crash."""
    try:
        yield
    except StoreError as exc:
        st.error(md_escape(ctx.t("data.texts_unreadable", error=str(exc))))
        st.stop()


def empty_selection(ctx: PageContext) -> None:
    """Tell the user the filters left nothing, and stop the page."""
    st.info(ctx.t("empty.selection"))
    st.stop()


def _current_lang() -> str:
    if K_LANG in st.session_state:
        return st.session_state[K_LANG]
    state = st.session_state.get(STATE_KEY)
    if state is not None:
        return state.lang
    return i18n.normalize_lang(st.query_params.get("lang")) or i18n.DEFAULT_LANG
