"""What days, weeks, months, years and counted lengths of time stand for (see timeexpr).

Each resolver gets (match, ctx) and returns (date, date_end, precision, approximate, basis) or
None; ``ctx`` (time_calendar._Ctx) holds the dispatch date and what the passage said before.
"""

from __future__ import annotations

from datetime import date, timedelta

from .time_calendar import (
    _CNT,
    _WEEKDAYS,
    _add_months,
    _closest,
    _month_end,
    _num,
    _safe_date,
    _span,
    _window,
    _year,
)


def _r_ymd(m, c):
    d = _safe_date(_year(m["y"], c.anchor), _num(m["m"]), _num(m["d"]))
    return d and (d, d, "day", False, "absolute")


def _r_ym(m, c):
    y, mo = _year(m["y"], c.anchor), _num(m["m"])
    if not 1 <= mo <= 12:
        return None
    return date(y, mo, 1), _month_end(y, mo), "month", False, "absolute"


def _r_y(m, c):
    y = _year(m["y"], c.anchor)
    return date(y, 1, 1), date(y, 12, 31), "year", False, "absolute"


def _r_year_range(m, c):  # 2020至2025年: the first year has no 年 of its own
    y1, y2 = _num(m["y1"]), _num(m["y2"])
    if not 1000 <= y1 < y2 <= 2999:
        return None
    return date(y1, 1, 1), date(y2, 12, 31), "year", False, "absolute"


_REL_YEAR = {"今年": 0, "本年": 0, "去年": -1, "前年": -2, "大前年": -3, "明年": 1}
# Years counted from the year just mentioned (同年5月); 当年 alone means "back then", only
# 当年9月 is a date. Not in other words: 不同年龄, 一次年会.
_PASSAGE_YEAR = {
    "同年": 0,
    "当年": 0,
    "次年": 1,
    "翌年": 1,
    "第二年": 1,
    "下一年": 1,
    "前一年": -1,
    "上一年": -1,
}


def _r_rel_year(m, c):
    word = m["ry"]
    if word in _REL_YEAR:
        y, basis = c.anchor.year + _REL_YEAR[word], "dispatch"
    elif word == "当年" and (c.last is None or m["m"] is None):
        return None  # 当年 alone is "back then" (杜特蒂当年采取...); 当年9月 is that year's
    elif c.last is not None:
        y, basis = c.last.year + _PASSAGE_YEAR[word], "passage"
    else:
        y, basis = c.anchor.year + _PASSAGE_YEAR[word], "passage"
    if m["m"] is None:
        return date(y, 1, 1), date(y, 12, 31), "year", False, basis
    mo = _num(m["m"])
    if not 1 <= mo <= 12:
        return None
    if m["d"] is None:
        return date(y, mo, 1), _month_end(y, mo), "month", False, basis
    d = _safe_date(y, mo, _num(m["d"]))
    return d and (d, d, "day", False, basis)


_REL_MONTH = {
    "本月": 0,
    "这个月": 0,
    "上月": -1,
    "上个月": -1,
    "上上个月": -2,
    "上上月": -2,
    "下月": 1,
    "下个月": 1,
}
_PASSAGE_MONTH = {"当月": 0, "同月": 0, "次月": 1, "翌月": 1}


def _r_rel_month(m, c):
    word = m["rm"]
    if word in _PASSAGE_MONTH:
        base = _add_months((c.last or c.anchor).replace(day=1), _PASSAGE_MONTH[word])
        basis = "passage"
    else:
        base = _add_months(c.anchor.replace(day=1), _REL_MONTH[word])
        basis = "dispatch"
    y, mo = base.year, base.month
    if m["d"] is None:
        return date(y, mo, 1), _month_end(y, mo), "month", False, basis
    d = _safe_date(y, mo, _num(m["d"]))
    return d and (d, d, "day", False, basis)


# A month or a month and day without a year is the dispatch's year (news write the year when
# it is another: 去年12月, 2023年9月), unless it falls this far after the dispatch: a
# January report's 12月30日 is last December's. (JioNLP reads the year the same way.)
YEAR_AHEAD_DAYS = 270
# A bare day (30日) is the dispatch's month (a day of another month is written with its
# month), unless it falls this far after the dispatch: on the 2nd, 30日 is last month's.
MONTH_AHEAD_DAYS = 20
# Across the turn of a year or month, a date this close ahead is the coming one: 1月5日 in a
# report of 30 December, 2日 in one of 30 July.
NEXT_YEAR_WITHIN_DAYS = 20
NEXT_MONTH_WITHIN_DAYS = 7


