"""Raw documents -> articles: clean, split bundled reports, find outlet and publication date.

Works line by line on a page. Each cleaned line is classified (dateline, date line,
headline, body); a new article starts at a dateline (朝中社平壤7月19日电) together with the
headline and date line just above it, or at a headline followed by a date line. Within a
dated dispatch, a paragraph that opens with a new attribution (俄罗斯媒体报道, ...) and
leads into events later than the dispatch date starts another report: a dispatch cannot
report what happened after it was filed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pandas as pd

from .cache import ResultCache, key_of, version_of
from .outlets import UNKNOWN, Outlet, OutletRegistry, load_registry
from .readers import RawDocument, iter_files, read_file
from .report import IngestReport, Rejected
from .schema import ARTICLE_COLUMNS
from .textnorm import (
    HAN,
    compact,
    count_han,
    normalize_width,
    script_of,
    tighten_spaces,
    to_simplified,
)

# --- dates -------------------------------------------------------------------------------

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _cn_number(s: str) -> int | None:
    """Small Chinese numerals as used in dates: 二〇二四, 七, 十九, 二十, 三十一."""
    if s.isdigit():
        return int(s)
    if all(ch in _CN_DIGITS for ch in s):  # digit by digit: 二〇二四
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    m = re.fullmatch(r"([一二三])?十([一二三四五六七八九])?", s)
    if m:
        return (_CN_DIGITS[m.group(1)] if m.group(1) else 1) * 10 + (
            _CN_DIGITS[m.group(2)] if m.group(2) else 0
        )
    return None


_NUM = r"[0-9]{1,4}|[〇零○一二三四五六七八九十]{1,4}"
FULL_DATE = re.compile(
    rf"[(（]?(?P<y>(?:19|20)[0-9]{{2}}|[一二][〇零○一二三四五六七八九]{{3}})[)）]?\s*[-/.年]\s*(?P<m>{_NUM})\s*[-/.月]\s*(?P<d>{_NUM})(?![0-9])\s*日?"
)
MONTH_DAY = re.compile(rf"(?<![0-9年/\-.])(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*[日号]")


def _make_date(y: int | None, m: int | None, d: int | None) -> date | None:
    try:
        return date(y, m, d) if y and m and d else None
    except ValueError:
        return None


def parse_full_date(text: str) -> date | None:
    """The first year-month-day date in ``text`` (ISO, slashes, dots, 年月日, Chinese numerals,
    or an RFC 2822 feed date such as 'Mon, 12 Aug 2024 15:20:00 +0900')."""
    for m in FULL_DATE.finditer(text):
        d = _make_date(_cn_number(m["y"]), _cn_number(m["m"]), _cn_number(m["d"]))
        if d:
            return d
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError, IndexError):
        return None


def month_day_dates(text: str, year: int) -> list[date]:
    """Every explicit month-day date in ``text``, placed in ``year``."""
    found = []
    for m in FULL_DATE.finditer(text):
        d = _make_date(_cn_number(m["y"]), _cn_number(m["m"]), _cn_number(m["d"]))
        if d:
            found.append(d)
    for m in MONTH_DAY.finditer(text):
        d = _make_date(year, _cn_number(m["m"]), _cn_number(m["d"]))
        if d:
            found.append(d)
    return found


def place_in_year(month: int, day: int, anchor: date | None) -> date | None:
    """Month and day with the year of ``anchor``, never later than ``anchor``."""
    if anchor is None:
        return None
    d = _make_date(anchor.year, month, day)
    if d and d > anchor:
        d = _make_date(anchor.year - 1, month, day)
    return d


# --- line classes ------------------------------------------------------------------------

_BOILERPLATE = [
    re.compile(p)
    for p in [
        r"(马上|立即|免费)注册|没有账号|登录后才可以|才可以(下载|查看|回复|回帖)|本版积分规则|本帖隐藏内容|游客，?如果您要查看",
        r"^((登录|注册|返回列表|快速回复|回复|只看该作者|使用道具|举报|收藏|分享|点赞|打印|关闭窗口|上一篇|下一篇|上一主题|下一主题)[|｜/ ]*)+$",
        r"[0-9]+\s*人(阅读|回复|浏览|评论|围观)|(阅读|回复|浏览|查看|点击|评论)\s*[:：]?\s*[0-9]+\s*([|｜]|$)",
        r"^(发表于|發表於|本帖最后由|责任编辑|責任編輯|编辑[:：]|校对[:：]|版权所有|版權所有|copyright|©|all rights reserved|扫一扫|关注我们|相关阅读|相关新闻|相关内容|推荐阅读|热门推荐|分享到|分享|订阅|跳过此内容|图像来源|图片来源|图像加注文字|图片说明|签名[:：]|转载请注明)",
        r"^(首页|主页|当前位置[:：]?)\s*[>＞»/]|[>＞»]\s*正文$",
        r"^[【\[]?(责编|編輯|编辑)[:：]",
        r"版权所有|版權所有|all rights reserved|未经授权.{0,6}不得转载|只看该作者",
        r"^(小字号|大字号|中字号|字号[:：]|引用[:：]|阅读原文|点击关注|在看$)",
    ]
]
# A navigation row: several short words separated by spaces or bars, no sentence punctuation.
_NAV_ROW = re.compile(r"^(?:[^\s|｜，。,.!?！？]{1,4}[\s|｜]+){4,}[^\s|｜，。,.!?！？]{1,4}$")
# An image file name, possibly followed by forum attachment details "(86.3 KB, 下载次数: 3)".
_IMAGE_LINE = re.compile(
    r"^[\w\-.()\[\] ]+\.(png|jpe?g|gif|webp|bmp|svg|tiff?)(\s*[(（][^)）]{0,40}[)）])?$",
    re.IGNORECASE,
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
# "引用：某网友 发表于 ...": the lines below it, up to a blank line, quote another post.
_QUOTE_HEADER = re.compile(r"^(引用|引用自|quote)\s*[:：]", re.IGNORECASE)
_HAS_WORD = re.compile(rf"[{HAN}A-Za-z0-9]")
_SHORT_LATIN = re.compile(r"^[A-Za-z]{1,2}$")  # the 'x' of a close button, stray 'OK'
_TERMINAL = tuple("。！？!?；;…”」』\"'.")

# Dateline: [outlet][reporter][place][year?][month?]day 电/讯, e.g. 新华社北京7月19日电,
# 韩联社首尔7月9日电, 中央社记者王小明台北19日电, (法新社首尔19日).
DATELINE = re.compile(
    r"^[（(【\[]?(?P<pre>[^，。,：:（）()\[\]【】\d据另]{0,24}?)\s*"
    rf"(?:(?P<y>(?:19|20)\d{{2}})年)?(?:(?P<m>{_NUM})月)?(?P<d>{_NUM})日\s*"
    r"(?:(?:专|專)?[电電讯訊]|[）)】\]](?=\s*\S))"
)
# A date line: opens with a full date (after an optional 发布时间： / 发布/ label) and carries
# little else: a time, a weekday, 更新, or 来源：outlet.
# DPRK media prefix the Juche year: 主体113(2024)年7月21日.
DATE_LINE = re.compile(
    r"^(?:[^\d，。,]{0,6}?[:：/]\s*)?(?:主体\s*\d{1,3}\s*)?" + FULL_DATE.pattern + r"(?P<rest>.*)$"
)
DATE_LINE_SOURCE = re.compile(
    r"(?:来源|來源|稿源)\s*[:：]\s*(?P<src>[^|｜\s].{0,30}?)\s*(?:[|｜]|$)"
)
BYLINE = re.compile(
    r"^(?:(?:来源|來源|稿源|消息来源|出处|source)\s*[:：]\s*(?P<src>\S.{0,30})|[【\[](?P<bracket>[^】\]]{2,30})[】\]])",
    re.IGNORECASE,
)
# A paragraph that opens a report with a fresh attribution: "俄罗斯媒体报道，", "路透社星期二
# (7月16日)引述...报道，". Continuations (另据, 据此, 报道称, 该报...) are not leads.
LEAD = re.compile(
    r"^(?!另|据|此外|同时|报道|该|此|这|他|她|但|而|并)[^，。,；;]{2,60}?(?:报道|报导|消息|电)[,，:：]"
)


# Opening a paragraph with "according to <source>" right under a headline marks a new report
# (a cross-head inside an article is followed by running text, not by a fresh attribution).
ATTRIBUTION_LEAD = re.compile(r"^据[^，。,]{2,20}?(?:报道|报导|消息)[,，]")

# A byline line: short, opens with an outlet name (美国之音中文网/记者林澄, BBC News, 中文), or an
# outlet and place before a dash (美国之音华盛顿—).
BYLINE_MAX = 30


@dataclass
class Line:
    text: str  # as written, spaces tightened
    simplified: str
    kind: str = "body"  # dateline | date | headline | body
    dateline: re.Match | None = None


def _is_boilerplate(simplified: str, raw: str = "", spaced_page: bool = False) -> bool:
    if not _HAS_WORD.search(simplified) or _SHORT_LATIN.match(simplified):
        return True
    # On a page that puts spaces around every word, a headline looks like a navigation row.
    if raw and not spaced_page and _NAV_ROW.match(raw.strip()):
        return True
    if _IMAGE_LINE.match(simplified):
        return True
    if len(simplified) <= 80:
        return any(p.search(simplified.casefold()) for p in _BOILERPLATE)
    return False


def _classify(line: Line) -> None:
    s = line.simplified
    m = DATELINE.match(s)
    if m and count_han(m.group(0)) >= 2:
        line.kind, line.dateline = "dateline", m
        return
    m = DATE_LINE.match(s)
    if m and count_han(DATE_LINE_SOURCE.sub("", m["rest"])) <= 8:
        line.kind = "date"
        return
    if BYLINE.match(s) and len(s) <= BYLINE_MAX + 10 and not s.endswith(_TERMINAL):
        line.kind = "byline"
        return
    if (
        count_han(s) >= 4
        and len(s) <= 50
        and not s.endswith(_TERMINAL)
        and "，" not in s
        and "," not in s
    ):
        line.kind = "headline"


_HAN_SPACE_HAN = re.compile(f"[{HAN}] +[{HAN}]")


def _is_spaced_page(raw_lines: list[str]) -> bool:
    """True when the page puts spaces between Chinese words in its running text (as some
    forums do): in at least a third of the lines that hold sentences."""
    sentences = [ln for ln in raw_lines if count_han(ln) >= 15]
    if not sentences:
        return False
    spaced = sum(1 for ln in sentences if len(_HAN_SPACE_HAN.findall(ln.strip())) >= 3)
    return spaced * 3 >= len(sentences)


def clean_page(text: str) -> tuple[list[Line], list[str]]:
    """Cleaned content lines, and the boilerplate lines removed (they may hold the page date)."""
    kept: list[Line] = []
    removed: list[str] = []
    raw_lines = normalize_width(text).splitlines()
    spaced_page = _is_spaced_page(raw_lines)
    in_quote = False
    for raw in raw_lines:
        tight = _MARKDOWN_HEADING.sub("", tighten_spaces(raw))
        if not tight:
            in_quote = False  # a forum quote block ends at a blank line
            continue
        simplified = to_simplified(tight)
        raw_simplified = simplified if raw == tight else to_simplified(raw)
        if in_quote or _is_boilerplate(simplified, raw_simplified, spaced_page):
            in_quote = in_quote or bool(_QUOTE_HEADER.match(simplified))
            removed.append(simplified)
            continue
        line = Line(tight, simplified)
        _classify(line)
        kept.append(line)
    return kept, removed


def _with_heading(kinds: list[str], i: int) -> int:
    """Index of the headline above line ``i``, across date and byline lines, if there is one."""
    j = i
    while j > 0 and kinds[j - 1] in ("date", "byline"):
        j -= 1
    if j > 0 and kinds[j - 1] == "headline":
        return j - 1
    return i


def _segment_starts(lines: list[Line]) -> list[int]:
    kinds = [ln.kind for ln in lines]
    starts = {0}
    for i, kind in enumerate(kinds):
        if kind == "dateline":
            starts.add(_with_heading(kinds, i))
        elif kind == "headline" and i + 1 < len(kinds):
            after = i + 1
            while after < len(kinds) and kinds[after] in ("date", "byline"):
                after += 1
            if (
                after > i + 1
                and not (after < len(kinds) and kinds[after] == "dateline")
                or kinds[i + 1] == "body"
                and ATTRIBUTION_LEAD.match(lines[i + 1].simplified)
            ):
                starts.add(i)
    return sorted(starts)


def _segments(lines: list[Line], page_date: date | None) -> list[list[Line]]:
    starts = _segment_starts(lines)
    if len(starts) > 1:
        # A page that bundles reports: here a headline directly above running text starts
        # a report too (in a single report it would be a cross-head).
        starts = sorted(
            set(starts)
            | {
                i
                for i in range(1, len(lines) - 1)
                if lines[i].kind == "headline"
                and lines[i + 1].kind == "body"
                and _has_body([lines[i + 1]])
                and lines[i - 1].kind == "body"
            }
        )
    segments = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    merged: list[list[Line]] = []
    carry: list[Line] = []
    for seg in segments:
        if not _has_body(seg) and any(ln.kind in ("headline", "date") for ln in seg):
            carry += seg  # a headline or date stranded above a dateline belongs below
            continue
        merged.append(carry + seg)
        carry = []
    if carry:
        merged.append(carry)
    if len(merged) > 1 and merged[0] and merged[0][0].kind == "headline" and _has_body(merged[0]):
        first = merged[0]
        # A page title above several reports belongs to none of them.
        if len(first) > 1 and first[1].kind not in ("date", "byline", "dateline"):
            merged[0] = first[1:]
    return [part for seg in merged for part in _split_later_reports(seg, page_date)]


def _leading_context(seg: list[Line], registry: OutletRegistry) -> tuple[list[Line], list[Line]]:
    """Split off masthead and date lines that sit above the segment's headline."""
    for i, ln in enumerate(seg[:4]):
        if ln.kind == "headline" and byline_outlet(ln, registry) is None:
            above = seg[:i]
            if above and all(
                a.kind == "date" or byline_outlet(a, registry) is not None for a in above
            ):
                return above, seg[i:]
            break
        if ln.kind in ("body", "dateline"):
            break
    return [], seg


