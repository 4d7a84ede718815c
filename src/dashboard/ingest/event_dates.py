"""The dates of events on a page without a publication date (see ``event_rules``).

Relative dates (昨天, 19日, 上周) need the dispatch date; without one only dates written out in
full can be placed, with the year the text states.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from .timeexpr import TimeExpr, find_times

# A date written out in full: it needs no dispatch date (2024年6月19日; 6月19日 with a year
# stated elsewhere in the text).
_WRITTEN_OUT = re.compile(
    r"^(?:(?:19|20)\d\d|[〇零一二三四五六七八九]{4})\s*年|^[0-9０-９一二三四五六七八九十]{1,2}\s*月"
)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
_COUNTED_FROM = re.compile(r"((?:19|20)\d\d)\s*年\s*(?:(\d{1,2})\s*月)?[^。，,；;]{0,24}?以来")
_YEAR_AHEAD = re.compile(r"即将|将要|将|计划|预计|有望|目标")
_FULL_YEAR = re.compile(r"^(?:(?:19|20)\d\d|[〇零一二三四五六七八九]{4})\s*年")
# 继2015年11月和2017年11月之后第三次访问越南, 自2019年4月以来首次访华, 繼2016年1月之後再次訪問沙特:
# the dates a repeated event is counted from are the earlier times it happened.
_COUNTED_AFTER = re.compile(r"(?:继|自从|自|从)\s*$")
_COUNT_JOIN = re.compile(r"\s*(?:和|与|及|以及|、|，|,)?\s*")
_COUNT_REPEATS = re.compile(
    r"\s*(?:之后|以后|以来|后)的?\s*(?:[，,]?\s*时隔[^，,。]{1,6}?)?"  # 自2014年以后，时隔11年再次访韩
    r"(?:首次|首度|再次|再度|又一次|第[二三四五六七八九十\d]+[次度])"
)
# A clause ends at a comma, a semicolon or a colon (shared with event_rules).
CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_LIST_JOIN = re.compile(r"\s*(?:和|及|以及|、)\s*")
# A sentence: up to its end mark or the line's end (shared with event_rules).
SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def written_out_times(scope: str, text: str) -> list[TimeExpr]:
    """Without a publication date only dates written out in full can be placed: 2024年6月19日,
    or 6月19日 with the year its sentence states, else the latest year the text states (news
    give background years, 自2023年11月以来, before and beside the report's own). 昨天, 19日 or
    上周 need the dispatch date and are left out. Dates are read in ``scope`` (the text up to
    its last event word), years in the whole ``text``."""
    years = [(m.start(), int(m.group(1))) for m in _YEAR_IN_TEXT.finditer(text)]
    if not years:
        return []

    def in_year(year: int) -> list[TimeExpr]:
        # A month and day placed in that year (12月13日 of 2023 is 2023-12-13, though nearer
        # to mid-2023 in the year before); a date that states its own year keeps it.
        found = []
        for t in find_times(scope, date(year, 7, 1)):
            if not _WRITTEN_OUT.match(t.text):
                continue
            shift = 0 if _FULL_YEAR.match(t.text) else year - t.date.year
            found.append(_shifted(t, shift) if shift else t)
        return found

    by_year = {year: in_year(year) for year in {y for _, y in years}}
    sentences = [m.span() for m in SENTENCE.finditer(text)]
    # A year ahead (日韩在2025年即将迎来…60周年, 到2030年) is no candidate for the report's own.
    reported = [
        y
        for pos, y in years
        if not _YEAR_AHEAD.search(text, pos, pos + 14)
        and not _YEAR_AHEAD.search(text, max(0, pos - 6), pos)  # 两国计划在2026年前…
        and text[max(0, pos - 1) : pos] not in ("到", "至")
    ]
    latest = max(reported or [y for _, y in years])
    # 自2023年11月…以来的首次会晤: the report is later than the month it counts from, so its
    # 5月26日 is in 2024.
    since = max(((int(m[1]), int(m[2] or 1)) for m in _COUNTED_FROM.finditer(text)), default=None)
    chosen = []
    for t in by_year[years[0][1]]:
        if _FULL_YEAR.match(t.text):  # 2024年6月19日: its own year
            chosen.append(t)
            continue
        lo, hi = next(((a, b) for a, b in sentences if a <= t.start < b), (t.start, t.end))
        near = [y for pos, y in years if lo <= pos < hi]
        year = near[0] if near else latest
        if not near and since is not None and (year, t.date.month) <= since:
            year = since[0] + 1
            if year not in by_year:
                by_year[year] = in_year(year)
        chosen.append(next((u for u in by_year[year] if u.start == t.start), t))
    return chosen


def earlier_times(times: list[TimeExpr], text: str, lo: int, trig: int) -> list[TimeExpr]:
    """The dates before the event word at ``trig`` (its clause starts at ``lo``) that the event
    is counted from: 继X(和Y)之后第三次访问, 自X以来首次访华. Each is an earlier event of the same
    kind, pair and lead; a date followed by anything but another date or the count (自2020年
    疫情以来首次, 继2000年的柯林顿之后) is a reference point, not one."""
    inside = [t for t in times if lo <= t.start and t.end <= trig and not t.approximate]
    found: list[TimeExpr] = []
    i = 0
    while i < len(inside):
        j = i
        while j + 1 < len(inside) and _COUNT_JOIN.fullmatch(
            text, inside[j].end, inside[j + 1].start
        ):
            j += 1
        counted = _COUNT_REPEATS.match(text, inside[j].end)
        if (
            counted
            and _COUNTED_AFTER.search(text, max(lo, inside[i].start - 3), inside[i].start)
            and trig - counted.end() <= 14
            and not CLAUSE_BREAK.search(text, counted.end(), trig)
        ):
            found += inside[i : j + 1]
        i = j + 1
    return found


def listed_before(times: list[TimeExpr], text: str, t: TimeExpr) -> list[TimeExpr]:
    """The dates listed right before ``t`` with it (曾于2007年和2012年两次访问沙特: 2007年 for
    2012年): each is a time the same event happened."""
    i = next((k for k, u in enumerate(times) if u is t), None)
    found: list[TimeExpr] = []
    while i:
        before = times[i - 1]
        if (
            before.approximate
            or before.precision == "day"  # 17日和18日访问: one trip of two days
            or not _LIST_JOIN.fullmatch(text, before.end, times[i].start)
        ):
            break
        found.insert(0, before)
        i -= 1
    return found


def _shifted(t: TimeExpr, years: int) -> TimeExpr:
    def move(d: date) -> date:
        try:
            return d.replace(year=d.year + years)
        except ValueError:  # 2月29日 in a year without it
            return d.replace(year=d.year + years, day=28)

    return dataclasses.replace(t, date=move(t.date), date_end=move(t.date_end))
