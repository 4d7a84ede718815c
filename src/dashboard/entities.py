"""The entity stage: gazetteer matching, country abbreviations and a fallback for unknown names.

Three passes per article, all on ``text_simplified`` (same length as ``text``, so offsets hold):

1. One Aho-Corasick automaton (leftmost-longest) over every gazetteer alias *and* every outlet
   alias, run on a copy with spaces and name separators removed (阿列克谢 • 克里沃鲁奇科), offsets
   mapped back. Outlet hits only mask text: 朝中社 is KCNA, not a mention of the DPRK.
   Aliases of two characters must start on a word boundary of the tokenizer (小李强调 holds no
   李强, 其中国家 no 中国).
2. One-character country abbreviations (朝, 俄, 中 ...) count only inside compounds: runs of
   abbreviations (朝俄, 美日韩), after a verb of travel or stance (访朝, 赴俄, 驻韩, 对美) or
   before a compound suffix (俄方, 朝媒, 俄代表团, 俄副防长). 中央, 其中, 中期 stay words.
3. Fallback for names missing from the gazetteer: the tokenizer's POS tags (nr, nrt, nrfg, ns,
   nt), filtered hard, plus a "title + name" rule (校长金琴铁). Names that sound the same
   (same toneless pinyin) are one entity; a short name joins its full form (克里沃鲁奇科 after
   阿列克谢•克里沃鲁奇科). They are marked unverified: ``unverified:<name>``.

Only entities that are mentioned go into the ``entities`` table; the gazetteer stays the
reference for everything else (coordinates of unmentioned countries included).
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter
from pathlib import Path

import ahocorasick_rs
import numpy as np
import pandas as pd

from .cache import ResultCache, key_of, version_of
from .paths import GAZETTEER_CSV
from .schema import COLUMNS
from .textnorm import HAN, NAME_SEPARATORS, to_simplified

GAZETTEER_COLUMNS = [
    "entity_id",
    "type",
    "name_zh",
    "name_en",
    "aliases",
    "country",
    "lat",
    "lon",
    "abbrev",
]
TYPES = ("person", "country", "org", "place")
UNVERIFIED = "unverified:"

# Characters removed before matching: spaces and the dots between parts of a foreign name.
_SKIP_CHARS = " \t\u3000\u00a0" + NAME_SEPARATORS
_SKIP_RE = re.compile(f"[{re.escape(_SKIP_CHARS)}]")
_HAN_RE = re.compile(f"[{HAN}]")
_ONLY_HAN_RE = re.compile(f"^[{HAN}]+$")
_SENTENCE_END_RE = re.compile(r"[。！？!?\n]")

# Words around a one-character country abbreviation that make it a compound.
_ABBREV_PREFIXES = set("访赴驻抵离援反亲抗对与")
_ABBREV_SUFFIXES = (
    "方", "媒", "军", "籍", "副", "驻", "外长", "外相", "防长", "总统", "总理", "首相", "领导人",
    "代表团", "高官", "官员", "政府", "国防部", "外交部", "关系", "两国", "双方", "首脑", "峰会",
    "元首", "大使", "使馆", "边境", "同盟", "三国", "三方", "三边", "双边", "四国",
)  # fmt: skip

# Abbreviations that are also everyday characters (以 = by, 加 = add, 马, 沙, 白 ...): they count
# after a travel/stance verb or before a suffix, or after another abbreviation (中以, 美加),
# never at the start of a run.
_WEAK_ABBREVS = set("以加沙马哈古白老波秘塔土台智吉希伊黎孟丹捷奥埃")
# Abbreviation + suffix pairs that are ordinary words.
_ABBREV_WORDS = {
    "西方", "西部", "东方", "以上", "以下", "以及", "以来", "以后", "以前", "以便", "以为", "以外",
    "以免", "以致", "加上", "加之", "日方才", "中方向", "南方", "北方", "马上", "台方向",
}  # fmt: skip
# Honorifics and titles: never part of a name (金正恩同志 -> 金正恩); titles also announce one.
HONORIFICS = ("同志", "先生", "女士", "阁下", "总书记", "委员长", "主席", "总统", "总理")
_TITLES = (
    "总统", "总理", "首相", "主席", "委员长", "总书记", "书记", "部长", "副部长", "外长", "外相",
    "防长", "副防长", "国防部长", "外交部长", "大使", "校长", "司令", "司令官", "参谋长", "议长",
    "议员", "发言人", "国务卿", "秘书长", "局长", "院长", "会长", "主任", "领导人", "顾问", "官员",
    "将军", "上将", "中将", "少将", "大将", "元帅", "团长", "市长", "州长", "省长", "党首",
    "外务相", "经济相", "国防相", "防卫相", "财务相", "副相", "首席", "特使", "大法官",
)  # fmt: skip
_TITLE_NAME_RE = re.compile(
    "(?:"
    + "|".join(sorted(map(re.escape, _TITLES), key=len, reverse=True))
    + f")([{HAN}]{{2,3}}?|[{HAN}{NAME_SEPARATORS}]{{3,16}}?)"
    r"(?=\(音\)|（音）|\(|（|同志|率领|表示|指出|强调|说|称|在|于|和|与|等|的|会见|出席|访问|一行|当天|当日|日前|近日|随后|则|也|还|到|抵达|[0-9]|[，,。、；;：:！!？?\s]|$)"
)
# Family names (Chinese, Korean): a Chinese-style name from the fallback must start with one.
_SURNAMES = set(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾"
    "丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤"
    "尹黎易常武乔贺赖龚文朴申安柳洪全严权裴河成车具禹闵俞玄元表延明玉边卓都池千咸卞廉秋鲁慎宣吉"
    "琴奇印诸郑温庞翁"
)
# Surnames that are also common characters in ordinary words (延伸线, 全面, 表示): enough after a
# title (外务相全…), too weak for a name the tagger guessed.
_WEAK_SURNAMES = set("延表明都成车具全元玉边卓池千咸卞廉秋慎宣吉琴奇印诸方文常武万段龙史江石")
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
)
# Characters of transliterated foreign names (Xinhua style); a run of them is name-like.
_TRANSLIT = set(
    "阿埃艾爱安奥巴拜班邦保鲍贝本比彼宾波伯博布查达戴丹道德迪蒂丁东杜多厄恩尔法菲费芬丰弗福盖冈"
    "戈格贡古哈海汉豪赫亨胡霍基吉加贾杰捷金卡凯坎考柯科克肯库奎拉莱赖兰朗劳勒雷里利连列林琳卢鲁"
    "伦罗洛马迈曼梅门蒙米密明莫姆穆纳奈南内尼宁诺帕潘佩皮普奇齐恰乔切钦琼丘萨塞森沙莎舍什施斯"
    "松苏索塔泰坦汤特滕提廷图托瓦万威韦维温沃乌伍西希谢辛休亚扬耶伊因英尤约泽扎詹兹佐祖夫茨娃"
    "娜娅琴谢廖沙科鲍绍舒茹日季久柳丽娜尤兹汀霍蒂赛鲍麦莉蕾露玛芙黛琪佳嘉卓韦沃谢廖德哲"
    "尔兰姆斯特劳雅迪诺森克洛萨瓦伊拉哈涅波罗捷别烈得盖杰京欧翰瑟"
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
)
# A name followed by these is part of an institution's name: 金日成军事综合大学, 普希金博物馆.
_NAMED_INSTITUTION_RE = re.compile(
    f"[{HAN}]{{0,4}}?(综合大学|大学|学院|研究院|研究所|基金会|博物馆|纪念馆|图书馆|医院|剧院|中学|小学)"
)
# A country's name followed by one of its government bodies names that body (俄罗斯国防部);
# 国防部长 / 外交部长 are titles, not bodies.
_GOVERNMENT_BODY_RE = re.compile(
    "(国防部|外交部|国务院|外务省|国防省|防卫省|统一部|国家情报院|联邦安全局|总参谋部|参谋本部|联合参谋本部"
    "|军方|军队)(?!长)"
)
_POS_TYPES = {"nr": "person", "nrt": "person", "nrfg": "person", "ns": "place", "nt": "org"}


@dataclass(frozen=True)
class Entity:
    entity_id: str
    type: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    country: str
    lat: float | None
    lon: float | None
    abbrev: str = ""


@dataclass(slots=True)  # a million of them at 100,000 articles: no __dict__ each
class Mention:
    start: int
    end: int
    entity_id: str
    type: str
    verified: bool = True

    def __reduce__(self):
        # Rebuilt from its fields: a slotted dataclass otherwise unpickles through a Python
        # __setstate__, and the parent unpickles a million of them at 100,000 articles
        # (entity results loaded 22 % faster, and their pickles are 15 % smaller).
        return (type(self), _mention_fields(self))


# Every field of a Mention, in order, as one tuple (a field added later is pickled too).
_mention_fields = attrgetter(*(f.name for f in dataclasses.fields(Mention)))


def normalize_alias(alias: str) -> str:
    return _SKIP_RE.sub("", to_simplified(alias.strip()))


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=65536)
def toneless_pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(normalize_alias(name)))


class Gazetteer:
    """The entities of ``data/gazetteer.csv``, indexed by normalized Simplified alias."""

    def __init__(self, entities: list[Entity]):
        self.entities = {e.entity_id: e for e in entities}
        self.alias_to_id: dict[str, str] = {}
        self.abbrev_to_id: dict[str, str] = {}
        for e in entities:
            for alias in (e.name_zh, *e.aliases):
                key = normalize_alias(alias) if alias else ""
                # Latin aliases are not matched in Chinese text (UN inside "fund"); Han only.
                if len(key) >= 2 and _HAN_RE.search(key):
                    self.alias_to_id.setdefault(key, e.entity_id)
            if e.abbrev and len(e.abbrev.strip()) == 1:
                self.abbrev_to_id.setdefault(to_simplified(e.abbrev.strip()), e.entity_id)

    @classmethod
    def load(cls, path: Path = GAZETTEER_CSV) -> Gazetteer:
        entities = []
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                entity_id = (row.get("entity_id") or "").strip()
                if not entity_id or entity_id.startswith("#"):
                    continue
                entities.append(
                    Entity(
                        entity_id=entity_id,
                        type=(row.get("type") or "").strip(),
                        name_zh=(row.get("name_zh") or "").strip(),
                        name_en=(row.get("name_en") or "").strip(),
                        aliases=tuple(
                            a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()
                        ),
                        country=(row.get("country") or "").strip(),
                        lat=_float(row.get("lat")),
                        lon=_float(row.get("lon")),
                        abbrev=(row.get("abbrev") or "").strip(),
                    )
                )
        return cls(entities)

    @property
    def sound_index(self) -> dict[str, str]:
        """Toneless pinyin of transliterated names (3+ characters) -> entity id."""
        if not hasattr(self, "_sound_index"):
            index: dict[str, str] = {}
            for alias, entity_id in self.alias_to_id.items():
                if len(alias) >= 3 and self.entities[entity_id].type in ("person", "place"):
                    index.setdefault(toneless_pinyin(alias), entity_id)
            self._sound_index = index
        return self._sound_index


class Matcher:
    """Gazetteer + outlet aliases in one leftmost-longest automaton, built once per gazetteer."""

    def __init__(self, gazetteer: Gazetteer, outlet_aliases: list[str]):
        self.gazetteer = gazetteer
        patterns = list(gazetteer.alias_to_id)
        self.n_entity_patterns = len(patterns)
        known = set(patterns)
        for alias in outlet_aliases:
            key = normalize_alias(alias)
            if len(key) >= 2 and _HAN_RE.search(key) and key not in known:
                known.add(key)
                patterns.append(key)
        self.patterns = patterns
        self.ids = [gazetteer.alias_to_id.get(p) for p in patterns]
        self.automaton = ahocorasick_rs.AhoCorasick(
            patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        abbrevs = "".join(gazetteer.abbrev_to_id)
        self.abbrev_re = re.compile(f"[{re.escape(abbrevs)}]+") if abbrevs else None

    def find(
        self, simplified: str, boundaries: Container[int], token_starts: list[int]
    ) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Gazetteer mentions and outlet spans (masks) in one article."""
        normalized, offsets = _squeeze(simplified)
        mentions: list[Mention] = []
        masks: list[tuple[int, int]] = []
        matches = self.automaton.find_matches_as_indexes(normalized)
        k = 0
        while k < len(matches):
            index, start, end = matches[k]
            k += 1
            entity_id = self.ids[index]
            if (
                entity_id is not None
                and normalized.startswith("长", end)
                and normalized[end - 1] in "部省院局厅署"
                and self.gazetteer.entities[entity_id].type == "org"
            ):
                # 俄罗斯国防部长 is Russia's minister (a title), not the ministry: look again
                # inside 俄罗斯国防 for the country.
                inner = self.automaton.find_matches_as_indexes(normalized[start : end - 1])
                matches[k:k] = [(i, start + a, start + b) for i, a, b in inner]
                continue
            s = offsets[start] if offsets is not None else start
            e = (offsets[end - 1] + 1) if offsets is not None else end
            if entity_id is None:
                masks.append((s, e))
                continue
            # Short aliases must be a word: 李强 is not in 小李强调, 中国 not in 其中国家,
            # 俄军 not in 朝俄军事.
            if end - start <= 2 and (s not in boundaries or _glued_at_end(token_starts, s, e)):
                continue
            mentions.append(Mention(s, e, entity_id, self.gazetteer.entities[entity_id].type))
        return mentions, masks

    def find_abbreviations(
        self, simplified: str, boundaries: Container[int], covered: bytearray
    ) -> list[Mention]:
        if self.abbrev_re is None:
            return []
        found = []
        for m in self.abbrev_re.finditer(simplified):
            # Split the run where something else (an outlet, a full name) already covers it.
            start = m.start()
            for i in range(m.start(), m.end() + 1):
                if i == m.end() or covered[i]:
                    if i > start:
                        found.extend(self._abbrev_run(simplified, start, i, boundaries))
                    start = i + 1
        return found

    def _abbrev_run(
        self, text: str, start: int, end: int, boundaries: Container[int]
    ) -> list[Mention]:
        def left_ok(s: int) -> bool:
            prev = text[s - 1] if s > 0 else ""
            if prev.isdigit():  # 19日 is a date
                return False
            if prev in _ABBREV_PREFIXES:
                return True
            # 以 in 将以中朝友好年… is a preposition: weak abbreviations never open a run.
            return s in boundaries and text[s] not in _WEAK_ABBREVS

        def right_ok(e: int) -> bool:
            if text[e - 1 : e + 1] in _ABBREV_WORDS:  # 西方 is the West, not Spain's side
                return False
            return e in boundaries or text.startswith(_ABBREV_SUFFIXES, e)

        while start < end and not left_ok(start):
            start += 1
        while end > start and not right_ok(end):
            end -= 1
        if end - start == 1:
            prev = text[start - 1] if start > 0 else ""
            if text[start : start + 2] in _ABBREV_WORDS:
                return []
            # A lone abbreviation needs a compound partner on one side: 访朝 or 俄方.
            if not (prev in _ABBREV_PREFIXES or text.startswith(_ABBREV_SUFFIXES, end)):
                return []
        elif end - start < 1:
            return []
        return [
            Mention(i, i + 1, eid, "country")
            for i in range(start, end)
            if (eid := self.gazetteer.abbrev_to_id.get(text[i]))
        ]


