"""The outlet registry (``data/outlets.csv``): who published an article.

The registry is edited by hand; every alias is matched after Traditional -> Simplified
conversion and case folding, so one row covers 韩联社 / 韓聯社 / Yonhap.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs

from ..common.textnorm import count_han, to_simplified
from ..tables.paths import OUTLETS_CSV
from .cleaning import BYLINE, BYLINE_MAX, DATELINE, TERMINAL, Line, has_body
from .pubdate import CAPTION_STAMP, FULL_DATE, SOURCE_STAMP

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outlet:
    id: str
    name_zh: str
    name_en: str
    country: str
    kind: str
    aliases: tuple[str, ...]
    # Names that are the outlet only when they stand alone (来源：上报, 【东网】): as words inside
    # running text they are something else (上报 "to report", 东网 in 广东网友). Written with a
    # leading "=" in the registry.
    exact: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


def _key(alias: str) -> str:
    if alias.isascii():
        return " ".join(alias.split()).casefold()
    return re.sub(r"\s+", "", to_simplified(alias)).casefold()


class OutletRegistry:
    def __init__(self, outlets: list[Outlet]):
        self.outlets = {o.id: o for o in outlets}
        self._by_alias: dict[str, Outlet] = {}
        self._exact: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        for outlet in outlets:
            for alias in (outlet.id, outlet.name_zh, outlet.name_en, *outlet.aliases):
                if alias:
                    self._by_alias.setdefault(_key(alias), outlet)
                if alias and alias.isascii() and " " in alias.strip():
                    # Copyright lines and logos write the name run together: SingTao Ltd.
                    self._by_alias.setdefault(_key(alias.replace(" ", "")), outlet)
            for name in outlet.exact:
                self._exact.setdefault(_key(name), outlet)
            for domain in outlet.domains:
                self._by_domain.setdefault(domain.casefold().removeprefix("www."), outlet)
        # Longest alias first so 韩国联合通讯社 wins over 联合通讯社.
        han_aliases = sorted((a for a in self._by_alias if not a.isascii()), key=len, reverse=True)
        latin_aliases = sorted((a for a in self._by_alias if a.isascii()), key=len, reverse=True)
        self._alias_keys = list(self._by_alias)
        # Aho-Corasick scans the whole article once for every alias (a regex alternation of
        # hundreds of aliases costs ~100x more on long texts).
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._alias_keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        self._prefix_re = re.compile("|".join(re.escape(a) for a in han_aliases))
        # Latin aliases must stand as words: "AP" is not the start of "APEC".
        self._latin_re = re.compile(
            r"(?<![A-Za-z])("
            + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in latin_aliases)
            + r")(?![A-Za-z])",
            re.IGNORECASE,
        )

    @classmethod
    def load(cls, path: Path = OUTLETS_CSV) -> OutletRegistry:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        outlets = []
        for r in rows:
            if not r.get("id"):
                continue
            names = [a.strip() for a in r["aliases"].split("|") if a.strip()]
            outlets.append(
                Outlet(
                    id=r["id"].strip(),
                    name_zh=r["name_zh"].strip(),
                    name_en=r["name_en"].strip(),
                    country=r["country"].strip(),
                    kind=r["kind"].strip(),
                    aliases=tuple(a for a in names if not a.startswith("=")),
                    exact=tuple(a[1:] for a in names if a.startswith("=")),
                    domains=tuple(
                        d.strip().casefold()
                        for d in (r.get("domains") or "").split("|")
                        if d.strip()
                    ),
                )
            )
        return cls(outlets)

    def lookup(self, name: str) -> Outlet | None:
        """Exact lookup of a whole name (record metadata, a byline)."""
        name = name.strip().strip("《》〈〉「」『』“”\"'")
        if not name:
            return None
        key = _key(name)
        if key in self._by_alias:
            return self._by_alias[key]
        if key in self._exact:
            return self._exact[key]
        # Metadata often decorates the name: "新华网 - 国际频道", "Reuters.com".
        m = self._prefix_re.match(key) or self._latin_re.match(key)
        return self._by_alias.get(_key(m.group(0))) if m else None

    def lookup_exact(self, name: str) -> Outlet | None:
        """A whole name only (自由时报电子报), never the outlet a longer text opens with."""
        key = _key(name.strip().strip("《》「」"))
        return self._by_alias.get(key) or self._exact.get(key)

    def match_prefix(self, text: str) -> tuple[Outlet, int] | None:
        """The outlet named at the very start of ``text`` (a dateline) and the length matched.

        ``text`` must be Simplified already; the returned length counts characters of it.
        """
        m = self._prefix_re.match(text) or self._latin_re.match(text)
        if not m:
            return None
        return self._by_alias[_key(m.group(0))], m.end()

    def by_domain(self, host: str) -> Outlet | None:
        """The outlet whose site ``host`` is (news.ltn.com.tw -> ltn.com.tw), if registered."""
        parts = host.casefold().strip(".").removeprefix("www.").split(".")
        for i in range(len(parts) - 1):
            outlet = self._by_domain.get(".".join(parts[i:]))
            if outlet is not None:
                return outlet
        return None

    def find_all(self, text: str) -> list[Outlet]:
        """Every outlet named anywhere in ``text`` (Simplified), in order, without repeats."""
        seen: dict[str, Outlet] = {}
        folded = text.casefold()
        for index, start, end in self._automaton.find_matches_as_indexes(folded):
            alias = self._alias_keys[index]
            # A Latin alias must stand as a word: "AP" is not inside "APEC".
            if alias.isascii() and (
                (start > 0 and folded[start - 1].isalpha() and folded[start - 1].isascii())
                or (end < len(folded) and folded[end].isalpha() and folded[end].isascii())
            ):
                continue
            outlet = self._by_alias[alias]
            seen.setdefault(outlet.id, outlet)
        return list(seen.values())


@lru_cache(maxsize=4)
def load_registry(path: Path = OUTLETS_CSV) -> OutletRegistry:
    return OutletRegistry.load(path)


# --- who published an article --------------------------------------------------------------
#
# Attributions, strongest first (``article_outlet``): the dateline's agency (新华社北京7月3日电,
# a relay such as 中央社北京29日法新电 names the relayed agency); a reporter byline (新华社记者某某,
# TVBS特派记者某某); a labelled line (来源：X, 出處 X, 新闻资料来源：X, 发布机构：X) or one inside a
# date line (2025年03月22日 08:39 环球时报, 发布时间：… 来源：新华网); a bracketed masthead at the
# head (【有线新闻】, 【大纪元2019年1月9日讯】, (观察者网讯)) or a closing one at the tail ((央视新闻),
# （中央社）, （据中新社）); the first sentence opening with the outlet (央视新闻客户端消息，
# 韩国国际广播电台报道：); a short line opening with it (美国之音中文网/记者林澄). For a page that
# is one article, the page's own signs come next (``page_outlet``): a copyright line, the site's
# app, newsletter or channel promotion (《星岛头条》APP, 锁定《三立新闻网》), a title suffix
# (… - RTHK), the HTML masthead, and the site's domain. An outlet only quoted (据路透社报道,
# a headline 朝中社：…) is never the publisher.

HEAD_MAX = 16  # lines above the first paragraph read as the article's head, at most
_DASH_BYLINE = re.compile(r"^[^，。,]{2,24}?(?:\s*[—–－]{1,2}|\s-\s)")  # 美国之音华盛顿—, VGP -
_SAYS = re.compile(r"报道|报导|称|说|表示|透露|指出")
_QUOTES_IT = re.compile(r"^\s*[:：]")
# The outlet, a slash, then its reporter or desk (a byline however long): 联合报／ 编译某某／即时报导,
# 中央社／ 华盛顿18日综合外电报导.
_BYLINE_SLASH = re.compile(r"\s*[／/|｜]\s*\S")
_AGENCY_AFTER = re.compile(
    r"\s*[（(](?P<x>[^)）]{2,12})[)）]"
)  # 朝中社：金正恩… names what the outlet said
# Relayed agencies in a dateline's tail: 中央社北京29日法新电 is AFP's dispatch.
RELAY_AGENCIES = {
    "法新": "法新社",
    "路透": "路透社",
    "美联": "美联社",
    "共同": "共同社",
    "韩联": "韩联社",
    "塔斯": "塔斯社",
    "德新": "德新社",
    "埃菲": "埃菲社",
    "安莎": "安莎社",
    "彭博": "彭博社",
    "俄新": "俄新社",
    "合众": "合众社",
    "卫星": "卫星通讯社",
    "加新": "加新社",  # The Canadian Press in Canada's Chinese papers: （渥太华2日加新社电）
}
_LABEL = (
    r"(?:文章|新闻|新闻资料|消息|资料|稿件|本文|原文|图文)?(?:来源|稿源|出处)|发布机构|发布单位|source"
    r"|转载自|转自"  # 本文转载自X: the original publisher
)
# Not a photo's or a video's source (图片来源：Getty, 题图来源：视觉中国, 视频来源：央视): that names
# who took a picture, seen on many pages under and inside captions, not who wrote the report.
_LABELLED = re.compile(
    # (丨, a CJK stroke, is the bar of 来源丨央视新闻客户端 on pages copied from WeChat)
    rf"(?<![片像频图])(?:{_LABEL})\s*[:：丨|｜]?\s*(?P<x>[^\s|｜丨·,，;；)）】\]]{{2,30}})",
    re.IGNORECASE,
)
_REPORTER = re.compile(
    r"^(?P<x>[^\s，。,:：]{2,14}?)\s*(?:驻\S{1,10}?)?(?:特派|特约|首席|资深|实习|随团|随行)?(?:记者|撰稿人?)"
)
_HEAD_BRACKET = re.compile(r"^[【\[〔(（](?P<x>[^】\]〕)）]{2,40})[】\]〕)）]")
_TAIL_BRACKET = re.compile(r"[【\[〔(（](?P<x>[^】\]〕)）(（]{2,30})[】\]〕)）]\s*[。.]?\s*$")
_OPENING = re.compile(
    r"^(?!据|另据|綜合|综合)(?P<x>[^，。,:：;；\s]{2,16}?)\s*(?:客户端)?"
    # X报道， opening a paragraph quotes another outlet (路透社報導, 韓聯社報道, 法新社報導 on
    # the pages of World Journal, Sing Tao, Newtalk ...); X消息/X讯 is the outlet's own.
    r"(?:消息|快讯|讯)\s*[,，:：]"
)
# The site promoting itself: its app, newsletter, channel or fan page.
_PROMOTION = [
    re.compile(r"《(?P<x>[^》]{2,14})》\s*(?:app|客户端)", re.IGNORECASE),
    re.compile(r"(?:锁定|订阅|关注|下载)\s*《(?P<x>[^》]{2,14})》"),
    re.compile(
        r"(?P<x>[^\s，。,:：《》]{2,12}?)(?:立刻|立即|马上)?下载(?:官方)?\s*app", re.IGNORECASE
    ),
    re.compile(r"订阅(?P<x>[^\s，。,:：]{2,12}?)(?:周讯|电子报|新闻信|频道)"),
    re.compile(r"(?P<x>[^\s，。,:：]{2,12}?)\s*app\s*为您带来", re.IGNORECASE),
    re.compile(r"(?P<x>[^\s，。,:：]{2,12}?)粉丝团"),
    # 下载法广应用程序, 打开澎湃新闻客户端: its app, named without brackets
    re.compile(
        r"(?:下载|打开|安装)(?P<x>[^\s，。,:：《》]{2,12}?)(?:官方)?\s*(?:应用程序|客户端|app)",
        re.IGNORECASE,
    ),
]
# Told to the outlet's own reporter (接受中新社记者采访, 告诉今日澳洲App记者): an interview for
# the report, the last sign of its publisher when the page names no other.
_INTERVIEWED_BY = re.compile(
    r"(?:告诉|接受|对|向)(?P<x>[^\s，。,:：“”]{2,10}?)(?:驻[^\s，。,]{1,6}?)?(?:特派|特约)?记者"
    # ... or to the outlet's Chinese service by name (对BBC中文说, 接受BBC中文专访; 对路透社表示
    # and 接受CNN采访 quote another outlet)
    r"|(?:告诉|对|向)(?P<y>[^\s，。,:：“”]{2,10}?中文(?:网|部)?)(?:说|表示|透露|指出)"
    r"|接受(?P<z>[^\s，。,:：“”]{2,10}?中文(?:网|部)?)的?(?:专访|采访)"
)
# A first paragraph opening with an outlet's report and a colon (韩国国际广播电台报道：): a
# broadcaster's own lead, read only when nothing else names the publisher. With a comma
# (路透社報導，) a paper quotes another outlet, and that is no publisher.
_REPORT_OPENING = re.compile(r"^(?!据|另据)(?P<x>[^，。,:：;；\s]{2,16}?)(?:报道|报导)\s*[:：]")
_REPUBLISHED = re.compile(
    r"获[「《“\"]?(?P<x>[^」》”\"，。]{2,20}?)[」》”\"]?授权(?:转载|刊登|发布)"
)
# A copyright footer (版权所有, © 2024 BBC); "© AFP 2023 / 摄影师" under a photo is a credit.
# A picture's copyright (图片版权REUTERS under BBC's pictures) is a credit too.
_COPYRIGHT = re.compile(
    r"(?<![片像])版权|copyright|all rights reserved|^\s*©\s*(?:19|20)\d\d", re.I
)
# A picture's description (这张…照片中, 图中, 画面中): the bracket closing it is the picture's
# credit, not the report's attribution.
# (not a bare 图中: 企图中伤, 蓝图中)
_DESCRIBES_PICTURE = re.compile(r"(?:这|该|此)[张幅][^。]{0,30}?(?:照片|图片)|(?:照片|图片|画面)中")
_TITLE_SUFFIX = re.compile(r"^(?P<t>.{4,}?)\s*(?:\s[-–—|｜]|[|｜_])\s*(?P<x>[^-–—|｜_]{2,30})$")
# What a bracket or label carries besides the outlet's name.
_DECORATION = re.compile(
    r"^(?:据|来自)|(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:专讯|电讯|快讯|讯|电|报道|报导)$|驻.*$"
)


def named(text: str, registry: OutletRegistry) -> Outlet | None:
    """The outlet a short attribution text names: the whole text, or it without the words
    around a name (据…, …讯, …报道, 驻…记者), or the outlet it opens with."""
    text = text.strip().strip("《》“”「」『』\"' ")
    if len(text) < 2:
        return None
    outlet = registry.lookup(text)
    if outlet is None:
        bare = _DECORATION.sub("", text).strip("《》 ")
        if bare and bare != text:
            outlet = registry.lookup(bare)
    return outlet


def dateline_outlet(line: Line, registry: OutletRegistry) -> tuple[Outlet | None, str]:
    """The agency a dateline names and the place after it (新华社北京7月3日电 -> Xinhua, 北京)."""
    m = line.dateline
    inner = DATELINE.match(line.simplified[m.end() :].lstrip("】]）) "))
    if inner is not None and registry.match_prefix(inner["pre"].strip()):
        m = inner  # a site's masthead dateline over the agency's: the agency wrote it
    pre = m["pre"].strip()
    relay = m["relay"] if "relay" in m.re.groupindex else None
    hit = registry.match_prefix(pre)
    after = _AGENCY_AFTER.match(line.simplified, m.end())
    if hit is None and after:  # 首尔9月19日电(韩联社), 首尔，12月12日(韩联社)——
        agency = named(after["x"], registry)
        if agency:
            return agency, pre
    if relay:
        return registry.lookup(RELAY_AGENCIES[relay]), pre[hit[1] :] if hit else pre
    if hit is None:
        return None, pre
    place = re.sub(r"^(?:记者|特派记者)\S{0,4}?(?=\S{2,})", "", pre[hit[1] :]).strip()
    return hit[0], place


def byline_outlet(line: Line, registry: OutletRegistry) -> Outlet | None:
    """The outlet a byline-like line names: 来源：X, 【X报道】, a reporter byline (X记者某某), a
    date line's 来源 or trailing outlet, a short line opening with an outlet name
    (美国之音中文网/记者林澄, / 中央社), or 美国之音华盛顿— before the text."""
    s = line.simplified
    for m in _LABELLED.finditer(s):
        outlet = named(m["x"], registry)
        if outlet:
            return outlet
    m = BYLINE.match(s)
    if m and m["bracket"]:
        return named(m["bracket"], registry)
    if line.kind == "date":
        rest = FULL_DATE.sub("", s)
        rest = re.sub(r"[\d:：]{3,}|[ap]m|星期.|周.|更新|发布|发表|时间|[/|｜·\s]", " ", rest)
        for word in rest.split():
            outlet = named(word, registry)
            if outlet:
                return outlet
        return None
    short = len(s) <= BYLINE_MAX and not s.endswith(TERMINAL) and not _SAYS.search(s)
    if short:
        m = _REPORTER.match(s)
        if m:
            outlet = named(m["x"], registry)
            if outlet:
                return outlet
    stripped = s.lstrip("/／|｜ ")
    dash = _DASH_BYLINE.match(stripped)
    if short or dash:
        hit = registry.match_prefix(stripped)
        if hit and not _QUOTES_IT.match(stripped[hit[1] :]) and (short or dash.end() >= hit[1]):
            return hit[0]
    return None


def title_of(lines: list[Line]) -> Line | None:
    """The page's title: the last headline above the first paragraph. A title may open with
    an outlet it quotes (新华社证实…), so it is never read as a byline."""
    title = None
    for ln in lines:
        if ln.kind in ("body", "dateline") and has_body([ln]):
            break
        if ln.kind == "headline":
            title = ln
    return title


def article_outlet(
    lines: list[Line], context: list[Line], registry: OutletRegistry
) -> tuple[Outlet | None, str]:
    """The outlet an article names as its publisher, and the dateline's place (see above)."""
    head = report_head(lines, context, least=6)
    dateline = dateline_of(lines)
    place = ""
    if dateline is not None:
        outlet, place = dateline_outlet(dateline, registry)
        if outlet:
            return outlet, place
    body = next((ln for ln in lines if ln.kind in ("body", "dateline")), None)
    start = lines.index(body) if body is not None else len(lines)
    closing = lines[max(start, len(lines) - 3) :]
    # ... and the end of the last paragraph, when comments or links were left below it
    last_body = [ln for ln in lines[start:] if ln.kind == "body" and has_body([ln])][-1:]
    tail = [ln.simplified for ln in [*closing, *(b for b in last_body if b not in closing)][::-1]]
    passes = (
        # a reporter's byline: 新华社记者某某, TVBS特派记者某某, (总台记者 某某)
        (named(m["x"], registry) for ln in head if (m := _reporter(_unbracketed(ln.simplified)))),
        # the outlet and a slash before its desk or reporter: 联合报／ 编译某某／即时报导 (a
        # line short enough to pass for a subtitle)
        (_slash_byline(ln.simplified, registry) for ln in head if len(ln.simplified) <= 40),
        # a labelled source, in a line of its own or inside a date line
        (_labelled(ln.simplified, registry) for ln in head if len(ln.simplified) <= 80),
        # a bracketed masthead at the head: 【有线新闻】, 【大纪元2019年1月9日讯】, (观察者网讯)
        (named(m["x"], registry) for ln in head if (m := _HEAD_BRACKET.match(ln.simplified))),
        # the first sentence opening with the outlet: 央视新闻客户端消息， (the second
        # paragraph too, after a title read as a paragraph: one that ends with a question mark)
        (
            named(m["x"], registry)
            for ln in _first_paragraphs(lines, start)
            if (m := _OPENING.match(ln.simplified))
        ),
        # a closing attribution: (央视新闻), （中央社）, 来源：新华社, 据中新社
        (_closing(s, registry) for s in tail),
        # the outlet and its date opening a line: 中央社  2022/12/23, 法新社 2022-11-04 (after
        # a closing 据中新社: the line may be a site's own masthead and time over a relayed report)
        (named(m["x"], registry) for ln in head if (m := SOURCE_STAMP.match(ln.simplified))),
        # a byline line under the title: 美国之音中文网/记者林澄, / 中央社, 2025年3月22日 环球时报
        (byline_outlet(ln, registry) for ln in head if ln.kind != "headline"),
    )
    for candidates in passes:
        outlet = next((o for o in candidates if o is not None), None)
        if outlet is not None:
            return outlet, place
    return None, place


