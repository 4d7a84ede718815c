"""The sentence rules of the events stage: triggers, roles, dates.

See ``events.py`` for what an event is; this module holds the rules that read one article:
which words trigger which kind, which clauses are not events (plans, denials, hypotheticals),
who travels where (``roles``), which time expression dates the event (``_pick_date``), and
the one-character country abbreviations of travel language (访朝, 俄方, 朝俄).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pandas as pd

from ..common.textnorm import to_simplified
from .event_dates import (
    CLAUSE_BREAK,
    SENTENCE,
    earlier_times,
    listed_before,
    written_out_times,
)
from .event_roles import _AB, _PRONOUN, Mention, countries_in, roles
from .event_rows import one_row_per_event, same_trip
from .timeexpr import TimeExpr, find_times

# One-character country abbreviations used in travel language (访朝, 俄方, 中朝关系).
ABBREVIATIONS = {
    "中": "CHN",
    "华": "CHN",
    "朝": "PRK",
    "俄": "RUS",
    "韩": "KOR",
    "日": "JPN",
    "美": "USA",
    "乌": "UKR",
    "越": "VNM",
    "老": "LAO",
    "蒙": "MNG",
    "英": "GBR",
    "法": "FRA",
    "德": "DEU",
    "印": "IND",
    "伊": "IRN",
    "台": "TWN",  # 访台, 抵台, 来台, 美台关系
    "京": "CHN",  # 抵京, 赴京: Beijing, the capital for the country (not 京都, Kyoto)
}
# 访朝, 赴俄, 抵华, 来华, 访日: destination right after a travel verb.
# Not a region named with the character: 访中美洲, 赴中东, 访美洲, 抵华东.
# (京都 is Kyoto; 都 after another side is "all": 两次访华都…)
_ABBR_DEST = re.compile(
    f"(?:访|赴|抵|来|到)(?P<c>[{_AB}])(?![国军方洲东亚欧非]|美洲|南美|北美)(?!(?<=京)都)"
)
# 俄方, 朝方, 俄代表团, 俄副防长, 韩外长: a side named by its abbreviation.
# (The class first as a lookahead, as in time_rules._rule: Python's regex engine skips to
# those characters only when a pattern opens with them; twice as fast.)
_ABBR_SIDE = re.compile(
    f"(?=[朝俄韩日美乌华])(?<![{_AB}])(?P<c>[朝俄韩日美乌华])"
    "(?=方|代表团|副防长|防长|外长|总统|总理|首相|官员|军方|国防部|外交部)"
)
# 朝俄, 中朝, 美韩, 日韩: a pair of sides (two abbreviations, then a word that needs a pair).
_ABBR_PAIR = re.compile(
    f"(?P<a>[{_AB}])(?P<b>[{_AB}])(?=两国|双方|关系|首脑|峰会|领导人|军事|外长|平壤|莫斯科|北京|首尔|东京|华盛顿|之间|自|在|签署|举行|会谈|元首|高层)"
)

SUMMIT_WORDS = ["峰会", "首脑会谈", "首脑会晤", "元首会晤", "首脑会面", "领导人会晤", "高峰会"]
MEETING_WORDS = ["会见", "会晤", "会谈", "接见", "接待", "会面", "拜会"]
DEPARTURE_WORDS = ["启程", "起程", "出发", "动身", "前往", "飞往", "离开"]
VISIT_WORDS = [
    "到访",
    "访问",
    "出访",
    "来访",
    "造访",
    "拜访",
    "参访",
    "抵达",
    "飞抵",
    "转抵",
    "到达",
    "来到",
    "赴",
]
_KIND_RANK = {"summit": 0, "meeting": 1, "departure": 2, "visit": 3}
_TRIGGER_WORDS = SUMMIT_WORDS + MEETING_WORDS + DEPARTURE_WORDS + VISIT_WORDS
_TRIGGER_ALTERNATIVES = (
    "|".join(sorted(_TRIGGER_WORDS, key=len, reverse=True)).replace(
        "来访",
        "(?<!以)来访",  # 自2018年以来访问中国: 以来 + 访问, no 来访
    )
    + f"|访(?=[{_AB}])"  # 访华
    # 抵俄, 抵布拉格 (a place must follow: see roles); not 抵制, 抵御, 抵押, 抵不过, 不抵 or 大抵
    + "|(?<![不难相大])抵(?![达制抗御消押触扣债偿销挡赖死账近埗当不得])"
    # 森喜朗下午来台 (see _COME_TO); not 后来台湾, 来华府 (Washington), 来华人员
    + "|(?<![从以未将原本近后看起回出])来(?=[华台])(?!华府|华盛顿|华人|华侨|华裔)"
)
# 来华/来台 is a visit when it ends its clause or the visit is what is done there (来华访问,
# 来台出席); 来华投资, 来台旅游 are not visits of a state.
_COME_TO = re.compile(
    r"[华台](?:[，,。；;！!]|$|[^，,。]{0,8}?(?:访问|参加|出席|考察|会谈|进行|吊唁))"
)
# Their first characters go first as a lookahead (see _ABBR_SIDE): 4 times as fast as the
# bare alternation, which was tried at every character of every text.
_TRIGGER_STARTS = "".join(sorted({w[0] for w in _TRIGGER_WORDS} | {"访", "抵"}))
_TRIGGER = re.compile(f"(?=[{_TRIGGER_STARTS}])(?:{_TRIGGER_ALTERNATIVES})")


def _kind_of(word: str) -> str:
    if word in SUMMIT_WORDS:
        return "summit"
    if word in MEETING_WORDS:
        return "meeting"
    if word in DEPARTURE_WORDS:
        return "departure"
    return "visit"


# Words before the trigger (in its clause) that make it a plan, invitation, hypothetical or
# denial rather than a reported event.
_NOT_EVENT = re.compile(
    r"(?<![中少上大])将(?![军领])|即将|计划|拟|准备|打算|预计|预料|预期|有望|或将|可能|希望|考虑|筹备|"
    r"(?<!应)邀请?(?!请?[了过])|如果|假如|倘若|若|一旦|未|没有|否认|取消|推迟|不会|尚未|"
    r"原定|原计|原本|原先|本来|期盼|期待|寻求|酝酿|规划|筹划|届时|预定|有意|盼望|争取|设法|"
    r"放弃|搁置|(?<!短)暂停|延期|决定"  # 放弃访美行程: given up or shelved (not 短暂停留); 决定访华
    r"|是否"  # 是否有安排…会晤: asked, not done
)
_TIME_NOMINALS = ("当天", "之前", "以前", "前夕")
# A plan in so many words: what a later clause without a subject of its own goes on with.
_PLANNED = re.compile(r"(?<![中少上大])将(?![军领])|即将|计划|拟|准备|打算|预计|预料|预定|原定")
# Before the trigger only (after it they are common in reports of real meetings: 举行会晤，讨论…):
# a visit discussed (讨论…派遣某某访问中国) or urged (鼓励游客前往).
_NOT_EVENT_BEFORE = re.compile(_NOT_EVENT.pattern + "|讨论|鼓励")
# A visit word used as a noun for a time or a plan (访华期间, 访问前夕, 此访行程): the clause is
# about something else, which carries its own event if there is one.
_JOINED = re.compile(r"[，,]?\s*(?:与|同|并|和|再|随后|然后|之后|届时|跟)")
_NOMINAL_VISIT = re.compile(
    f"[{_AB}]?(?:[^，,。的]{{1,6}}?(?:当天|的首个行程))?"
    r"(?:期间|前夕|之际|行程|之行|计划|安排|事宜|议程|一事|前后|以来|当天|之前|以前|意愿|意向)"
)
# A meeting word naming a time or a setting (会谈中, 会见时, 会谈后签署…): the meeting itself is
# told elsewhere.
# (中国, 中方, 上海, 前总统 after 会见 are who is met, not a time: 会见中国外长.)
_NOMINAL_MEETING = re.compile(
    r"^(?:中(?![国方共央华])|时|后|上(?!海)|期间|前(?![任总首国外副美日韩俄英法德印澳越朝])"
    r"|之后|之前|结束后|结束时)"
)
# Undated, a sentence is no event when any clause of it plans, hedges, recalls or calls:
# 将于16日访问日本，同…举行首脑会谈 (the second clause is planned too); 曾…访问; 视频会谈.
_UNDATED_DOUBT = re.compile(
    _NOT_EVENT.pattern
    + r"|可望|在即|预料|料将|(?<![大集宴峰社机都议])会(?=与|再|在|前往|启程|赴|访|同|跟|和|见到)"
    + r"|曾|上一次|上次|以往|过去|总是|每次|通常|历来|视频|电话|通话|线上|视讯|云端|远程"
)
# Without a publication date a day named from the report's (明天访华, 下周出访) is ahead of it.
_AHEAD = re.compile(r"明天|明日|明年|后天|下周|下星期|下礼拜|下个?月|来年")
# A comment on the report's event (这是…以来首次访问, 此访…): it restates that event.
_COMMENT = re.compile(r"^(?:这是|这也是|此次|这次|此访|此行|该访|这一访问)")
# 岸田这次访问凸显…: the visit named as a topic.
_TOPIC_VISIT = re.compile(r"(?:这次|此次|本次|该次|这一|此番)$")
# Undated, a summit word is an event when something is held at it (举行峰会, 在河内峰会上会晤);
# as a topic (此次峰会的重点) it is not. A dated one names an event (今年6月朝俄平壤峰会的意义).
_HOLDING = re.compile(r"举行|召开|举办|出席|参加|在|于|与会|峰会上|会晤|会谈")
_HYPOTHETICAL = re.compile(r"如果|假如|倘若|一旦")
# A date followed by these words dates the report, not the event.
_REPORTING_AFTER = re.compile(
    r"^[ \t]*(?:报道|电|消息|发表|公布|援引|引述|播报|报导|发布|称|表示|说)"
)
_DATELINE = re.compile(
    r"[ \t]*[（(【]?[^，,。；;\n（(]{0,24}?(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日"
    r"(?:电|专电|讯|综合外电报导|综合报导|综合外电报道|报导|报道)[)）】]?[ \t]*"
    # （雅加达综合讯）, （吉隆坡讯）: a bracketed place without a day, as Singapore and
    # Malaysian papers open a report
    r"|[ \t]*[（(【][^，,。；;\n（()）】]{1,12}?(?:综合讯|综合报道|综合报导|讯)[)）】][ \t]*"
)
# 2月全面进攻乌国后的首场国际访问: a date before "after…, the first" is a reference point too.
_SINCE = re.compile(r"以后|以来|之后|后的?首[次场个度]?")
# A summit of many countries (东盟峰会, 二十国集团峰会): no bilateral pair to draw.
_MULTILATERAL = re.compile(
    r"东盟|东亚|亚太|APEC|G20|G7|二十国|七国|金砖|上合|上海合作组织|北约|欧盟|联合国|联大|"
    r"中日韩|美日韩|美日澳印|四方|中阿|中非|中拉|中国—中亚|中国-中亚|阿盟|非盟|海合会|东盟\+|多边|三方|四国|五国",
    re.IGNORECASE,
)
# 去年5月就任后首次访日, 2021年8月宣誓就职: the date tells when an office was taken.
_TAKES_OFFICE = re.compile(
    r"[ \t]*(?:正式|宣誓|刚刚|刚|再次|首次)?(?:就任|就职|上任|当选|上台|履新|被推举为|被选为"
    # 担任/出任首相 is taking an office; 担任团长/特使 is a role on the trip itself
    r"|(?:担任|出任)(?=[^，,。]{0,4}?(?:首相|总统|总理|国家主席|总书记|委员长|国务卿|外长|部长|议长|秘书长)))"
    r"(?!典礼|仪式|大典|演说|演讲)"
)
# 7月13日，外长抵达中国，将出席…: a day stated before the trigger tells a happening, not a plan
# or a habit, even when no year places it (the event then counts undated).
_DAY_STATED = re.compile(
    r"[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*[日号]|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}[日号]"
)
# A visit under way when the report was written: 新加坡总理李显龙正在中国访问.
_UNDER_WAY = re.compile(r"正在|正于")
_ATTRIBUTIVE_AFTER = re.compile(f"[{_AB}]?的")  # 到访的代表团, 首位访华的日本阁僚


def _event_id(article_id: str, pos: int) -> str:
    return hashlib.sha1(f"{article_id}:{pos}".encode()).hexdigest()[:16]


# One mention row as plain values: (entity_id, surface, type, start, end). Plain tuples, not
# DataFrame rows: this loop runs for every mention of the corpus.
MentionRow = tuple


def mentions_of_article(text: str, rows: list[MentionRow], entities: dict) -> list[Mention]:
    out: list[Mention] = []
    for entity_id, surface, mtype, start, end in rows:
        start, end = int(start), int(end)
        if end - start < 2:
            continue  # one-character names (以, 美) are too ambiguous; the patterns below cover travel compounds
        ent = entities.get(entity_id, {})
        typ = mtype if isinstance(mtype, str) else ent.get("type", "")
        if typ == "country":
            country = entity_id
        else:
            country = ent.get("country")
            country = country if isinstance(country, str) and country else None
        name = ent.get("name_zh") if isinstance(ent.get("name_zh"), str) else surface
        out.append(Mention(start, end, entity_id, typ, country, name or surface))
    taken = [(m.start, m.end) for m in out]

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for rx in (_ABBR_DEST, _ABBR_SIDE):
        for m in rx.finditer(text):
            s, e = m.span("c")
            if free(s, e):
                out.append(
                    Mention(s, e, ABBREVIATIONS[m["c"]], "country", ABBREVIATIONS[m["c"]], m["c"])
                )
    for m in _ABBR_PAIR.finditer(text):
        if ABBREVIATIONS[m["a"]] == ABBREVIATIONS[m["b"]]:
            continue
        for g in ("a", "b"):
            s, e = m.span(g)
            if free(s, e):
                out.append(Mention(s, e, ABBREVIATIONS[m[g]], "country", ABBREVIATIONS[m[g]], m[g]))
    out.sort(key=lambda m: m.start)
    return out


def _is_attributive(text: str, end: int) -> bool:
    """到访的代表团, 正在莫斯科进行访问的朝鲜官员: the trigger describes a noun."""
    return bool(_ATTRIBUTIVE_AFTER.match(text, end))


def _clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in CLAUSE_BREAK.finditer(sentence):
        if m.end() <= pos:
            start = m.end()
        else:
            return start, m.start()
    return start, len(sentence)


_REMOTE = re.compile(r"(?:电话|视频|视讯|线上|网络|云端|远程|云)(?:方式)?(?:举行|进行)?(?:了)?$")
# The day a trip was announced: 发言人汪文斌24日称, 外交部20日宣布.
_ANNOUNCED = re.compile(r"(?<![月\d])(\d{1,2})日(?:称|宣布|表示|透露|证实|发布消息)")


def _announced_before(prefix: str, day: date) -> bool:
    """The sentence announces the event on a day of its month before it (one day's grace)."""
    m = _ANNOUNCED.search(prefix)
    return m is not None and int(m.group(1)) + 1 < day.day


def _pick_date(
    times: list[TimeExpr],
    text: str,
    s0: int,
    s1: int,
    c0: int,
    c1: int,
    trig: int,
    trig_end: int,
    latest: date | None,
):
    usable = [
        t
        for t in times
        if s0 <= t.start < s1
        and not _REPORTING_AFTER.match(text[t.end : t.end + 4])
        and not text[t.end :].startswith("电")
    ]
    # 自上月19日举行首脑会谈以后...首次访俄: a date before 以后/以来 is a reference point;
    # so is the date of taking office (去年就任后首次访日).
    usable = [
        t
        for t in usable
        if not (
            t.end <= trig and (_SINCE.search(text, t.end, trig) or _TAKES_OFFICE.match(text, t.end))
        )
    ]
    for lo, hi in ((c0, trig), (s0, trig)):
        before = [t for t in usable if lo <= t.start and t.end <= hi]
        if before:
            return before[-1]
    after = [t for t in usable if c0 <= t.start < c1 and t.start >= trig]
    if after:
        return after[0]
    # 两国元首的会晤，台湾时间30日上午…在釜山展开: the next clause dates the encounter when it
    # opens with the date (after a time zone, 于, 在 or 是在), the date is not after the report's
    # (…，双方同意下月举行对话 names another thing), and it is not a date things are counted
    # from (自2018年2月起担任) or the day someone spoke (外长今(30)日备询说).
    later = [t for t in usable if c1 <= t.start and t.start >= trig_end]
    if (
        later
        and _NEXT_CLAUSE_OPENING.fullmatch(text, c1, later[0].start)
        and (latest is None or later[0].date <= latest)
        and not _SINCE_AFTER.match(text, later[0].end)
        and not _SAYS_AFTER.match(text, later[0].end)
    ):
        return later[0]
    return None


_NEXT_CLAUSE_OPENING = re.compile(
    # …首次访华，是在2018年9月; 四度访华，分别在1987年、1988年…
    r"[，,]\s*(?:[\u4e00-\u9fff]{2,4}时间\s*)?(?:分别[在于是]|是在|是于|于|在)?\s*"
)
_SINCE_AFTER = re.compile("(?:起|以来|以后|之后|后|就任|担任|上任|当选|开始)")
_SAYS_AFTER = re.compile("[^，,。]{0,4}?(?:说|表示|指出|称|强调|透露|备询|答询|受访)")


def find_in_article(article, mentions: list[Mention]) -> list[dict]:
    text = (
        article.text_simplified
        if isinstance(article.text_simplified, str)
        else to_simplified(article.text)
    )
    anchor = article.published
    if isinstance(anchor, pd.Timestamp):
        anchor = anchor.date()
    dated = isinstance(anchor, date) and not pd.isna(anchor)
    # Where the triggers start, in one scan of the text. No trigger holds a sentence end, so
    # a sentence where none starts has nothing to read (its own scan finds the same words:
    # a sentence starts after a sentence end or a dateline, where no lookbehind of
    # _TRIGGER matches).
    trigger_starts = []
    last = 0
    for m in _TRIGGER.finditer(text):
        trigger_starts.append(m.start())
        last = m.end()
    if not trigger_starts:  # no visit, meeting or summit word: no event
        return []
    # A trigger's date is read in its own sentence (and 次日 from the dates before it): the
    # text after the last trigger sentence is not read.
    stop = text.find("。", last)
    scope = text if stop < 0 else text[: stop + 1]
    times = find_times(scope, anchor) if dated else written_out_times(scope, text)
    counts: dict[str, int] = {}
    for m in mentions:
        if m.type == "country" and m.country:
            counts[m.country] = counts.get(m.country, 0) + 1
    events = []
    next_trigger = 0
    for sm in SENTENCE.finditer(text):
        s0, s1 = sm.span()
        while next_trigger < len(trigger_starts) and trigger_starts[next_trigger] < s0:
            next_trigger += 1
        if next_trigger == len(trigger_starts):
            break  # no trigger in the rest of the text
        if trigger_starts[next_trigger] >= s1:
            continue  # no trigger in this sentence
        # The dateline (新华社北京5月16日电) is glued to the first sentence; its place and date
        # say where and when the report was filed, not where the event was.
        dl = _DATELINE.match(sm.group())
        if dl:
            s0 += dl.end()
        sentence = text[s0:s1]
        if _HYPOTHETICAL.search(sentence) and not re.search("[了过]", sentence):
            continue
        best: dict[tuple[int, int], tuple[int, re.Match]] = {}
        for tm in _TRIGGER.finditer(sentence):
            if tm.group() not in SUMMIT_WORDS and _is_attributive(sentence, tm.end()):
                continue
            word = tm.group()
            if (
                word == "赴"
                and not re.match(
                    r"[^，,。]{0,8}(访问|参加|出席|考察|交流|会谈|进行)|[^，,。]{1,4}$",
                    sentence[tm.end() :],
                )
                and not countries_in(mentions, s0 + tm.end(), s0 + tm.end() + 6)
            ):
                continue
            if word == "来" and not _COME_TO.match(sentence, tm.end()):
                continue
            kind = "visit" if len(word) == 1 and word in "访抵" else _kind_of(word)
            if kind in ("meeting", "summit") and _NOMINAL_MEETING.match(sentence[tm.end() :]):
                continue  # 结束与金正恩的会晤后飞往北京: the meeting names a time; the flight counts
            cb = _clause_bounds(sentence, tm.start())
            if kind == "summit" and _MULTILATERAL.search(sentence, cb[0], tm.start()):
                # 对俄罗斯进行国事访问并出席二十国集团峰会: the summit of many is no event of its
                # own, so it does not outrank the visit in its clause.
                continue
            rank = _KIND_RANK[kind]
            if cb not in best or rank < best[cb][0]:
                best[cb] = (rank, tm)
        for (c0, c1), (_rank, tm) in best.items():
            word = tm.group()
            kind = "visit" if word in ("访", "抵", "来") else _kind_of(word)
            prefix = sentence[c0 : tm.start()]
            if _NOT_EVENT_BEFORE.search(prefix):
                continue
            # 菅义伟20日将前往印尼，与总统佐科举行会谈: a clause joined to a planned one is planned.
            if _JOINED.match(sentence, c0) and _NOT_EVENT_BEFORE.search(sentence, 0, c0):
                continue
            trig, trig_end = s0 + tm.start(), s0 + tm.end()
            # 赖清德今天将展开友邦之旅，去程将过境夏威夷，依序访问马绍尔群岛: a clause with no
            # subject of its own goes on with the planned clause before it.
            if (
                c0 > 0
                and _PLANNED.search(sentence, _clause_bounds(sentence, c0 - 1)[0], c0)
                and not countries_in(mentions, s0 + c0, trig)
                and not _PRONOUN.search(sentence, c0, tm.start())
                and not any(s0 + c0 <= u.start < trig for u in times)
            ):
                continue
            if kind == "summit" and _MULTILATERAL.search(sentence, max(0, c0), tm.start()):
                continue  # 东盟峰会, G20峰会: many countries, no pair
            if kind in ("meeting", "summit") and _REMOTE.search(
                sentence, max(0, tm.start() - 6), tm.start()
            ):
                continue  # 进行了电话会谈, 举行视频会晤: a call, not a meeting
            if _TOPIC_VISIT.search(sentence, 0, tm.start()):
                continue  # 岸田这次访问凸显…, 主持此次会谈: the event named as a topic
            t = _pick_date(
                times, text, s0, s1, s0 + c0, s0 + c1, trig, trig_end, anchor if dated else None
            )
            under_way = _UNDER_WAY.search(sentence, c0, tm.start())
            if t is None and dated and under_way:  # 李显龙正在中国访问: on the report's day
                t = TimeExpr(
                    s0 + under_way.start(), s0 + under_way.end(), under_way.group(),
                    anchor, anchor, "day", approximate=True, basis="dispatch",
                )  # fmt: skip
            nominal = (
                _NOMINAL_VISIT.match(sentence, tm.end()) if kind in ("visit", "departure") else None
            )
            if nominal and (
                t is None or (t.start < s0 + c0 and nominal.group().endswith(_TIME_NOMINALS))
            ):
                # undated 访华期间, 访问日本当天: background; dated, it names the visit (8月18日，
                # 普京开启访华之行) unless a time named by it takes another clause's date (2月初，
                # …在出发当天取消了访问)
                continue
            if t is not None and dated and t.date > anchor + timedelta(days=1):
                continue  # after the dispatch: a plan, not an event
            if t is not None and _announced_before(sentence[: tm.start()], t.date):
                continue  # 发言人24日称，某某26日至6月4日访问…: announced ahead, a plan
            # An undated title or comment (这是…首次访问, 此次访华) restates the report's event:
            # it stands for that event only when no other sentence tells it (see
            # event_rows.one_row_per_event).
            restates = t is None and (s0 == 0 or bool(_COMMENT.match(sentence)))
            if t is None and (
                (not dated and _AHEAD.search(sentence, c0, tm.start()))
                or _UNDATED_DOUBT.search(
                    sentence,
                    0,
                    # a day stated before the trigger: only what comes later may be a plan
                    c1 if _DAY_STATED.search(sentence, 0, tm.start()) else len(sentence),
                )
                or (word in SUMMIT_WORDS and not _HOLDING.search(sentence, c0, c1))
            ):
                # An undated plan, habit, call or old story has no date to tell it from a fact
                # of the day.
                continue
            ev = roles(kind, text, mentions, s0, s1, s0 + c0, s0 + c1, trig, trig_end, counts)
            if ev is None:
                continue
            told = {m.country for m in countries_in(mentions, s0, s1)}
            if _PRONOUN.search(
                sentence, c0, tm.start()
            ):  # 这是他…首次访华: the person named before
                told.add(ev["from_country"])
            if restates and not {ev["from_country"], ev["to_country"]} <= told:
                continue  # 这是一周内第三位到访白宫的欧洲领袖: a side guessed, not told
            # No date anywhere near it: the event still counts (pairs, map, tables), undated.
            ev.update(
                event_id=_event_id(article.article_id, trig),
                article_id=article.article_id,
                date=t.date if t else None,
                date_end=t.date_end if t else None,
                date_precision=t.precision if t else None,
                approximate=t.approximate if t else False,
                time_expr=t.text if t else None,
                evidence=article.text[s0:s1].strip(),
                _sentence=s0,
                _restates=restates,
            )
            events.append(ev)
            travellers = ev.pop("_travellers")  # before any row is copied from ev
            # 对意大利、摩纳哥、法国进行国事访问; 分别会见喀麦隆总统、埃塞俄比亚总理…: a row each.
            guest_side = kind in ("meeting", "summit")
            for country, pos in ev.pop("_listed"):
                more = dict(ev, event_id=_event_id(article.article_id, pos), place=None)
                more["from_country" if guest_side else "to_country"] = country
                if guest_side:
                    more["lead"] = None  # the lead was the first guest's
                events.append(more)
            for country, pos in travellers:  # 喀麦隆总统、纳米比亚总统先后访华
                events.append(
                    dict(
                        ev,
                        event_id=_event_id(article.article_id, pos),
                        from_country=country,
                        lead=None,
                    )
                )
            # 继2015年11月之后再次访越; 自2014年7月以后，时隔11年再次访韩 (across the comma);
            # 曾于2007年和2012年两次访问沙特 (but 6月和9月分别… pairs each date with its own trip)
            pasts = earlier_times(times, text, s0, trig)
            if t is not None and t.end <= trig and "分别" not in sentence[c0 : tm.start()]:
                pasts += [u for u in listed_before(times, text, t) if u not in pasts]
            for past in pasts:
                events.append(
                    dict(
                        ev,
                        event_id=_event_id(article.article_id, past.start),
                        date=past.date,
                        date_end=past.date_end,
                        date_precision=past.precision,
                        approximate=False,
                        time_expr=past.text,
                        place=None,  # the earlier visit's place is not told
                        _restates=False,
                        _earlier=True,
                    )
                )
    events = one_row_per_event(events)
    # 次日，努光铁与别洛乌索夫举行了会谈: with no place and no host/guest cue, the direction
    # is the one this article already gave the same pair of countries on the same trip (a
    # summit in California months before says nothing of a meeting in Munich).
    for ev in events:
        if ev.pop("_order_only"):
            pair = {ev["from_country"], ev["to_country"]}
            known = [
                o
                for o in events
                if o is not ev
                and not o.get("_order_only")
                and {o["from_country"], o["to_country"]} == pair
                and same_trip(o, ev)
            ]
            if known and known[0]["from_country"] != ev["from_country"]:
                ev["from_country"] = known[0]["from_country"]
                ev["to_country"] = known[0]["to_country"]
                ev["lead"] = None  # it was picked for the other side
    return events
