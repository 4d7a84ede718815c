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
  not 6个月来 / 近5年来 / 三个多月以来, a length of time up to now (来的首次访问; the ``dates``
  command reads those and other open-ended ranges with ``time_open``);
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

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .time_calendar import _S, _TO, _WD, DATE_NUMBER, DAY_PARTS, _Ctx
from .time_periods import _narrowed
from .time_rules import _GATED, _RULE_CHARS, _RULES

_N = DATE_NUMBER


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


# A weekday right before a bracketed date: 星期四(7月18日). The bracketed date decides.
_WEEKDAY_PREFIX = re.compile(rf"(?:[上本这]?个?(?:星期|周|礼拜){_WD}){_S}[（(]{_S}$")
_BEFORE_BRACKETED = "(（ \t\u3000\u00a0"
# A day with its weekday after it: 12月9日（星期一）, 12日(周五), 6月1日周六. The weekday only
# restates the day: it is part of the expression, not a day of its own.
_WEEKDAY_AFTER = re.compile(
    rf"{_S}(?:[（(]{_S}(?:星期|周|礼拜){_WD}{_S}[)）]|(?:星期|周|礼拜){_WD}"
    # (not a name that opens with 周: 12日周一鸣表示)
    r"(?=[，,。；;、\s)）至到~～\-－—上下早晚凌中午夜在于和与及起前后举召发会访抵出]|$))"
)
_CLOSE_BRACKET = re.compile(rf"{_S}[)）]")
# A day-part and/or a clock time after a day: 晚上7点09分, 上午10时许, 零时, 9~11点. They
# stay out of the day's expression (昨天上午 is 昨天), which they do not change.
_CLOCK = (
    rf"(?:[0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}})?|{_N}{_S}(?:[~～\-－至到]{_S}{_N}{_S})?[时点]"
    rf"(?:{_S}{_N}{_S}分(?:{_S}{_N}{_S}秒)?|半|许|左右|整)?)"
)
_DAY_PART = rf"(?:(?:{DAY_PARTS}|早间|晚|早|夜)(?:{_S}{_CLOCK})?|{_CLOCK})"
# Between the start and the end of a range: the sign, maybe after the start's day-part or
# clock time (12月9日零时至12月16日24时).
# 18日起至21日, 18日开始到20日: the start's 起/开始 may come before the sign.
_LIST_JOIN = re.compile(r"\s*(?:、|和|及|以及|与)\s*")
_RANGE_JOIN = re.compile(rf"(?:{_S}{_DAY_PART})?{_S}(?:起|开始)?{_S}{_TO}{_S}")


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
# Each gate character's rules as one bit mask: a sentence's rules are an OR of a few integers.
_MASK_OF_CHAR = {ch: sum(1 << i for i in rules) for ch, rules in _RULES_OF_CHAR.items()}
# No rule matches or looks at these (tests/test_timeexpr.py checks it), so no match crosses
# one: a sentence is read on its own, with the text around it still there for lookbehinds.
_SENTENCE_END = re.compile("[。！？!?\n]")


@lru_cache(maxsize=4096)  # few distinct masks occur
def _rules_of(mask: int) -> list[int]:
    return [i for i in range(len(_SCAN)) if mask >> i & 1]


def _candidates(text: str) -> list[tuple[int, int, int, re.Match, object]]:
    """Every match of every rule, each rule run only over the runs of sentences that hold one
    of its characters: most sentences hold few of them, and a scan of the whole text per
    rule was most of the cost of finding dates. The matches are those of a scan of the
    whole text, as no match crosses a sentence end."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    masks = [0] * len(ends)
    for m in _GATE_CHARS.finditer(text):
        masks[bisect_right(ends, m.start())] |= _MASK_OF_CHAR[m.group()]
    # Per rule, its windows: runs of consecutive sentences it may match in.
    window_of_rule: dict[int, list[int]] = {}
    windows: list[tuple[int, list[int]]] = []
    start = 0
    for end, mask in zip(ends, masks, strict=True):
        if mask:
            for rule in _rules_of(mask):
                window = window_of_rule.get(rule)
                if window is not None and window[1] == start:
                    window[1] = end
                else:
                    window = window_of_rule[rule] = [start, end]
                    windows.append((rule, window))
        start = end
    spans = []
    for priority, (lo, hi) in windows:
        rx, resolver = _SCAN[priority]
        for m in rx.finditer(text, lo, hi):
            spans.append((m.start(), m.end(), priority, m, resolver))
    return spans


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
        if out and _SENTENCE_END.search(text, out[-1].end, start):
            ctx.coarse = False  # a new sentence
        # 去年3月、5月和6月, 2019年7月5日及8月6日: a later item without a year takes the first's.
        listed = out and not out[-1].approximate and _LIST_JOIN.fullmatch(text, out[-1].end, start)
        ctx.list_year = out[-1].date.year if listed else None
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
        elif precision == "day" and (after := _WEEKDAY_AFTER.match(text, end)):
            end = after.end()
        # 18日至19日, 2017年8月至11月, 从上个月到今天, 2017年至2018年底: one expression from
        # the start's first day to the end's last.
        if joined and d >= out[-1].date and d_end >= out[-1].date_end:
            first = out.pop()
            start, d, precision, basis = first.start, first.date, first.precision, first.basis
        out.append(TimeExpr(start, end, text[start:end], d, d_end, precision, approx, basis))
        ctx.coarse = precision != "day" or approx
        range_from = out[-1] if not approx else None
        if not approx:
            ctx.last = d
            if precision == "day":
                ctx.prev = d
    return out
