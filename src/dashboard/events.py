"""The events stage: visits, meetings, summits and departures, with resolved dates.

Reads ``articles``, ``mentions`` and ``entities`` (only the tables, not the entity stage's
internals) and writes ``events``: one row per event statement found in a sentence.

How an event is found (rules over ``text_simplified``, sentence by sentence):

- a trigger word decides the kind: summit (峰会, 首脑会谈, or a meeting whose two sides are
  both heads of state or government), meeting (会见, 会晤, 会谈, 接见, 接待), departure
  (启程, 出发, 动身, 前往, 飞往, 离开) or visit (访问, 到访, 抵达, 出访, 访朝/访俄/访华...,
  赴+place). One event per clause: the strongest trigger of the clause wins. A trigger used
  as an attribute (到访的代表团, 正在莫斯科访问的官员) is not a predicate and is skipped;
- invitations, plans, hypotheticals and denials are not events: the clause before the
  trigger must not hold 将/计划/拟/准备/打算/预计/有望/可能/邀请 (except 应邀)/如果/若/未/
  否认..., and the resolved date must not lie after the dispatch date;
- the date is the time expression nearest before the trigger in the same clause, else in the
  sentence, else the first one after it; a date that only says when something was reported
  (朝中社9日报道, 7月19日电) is not the event's date. No date, no event: an undated
  mention cannot be placed on a timeline;
- countries come from the mentions (a country's entity_id is its ISO-3 code; persons, orgs
  and places carry their ``country`` in ``entities``) plus the one-character abbreviations of
  travel language (访朝, 俄方, 朝俄, 赴华). Visits and departures: the traveller is the nearest
  country-bearing mention before the trigger, the destination the first one after it (or the
  place in 在X访问). Meetings: the host is before the trigger, the visitor after it, and a
  named place decides the direction. Summits: the place decides the host; without a place
  the order of mention is kept (the story grouping compares summit pairs unordered);
- the lead is the person named right before 率领/带领/为首, else the traveller-side person.

Grouping (``story_id``): the same event told by several articles (or several times in one
article) gets one story. Two events belong to the same story when
  1. their kind family is the same: {visit, meeting, departure} travel, {summit} summit;
  2. their country pair is the same: directed (from -> to) for travel, unordered for
     summits; an unknown from_country matches any origin with the same destination;
  3. their dates are within one day of each other (exact days; single linkage, so a
     departure on the 8th and an arrival on the 9th join), and
  4. travel only: their leads agree, or one of them is unknown (a summit has two heads, so
     its lead is not compared).
Events with a coarse or approximate date (今年6月, 日前, 一个月前) join the story whose exact
days fall inside their window (the one with most reports, if several), and never bridge two
stories; when no exact story overlaps, coarse events with overlapping windows form a story
of their own. The id reads ``<family>:<FROM>-<TO>:<first date>`` (summit pairs sorted
alphabetically), with ``#2``, ``#3`` for distinct stories with the same key.

Added columns: ``story_id``, ``date_end`` (last day of the date window; equals ``date`` for an
exact day) and ``approximate`` (True for vague expressions such as 日前).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import numpy as np
import pandas as pd

from .cache import ResultCache, key_of, version_of
from .schema import EVENT_COLUMNS
from .textnorm import to_simplified
from .timeexpr import TimeExpr, find_times

EXTRA_COLUMNS = ["story_id", "date_end", "approximate"]
COLUMNS = EVENT_COLUMNS + EXTRA_COLUMNS

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


def _article_mentions(text: str, rows: list[MentionRow], entities: dict) -> list[Mention]:
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
    # 自上月19日举行首脑会谈以后...首次访俄: a date before 以后/以来 is a reference point.
    usable = [t for t in usable if not (t.end <= trig and _SINCE.search(text, t.end, trig))]
    for lo, hi in ((c0, trig), (s0, trig)):
        before = [t for t in usable if lo <= t.start and t.end <= hi]
        if before:
            return before[-1]
    after = [t for t in usable if c0 <= t.start < c1 and t.start >= trig]
    return after[0] if after else None


def _countries_in(mentions: list[Mention], lo: int, hi: int) -> list[Mention]:
    return [m for m in mentions if lo <= m.start and m.end <= hi and m.country]


def _find_in_article(article, mentions: list[Mention]) -> list[dict]:
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


_entities_by_id: dict = {}  # entity_id -> entity row, shared with forked workers
# entity_id -> a digest of its row, for the cache keys: made once per entity, not once per
# article that names it (a row holds a numpy array of aliases, slow to repr: an article's key
# took 345 us with the rows in it, 57 us with their digests, on 10,000 synthetic articles).
_entity_digests: dict[str, str] = {}


class _MentionTable:
    """The mentions events need (entity_id, surface, type, start, end) as integer codes, with
    each article's rows found by id: 1.2 million tuples of Python objects at 100,000
    articles took hundreds of MB for the whole stage."""

    COLUMNS = ("entity_id", "surface", "type")

    def __init__(self, mentions: pd.DataFrame | None):
        self.spans: dict[str, tuple[int, int]] = {}
        if mentions is None or mentions.empty:
            self.codes, self.names, self.order = {}, {}, np.zeros(0, dtype=np.int64)
            self.start = self.end = np.zeros(0, dtype=np.int64)
            return
        self.codes, self.names = {}, {}
        for column in self.COLUMNS:
            codes, names = pd.factorize(mentions[column].astype(object), use_na_sentinel=False)
            self.codes[column] = codes.astype(np.int32)
            self.names[column] = list(names)
        self.start = mentions["start"].to_numpy(dtype=np.int64)
        self.end = mentions["end"].to_numpy(dtype=np.int64)
        article, ids = pd.factorize(mentions["article_id"].astype(object))
        self.order = np.argsort(article, kind="stable")  # table order within an article
        bounds = np.concatenate([[0], np.cumsum(np.bincount(article, minlength=len(ids)))])
        self.spans = {
            aid: (int(lo), int(hi))
            for aid, lo, hi in zip(ids, bounds[:-1], bounds[1:], strict=True)
        }

    def span(self, article_id: str) -> tuple[int, int]:
        return self.spans.get(article_id, (0, 0))

    def rows(self, lo: int, hi: int) -> list[MentionRow]:
        """(entity_id, surface, type, start, end) of the rows in one article's span."""
        if hi <= lo:
            return []
        rows = self.order[lo:hi]
        named = [[self.names[c][k] for k in self.codes[c][rows].tolist()] for c in self.COLUMNS]
        return list(zip(*named, self.start[rows].tolist(), self.end[rows].tolist(), strict=True))


