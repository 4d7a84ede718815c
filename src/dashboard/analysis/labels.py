"""Every name a page shows, in the interface's language: countries, entities, outlets, dates.

One place, so the pages never disagree: a country is 俄罗斯 / Russia on every page (never
``RUS``, never 俄); a person or place has its English name on the English pages when the
gazetteer knows one, and keeps its Chinese form where none exists; an outlet the ingestion
could not name falls back to the site or file it came from; a date shows how precisely it is
known (``2024``, ``2024-07``, ``about 2024-07-10 – 2024-07-20``), never a made-up day.

``labels_for(corpus, lang)`` builds the names once per corpus and language.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import numpy as np
import pandas as pd

from ..common import i18n
from ..common.textnorm import to_simplified
from ..tables.paths import GAZETTEER_CSV, OUTLETS_CSV
from .corpus import Corpus
from .filters import derived

UNKNOWN_SOURCE = "unknown"


@lru_cache(maxsize=1)
def gazetteer_country_names() -> dict[str, dict[str, str]]:
    """ISO-3 -> {"zh": ..., "en": ...} of every country in the shipped gazetteer: the names of
    countries an events table names but no mention did (a route's destination, say)."""
    names: dict[str, dict[str, str]] = {}
    try:
        with open(GAZETTEER_CSV, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("type") == "country" and row.get("entity_id"):
                    names[row["entity_id"]] = {
                        "zh": row.get("name_zh") or "",
                        "en": row.get("name_en") or "",
                    }
    except OSError:
        pass
    return names


@lru_cache(maxsize=1)
def _registry_names() -> dict[str, frozenset[str]]:
    """Outlet id -> every name it goes by in the registry (Chinese and English names and
    aliases, in Simplified; ``=``-marked exact aliases too)."""
    names: dict[str, frozenset[str]] = {}
    try:
        with open(OUTLETS_CSV, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if not row.get("id"):
                    continue
                every = [row["id"], row.get("name_zh") or "", row.get("name_en") or ""]
                every += (row.get("aliases") or "").split("|")
                names[row["id"]] = frozenset(
                    to_simplified(n.lstrip("=").strip()) for n in every if n.lstrip("=").strip()
                )
    except OSError:
        pass
    return names


def outlet_name_terms(sources, source_names: Mapping[str, str] | None = None) -> frozenset[str]:
    """Every name the outlets ``sources`` go by (registry names and aliases, their Chinese
    names in the corpus): words an outlet's own keyword cloud must not show, since an outlet
    writing its own name (新华社北京7月19日电) says nothing about what it reports."""
    registry = _registry_names()
    names: set[str] = set()
    for source in sources:
        if not isinstance(source, str) or source == UNKNOWN_SOURCE:
            continue
        names |= registry.get(source, frozenset({source}))
        own = (source_names or {}).get(source)
        if isinstance(own, str) and own:
            names.add(to_simplified(own))
    return frozenset(names)


def _pycountry_name(code: str) -> str | None:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - in requirements.txt
        return None
    found = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if found is None:
        return None
    return getattr(found, "common_name", None) or found.name


def _text(value) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Labels:
    """Display names for one corpus in one language (see the module docstring)."""

    lang: str
    countries: Mapping[str, str] = field(default_factory=dict)  # ISO-3 -> name
    entities: Mapping[str, str] = field(default_factory=dict)  # entity_id -> name
    outlets: Mapping[str, str] = field(default_factory=dict)  # source -> name
    places: Mapping[str, str] = field(default_factory=dict)  # a place as written -> name
    # Outlets by size in the whole corpus (most articles first, unknown last): the order of
    # every legend and of the outlet colours, the same whatever the filters.
    outlet_order: tuple[str, ...] = ()

    def t(self, key: str, **fields: object) -> str:
        return i18n.t(key, self.lang, **fields)

    # ---------------------------------------------------------------- countries and entities

    def country(self, code) -> str:
        """The country's full name (俄罗斯 / Russia); the code only for an unknown code."""
        if not isinstance(code, str) or not code:
            return "?"
        known = self.countries.get(code)
        if known:
            return known
        return country_display_name(code, self.lang)

    def route(self, from_code, to_code) -> str:
        """A direction of travel: 朝鲜 → 俄罗斯."""
        return f"{self.country(from_code)} → {self.country(to_code)}"

    def pair(self, pair_key: str) -> str:
        """A country pair key ('PRK-RUS') as 朝鲜 – 俄罗斯."""
        a, _, b = str(pair_key).partition("-")
        return f"{self.country(a)} – {self.country(b)}"

    def entity(self, entity_id, default: str | None = None) -> str:
        """An entity's name: English on the English pages when there is one, else Chinese."""
        if not isinstance(entity_id, str):
            return default or "—"
        name = self.entities.get(entity_id)
        if name:
            return name
        if entity_id in self.countries:
            return self.countries[entity_id]
        return default or entity_id

    def place(self, name) -> str:
        """A place as an event names it (平壤): its English name on English pages when the
        gazetteer has one, else as written."""
        if not isinstance(name, str) or not name:
            return ""
        return self.places.get(name) or self.places.get(to_simplified(name)) or name

    # ---------------------------------------------------------------- outlets

    def outlet(self, source, site=None) -> str:
        """An outlet's name; an unknown outlet names the site or file it came from."""
        if not isinstance(source, str) or not source or source == UNKNOWN_SOURCE:
            unknown = self.t("source.unknown")
            site = _text(site).strip()
            return f"{unknown} ({site})" if site else unknown
        return self.outlets.get(source) or source

    # ---------------------------------------------------------------- dates and numbers

    def date(self, value, precision: str | None = "day", approximate=False, end=None) -> str:
        return date_text(value, self.lang, precision, approximate, end)

    def number(self, value) -> str:
        return number_text(value)


def country_display_name(code: str, lang: str) -> str:
    """A country's name from the gazetteer (then pycountry in English), else the code."""
    names = gazetteer_country_names().get(code, {})
    if lang == "en":
        return names.get("en") or _pycountry_name(code) or names.get("zh") or code
    return names.get("zh") or code


def _as_day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    try:
        stamp = pd.Timestamp(str(value))
    except (TypeError, ValueError):
        return None
    return None if pd.isna(stamp) else stamp.date()


def date_text(value, lang: str, precision: str | None = "day", approximate=False, end=None) -> str:
    """A date as precisely as it is known: '2024-07-19', '2024-07' (known to the month),
    '2024' (to the year), a span 'start – end', prefixed 约/about when the source is vague.
    '—' for no date. ISO order in both languages, so a column of them sorts by date."""
    day = _as_day(value)
    if day is None:
        return "—"
    last = _as_day(end)
    precision = precision if precision in ("day", "month", "year") else "day"
    if last is not None and last != day:
        # A window reads at its precision: days when the day is known, else the months or
        # years it covers (a month-precise window inside one month is that month).
        whole_month = day.day == 1 and (last + pd.Timedelta(days=1)).day == 1
        same_month = (day.year, day.month) == (last.year, last.month)
        whole_year = (day.month, day.day, last.month, last.day) == (1, 1, 12, 31)
        if whole_month and same_month:
            text = f"{day:%Y-%m}"
        elif whole_year and day.year == last.year:
            text = f"{day:%Y}"
        elif precision == "day":
            text = f"{day:%Y-%m-%d} – {last:%Y-%m-%d}"
        elif precision == "month":  # known to the month: part of one month is that month
            text = f"{day:%Y-%m}" if same_month else f"{day:%Y-%m} – {last:%Y-%m}"
        else:
            text = f"{day:%Y}" if day.year == last.year else f"{day:%Y} – {last:%Y}"
    else:
        text = {"day": f"{day:%Y-%m-%d}", "month": f"{day:%Y-%m}", "year": f"{day:%Y}"}[precision]
    if approximate:
        text = ("约 " if lang == "zh" else "about ") + text
    return text


def number_text(value) -> str:
    """An integer with thousands separators (12,345); other numbers as they are."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return f"{int(value):,}"
    return str(value)


# ---------------------------------------------------------------- built once per corpus


def outlet_order(corpus: Corpus) -> tuple[str, ...]:
    """Outlets by article count in the whole corpus (ties by name), unknown last."""

    def build(articles: pd.DataFrame) -> tuple[str, ...]:
        counts = articles["source"].fillna(UNKNOWN_SOURCE).value_counts()
        ranked = sorted(counts.items(), key=lambda kv: (kv[0] == UNKNOWN_SOURCE, -kv[1], kv[0]))
        return tuple(str(s) for s, _ in ranked)

    return derived("labels.outlet_order", build, corpus.articles)


def labels_for(corpus: Corpus, lang: str) -> Labels:
    """The display names of ``corpus`` in ``lang`` (built once per corpus and language)."""
    lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG

    def build(entities: pd.DataFrame, articles: pd.DataFrame) -> Labels:
        names: dict[str, str] = {}
        countries: dict[str, str] = {}
        places: dict[str, str] = {}
        if len(entities) and lang == "en":
            kinds = entities["type"].to_numpy(dtype=object)
            for z, e, aliases, kind in zip(
                entities["name_zh"], entities["name_en"], entities["aliases"], kinds, strict=True
            ):
                if kind not in ("place", "country") or not _text(e):
                    continue
                listed = hasattr(aliases, "__len__") and not isinstance(aliases, str)
                spelled = [z, *(list(aliases) if listed else [])]
                for form in spelled:
                    if _text(form):
                        places.setdefault(_text(form), _text(e))
                        places.setdefault(to_simplified(_text(form)), _text(e))
        if len(entities):
            ids = entities["entity_id"].to_numpy(dtype=object)
            zh = entities["name_zh"].to_numpy(dtype=object)
            en = entities["name_en"].to_numpy(dtype=object)
            kinds = entities["type"].to_numpy(dtype=object)
            for eid, z, e, kind in zip(ids, zh, en, kinds, strict=True):
                if not isinstance(eid, str):
                    continue
                name = (_text(e) if lang == "en" else "") or _text(z)
                if kind == "country":
                    # A country's name: the gazetteer's, so the same code reads the same on
                    # every page and in every corpus (the entities table may hold a variant).
                    name = country_display_name(eid, lang) if eid.isupper() else name
                    if name == eid:
                        name = (_text(e) if lang == "en" else "") or _text(z) or eid
                    countries[eid] = name
                if name and eid not in names:
                    names[eid] = name
        outlets: dict[str, str] = {}
        if len(articles):
            pairs = articles[["source", "source_zh"]].drop_duplicates("source")
            for source, source_zh in pairs.itertuples(index=False, name=None):
                if isinstance(source, str) and source != UNKNOWN_SOURCE:
                    outlets[source] = (_text(source_zh) if lang == "zh" else "") or source
        return Labels(lang, countries, names, outlets, places, outlet_order(corpus))

    return derived(f"labels.labels_for:{lang}", build, corpus.entities, corpus.articles)
