"""Date expressions as a careful reader resolves them (dispatch date = the article's date)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.ingest.timeexpr import find_times

D = date.fromisoformat


def only(text: str, anchor: str, expr: str):
    hits = [
        t for t in find_times(text, D(anchor)) if t.text.replace(" ", "") == expr.replace(" ", "")
    ]
    assert hits, f"{expr!r} not found in {text!r}: {find_times(text, D(anchor))}"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "anchor", "expr", "want"),
    [
        ("金正恩星期四(7月18日)会见了代表团", "2024-07-20", "星期四(7月18日)", "2024-07-18"),
        ("朝中社星期五(19日)报道", "2024-07-20", "星期五(19日)", "2024-07-19"),
        ("今年 6 月 19 日,金正恩与普京举行会谈", "2024-07-20", "今年 6 月 19 日", "2024-06-19"),
        ("代表团 本月 9 日 访俄", "2024-07-20", "本月 9 日", "2024-07-09"),
        ("朝俄自上月19日举行首脑会谈", "2024-07-09", "上月19日", "2024-06-19"),
        ("代表团昨天抵达平壤", "2023-09-08", "昨天", "2023-09-07"),
        ("韓國外長前天抵達華盛頓", "2024-07-30", "前天", "2024-07-28"),
        ("南韓總統今天抵達東京", "2023-03-16", "今天", "2023-03-16"),
        ("申源湜上周五抵达东京", "2024-07-29", "上周五", "2024-07-26"),  # 7-29 is a Monday
        ("外相周六抵达首尔", "2024-07-29", "周六", "2024-07-27"),
        (
            "二〇二四年七月十八日，金正恩会见了代表团",
            "2024-07-19",
            "二〇二四年七月十八日",
            "2024-07-18",
        ),
        ("俄方代表团于七月二十日启程", "2024-07-22", "七月二十日", "2024-07-20"),
        ("会谈于2024-07-18在平壤举行", "2024-07-19", "2024-07-18", "2024-07-18"),
    ],
)
def test_exact_days(text, anchor, expr, want):
    t = only(text, anchor, expr)
    assert (t.date, t.date_end, t.precision, t.approximate) == (D(want), D(want), "day", False)


def test_month_day_takes_the_year_closest_to_the_dispatch_date():
    assert only("韩国总统12月28日会见了日本首相", "2025-01-03", "12月28日").date == D("2024-12-28")
    assert only("韩国总统1月5日会见了日本首相", "2024-12-30", "1月5日").date == D("2025-01-05")


def test_a_month_without_its_year_is_the_dispatchs_year_unless_far_ahead():
    # news write the year when it is another (去年9月): 9月30日 in March is this year's, a plan
    assert only("峰会定于9月30日举行", "2008-03-13", "9月30日").date == D("2008-09-30")
    assert only("双方6月上旬会谈", "2021-02-01", "6月上旬").date == D("2021-06-01")
    # ... but 11月 in a report of early February is last November
    assert only("两国11月签署协议", "2021-02-01", "11月").date == D("2020-11-01")


def test_bare_day_after_the_dispatch_day_is_last_month():
    assert only("据韩联社28日报道", "2024-08-02", "28日").date == D("2024-07-28")


def test_a_bare_day_is_the_dispatchs_month_unless_far_ahead_or_just_after_its_turn():
    # a day of another month is written with its month: 30日 on the 14th is this month's
    assert only("会议30日举行", "2021-06-14", "30日").date == D("2021-06-30")
    # 2日 in a report of 30 July is the coming 2 August
    assert only("外长2日访华", "2024-07-30", "2日").date == D("2024-08-02")


def test_a_listed_month_takes_the_year_of_the_first_item():
    found = find_times("金正恩于去年3月、5月和6月曾访华", D("2019-01-08"))
    assert [(t.text, t.date) for t in found] == [
        ("去年3月", D("2018-03-01")),
        ("5月", D("2018-05-01")),
        ("6月", D("2018-06-01")),
    ]


@pytest.mark.parametrize(
    ("text", "expr", "want"),
    [
        ("据朝中社9日报道,代表团前一天从平壤启程", "前一天", "2024-07-08"),
        ("代表团18日抵达平壤。次日，金正恩会见了代表团。", "次日", "2024-07-19"),
        ("一名官员于7月11日失踪,其遗体隔日被寻获", "隔日", "2024-07-12"),
        ("代表团10日抵达。翌日，双方举行会谈", "翌日", "2024-07-11"),
        ("代表团15日抵达莫斯科，当天即与俄方会谈", "当天", "2024-07-15"),
        ("代表团12日抵达北京，两天后前往平壤", "两天后", "2024-07-14"),
    ],
)
def test_relative_to_the_date_just_mentioned(text, expr, want):
    # Dispatch date 7-20: a wrong resolver that counts from it would say 7-19 or 7-21.
    t = only(text, "2024-07-20", expr)
    assert t.date == D(want) and t.basis == "passage"


@pytest.mark.parametrize("expr", ["日前", "近日", "一个月前", "两周前", "半个月前"])
def test_vague_expressions_are_windows_never_a_false_exact_day(expr):
    t = only(f"俄罗斯国防部长{expr}访问了平壤", "2024-07-19", expr)
    assert t.approximate and t.precision == "month"
    assert t.date < t.date_end <= D("2024-07-19")


def test_a_month_ago_window_holds_the_day_a_month_before():
    t = only("克里沃鲁齐科是俄代表团成员,一个月前赴平壤访问", "2024-07-19", "一个月前")
    assert t.date <= D("2024-06-19") <= t.date_end


def test_month_only_expressions_cover_the_whole_month():
    t = only("金正恩重新肯定今年6月朝俄平壤峰会的重大意义", "2024-07-19", "今年6月")
    assert (t.date, t.date_end, t.precision) == (D("2024-06-01"), D("2024-06-30"), "month")
    t = only("拉夫罗夫去年10月访问平壤", "2024-07-19", "去年10月")
    assert (t.date, t.date_end) == (D("2023-10-01"), D("2023-10-31"))
    assert only("朝俄在上月首脑会谈之前", "2024-07-09", "上月").precision == "month"


def test_words_that_only_look_like_dates_are_left_alone():
    anchor = D("2024-07-19")
    assert find_times("庆祝建国75周年", anchor) == []
    assert find_times("这是他6个月来的首次出访", anchor) == []
    assert [t.text for t in find_times("7月9日前提交", anchor)] == [
        "7月9日"
    ]  # 日前 here is 'before the 9th'
    assert find_times("据今日俄罗斯电视台报道", anchor) == []
    # counts and durations with 点 and 时, a date's own clock, a name
    assert find_times("双方达成三点共识，提出5点建议", anchor) == []
    assert find_times("会谈持续了24小时，是一个时代的开始", anchor) == []
    assert [t.text for t in find_times("2019.05.29 15:20起生效", anchor)] == ["2019.05.29"]
    assert find_times("大使白天则表示欢迎", anchor) == []
    # a score, a ratio, everyday words with 夜间 and 午夜; a clock after 时间 is one
    assert find_times("以21:15获胜，比例为1:10，发展夜间经济，打造午夜食堂", anchor) == []
    assert [t.text for t in find_times("当地时间15:30，两国领导人举行会谈", anchor)] == ["15:30"]
    # a time of day after a coarser time of its sentence is some day of it, not a day we know
    assert [t.text for t in find_times("2019年5月的一个晚上，总统会见首相", anchor)] == [
        "2019年5月"
    ]


def test_offsets_point_at_the_words():
    text = "朝中社 星期五(19日) 报道,金正恩 18 日 在平壤会见了代表团"
    for t in find_times(text, D("2024-07-20")):
        assert text[t.start : t.end] == t.text


def test_a_range_is_one_expression_from_the_first_to_the_last_day():
    t = only("朝鲜人民军代表团于4月10日至13日访华", "2024-06-20", "4月10日至13日")
    assert (t.date, t.date_end, t.precision) == (D("2024-04-10"), D("2024-04-13"), "day")
    t = only("普京于6月18日至19日对朝鲜进行国事访问", "2024-06-20", "6月18日至19日")
    assert (t.date, t.date_end) == (D("2024-06-18"), D("2024-06-19"))


def test_the_rules_find_what_they_found_without_their_start_lookahead():
    """Each rule opens with a lookahead of the characters its matches can begin with (for
    speed). A character missing from that class would silently drop dates that begin with it,
    so every rule is compared with its own pattern minus the lookahead, on seeded random text
    built from date words, every number character and the context its lookbehinds read."""
    import random
    import re

    from dashboard.ingest.timeexpr import _RULES

    rng = random.Random(3)
    scripts = [
        "0123456789",
        "０１２３４５６７８９",
        "〇零一二三四五六七八九",
        "一二三四五六七八九十两",
    ]
    words = [*"年月日号天周前后以个份今去本上下这当昨明次隔翌同近连节生假元代末第头不久期拜半"]
    words += ["星期", "礼拜", "前一天", "第二天", "不久前", "日前", "-", "/", ".", "至", " ", "，"]

    def number() -> str:
        digits = rng.choice(scripts)
        return "".join(rng.choice(digits) for _ in range(rng.choice((1, 1, 2, 2, 3, 4))))

    def full_date() -> str:  # year, month and day with their units, as some rules need
        parts = [number(), rng.choice("年-/."), number(), rng.choice("月-/."), number()]
        return rng.choice(("", " ")).join(parts) + rng.choice("日号 ")

    def counted() -> str:  # 两个月前, 3天后, 十二月份
        return number() + "".join(rng.choice(words) for _ in range(rng.randint(1, 3)))

    pieces = (number, counted, full_date, lambda: rng.choice(words), lambda: rng.choice(words))
    texts = [
        "".join(rng.choice(pieces)() for _ in range(rng.randint(3, 12))) for _ in range(12_000)
    ]
    for rx, _resolver in _RULES:
        plain = re.sub(r"^\(\?=(\[[^\]]*\]|\\d)\)", "", rx.pattern)
        if plain == rx.pattern:
            continue  # a rule that opens with its own words needs no lookahead
        unprefixed = re.compile(plain)
        found = [[m.span() for m in rx.finditer(t)] for t in texts]
        assert found == [[m.span() for m in unprefixed.finditer(t)] for t in texts], rx.pattern
        assert sum(map(len, found)) > 30, f"the random text never matched {rx.pattern}"


# --- the patterns added for the peer comparison (our own sentences) -------------------------

FRIDAY = "2024-07-19"  # the dispatch date of the sentences below: a Friday


def span(text: str, expr: str, anchor: str = FRIDAY) -> tuple:
    t = only(text, anchor, expr)
    return str(t.date), str(t.date_end), t.precision, t.approximate


@pytest.mark.parametrize(
    ("text", "expr", "want"),
    [
        ("外长大前天抵达北京", "大前天", "2024-07-16"),
        ("代表团将于大后天启程回国", "大后天", "2024-07-22"),
        ("部长上周三会见了大使", "上周三", "2024-07-10"),
        ("总统下周六将出访东南亚", "下周六", "2024-07-27"),
        ("峰会本周五在北京开幕", "本周五", "2024-07-19"),
        ("双方下周周六举行会谈", "下周周六", "2024-07-27"),
        ("两国外长上上周三通了电话", "上上周三", "2024-07-03"),
        ("外长昨晚抵达首尔", "昨晚", "2024-07-18"),
        ("总统今晨离开河内", "今晨", "2024-07-19"),
        ("代表团昨天上午抵达平壤", "昨天", "2024-07-18"),
        ("代表团12日抵达东京，当晚出席欢迎宴会", "当晚", "2024-07-12"),
        ("总理十天前访问了印尼", "十天前", "2024-07-09"),
        ("菲律宾总统今(19)日启程访华，昨(18)日会见了记者", "昨(18)日", "2024-07-18"),
        ("两国元首将于8月11日会晤，特使09-01 10:30抵达", "09-01", "2024-09-01"),
        ("他在“6·30”讲话中提到", "6·30", "2024-06-30"),
        ("总理出席9.16大马日庆典后返回", "9.16", "2024-09-16"),
        ("双方15年3月2日签署了协议", "15年3月2日", "2015-03-02"),
        ("总统18日的会议气氛紧张", "18日", "2024-07-18"),
        # a day with its weekday unbracketed after it: the weekday restates the day
        ("两国元首7月16日星期二在北京会晤", "7月16日星期二", "2024-07-16"),
        # a time of day with no day: the report's day, or the day named just before
        ("当地时间下午2时，专机抵达机场", "下午2时", "2024-07-19"),
        ("特使于15:37抵达", "15:37", "2024-07-19"),
        ("代表团12日抵达东京。晚上8时许出席欢迎宴会", "晚上8时许", "2024-07-12"),
    ],
)
def test_more_exact_days(text, expr, want):
    assert span(text, expr) == (want, want, "day", False)


@pytest.mark.parametrize(
    ("text", "expr", "first", "last", "precision"),
    [
        # the end keeps the start's year and month, and is the first such day on or after it
        (
            "代表团于2019年3月2日至3月9日访问越南",
            "2019年3月2日至3月9日",
            "2019-03-02",
            "2019-03-09",
            "day",
        ),
        (
            "代表团于2017年8月11日至22日访问越南",
            "2017年8月11日至22日",
            "2017-08-11",
            "2017-08-22",
            "day",
        ),
        ("演习将于8月11日-22日举行", "8月11日-22日", "2024-08-11", "2024-08-22", "day"),
        ("外长将于8至9日访华", "8至9日", "2024-07-08", "2024-07-09", "day"),
        ("首相计划5月7到8日访问韩国", "5月7到8日", "2024-05-07", "2024-05-08", "day"),
        ("首相决定7、8日访韩", "7、8日", "2024-07-07", "2024-07-08", "day"),
        ("代表团2019年4月12-19日访问欧洲", "2019年4月12-19日", "2019-04-12", "2019-04-19", "day"),
        (
            "会议从2018年12月九号到十五号举行",
            "2018年12月九号到十五号",
            "2018-12-09",
            "2018-12-15",
            "day",
        ),
        # a bare day is this month's (written on 19 July): 30 July to 2 August
        ("总统于30日至2日出访", "30日至2日", "2024-07-30", "2024-08-02", "day"),
        ("会议于3月9日上午至3月12日举行", "3月9日上午至3月12日", "2024-03-09", "2024-03-12", "day"),
        ("2018年1-9月双边贸易增长", "2018年1-9月", "2018-01-01", "2018-09-30", "month"),
        ("2017年8月至11月两国多次会谈", "2017年8月至11月", "2017-08-01", "2017-11-30", "month"),
        ("从2008年——2018年两国签署多项协议", "2008年——2018年", "2008-01-01", "2018-12-31", "year"),
        ("2020至2025年的合作规划", "2020至2025年", "2020-01-01", "2025-12-31", "year"),
        ("从上个月到今天双方会谈三次", "上个月到今天", "2024-06-01", "2024-07-19", "month"),
        ("总统今天至周三访问俄罗斯", "今天至周三", "2024-07-19", "2024-07-24", "day"),
        ("两国今明两年互办文化年", "今明两年", "2024-01-01", "2025-12-31", "year"),
        ("上周末，双方在北京会谈", "上周末", "2024-07-13", "2024-07-14", "day"),
    ],
)
def test_ranges_are_one_expression(text, expr, first, last, precision):
    assert span(text, expr) == (first, last, precision, False)


def test_a_range_across_the_new_year_ends_in_the_next_year():
    assert span("总统于12月30日至1月2日访问越南", "12月30日至1月2日", "2025-01-05")[:2] == (
        "2024-12-30",
        "2025-01-02",
    )


@pytest.mark.parametrize(
    ("text", "expr", "first", "last", "precision"),
    [
        ("两国外长上上周举行了会谈", "上上周", "2024-07-01", "2024-07-07", "month"),
        ("1972年两国建交，当年9月外相访华", "当年9月", "1972-09-01", "1972-09-30", "month"),
        ("2020年双方签约，翌年生效", "翌年", "2021-01-01", "2021-12-31", "year"),
        ("2021年两国签署协议，上一年双方曾会晤", "上一年", "2020-01-01", "2020-12-31", "year"),
        ("上一年的贸易额增长了一成", "上一年", "2023-01-01", "2023-12-31", "year"),
        ("近30天内两国举行三次会谈", "近30天内", "2024-06-19", "2024-07-19", "month"),
        ("近三个月两国往来频繁", "近三个月", "2024-04-19", "2024-07-19", "year"),
        ("过去一周双方通话两次", "过去一周", "2024-07-12", "2024-07-19", "month"),
        ("前两周双方通话两次", "前两周", "2024-07-05", "2024-07-19", "month"),
        ("今后10年两国将加强合作", "今后10年", "2024-07-19", "2034-07-18", "year"),
        ("未来7天总统将出访三国", "未来7天", "2024-07-19", "2024-07-25", "month"),
        ("今年一季度双边贸易增长", "今年一季度", "2024-01-01", "2024-03-31", "year"),
        ("第三季度两国将举行峰会", "第三季度", "2024-07-01", "2024-09-30", "year"),
        ("上季度双边贸易下降", "上季度", "2024-04-01", "2024-06-30", "year"),
        ("2023年第四季度外长访华", "2023年第四季度", "2023-10-01", "2023-12-31", "year"),
        ("今年前三季度双边贸易增长", "今年前三季度", "2024-01-01", "2024-09-30", "year"),
        ("2022年前十一个月贸易额创新高", "2022年前十一个月", "2022-01-01", "2022-11-30", "year"),
        ("上半年两国元首两次会晤", "上半年", "2024-01-01", "2024-06-30", "year"),
        ("2023年下半年双方恢复对话", "2023年下半年", "2023-07-01", "2023-12-31", "year"),
        ("98年4月两国签署条约", "98年4月", "1998-04-01", "1998-04-30", "month"),
        ("上世纪80年代两国关系正常化", "上世纪80年代", "1980-01-01", "1989-12-31", "year"),
        ("这是自1960年代以来最重要的修订", "1960年代", "1960-01-01", "1969-12-31", "year"),
        ("18世纪两国已有往来", "18世纪", "1700-01-01", "1799-12-31", "year"),
    ],
)
def test_periods_and_windows(text, expr, first, last, precision):
    assert span(text, expr) == (first, last, precision, False)


@pytest.mark.parametrize(
    ("text", "expr", "first", "last"),
    [
        ("首相将在年底访美", "年底", "2024-11-01", "2024-12-31"),
        ("总统年初访问了越南", "年初", "2024-01-01", "2024-02-29"),
        ("总统2023年初访问中国", "2023年初", "2023-01-01", "2023-02-28"),
        ("截至去年底两国贸易额增长", "去年底", "2023-11-01", "2023-12-31"),
        ("首相预定本月底卸任", "本月底", "2024-07-25", "2024-07-31"),
        ("总统6月底就职", "6月底", "2024-06-25", "2024-06-30"),
        ("总统9月初访问印尼", "9月初", "2024-09-01", "2024-09-05"),
        ("去年9月中旬主席访问印度", "去年9月中旬", "2023-09-11", "2023-09-20"),
        ("1999年7月下旬双方会晤", "1999年7月下旬", "1999-07-21", "1999-07-31"),
        ("上旬外长访问了东京", "上旬", "2024-07-01", "2024-07-10"),
        ("19年底两国宣布建交", "19年底", "2019-11-01", "2019-12-31"),
        ("三年前他曾访问平壤", "三年前", "2021-01-01", "2021-12-31"),
        ("二十多年前他曾来过中国", "二十多年前", "1995-01-01", "2004-12-31"),
        ("三个多月前两国元首通话", "三个多月前", "2024-03-19", "2024-04-19"),
        ("二十世纪九十年代末期两国建交", "二十世纪九十年代末期", "1997-01-01", "1999-12-31"),
    ],
)
def test_vague_periods_are_approximate_windows(text, expr, first, last):
    assert span(text, expr)[:2] + (only(text, FRIDAY, expr).approximate,) == (first, last, True)


@pytest.mark.parametrize(
    ("text", "expr", "about"),
    [
        ("两国元首半年前会晤", "半年前", "2024-01-19"),
        ("两个半月前部长访问东京", "两个半月前", "2024-05-04"),
        ("五个月前双方签署协议", "五个月前", "2024-02-19"),
        ("三周前外长访问首尔", "三周前", "2024-06-28"),
    ],
)
def test_ago_windows_hold_the_day_that_long_ago(text, expr, about):
    t = only(text, FRIDAY, expr)
    assert t.approximate and t.date <= D(about) <= t.date_end < D(FRIDAY)


def test_counted_weeks_are_the_calendar_week_that_far_away():
    """As 上周 / 下周 are: Monday to Sunday. Three weeks before Friday 07-19 is Friday 06-28
    (its week 06-24..06-30); four weeks after it Friday 08-16 (08-12..08-18)."""
    assert span("三周前外长访问首尔", "三周前") == ("2024-06-24", "2024-06-30", "month", True)
    assert span("双方商定4周后再次会晤", "4周后")[:2] == ("2024-08-12", "2024-08-18")
    assert span("4个星期之后双方再次会晤", "4个星期之后")[:2] == ("2024-08-12", "2024-08-18")
    # More than two weeks: from three weeks back to two, not a calendar week.
    assert span("两周多前两国外长通话", "两周多前")[:2] == ("2024-06-28", "2024-07-05")


def test_year_and_month_words_count_from_the_date_just_mentioned():
    text = "2019年5月两国建交，同月9日签署协议，同年10月总统访华，次年3月再访"
    assert span(text, "同月9日") == ("2019-05-09", "2019-05-09", "day", False)
    assert span(text, "同年10月")[:2] == ("2019-10-01", "2019-10-31")
    assert span(text, "次年3月")[:2] == ("2020-03-01", "2020-03-31")
    # years after the year just mentioned; a half year names no year
    assert span("2015年外长访华，两年后再次访华", "两年后") == (
        "2017-01-01",
        "2017-12-31",
        "year",
        False,
    )
    assert [t.text for t in find_times("三年半后两国签约", D(FRIDAY))] == []
    # earlier this year or month is the year or the month, not the dispatch's day
    assert span("今年早些时候两国外长会晤", "今年")[2] == "year"
    assert [t.text for t in find_times("今年早些时候两国外长会晤", D(FRIDAY))] == ["今年"]


@pytest.mark.parametrize(
    "text",
    [
        "习近平对越南进行为期两天的国事访问",
        "总理展开两日访问",
        "特朗普结束3日访华行程",
        "总理短暂的一日访中行程",
        "这是中国国家元首时隔10年再次访问",
        "两国建交55年风雨同舟",
        "这是近5年来首位访华的总理",
        "这是时隔近7年首位访华的总理",
        "两国关系持续近两年",
        "他当年在此工作",
        "经济增长6.30%，会谈持续3.5小时",
        "青年代表团今晚报告",
        "地铁1-3号线",
        "两国今年初次举行会谈",
        "中国和韩国是日本的近邻",
        "双方初步达成共识",
        "不同年龄的人出席了一次年会",
        "这是年轻人的选择",
        "计划用10年初步建成",
        "他在任期的前两年多次出访",
        "代表团提前两天抵达",
        "双方在会前两天交换了文本",
        "两国建交50年后迎来新阶段",
    ],
)
def test_lengths_of_time_and_lookalikes_are_not_dates(text):
    found = [t.text for t in find_times(text, D(FRIDAY)) if t.text not in ("今年",)]
    assert found == [], found


def test_a_dateline_day_is_still_a_day():
    assert span("新华社北京7月18日电 主席会见了外长", "7月18日")[:2] == ("2024-07-18", "2024-07-18")
    assert span("据朝中社18日报道", "18日")[:2] == ("2024-07-18", "2024-07-18")


def test_taking_office_is_found_as_a_date():
    # Which expression dates a visit is the events stage's choice (event_rules): the resolver
    # reports 去年 as the year it is.
    assert span("他去年就任总统后首次访问日本", "去年") == (
        "2023-01-01",
        "2023-12-31",
        "year",
        False,
    )


def _random_texts(seed: int, n: int) -> list[str]:
    import random

    rng = random.Random(seed)
    digits = ["0123456789", "〇零一二三四五六七八九", "一二三四五六七八九十两百几"]
    words = [*"年月日号天周前后以个份今去本上下这当昨明次隔翌同近连末第头不久期拜半来初底旬季度"]
    words += [*"晚晨早夜大代纪世去过未接内里中间多余首始伊之·.-/、（()）至到—~"]
    words += [
        "星期",
        "礼拜",
        "世纪",
        "年代",
        "季度",
        "过去",
        "未来",
        "今后",
        "接下来",
        "今明两",
        "上半年",
        "下旬",
        "伊始",
        "首月",
        "大马日",
        "事件",
        "”",
        "10:30",
        "上周",
        "上上",
        "下下",
        "本周",
        "今天",
        "昨天",
        "当晚",
        "同年",
        "本月",
        "为期",
        "时隔",
        "年底",
        "年初",
        "年末",
        "月初",
        "一季度",
        "个月",
    ]
    words += [" ", "，"]

    def number() -> str:
        d = rng.choice(digits)
        return "".join(rng.choice(d) for _ in range(rng.choice((1, 2, 2, 3, 4))))

    def full_date() -> str:
        parts = [number(), rng.choice("年-/."), number(), rng.choice("月-/.·"), number()]
        return "".join(parts) + rng.choice("日号 ")

    def bracketed() -> str:  # 今(5)日
        return rng.choice("今昨明前") + rng.choice("(（") + number() + rng.choice(")）") + "日"

    pieces = (number, number, full_date, bracketed, lambda: rng.choice(words))
    pieces += (lambda: rng.choice(words),) * 3
    return ["".join(rng.choice(pieces)() for _ in range(rng.randint(3, 12))) for _ in range(n)]


def test_every_rule_runs_on_every_text_it_can_match():
    """A rule runs only on texts holding one of its characters (_RULE_CHARS, _GATED): a
    missing character would silently drop dates. Every match holds one; and each gated rule
    that opens with a start lookahead finds what it finds without it."""
    import re

    from dashboard.ingest.timeexpr import _SCAN, _SCAN_CHARS

    texts = _random_texts(5, 12_000)
    for (rx, _resolver), chars in zip(_SCAN, _SCAN_CHARS, strict=True):
        hits = 0
        plain_rx = re.compile(re.sub(r"^\(\?=(\[[^\]]*\]|\\d)\)", "", rx.pattern))
        for t in texts:
            spans = [m.span() for m in rx.finditer(t)]
            hits += len(spans)
            if spans:
                assert any(ch in t for ch in chars), (rx.pattern, t)
            if plain_rx.pattern != rx.pattern:
                assert spans == [m.span() for m in plain_rx.finditer(t)], (rx.pattern, t)
        assert hits, f"the random text never matched {rx.pattern}"


def test_no_rule_reads_across_a_sentence_end():
    """_candidates reads a sentence at a time: no rule may take or look at 。！？!? or a line
    break (a dot in a lookbehind re-reads what the match took: 0.-..)."""
    import re
    import re._constants as C
    import re._parser as P

    from dashboard.ingest.timeexpr import _SCAN

    ends = [ord(ch) for ch in "。！？!?\n"]
    category = {
        C.CATEGORY_DIGIT: r"\d",
        C.CATEGORY_NOT_DIGIT: r"\D",
        C.CATEGORY_SPACE: r"\s",
        C.CATEGORY_NOT_SPACE: r"\S",
        C.CATEGORY_WORD: r"\w",
        C.CATEGORY_NOT_WORD: r"\W",
    }

    def reads_an_end(items, behind: bool = False) -> bool:
        for op, av in items:
            if op is C.LITERAL and av in ends or op is C.NOT_LITERAL and av not in ends:
                return True
            if op is C.ANY and not behind:
                return True
            if op is C.IN:
                negated = any(o is C.NEGATE for o, _ in av)
                hit = any(
                    o is C.LITERAL
                    and a in ends
                    or o is C.RANGE
                    and any(a[0] <= e <= a[1] for e in ends)
                    or o is C.CATEGORY
                    and any(re.match(category[a], chr(e)) for e in ends)
                    for o, a in av
                )
                if hit != negated:
                    return True
            if op is C.AT and av not in (C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                return True
            if op in (C.MAX_REPEAT, C.MIN_REPEAT) and reads_an_end(av[2], behind):
                return True
            if op is C.SUBPATTERN and reads_an_end(av[-1], behind):
                return True
            if op is C.BRANCH and any(reads_an_end(b, behind) for b in av[1]):
                return True
            if op in (C.ASSERT, C.ASSERT_NOT) and reads_an_end(av[1], behind or av[0] < 0):
                return True
            assert op not in (C.GROUPREF, C.GROUPREF_EXISTS, C.ATOMIC_GROUP), op
        return False

    for rx, _resolver in _SCAN:
        assert not reads_an_end(P.parse(rx.pattern, rx.flags)), rx.pattern


def test_sentence_by_sentence_finds_what_a_scan_of_the_whole_text_finds():
    import random

    from dashboard.ingest.timeexpr import _SCAN, _candidates

    rng = random.Random(11)
    for text in _random_texts(9, 4_000):
        for _ in range(rng.randint(0, 4)):
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice("。！？!?\n") + text[at:]
        whole = sorted(
            (m.start(), m.end(), priority)
            for priority, (rx, _resolver) in enumerate(_SCAN)
            for m in rx.finditer(text)
        )
        assert sorted(s[:3] for s in _candidates(text)) == whole, text


def test_random_date_words_never_break_the_resolver():
    # 十七三月, 今后零年, the year 9999: no exception, and every answer is a span in order.
    for text in ["今后零年", "同年21-十七三月", "近零天"] + _random_texts(11, 4000):
        for anchor in (D("2024-07-19"), D("9999-12-20"), D("0001-01-15")):
            for t in find_times(text, anchor):
                assert t.date <= t.date_end and text[t.start : t.end] == t.text, (text, t)


@pytest.mark.parametrize(
    "text",
    [
        "5号楼",
        "地铁1号线",
        "长安街1号的大使馆",
        "第12号决议",
        # a bare 号 numbers far more things than days: craft, seats, jerseys, exits
        "空军一号抵达北京",
        "雪龙2号抵达南极",
        "23号在场上拿下全场最高分",
        "从3号出口离开",
    ],
)
def test_hao_numbering_things_is_no_day(text):
    assert find_times(text, D("2016-06-13")) == []


def test_a_range_may_say_where_it_starts():
    (visit,) = find_times("总统自18日起至21日访问中国", D("2016-10-18"))
    assert (visit.date, visit.date_end) == (D("2016-10-18"), D("2016-10-21"))


def test_a_weekday_in_brackets_does_not_start_a_range():
    found = find_times("于十二月九日（星期一）至十二月十三日（星期五）举行", D("2024-12-02"))
    assert all(t.date >= D("2024-12-09") for t in found), found
