"""The shared page frame: data loading, the sidebar filters and their URL, language.

How to write a page (``pages/<page_id>.py``; keep it thin: filter -> query -> figure -> st.*)
------------------------------------------------------------------------------------------
::

    import streamlit as st

    from dashboard import charts, i18n, queries, ui

    i18n.extend({"timeline.intro": {"zh": "……", "en": "..."}})  # the page's own strings

    ctx = ui.page_setup("timeline")          # FIRST call, before any other st.* call
    st.title(ctx.t("page.timeline"))
    if ctx.articles.empty:                   # filters left nothing: say so, stop
        ui.empty_selection(ctx)              # (shows the message and calls st.stop())

    # A page's own URL-bound widget: initial value from the link (validated), value back
    # into the URL. The key is the widget's session key, the name its URL parameter.
    kind = ui.url_selectbox(ctx, "kind", ["all", "visit", "meeting"], key="tl_kind",
                            label=ctx.t("timeline.kind"),
                            format_func=lambda k: ctx.t(f"kind.{k}"))

    table = queries.some_query(ctx.corpus, ctx.filters, kind)      # pure, unit-tested
    st.caption(ctx.t("timeline.how_counted"))                       # one line per chart
    st.plotly_chart(charts.some_figure(table, ctx.lang), key="tl_chart")

What ``page_setup`` does, so every page works however it is reached (also a cold deep
link, where Streamlit may run the page file without ``app.py``; see NOTES.md):
  1. page config and, if ``app.py`` did not run (pages-directory mode), the navigation menu;
  2. loads the processed tables (cached per ingestion run; builds them from DASHBOARD_RAW on
     first start with progress; a broken store shows a message and a rebuild button);
  3. draws the shared sidebar (language, dates, outlets, "count each story once", reset),
     initialised from the URL (``from``, ``to``, ``source`` repeated, ``once``, ``lang``),
     with a visible notice for invalid values, and writes the state back into the URL.

``ctx`` (a :class:`PageContext`) gives ``corpus`` (all tables), ``filters`` (a
``queries.Filters``), ``articles`` (the filtered articles), ``lang``, ``t(key, **fields)``,
``notice(text)``, ``query_value(name)`` / ``query_values(name)`` (raw link values) and
``set_query(name, value)`` (None removes; a list repeats the parameter).

Other URL-bound page widgets: ``url_slider``, ``url_text``, ``article_picker``; a clickable
chart: ``st.plotly_chart(fig, key=k, on_select=ui.keep_selection(k))`` then
``ui.selected_from_chart(ctx, event, ids, "param", "state_key", chart_key=k)`` (use these
helpers rather than plain widgets: they survive the routing switch after a cold deep link).

Rules: never render article text as HTML unescaped (use ``html.escape`` before markup);
give every widget and chart a ``key`` prefixed with the page id; link to the reader with
``ui.article_link(ctx, article_id)`` (a relative URL that keeps the shared filters).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from . import i18n, queries, store
from .corpus import Corpus, build_tables, cached_corpus, has_tables
from .paths import PROJECT_ROOT, processed_dir, raw_dir
from .queries import Filters

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
    ("articles", None),
]

# Session keys of the shared sidebar widgets, and the URL parameter each one lives in.
K_LANG, K_FROM, K_TO, K_SOURCES, K_ONCE = (
    "flt_lang",
    "flt_from",
    "flt_to",
    "flt_sources",
    "flt_once",
)
_STATE = "_flt_state"  # canonical filter values, survives page switches
_NOTICES = "_flt_notices"
_VERSION = "_flt_corpus_version"

_build_lock = threading.Lock()


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


@dataclass
class PageContext:
    page_id: str
    corpus: Corpus
    filters: Filters
    articles: pd.DataFrame
    lang: str
    notices: list[str] = field(default_factory=list)

    def t(self, key: str, **fields: object) -> str:
        return i18n.t(key, self.lang, **fields)

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

    def source_label(self, source: str) -> str:
        return source_label(self.corpus, source, self.lang)


def set_query(name: str, value: str | Sequence[str] | None) -> None:
    """Write one URL parameter (None or empty removes it); no-op when unchanged."""
    if value is None or (not isinstance(value, str) and len(value) == 0) or value == "":
        if name in st.query_params:
            del st.query_params[name]
        return
    values = [value] if isinstance(value, str) else [str(v) for v in value]
    if st.query_params.get_all(name) != values:
        st.query_params[name] = values if len(values) > 1 else values[0]


def source_label(corpus: Corpus, source: str, lang: str) -> str:
    if source == "unknown":
        return i18n.t("source.unknown", lang)
    if lang == "zh":
        name = corpus.source_names.get(source)
        if name:
            return str(name)
    return source


# ---------------------------------------------------------------- URL parsing (pure)


@dataclass(frozen=True)
class UrlFilters:
    lang: str
    date_from: date | None
    date_to: date | None
    sources: tuple[str, ...]
    once: bool


def parse_url_filters(
    params: dict[str, list[str]],
    known_sources: Sequence[str],
    date_min: date | None,
    date_max: date | None,
) -> tuple[UrlFilters, list[tuple[str, str]]]:
    """Validate the shared link parameters; returns the values and (name, bad value) pairs.

    Dates outside the corpus are clamped to it (a valid link to a wider range); dates that
    are not ISO dates, unknown outlets and other junk are reported and replaced by defaults.
    """
    bad: list[tuple[str, str]] = []

    def last(name: str) -> str | None:
        values = params.get(name) or []
        return values[-1] if values else None

    lang = i18n.DEFAULT_LANG
    if (raw := last("lang")) is not None:
        lang = i18n.normalize_lang(raw) or (bad.append(("lang", raw)) or i18n.DEFAULT_LANG)

    def parse_date(name: str, default: date | None) -> date | None:
        raw = last(name)
        if raw is None or raw == "":
            return default
        try:
            value = date.fromisoformat(raw.strip()[:10])
        except ValueError:
            bad.append((name, raw))
            return default
        if date_min is not None and value < date_min:
            value = date_min
        if date_max is not None and value > date_max:
            value = date_max
        return value

    date_from = parse_date("from", date_min)
    date_to = parse_date("to", date_max)

    by_fold = {s.casefold(): s for s in known_sources}
    sources: list[str] = []
    for raw in params.get("source") or []:
        canonical = by_fold.get(raw.strip().casefold())
        if canonical is None:
            if raw.strip():
                bad.append(("source", raw))
        elif canonical not in sources:
            sources.append(canonical)

    once = False
    if (raw := last("once")) is not None:
        if raw.strip().lower() in ("1", "true"):
            once = True
        elif raw.strip().lower() not in ("0", "false", ""):
            bad.append(("once", raw))
    return UrlFilters(lang, date_from, date_to, tuple(sources), once), bad


def url_params_for(
    state: UrlFilters, date_min: date | None, date_max: date | None
) -> dict[str, list[str]]:
    """The shared parameters to put in the URL: only those that differ from the defaults."""
    params: dict[str, list[str]] = {}
    if state.lang != i18n.DEFAULT_LANG:
        params["lang"] = [state.lang]
    if state.date_from is not None and state.date_from != date_min:
        params["from"] = [state.date_from.isoformat()]
    if state.date_to is not None and state.date_to != date_max:
        params["to"] = [state.date_to.isoformat()]
    if state.sources:
        params["source"] = list(state.sources)
    if state.once:
        params["once"] = ["1"]
    return params


SHARED_PARAMS = ("lang", "from", "to", "source", "once")


def article_link(ctx: PageContext, article_id: str) -> str:
    """A relative link to the reader that keeps the shared filters."""
    params = url_params_for(_state_of(ctx), ctx.corpus.date_min, ctx.corpus.date_max)
    pairs = [(k, v) for k, vs in params.items() for v in vs] + [("article", article_id)]
    return "articles?" + urlencode(pairs)


def _state_of(ctx: PageContext) -> UrlFilters:
    f = ctx.filters
    return UrlFilters(ctx.lang, f.date_from, f.date_to, f.sources, f.once)


# ---------------------------------------------------------------- setup


def page_setup(page_id: str) -> PageContext:
    """Call first in every page file. Returns the page context (see the module docstring)."""
    lang = _current_lang()
    st.set_page_config(
        page_title=f"{i18n.t(f'page.{page_id}', lang)} · {i18n.t('app.title', lang)}",
        layout="wide",
    )
    if _in_pages_directory_mode():
        # Cold deep link: Streamlit ran this file directly. Register the real menu (same
        # url paths) so the sidebar and later reruns behave exactly as via app.py.
        st.navigation(navigation_pages(lang), position="sidebar")

    corpus = _load_corpus_or_stop(lang)
    state = _sidebar(corpus, lang)
    # A bound equal to the corpus edge is no bound: undated articles stay in.
    filters = Filters(
        None if state.date_from == corpus.date_min else state.date_from,
        None if state.date_to == corpus.date_max else state.date_to,
        state.sources,
        state.once,
    )
    articles = queries.filter_articles(corpus, filters)
    ctx = PageContext(page_id, corpus, filters, articles, state.lang)
    bad = st.session_state.get(_NOTICES, [])
    if bad:  # one notice for the whole link
        ctx.notice(
            " ".join(i18n.t("notice.bad_param", state.lang, name=n, value=v[:80]) for n, v in bad)
        )
    st.sidebar.caption(i18n.t("filters.summary", state.lang, n=len(articles)))
    return ctx


def empty_selection(ctx: PageContext) -> None:
    """Tell the user the filters left nothing, and stop the page."""
    st.info(ctx.t("empty.selection"))
    st.stop()


def _current_lang() -> str:
    if K_LANG in st.session_state:
        return st.session_state[K_LANG]
    state = st.session_state.get(_STATE)
    if state is not None:
        return state.lang
    return i18n.normalize_lang(st.query_params.get("lang")) or i18n.DEFAULT_LANG


def _load_corpus_or_stop(lang: str) -> Corpus:
    data_dir, raw = processed_dir(), raw_dir()
    if not has_tables(data_dir):
        _build(raw, data_dir, lang)
    try:
        return cached_corpus(data_dir)
    except store.StoreError as exc:
        st.error(i18n.t("data.broken", lang, error=str(exc)))
        if st.button(i18n.t("data.rebuild", lang), key="data_rebuild", type="primary"):
            _build(raw, data_dir, lang)
            st.rerun()
        st.stop()
    raise AssertionError("unreachable")  # pragma: no cover


def _build(raw: Path, data_dir: Path, lang: str) -> None:
    """Build the tables from the raw documents with visible progress; stops the page on failure."""
    from .pipeline import NothingIngested

    with _build_lock:
        if has_tables(data_dir) and not st.session_state.get("data_rebuild"):
            return  # another session built them while we waited
        with st.status(i18n.t("data.building", lang), expanded=True) as status:
            bar = st.progress(0.0)

            def progress(stage: str, done: int, total: int) -> None:
                bar.progress(
                    min(done / total, 1.0) if total else 0.0,
                    text=i18n.t("data.stage", lang, stage=stage, done=done, total=total),
                )

            try:
                n = build_tables(raw, data_dir, progress)
            except (NothingIngested, OSError) as exc:
                status.update(state="error")
                st.error(i18n.t("data.no_raw", lang, path=str(raw)) + f" ({exc})")
                st.stop()
            status.update(label=i18n.t("data.built", lang, n=n), state="complete", expanded=False)


def _outlet_options(corpus: Corpus) -> tuple[list[str], dict[str, int]]:
    counts = queries.outlet_counts(corpus)
    return counts["source"].tolist(), dict(zip(counts["source"], counts["articles"], strict=True))


def _sidebar(corpus: Corpus, lang_hint: str) -> UrlFilters:
    ss = st.session_state
    sources, counts = _outlet_options(corpus)
    date_min, date_max = corpus.date_min, corpus.date_max

    # First run of the session (or a new ingestion run): the link decides.
    if ss.get(_STATE) is None or ss.get(_VERSION) != corpus.version:
        params = {k: st.query_params.get_all(k) for k in SHARED_PARAMS}
        state, bad = parse_url_filters(params, sources, date_min, date_max)
        if state.date_from and state.date_to and state.date_from > state.date_to:
            state = UrlFilters(
                state.lang, state.date_to, state.date_from, state.sources, state.once
            )
            bad.append(("from", params["from"][-1]))
        ss[_STATE], ss[_NOTICES], ss[_VERSION] = state, bad, corpus.version
        for key in (K_LANG, K_FROM, K_TO, K_SOURCES, K_ONCE):
            ss.pop(key, None)
    state: UrlFilters = ss[_STATE]

    # Widgets read their value from session state, seeded from the canonical state on every
    # run: a page switch gives the sidebar widgets new identities, and Streamlit would
    # otherwise fall back to their defaults. User changes reach the canonical state through
    # the on_change callbacks, which run before this script.
    seeds = {
        K_LANG: state.lang,
        K_FROM: state.date_from,
        K_TO: state.date_to,
        K_SOURCES: list(state.sources),
        K_ONCE: state.once,
    }
    for key, value in seeds.items():
        ss[key] = value

    lang = ss[K_LANG] if ss[K_LANG] in i18n.LANGS else i18n.DEFAULT_LANG
    side = st.sidebar
    side.segmented_control(
        i18n.t("filters.language", lang),
        options=list(i18n.LANGS),
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
        key=K_LANG,
        required=True,
        on_change=_on_change,
    )
    lang = ss[K_LANG] or lang  # a deselected segmented control keeps the language
    side.header(i18n.t("filters.header", lang))
    if date_min is not None:
        # Stacked, not side by side: the sidebar is too narrow for two full dates.
        side.date_input(
            i18n.t("filters.from", lang),
            min_value=date_min,
            max_value=date_max,
            key=K_FROM,
            on_change=_on_change,
        )
        side.date_input(
            i18n.t("filters.to", lang),
            min_value=date_min,
            max_value=date_max,
            key=K_TO,
            on_change=_on_change,
        )
    side.multiselect(
        i18n.t("filters.sources", lang),
        options=sources,
        format_func=lambda s: f"{source_label(corpus, s, lang)} ({counts.get(s, 0)})",
        key=K_SOURCES,
        placeholder=i18n.t("filters.sources_placeholder", lang),
        help=i18n.t("filters.sources_help", lang),
        on_change=_on_change,
    )
    side.toggle(
        i18n.t("filters.once", lang),
        key=K_ONCE,
        help=i18n.t("filters.once_help", lang),
        on_change=_on_change,
    )
    side.button(
        i18n.t("filters.reset", lang),
        key="flt_reset",
        on_click=_reset,
        args=(date_min, date_max),
    )

    date_from, date_to = ss.get(K_FROM), ss.get(K_TO)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
        side.caption(i18n.t("notice.from_after_to", lang))
    state = UrlFilters(lang, date_from, date_to, tuple(ss[K_SOURCES] or ()), bool(ss[K_ONCE]))
    ss[_STATE] = state

    wanted = url_params_for(state, date_min, date_max)
    for name in SHARED_PARAMS:
        set_query(name, wanted.get(name))
    return state


def _on_change() -> None:
    """Copy the sidebar widgets into the canonical state (runs before the script)."""
    ss = st.session_state
    old: UrlFilters = ss[_STATE]
    ss[_STATE] = UrlFilters(
        ss.get(K_LANG) or old.lang,
        ss.get(K_FROM, old.date_from),
        ss.get(K_TO, old.date_to),
        tuple(ss.get(K_SOURCES) or ()),
        bool(ss.get(K_ONCE)),
    )
    ss[_NOTICES] = []


def _reset(date_min: date | None, date_max: date | None) -> None:
    ss = st.session_state
    ss[_STATE] = UrlFilters(ss[_STATE].lang, date_min, date_max, (), False)
    ss[_NOTICES] = []


# ---------------------------------------------------------------- page widgets in the URL
#
# A page widget's value is kept under a second session key and copied back into the widget
# key before every run: Streamlit gives widgets a new identity when the routing mode or
# the page changes, and would otherwise silently fall back to the widget default.


def _kept(key: str) -> str:
    return f"_kept__{key}"


def _keep(key: str) -> None:
    st.session_state[_kept(key)] = st.session_state[key]


def _seed(
    key: str, initial: Callable[[], object], valid: Callable[[object], bool] | None = None
) -> None:
    ss = st.session_state
    if _kept(key) not in ss or (valid is not None and not valid(ss[_kept(key)])):
        ss[_kept(key)] = initial()
    ss[key] = ss[_kept(key)]


def url_selectbox(
    ctx: PageContext,
    name: str,
    options: Sequence,
    key: str,
    label: str,
    format_func: Callable = str,
    container=st,
    **kwargs,
):
    """A selectbox whose value lives in URL parameter ``name`` (as ``str(option)``).

    A link value that is not an option shows a notice and falls back to the first option.
    """
    by_text = {str(o): o for o in options}

    def from_link():
        raw = st.query_params.get(name)
        if raw is not None and raw not in by_text:
            ctx.notice(ctx.t("notice.bad_param", name=name, value=raw[:80]))
        return by_text.get(raw, options[0]) if options else None

    _seed(key, from_link, valid=lambda v: v in options)
    value = container.selectbox(
        label, options, key=key, format_func=format_func, on_change=_keep, args=(key,), **kwargs
    )
    set_query(name, None if value == options[0] else str(value))
    return value


def url_int(ctx: PageContext, name: str, default: int, lo: int, hi: int) -> int:
    """An integer link parameter in [lo, hi]; junk shows a notice and gives ``default``."""
    raw = st.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        ctx.notice(ctx.t("notice.bad_param", name=name, value=raw[:80]))
        return default
    return min(max(value, lo), hi)


def url_slider(
    ctx: PageContext, name: str, default: int, lo: int, hi: int, key: str, label: str, container=st
) -> int:
    """An integer slider whose value lives in URL parameter ``name`` (omitted at the default)."""
    _seed(key, lambda: url_int(ctx, name, default, lo, hi))
    value = container.slider(
        label, min_value=lo, max_value=hi, key=key, on_change=_keep, args=(key,)
    )
    set_query(name, None if value == default else str(value))
    return value


def keep_selection(chart_key: str) -> Callable[[], None]:
    """An ``on_select`` callback that keeps the chart's selected points.

    Pass it as ``st.plotly_chart(..., key=chart_key, on_select=ui.keep_selection(chart_key))``
    and give the same ``chart_key`` to :func:`selected_from_chart`. Callbacks still fire
    when Streamlit gives the chart a new identity (the first rerun after a cold deep link),
    where the returned selection event comes back empty.
    """

    def callback() -> None:
        st.session_state[_kept(chart_key)] = _points(st.session_state.get(chart_key))

    return callback


def _points(event) -> list[dict]:
    selection = getattr(event, "selection", None)
    if selection is None and isinstance(event, dict):
        selection = event.get("selection")
    if selection is None:
        return []
    points = getattr(selection, "points", None)
    if points is None and isinstance(selection, dict):
        points = selection.get("points")
    return [dict(p) for p in (points or [])]


def selected_from_chart(
    ctx: PageContext,
    event,
    ids: Sequence[str],
    name: str,
    state_key: str,
    valid: Callable[[str], bool] | None = None,
    chart_key: str | None = None,
) -> str | None:
    """The item picked on a chart (``ids[point_index]``), kept in URL parameter ``name``.

    A chart selection cannot be set from code, so the link's value is used until the user
    clicks; clearing the chart selection clears it. Unknown link values show a notice.
    """
    ss = st.session_state
    had_key, ids_key = f"{state_key}__had_points", f"{state_key}__ids"
    points = _points(event)
    if chart_key is not None:
        if ss.get(ids_key) not in (None, tuple(ids)):
            ss.pop(_kept(chart_key), None)  # the bars changed: an old index means nothing
        if not points:
            points = ss.get(_kept(chart_key)) or []
    ss[ids_key] = tuple(ids)
    selected: str | None
    if points:
        index = points[0].get("point_index", points[0].get("point_number", -1))
        selected = ids[index] if 0 <= index < len(ids) else None
        ss[had_key] = True
    elif ss.get(had_key):
        selected, ss[had_key] = None, False
    elif state_key in ss:
        selected = ss[state_key]
    else:
        selected = st.query_params.get(name)
        if selected is not None and not (valid(selected) if valid else selected in ids):
            ctx.notice(ctx.t("notice.bad_param", name=name, value=selected[:80]))
            selected = None
    ss[state_key] = selected
    set_query(name, selected)
    return selected


def sentences_html(ctx: PageContext, sentences: pd.DataFrame) -> str:
    """Sentences with outlet, date and a link to the article; the mention is marked.

    Every value from an article is escaped (charts.mark_in_sentence escapes, then marks).
    """
    import html

    from .charts import mark_in_sentence

    items = []
    for row in sentences.to_dict("records"):
        date_text = row["published"].isoformat() if row.get("published") else ""
        href = html.escape(article_link(ctx, row["article_id"]), quote=True)
        items.append(
            "<li>"
            f'<span class="meta">{html.escape(date_text)} · {html.escape(ctx.source_label(row["source"]))}'
            f' · <a href="{href}" target="_self">{html.escape(str(row["title"])[:40])}</a></span><br>'
            f"{mark_in_sentence(row['sentence'], row['surface'])}"
            "</li>"
        )
    style = (
        "<style>.sentences{line-height:1.8;padding-left:1.2em}.sentences .meta{color:#666;"
        "font-size:.85em}.sentences mark{background:#f9e79f}</style>"
    )
    return style + '<ul class="sentences">' + "".join(items) + "</ul>"


def link_html(href: str, text: str) -> str:
    """An escaped in-app link (same tab)."""
    import html

    return f'<a href="{html.escape(href, quote=True)}" target="_self">{html.escape(text)}</a>'


def url_text(ctx: PageContext, name: str, key: str, label: str, container=st, **kwargs) -> str:
    """A text input whose value lives in URL parameter ``name``."""
    _seed(key, lambda: (st.query_params.get(name) or "")[:200])
    value = container.text_input(label, key=key, on_change=_keep, args=(key,), **kwargs)
    set_query(name, value.strip() or None)
    return value.strip()


PICKER_LIMIT = 500  # articles offered in the reader's picker


def article_picker(ctx: PageContext, listing: pd.DataFrame, key: str, label: str) -> str | None:
    """Pick one article of ``listing``; the choice lives in URL parameter ``article``.

    A linked article outside the current filters stays selectable (a shared link must show
    what it points to); an id that does not exist shows a notice.
    """
    ss = st.session_state
    # A list of a hundred thousand titles is neither fast nor usable: the newest ones are
    # offered, and the page tells the reader to narrow with the search box.
    options = listing["article_id"].head(PICKER_LIMIT).tolist()
    current = ss.get(_kept(key))
    if current is None:
        raw = st.query_params.get("article")
        known = queries.has_article(ctx.corpus, raw)
        if raw is not None and not known:
            ctx.notice(ctx.t("articles.not_found", id=raw[:40]))
        current = raw if known else None
    if current is not None and current not in options and queries.has_article(ctx.corpus, current):
        options = [current, *options]
    if not options:
        return None
    ss[key] = ss[_kept(key)] = current if current in options else options[0]
    meta = ctx.corpus.meta if ctx.corpus.meta is not None else ctx.corpus.articles
    shown = meta.iloc[queries.article_positions_for(ctx.corpus, options)]
    labels = {
        aid: f"{published.isoformat() if published else '—'} · {ctx.source_label(source)} · "
        f"{str(title)[:50]}{' ⧉' if dup else ''}"
        for aid, published, source, title, dup in zip(
            shown["article_id"],
            shown["published"],
            shown["source"],
            shown["title"],
            shown["dup_of"],
            strict=True,
        )
    }
    value = st.selectbox(
        label, options, key=key, format_func=labels.__getitem__, on_change=_keep, args=(key,)
    )
    set_query("article", value)
    return value


def short_span(start: date | None, end: date | None) -> str:
    """A compact date range for a metric tile: 07-09 – 07-20 (year only when they differ)."""
    if start is None or end is None:
        return "—"
    if start.year == end.year:
        return f"{start:%m-%d} – {end:%m-%d}"
    return f"{start:%Y-%m} – {end:%Y-%m}"


def heading_html(text: str) -> str:
    """An untrusted title as a heading: escaped, so markup and Markdown show as text."""
    import html

    return f'<h3 style="margin:0">{html.escape(str(text))}</h3>'


# Markdown that could make a link, an image, emphasis, LaTeX ($) or an icon (:name:) out
# of quoted text. Raw HTML needs no escaping: Streamlit does not render it in Markdown.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!~$:])")


def md_escape(text: str) -> str:
    """Text from a link or an article made inert for st.markdown-based elements."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
