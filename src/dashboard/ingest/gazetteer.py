"""The gazetteer and its matcher: known entities, alias normalization, country abbreviations.

``Gazetteer`` reads ``data/gazetteer.csv`` (entities with aliases in both scripts, countries,
coordinates). ``Matcher`` runs one Aho-Corasick automaton (leftmost-longest) over every alias
and every outlet alias on a copy of the text without spaces and name separators, and finds
one-character country abbreviations inside compounds (朝俄, 访朝, 俄方).
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

import ahocorasick_rs

from ..common.textnorm import HAN, NAME_SEPARATORS, to_simplified
from ..tables.paths import GAZETTEER_CSV

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

# Characters removed before matching: spaces and the dots between parts of a foreign name.
SKIP_CHARS = " \t\u3000\u00a0" + NAME_SEPARATORS
SKIP_RE = re.compile(f"[{re.escape(SKIP_CHARS)}]")
# ... and pinyin glosses that some pages print after a character (习(xí)近平, 抵达(dá)): a
# lowercase syllable in parentheses with a tone mark.
_GLOSS = "[(（][a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,6}[)）]"
_GLOSS_RE = re.compile(_GLOSS)
_SQUEEZE_RE = re.compile(f"[{re.escape(SKIP_CHARS)}]|{_GLOSS}")
# Titles and honorifics that stand right before a name (总统普京, 发言人毛宁, 拿督斯里安华).
NAME_TITLES = (
    "总统", "总理", "首相", "主席", "委员长", "总书记", "书记", "部长", "副部长", "外长", "外相",
    "防长", "副防长", "国防部长", "外交部长", "大使", "校长", "司令", "司令官", "参谋长", "议长",
    "议员", "发言人", "国务卿", "秘书长", "局长", "院长", "会长", "主任", "领导人", "顾问", "官员",
    "将军", "上将", "中将", "少将", "大将", "元帅", "团长", "市长", "州长", "省长", "党首",
    "外务相", "经济相", "国防相", "防卫相", "财务相", "副相", "首席", "特使", "大法官",
    "夫人", "新闻秘书", "国务委员", "拿督斯里", "丹斯里", "拿督", "国王", "女王", "亲王", "王储",
    "研究员", "学者", "教授", "专家", "分析师", "所长", "总裁", "董事长", "歌手",
    "领事", "总领事", "最高专员", "大臣",
    # Taiwan's and Hong Kong's offices: 立委江启臣, 北美司司长徐佑典, 陆委会主委
    "立委", "立法委员", "司长", "主委", "署长", "处长", "县长",
    # a province's department head (林业厅长帕默), an envoy (领袖代表林信义)
    "厅长", "代表",
)  # fmt: skip
# Malaysian honorifics: what follows is a name, in whatever characters it is written (拿督翁哈菲兹,
# 丹斯里阿邦佐哈里), as Malaysia's Chinese papers name their officials.
HONORIFIC_TITLES = ("拿督斯里", "丹斯里", "拿督")
# Any one title, longest first (总领事 before 领事): the alternation every title rule uses.
TITLES_PATTERN = "|".join(sorted(map(re.escape, NAME_TITLES), key=len, reverse=True))
_TITLE_END_RE = re.compile(f"(?:{TITLES_PATTERN})$")
_HAN_RE = re.compile(f"[{HAN}]")

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
_WEAK_ABBREVS = set("以加沙马哈古白老波秘塔土台智吉希伊黎孟丹捷奥埃华")
# A second abbreviation the gazetteer's one-per-country column has no room for: 华 is China in
# 访华, 驻华, 对华, 来华, 涉华 (华人, 华裔, 华为 stay words: 华 is weak and needs a partner).
EXTRA_ABBREVS = {"华": "CHN"}
_HUA_PREFIXES = set("来涉")
# Abbreviations that are also directions: 西 ending a run is "west of" (在俄西的军事行动) unless a
# compound suffix follows (中西关系).
_DIRECTION_ABBREVS = set("西")
# A country's or place's name followed by one of these is a news outlet (中国之声, 中国政府网,
# 美国之音) or an airline (搭乘中国国际航空的包机, 海南航空), not a mention of the country or
# place, when the word ends a word (中国网民, 中国网络 stay).
# A place's name before 时间 is a time zone (北京时间, 台湾时间中午12时半), not the place.
# So is a country before a paper's title in brackets: 英国《独立报》称, 日本《产经新闻》报道 name
# the paper's home, not the country in the news.
_MEDIA_SUFFIX_RE = re.compile(
    "之声|之音|政府网|新闻网|网|日报|时报|晚报|电视台|广播电台|广播公司|通讯社|通信社"
    "|《[^》]{1,12}(?:报|新闻|杂志|周刊|电视台|通讯社|通信社|网|社)》"
    "|(?:国际|东方|南方|国家)?航空(?:公司)?"
    "|时间(?=\\s*(?:[上下中早晚凌傍午零一二三四五六七八九十两0-9０-９（(当今昨明前次]))"
)
# Abbreviation + suffix pairs that are ordinary words.
_ABBREV_WORDS = {
    "西方", "西部", "东方", "以上", "以下", "以及", "以来", "以后", "以前", "以便", "以为", "以外",
    "以免", "以致", "加上", "加之", "日方才", "中方向", "南方", "北方", "马上", "台方向",
}  # fmt: skip


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
    return SKIP_RE.sub("", to_simplified(alias.strip()))


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
        for abbrev, entity_id in EXTRA_ABBREVS.items():
            if entity_id in self.entities:
                self.abbrev_to_id.setdefault(abbrev, entity_id)

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
    def fragments(self) -> frozenset[str]:
        """Pieces of persons' names that are not a name of their own: 连斯基 of 泽连斯基, 塔尼亚
        of 内塔尼亚胡 (not the parts a separator marks off: 普京 of 弗拉基米尔·普京; nor a
        Japanese family name: 安倍 of 安倍晋三)."""
        if not hasattr(self, "_fragments"):
            pieces: set[str] = set()
            for e in self.entities.values():
                if e.type != "person":
                    continue
                for alias in {e.name_zh, *e.aliases}:
                    simplified = to_simplified(alias)
                    parts = set(re.split(f"[{re.escape(SKIP_CHARS)}-]+", simplified))
                    full = SKIP_RE.sub("", simplified)
                    if e.country == "JPN":
                        parts.add(full[:2])
                    for i in range(len(full)):
                        for j in range(i + 2, len(full) + (i > 0)):
                            if full[i:j] not in parts:
                                pieces.add(full[i:j])
            self._fragments = frozenset(pieces - set(self.alias_to_id))
        return self._fragments

    @property
    def latin_index(self) -> dict[str, str]:
        """Persons' English names, lowercased without spaces (donfarrell) -> entity id."""
        if not hasattr(self, "_latin_index"):
            self._latin_index = {
                re.sub(r"[\s.-]", "", e.name_en).lower(): e.entity_id
                for e in self.entities.values()
                if e.type == "person" and " " in e.name_en.strip()
            }
        return self._latin_index

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
        self.outlet_aliases = list(outlet_aliases)
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

    def __reduce__(self):
        # The automaton cannot be pickled: a Dask worker receiving the matcher builds it again
        # from the same gazetteer and aliases (0.2 s, once per worker and stage).
        return (Matcher, (self.gazetteer, self.outlet_aliases))

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
            entity_type = self.gazetteer.entities[entity_id].type
            if (
                entity_type in ("country", "place")  # 海南航空, 北京日报: an airline, a paper
                and (media := _MEDIA_SUFFIX_RE.match(simplified, e))
                and media.end() in boundaries
            ):
                masks.append((s, media.end()))
                continue
            # Short aliases must be a word: 李强 is not in 小李强调, 中国 not in 其中国家,
            # 俄军 not in 朝俄军事. A title right before a person's name stands for the word
            # edges the tokenizer missed (拿督斯里安华: 拿督斯/里安/华; 总统川普通电话).
            if (
                end - start <= 2
                and (s not in boundaries or glued_at_end(token_starts, s, e))
                and not (
                    entity_type == "person" and _TITLE_END_RE.search(simplified, max(0, s - 6), s)
                )
            ):
                continue
            mentions.append(Mention(s, e, entity_id, entity_type))
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
        if end - start == 1 and not _has_partner(text, start, end):
            return []  # the test at the end, made first: most runs are one everyday character

        def left_ok(s: int) -> bool:
            prev = text[s - 1] if s > 0 else ""
            if prev.isdigit():  # 19日 is a date
                return False
            if prev in _ABBREV_PREFIXES or (prev in _HUA_PREFIXES and text[s] in "华台"):
                return True
            # 以 in 将以中朝友好年… is a preposition: weak abbreviations never open a run.
            return s in boundaries and text[s] not in _WEAK_ABBREVS

        def right_ok(e: int) -> bool:
            if text[e - 1 : e + 1] in _ABBREV_WORDS:  # 西方 is the West, not Spain's side
                return False
            return e in boundaries or text.startswith(_ABBREV_SUFFIXES, e)

        # 局长法伊兹·哈米德: after a title or before a name's separator, a name's syllables
        compound = start > 0 and text[start - 1] in _ABBREV_PREFIXES  # 访华‧ (a headline's dot)
        if not compound and (
            (end < len(text) and text[end] in NAME_SEPARATORS)
            or _TITLE_END_RE.search(text, max(0, start - 6), start)
        ):
            return []
        while start < end and not left_ok(start):
            start += 1
        while end > start and not right_ok(end):
            end -= 1
        if (
            end - start >= 2
            and text[end - 1] in _DIRECTION_ABBREVS
            and not text.startswith(_ABBREV_SUFFIXES, end)
        ):
            end -= 1
        if end - start == 1:
            if text[start : start + 2] in _ABBREV_WORDS:
                return []
            if not _has_partner(text, start, end):
                return []
        elif end - start < 1:
            return []
        return [
            Mention(i, i + 1, eid, "country")
            for i in range(start, end)
            if (eid := self.gazetteer.abbrev_to_id.get(text[i]))
        ]


