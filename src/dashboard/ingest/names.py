"""Names missing from the gazetteer: the fallback that finds them.

The tokenizer's POS tags (nr, nrt, nrfg, ns, nt), filtered hard, plus a "title + name" rule
(校长金琴铁, 总理阮春福, 部长Don Farrell); short forms of a name found in full elsewhere in the
article. The entity stage marks what this finds as unverified and merges names that sound the
same across the corpus.

What the filters keep out, by class (each seen on real pages): words jieba's dictionary knows
(it tags 顾问, 安保, 熊猫 as names; its transliterations are mostly places and brands: 西雅图,
奥斯卡), surnames that are also common characters or a country's abbreviation (高水平, 任后,
韩式), pieces of a known name (连斯基 of 泽连斯基), name-like words glued together (玉渊谭天,
汤森路透) and buildings (吴圩国际机场 is a place). A title before a name (发言人, 夫人,
拿督斯里 ...) overrides all of them but the pieces of a known name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Container
from functools import lru_cache
from itertools import accumulate, compress
from operator import itemgetter

from ..common.textnorm import HAN, NAME_SEPARATORS
from .gazetteer import HONORIFIC_TITLES, SKIP_CHARS, SKIP_RE, TITLES_PATTERN, Mention, glued_at_end

_ONLY_HAN_RE = re.compile(f"^[{HAN}]+$")
# Honorifics and titles: never part of a name (金正恩同志 -> 金正恩); titles also announce one.
HONORIFICS = ("同志", "先生", "女士", "阁下", "总书记", "委员长", "主席", "总统", "总理")
_TITLES_RE = TITLES_PATTERN
_TITLE_NAME_RE = re.compile(
    f"(?:{_TITLES_RE})([{HAN}]{{2,3}}?|[{HAN}{NAME_SEPARATORS}]{{3,16}}?)"
    r"(?=\(音\)|（音）|\(|（|同志|率领|表示|指出|强调|说|称|在|于|和|与|等|的|会见|会晤|会谈|举行|出席"
    r"|访问|通话|主持|签署|发表|宣布|接受|前往|一行|当天|当日|日前|近日|随后|则|也|亦|还|到|抵达|偕|及|将"
    # 外交大臣费萨尔向媒体表示, 所长某某认为, 发言人某某周一/星期四, 局长某某中将, 费萨尔亲王
    r"|向|认为|周[一二三四五六日]|星期|[上中少大]将|[上中少]校|亲王|陛下|殿下"
    # 第一夫人某某没有出席, 议长某某决定, 副董事长某某事件, 厅长某某今日回应, 某某就表示
    r"|没有|未|决定|事件|今天|今日|昨天|昨日|明天|就"
    r"|[0-9]|[，,。、；;：:！!？?\s]|$)"
)
# Titles inside the run taken for the name: 部长兼理事会主席拿督斯里张庆信 -> 张庆信.
_TITLE_INSIDE_RE = re.compile(f"(?:{_TITLES_RE})+")
# A name in Latin letters after a title (澳洲总理Anthony Albanese, 贸易部长Don Farrell): two or
# three capitalised words, not inside a parenthesis (a gloss of the Chinese name before it).
_LATIN_NAME_RE = re.compile("[A-Z][a-z]+[ \u00a0-][A-Z][a-z]")
_TITLE_LATIN_RE = re.compile(
    f"(?:{_TITLES_RE})[ \u00a0]?([A-Z][a-z]+(?:[ \u00a0-][A-Z][a-z]+){{1,2}})(?![A-Za-z])"
)
# Family names (Chinese, Korean): a Chinese-style name from the fallback must start with one.
_SURNAMES = set(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾"
    "丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤"
    "尹黎易常武乔贺赖龚文朴申安柳洪全严权裴河成车具禹闵俞玄元表延明玉边卓都池千咸卞廉秋鲁慎宣吉"
    "琴奇印诸郑温庞翁阮肖耿栗倪邢陶覃闫祁骆"
)
# Family names that are also everyday characters (管, 施, 游, 关, 查 ...): names after a title
# only (立委管碧玲, 部长游锡堃), see _WEAK_SURNAMES.
_TITLE_ONLY_SURNAMES = set(
    "管葛施牛童颜殷尤甘岳滕柯卜蓝伍詹游庄涂谷聂宁单艾欧辛房乐关缪焦巫喻桂褚邬毕符查"
)
_SURNAMES |= _TITLE_ONLY_SURNAMES
# Two-character surnames: a name of three or four characters.
_COMPOUND_SURNAMES = {
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "公孙",
    "尉迟", "长孙", "宇文", "端木", "南宫", "西门", "呼延", "独孤", "澹台", "公冶",
}  # fmt: skip
# Surnames that are also common characters in ordinary words (延伸线, 全面, 表示, 高水平, 任后,
# 安保, 许可) or a country's abbreviation (韩式, 韩裔, 韩侨): enough after a title (外务相全…,
# 总理韩德洙), too weak for a name the tagger guessed.
_WEAK_SURNAMES = (
    set("延表明都成车具全元玉边卓池千咸卞廉秋慎宣吉琴奇印诸方文常武万段龙史江石高任韩安许")
    | _TITLE_ONLY_SURNAMES
)
# Bylines and credits: the reporter is not in the news (记者王小明, 责编：刘军涛).
_BYLINE_RE = re.compile(r"(记者|编辑|责编|摄影|摄|撰稿|作者|通讯员)[：:/／\s]*$")
_BUILDINGS = (
    "议事堂",
    "大厦",
    "大楼",
    "广场",
    "宫",
    "公园",
    "机场",
    "车站",
    "酒店",
    "宾馆",
    "体育场",
    "纪念碑",
    "庄园",
    "别墅",
    "饭店",
    "会议中心",
)
# A building's name, with the words that often stand between it and the place (吴圩国际机场).
_BUILDING_RE = re.compile(f"(?:国际|国家|人民|中央|纪念)?(?:{'|'.join(_BUILDINGS)})")
# Tags of tokens that are names themselves: a candidate glued to one is a piece of a longer
# name, a brand or a channel (玉渊谭天, 汤森路透, 新奥加廖沃), not a person of its own.
_NAME_TAGS = ("nr", "nrfg", "nrt", "nz")
# What a person does right after being named; a place or a brand does not speak.
_SPEECH_VERBS = ("说", "表示", "指出", "认为", "称", "强调", "透露", "对记者", "对本社记者")
# Characters of transliterated foreign names (Xinhua style); a run of them is name-like.
_TRANSLIT = set(
    "阿埃艾爱安奥巴拜班邦保鲍贝本比彼宾波伯博布查达戴丹道德迪蒂丁东杜多厄恩尔法菲费芬丰弗福盖冈"
    "戈格贡古哈海汉豪赫亨胡霍基吉加贾杰捷金卡凯坎考柯科克肯库奎拉莱赖兰朗劳勒雷里利连列林琳卢鲁"
    "伦罗洛马迈曼梅门蒙米密明莫姆穆纳奈南内尼宁诺帕潘佩皮普奇齐恰乔切钦琼丘萨塞森沙莎舍什施斯"
    "松苏索塔泰坦汤特滕提廷图托瓦万威韦维温沃乌伍西希谢辛休亚扬耶伊因英尤约泽扎詹兹佐祖夫茨娃"
    "娜娅琴谢廖沙科鲍绍舒茹日季久柳丽娜尤兹汀霍蒂赛鲍麦莉蕾露玛芙黛琪佳嘉卓韦沃谢廖德哲"
    "尔兰姆斯特劳雅迪诺森克洛萨瓦伊拉哈涅波罗捷别烈得盖杰京欧翰瑟默申佛登蓬桑吕热若让尚勃契末惠华朱歇"  # 歇 of 米歇尔 (Michel, Michelle)
    "昂毕凡甘根瓜圭怀夸昆隆芒缪纽努珀锡旺"  # more of the standard transliteration table
)
# Tokens the tagger calls names that are not (measured on the seed and news in general).
FALSE_NAMES = {
    "两国", "和平", "敬爱", "重大意义", "池塘", "湖泊", "郊外", "近郊", "国际", "国际社会", "地区",
    "世界", "人民", "中央", "党中央", "国务", "新时代", "特别", "军民", "双方", "各方", "首都",
    "国家", "政府", "代表团", "综合大学", "人民军", "高干", "朝军", "峰会", "正义", "圣战", "战斗",
    "纽带", "伙伴", "东方", "西方", "南方", "北方", "中东", "欧洲", "亚洲", "非洲", "美洲", "远东",
    "金色", "长城", "黄金", "白宫", "克里", "格勒", "音", "朝媒", "俄媒", "前往", "官员", "大使馆",
}  # fmt: skip
_PLACE_ENDINGS = ("格勒", "堡", "斯克", "市", "州", "省", "岛", "湖", "港", "县", "郡", "道")
_PLACE_FOLLOWERS = ("湖泊", "湖", "郊外", "近郊", "市", "州", "港", "机场", "地区", "附近", "河")
_PARENTHESIS_RE = re.compile(r"^\s*(?:\([^()]*\)|（[^（）]*）)")
_PLACE_PRECEDERS = (
    "袭击",
    "抵达",
    "飞抵",
    "前往",
    "进攻",
    "攻占",
    "轰炸",
    "空袭",
    "位于",
    "途经",
    "赶赴",
    # a part of a country and what lies there: 在波兰东南部的热舒夫, 东部城市, 首都
    "东部的",
    "西部的",
    "南部的",
    "北部的",
    "中部的",
    "城市",
    "首都",
    "小镇",
)
# A name followed by these is part of an institution's name: 金日成军事综合大学, 普希金博物馆.
NAMED_INSTITUTION_RE = re.compile(
    f"[{HAN}]{{0,4}}?(综合大学|大学|学院|研究院|研究所|基金会|博物馆|纪念馆|图书馆|医院|剧院|中学|小学)"
)
# A country's name followed by one of its government bodies names that body (俄罗斯国防部);
# 国防部长 / 外交部长 are titles, not bodies.
GOVERNMENT_BODY_RE = re.compile(
    "(国防部|外交部|国务院|外务省|国防省|防卫省|统一部|国家情报院|联邦安全局|总参谋部|参谋本部|联合参谋本部"
    "|军方|军队)(?!长)"
)
_POS_TYPES = {"nr": "person", "nrt": "person", "nrfg": "person", "ns": "place", "nt": "org"}


@lru_cache(maxsize=1)
def _tokenizer():
    import rjieba

    return rjieba


@lru_cache(maxsize=65536)
def is_word(text: str) -> bool:
    """True when the tokenizer's dictionary lists ``text`` as a word. jieba's dictionary tags
    many ordinary words as names (顾问, 安保, 熊猫 are "nr"), and its transliterations are mostly
    places, brands and dishes (西雅图, 奥斯卡, 巴斯夫, 罗宋汤); the famous people among them are
    in the gazetteer. So a word it knows is not a new name, unless a title announces it."""
    return bool(_tokenizer().has_word(text))


def pos_tag(text: str) -> tuple[list[tuple[str, str]], list[int]]:
    """(word, tag) for every token, as the tokenizer gives them, and where each token starts
    (one more: where the last one ends). Two lists, not a tuple per token: made for every
    article, the tuples cost more than the tagging."""
    pairs = _tokenizer().tag(text)
    return pairs, list(accumulate([len(word) for word, _ in pairs], initial=0))


def _strip_honorifics(name: str) -> str:
    if not name.endswith(HONORIFICS):
        return name
    changed = True
    while changed:
        changed = False
        for h in HONORIFICS:
            if name.endswith(h) and len(name) > len(h):
                name, changed = name[: -len(h)], True
    return name


def fallback_candidates(
    text: str,
    tokens: list[tuple[str, str]],
    starts: list[int],
    covered: bytearray,
    fragments: Container[str] = (),
) -> list[tuple[int, int, str]]:
    """Names the gazetteer does not know: (start, end, type). Filtered hard.

    ``tokens``, ``starts``: the (word, tag) of every token and where each starts (pos_tag).
    ``fragments``: pieces of known names (连斯基 of 泽连斯基) that are never a name of their own.
    """
    found: list[tuple[int, int, str]] = []

    def free(s: int, e: int) -> bool:
        return not any(covered[s:e])

    def token_at(start: int) -> tuple[str, str] | None:
        """The token starting at ``start`` (the last of several: none is empty), if one does."""
        k = bisect_right(starts, start, 0, len(tokens)) - 1
        return tokens[k] if k >= 0 and starts[k] == start else None

    # Titles announce names: 校长金琴铁(音), 总统尹锡悦.
    for m in _TITLE_NAME_RE.finditer(text):
        name = m.group(1)
        s, e = m.start(1), m.end(1)
        inner = [t.end() for t in _TITLE_INSIDE_RE.finditer(name) if t.end() < len(name)]
        if inner:
            s += inner[-1]
            name = name[inner[-1] :]
        token = token_at(s)
        honoured = text.endswith(HONORIFIC_TITLES, 0, s)  # the tokenizer may glue it to the name
        if name in FALSE_NAMES or not free(s, e) or (token is None and not honoured):
            continue  # a name starts a word
        if (
            token is not None
            and token[1] not in _POS_TYPES
            and len(token[0]) >= len(name)
            and is_word(token[0])
        ):
            continue  # the tokenizer knows it as an ordinary word: 部长表示 (a token its
            # dictionary lacks, 副总理潘廷镯, is a name it has not seen)

        squeezed = SKIP_RE.sub("", name)
        if squeezed in fragments and not (token is not None and token[0] == name):
            continue  # a piece of a known name, unless the tokenizer reads it whole (发言人哈桑)
        # After a title, two characters of a transliteration are enough (夫人吉尔, 市长默里).
        translit = len(squeezed) >= 2 and all(c in _TRANSLIT for c in squeezed)
        parts = [p for p in re.split(f"[{re.escape(SKIP_CHARS)}]+", name) if p]
        # A separator marks a foreign name even in characters outside the usual set (宋玛·奔舍那).
        foreign = len(parts) > 1 and all(len(p) >= 2 for p in parts)
        chinese = (len(name) <= 3 and name[0] in _SURNAMES) or (
            len(name) <= 4 and name[:2] in _COMPOUND_SURNAMES  # 大使欧阳玉靖
        )
        if chinese or translit or foreign or (honoured and len(squeezed) >= 3):
            found.append((s, e, "person"))
            found += _listed_names(text, e, free)
    if _LATIN_NAME_RE.search(text):  # cheap test first: most articles have no Latin name
        for m in _TITLE_LATIN_RE.finditer(text):
            if free(m.start(1), m.end(1)):
                found.append((m.start(1), m.end(1), "person"))

    # POS-tagged names; neighbouring name pieces (克里/nrt 沃鲁奇科/nr, • between) form one name.
    n = len(tokens)
    j = 0
    pos_types = _POS_TYPES
    # The tokens tagged as names, picked in C (a Python step per token cost more).
    tagged = compress(range(n), map(pos_types.__contains__, map(itemgetter(1), tokens)))
    for i in list(tagged):
        if i < j:  # already part of the previous name
            continue
        word, tag = tokens[i]
        start = starts[i]
        j = i + 1
        if covered[start] and covered[start + len(word) - 1]:
            continue  # the gazetteer already has it (most tagged names)
        kind = _POS_TYPES[tag]
        while j < n:
            w2, t2 = tokens[j]
            name_piece = t2 in ("nr", "nrt", "nrfg", "ns") and all(c in _TRANSLIT for c in w2)
            separator = (
                w2 in NAME_SEPARATORS
                and j + 1 < n
                and (
                    tokens[j + 1][1] in ("nr", "nrt", "nrfg")
                    or all(c in _TRANSLIT for c in tokens[j + 1][0])
                )
            )
            if name_piece or separator:
                j += 1
            elif (
                len(w2) <= 3
                and all(c in _TRANSLIT for c in w2)
                and all(c in _TRANSLIT for c in word)
            ):
                # A transliteration the tagger cut into name + fragment (科/n).
                if t2 in ("n", "nr", "nrt", "ns", "nz", "j") and j == i + 1 and len(word) >= 2:
                    j += 1
                else:
                    break
            else:
                break
        end = starts[j - 1] + len(tokens[j - 1][0])
        name = _strip_honorifics(text[start:end])
        end = start + len(name)
        squeezed = SKIP_RE.sub("", name)
        if (
            not _ONLY_HAN_RE.match(squeezed)
            or squeezed in FALSE_NAMES
            or squeezed in fragments  # 连斯基 of 泽连斯基: a syllable cut out of a known name
            or not free(start, end)
        ):
            continue
        translit = len(squeezed) >= 3 and all(c in _TRANSLIT for c in squeezed)
        if kind == "person" and _BYLINE_RE.search(text, max(0, start - 8), start):
            continue
        if kind in ("person", "place") and (building := _BUILDING_RE.match(text, end)):
            if free(start, building.end()):
                found.append((start, building.end(), "place"))  # 万寿台议事堂, 吴圩国际机场
            continue
        if kind == "person" and (
            (i > 0 and _glued_name(tokens[i - 1], starts[i - 1], covered))
            or (j < n and _glued_name(tokens[j], starts[j], covered))
        ):
            continue
        if kind == "person" and (inst := NAMED_INSTITUTION_RE.match(text, end)):
            if free(start, inst.end()):
                found.append((start, inst.end(), "org"))
            continue
        if kind == "person":
            if translit:
                after = _PARENTHESIS_RE.sub("", text[end : end + 40], count=1)
                if (
                    after.startswith(_PLACE_FOLLOWERS)
                    or squeezed.endswith(_PLACE_ENDINGS)
                    or text[:start].endswith(_PLACE_PRECEDERS)
                ):
                    kind = "place"
                elif is_word(squeezed) and not text.startswith(_SPEECH_VERBS, end):
                    continue  # a place, brand or dish the dictionary knows (西雅图, 奥斯卡)
            elif not (
                2 <= len(squeezed) <= 3
                and squeezed[0] in _SURNAMES
                and squeezed[0] not in _WEAK_SURNAMES
                and tag in ("nr", "nrfg")
                and not (len(squeezed) == 2 and is_word(squeezed))  # 顾问, 熊猫, 温馨
            ):
                continue
        elif kind == "place":
            if not (translit or squeezed.endswith(_PLACE_ENDINGS)) or len(squeezed) < 3:
                continue
        elif kind == "org" and len(squeezed) < 5:  # 广播电台, 综合大学: generic words
            continue
        found.append((start, end, kind))
    return found


def _glued_name(token: tuple[str, str], start: int, covered: bytearray) -> bool:
    """A neighbouring token that is a name-like word of its own, not yet taken by a mention."""
    word, tag = token
    return tag in _NAME_TAGS and not covered[start] and _ONLY_HAN_RE.match(word) is not None


def short_forms(
    text: str,
    mentions: list[Mention],
    covered: bytearray,
    boundaries: Container[int],
    token_starts: list[int],
) -> list[Mention]:
    """A person named in full earlier in the article, named again in short: the last part of a
    transliteration (阿列克谢•克里沃鲁奇科 -> 克里沃鲁奇科), the family name of a four-character
    Japanese name (岸田文雄 -> 岸田)."""
    shorts: dict[str, tuple[int, Mention]] = {}
    for m in mentions:
        if m.type != "person":
            continue
        surface = text[m.start : m.end]
        parts = [p for p in re.split(f"[{re.escape(SKIP_CHARS)}]+", surface) if p]
        if len(parts) > 1 and len(parts[-1]) >= 2:
            shorts.setdefault(parts[-1], (m.end, m))
        elif (
            len(surface) == 4
            and _ONLY_HAN_RE.match(surface)
            and not all(c in _TRANSLIT for c in surface)
        ):
            shorts.setdefault(surface[:2], (m.end, m))
    found = _surname_titles(text, mentions, covered, boundaries)
    for short, (after, m) in shorts.items():
        pos = text.find(short, after)
        while pos >= 0:
            end = pos + len(short)
            if (
                not any(covered[pos:end])
                and pos in boundaries
                and not glued_at_end(token_starts, pos, end)
            ):
                found.append(Mention(pos, end, m.entity_id, m.type, m.verified))
                covered[pos:end] = [True] * len(short)
            pos = text.find(short, end)
    return found


# 蔡总统, 习主席, 李总理, 尹总统: a family name and a title stand for the one person of the
# article with that family name (Taiwan, Hong Kong and Singapore papers name leaders so).
_COUNTRY_SHORT = set("中华朝俄韩日美乌越老蒙英法德印伊台澳加")
_TITLE_AFTER_SURNAME = re.compile(
    "(?:国家主席|总统|总理|首相|主席|总书记|委员长|国务卿|外长|外相|议长|院长|部长|大使)"
)


def _surname_titles(
    text: str, mentions: list[Mention], covered: bytearray, boundaries: Container[int]
) -> list[Mention]:
    persons: dict[str, dict[str, Mention]] = {}
    for m in mentions:
        surface = text[m.start : m.end]
        if m.type != "person" or not 2 <= len(surface) <= 4 or not _ONLY_HAN_RE.match(surface):
            continue
        family = surface[:2] if surface[:2] in _COMPOUND_SURNAMES else surface[0]
        if family in _COUNTRY_SHORT:  # 韩总统, 韩外长: Korea's, not 韩德洙's
            continue
        if family in _SURNAMES or family in _COMPOUND_SURNAMES:
            persons.setdefault(family, {}).setdefault(m.entity_id, m)
    found = []
    for family, named in persons.items():
        if len(named) != 1:  # two persons of one family name: the title does not tell which
            continue
        m = next(iter(named.values()))
        pos = text.find(family)
        while pos >= 0:
            title = _TITLE_AFTER_SURNAME.match(text, pos + len(family))
            if title and pos in boundaries and not any(covered[pos : title.end()]):
                found.append(Mention(pos, title.end(), m.entity_id, m.type, m.verified))
                covered[pos : title.end()] = [True] * (title.end() - pos)
            pos = text.find(family, pos + 1)
    return found


# 立委吴斯怀、叶毓兰、洪孟楷、李德维, 众议员杰克森(右一)、卡纳(右二)及冈萨雷斯: the names listed after
# the first one a title announced share its title.
_LIST_ITEM = re.compile(
    rf"(?:[（(][^()（）]{{1,8}}[)）])?(?:、|和|及|以及|与)([{HAN}]{{2,6}}?)"
    r"(?=[（(、，,。；;]|和|及|以及|与|等|共同|一行|分别|均|都|也|亦|将|于|在|今|昨|访|抵|出席|表示|率|$)"
)


def _listed_names(text: str, end: int, free) -> list[tuple[int, int, str]]:
    found = []
    while m := _LIST_ITEM.match(text, end):
        name, (s, e) = m.group(1), m.span(1)
        chinese = (
            len(name) <= 3
            and name[0] in _SURNAMES
            and name[0] not in _WEAK_SURNAMES
            and not (len(name) == 2 and is_word(name))
        )
        translit = all(c in _TRANSLIT for c in name) and not is_word(name)
        if name in FALSE_NAMES or not free(s, e) or not (chinese or translit):
            break
        found.append((s, e, "person"))
        end = e
    return found
