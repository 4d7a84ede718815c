"""The sentence rules of the events stage: triggers, roles, dates.

See ``events.py`` for what an event is; this module holds the rules that read one article:
which words trigger which kind, which clauses are not events (plans, denials, hypotheticals),
who travels where (``_roles``), which time expression dates the event (``_pick_date``), and
the one-character country abbreviations of travel language (访朝, 俄方, 朝俄).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from ..common.textnorm import to_simplified
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
}
_AB = "中华朝俄韩日美乌越老蒙英法德印伊"
# 访朝, 赴俄, 抵华, 来华, 访日: destination right after a travel verb.
_ABBR_DEST = re.compile(f"(?:访|赴|抵|来|到)(?P<c>[{_AB}])(?![国军方])")
# 俄方, 朝方, 俄代表团, 俄副防长, 韩外长: a side named by its abbreviation.
_ABBR_SIDE = re.compile(
    f"(?<![{_AB}])(?P<c>[朝俄韩日美乌华])(?=方|代表团|副防长|防长|外长|总统|总理|首相|官员|军方|国防部|外交部)"
)
# 朝俄, 中朝, 美韩, 日韩: a pair of sides (two abbreviations, then a word that needs a pair).
_ABBR_PAIR = re.compile(
    f"(?P<a>[{_AB}])(?P<b>[{_AB}])(?=两国|双方|关系|首脑|峰会|领导人|军事|外长|平壤|莫斯科|北京|首尔|东京|华盛顿|之间|自|在|签署|举行|会谈|元首|高层)"
)

SUMMIT_WORDS = ["峰会", "首脑会谈", "首脑会晤", "元首会晤", "首脑会面", "领导人会晤", "高峰会"]
MEETING_WORDS = ["会见", "会晤", "会谈", "接见", "接待", "会面"]
DEPARTURE_WORDS = ["启程", "起程", "出发", "动身", "前往", "飞往", "离开"]
VISIT_WORDS = ["到访", "访问", "出访", "来访", "造访", "抵达", "赴"]
_KIND_RANK = {"summit": 0, "meeting": 1, "departure": 2, "visit": 3}
_TRIGGER = re.compile(
    "|".join(
        sorted(SUMMIT_WORDS + MEETING_WORDS + DEPARTURE_WORDS + VISIT_WORDS, key=len, reverse=True)
    )
    + f"|访(?=[{_AB}])"
)


def _kind_of(word: str) -> str:
    if word in SUMMIT_WORDS:
        return "summit"
    if word in MEETING_WORDS:
        return "meeting"
    if word in DEPARTURE_WORDS:
        return "departure"
    return "visit"


# Heads of state or government: the titles that mark one near a name, and well-known names
# (2022-2025) for reports that name a leader without a title.
HEAD_TITLES = re.compile(
    r"(总统|国家主席|总书记|国务委员长|首相|总理|国王|领导人|国家元首|最高领导人)$"
)
KNOWN_HEADS = {
    "普京",
    "金正恩",
    "习近平",
    "拜登",
    "特朗普",
    "尹锡悦",
    "李在明",
    "岸田文雄",
    "石破茂",
    "泽连斯基",
    "卢卡申科",
    "莫迪",
    "马克龙",
    "朔尔茨",
    "苏林",
    "通伦",
}

# Words before the trigger (in its clause) that make it a plan, invitation, hypothetical or
# denial rather than a reported event.
_NOT_EVENT = re.compile(
    r"(?<![中少上大])将(?![军领])|即将|计划|拟|准备|打算|预计|有望|或将|可能|希望|考虑|筹备|"
    r"(?<!应)邀请?(?!请?[了过])|如果|假如|倘若|若|一旦|未|没有|否认|取消|推迟|不会|尚未"
)
_HYPOTHETICAL = re.compile(r"如果|假如|倘若|一旦")
# A date followed by these words dates the report, not the event.
_REPORTING_AFTER = re.compile(
    r"^[ \t]*(?:报道|电|消息|发表|公布|援引|引述|播报|报导|发布|称|表示|说)"
)
_DATELINE = re.compile(
    r"[ \t]*[（(]?[^，,。；;\n（(]{0,24}?(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日"
    r"(?:电|专电|综合外电报导|综合报导|综合外电报道)[)）]?[ \t]*"
)
_SINCE = re.compile(r"以后|以来|之后")
# 去年5月就任后首次访日, 2021年8月宣誓就职: the date tells when an office was taken.
_TAKES_OFFICE = re.compile(
    r"[ \t]*(?:正式|宣誓|刚刚|刚)?(?:就任|就职|上任|当选|上台|履新)(?!典礼|仪式|大典|演说|演讲)"
)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_LEAD_MARK = re.compile(r"率领|带领|为首|为团长|领衔|牵头|率")
_ATTRIBUTIVE_VISIT = re.compile(f"(?:到访|来访|访问|来[{_AB}][^，,。的]{{0,8}})的")
_PLACE_BEFORE = re.compile(r"在$|于$|抵达$|赴$|从$")


@dataclass
class Mention:
    start: int
    end: int
    entity_id: str | None
    type: str
    country: str | None
    name: str


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


def _is_head(m: Mention, text: str, all_mentions: list[Mention]) -> bool:
    if m.type != "person":
        return False
    if any(k in (m.name or "") for k in KNOWN_HEADS):
        return True
    for o in all_mentions:  # a head title before any mention of the same person in the article
        if o.entity_id == m.entity_id and HEAD_TITLES.search(text[max(0, o.start - 8) : o.start]):
            return True
    return False


def _is_attributive(text: str, end: int) -> bool:
    """到访的代表团, 正在莫斯科进行访问的朝鲜官员: the trigger describes a noun."""
    return text[end : end + 1] == "的"


def _clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _CLAUSE_BREAK.finditer(sentence):
        if m.end() <= pos:
            start = m.end()
        else:
            return start, m.start()
    return start, len(sentence)


def _pick_date(times: list[TimeExpr], text: str, s0: int, s1: int, c0: int, c1: int, trig: int):
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
    return after[0] if after else None


def _countries_in(mentions: list[Mention], lo: int, hi: int) -> list[Mention]:
    return [m for m in mentions if lo <= m.start and m.end <= hi and m.country]


def find_in_article(article, mentions: list[Mention]) -> list[dict]:
    text = (
        article.text_simplified
        if isinstance(article.text_simplified, str)
        else to_simplified(article.text)
    )
    anchor = article.published
    if not isinstance(anchor, date) or pd.isna(anchor):
        return []
    if isinstance(anchor, pd.Timestamp):
        anchor = anchor.date()
    if not _TRIGGER.search(text):  # no visit, meeting or summit word: no event to date
        return []
    times = find_times(text, anchor)
    counts: dict[str, int] = {}
    for m in mentions:
        if m.type == "country" and m.country:
            counts[m.country] = counts.get(m.country, 0) + 1
    events = []
    for sm in _SENTENCE.finditer(text):
        s0, s1 = sm.span()
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
                and not _countries_in(mentions, s0 + tm.end(), s0 + tm.end() + 6)
            ):
                continue
            kind = "visit" if word.startswith("访") and len(word) == 1 else _kind_of(word)
            cb = _clause_bounds(sentence, tm.start())
            rank = _KIND_RANK[kind]
            if cb not in best or rank < best[cb][0]:
                best[cb] = (rank, tm)
        for (c0, c1), (_rank, tm) in best.items():
            word = tm.group()
            kind = "visit" if word == "访" else _kind_of(word)
            prefix = sentence[c0 : tm.start()]
            if _NOT_EVENT.search(prefix):
                continue
            trig, trig_end = s0 + tm.start(), s0 + tm.end()
            t = _pick_date(times, text, s0, s1, s0 + c0, s0 + c1, trig)
            if t is None or t.date > anchor + timedelta(days=1):
                continue
            ev = _roles(kind, text, mentions, s0, s1, s0 + c0, s0 + c1, trig, trig_end, counts)
            if ev is None:
                continue
            ev.update(
                event_id=_event_id(article.article_id, trig),
                article_id=article.article_id,
                date=t.date,
                date_end=t.date_end,
                date_precision=t.precision,
                approximate=t.approximate,
                time_expr=t.text,
                evidence=article.text[s0:s1].strip(),
            )
            events.append(ev)
    # 次日，努光铁与别洛乌索夫举行了会谈: with no place and no host/guest cue, the direction
    # is the one this article already gave the same pair of countries.
    for ev in events:
        if ev.pop("_order_only"):
            pair = {ev["from_country"], ev["to_country"]}
            known = [
                o
                for o in events
                if o is not ev
                and not o.get("_order_only")
                and {o["from_country"], o["to_country"]} == pair
            ]
            if known and known[0]["from_country"] != ev["from_country"]:
                ev["from_country"] = known[0]["from_country"]
                ev["to_country"] = known[0]["to_country"]
                ev["lead"] = None  # it was picked for the other side
    return events


def _roles(kind, text, mentions, s0, s1, c0, c1, trig, trig_end, counts) -> dict | None:
    """from/to country, lead and place of one trigger; None when the sides are unclear."""
    clause = _countries_in(mentions, c0, c1)
    before = [m for m in clause if m.end <= trig]
    after = [m for m in clause if m.start >= trig_end]
    inside = [
        m
        for m in clause
        if trig <= m.start < trig_end
        or (
            m.start >= trig
            and m.start < trig_end + 1
            and m.type == "country"
            and m.end - m.start == 1
        )
    ]
    places = [m for m in _countries_in(mentions, s0, s1) if m.type == "place"]
    place_m = None
    for p in places:
        venue = kind == "summit" and 0 <= trig - p.end <= 1  # 平壤峰会
        if venue or _PLACE_BEFORE.search(text[max(s0, p.start - 2) : p.start]) or p.start >= trig:
            place_m = p
            break
    lead_m = None
    for lm in _LEAD_MARK.finditer(text, c0, c1):
        persons = [
            m for m in mentions if c0 <= m.start and m.end <= lm.start() and m.type == "person"
        ]
        if persons and lm.start() - persons[-1].end <= 2:
            lead_m = persons[-1]
            break
    frm = to = None
    order_only = False  # direction guessed from word order alone
    if kind in ("visit", "departure"):
        dest = inside + [m for m in after if m not in inside]
        if kind == "departure":
            origin_place = [m for m in before if text[max(c0, m.start - 1) : m.start] == "从"]
            if text[trig:trig_end] == "离开" and dest:
                origin_place = dest[:1]
                dest = [
                    m
                    for m in _countries_in(mentions, dest[0].end, s1)
                    if m.country != dest[0].country
                ]
        else:
            origin_place = []
        # 对朝鲜进行访问: the country after 对 is where the visit goes.
        targets = [m for m in before if text[max(c0, m.start - 1) : m.start] == "对"]
        dest = targets + [m for m in dest if m not in targets]

        def subject(ms):
            return [
                m
                for m in ms
                if m not in origin_place
                and m not in targets
                and not (m.type == "place" and text[max(s0, m.start - 1) : m.start] in "在于")
            ]

        # The traveller: in this clause, else earlier in the sentence (赵乐际抵达平壤，应邀对朝鲜进行访问).
        subj = subject(before) or subject(
            [m for m in _countries_in(mentions, s0, c0) if m.type in ("person", "org", "country")]
        )
        if lead_m is not None and lead_m.country:
            frm = lead_m.country
        elif origin_place:
            frm = origin_place[-1].country
        elif subj:
            frm = subj[-1].country
        for m in dest:
            if m.country != frm:
                to = m.country
                if m.type == "place":
                    place_m = m
                break
        if to is None:  # 在平壤访问: the place before the trigger is the destination
            at = [
                m
                for m in before
                if text[max(c0, m.start - 1) : m.start] in ("在", "于") and m.country != frm
            ]
            if at:
                to = at[-1].country
                place_m = at[-1] if at[-1].type == "place" else place_m
        if frm is None and to is not None:  # the article's other main country
            others = sorted((c for c in counts if c != to), key=lambda c: -counts[c])
            frm = others[0] if others else None
        if frm == to:
            return None
    elif kind in ("meeting", "summit"):
        located = [m for m in before if text[max(c0, m.start - 1) : m.start] in ("在", "于")]
        if located and place_m is None:
            place_m = located[-1]
        host = [m for m in before if m not in located]
        guests = [m for m in after + inside if m not in host]
        # 同来华访问的普京会谈 / 会见到访的代表团: whoever follows an attributive visit is the guest.
        attr = _ATTRIBUTIVE_VISIT.search(text, c0, trig)
        if attr:
            guests = [m for m in host if m.start >= attr.end()] + guests
            host = [m for m in host if m.start < attr.end()]
        sides = []
        for m in host + guests:
            if m.country and m.country not in sides:
                sides.append(m.country)
        if len(sides) < 2:
            sent = _countries_in(mentions, s0, s1)
            for m in sent:
                if m.country not in sides:
                    sides.append(m.country)
        if len(sides) < 2:
            return None
        if kind == "meeting":
            persons = [m for m in _countries_in(mentions, c0, c1) if m.type == "person"]
            heads = {m.country for m in persons if _is_head(m, text, mentions)}
            if len(heads) >= 2:
                kind = "summit"
        if host and guests:
            to = host[-1].country
            frm = next(
                (g.country for g in guests if g.country != to),
                sides[1] if sides[0] == to else sides[0],
            )
        else:
            frm, to = sides[0], sides[1]
            order_only = True
        if place_m is not None and place_m.country in (frm, to):
            order_only = False
        if (
            place_m is not None
            and place_m.country in (frm, to)
            and place_m.country != to
            and not attr
        ):
            frm, to = to, frm
    if frm is None or to is None or frm == to:
        return None
    if lead_m is None:
        if kind in ("visit", "departure"):
            cand = [
                m
                for m in _countries_in(mentions, s0, trig)
                if m.type == "person" and m.country == frm
            ]
            lead_m = cand[-1] if cand else None
        else:
            cand = [
                m
                for m in _countries_in(mentions, c0, c1)
                if m.type == "person" and m.country == frm
            ]
            lead_m = cand[0] if cand else None
    if lead_m is not None and lead_m.country not in (None, frm):
        lead_m = None
    place = (
        place_m.name
        if place_m is not None and place_m.type == "place" and place_m.country in (frm, to)
        else None
    )
    return {
        "kind": kind,
        "lead": lead_m.entity_id if lead_m is not None else None,
        "from_country": frm,
        "to_country": to,
        "place": place,
        "_order_only": order_only,
    }