def _in_dispatch_year(make, anchor: date) -> date | None:
    """``make(year)`` (a month's first day, a month and day) in the dispatch's year; the year
    before when that falls more than YEAR_AHEAD_DAYS after ``anchor``, the year after when
    that falls within NEXT_YEAR_WITHIN_DAYS after it. None when ``make`` has no such day."""
    d = make(anchor.year)
    if d is not None and (d - anchor).days > YEAR_AHEAD_DAYS:
        return make(anchor.year - 1)
    ahead = make(anchor.year + 1)
    if ahead is not None and (ahead - anchor).days <= NEXT_YEAR_WITHIN_DAYS:
        return ahead
    return d


def _month_day(mo: int, dd: int, c) -> date | None:
    """A month and day without a year: the end of a range takes the first such day on or after
    its start; otherwise the dispatch's year unless far ahead (YEAR_AHEAD_DAYS)."""
    if c.range_from is not None:
        y = c.range_from.year
        cands = [d for yy in (y, y + 1) if (d := _safe_date(yy, mo, dd)) and d >= c.range_from]
        return cands[0] if cands else None
    if c.list_year is not None:  # an item of a list: the first item's year
        return _safe_date(c.list_year, mo, dd)
    d = _in_dispatch_year(lambda year: _safe_date(year, mo, dd), c.anchor)
    if d is None:  # 2月29日 of a year without it: the nearest year with one
        y = c.anchor.year
        cands = [d for yy in (y - 1, y + 1) if (d := _safe_date(yy, mo, dd))]
        return _closest(cands, c.anchor) if cands else None
    return d


def _r_md(m, c):
    d = _month_day(_num(m["m"]), _num(m["d"]), c)
    return d and (d, d, "day", False, "absolute")


def _r_month(m, c):
    mo = _num(m["m"])
    if not 1 <= mo <= 12:
        return None
    if c.range_from is not None:  # 2017年8月至11月: the first such month from the start on
        first = date(c.range_from.year, mo, 1)
        if first < c.range_from.replace(day=1):
            first = date(first.year + 1, mo, 1)
    elif c.list_year is not None:  # an item of a list: the first item's year
        first = date(c.list_year, mo, 1)
    else:  # counted in months: the next year's is never within NEXT_YEAR_WITHIN_DAYS
        first = _in_dispatch_year(lambda year: date(year, mo, 1), c.anchor.replace(day=1))
    return first, _month_end(first.year, first.month), "month", False, "absolute"


def _day_of_month(dd: int, c) -> date | None:
    if c.range_from is not None:  # 4月10日至13日, 30日至2日: the first such day from the start
        for k in (0, 1):
            base = _add_months(c.range_from.replace(day=1), k)
            d = _safe_date(base.year, base.month, dd)
            if d and d >= c.range_from:
                return d
        return None
    this_month = c.anchor.replace(day=1)
    d = _safe_date(this_month.year, this_month.month, dd)
    if d is None or (d - c.anchor).days > MONTH_AHEAD_DAYS:  # last month's (see there)
        last_month = _add_months(this_month, -1)
        return _safe_date(last_month.year, last_month.month, dd)
    next_month = _add_months(this_month, 1)
    ahead = _safe_date(next_month.year, next_month.month, dd)
    if ahead and (ahead - c.anchor).days <= NEXT_MONTH_WITHIN_DAYS:
        return ahead
    return d


def _r_day(m, c):
    d = _day_of_month(_num(m["d"]), c)
    return d and (d, d, "day", False, "dispatch")


def _r_range_end_day(m, c):  # 九号到十五号: a bare N号 is a day only as the end of a range
    return _r_day(m, c) if c.range_from is not None else None


def _r_day_range(m, c):
    """8至9日, 12-19日, 7、8日, 5月7到8日: the first day has no 日 of its own."""
    d1, d2 = _num(m["d1"]), _num(m["d2"])
    start = _month_day(_num(m["m"]), d1, c) if m["m"] else _day_of_month(d1, c)
    if start is None or not d1 < d2 <= 31:
        return None
    end = _safe_date(start.year, start.month, d2)
    return end and (start, end, "day", False, "absolute" if m["m"] else "dispatch")


_WEEK_SHIFT = {"上上": -2, "上": -1, "本": 0, "这": 0, "下": 1, "下下": 2}


def _r_weekday(m, c):
    wd_s = m["wd"]
    wd = int(wd_s) - 1 if wd_s.isdigit() else _WEEKDAYS[wd_s]
    if wd_s.isdigit() and not 0 <= wd <= 6:
        return None
    anchor = c.anchor
    if m.re.groupindex.get("wk") and m["wk"]:
        monday = anchor - timedelta(days=anchor.weekday())
        d = monday + timedelta(days=7 * _WEEK_SHIFT[m["wk"]] + wd)
    elif c.range_from is not None:  # 周一至周五: the first such weekday from the start on
        d = c.range_from + timedelta(days=(wd - c.range_from.weekday()) % 7)
    else:  # a bare weekday: the latest one on or before the dispatch date
        d = anchor - timedelta(days=(anchor.weekday() - wd) % 7)
    return d, d, "day", False, "dispatch"