_mention_table = _MentionTable(None)  # set by extract_events, shared with forked workers


def _events_chunk(rows: list[tuple]) -> list[list[dict]]:
    """The events of each article (one list per article)."""
    out: list[list[dict]] = []
    for art, span in rows:
        mention_rows = _mention_table.rows(*span)
        text = (
            art.text_simplified
            if isinstance(getattr(art, "text_simplified", None), str)
            else to_simplified(art.text)
        )
        out.append(_find_in_article(art, _article_mentions(text, mention_rows, _entities_by_id)))
    return out


def _event_key(art: SimpleNamespace, mention_rows: list) -> str:
    """Everything an article's events depend on: the article, its mentions (they change when
    names are resolved across the corpus) and what the table says of those entities."""
    ids = sorted({row[0] for row in mention_rows if isinstance(row[0], str)})
    fields = sorted(vars(art).items())
    # Texts go in as strings of their own: hashed directly, not through repr (see key_of).
    return key_of(
        *(part for name, value in fields if isinstance(value, str) for part in (name, value)),
        [(name, value) for name, value in fields if not isinstance(value, str)],
        mention_rows,
        [(e, _entity_digests.get(e)) for e in ids],
    )


def _event_item_key(item: tuple[SimpleNamespace, tuple[int, int]]) -> str:
    art, span = item
    return _event_key(art, _mention_table.rows(*span))


ARTICLE_FIELDS = ("article_id", "published", "text", "text_simplified")


def extract_events(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    workers: int = 1,
    cache: ResultCache | None = None,
) -> pd.DataFrame:
    """Events of every article (no grouping yet); articles are independent, so they may be
    spread over ``workers`` processes."""
    global _entities_by_id, _entity_digests
    _entities_by_id = {}
    if entities is not None and not entities.empty:
        _entities_by_id = (
            entities.drop_duplicates("entity_id").set_index("entity_id").to_dict("index")
        )
    _entity_digests = {entity_id: key_of(row) for entity_id, row in _entities_by_id.items()}
    global _mention_table
    _mention_table = _MentionTable(mentions)
    # SimpleNamespace rows: attribute access like itertuples, and picklable for the pool.
    # Only the columns events are found from (they are also the cache key): the others
    # cost a Python object per article and column for nothing. An article's mentions go
    # as a span of rows of _mention_table, turned into tuples one article at a time.
    used = [c for c in ARTICLE_FIELDS if c in articles]
    # From column lists: to_dict("records") iterates the Arrow-backed columns value by value.
    records = (
        dict(zip(used, values, strict=True))
        for values in zip(*(articles[c].tolist() for c in used), strict=True)
    )
    work = [
        (art, _mention_table.span(art.article_id))
        for art in (SimpleNamespace(**r) for r in records)
    ]
    cache = cache or ResultCache(None, "")
    per_article = cache.map(_events_chunk, work, _event_item_key, workers)
    rows = [event for events in per_article for event in events]
    return pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "story_id"])


def _family(kind: str) -> str:
    return "summit" if kind in ("summit", "signing") else "travel"