def _has_body(lines: list[Line]) -> bool:
    return any(ln.kind in ("body", "dateline") and count_han(ln.simplified) >= 15 for ln in lines)


# --- the article of a segment ------------------------------------------------------------


@dataclass
class Draft:
    lines: list[Line]
    doc: RawDocument
    # Masthead and date lines above the headline: not part of the text, still read for
    # the outlet and the date.
    context: list[Line] = field(default_factory=list)
    title: str = ""
    source: Outlet | None = None
    source_name: str = ""  # a metadata outlet name the registry does not know
    published: date | None = None
    date_source: str | None = None
    place: str = ""
    quoted: list[str] = field(default_factory=list)


def _dateline_of(lines: list[Line]) -> Line | None:
    for ln in lines[:4]:
        if ln.kind == "dateline":
            return ln
    return None


def _later_report_split(lines: list[Line], dispatch: date) -> int | None:
    """Index in ``lines`` where a later report starts inside a dated dispatch, if any."""
    first_body = next((i for i, ln in enumerate(lines) if ln.kind == "dateline"), 0)
    for k in range(first_body + 1, len(lines)):
        later = [d for d in month_day_dates(lines[k].simplified, dispatch.year) if d > dispatch]
        # Half a year or more ahead is more likely last year's date than a later event.
        if not any((d - dispatch).days < 180 for d in later):
            continue
        leads = [j for j in range(first_body + 1, k + 1) if LEAD.match(lines[j].simplified)]
        if not leads:
            return None
        j = leads[-1]
        while j - 1 > first_body and LEAD.match(lines[j - 1].simplified):
            j -= 1
        return j
    return None