def _r_last_week(m, c):
    monday = (
        c.anchor - timedelta(days=c.anchor.weekday()) + timedelta(days=7 * _WEEK_SHIFT[m["wk"]])
    )
    return monday, monday + timedelta(days=6), "month", False, "dispatch"


def _r_weekend(m, c):  # 上周末: that week's Saturday and Sunday
    monday = (
        c.anchor - timedelta(days=c.anchor.weekday()) + timedelta(days=7 * _WEEK_SHIFT[m["wk"]])
    )
    return monday + timedelta(days=5), monday + timedelta(days=6), "day", False, "dispatch"


_REL_DAY = {
    "今天": 0,
    "今日": 0,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "大前天": -3,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "大后天": 3,
    # a day-part word keeps its day
    "昨晚": -1,
    "昨夜": -1,
    "昨晨": -1,
    "今晨": 0,
    "今早": 0,
    "今晚": 0,
    "今夜": 0,
    "明晚": 1,
    "明早": 1,
    "明晨": 1,
}


def _r_rel_day(m, c):
    d = c.anchor + timedelta(days=_REL_DAY[m["rd"]])
    return d, d, "day", False, "dispatch"


def _r_today_tomorrow(m, c):  # 今明两天, 今明两年
    a = c.anchor
    if m["u"] == "年":
        return date(a.year, 1, 1), date(a.year + 1, 12, 31), "year", False, "dispatch"
    return a, a + timedelta(days=1), "day", False, "dispatch"


_PASSAGE_DAY = {
    "前一天": -1,
    "前一日": -1,
    "头一天": -1,
    "次日": 1,
    "隔日": 1,
    "翌日": 1,
    "隔天": 1,
    "第二天": 1,
    "第二日": 1,
    "次晨": 1,
    "翌晨": 1,
    "当天": 0,
    "当日": 0,
    "同日": 0,
    "同一天": 0,
    "同一日": 0,
    "同天": 0,
    "当晚": 0,
    "当夜": 0,
}


def _r_passage_day(m, c):
    d = (c.prev or c.anchor) + timedelta(days=_PASSAGE_DAY[m["pd"]])
    return d, d, "day", False, "passage"


def _r_time_of_day(m, c):
    """下午2时, 当地时间晚上8点, 15:37 with no day: the day the passage is about (the day
    named last), else the report's; none after a coarser time in its sentence (2019年5月的
    一个晚上)."""
    if c.coarse:
        return None
    d = c.prev or c.anchor
    return d, d, "day", False, "passage"


_VAGUE = {  # days before the dispatch date: (earliest, latest)
    "日前": (14, 0),
    "近日": (10, 0),
    "连日": (10, 0),
    "近期": (30, 0),
    "最近": (30, 0),
    "不久前": (60, 0),
    "前不久": (60, 0),
    # 稍早抵达: earlier on the report's day (or the night before, across time zones)
    "稍早前": (1, 0),
    "稍早": (1, 0),
    "早些时候": (1, 0),
}


def _r_vague(m, c):
    early, late = _VAGUE[m["vg"]]
    a = c.anchor
    return _window(m, a - timedelta(days=early), a - timedelta(days=late), "dispatch")


# --- counted lengths of time: 三天, 两个半月, 三个多月, 二十几年, 3年半 ----------------------

_UNIT = {"天": "d", "日": "d", "周": "w", "星期": "w", "礼拜": "w", "月": "m", "年": "y"}
# 月 counts only after 个/半/多 (三个月, 半月, 三个多月): 3月前 is "before March".
_COUNT = (
    rf"(?:(?P<n>{_CNT})(?P<more>多|余)?|(?P<half0>半))个?(?P<mid>半|多)?"
    r"(?P<unit>天|周|星期|礼拜|年|(?<=[个半多])月)(?P<post>多|半)?"
)
_COUNT_START = "[0-9０-９零一二三四五六七八九十两百几半]"
# Not a count of its own: part of a larger number, an ordinal, or a length (时隔, 为期).
_COUNT_BEFORE = r"(?<![0-9０-９〇零一二三四五六七八九十百两几第隔违别续期达])"


