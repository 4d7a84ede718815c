"""Parts of a year or a month (年底, 一季度, 下旬), decades and centuries, month-days written
with a sign (6·30), and a year or month narrowed by the words after it (see timeexpr)."""

from __future__ import annotations

import re
from datetime import date

from .time_calendar import _S, _TO, DATE_NUMBER, _add_months, _month_end, _num, _precision, _span
from .time_resolvers import _month_day

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
    # 月初 and 月底 are the first and last few days (5 and 6-7), narrower than 上旬 / 下旬: as
    # the peer library JioNLP's own tests read them.
    if p["beg"]:
        return date(y, mo, 1), date(y, mo, 5), True
    return date(y, mo, 25), end, True  # 月底 / 月末


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


def _is_month(d: date, d_end: date) -> bool:
    return d.day == 1 and d_end == _month_end(d.year, d.month)


def _is_year(d: date, d_end: date) -> bool:
    return (d.month, d.day, d_end.month, d_end.day) == (1, 1, 12, 31) and d.year == d_end.year


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