def report_head(
    lines: list[Line], context: list[Line], least: int, through_first: bool = False
) -> list[Line]:
    """A report's head: the context lines above it, then its first ``least`` lines, or all
    lines above its first paragraph (and that paragraph, ``through_first``) when a page's
    chrome (a list of other headlines, a forum's header) pushes a byline further down; at
    most HEAD_MAX lines of the report."""
    first_text = next((i for i, ln in enumerate(lines) if has_body([ln])), len(lines))
    end = first_text + 1 if through_first else first_text
    return [*context, *lines[: max(least, min(end, HEAD_MAX))]]


def _first_paragraphs(lines: list[Line], start: int) -> list[Line]:
    """The first paragraph, and the next one when the first is as short as a title."""
    paragraphs = [ln for ln in lines[start:] if ln.kind in ("body", "dateline")][:2]
    return (
        paragraphs if paragraphs and count_han(paragraphs[0].simplified) <= 40 else paragraphs[:1]
    )


def _unbracketed(text: str) -> str:
    m = _HEAD_BRACKET.fullmatch(text.strip())
    return m["x"] if m else text


def _slash_byline(text: str, registry: OutletRegistry) -> Outlet | None:
    hit = registry.match_prefix(text)
    return hit[0] if hit and _BYLINE_SLASH.match(text, hit[1]) else None