def assign_stories(events: pd.DataFrame) -> pd.Series:
    """story_id per event, by the rules in the module docstring."""
    if events.empty:
        return pd.Series([], dtype="object", index=events.index)
    # Plain lists, not rows of the frame: iterating its Arrow-backed columns value by value
    # (zip, itertuples) made this take 5.7 s for 131,000 events; 1.4 s from lists.
    families = [_family(k) for k in events["kind"].tolist()]
    ordered = [
        (min(f, t), max(f, t)) if fam == "summit" else (f, t)
        for fam, f, t in zip(
            families, events["from_country"].tolist(), events["to_country"].tolist(), strict=True
        )
    ]
    side_a = [a for a, _ in ordered]
    approximate = events["approximate"].fillna(False).astype(bool).tolist()
    exact = [
        p == "day" and not a
        for p, a in zip(events["date_precision"].tolist(), approximate, strict=True)
    ]
    dates, date_ends, leads = (events[c].tolist() for c in ("date", "date_end", "lead"))
    used_ids: dict[str, int] = {}

    def new_id(fam, a, b, d) -> str:
        base = f"{fam}:{a or '?'}-{b}:{pd.Timestamp(d).date().isoformat()}"
        n = used_ids.get(base, 0) + 1
        used_ids[base] = n
        return base if n == 1 else f"{base}#{n}"

    # Events by (family, destination side), in table order; like groupby, none for a
    # missing side.
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, (fam, (_a, b)) in enumerate(zip(families, ordered, strict=True)):
        if not pd.isna(b):
            groups[fam, b].append(i)
    story_of: dict[int, str] = {}
    for fam, b in sorted(groups):
        members = groups[fam, b]
        clusters: list[dict] = []  # {a, leads, lo, hi, members}, in creation order
        active: list[dict] = []  # clusters an event on or after the current day can still join
        for i in sorted((i for i in members if exact[i]), key=dates.__getitem__):
            d, a, lead = dates[i], side_a[i], leads[i]
            # Events come in date order, so a cluster that ended more than a day ago is closed.
            active = [c for c in active if (d - c["hi"]).days <= 1]
            placed = None
            for c in active:
                if (c["lo"] - d).days > 1:
                    continue
                if a and c["a"] and a != c["a"]:
                    continue
                if (
                    fam == "travel"
                    and isinstance(lead, str)
                    and c["leads"]
                    and lead not in c["leads"]
                ):
                    continue
                placed = c
                break
            if placed is None:
                placed = {"a": a, "leads": set(), "lo": d, "hi": d, "members": []}
                clusters.append(placed)
                active.append(placed)
            placed["members"].append(i)
            placed["lo"], placed["hi"] = min(placed["lo"], d), max(placed["hi"], d)
            placed["a"] = placed["a"] or a
            if isinstance(lead, str):
                placed["leads"].add(lead)
        # Day buckets find the exact clusters a rough window overlaps without scanning all.
        by_day: dict = defaultdict(list)
        for n, c in enumerate(clusters):
            for k in range((c["hi"] - c["lo"]).days + 1):
                by_day[c["lo"] + timedelta(days=k)].append(n)
        coarse_clusters: list[dict] = []
        for i in sorted((i for i in members if not exact[i]), key=dates.__getitem__):
            a, lead = side_a[i], leads[i]
            lo, hi = dates[i], date_ends[i] if pd.notna(date_ends[i]) else dates[i]
            overlapping = sorted(
                {
                    n
                    for k in range((hi - lo).days + 1)
                    for n in by_day.get(lo + timedelta(days=k), ())
                }
            )
            fits = [
                clusters[n]
                for n in overlapping
                if (not a or not clusters[n]["a"] or a == clusters[n]["a"])
                and (
                    fam == "summit"
                    or not isinstance(lead, str)
                    or not clusters[n]["leads"]
                    or lead in clusters[n]["leads"]
                )
            ]
            if fits:
                max(fits, key=lambda c: len(c["members"]))["members"].append(i)
                continue
            for c in coarse_clusters:
                if c["lo"] <= hi and c["hi"] >= lo and (not a or not c["a"] or a == c["a"]):
                    c["members"].append(i)
                    c["lo"], c["hi"] = max(c["lo"], lo), min(c["hi"], hi)
                    break
            else:
                coarse_clusters.append({"a": a, "leads": set(), "lo": lo, "hi": hi, "members": [i]})
        for c in clusters + coarse_clusters:
            a = c["a"] or next((side_a[i] for i in c["members"] if side_a[i]), None)
            exact_members = [i for i in c["members"] if exact[i]]
            first = min(dates[i] for i in (exact_members or c["members"]))
            sid = new_id(fam, a, b, first)
            for i in c["members"]:
                story_of[i] = sid
    return pd.Series(
        [story_of.get(i) for i in range(len(events))], index=events.index, dtype="object"
    )


def build_events(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    workers: int = 1,
    cache: ResultCache | None = None,
) -> pd.DataFrame:
    frame = extract_events(articles, mentions, entities, workers, cache)
    frame["story_id"] = assign_stories(frame)
    frame = frame.drop_duplicates("event_id")
    return frame[COLUMNS].reset_index(drop=True)


def run(ctx) -> None:
    tables = ctx.tables
    articles = tables["articles"]
    mentions = tables.get("mentions")
    entities = tables.get("entities")
    version = version_of("events.py", "timeexpr.py", "textnorm.py")
    events = build_events(
        articles,
        mentions,
        entities,
        ctx.options.get("workers", 1),
        ctx.caches.stage("events", version),
    )
    ctx.tables["events"] = events
    ctx.report.counts["stories"] = int(events["story_id"].nunique()) if not events.empty else 0
