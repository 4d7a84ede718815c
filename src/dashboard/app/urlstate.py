"""The shared filters in the URL and the session: parsing, defaults, writing back.

``parse_url_filters`` and ``url_params_for`` are pure (unit-tested); ``set_query`` writes one
URL parameter; ``kept_key``/``keep_value``/``seed_widget`` keep a page widget's value across page switches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from ..analysis.corpus import Corpus
from ..common import i18n

# Session keys of the shared sidebar widgets, and the URL parameter each one lives in.
K_LANG, K_FROM, K_TO, K_SOURCES, K_ONCE = (
    "flt_lang",
    "flt_from",
    "flt_to",
    "flt_sources",
    "flt_once",
)
STATE_KEY = "_flt_state"  # canonical filter values, survives page switches
NOTICES_KEY = "_flt_notices"
VERSION_KEY = "_flt_corpus_version"


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


# ---------------------------------------------------------------- page widgets in the URL
#
# A page widget's value is kept under a second session key and copied back into the widget
# key before every run: Streamlit gives widgets a new identity when the routing mode or
# the page changes, and would otherwise silently fall back to the widget default.


def kept_key(key: str) -> str:
    return f"_kept__{key}"


def keep_value(key: str) -> None:
    st.session_state[kept_key(key)] = st.session_state[key]


def seed_widget(
    key: str, initial: Callable[[], object], valid: Callable[[object], bool] | None = None
) -> None:
    ss = st.session_state
    if kept_key(key) not in ss or (valid is not None and not valid(ss[kept_key(key)])):
        ss[kept_key(key)] = initial()
    ss[key] = ss[kept_key(key)]
