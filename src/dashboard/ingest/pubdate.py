"""Publication dates: reading a date out of a line, and deciding an article's date.

An article's date is its dateline's month and day (朝中社平壤7月19日电) with the year from the
article's date line or the page; else the date line itself; else the page's own date
(metadata, header, footer); never later than the page's own date.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # cleaning reads the date patterns of this module
    from .cleaning import Line

# --- dates -------------------------------------------------------------------------------

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_number(s: str) -> int | None:
    """Small Chinese numerals as used in dates: 二〇二四, 七, 十九, 二十, 三十一."""
    if s.isdigit():
        return int(s)
    if all(ch in _CN_DIGITS for ch in s):  # digit by digit: 二〇二四
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    m = re.fullmatch(r"([一二三])?十([一二三四五六七八九])?", s)
    if m:
        return (_CN_DIGITS[m.group(1)] if m.group(1) else 1) * 10 + (
            _CN_DIGITS[m.group(2)] if m.group(2) else 0
        )
    return None


DATE_NUMBER = r"[0-9]{1,4}|[〇零○一二三四五六七八九十]{1,4}"
FULL_DATE = re.compile(
    rf"[(（]?(?P<y>(?:19|20)[0-9]{{2}}|[一二][〇零○一二三四五六七八九]{{3}})[)）]?\s*[-/.年]\s*(?P<m>{DATE_NUMBER})\s*[-/.月]\s*(?P<d>{DATE_NUMBER})(?![0-9])\s*日?"
)
MONTH_DAY = re.compile(
    rf"(?<![0-9年/\-.])(?P<m>{DATE_NUMBER})\s*月\s*(?P<d>{DATE_NUMBER})\s*[日号]"
)


def make_date(y: int | None, m: int | None, d: int | None) -> date | None:
    try:
        return date(y, m, d) if y and m and d else None
    except ValueError:
        return None


def parse_full_date(text: str) -> date | None:
    """The first year-month-day date in ``text`` (ISO, slashes, dots, 年月日, Chinese numerals,
    or an RFC 2822 feed date such as 'Mon, 12 Aug 2024 15:20:00 +0900')."""
    for m in FULL_DATE.finditer(text):
        d = make_date(cn_number(m["y"]), cn_number(m["m"]), cn_number(m["d"]))
        if d:
            return d
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError, IndexError):
        return None


def month_day_dates(text: str, year: int) -> list[date]:
    """Every explicit month-day date in ``text``, placed in ``year``."""
    found = []
    for m in FULL_DATE.finditer(text):
        d = make_date(cn_number(m["y"]), cn_number(m["m"]), cn_number(m["d"]))
        if d:
            found.append(d)
    for m in MONTH_DAY.finditer(text):
        d = make_date(year, cn_number(m["m"]), cn_number(m["d"]))
        if d:
            found.append(d)
    return found


def place_in_year(month: int, day: int, anchor: date | None) -> date | None:
    """Month and day with the year of ``anchor``, never later than ``anchor``."""
    if anchor is None:
        return None
    d = make_date(anchor.year, month, day)
    if d and d > anchor:
        d = make_date(anchor.year - 1, month, day)
    return d


def page_date_of(removed: list[str], lines: list[Line], meta_published: str) -> date | None:
    """The page's own date: metadata, else a date in the header or the boilerplate."""
    d = parse_full_date(meta_published) if meta_published else None
    if d:
        return d
    header = [ln.simplified for ln in lines[:2] if ln.kind != "dateline"]
    for text in [*removed, *header]:
        d = parse_full_date(text)
        if d:
            return d
    return None