def _quantity(m) -> tuple[float, float, bool] | None:
    """(least, most, vague) of a counted length; None when too vague (几年, 几十年)."""
    if m["half0"]:
        lo = 0.0
    else:
        n = m["n"]
        if "几" in n:
            head, _, tail = n.partition("几")
            if tail or not head.endswith("十"):
                return None
            base = _num(head)
            return base + 1, base + 9, True
        lo = float(_num(n))
        if not lo:
            return None  # 零年
    hi, vague = lo, False
    if m["half0"] or "半" in (m["mid"], m["post"]):
        lo = hi = lo + 0.5
    if "多" in (m["mid"], m["post"]):  # 三个多月, 三年多: between three and four
        hi, vague = lo + 1, True
    elif m["more"]:  # 二十多年, 十余天: 20 to 29, 10 to 19; 三多年 is not Chinese
        step = 100 if lo >= 100 and lo % 100 == 0 else 10 if lo >= 10 and lo % 10 == 0 else 0
        if not step:
            return None
        hi, vague = lo + step - 1, True
    return lo, hi, vague


def _shift(d: date, unit: str, x: float) -> date:
    if unit == "d":
        return d + timedelta(days=round(x))
    if unit == "w":
        return d + timedelta(days=round(7 * x))
    months = x * 12 if unit == "y" else x
    whole = int(months)
    return _add_months(d, whole) + timedelta(days=round(30.4 * (months - whole)))


def _r_ago(m, c):
    """3天前 (a day), 两周前 (that calendar week), 一个月前 (a window around that day),
    三年前 (that calendar year), 三个多月前 (from four months back to three)."""
    q = _quantity(m)
    if q is None:
        return None
    lo, hi, vague = q
    unit, a = _UNIT[m["unit"]], c.anchor
    if unit == "y" and lo == int(lo) and hi == int(hi):
        return (
            date(a.year - int(hi), 1, 1),
            date(a.year - int(lo), 12, 31),
            "year",
            True,
            "dispatch",
        )
    if vague:
        return _window(m, _shift(a, unit, -hi), _shift(a, unit, -lo), "dispatch")
    if unit == "d":
        if lo != int(lo):
            return None
        d = a - timedelta(days=int(lo))
        return d, d, "day", False, "dispatch"
    if unit == "w" and lo == int(lo):
        return _calendar_week(m, _shift(a, unit, -lo), "dispatch")
    center = _shift(a, unit, -lo)
    half = {"w": max(2, round(2 * lo)), "m": max(7, round(15 * lo)), "y": 91}[unit]
    return _window(m, center - timedelta(days=half), center + timedelta(days=half), "dispatch")


def _calendar_week(m, day: date, basis: str) -> tuple:
    """三周前, 4周后: the calendar week (Monday to Sunday) that holds the day that many weeks
    away, as for 上周 and 下周 (and as the peer library JioNLP reads them)."""
    monday = day - timedelta(days=day.weekday())
    return _window(m, monday, monday + timedelta(days=6), basis)


def _r_after(m, c):
    """两天后 (a day), 两周后 (that calendar week), 三个月后 (a window), 三年后 (that year),
    counted from the date just mentioned (2015年…，两年后再次访华 is 2017; after the dispatch
    date, an event's date is a plan and dropped as one)."""
    q = _quantity(m)
    if q is None:
        return None
    lo, hi, vague = q
    unit, base = _UNIT[m["unit"]], c.prev or c.anchor
    if m["unit"] == "年":
        if vague or lo != int(lo):  # 几年后, 三年半后: no year to name
            return None
        # 建交50年后: after a happening whose year is not told, no year to name
        if c.last is None and m.start() > 0 and "\u4e00" <= m.string[m.start() - 1] <= "\u9fff":
            return None
        # from the year of the date just mentioned (2015年…，两年后), else the dispatch's
        year = (c.last or c.anchor).year + int(lo)
        return date(year, 1, 1), date(year, 12, 31), "year", False, "passage"
    if vague:
        return _window(m, _shift(base, unit, lo), _shift(base, unit, hi), "passage")
    if unit == "d":
        if lo != int(lo):
            return None
        d = base + timedelta(days=int(lo))
        return d, d, "day", False, "passage"
    if unit == "w" and lo == int(lo):
        return _calendar_week(m, _shift(base, unit, lo), "passage")
    center = _shift(base, unit, lo)
    half = {"w": max(2, round(2 * lo)), "m": max(7, round(15 * lo))}[unit]
    return _window(m, center - timedelta(days=half), center + timedelta(days=half), "passage")


def _r_offset(m, c):
    return _r_ago(m, c) if m["dir"] == "前" else _r_after(m, c)


def _r_past(m, c):
    """近30天, 过去一周, 过去三个多月: from that long before the dispatch date to it."""
    q = _quantity(m)
    if q is None:
        return None
    lo, hi, vague = q
    a = c.anchor
    return _span(_shift(a, _UNIT[m["unit"]], -hi), a, vague, "dispatch")


def _r_future(m, c):
    """未来7天, 今后10年: from the dispatch date on, for that long."""
    q = _quantity(m)
    if q is None:
        return None
    lo, hi, vague = q
    a = c.anchor
    return _span(a, _shift(a, _UNIT[m["unit"]], hi) - timedelta(days=1), vague, "dispatch")
