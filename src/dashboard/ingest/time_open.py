"""Open-ended ranges: what a date expression means together with the word after it.

``2019年5月8日起``, ``从去年9月起``, ``2001年以来``, ``从2001年起至今``: from that date up to the
dispatch date. ``明年6月之前``, ``年底前``, ``二〇三五年前`` (a date still to come): from the
dispatch date up to it. ``三个多月以来``, ``3年半以来``: a length of time up to the dispatch date;
``17天内``, ``两个半月以内``: a length of time from it.

The events stage does not read these: a date before 以来 or 起 is a reference point there
(这是2001年以来首次访问 dates nothing), and 年底前访问 is a plan, not a visit. The ``dates``
command reports them, as a reader of the expression would (the ranges JioNLP's time parser
returns for the same words).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from .time_calendar import _S, _add_months
from .time_resolvers import _CNT, _COUNT, _COUNT_BEFORE, _UNIT, _quantity
from .timeexpr import _DAY_PART, TimeExpr

# Up to now: 起, 开始, 以来, 至今, 起至今 (after a date that is not in the future); not the
# 起 of a word (2019年起草的协议, 5日起飞).
_SINCE_AFTER = re.compile(
    rf"(?:{_S}{_DAY_PART})?{_S}(?:起至今|起(?![草诉飞义来步源因火航])|开始|以来|至今|迄今)"
)
# Until then: 前, 之前, 以前 (after a date still to come); not 前三季度, 前两天 (a count).
_UNTIL_AFTER = re.compile(
    rf"(?:{_S}{_DAY_PART})?{_S}(?:之前|以前|前)(?![0-9０-９一二三四五六七八九十两几半个])"
)
# A length of time up to now or from now: 三个多月以来, 3年来; 17天内, 两个半月以内.
_LENGTH_SINCE = re.compile(rf"{_COUNT_BEFORE}{_COUNT}{_S}(?:以来|来)")
# Days are counted with 日 too where 内 follows (60日内); elsewhere 3日 is the third.
_DAYS = rf"(?P<n>{_CNT})(?P<more>)(?P<half0>)(?P<mid>)(?P<unit>日)(?P<post>)"
_LENGTH_WITHIN = [
    re.compile(rf"(?<![近过去来后]){_COUNT_BEFORE}{length}{_S}(?:之内|以内|内)")
    for length in (_COUNT, _DAYS)
]


def with_open_ranges(text: str, times: list[TimeExpr], anchor: date) -> list[TimeExpr]:
    """``times`` (``find_times(text, anchor)``) with each open-ended range widened, and the
    lengths of time up to or from the dispatch date added, left to right."""
    out = []
    for t in times:
        since = _SINCE_AFTER.match(text, t.end)
        until = None if since else _UNTIL_AFTER.match(text, t.end)
        if since and t.date <= anchor and not t.approximate:
            t = _widened(text, t, since.end(), t.date, max(anchor, t.date_end))
        elif until and t.date_end > anchor:
            t = _widened(text, t, until.end(), anchor, t.date_end)
        out.append(t)
    found = [*_LENGTH_SINCE.finditer(text)]
    found += [m for rx in _LENGTH_WITHIN for m in rx.finditer(text)]
    for m in found:
        if any(t.start < m.end() and m.start() < t.end for t in out):
            continue  # part of an expression already read (近5年来, 三天前)
        span = _length_span(m, anchor, since=m.re is _LENGTH_SINCE)
        if span:
            first, last = span
            precision = "day" if first == last else "month" if (last - first).days <= 62 else "year"
            out.append(
                TimeExpr(
                    m.start(),
                    m.end(),
                    m.group(),
                    first,
                    last,
                    precision,
                    "多" in m.group(),
                    "dispatch",
                )
            )
    return sorted(out, key=lambda t: t.start)


def _widened(text: str, t: TimeExpr, end: int, first: date, last: date) -> TimeExpr:
    precision = "day" if first == last else "month" if (last - first).days <= 62 else "year"
    return TimeExpr(
        t.start, end, text[t.start : end], first, last, precision, t.approximate, t.basis
    )


def _length_span(m: re.Match, anchor: date, since: bool) -> tuple[date, date] | None:
    q = _quantity(m)
    if q is None:
        return None
    least = q[0]
    unit = _UNIT[m["unit"]]
    whole = least == int(least)
    if since:  # from the start of the day, month or year that far back
        if unit == "d":
            return anchor - timedelta(days=int(least)), anchor
        if unit == "w":
            return anchor - timedelta(days=round(7 * least)), anchor
        months = int(round(least * (12 if unit == "y" else 1)))
        back = _add_months(anchor, -months)
        if unit == "y" and whole:
            return date(back.year, 1, 1), anchor
        return back.replace(day=1), anchor
    # within: from the dispatch date for that long
    if unit == "d":
        return anchor, anchor + timedelta(days=int(least))
    if unit == "w":
        return anchor, anchor + timedelta(days=round(7 * least))
    months = least * (12 if unit == "y" else 1)
    end = _add_months(anchor, int(months)) + timedelta(days=round(30.4 * (months - int(months))))
    if unit == "y":  # 3年半以内: to the end of that month
        end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    return anchor, end