def _has_partner(text: str, start: int, end: int) -> bool:
    """A lone abbreviation needs a compound partner on one side: 访朝 or 俄方."""
    prev = text[start - 1] if start > 0 else ""
    return (
        prev in _ABBREV_PREFIXES
        or (prev in _HUA_PREFIXES and text[start] in "华台")
        or text.startswith(_ABBREV_SUFFIXES, end)
    )


def glued_at_end(token_starts: list[int], s: int, e: int) -> bool:
    """True when the last character of s..e starts or sits in a word running past e (俄军 in
    朝俄军事: 军事), but not when one word holds the whole span (韩国政府, 美国防长)."""
    k = bisect.bisect_right(token_starts, e - 1) - 1
    token_start = token_starts[k]
    token_end = token_starts[k + 1] if k + 1 < len(token_starts) else e
    return token_start > s and token_end > e


def _squeeze(text: str) -> tuple[str, list[int] | None]:
    """Text without spaces, name separators and pinyin glosses, and the original offset of each
    kept character."""
    # Two simple searches are faster than one with the alternation (most texts have neither).
    gloss = _GLOSS_RE.search(text) is not None
    if not gloss and not SKIP_RE.search(text):
        return text, None
    offsets: list[int] = []
    pieces = []
    pos = 0
    for m in (_SQUEEZE_RE if gloss else SKIP_RE).finditer(text):
        if m.start() > pos:
            pieces.append(text[pos : m.start()])
            offsets.extend(range(pos, m.start()))
        pos = m.end()
    pieces.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    return "".join(pieces), offsets
