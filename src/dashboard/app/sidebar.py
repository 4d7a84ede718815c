"""The shared sidebar: language, dates, outlets, "count each story once", reset."""

from __future__ import annotations

from datetime import date

import streamlit as st

from .. import analysis
from ..analysis.corpus import Corpus
from ..analysis.labels import number_text
from ..common import i18n
from .urlstate import (
    K_FROM,
    K_LANG,
    K_ONCE,
    K_SOURCES,
    K_TO,
    K_UNDATED,
    NOTICES_KEY,
    SHARED_PARAMS,
    STATE_KEY,
    VERSION_KEY,
    LinkNotice,
    UrlFilters,
    parse_url_filters,
    set_query,
    url_params_for,
)


def _outlet_options(corpus: Corpus) -> tuple[list[str], dict[str, int]]:
    """The outlets in the order of every legend (largest first, unknown last), and counts."""
    counts = analysis.overview.outlet_counts(corpus)
    by_source = dict(zip(counts["source"], counts["articles"], strict=True))
    return list(analysis.labels.outlet_order(corpus)), by_source


def shared_sidebar(corpus: Corpus, lang_hint: str, corpus_id: str | None = None) -> UrlFilters:
    """The shared filters; ``corpus_id``: the uploaded corpus that is open (kept in the URL)."""
    ss = st.session_state
    sources, counts = _outlet_options(corpus)
    date_min, date_max = corpus.date_min, corpus.date_max
    undated_count = analysis.filters.undated_count(corpus)

    # First run of the session (or a new ingestion run): the link decides.
    if ss.get(STATE_KEY) is None or ss.get(VERSION_KEY) != corpus.version:
        params = {k: st.query_params.get_all(k) for k in SHARED_PARAMS}
        state, bad = parse_url_filters(params, sources, date_min, date_max)
        if state.date_from and state.date_to and state.date_from > state.date_to:
            state = UrlFilters(
                state.lang,
                state.date_to,
                state.date_from,
                state.sources,
                state.once,
                state.undated,
            )
            bad.append(LinkNotice("from", params["from"][-1], "swapped"))
        ss[STATE_KEY], ss[NOTICES_KEY], ss[VERSION_KEY] = state, bad, corpus.version
        for key in (K_LANG, K_FROM, K_TO, K_SOURCES, K_ONCE, K_UNDATED):
            ss.pop(key, None)
    state: UrlFilters = ss[STATE_KEY]

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
        K_UNDATED: state.undated,
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
    if undated_count:
        # Undated articles have no place on a time axis; whether they count elsewhere is
        # the user's choice, with their number in sight.
        side.toggle(
            i18n.t("filters.undated", lang, n=number_text(undated_count)),
            key=K_UNDATED,
            help=i18n.t("filters.undated_help", lang),
            on_change=_on_change,
        )
    labels = analysis.labels.labels_for(corpus, lang)
    side.multiselect(
        i18n.t("filters.sources", lang),
        options=sources,
        format_func=lambda s: f"{labels.outlet(s)} ({number_text(counts.get(s, 0))})",
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
    state = UrlFilters(
        lang,
        date_from,
        date_to,
        tuple(ss[K_SOURCES] or ()),
        bool(ss[K_ONCE]),
        bool(ss[K_UNDATED]),
        corpus_id,
    )
    ss[STATE_KEY] = state

    wanted = url_params_for(state, date_min, date_max)
    for name in SHARED_PARAMS:
        set_query(name, wanted.get(name))
    return state


def _on_change() -> None:
    """Copy the sidebar widgets into the canonical state (runs before the script)."""
    ss = st.session_state
    old: UrlFilters = ss[STATE_KEY]
    ss[STATE_KEY] = UrlFilters(
        ss.get(K_LANG) or old.lang,
        ss.get(K_FROM, old.date_from),
        ss.get(K_TO, old.date_to),
        tuple(ss.get(K_SOURCES) or ()),
        bool(ss.get(K_ONCE)),
        bool(ss.get(K_UNDATED, old.undated)),
    )
    ss[NOTICES_KEY] = []


def _reset(date_min: date | None, date_max: date | None) -> None:
    ss = st.session_state
    ss[STATE_KEY] = UrlFilters(ss[STATE_KEY].lang, date_min, date_max, (), False)
    ss[NOTICES_KEY] = []
