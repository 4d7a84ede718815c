"""Numbers, calendar arithmetic and the patterns shared by the date rules (see timeexpr)."""

from __future__ import annotations

import calendar
from datetime import date

import cn2an

_S = r"[ \t\u3000\u00a0]*"  # optional spacing between the parts of an expression
_CN_DIGITS = "〇零一二三四五六七八九"
DATE_NUMBER = r"(?:[0-9０-９]{1,2}|[零一二三四五六七八九十两]{1,3})"
_YEAR = r"(?:[0-9０-９]{4}|[〇零一二三四五六七八九]{4})"
# A two-digit year (15年, 九七年): digit by digit, never 十五年 (a length of time).
_YEAR2 = r"(?:[0-9０-９]{2}|[〇零一二三四五六七八九]{2})"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WD = r"[一二三四五六日天1-7]"
# A count of days, weeks, months or years (三, 二十, 十几, 120).
_CNT = r"(?:[0-9０-９]{1,3}|[零一二三四五六七八九十两百几]{1,5})"
# Range signs between the start and the end of a range.
_TO = r"(?:至|到|~|～|－|-|—+|–)"


def _num(s: str) -> int:
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if all(ch in _CN_DIGITS for ch in s):  # 二〇二四: digit by digit
        return int("".join(str(max(0, _CN_DIGITS.index(ch) - 1)) for ch in s))
    return int(cn2an.cn2an(s, "smart"))


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, months: int) -> date:
    idx = d.year * 12 + d.month - 1 + months
    y, m = divmod(idx, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _closest(candidates: list[date], anchor: date) -> date:
    # News mostly reports the past: a future candidate counts twice as far away.
    def cost(d: date) -> int:
        delta = (d - anchor).days
        return 2 * delta if delta > 0 else -delta

    return min(candidates, key=cost)


def _year(s: str, anchor: date) -> int:
    """A written year; two digits (15, 九七) take the century that puts the year closest to the
    anchor, a future year counting three times as far (98年 in 2024 is 1998, 25年 is 2025)."""
    y = _num(s)
    if len(s) != 2:
        return y
    base = anchor.year // 100 * 100 + y
    return min(
        (base - 100, base, base + 100),
        key=lambda c: 3 * (c - anchor.year) if c > anchor.year else anchor.year - c,
    )


def _precision(start: date, end: date) -> str:
    span = (end - start).days
    return "day" if span == 0 else "month" if span <= 62 else "year"


def _window(expr, start: date, end: date, basis: str) -> tuple:
    span = (end - start).days
    precision = "month" if span <= 62 else "year"
    return start, end, precision, True, basis


def _span(start: date, end: date, approx: bool, basis: str) -> tuple:
    return start, end, _precision(start, end), approx, basis


# Parts of a day (a time of day alone is read by time_rules, one after a day by timeexpr).
DAY_PARTS = "凌晨|清晨|早晨|早上|上午|中午|午间|午后|下午|傍晚|晚上|晚间|夜间|夜里|深夜|午夜"


class _Ctx:
    """What a resolver may read besides its match: the dispatch date, the last exact day of
    the passage (for 次日), the start of the last expression (for 同年, 当月), the start of
    the range this expression ends (for 2017年8月11日至22日), and the year of the list item
    before it (for 去年3月、5月和6月)."""

    __slots__ = ("anchor", "prev", "last", "range_from", "list_year", "coarse")

    def __init__(self, anchor: date, prev: date | None):
        self.anchor = anchor
        self.prev = prev
        self.last: date | None = prev
        self.range_from: date | None = None
        self.list_year: int | None = None
        # The sentence so far named a time coarser than a day (2019年5月, 去年夏天): a time of
        # day after it (的一个晚上) is some day of that time, not a day we can tell.
        self.coarse = False
