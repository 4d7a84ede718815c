"""The shared filters in the URL and the session: parsing, defaults, writing back.

``parse_url_filters`` and ``url_params_for`` are pure (unit-tested); ``set_query`` writes one
URL parameter; ``kept_key``/``keep_value``/``seed_widget`` keep a page widget's value across page switches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from ..common import i18n

# Session keys of the shared sidebar widgets, and the URL parameter each one lives in.
K_LANG, K_FROM, K_TO, K_SOURCES, K_ONCE, K_UNDATED = (
    "flt_lang",
    "flt_from",
    "flt_to",
    "flt_sources",
    "flt_once",
    "flt_undated",
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


# ---------------------------------------------------------------- URL parsing (pure)


@dataclass(frozen=True)
class UrlFilters:
    lang: str
    date_from: date | None
    date_to: date | None
    sources: tuple[str, ...]
    once: bool
    undated: bool = True  # articles without a date are in the selection
    corpus: str | None = None  # an uploaded corpus's id (app.corpus_choice); None: bundled


@dataclass(frozen=True)
class LinkNotice:
    """Something the link asked for that the page cannot show as asked: ``kind`` 'bad' (not
    a valid value; the default is used), 'outside' (dates outside the corpus: the whole
    corpus is shown) or 'clamped' (a date beyond the corpus's edge: its edge is used)."""

    name: str
    value: str
    kind: str = "bad"
    shown: str = ""


def parse_url_filters(
    params: dict[str, list[str]],
    known_sources: Sequence[str],
    date_min: date | None,
    date_max: date | None,
) -> tuple[UrlFilters, list[LinkNotice]]:
    """Validate the shared link parameters; returns the values and what to tell the user.

    Never a silent change: a date beyond the corpus's edge is moved to the edge with a
    'clamped' notice; a range that misses the corpus entirely shows the whole corpus with an
    'outside' notice; dates that are not ISO dates, unknown outlets and other junk get a
    'bad' notice and their default.
    """
    bad: list[LinkNotice] = []

    def last(name: str) -> str | None:
        values = params.get(name) or []
        return values[-1] if values else None

    lang = i18n.DEFAULT_LANG
    if (raw := last("lang")) is not None:
        lang = i18n.normalize_lang(raw) or (
            bad.append(LinkNotice("lang", raw)) or i18n.DEFAULT_LANG
        )

    def parse_date(name: str) -> date | None:
        raw = last(name)
        if raw is None or raw == "":
            return None
        try:
            return date.fromisoformat(raw.strip()[:10])
        except ValueError:
            bad.append(LinkNotice(name, raw))
            return None

    asked_from, asked_to = parse_date("from"), parse_date("to")
    date_from = asked_from or date_min
    date_to = asked_to or date_max
    if date_min is not None and date_max is not None:
        # Outside: the range the link asks for (a missing bound is the corpus's edge) misses
        # the corpus on either side.
        outside = (asked_to is not None and asked_to < date_min) or (
            asked_from is not None and asked_from > date_max
        )
        if asked_from is not None and asked_to is not None:
            lo, hi = sorted((asked_from, asked_to))
            outside |= hi < date_min or lo > date_max
        if outside:  # nothing of the link's range is in the corpus
            asked = f"{asked_from or '…'} – {asked_to or '…'}"
            bad.append(LinkNotice("from", asked, "outside", f"{date_min} – {date_max}"))
            date_from, date_to = date_min, date_max
        else:
            for name, asked in (("from", asked_from), ("to", asked_to)):
                if asked is not None and not date_min <= asked <= date_max:
                    edge = date_min if asked < date_min else date_max
                    bad.append(LinkNotice(name, str(asked), "clamped", str(edge)))
            date_from = min(max(date_from, date_min), date_max)
            date_to = min(max(date_to, date_min), date_max)

    by_fold = {s.casefold(): s for s in known_sources}
    sources: list[str] = []
    for raw in params.get("source") or []:
        canonical = by_fold.get(raw.strip().casefold())
        if canonical is None:
            if raw.strip():
                bad.append(LinkNotice("source", raw))
        elif canonical not in sources:
            sources.append(canonical)

    def flag(name: str, default: bool) -> bool:
        raw = last(name)
        if raw is None or raw.strip() == "":
            return default
        if raw.strip().lower() in ("1", "true"):
            return True
        if raw.strip().lower() in ("0", "false"):
            return False
        bad.append(LinkNotice(name, raw))
        return default

    once, undated = flag("once", False), flag("undated", True)
    return UrlFilters(lang, date_from, date_to, tuple(sources), once, undated), bad


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
    if not state.undated:
        params["undated"] = ["0"]
    if state.corpus:
        params["corpus"] = [state.corpus]
    return params


SHARED_PARAMS = ("lang", "from", "to", "source", "once", "undated", "corpus")


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
