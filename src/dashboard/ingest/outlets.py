"""The outlet registry (``data/outlets.csv``): who published an article.

The registry is edited by hand; every alias is matched after Traditional -> Simplified
conversion and case folding, so one row covers 韩联社 / 韓聯社 / Yonhap.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs

from ..common.textnorm import to_simplified
from ..tables.paths import OUTLETS_CSV
from .cleaning import BYLINE, BYLINE_MAX, DATE_LINE_SOURCE, TERMINAL, Line, has_body

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outlet:
    id: str
    name_zh: str
    name_en: str
    country: str
    kind: str
    aliases: tuple[str, ...]


def _key(alias: str) -> str:
    if alias.isascii():
        return " ".join(alias.split()).casefold()
    return re.sub(r"\s+", "", to_simplified(alias)).casefold()


class OutletRegistry:
    def __init__(self, outlets: list[Outlet]):
        self.outlets = {o.id: o for o in outlets}
        self._by_alias: dict[str, Outlet] = {}
        for outlet in outlets:
            for alias in (outlet.id, outlet.name_zh, outlet.name_en, *outlet.aliases):
                if alias:
                    self._by_alias.setdefault(_key(alias), outlet)
        # Longest alias first so 韩国联合通讯社 wins over 联合通讯社.
        han_aliases = sorted((a for a in self._by_alias if not a.isascii()), key=len, reverse=True)
        latin_aliases = sorted((a for a in self._by_alias if a.isascii()), key=len, reverse=True)
        self._alias_keys = list(self._by_alias)
        # Aho-Corasick scans the whole article once for every alias (a regex alternation of
        # hundreds of aliases costs ~100x more on long texts).
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._alias_keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        self._prefix_re = re.compile("|".join(re.escape(a) for a in han_aliases))
        # Latin aliases must stand as words: "AP" is not the start of "APEC".
        self._latin_re = re.compile(
            r"(?<![A-Za-z])("
            + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in latin_aliases)
            + r")(?![A-Za-z])",
            re.IGNORECASE,
        )

    @classmethod
    def load(cls, path: Path = OUTLETS_CSV) -> OutletRegistry:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        return cls(
            [
                Outlet(
                    id=r["id"].strip(),
                    name_zh=r["name_zh"].strip(),
                    name_en=r["name_en"].strip(),
                    country=r["country"].strip(),
                    kind=r["kind"].strip(),
                    aliases=tuple(a.strip() for a in r["aliases"].split("|") if a.strip()),
                )
                for r in rows
                if r.get("id")
            ]
        )

    def lookup(self, name: str) -> Outlet | None:
        """Exact lookup of a whole name (record metadata, a byline)."""
        name = name.strip().strip("《》〈〉「」『』“”\"'")
        if not name:
            return None
        key = _key(name)
        if key in self._by_alias:
            return self._by_alias[key]
        # Metadata often decorates the name: "新华网 - 国际频道", "Reuters.com".
        m = self._prefix_re.match(key) or self._latin_re.match(key)
        return self._by_alias.get(_key(m.group(0))) if m else None

    def match_prefix(self, text: str) -> tuple[Outlet, int] | None:
        """The outlet named at the very start of ``text`` (a dateline) and the length matched.

        ``text`` must be Simplified already; the returned length counts characters of it.
        """
        m = self._prefix_re.match(text) or self._latin_re.match(text)
        if not m:
            return None
        return self._by_alias[_key(m.group(0))], m.end()

    def find_all(self, text: str) -> list[Outlet]:
        """Every outlet named anywhere in ``text`` (Simplified), in order, without repeats."""
        seen: dict[str, Outlet] = {}
        folded = text.casefold()
        for index, start, end in self._automaton.find_matches_as_indexes(folded):
            alias = self._alias_keys[index]
            # A Latin alias must stand as a word: "AP" is not inside "APEC".
            if alias.isascii() and (
                (start > 0 and folded[start - 1].isalpha() and folded[start - 1].isascii())
                or (end < len(folded) and folded[end].isalpha() and folded[end].isascii())
            ):
                continue
            outlet = self._by_alias[alias]
            seen.setdefault(outlet.id, outlet)
        return list(seen.values())


@lru_cache(maxsize=4)
def load_registry(path: Path = OUTLETS_CSV) -> OutletRegistry:
    return OutletRegistry.load(path)


_DASH_BYLINE = re.compile(r"^[^，。,]{2,24}?\s*[—–－]{1,2}")
_SAYS = re.compile(r"报道|报导|称|说|表示|透露|指出")


def byline_outlet(line: Line, registry: OutletRegistry) -> Outlet | None:
    """The outlet a byline-like line names: 来源：X, 【X报道】, a date line's 来源, a short line
    opening with an outlet name (美国之音中文网/记者林澄), or 美国之音华盛顿— before the text."""
    s = line.simplified
    name = ""
    m = BYLINE.match(s)
    if m:
        name = m["src"] or m["bracket"] or ""
    elif line.kind == "date":
        src = DATE_LINE_SOURCE.search(s)
        name = src["src"] if src else ""
    if name:
        return registry.lookup(name)
    short = len(s) <= BYLINE_MAX and not s.endswith(TERMINAL) and not _SAYS.search(s)
    dash = _DASH_BYLINE.match(s)
    if short or dash:
        hit = registry.match_prefix(s)
        if hit and (short or dash.end() >= hit[1]):
            return hit[0]
    return None


def outlet_of_page(
    lines: list[Line], removed: list[str], registry: OutletRegistry, masthead: str = ""
) -> Outlet | None:
    """An outlet the page names outside any report: a masthead line above the first paragraph
    or a copyright footer (© 2024 BBC, 人民网版权所有). Used only for single-report pages."""
    for ln in lines:
        if has_body([ln]):
            break
        outlet = byline_outlet(ln, registry)
        if outlet:
            return outlet
    for text in removed:
        if re.search(r"©|版权所有|copyright", text, re.IGNORECASE):
            found = registry.find_all(text)
            if found:
                return found[0]
    if masthead:
        found = registry.find_all(to_simplified(masthead))
        if found:
            return found[0]
    return None