def _glued_at_end(token_starts: list[int], s: int, e: int) -> bool:
    """True when the last character of s..e starts or sits in a word running past e (俄军 in
    朝俄军事: 军事), but not when one word holds the whole span (韩国政府, 美国防长)."""
    k = bisect.bisect_right(token_starts, e - 1) - 1
    token_start = token_starts[k]
    token_end = token_starts[k + 1] if k + 1 < len(token_starts) else e
    return token_start > s and token_end > e


def _squeeze(text: str) -> tuple[str, list[int] | None]:
    """Text without spaces and name separators, and the original offset of each kept character."""
    if not _SKIP_RE.search(text):
        return text, None
    offsets: list[int] = []
    pieces = []
    pos = 0
    for m in _SKIP_RE.finditer(text):
        if m.start() > pos:
            pieces.append(text[pos : m.start()])
            offsets.extend(range(pos, m.start()))
        pos = m.end()
    pieces.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    return "".join(pieces), offsets


@lru_cache(maxsize=1)
def _tokenizer():
    import rjieba

    return rjieba


def _tag(text: str) -> list[tuple[str, str, int]]:
    """(word, tag, start) for every token."""
    pairs = _tokenizer().tag(text)
    if not pairs:
        return []
    words, tags = zip(*pairs, strict=True)
    return list(zip(words, tags, accumulate(map(len, words), initial=0), strict=False))


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


