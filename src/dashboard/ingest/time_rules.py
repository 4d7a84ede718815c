"""The date rules: one regex and one resolver each, and the characters each needs (see
timeexpr, which runs them)."""

from __future__ import annotations

import re

from .time_calendar import _S, _TO, _WD, _YEAR, _YEAR2, DATE_NUMBER, DAY_PARTS
from .time_periods import (
    _DOT_DAY_NAMES,
    _ERA_PART,
    _NOT_CHU,
    _NOT_DI,
    _NOT_MO,
    _r_century,
    _r_decade,
    _r_md_signed,
    _r_period_part,
    _r_rel_quarter,
)
from .time_resolvers import (
    _COUNT,
    _COUNT_BEFORE,
    _COUNT_START,
    _r_day,
    _r_day_range,
    _r_future,
    _r_last_week,
    _r_md,
    _r_month,
    _r_offset,
    _r_passage_day,
    _r_past,
    _r_range_end_day,
    _r_rel_day,
    _r_rel_month,
    _r_rel_year,
    _r_time_of_day,
    _r_today_tomorrow,
    _r_vague,
    _r_weekday,
    _r_weekend,
    _r_y,
    _r_year_range,
    _r_ym,
    _r_ymd,
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
            r"(?=[今本去大前明同当次翌第下上])(?P<ry>今年|本年|去年|大前年|前年|明年|(?<![不相共一每])(?:同年|当年|次年|翌年|第二年"
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
            rf"(?=[近最过前])(?:(?<![隔违别续时达期了约经历将接])近|最近|过去的?"
            # 前两周, 前三天 (the last two weeks); not 前一天 (the day before: a passage)
            # (会前两天, 出发前三天 count back from the event: 前 must open the phrase)
            rf"|(?<![\u4e00-\u9fff])前(?!一[天日]|[1１][天日])){_S}{_COUNT}"
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
        r"(?<![0-9０-９零一二三四五六七八九十节生假])"
        # (今年早些时候, 本月稍早 are earlier in that year or month: the year or month is read)
        r"(?P<vg>日前|近日|连日|近期|不久前|前不久|(?<![年月周天])(?:稍早前|稍早|早些时候))",
        _r_vague,
        "[日近连不前稍早]",
    ),
    _rule(
        rf"(?<![0-9年个月])(?P<m>{_N}){_S}月份?(?!{_S}{_N}{_S}[日号])(?![0-9])",
        _r_month,
        _NUM_START,
    ),
    # A bare day (18日); not 3日前, 30日内 (lengths of time).
    _rule(
        rf"(?<![0-9月年个第周期拜])(?!两)(?P<d>{_N}){_S}[日](?![前后元本内]){_DAY_AFTER_DURATION}",
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
    "近去前",  # 近30天, 过去一周, 前两周
    "来后",  # 未来5年, 今后10年, 接下来
    "天日晚夜晨早",  # 昨天, 今日, 昨晚, 今夜, 今晨, 今早
    "明",  # 今明两年
    "天日晨晚夜",  # 次日, 前一天, 次晨, 当晚, 当夜
    "日近不稍早",  # 日前, 近期, 不久前, 稍早, 早些时候
    "月",  # 6月
    "日",  # 18日
    "日号",  # 8至9日
    "年",  # 15年3月2日
    "年",  # 98年4月
)