def _split_later_reports(segment: list[Line], page_date: date | None) -> list[list[Line]]:
    dl = _dateline_of(segment)
    if dl is None or not dl.dateline["m"]:
        return [segment]
    m = dl.dateline
    dispatch = place_in_year(_cn_number(m["m"]), _cn_number(m["d"]), page_date or date.today())
    if dispatch is None:
        return [segment]
    cut = _later_report_split(segment, dispatch)
    if cut is None:
        return [segment]
    return [segment[:cut], *_split_later_reports(segment[cut:], page_date)]


def _first_sentence(text: str, limit: int = 60) -> str:
    first = re.split(r"(?<=[。！？!?])", text.strip(), maxsplit=1)[0].strip()
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _page_date(removed: list[str], lines: list[Line], meta_published: str) -> date | None:
    """The page's own date: metadata, else a date in the header or the boilerplate."""
    d = parse_full_date(meta_published) if meta_published else None
    if d:
        return d
    header = [ln.simplified for ln in lines[:2] if ln.kind != "dateline"]
    for text in [*removed, *header]:
        d = parse_full_date(text)
        if d:
            return d
    return None


_DASH_BYLINE = re.compile(r"^[^，。,]{2,24}?\s*[—–－]{1,2}")
_SAYS = re.compile(r"报道|报导|称|说|表示|透露|指出")