def _fallback_candidates(text: str, tokens, covered: bytearray) -> list[tuple[int, int, str]]:
    """Names the gazetteer does not know: (start, end, type). Filtered hard."""
    found: list[tuple[int, int, str]] = []

    def free(s: int, e: int) -> bool:
        return not any(covered[s:e])

    token_at = None
    # Titles announce names: 校长金琴铁(音), 总统尹锡悦.
    for m in _TITLE_NAME_RE.finditer(text):
        name = m.group(1)
        s, e = m.start(1), m.end(1)
        if token_at is None:
            token_at = {start: (word, tag) for word, tag, start in tokens}
        token = token_at.get(s)
        if name in FALSE_NAMES or not free(s, e) or token is None:
            continue  # a name starts a word
        if token[1] not in _POS_TYPES and len(token[0]) >= len(name):
            continue  # the tokenizer knows it as an ordinary word: 部长表示

        squeezed = _SKIP_RE.sub("", name)
        translit = len(squeezed) >= 3 and all(c in _TRANSLIT for c in squeezed)
        parts = [p for p in re.split(f"[{re.escape(_SKIP_CHARS)}]+", name) if p]
        # A separator marks a foreign name even in characters outside the usual set (宋玛·奔舍那).
        foreign = len(parts) > 1 and all(len(p) >= 2 for p in parts)
        if (len(name) <= 3 and name[0] in _SURNAMES) or translit or foreign:
            found.append((s, e, "person"))

    # POS-tagged names; neighbouring name pieces (克里/nrt 沃鲁奇科/nr, • between) form one name.
    n = len(tokens)
    j = 0
    pos_types = _POS_TYPES
    for i in [k for k, (_, tag, _) in enumerate(tokens) if tag in pos_types]:
        if i < j:  # already part of the previous name
            continue
        word, tag, start = tokens[i]
        j = i + 1
        if covered[start] and covered[start + len(word) - 1]:
            continue  # the gazetteer already has it (most tagged names)
        kind = _POS_TYPES[tag]
        while j < n:
            w2, t2, _ = tokens[j]
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
        end = tokens[j - 1][2] + len(tokens[j - 1][0])
        name = _strip_honorifics(text[start:end])
        end = start + len(name)
        squeezed = _SKIP_RE.sub("", name)
        if not _ONLY_HAN_RE.match(squeezed) or squeezed in FALSE_NAMES or not free(start, end):
            continue
        translit = len(squeezed) >= 3 and all(c in _TRANSLIT for c in squeezed)
        if kind == "person" and _BYLINE_RE.search(text, max(0, start - 8), start):
            continue
        if kind in ("person", "place") and text.startswith(_BUILDINGS, end):
            building = next(b for b in _BUILDINGS if text.startswith(b, end))
            if free(start, end + len(building)):
                found.append((start, end + len(building), "place"))  # 万寿台议事堂
            continue
        if kind == "person" and (inst := _NAMED_INSTITUTION_RE.match(text, end)):
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
            elif not (
                2 <= len(squeezed) <= 3
                and squeezed[0] in _SURNAMES
                and squeezed[0] not in _WEAK_SURNAMES
                and tag in ("nr", "nrfg")
            ):
                continue
        elif kind == "place":
            if not (translit or squeezed.endswith(_PLACE_ENDINGS)) or len(squeezed) < 3:
                continue
        elif kind == "org" and len(squeezed) < 5:  # 广播电台, 综合大学: generic words
            continue
        found.append((start, end, kind))
    return found