_CLOCK_REST = rf"(?:{_S}[0-9]{{1,2}}{_S}分|半|多钟|许|钟|左右|整)?"
# 2时, 10点半, 5点多钟, 15:37 (not 3点共识: 点 needs what only a clock has after it)
# A clock H:MM only where a clock stands (after 时间, 于, 在, 至, a space, or opening the text):
# not a score, a ratio or a verse (以21:15获胜, 比例为1:10, 约翰福音3:16).
_CLOCK_DIGITS = (
    r"(?:(?:^|(?<=[间于在至到从 \t\u3000，,]))(?<![0-9:])[0-2]?[0-9]:[0-5][0-9](?![0-9:])"
    rf"|(?<![0-9.])[0-2]?[0-9]{_S}(?:时(?!间|代|期|候|刻表)|点(?={_S}(?:[0-9]|半|多|许|钟|左右|整))))"
    rf"{_CLOCK_REST}"
)
# Rules that only run when one of their characters is in the text (as above), kept out of _RULES
# because random text made of date words seldom matches them.
_GATED: list[tuple[str, re.Pattern, object]] = [
    (
        # A time of day with no day before it (下午2时, 当地时间晚上8点, 15:37): not after a
        # day (19日下午, 昨天下午, 当晚 are read whole), not a count (三点共识, 5点建议).
        "午晨晚夜早时点:",
        re.compile(
            r"(?<![0-9０-９日号天晚早夜今昨明当次翌前])"
            # (not 白天: also a name, as of a Chinese ambassador)
            rf"(?:(?:{DAY_PARTS})(?!茶|候|新闻|版|经济|食堂|航班|模式|场|档|节目|时段)"
            rf"(?:{_S}[0-2]?[0-9]{_S}[时点]{_CLOCK_REST})?"
            # (a clock right after a date is the date's: 2019.05.29 15:20-2020.01.12; after a
            # day-part it is read with it, but after 时间 on its own: 当地时间15:30)
            rf"|(?<![午晨上里])(?:(?<!间)|(?<=时间))(?<![0-9日号][ \u3000\t])(?:{_CLOCK_DIGITS}))"
        ),
        _r_time_of_day,
    ),
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
            rf"(?=[0-9０-９零一二三四五六七八九十两])(?:(?<=[至到~～\-－—–])|(?<=[至到~～\-－—–][ \u3000]))(?P<d>{_N}){_S}号{_NOT_DAY_NO}"
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
            r"(?=[年月上中下第首前一二三四])(?<![0-9０-９〇零一二三四五六七八九十今去明本同当次翌前新个以])"
            rf"(?:年初{_NOT_CHU}|年底{_NOT_DI}|年末{_NOT_MO}|月初{_NOT_CHU}|月底{_NOT_DI}|月末{_NOT_MO}"
            r"|[上中下]旬|[上下]半年|第?[一二三四]季度|首季度|前[两三]个?季度)"
        ),
        _r_period_part,
    ),
    ("季", re.compile(r"(?P<rq>[上下本这])个?季度"), _r_rel_quarter),
    (
        "纪",
        re.compile(
            rf"(?=[上本这下0-9一二三四五六七八九十])(?:(?P<cr>上|本|这个|下)世纪|(?<![0-9个])(?P<cn>[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})世纪)"
            rf"(?:{_S}(?P<dec>[0-9]0|[一二三四五六七八九]十)年代)?{_ERA_PART}"
        ),
        _r_century,
    ),
    (
        "代",
        re.compile(
            rf"(?=[0-9一二三四五六七八九])(?<![0-9０-９〇零一二三四五六七八九十纪])(?P<dy>[0-9]{{4}}|[0-9]0|[一二三四五六七八九]十)年代{_ERA_PART}"
        ),
        _r_decade,
    ),
    (
        "-/",
        re.compile(
            r"(?=[01])(?<![0-9０-９.\-/:])(?P<m>0[1-9]|1[0-2])[-/](?P<d>0[1-9]|[12][0-9]|3[01])(?![0-9\-/.])"
            r"(?:(?<=0.-..)|(?<=0./..)|(?<=-0.)|(?<=/0.)|(?=[ \t]*[0-9]{1,2}:[0-9]{2}))"
        ),
        _r_md_signed,
    ),
    (
        "·•‧・.",
        re.compile(
            r"(?=[0-9])(?<![0-9０-９.·•‧・])(?P<m>1[0-2]|0?[1-9])(?:[·•‧・]|\.(?=[0-9]{1,2}(?:"
            + _DOT_DAY_NAMES
            + r")))(?P<d>3[01]|[12][0-9]|0?[1-9])(?![0-9.·%])"
        ),
        _r_md_signed,
    ),
]