def byline_outlet(line: Line, registry: OutletRegistry) -> Outlet | None:
    """The outlet a byline-like line names: 来源：X, 【X报道】, a date line's 来源, a short line
    opening with an outlet name (美国之音中文网/记者林澄), or 美国之音华盛顿— before the text."""
    s = line.simplified
    name = ""
    m = BYLINE.match(s)
    if m:
        name = m["src"] or m["bracket"] or ""
    elif line.kind == "date":
        src = DATE_LINE_SOURCE.search(s)
        name = src["src"] if src else ""
    if name:
        return registry.lookup(name)
    short = len(s) <= BYLINE_MAX and not s.endswith(_TERMINAL) and not _SAYS.search(s)
    dash = _DASH_BYLINE.match(s)
    if short or dash:
        hit = registry.match_prefix(s)
        if hit and (short or dash.end() >= hit[1]):
            return hit[0]
    return None


def _page_outlet(
    lines: list[Line], removed: list[str], registry: OutletRegistry, masthead: str = ""
) -> Outlet | None:
    """An outlet the page names outside any report: a masthead line above the first paragraph
    or a copyright footer (© 2024 BBC, 人民网版权所有). Used only for single-report pages."""
    for ln in lines:
        if _has_body([ln]):
            break
        outlet = byline_outlet(ln, registry)
        if outlet:
            return outlet
    for text in removed:
        if re.search(r"©|版权所有|copyright", text, re.IGNORECASE):
            found = registry.find_all(text)
            if found:
                return found[0]
    if masthead:
        found = registry.find_all(to_simplified(masthead))
        if found:
            return found[0]
    return None


