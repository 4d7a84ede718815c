"""Chinese date expressions in news text, resolved as a careful reader would.

``find_times(text, anchor)`` returns every date expression of a passage with the date it
stands for. ``anchor`` is the article's dispatch (publication) date. The kinds of reference:

- absolute: ``2024年7月18日``, ``2024-07-18``, ``7月18日`` (year: the one of {anchor year - 1,
  anchor year, + 1} that puts the date closest to the anchor), ``18日`` (month: the one that
  puts the day closest to the anchor, past days preferred because news reports the past),
  ``星期四(7月18日)`` (the bracketed date wins; the weekday only joins the expression),
  ``09-01`` / ``09/01`` (zero-padded month-day), ``6·30``, ``“6.30”`` and ``9.16大马日``
  (a dotted month-day only where it names a day: a decimal point is far commoner);
  two-digit years ``15年3月2日``, ``98年4月``, ``19年底`` (the century that puts the year
  closest to the anchor, the past preferred; a bare ``10年`` is a length of time, as in
  时隔10年, never a year); decades and centuries ``上世纪80年代``, ``1960年代``, ``18世纪``;
- relative to the dispatch date: 今天/今日, 昨天, 前天, 大前天, 大后天, 昨晚, 今晨 (a day-part
  word keeps its day), 本月9日, 上月19日, 今年6月, 去年, 上周五, 上上周, 周六 (the latest such
  weekday on or before the anchor), 3天前, 三年前, 一季度, 上季度, 年底;
- relative to the date just mentioned in the passage: 前一天, 次日, 隔日, 翌日, 第二天, 当天,
  当晚, 两天后, 两周后, 同月, 同年, 当年, 次年, 翌年 (fall back to the dispatch date when no
  date came before; 当年 alone, "back then", needs one);
- parts of a period, after a year or a month or on their own (then of the dispatch year or
  month): 年初, 年底/年末, 伊始, 上半年/下半年, 第三季度, 前三季度, 前五个月, 首月, 上旬/中旬/下旬,
  月初, 月底/月末;
- windows: 近30天, 近三个月, 过去一周 (up to the dispatch date), 未来5年, 今后10年 (from it);
  not 6个月来 / 近5年来 / 三个多月以来, a length of time up to now (来的首次访问);
- ranges: ``2019年3月2日至3月9日``, ``2017年8月11日至22日``, ``8月11日-22日``, ``8至9日``,
  ``2018年1-9月``, ``2017年8月至11月``, ``2008年——2018年``, ``从上个月到今天``: one expression
  from the first day of the start to the last day of the end; the end keeps the start's year
  and month and is the first such date on or after the start; the precision is the start's;
- vague: 日前, 近日, 近期, 不久前, 一个月前, 两周前, 三个多月前: an approximate *window* with
  ``approximate=True`` and a coarse precision, never a false exact day.

Every result carries ``date`` (the first day), ``date_end`` (the last day; equal to ``date``
for an exact day), ``precision`` (day | month | year; windows of up to about two months are
'month', longer ones 'year'), ``approximate`` (the words do not give the bounds: 年底, 月初,
N年前, 三个多月前 ... are our reading of them) and the words it was resolved from (``text``)
with offsets into the input. A day-part or clock time after a day (``昨天上午``, ``7月4日晚上7点``)
stays out of its expression and does not change the day. Numbers may be Arabic, full-width or
Chinese (cn2an); spaces between the parts (``本月 9 日``) are allowed.

Not dates: a length of time (为期两天, 两日访问, 结束3日访华行程, 时隔10年, 时隔近7年).
Which of a sentence's dates dates its event is the events stage's choice (event_rules).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import cn2an


@dataclass(frozen=True)
class TimeExpr:
    start: int
    end: int
    text: str
    date: date
    date_end: date
    precision: str  # day | month | year
    approximate: bool = False
    basis: str = "absolute"  # absolute | dispatch | passage


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


class _Ctx:
    """What a resolver may read besides its match: the dispatch date, the last exact day of
    the passage (for 次日), the start of the last expression (for 同年, 当月), and the start of
    the range this expression ends (for 2017年8月11日至22日)."""

    __slots__ = ("anchor", "prev", "last", "range_from")

    def __init__(self, anchor: date, prev: date | None):
        self.anchor = anchor
        self.prev = prev
        self.last: date | None = prev
        self.range_from: date | None = None


# Each rule: (regex, resolver). Resolvers get (match, ctx) and return
# (date, date_end, precision, approximate, basis) or None.


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


def _month_day(mo: int, dd: int, c) -> date | None:
    """A month and day without a year: the end of a range takes the first such day on or after
    its start; otherwise the year that puts it closest to the dispatch date."""
    if c.range_from is not None:
        y = c.range_from.year
        cands = [d for yy in (y, y + 1) if (d := _safe_date(yy, mo, dd)) and d >= c.range_from]
        return cands[0] if cands else None
    y = c.anchor.year
    cands = [d for yy in (y - 1, y, y + 1) if (d := _safe_date(yy, mo, dd))]
    return _closest(cands, c.anchor) if cands else None


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
    else:
        cands = [date(y, mo, 1) for y in (c.anchor.year - 1, c.anchor.year, c.anchor.year + 1)]
        first = _closest(cands, c.anchor.replace(day=1))
    return first, _month_end(first.year, first.month), "month", False, "absolute"


def _day_of_month(dd: int, c) -> date | None:
    if c.range_from is not None:  # 4月10日至13日, 30日至2日: the first such day from the start
        for k in (0, 1):
            base = _add_months(c.range_from.replace(day=1), k)
            d = _safe_date(base.year, base.month, dd)
            if d and d >= c.range_from:
                return d
        return None
    cands = []
    for k in (-1, 0, 1):
        base = _add_months(c.anchor.replace(day=1), k)
        if d := _safe_date(base.year, base.month, dd):
            cands.append(d)
    return _closest(cands, c.anchor) if cands else None


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


_VAGUE = {  # days before the dispatch date: (earliest, latest)
    "日前": (14, 0),
    "近日": (10, 0),
    "连日": (10, 0),
    "近期": (30, 0),
    "最近": (30, 0),
    "不久前": (60, 0),
    "前不久": (60, 0),
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
    """3天前 (a day), 两周前 / 一个月前 (a window around that day), 三年前 (that calendar year),
    三个多月前 (from four months back to three)."""
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
    center = _shift(a, unit, -lo)
    half = {"w": max(2, round(2 * lo)), "m": max(7, round(15 * lo)), "y": 91}[unit]
    return _window(m, center - timedelta(days=half), center + timedelta(days=half), "dispatch")


def _r_after(m, c):
    """两天后 (a day), 两周后 / 三个月后 (a window), counted from the date just mentioned.
    Years after (五年后) are left alone: in news they are plans or lengths, seldom a date."""
    q = _quantity(m)
    if q is None or m["unit"] == "年":
        return None
    lo, hi, vague = q
    unit, base = _UNIT[m["unit"]], c.prev or c.anchor
    if vague:
        return _window(m, _shift(base, unit, lo), _shift(base, unit, hi), "passage")
    if unit == "d":
        if lo != int(lo):
            return None
        d = base + timedelta(days=int(lo))
        return d, d, "day", False, "passage"
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


# --- parts of a year or a month ---------------------------------------------------------------

# 初 / 底 / 末 that are other words: 初次, 初步, 底线, 末日 ...
_NOT_CHU = "(?!步|次|期|衷|心|级|中|稿|选|审|赛|见|识|具|现|显|露|创|始|夏|秋|冬|春)"
_NOT_DI = "(?!线|气|蕴|层|牌|价|下|部|座|片)"
_NOT_MO = "(?!日|班|端|尾|梢|期|代)"
_YEAR_PART = re.compile(
    rf"{_S}(?:(?P<q>第?[一二三四1-4１-４]|首)个?季度|前(?P<nq>[一二三两2-3２-３])个?季度"
    rf"|(?P<half>[上下])半年|前(?P<nm>{DATE_NUMBER})个?月份?|(?P<first>首月)"
    rf"|(?P<beg>年初|初{_NOT_CHU}|伊始|年头)|(?P<fin>年底|年末|年终|底{_NOT_DI}|末{_NOT_MO}))"
)
_MONTH_PART = re.compile(
    rf"{_S}(?:(?P<xun>[上中下])旬|(?P<beg>初{_NOT_CHU})|(?P<fin>底{_NOT_DI}|末{_NOT_MO}))"
)
# 2018年1-9月, 2018年2——4月: months of the year just named.
_MONTH_RANGE = re.compile(
    rf"{_S}(?P<m1>{DATE_NUMBER}){_S}月?{_S}{_TO}{_S}(?P<m2>{DATE_NUMBER}){_S}月份?"
)
# 2019年4月12-19日, 本月7、8日: days of the month just named.
_DAY_RANGE = re.compile(
    rf"{_S}(?P<d1>{DATE_NUMBER}){_S}[日号]?{_S}(?:{_TO}|、){_S}(?P<d2>{DATE_NUMBER}){_S}[日号]"
)
_QUARTER_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "首": 1, "两": 2}


def _quarter(s: str) -> int:
    s = s.lstrip("第").translate(str.maketrans("１２３４", "1234"))
    return int(s) if s.isdigit() else _QUARTER_NUM[s]


def _year_part(y: int, p) -> tuple | None:
    """(first, last, approximate) of a part of year ``y`` named by a _YEAR_PART match."""
    if p["q"]:
        q = _quarter(p["q"])
        return date(y, 3 * q - 2, 1), _month_end(y, 3 * q), False
    if p["nq"]:
        q = _quarter(p["nq"])
        return date(y, 1, 1), _month_end(y, 3 * q), False
    if p["half"]:
        first = 1 if p["half"] == "上" else 7
        return date(y, first, 1), _month_end(y, first + 5), False
    if p["nm"]:
        n = _num(p["nm"])
        return (date(y, 1, 1), _month_end(y, n), False) if 1 <= n <= 12 else None
    if p["first"]:
        return date(y, 1, 1), date(y, 1, 31), False
    if p["beg"]:
        if p["beg"] in ("伊始", "年头"):
            return date(y, 1, 1), date(y, 1, 31), True
        return date(y, 1, 1), _month_end(y, 2), True
    return date(y, 11, 1), date(y, 12, 31), True  # 年底 / 年末


def _month_part(y: int, mo: int, p) -> tuple:
    end = _month_end(y, mo)
    if p["xun"]:
        lo, hi = {"上": (1, 10), "中": (11, 20), "下": (21, end.day)}[p["xun"]]
        return date(y, mo, lo), date(y, mo, hi), True
    if p["beg"]:
        return date(y, mo, 1), date(y, mo, 10), True
    return date(y, mo, 21), end, True  # 月底 / 月末


def _r_period_part(m, c):
    """年底, 上半年, 一季度, 月初, 下旬 on their own: of the dispatch year or month."""
    a, word = c.anchor, m.group()
    if word.startswith("月") or word.endswith("旬"):
        p = _MONTH_PART.match(word[1:] if word.startswith("月") else word)
        s, e, approx = _month_part(a.year, a.month, p)
    else:
        p = _YEAR_PART.match(word)
        part = _year_part(a.year, p)
        if part is None:
            return None
        s, e, approx = part
    return _span(s, e, approx, "dispatch")


_QUARTER_SHIFT = {"上": -1, "本": 0, "这": 0, "下": 1}


def _r_rel_quarter(m, c):  # 上个季度, 本季度
    a = c.anchor
    first = _add_months(date(a.year, (a.month - 1) // 3 * 3 + 1, 1), 3 * _QUARTER_SHIFT[m["rq"]])
    last = _add_months(first, 2)
    return _span(first, _month_end(last.year, last.month), False, "dispatch")


# --- decades and centuries --------------------------------------------------------------------

_ERA_PART = r"(?P<part>初期|初|早期|前期|中期|中叶|后期|末期|末|晚期)?"
_DECADE_PARTS = {"early": (0, 2), "mid": (4, 6), "late": (7, 9)}
_CENTURY_PARTS = {"early": (0, 19), "mid": (40, 59), "late": (80, 99)}


def _era_part(word: str | None) -> str | None:
    if not word:
        return None
    if word[0] in "初早前":
        return "early"
    return "mid" if word[0] == "中" else "late"


def _r_century(m, c):
    """18世纪 (1700-1799), 上世纪80年代 (1980-1989), 二十世纪九十年代末期 (1997-1999)."""
    if m["cr"]:
        century = c.anchor.year // 100 + {"上": -1, "本": 0, "这个": 0, "下": 1}[m["cr"]]
    else:
        century = _num(m["cn"]) - 1
    if not 0 <= century <= 29:
        return None
    first = century * 100
    part = _era_part(m["part"])
    if m["dec"]:
        dec = _num(m["dec"])
        if dec % 10 or dec > 90:
            return None
        first += dec
        lo, hi = _DECADE_PARTS[part] if part else (0, 9)
    else:
        lo, hi = _CENTURY_PARTS[part] if part else (0, 99)
    return date(first + lo, 1, 1), date(first + hi, 12, 31), "year", bool(part), "absolute"


def _r_decade(m, c):
    """80年代 (the latest 1980s on or before the dispatch year), 1960年代, 五十年代初."""
    s = m["dy"]
    dec = _num(s)
    if dec % 10:
        return None
    if len(s) == 4:
        first = dec
    else:
        first = c.anchor.year // 100 * 100 + dec
        if first > c.anchor.year:
            first -= 100
    part = _era_part(m["part"])
    lo, hi = _DECADE_PARTS[part] if part else (0, 9)
    return date(first + lo, 1, 1), date(first + hi, 12, 31), "year", bool(part), "absolute"


# --- month-day written with a sign: 09-01, 6·30, “6.30” ---------------------------------------


def _r_md_signed(m, c):
    d = _month_day(int(m["m"]), int(m["d"]), c)
    return d and (d, d, "day", False, "absolute")


# Words after a dotted month-day that make it a day's name (9.16大马日) and not a decimal.
_DOT_DAY_NAMES = (
    "事件|事变|惨案|讲话|谈话|大选|峰会|会晤|会谈|声明|协议|宣言|纪念|骚乱|暴乱|袭击|空难"
    '|冲突|大马日|庆典|期间|前后|当天|当日|晚会|行动|决议|[”"」』’]'
)

_N = DATE_NUMBER
# Every character a number (DATE_NUMBER, _YEAR) can begin with.
_NUM_START = "[0-9０-９零一二三四五六七八九十两]"
_YEAR_START = "[0-9０-９〇零一二三四五六七八九]"


def _rule(pattern: str, resolver, starts: str) -> tuple[re.Pattern, object]:
    """A rule whose matches can only begin with a character of ``starts``.

    The class goes first as a lookahead, which matches the same: Python's regex engine jumps
    straight to such characters only when a pattern opens with them, not with a group or a
    lookbehind, and tried every position of the text instead. That made the rules 3 to 4
    times faster, and date finding was the largest single cost of ingestion.
    """
    return re.compile(f"(?={starts}){pattern}"), resolver


# 1-3号线, 5号楼: 号 numbering things, not days.
_NOT_DAY_NO = "(?![线楼院机位馆车门厅台码店舱房文令])"
_Y2_BEFORE = r"(?<![0-9０-９〇零一二三四五六七八九十百千两第])"
# 3日访华行程, 一日之旅, 三日国事访问: the length of a visit, not a day of the month (nor is
# 两日 ever one). 18日的会议 is a day.
_VISIT_KIND = "(?:国事|国是|正式|工作|友好|私人)"
_DAY_AFTER_DURATION = rf"(?!{_S}(?:{_VISIT_KIND}访问|(?:访\w)?(?:行程|之旅)))"

_RULES: list[tuple[re.Pattern, object]] = [
    _rule(
        rf"(?P<y>{_YEAR}){_S}年{_S}(?P<m>{_N}){_S}月{_S}(?P<d>{_N}){_S}[日号]", _r_ymd, _YEAR_START
    ),
    _rule(r"(?<![0-9])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![0-9])", _r_ymd, r"\d"),
    _rule(
        rf"(?P<y>{_YEAR}){_S}年{_S}(?P<m>{_N}){_S}月(?!份?{_S}{_N}{_S}[日号])份?",
        _r_ym,
        _YEAR_START,
    ),
    _rule(rf"(?P<y>{_YEAR}){_S}年(?!{_S}{_N}{_S}月|代)", _r_y, _YEAR_START),
    (
        re.compile(
            r"(?P<ry>今年|本年|去年|大前年|前年|明年|(?<![不相共一每])(?:同年|当年|次年|翌年|第二年"
            r"|下一年|前一年|上一年)(?![龄轻纪级份代会终货薪鉴]))"
            rf"(?!度)(?:{_S}(?P<m>{_N}){_S}月份?(?:{_S}(?P<d>{_N}){_S}[日号])?)?"
        ),
        _r_rel_year,
    ),
    (
        re.compile(
            r"(?P<rm>本月|这个月|上上个?月|上个?月|下个?月|当月|同月|次月|翌月)"
            rf"(?:{_S}(?P<d>{_N}){_S}[日号])?"
        ),
        _r_rel_month,
    ),
    _rule(rf"(?<![0-9年个])(?P<m>{_N}){_S}月{_S}(?P<d>{_N}){_S}[日号]", _r_md, _NUM_START),
    (
        re.compile(
            rf"(?P<wk>上上|下下|[上本这下])个?(?:星期|周|礼拜)(?:的)?(?:星期|周|礼拜)?(?P<wd>{_WD})"
        ),
        _r_weekday,
    ),
    _rule(
        rf"(?<![上本这下一二三四五六七八九十0-9个])(?:星期|周|礼拜)(?P<wd>{_WD})(?!年)",
        _r_weekday,
        "[星周礼]",
    ),
    (
        re.compile(
            r"(?P<wk>上上|下下|[上本这下])个?(?:星期|周|礼拜)"
            r"(?![一二三四五六日天1-7年末围边期刊岁报转全密到长游])"
        ),
        _r_last_week,
    ),
    (re.compile(r"(?P<wk>上上|下下|[上本这下])个?(?:星期|周|礼拜)末"), _r_weekend),
    _rule(rf"{_COUNT_BEFORE}{_COUNT}(?:以|之)?(?P<dir>[前后])", _r_offset, _COUNT_START),
    # 近30天, 过去一周; 近5年来 / 6个月来 are lengths of time (来的首次访问), not windows.
    (
        re.compile(
            rf"(?:(?<![隔违别续时达期了约经历将接])近|最近|过去的?){_S}{_COUNT}"
            r"(?:里|中|间|内|之内|以内)?(?!以?来)"
        ),
        _r_past,
    ),
    (re.compile(rf"(?:未来|今后|接下来)的?{_S}{_COUNT}(?:里|中|间|内|之内|以内)?"), _r_future),
    (
        re.compile(
            r"(?P<rd>大前天|大后天|今天|今日(?!俄罗斯|美国|头条|关注|中国|说法)|昨天|昨日|前天|明天|明日|后天"
            r"|昨晚|昨夜|昨晨|今晨|今早|今晚(?!报)|今夜|明晚|明早|明晨)"
        ),
        _r_rel_day,
    ),
    (re.compile(r"今明两(?P<u>天|日|年)"), _r_today_tomorrow),
    (
        re.compile(
            r"(?P<pd>前一天|前一日|头一天|次日|隔日|翌日|隔天|第二天|第二日|次晨|翌晨|当天|当日|同日"
            r"|同一天|同一日|同天|当晚|当夜)"
        ),
        _r_passage_day,
    ),
    _rule(
        r"(?<![0-9０-９零一二三四五六七八九十节生假])(?P<vg>日前|近日|连日|近期|不久前|前不久)",
        _r_vague,
        "[日近连不前]",
    ),
    _rule(
        rf"(?<![0-9年个月])(?P<m>{_N}){_S}月份?(?!{_S}{_N}{_S}[日号])(?![0-9])",
        _r_month,
        _NUM_START,
    ),
    _rule(
        rf"(?<![0-9月年个第周期拜])(?!两)(?P<d>{_N}){_S}[日](?![前后元本]){_DAY_AFTER_DURATION}",
        _r_day,
        _NUM_START,
    ),
    # 8至9日, 12-19日, 7、8日, 5月7到8日
    _rule(
        rf"(?<![0-9０-９年个第周期拜.:/\-])(?:(?P<m>{_N}){_S}月{_S})?(?P<d1>{_N}){_S}(?:{_TO}|、)"
        rf"{_S}(?P<d2>{_N}){_S}(?:日|号{_NOT_DAY_NO})",
        _r_day_range,
        _NUM_START,
    ),
    # 15年3月2日, 98年4月, 19年底
    _rule(
        rf"{_Y2_BEFORE}(?P<y>{_YEAR2}){_S}年{_S}(?P<m>{_N}){_S}月{_S}(?P<d>{_N}){_S}[日号]",
        _r_ymd,
        _YEAR_START,
    ),
    _rule(
        rf"{_Y2_BEFORE}(?P<y>{_YEAR2}){_S}年{_S}(?P<m>{_N}){_S}月(?!份?{_S}{_N}{_S}[日号])份?",
        _r_ym,
        _YEAR_START,
    ),
]
# The characters each rule of _RULES needs: every text it matches holds one of them. A rule
# runs only on a text that does, and most sentences hold none of most rules' characters:
# finding them once costs far less than a scan per rule (tests/test_timeexpr.py checks them).
_RULE_CHARS: tuple[str, ...] = (
    "年",  # 2024年7月18日
    "-/.",  # 2024-07-18
    "年",  # 2024年7月
    "年",  # 2024年
    "年",  # 今年6月, 同年
    "月",  # 本月9日, 同月
    "月",  # 7月18日
    "周期拜",  # 上周五, 上星期五, 上礼拜五
    "周期拜",  # 周六
    "周期拜",  # 上周
    "末",  # 上周末
    "前后",  # 三年前, 两天后
    "近去",  # 近30天, 过去一周
    "来后",  # 未来5年, 今后10年, 接下来
    "天日晚夜晨早",  # 昨天, 今日, 昨晚, 今夜, 今晨, 今早
    "明",  # 今明两年
    "天日晨晚夜",  # 次日, 前一天, 次晨, 当晚, 当夜
    "日近不",  # 日前, 近期, 不久前
    "月",  # 6月
    "日",  # 18日
    "日号",  # 8至9日
    "年",  # 15年3月2日
    "年",  # 98年4月
)

# Rules that only run when one of their characters is in the text (as above), kept out of _RULES
# because random text made of date words seldom matches them.
_GATED: list[tuple[str, re.Pattern, object]] = [
    (
        "初底末半季始月",
        re.compile(
            rf"(?={_YEAR_START}){_Y2_BEFORE}(?P<y>{_YEAR2}){_S}年"
            rf"(?=底{_NOT_DI}|末{_NOT_MO}|初{_NOT_CHU}|年底|年末|年初|伊始|[上下]半年"
            r"|第?[一二三四1-4]季度|首季度|首月)"
        ),
        _r_y,
    ),
    (
        "至到~～－-—–",
        re.compile(
            rf"(?=[0-9０-９〇零一二三四五六七八九])(?<![0-9０-９])(?P<y1>{_YEAR}){_S}{_TO}{_S}(?P<y2>{_YEAR}){_S}年"
        ),
        _r_year_range,
    ),
    (
        "号",
        re.compile(
            rf"(?:(?<=[至到~～\-－—–])|(?<=[至到~～\-－—–][ \u3000]))(?P<d>{_N}){_S}号{_NOT_DAY_NO}"
        ),
        _r_range_end_day,
    ),
    (
        "今昨前明",
        # 今(5)日, 昨(4)日: the bracketed day decides
        re.compile(rf"(?:今|昨|前|明)[（(]{_S}(?P<d>{_N}){_S}[)）]{_S}日"),
        _r_day,
    ),
    (
        "初底末旬半季",
        re.compile(
            r"(?<![0-9０-９〇零一二三四五六七八九十今去明本同当次翌前新个以])"
            rf"(?:年初{_NOT_CHU}|年底{_NOT_DI}|年末{_NOT_MO}|月初{_NOT_CHU}|月底{_NOT_DI}|月末{_NOT_MO}"
            r"|[上中下]旬|[上下]半年|第?[一二三四]季度|首季度|前[两三]个?季度)"
        ),
        _r_period_part,
    ),
    ("季", re.compile(r"(?P<rq>[上下本这])个?季度"), _r_rel_quarter),
    (
        "纪",
        re.compile(
            rf"(?:(?P<cr>上|本|这个|下)世纪|(?<![0-9个])(?P<cn>[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})世纪)"
            rf"(?:{_S}(?P<dec>[0-9]0|[一二三四五六七八九]十)年代)?{_ERA_PART}"
        ),
        _r_century,
    ),
    (
        "代",
        re.compile(
            rf"(?<![0-9０-９〇零一二三四五六七八九十纪])(?P<dy>[0-9]{{4}}|[0-9]0|[一二三四五六七八九]十)年代{_ERA_PART}"
        ),
        _r_decade,
    ),
    (
        "-/",
        re.compile(
            r"(?<![0-9０-９.\-/:])(?P<m>0[1-9]|1[0-2])[-/](?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9\-/.])"
            r"(?:(?<=0.-..)|(?<=0./..)|(?<=-0.)|(?<=/0.)|(?=[ \t]*[0-9]{1,2}:[0-9]{2}))"
        ),
        _r_md_signed,
    ),
    (
        "·•‧・.",
        re.compile(
            r"(?<![0-9０-９.·•‧・])(?P<m>1[0-2]|0?[1-9])(?:[·•‧・]|\.(?=[0-9]{1,2}(?:"
            + _DOT_DAY_NAMES
            + r")))(?P<d>3[01]|[12][0-9]|0?[1-9])(?![0-9.·%])"
        ),
        _r_md_signed,
    ),
]

# A weekday right before a bracketed date: 星期四(7月18日). The bracketed date decides.
_WEEKDAY_PREFIX = re.compile(rf"(?:[上本这]?个?(?:星期|周|礼拜){_WD}){_S}[（(]{_S}$")
_BEFORE_BRACKETED = "(（ \t\u3000\u00a0"
_CLOSE_BRACKET = re.compile(rf"{_S}[)）]")
# A day-part and/or a clock time after a day: 晚上7点09分, 上午10时许, 零时, 9~11点. They
# stay out of the day's expression (昨天上午 is 昨天), which they do not change.
_CLOCK = (
    rf"(?:[0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}})?|{_N}{_S}(?:[~～\-－至到]{_S}{_N}{_S})?[时点]"
    rf"(?:{_S}{_N}{_S}分(?:{_S}{_N}{_S}秒)?|半|许|左右|整)?)"
)
_DAY_PART = (
    rf"(?:(?:凌晨|清晨|早晨|早上|早间|上午|中午|午间|午后|下午|傍晚|晚上|晚间|夜间|夜里|深夜|午夜"
    rf"|晚|早|夜)(?:{_S}{_CLOCK})?|{_CLOCK})"
)
# Between the start and the end of a range: the sign, maybe after the start's day-part or
# clock time (12月9日零时至12月16日24时).
_RANGE_JOIN = re.compile(rf"(?:{_S}{_DAY_PART})?{_S}{_TO}{_S}")


assert len(_RULE_CHARS) == len(_RULES)
# Every rule in priority order (an earlier rule wins a tie), and which rules each character
# lets run.
_SCAN = [*_RULES, *((rx, resolver) for _, rx, resolver in _GATED)]
_SCAN_CHARS = [*_RULE_CHARS, *(chars for chars, _, _ in _GATED)]
_RULES_OF_CHAR: dict[str, frozenset[int]] = {
    ch: frozenset(i for i, chars in enumerate(_SCAN_CHARS) if ch in chars)
    for ch in set("".join(_SCAN_CHARS))
}
_GATE_CHARS = re.compile("[" + re.escape("".join(sorted(_RULES_OF_CHAR))) + "]")


def _candidates(text: str) -> list[tuple[int, int, int, re.Match, object]]:
    run: set[int] = set()
    for ch in set(_GATE_CHARS.findall(text)):
        run |= _RULES_OF_CHAR[ch]
    spans = []
    for priority in sorted(run):
        rx, resolver = _SCAN[priority]
        for m in rx.finditer(text):
            spans.append((m.start(), m.end(), priority, m, resolver))
    return spans


def _is_month(d: date, d_end: date) -> bool:
    return d.day == 1 and d_end == _month_end(d.year, d.month)


def _is_year(d: date, d_end: date) -> bool:
    return (d.month, d.day, d_end.month, d_end.day) == (1, 1, 12, 31) and d.year == d_end.year


def find_times(text: str, anchor: date, prev: date | None = None) -> list[TimeExpr]:
    """All date expressions in ``text``, left to right, resolved against ``anchor``.

    ``prev`` is the date mentioned just before this passage (for 次日, 前一天 ...); inside
    the passage it follows each exact day as it is read.
    """
    spans = _candidates(text)
    # Leftmost, then longest, then the earlier rule; drop anything overlapping a kept span.
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0]), s[2]))
    kept = []
    last_end = -1
    for s in spans:
        if s[0] >= last_end:
            kept.append(s)
            last_end = s[1]
    out: list[TimeExpr] = []
    ctx = _Ctx(anchor, prev)
    range_from: TimeExpr | None = None  # the expression a range sign may follow
    for start, end, _p, m, resolver in kept:
        if out and start < out[-1].end:
            continue  # taken in by the expression before (2019年4月12-19日, 年底, 晚上8时)
        joined = (
            range_from is not None
            and range_from is out[-1]
            and _RANGE_JOIN.fullmatch(text, range_from.end, start) is not None
        )
        ctx.range_from = range_from.date if joined else None
        try:
            res = resolver(m, ctx)
            if not res:
                continue
            d, d_end, precision, approx, basis = res
            if not approx and precision in ("year", "month"):
                d, d_end, precision, approx, end = _narrowed(text, end, d, d_end, precision, approx)
        except (ValueError, OverflowError, KeyError):  # 十七三月, 9999年底 + 1 ...
            continue
        # 星期四(7月18日): extend the expression over the weekday and the closing bracket.
        w = (
            _WEEKDAY_PREFIX.search(text, max(0, start - 12), start)
            if start and text[start - 1] in _BEFORE_BRACKETED
            else None
        )
        if w and out and out[-1].start >= w.start():
            out.pop()  # the weekday itself was matched on its own: superseded
            joined = False
        if w:
            start = w.start()
            if close := _CLOSE_BRACKET.match(text, end):
                end = close.end()
        # 18日至19日, 2017年8月至11月, 从上个月到今天, 2017年至2018年底: one expression from
        # the start's first day to the end's last.
        if joined and d >= out[-1].date and d_end >= out[-1].date_end:
            first = out.pop()
            start, d, precision, basis = first.start, first.date, first.precision, first.basis
        out.append(TimeExpr(start, end, text[start:end], d, d_end, precision, approx, basis))
        range_from = out[-1] if not approx else None
        if not approx:
            ctx.last = d
            if precision == "day":
                ctx.prev = d
    return out


def _narrowed(text: str, end: int, d: date, d_end: date, precision: str, approx: bool) -> tuple:
    """A calendar year or month followed by a part of it (年底, 第三季度, 下旬) or by a range
    inside it (1-9月, 12-19日): that part instead, its words joined to the expression."""
    if _is_year(d, d_end):
        y = d.year
        if (p := _YEAR_PART.match(text, end)) and (part := _year_part(y, p)):
            s, e, approx = part
            return s, e, _precision(s, e), approx, p.end()
        if p := _MONTH_RANGE.match(text, end):
            m1, m2 = _num(p["m1"]), _num(p["m2"])
            if 1 <= m1 < m2 <= 12:
                return date(y, m1, 1), _month_end(y, m2), "month", False, p.end()
    elif _is_month(d, d_end):
        if p := _MONTH_PART.match(text, end):
            s, e, approx = _month_part(d.year, d.month, p)
            return s, e, _precision(s, e), approx, p.end()
        if p := _DAY_RANGE.match(text, end):
            d1, d2 = _num(p["d1"]), _num(p["d2"])
            if 1 <= d1 < d2 <= d_end.day:
                return d.replace(day=d1), d.replace(day=d2), "day", False, p.end()
    return d, d_end, precision, approx, end
