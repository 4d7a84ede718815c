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


def test_bare_day_after_the_dispatch_day_is_last_month():
    assert only("据韩联社28日报道", "2024-08-02", "28日").date == D("2024-07-28")


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