def _resolve_article(draft: Draft, registry: OutletRegistry, page_date: date | None) -> None:
    lines, meta = draft.lines, draft.doc.meta
    dl = _dateline_of(lines)
    head = [*draft.context, *lines[:5]]
    date_line = next((ln for ln in head if ln.kind == "date"), None)
    is_record = draft.doc.kind == "record"

    # Outlet: record metadata is explicit; then the dateline; then a byline; then the page's
    # site name (HTML) when the registry knows it. Outlets cited in the body do not count.
    candidates: list[tuple[Outlet | None, str]] = []
    if is_record and meta.get("source"):
        candidates.append((registry.lookup(meta["source"]), meta["source"]))
    if dl is not None:
        hit = registry.match_prefix(dl.dateline["pre"].strip())
        if hit:
            candidates.append((hit[0], ""))
            draft.place = re.sub(
                r"^(?:记者|特派记者)\S{0,4}?(?=\S{2,})", "", dl.dateline["pre"].strip()[hit[1] :]
            ).strip()
        else:
            draft.place = dl.dateline["pre"].strip()
    for ln in head:
        outlet = byline_outlet(ln, registry)
        if outlet:
            candidates.append((outlet, ""))
    if not is_record and meta.get("source"):
        outlet = registry.lookup(meta["source"])
        if outlet:
            candidates.append((outlet, ""))
    for outlet, raw_name in candidates:
        if outlet is not None:
            draft.source = outlet
            break
        if raw_name and not draft.source_name:
            draft.source_name = raw_name

    # Publication date: the dateline's month and day, with the year from the article's date
    # line or the page; else the date line itself; never later than the page's own date.
    line_date = parse_full_date(date_line.simplified) if date_line is not None else None
    anchor = line_date or page_date
    if dl is not None:
        m = dl.dateline
        y, mo, d = m["y"], m["m"], m["d"]
        if y and mo:
            draft.published = _make_date(int(y), _cn_number(mo), _cn_number(d))
            draft.date_source = "dateline"
        elif anchor is not None:
            day = _cn_number(d)
            if mo:
                placed = place_in_year(_cn_number(mo), day, anchor)
            else:  # day only (台北4日电): this month, or last month if the day is still ahead
                placed = _make_date(anchor.year, anchor.month, day)
                if placed is None or placed > anchor:
                    prev = anchor.replace(day=1) - timedelta(days=1)
                    placed = _make_date(prev.year, prev.month, day)
            draft.published = placed
            draft.date_source = "dateline+date_line" if line_date else "dateline+page"
    if draft.published is None and line_date is not None:
        draft.published, draft.date_source = line_date, "date_line"
    if draft.published is None and anchor is not None:
        draft.published = anchor
        draft.date_source = "metadata" if meta.get("published") else "page"
    if draft.published is not None and page_date is not None and draft.published > page_date:
        draft.published, draft.date_source = page_date, "page"

    # Title: the headline above the dateline, else the record's title, else the first sentence.
    headline = next((ln for ln in lines[:2] if ln.kind == "headline"), None)
    if headline is not None:
        draft.title = headline.text
    elif meta.get("title"):
        draft.title = meta["title"].strip()
    else:
        body = next((ln for ln in lines if ln.kind in ("body", "dateline")), lines[0])
        text = body.text
        if body.kind == "dateline":  # 韩联社首尔7月9日电据...: the title starts after the dateline
            text = text[body.dateline.end() :] or text
        draft.title = _first_sentence(text)

    own = draft.source.id if draft.source else None
    full = "\n".join(ln.simplified for ln in lines)
    draft.quoted = [o.id for o in registry.find_all(full) if o.id != own]


