"""Who travels where, who meets whom: the roles of one event trigger (see ``event_rules``).

``roles`` reads a trigger's clause for its countries (persons, organisations and places carry
their country), its lead (the person before 率领/带领, else the traveller's side) and its place
(a named city), and decides the direction: the traveller's country is the origin; a meeting's
host is before the trigger and the visitor after it unless a place says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The one-character sides of event_rules.ABBREVIATIONS (a test keeps the two the same).
_AB = "中华朝俄韩日美乌越老蒙英法德印伊台京"
_ATTRIBUTIVE_VISIT = re.compile(f"(?:到访|来访|访问|来[{_AB}][^，,。的]{{0,8}})的")


@dataclass
class Mention:
    start: int
    end: int
    entity_id: str | None
    type: str
    country: str | None
    name: str


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
_INVITATION = re.compile(r"应[^，。]{1,60}?邀请")
_PRONOUN = re.compile(r"[他她]")
_MET_BEFORE = re.compile(
    r"(?:与|同|跟)[^，,。与同跟]{1,30}?(?:的)?(?:会晤|会谈|会见|会面|谈判|峰会)"
)
# 从波兰, 经由迪拜, 过境纽约, 途经莫斯科: a route, not who travels.
# (not 亲自/独自/来自, 自由/理由, 曾经/已经: no route)
_ROUTE_BEFORE = re.compile(
    r"(?:从|(?<![亲独各擅来])自|(?<![自理缘])由|(?<![曾已历])经|过境|途经|经停|中转)(?:\S{0,2})$"
)
_TOPIC_AFTER = re.compile(r"(?:半岛)?(?:问题|议题|核|局势|危机|政策|事务)")  # 朝鲜问题, 朝核
_TOPIC_BEFORE = re.compile(r"(?:就|聚焦|讨论|关于|围绕|针对|涉及|商讨|谈及|讨论了)\S{0,2}$")
_LEAD_MARK = re.compile(r"率领|带领|为首|为团长|领衔|牵头|率")
_ARRIVED = re.compile(r"(?:抵达|到达|飞抵|抵)$")
_PLACE_BEFORE = re.compile(r"在$|于$|抵达$|赴$|从$")
# 到 and 来 ending another word (受到, 感受到, 遭到, 以来, 近来): no going anywhere.
_NOT_GOING = re.compile(r"[受遭得达看听想收找见遇感做以近原本后起从]")
# What is done at a destination before the visit word: 进行/展开/开始…访问.
_CARRIED_OUT = re.compile(r"[^，,。]{0,6}?(?:进行|展开|开展|开始|作)[^，,。]{0,10}$")
# A city naming a gathering (慕尼黑安全会议, 博鳌亚洲论坛, 香格里拉对话) is where, not who.
_NAMED_GATHERING = re.compile(r"[^，,。的]{0,4}?(?:会议|论坛|对话会?|年会|峰会|博览会)")
# Between a country and one of its cities: 首都, 南部城市, 远东港口城市 (or nothing, or 的).
_CITY_OF = re.compile(
    r"的?(?:首都|首府|[东西南北中]{1,2}部|远东|西伯利亚)?(?:港口|边境|海滨)?(?:城市|港城|市)?"
)


def is_head(m: Mention, text: str, all_mentions: list[Mention]) -> bool:
    if m.type != "person":
        return False
    if any(k in (m.name or "") for k in KNOWN_HEADS):
        return True
    for o in all_mentions:  # a head title before any mention of the same person in the article
        if o.entity_id == m.entity_id and HEAD_TITLES.search(text[max(0, o.start - 8) : o.start]):
            return True
    return False


# Between a country and its own leader inside one item: 喀麦隆总统, 埃塞俄比亚总理.
_ITEM_TITLE = r"(?:前|新任|代理)?(?:总统|总理|首相|国王|国家主席|主席|外长|外交部长|外相|国务卿|国防部长|防长|副总统|副总理|领导人|议长|女王|苏丹)"
_ITEM_TITLE_RE = re.compile(_ITEM_TITLE + "?")
# Between two items of a list (访问西班牙、阿根廷和葡萄牙; 分别会见喀麦隆总统比亚、埃塞俄比亚总理阿比):
# a joining word, after the leader's title and name when the item names one.
_LIST_JOIN = re.compile(rf"(?:{_ITEM_TITLE}[\u4e00-\u9fff·]{{0,6}}?)?(?:、|和|及|以及|与|同)")


# After a list: it describes a noun that follows (乌克兰和俄罗斯占领的克里米亚, 新加坡与马来西亚之间的海峡).
# (对日本和韩国的访问 is the visit itself).
_LIST_MODIFIES = re.compile(
    r"[^，,。、]{0,4}?(?:的(?![^，,。]{0,4}?(?:访问|行程|之行|访))|之间|之外|边境|交界|接壤)"
)


def listed_after(first: Mention, mentions: list[Mention], text: str, hi: int) -> list[Mention]:
    """The items listed after ``first`` in a list of countries (or of leaders named with
    their countries), up to ``hi``: one mention per further item; none when the list
    describes a noun after it."""
    items, _last = _list_items(first, mentions, text, hi)
    end = items[-1].end if items else first.end
    return [] if items and _LIST_MODIFIES.match(text, end) else items


def _list_items(
    first: Mention, mentions: list[Mention], text: str, hi: int
) -> tuple[list[Mention], Mention]:
    """The further items of the list ``first`` opens, and the last mention in it (an item's
    leader after its country)."""
    items, last = [], first
    for m in sorted(
        (m for m in mentions if first.end <= m.start and m.end <= hi), key=lambda m: m.start
    ):
        between = text[last.end : m.start]
        if m.country == last.country and _ITEM_TITLE_RE.fullmatch(between):
            last = m  # the leader of the item's country: same item
        elif _LIST_JOIN.fullmatch(between):
            items.append(m)
            last = m
        elif m.start > last.end:
            break
    return items, last


def travellers_with(subject: Mention, before: list[Mention], text: str) -> list[Mention]:
    """The travellers listed with ``subject`` (the last one before a visit word):
    喀麦隆总统比亚、纳米比亚总统根哥布先后对中国进行国事访问 - one mention per further item,
    none when ``subject`` ends no list."""
    for first in sorted(before, key=lambda m: m.start):
        if first.end > subject.start:
            break
        items, last = _list_items(first, before, text, subject.end)
        if items and last is subject:
            return [first, *items[:-1]]
    return []


_ONWARD = re.compile(
    "前往|飞往|飞抵|转往|转赴|赴|抵达|抵|到达|回国|返回|返国|访问|对(?=[^，,。]{0,24}访问)"
)


def countries_in(mentions: list[Mention], lo: int, hi: int) -> list[Mention]:
    return [m for m in mentions if lo <= m.start and m.end <= hi and m.country]


def roles(kind, text, mentions, s0, s1, c0, c1, trig, trig_end, counts) -> dict | None:
    """from/to country, lead and place of one trigger; None when the sides are unclear."""
    clause = countries_in(mentions, c0, c1)
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
    places = [m for m in countries_in(mentions, s0, s1) if m.type == "place"]
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
    fellows: list[Mention] = []  # further travellers listed with the one who gives frm
    first_other = None  # the mention of the other side, where a list of further ones may start
    order_only = False  # direction guessed from word order alone
    if kind in ("visit", "departure"):
        dest = inside + [m for m in after if m not in inside]
        # 出访加勒比海友邦，去程过境纽约: a city passed through is no destination
        dest = [m for m in dest if not _ROUTE_BEFORE.search(text, max(s0, m.start - 3), m.start)]
        if kind == "departure":
            origin_place = [m for m in before if text[max(c0, m.start - 1) : m.start] == "从"]
            if text[trig:trig_end] == "离开" and dest:
                origin_place = dest[:1]
                # Where the traveller goes is named after a going word (离开北京前往河内,
                # 离开德国，飞抵莫斯科); without one, what follows is who saw them off
                # (离开德国时，德国官员、中国驻德国大使到机场送行).
                onward = _ONWARD.search(text, dest[0].end, s1)
                dest = [
                    m
                    for m in countries_in(mentions, onward.end() if onward else s1, s1)
                    if m.country != dest[0].country
                ]
        else:
            origin_place = []
        # 对朝鲜进行访问: the country after 对 is where the visit goes.
        # 到中国进行6天访问, 赴美展开国事访问: so is the country after 到/赴/来 when the visit
        # is what is done there.
        targets = [
            m
            for m in before
            if text[max(c0, m.start - 1) : m.start] == "对"
            or (
                text[max(c0, m.start - 1) : m.start] in ("到", "赴", "来")
                and not _NOT_GOING.match(text, max(c0, m.start - 2))
                and _CARRIED_OUT.match(text, m.end, trig)
            )
        ]
        dest = targets + [m for m in dest if m not in targets]

        # 普京结束与金正恩的会晤后飞往北京: who was met before is not who travels.
        partners = list(_MET_BEFORE.finditer(text, s0, trig))

        def subject(ms):
            # 从波兰乘火车抵达基辅: where the traveller set out from is a route, not who travels.
            return [
                m
                for m in ms
                if m not in origin_place
                and m not in targets
                # 在平壤, 正在中国访问: where the visit happens, not who makes it
                # (a place opening the sentence has nothing before it: "" is in every string)
                and not (m.type == "place" and m.start > s0 and text[m.start - 1] in "在于")
                and not (m.type == "country" and m.start > s0 and text[m.start - 1] in "在于")
                and not _ROUTE_BEFORE.search(text, max(s0, m.start - 3), m.start)
                and not any(p.start() <= m.start < p.end() for p in partners)
            ]

        # A list after 对 is all destinations: 对意大利、摩纳哥、法国进行国事访问.
        for m in sorted(before, key=lambda m: m.start):
            if m not in targets and any(
                0 <= m.start - d.end <= 1 and text[d.end : m.start] in ("、", "和", "及", "与", "")
                for d in targets
            ):
                targets.append(m)
        # Who invited is not who travels: 应普京、施泰因迈尔和默克尔邀请，对俄罗斯和德国进行访问.
        invited = _INVITATION.search(text, s0, trig)
        if invited:
            targets += [m for m in before if invited.start() <= m.start < invited.end()]
        # The traveller: in this clause, else earlier in the sentence (赵乐际抵达平壤，应邀对朝鲜进行访问).
        # Earlier in the sentence, a person travels: the countries there may be where an
        # earlier clause went (习近平…访问了美国、新加坡等，19日到中东对沙特…进行国事访问).
        earlier = subject(
            [
                m
                for m in countries_in(mentions, s0, c0)
                if m.type in ("person", "org", "country")
                and not (invited and invited.start() <= m.start < invited.end())
            ]
        )
        subj = subject(before) or [m for m in earlier if m.type == "person"] or earlier
        if lead_m is not None and lead_m.country:
            frm = lead_m.country
        elif origin_place and not (kind == "departure" and subj) and text[trig:trig_end] != "离开":
            # 从北京出发: where the traveller set out from; but the country a traveller 离开
            # (leaves) is the host, never the traveller (离开德国时，德国官员…到机场送行)
            frm = origin_place[-1].country
        elif subj:  # 特朗普…离开北京，转到越南: the traveller's country, not the city left
            frm = subj[-1].country
            fellows = travellers_with(subj[-1], subj, text)
        for m in dest:
            if m.country != frm:
                to = m.country
                first_other = m
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
        if frm is None and to is not None and _PRONOUN.search(text, c0, trig):
            # 他周三结束对越南的访问: the traveller is the person last named before who is not
            # of the host country (这是他…首次访华 after 李显龙…与习近平会面 is 李显龙's).
            earlier = [
                m
                for m in mentions
                if m.end <= s0 and m.type == "person" and m.country and m.country != to
            ]
            frm = earlier[-1].country if earlier else None
        if frm is None and to is not None:  # the article's other main country
            listed = {to}  # nor another destination of the trip (访问了哈萨克斯坦及乌兹别克斯坦)
            if first_other is not None:
                items = listed_after(first_other, countries_in(mentions, c0, c1), text, c1)
                listed |= {m.country for m in items}
            others = sorted((c for c in counts if c not in listed), key=lambda c: -counts[c])
            frm = others[0] if others else None
        if frm == to:
            return None
    elif kind in ("meeting", "summit"):
        located = [
            m for m in before + after if text[max(c0, m.start - 1) : m.start] in ("在", "于")
        ]
        # 抵美后，习近平会见了基辛格: where the traveller had just arrived is where they met.
        located += [
            m
            for m in countries_in(mentions, s0, trig)
            if m not in located
            and _ARRIVED.search(text, max(s0, m.start - 2), m.start)
            and text.startswith("后", m.end)
        ][-1:]
        # 慕尼黑安全会议, 夏季达沃斯论坛: the city names a gathering; it is neither a side nor,
        # when the text says where the meeting was (在天津会见), the venue.
        gatherings = [
            m
            for m in before + after
            if m.type == "place" and m not in located and _NAMED_GATHERING.match(text, m.end)
        ]
        # 在泰国曼谷, 在马来西亚首都吉隆坡, 在俄罗斯远东城市符拉迪沃斯托克: the city too.
        for m in sorted(before + after, key=lambda m: m.start):
            if m not in located and any(
                v.end <= m.start and _CITY_OF.fullmatch(text, v.end, m.start) for v in located
            ):
                located.append(m)
        if located and place_m is None:
            place_m = located[-1]
        host = [m for m in before if m not in located and m not in gatherings]
        # A venue (在曼谷举行) or a topic (就朝核问题, 聚焦北韩) after the trigger is no side.
        guests = [
            m
            for m in after + inside
            if m not in host
            and m not in located
            and m not in gatherings
            and not _TOPIC_BEFORE.search(text, max(c0, m.start - 4), m.start)
            and not _TOPIC_AFTER.match(text, m.end)
        ]
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
            sent = countries_in(mentions, s0, s1)
            for m in sent:
                venue = text[max(s0, m.start - 1) : m.start] in ("在", "于")
                if m.country not in sides and not venue:
                    sides.append(m.country)
        if len(sides) < 2:
            return None
        if kind == "meeting":
            persons = [m for m in countries_in(mentions, c0, c1) if m.type == "person"]
            heads = {m.country for m in persons if is_head(m, text, mentions)}
            if len(heads) >= 2:
                kind = "summit"
        third = [m for m in located if m.country and m.country not in sides]
        if host and guests and third and host[-1].country != guests[0].country:
            # Met on a third country's ground (在德国波恩出席二十国集团会议期间会晤了王毅):
            # nobody hosts; the sentence's subject goes first.
            frm, to = host[-1].country, next(g.country for g in guests)
            place_m = None
        elif host and guests:
            to = host[-1].country
            first_other = next((g for g in guests if g.country != to), None)
            frm = first_other.country if first_other else sides[1] if sides[0] == to else sides[0]
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
                for m in countries_in(mentions, s0, trig)
                if m.type == "person" and m.country == frm
            ]
            lead_m = cand[-1] if cand else None
        else:
            cand = [
                m for m in countries_in(mentions, c0, c1) if m.type == "person" and m.country == frm
            ]
            lead_m = cand[0] if cand else None
    if lead_m is not None and lead_m.country not in (None, frm):
        lead_m = None
    place = (
        place_m.name
        if place_m is not None and place_m.type == "place" and place_m.country in (frm, to)
        else None
    )
    # The other side may be the first of a list: one event per further country listed.
    others = []
    if first_other is not None:
        for m in listed_after(first_other, countries_in(mentions, c0, c1), text, c1):
            if m.country not in (frm, to, *(c for c, _ in others)):
                others.append((m.country, m.start))
    travellers = []
    for m in fellows:
        if m.country not in (frm, to, *(c for c, _ in travellers)):
            travellers.append((m.country, m.start))
    return {
        "kind": kind,
        "lead": lead_m.entity_id if lead_m is not None else None,
        "from_country": frm,
        "to_country": to,
        "place": place,
        "_order_only": order_only,
        # (country, position): further destinations of a visit, further guests of a host
        "_listed": others,
        # (country, position): further travellers of a visit listed before its traveller
        "_travellers": travellers,
    }