def _reporter(text: str) -> re.Match | None:
    return _REPORTER.match(text) if len(text) <= 40 else None


def _closing(text: str, registry: OutletRegistry) -> Outlet | None:
    m = _TAIL_BRACKET.search(text)
    if m and not _DESCRIBES_PICTURE.search(text, 0, m.start()):
        outlet = named(m["x"], registry) or _labelled(m["x"], registry)
        if outlet:
            return outlet
    if len(text) <= 40:  # a source line of its own: 来源：新华社, 据中新社, 中央社
        bare = _DECORATION.sub("", text.strip("()（）【】 。"))
        return _labelled(text, registry) or registry.lookup_exact(bare)
    return None


def dateline_place(lines: list[Line], registry: OutletRegistry) -> str:
    """The place of the article's dateline (平壤 of 朝中社平壤7月19日电), "" without one."""
    dateline = dateline_of(lines)
    return dateline_outlet(dateline, registry)[1] if dateline is not None else ""


def dateline_of(lines: list[Line]) -> Line | None:
    """The article's dateline: among its first lines, up to its first paragraph of text."""
    for ln in lines[:12]:
        if ln.kind == "dateline":
            return ln
        if ln.kind == "body" and count_han(ln.simplified) >= 30:
            return None
    return None


def _labelled(text: str, registry: OutletRegistry) -> Outlet | None:
    for m in _LABELLED.finditer(text):
        outlet = named(m["x"], registry)
        if outlet:
            return outlet
    return None