def document_drafts(doc: RawDocument, registry: OutletRegistry) -> list[Draft]:
    lines, removed = clean_page(doc.text)
    if not lines:
        return []
    page_date = _page_date(removed, lines, doc.meta.get("published", ""))
    segments = [lines] if doc.kind == "record" else _segments(lines, page_date)
    drafts = []
    for seg in segments:
        if not _has_body(seg):
            continue
        context, seg = _leading_context(seg, registry)
        draft = Draft(seg, doc, context=context)
        _resolve_article(draft, registry, page_date)
        drafts.append(draft)
    if len(drafts) == 1 and drafts[0].source is None and not drafts[0].source_name:
        page_outlet = _page_outlet(lines, removed, registry, doc.meta.get("masthead", ""))
        if page_outlet is not None:
            drafts[0].source = page_outlet
            drafts[0].quoted = [q for q in drafts[0].quoted if q != page_outlet.id]
    if (
        len(drafts) == 1
        and doc.meta.get("title")
        and not any(ln.kind == "headline" for ln in drafts[0].lines[:2])
    ):
        drafts[0].title = doc.meta["title"].strip()
    return drafts


def article_id(text: str, simplified: str | None = None) -> str:
    """The id of an article's text (``simplified``: its Simplified form, if already made)."""
    return hashlib.sha1(compact(text, simplified).encode("utf-8")).hexdigest()[:16]