@dataclass(slots=True)
class _ArticleResult:
    article_id: str
    text: str
    simplified: str
    mentions: list[Mention]
    unverified: list[tuple[int, int, str, str]]  # start, end, type, name
    covered: bytearray  # characters taken by a mention or an outlet name
    boundaries: Positions  # token starts


def _sentence_spans(text: str) -> tuple[list[int], list[int]]:
    starts, ends = [0], []
    for m in _SENTENCE_END_RE.finditer(text):
        ends.append(m.end())
        starts.append(m.end())
    ends.append(len(text))
    return starts, ends


@lru_cache(maxsize=4)
def load_matcher(path: str | None = None) -> Matcher:
    """The automaton over the gazetteer at ``path``, built once per process."""
    from .outlets import load_registry

    gazetteer_path = Path(path) if path else GAZETTEER_CSV
    gazetteer = Gazetteer.load(gazetteer_path) if gazetteer_path.exists() else Gazetteer([])
    outlet_aliases = []
    for outlet in load_registry().outlets.values():
        outlet_aliases.extend([outlet.name_zh, *outlet.aliases])
    return Matcher(gazetteer, outlet_aliases)


def _short_forms(
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
        parts = [p for p in re.split(f"[{re.escape(_SKIP_CHARS)}]+", surface) if p]
        if len(parts) > 1 and len(parts[-1]) >= 2:
            shorts.setdefault(parts[-1], (m.end, m))
        elif (
            len(surface) == 4
            and _ONLY_HAN_RE.match(surface)
            and not all(c in _TRANSLIT for c in surface)
        ):
            shorts.setdefault(surface[:2], (m.end, m))
    found = []
    for short, (after, m) in shorts.items():
        pos = text.find(short, after)
        while pos >= 0:
            end = pos + len(short)
            if (
                not any(covered[pos:end])
                and pos in boundaries
                and not _glued_at_end(token_starts, pos, end)
            ):
                found.append(Mention(pos, end, m.entity_id, m.type, m.verified))
                covered[pos:end] = [True] * len(short)
            pos = text.find(short, end)
    return found


class Positions:
    """A set of character positions (token starts) as a bitmap: ``i in positions``."""

    __slots__ = ("bits",)

    def __init__(self, positions: list[int], size: int):
        self.bits = bytearray(size + 1)
        for i in positions:
            self.bits[i] = 1

    def __contains__(self, i: int) -> bool:
        return 0 <= i < len(self.bits) and self.bits[i] == 1


def analyse_article(
    matcher: Matcher, article_id: str, text: str, simplified: str
) -> _ArticleResult:
    tokens = _tag(simplified)
    token_starts = [start for _, _, start in tokens] + [len(simplified)]
    boundaries = Positions(token_starts, len(simplified))
    mentions, masks = matcher.find(simplified, boundaries, token_starts)
    institutions: list[tuple[int, int, str]] = []
    bodies: list[Mention] = []
    for m in list(mentions):
        if m.type == "person" and (inst := _NAMED_INSTITUTION_RE.match(simplified, m.end)):
            # 金日成 in 金日成军事综合大学 names the university, not the man.
            mentions.remove(m)
            institutions.append((m.start, inst.end(), simplified[m.start : inst.end()]))
        elif m.type == "country" and (body := _GOVERNMENT_BODY_RE.match(simplified, m.end)):
            mentions.remove(m)
            # One name per body whichever form of the country precedes it (俄罗斯联邦国防部).
            canonical = matcher.gazetteer.entities[m.entity_id].name_zh + body.group(1)
            known = matcher.gazetteer.alias_to_id.get(canonical)
            if known is not None:
                bodies.append(
                    Mention(m.start, body.end(), known, matcher.gazetteer.entities[known].type)
                )
            else:
                institutions.append((m.start, body.end(), canonical))
    mentions.extend(bodies)
    # One byte per character (a list of bools costs eight): kept for every article until
    # names are resolved across the corpus.
    covered = bytearray(len(simplified) + 1)
    for s, e in masks:
        covered[s:e] = [True] * (e - s)
    for m in mentions:
        covered[m.start : m.end] = [True] * (m.end - m.start)
    mentions.extend(_short_forms(simplified, mentions, covered, boundaries, token_starts))
    abbreviations = matcher.find_abbreviations(simplified, boundaries, covered)
    for m in abbreviations:
        covered[m.start] = True
    mentions.extend(abbreviations)
    unverified = []
    for s, e, name in institutions:
        covered[s:e] = [True] * (e - s)
        unverified.append((s, e, "org", name))
    for s, e, kind in _fallback_candidates(simplified, tokens, covered):
        if any(covered[s:e]):
            continue
        covered[s:e] = [True] * (e - s)
        unverified.append((s, e, kind, _SKIP_RE.sub("", simplified[s:e])))
    return _ArticleResult(article_id, text, simplified, mentions, unverified, covered, boundaries)


def _resolve_unverified(results: list[_ArticleResult], matcher: Matcher) -> None:
    """Give every fallback name an id: a gazetteer entity that sounds the same, or one shared
    ``unverified:`` id per sound; short names join their full form in the same article."""
    sound_index = matcher.gazetteer.sound_index if any(r.unverified for r in results) else {}
    # Names found anywhere in the corpus are mentions wherever else they occur, too.
    names = sorted({name for r in results for *_, name in r.unverified if len(name) >= 2})
    # A name cut short by the tagger (金琴 of 金琴铁) takes the longer name found elsewhere.
    by_prefix = sorted(names, key=len, reverse=True)
    for r in results:
        for k, (s, e, kind, name) in enumerate(r.unverified):
            for longer in by_prefix:
                if len(longer) <= len(name):
                    break
                if longer.startswith(name) and r.simplified.startswith(longer, s):
                    end = s + len(longer)
                    if not any(r.covered[e:end]):
                        r.unverified[k] = (s, end, kind, longer)
                        r.covered[e:end] = [True] * (end - e)
                    break
    if names:
        extra = ahocorasick_rs.AhoCorasick(
            names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        kinds: dict[str, str] = {}
        for r in results:
            for _, _, kind, name in r.unverified:
                kinds.setdefault(name, kind)
        for r in results:
            for index, s, e in extra.find_matches_as_indexes(r.simplified):
                # Same rule as for gazetteer aliases: a short name must start a word.
                if any(r.covered[s:e]) or (e - s <= 2 and s not in r.boundaries):
                    continue
                r.unverified.append((s, e, kinds[names[index]], names[index]))
                r.covered[s:e] = [True] * (e - s)

    sound_groups: dict[str, str] = {}  # toneless pinyin -> canonical name

    def by_sound(name: str) -> str:
        return sound_groups.setdefault(toneless_pinyin(name), name)

    # Full names (阿列克谢•克里沃鲁奇科) first, keyed by the sound of their last part.
    local_fulls: list[dict[str, str]] = []
    corpus_fulls: dict[str, set[str]] = defaultdict(set)
    for r in results:
        local: dict[str, str] = {}
        for s, e, _kind, name in r.unverified:
            piece = r.simplified[s:e]
            if any(c in NAME_SEPARATORS for c in piece):
                last = toneless_pinyin(re.split(f"[{re.escape(NAME_SEPARATORS)}]", piece)[-1])
                canonical = by_sound(name)
                local.setdefault(last, canonical)
                corpus_fulls[last].add(canonical)
        local_fulls.append(local)

    for r, local in zip(results, local_fulls, strict=True):
        groups: dict[str, str] = {}
        for *_, name in r.unverified:
            sound = toneless_pinyin(name)
            if sound in local:  # the short form of a full name in the same article
                groups[name] = local[sound]
            elif len(corpus_fulls.get(sound, ())) == 1:  # ... or of the only such name anywhere
                groups[name] = next(iter(corpus_fulls[sound]))
            else:
                groups[name] = by_sound(name)
        for s, e, kind, name in r.unverified:
            canonical = groups[name]
            known = sound_index.get(toneless_pinyin(canonical))
            if known is None and canonical != name:
                known = sound_index.get(toneless_pinyin(name))
            if known is not None:
                r.mentions.append(Mention(s, e, known, matcher.gazetteer.entities[known].type))
            else:
                r.mentions.append(Mention(s, e, UNVERIFIED + canonical, kind, verified=False))


# The matcher used by _analyse_chunk; set before the pool forks so workers share it.
_active_matcher: Matcher | None = None


def _analysis_key(row: tuple[str, str, str]) -> str:
    """An article's analysis depends on its text only, not on its id."""
    _article_id, text, simplified = row
    return key_of(text, simplified)


def _analyse_chunk(rows: list[tuple[str, str, str]]) -> list[_ArticleResult]:
    # Returned without the texts (the caller has them): smaller to pass back and to cache.
    return [
        dataclasses.replace(
            analyse_article(_active_matcher, aid, text, simplified), text="", simplified=""
        )
        for aid, text, simplified in rows
    ]


def extract(
    articles: pd.DataFrame,
    matcher: Matcher,
    progress=None,
    workers: int = 1,
    cache: ResultCache | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``mentions`` and ``entities`` tables of ``articles`` (article_id, text, text_simplified).

    Articles are analysed independently (on ``workers`` processes); names are then resolved
    across the whole corpus in this process, so the output does not depend on ``workers``.
    """
    global _active_matcher
    _active_matcher = matcher
    rows = list(
        zip(
            articles["article_id"].tolist(),
            [t or "" for t in articles["text"].tolist()],
            [t or "" for t in articles["text_simplified"].tolist()],
            strict=True,
        )
    )
    if progress is not None:
        progress("entities", 0, len(rows))
    cache = cache or ResultCache(None, "")
    results = cache.map(_analyse_chunk, rows, _analysis_key, workers)
    # The texts go back in; a cached result may be the same text under another id.
    results = [
        dataclasses.replace(r, article_id=aid, text=text, simplified=simplified)
        for r, (aid, text, simplified) in zip(results, rows, strict=True)
    ]
    _resolve_unverified(results, matcher)
    return build_tables(results, matcher.gazetteer)


def run(ctx) -> None:
    path = ctx.options.get("gazetteer")
    matcher = load_matcher(str(path) if path else None)
    if not matcher.gazetteer.entities:
        ctx.report.notices.append(
            f"gazetteer {path or GAZETTEER_CSV} missing or empty: only the fallback found names"
        )
    version = version_of(
        "entities.py", "textnorm.py", "outlets.py", "outlets.csv", path or GAZETTEER_CSV
    )
    mentions, entities = extract(
        ctx.tables["articles"],
        matcher,
        ctx.progress,
        ctx.options.get("workers", 1),
        ctx.caches.stage("entities", version),
    )
    ctx.tables["mentions"] = mentions
    ctx.tables["entities"] = entities
    ctx.report.counts["unverified entities"] = int((~entities["verified"]).sum())
    ctx.report.counts["unverified mentions"] = int(
        mentions["entity_id"].str.startswith(UNVERIFIED).sum()
    )


def build_tables(
    results: list[_ArticleResult], gazetteer: Gazetteer
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mentions and entities tables. Empties ``results`` as it goes (each article's
    result is freed once its rows are taken): at 100,000 articles they hold 600 MB."""
    # Column lists, one string object per distinct surface and per sentence: a tuple and a
    # fresh sentence copy per mention took most of the stage's memory at 100,000 articles.
    # Positions go into int64 arrays, not lists of Python ints.
    ids, entity_ids, surface_col, types_col, sentence_col = ([] for _ in range(5))
    starts_col, ends_col = array("q"), array("q")
    shared: dict[str, str] = {}
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for i, r in enumerate(results):
        results[i] = None
        starts, ends = _sentence_spans(r.text)
        sentences: dict[int, str] = {}
        for m in sorted(r.mentions, key=lambda m: m.start):
            k = bisect.bisect_right(starts, m.start) - 1
            if k not in sentences:
                sentences[k] = r.text[starts[k] : ends[k]].strip()
            surface = r.text[m.start : m.end]
            surface = shared.setdefault(surface, surface)
            ids.append(r.article_id)
            entity_ids.append(m.entity_id)
            surface_col.append(surface)
            types_col.append(m.type)
            starts_col.append(m.start)
            ends_col.append(m.end)
            sentence_col.append(sentences[k])
            surfaces[m.entity_id][surface] += 1
    columns = (
        ids,
        entity_ids,
        surface_col,
        types_col,
        np.frombuffer(starts_col, dtype=np.int64),
        np.frombuffer(ends_col, dtype=np.int64),
        sentence_col,
    )
    mentions = (
        pd.DataFrame(dict(zip(COLUMNS["mentions"], columns, strict=True)))
        if ids
        else pd.DataFrame([], columns=COLUMNS["mentions"])
    )
    mentions["start"] = mentions["start"].astype("int64")
    mentions["end"] = mentions["end"].astype("int64")

    entity_rows = []
    # .tolist(): iterating an Arrow-backed column item by item is slow.
    types = dict(zip(mentions["entity_id"].tolist(), mentions["type"].tolist(), strict=False))
    for entity_id, counter in surfaces.items():
        e = gazetteer.entities.get(entity_id)
        if e is not None:
            aliases = list(dict.fromkeys([*e.aliases, *counter]))
            entity_rows.append(
                (e.entity_id, e.type, e.name_zh, e.name_en, aliases, e.country, e.lat, e.lon, True)
            )
        else:
            name = entity_id[len(UNVERIFIED) :]
            aliases = list(dict.fromkeys(_SKIP_RE.sub("", s) for s in counter))
            entity_rows.append(
                (entity_id, types[entity_id], name, "", aliases, "", None, None, False)
            )
    entities = pd.DataFrame(entity_rows, columns=COLUMNS["entities"])
    entities["lat"] = entities["lat"].astype("float64")
    entities["lon"] = entities["lon"].astype("float64")
    entities["verified"] = entities["verified"].astype("bool")
    return mentions, entities


def suggest_rows(tables: dict[str, pd.DataFrame], limit: int = 50) -> pd.DataFrame:
    """The most frequent unverified names, as gazetteer rows ready to paste (ids to be edited)."""
    mentions = tables["mentions"]
    unverified = mentions[mentions["entity_id"].str.startswith(UNVERIFIED)]
    if unverified.empty:
        return pd.DataFrame(columns=[*GAZETTEER_COLUMNS, "mentions"])
    counts = unverified.groupby("entity_id").agg(
        type=("type", "first"), mentions=("surface", "size"), surfaces=("surface", list)
    )
    counts = counts.sort_values("mentions", ascending=False).head(limit)
    rows = []
    for entity_id, row in counts.iterrows():
        name = entity_id[len(UNVERIFIED) :]
        variants = Counter(_SKIP_RE.sub("", s) for s in row["surfaces"])
        full_forms = [s for s in row["surfaces"] if any(c in NAME_SEPARATORS for c in s)]
        aliases = list(
            dict.fromkeys([*full_forms, *variants, *(to_simplified(s) for s in row["surfaces"])])
        )
        slug = "_".join(toneless_pinyin(name).split())
        rows.append(
            {
                "entity_id": f"{row['type']}:{slug}",
                "type": row["type"],
                "name_zh": name,
                "name_en": "",
                "aliases": "|".join(a for a in aliases if a != name),
                "country": "",
                "lat": "",
                "lon": "",
                "abbrev": "",
                "mentions": int(row["mentions"]),
            }
        )
    return pd.DataFrame(rows, columns=[*GAZETTEER_COLUMNS, "mentions"])