def page_outlet(
    lines: list[Line],
    removed: list[str],
    registry: OutletRegistry,
    masthead: str = "",
    hosts: tuple[str, ...] = (),
) -> Outlet | None:
    """The outlet a page names outside its report (used for a page that is one article): a
    masthead line above the first paragraph, a copyright line, the site promoting its app or
    channel, a title suffix, the HTML masthead, the site's domain."""
    title = title_of(lines)
    for ln in lines:
        if has_body([ln]):
            break
        if ln is title:  # a masthead made the title: only a whole name counts
            outlet = registry.lookup_exact(ln.simplified)
        else:
            outlet = byline_outlet(ln, registry)
        if outlet:
            return outlet
    texts = [*removed, *(ln.simplified for ln in lines)]
    for text in removed:  # a source line the cleaning took for boilerplate (责任编辑 … 来源：X)
        outlet = _labelled(text, registry) if len(text) <= 80 else None
        if outlet:
            return outlet
    for text in texts:  # 本文获「香港01」授权转载: the original publisher
        m = _REPUBLISHED.search(text) if len(text) <= 80 else None
        if m and (outlet := named(m["x"], registry)):
            return outlet
    for text in texts:
        if len(text) <= 120 and _COPYRIGHT.search(text):
            found = registry.find_all(text)
            if found:
                return found[0]
            m = re.search(r"版权归(?P<x>\S{2,16}?)所有", text)
            if m and (outlet := named(m["x"], registry)):
                return outlet
    for text in texts:
        for pattern in _PROMOTION:
            m = pattern.search(text)
            if m:
                outlet = named(m["x"], registry)
                if outlet:
                    return outlet
    for text in texts:  # a picture's caption stamp: caption - 俄罗斯卫星通讯社, 1920, 16.03.2023
        m = CAPTION_STAMP.search(text)
        if m and (outlet := named(m["x"], registry)):
            return outlet
    for ln in lines[:3]:
        m = _TITLE_SUFFIX.match(ln.simplified)
        if m and ln.kind != "body":
            outlet = named(m["x"], registry)
            if outlet:
                return outlet
    if masthead:
        found = registry.find_all(to_simplified(masthead))
        if found:
            return found[0]
    for host in hosts:
        outlet = registry.by_domain(host)
        if outlet:
            return outlet
    for ln in lines:
        for m in _INTERVIEWED_BY.finditer(ln.simplified) if ln.kind == "body" else ():
            name = m["x"] or m["y"] or m["z"]
            outlet = named(re.sub(r"(?i)app$|中文网?$|中文部$", "", name), registry)
            if outlet:
                return outlet
    first = next((ln for ln in lines if has_body([ln])), None)
    if first is not None and (m := _REPORT_OPENING.match(first.simplified)):
        outlet = named(m["x"], registry)
        # a broadcaster's own lead; an agency's name so (美联社报道：) heads a reprint of it
        return outlet if outlet is not None and outlet.kind == "broadcaster" else None
    return None