@dataclass
class FileResult:
    """What one input file yields: article rows (each with the id of its text; a repeated
    text gets another id across the corpus) and its problems."""

    rows: list[dict]
    rejected: list[Rejected]
    documents_read: int
    unregistered: list[str]


def _draft_row(doc: RawDocument, position: int, draft: Draft) -> dict:
    text = "\n".join(ln.text for ln in draft.lines)
    simplified = to_simplified(text)
    source = draft.source
    return {
        # The id of the text, made here in the worker: a second copy of the same text gets
        # another id when ids are assigned across the corpus.
        "article_id": article_id(text, simplified),
        "doc": doc.doc,
        "index": doc.index if doc.kind == "record" else position,
        "source": source.id if source else (draft.source_name or UNKNOWN),
        "source_zh": source.name_zh if source else (draft.source_name or "未知"),
        "published": draft.published,
        "title": draft.title,
        "text": text,
        "dup_of": None,
        "text_simplified": simplified,
        "script": script_of(text, simplified),
        "date_source": draft.date_source,
        "place": draft.place or None,
        "url": doc.meta.get("url") or None,
        "quoted_sources": draft.quoted,
        "encoding": doc.encoding,
    }


_max_file_mb = 50.0  # set before the pool forks, read by _read_chunk in the workers


def _read_chunk(files: list[tuple[Path, Path]]) -> list[FileResult]:
    registry = load_registry()
    results = []
    for file, root in files:
        local = IngestReport()
        rows, unregistered = [], []
        for doc in read_file(file, root, local, _max_file_mb):
            drafts = document_drafts(doc, registry)
            if not drafts:
                local.reject(
                    doc.doc, doc.line, "no article text found (only boilerplate or headings)"
                )
            for position, draft in enumerate(drafts):
                rows.append(_draft_row(doc, position, draft))
                if draft.source is None and draft.source_name:
                    unregistered.append(draft.source_name)
        results.append(FileResult(rows, local.rejected, local.documents_read, unregistered))
    return results


# What a file's articles depend on besides the file itself.
ARTICLES_VERSION = version_of(
    "articles.py", "readers.py", "textnorm.py", "outlets.py", "outlets.csv"
)


def _file_key(item: tuple[Path, Path]) -> str:
    """A file is read again when its path, size or modification time changed, or the size
    limit did."""
    file, _root = item
    stat = file.stat()
    return key_of(str(file.resolve()), stat.st_size, stat.st_mtime_ns, _max_file_mb)


def extract_articles(
    paths: list[Path],
    report: IngestReport,
    progress: Callable[[str, int, int], None] | None = None,
    max_file_mb: float = 50.0,
    workers: int = 1,
    cache: ResultCache | None = None,
) -> pd.DataFrame:
    """The articles table of every input under ``paths``; files are read on ``workers``
    processes, ids are assigned here in input order (the output does not depend on workers)."""
    global _max_file_mb
    _max_file_mb = max_file_mb
    files = list(iter_files(paths, report))
    if progress:
        progress("reading", 0, len(files))
    load_registry()  # built once before the pool forks
    cache = cache or ResultCache(None, "")
    rows = []
    seen_ids: set[str] = set()
    for result in cache.map(_read_chunk, files, _file_key, workers):
        report.rejected.extend(result.rejected)
        report.documents_read += result.documents_read
        for name in result.unregistered:
            report.unregistered_sources[name] = report.unregistered_sources.get(name, 0) + 1
        for row in result.rows:
            aid = row["article_id"]
            if aid in seen_ids:  # the same text twice: keep both, the later one points back
                row["dup_of"] = aid
                text = compact(row["text"], row["text_simplified"])
                key = f"{text}\0{row['doc']}\0{row['index']}"
                aid = hashlib.sha1(key.encode()).hexdigest()[:16]
            seen_ids.add(aid)
            row["article_id"] = aid
            rows.append(row)
    frame = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    if not frame.empty:
        frame["index"] = frame["index"].astype("int64")
    return frame
