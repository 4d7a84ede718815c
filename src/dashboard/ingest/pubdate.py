"""Publication dates: reading a date out of a line, and deciding an article's date.

An article's date is its dateline's month and day (朝中社平壤7月19日电) with the year from the
article's date line or the page; else the date line itself; else the page's own date
(metadata, header, footer); never later than the page's own date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # cleaning reads the date patterns of this module
    from .cleaning import Line

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


def cn_number(s: str) -> int | None:
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


DATE_NUMBER = r"[0-9]{1,4}|[〇零○一二三四五六七八九十]{1,4}"
FULL_DATE = re.compile(
    rf"[(（]?(?P<y>(?:19|20)[0-9]{{2}}|[一二][〇零○一二三四五六七八九]{{3}})[)）]?\s*[-/.年]\s*(?P<m>{DATE_NUMBER})\s*[-/.月]\s*(?P<d>{DATE_NUMBER})(?![0-9])\s*日?"
)
MONTH_DAY = re.compile(
    rf"(?<![0-9年/\-.])(?P<m>{DATE_NUMBER})\s*月\s*(?P<d>{DATE_NUMBER})\s*[日号]"
)


def make_date(y: int | None, m: int | None, d: int | None) -> date | None:
    try:
        return date(y, m, d) if y and m and d else None
    except ValueError:
        return None


def parse_full_date(text: str) -> date | None:
    """The first year-month-day date in ``text`` (ISO, slashes, dots, 年月日, Chinese numerals,
    or an RFC 2822 feed date such as 'Mon, 12 Aug 2024 15:20:00 +0900')."""
    for m in FULL_DATE.finditer(text):
        d = make_date(cn_number(m["y"]), cn_number(m["m"]), cn_number(m["d"]))
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
        d = make_date(cn_number(m["y"]), cn_number(m["m"]), cn_number(m["d"]))
        if d:
            found.append(d)
    for m in MONTH_DAY.finditer(text):
        d = make_date(year, cn_number(m["m"]), cn_number(m["d"]))
        if d:
            found.append(d)
    return found


def place_in_year(month: int, day: int, anchor: date | None) -> date | None:
    """Month and day with the year of ``anchor``, never later than ``anchor``."""
    if anchor is None:
        return None
    d = make_date(anchor.year, month, day)
    if d and d > anchor:
        d = make_date(anchor.year - 1, month, day)
    return d


_EN_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_EN_MONTH = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
# Mar 14, 2023 / 21 April 2025 / 16.03.2023 (day first) / 民国112年5月3日 / 1120503 (ROC codes)
_EN_MDY = re.compile(
    rf"\b(?P<m>{_EN_MONTH})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(?:19|20)\d\d)\b", re.I
)
_EN_DMY = re.compile(
    rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_EN_MONTH})\.?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I
)
_DOT_DMY = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)(?![\d.])")
# A line opening with an outlet's name and a date (a forum repost's source line, a portal's
# source-and-time line): 中央社  2022/12/23 …, 经济通新闻 2023-10-24 08:56.
# The date is a numeric stamp (2022/12/23, 2023-10-24), page furniture: 据新华社2024年5月13日报道
# and 人民日报2024年5月13日发表 quote an outlet inside a sentence.
SOURCE_STAMP = re.compile(
    r"^(?!据)(?P<x>[^\s，。,:：/]{2,12}?)\s*(?P<stamp>(?:19|20)\d\d(?P<sep>[/.\-])\d{1,2}(?P=sep)\d{1,2})(?!\d)"
)
# A picture's caption stamp, as Sputnik's pages print one under every picture: "caption -
# 俄罗斯卫星通讯社, 1920, 16.03.2023" (the outlet, the picture's width, the day). The first on
# a page dates it and names its outlet; a later one may date an older picture.
CAPTION_STAMP = re.compile(
    r"\s[-–—]\s(?P<x>[^\s,，\-–—]{2,16}),\s*\d{3,4},\s*"
    r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)\s*$"
)
# 6/17/2023 (an American site), 12/12/2023 15:30 (a Vietnamese one): month and day in either
# order, read only when the numbers leave one reading (a number over 12 is the day).
_SLASH_XXY = re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d\d)(?![\d/])")
_ROC_YEAR = re.compile(
    rf"民国\s*(?P<y>\d{{2,3}}|[一二三四五六七八九十百]{{2,5}})\s*年\s*(?P<m>{DATE_NUMBER})\s*月\s*(?P<d>{DATE_NUMBER})"
)
# A report's closing stamp in Taiwan's ROC years after its editors' credit, as the Central News
# Agency and the sites carrying its reports end them: (譯者:某某/核稿:某某)1120502 = 2023-05-02.
_ROC_CLOSING = re.compile(
    r"[)）]\s*1(?P<y>[01]\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])\s*$"
)
# In an address: /2023/01/04/, 2023-01-04, 20230314, also opening an id of up to 20 digits (the
# time and a serial after the day): /202306180012.aspx, 202301052129041.html, ACK20211006000200881.
_URL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<s>[/_-]?)(?P<m>0[1-9]|1[0-2])(?P=s)(?P<d>0[1-9]|[12]\d|3[01])"
    r"(?:(?!\d)|(?<=\d{8})(?=\d{2,12}(?!\d)))"
)


def any_date(text: str) -> date | None:
    """The first date ``text`` writes out in any of the forms pages use (see above)."""
    d = parse_full_date(text)
    if d:
        return d
    for pattern in (_EN_MDY, _EN_DMY):
        m = pattern.search(text)
        if m:
            d = make_date(int(m["y"]), _EN_MONTHS[m["m"].casefold()], int(m["d"]))
            if d:
                return d
    m = _DOT_DMY.search(text)
    if m:
        d = make_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            return d
    m = _SLASH_XXY.search(text)
    if m:
        a, b = int(m["a"]), int(m["b"])
        if a == b or max(a, b) > 12:
            d = make_date(int(m["y"]), min(a, b), max(a, b))
            if d:
                return d
    m = _ROC_YEAR.search(text)
    if m:
        year = cn_number(m["y"]) if not m["y"].isdigit() else int(m["y"])
        d = make_date(year + 1911, cn_number(m["m"]), cn_number(m["d"])) if year else None
        if d:
            return d
    return None


def url_date(url: str) -> date | None:
    """A date in a page's address (/2023/01/04/, 20230314, 1120503 in Taiwan's ROC years)."""
    path = url.split("://", 1)[1].partition("/")[2] if "://" in url else url
    for m in _URL_DATE.finditer(path):
        d = make_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            return d
    return None


# --- the page's own date -------------------------------------------------------------------
#
# Lines that say when the page was published, strongest first: the record's or the HTML's
# metadata; a "date YYYY-MM-DD" line opening a stored page; a labelled line (发布时间：,
# 更新時間, 文章日期：, Last modified on …); a date line near the headline (2023-09-12 11:15:31);
# a forum post's time (发表于 2024-5-17); a date in the page's address. A header clock or
# weather widget (2024年04月19日 星期五, 北京时间 …, 24.5°C) says when the page was *viewed*,
# and a date in a related-links list says nothing about this page: neither counts.

_STORED_DATE = re.compile(r"^\s*date\s+(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)(?:-(?P<d>\d\d))?\b")
_DATE_LABEL = re.compile(
    r"(?:发布|发表|更新|出版|刊登|上线|刊出|文章|发文|稿件|播出)(?:时间|日期|于)?\s*[:：]"
    r"|(?:^|\s)(?:时间|日期)\s*[:：]|published|posted|last\s*modified|updated|(?:^|\s)发表\s*$",
    re.I,
)
# An update label with no publication label beside it (Write: … Update: … has both).
_UPDATE_ONLY = re.compile(
    r"^(?!.*(?:发布|发表|出版|刊登|published|posted|write)).*(?:更新|修改|updated|modified)", re.I
)
# A post line kept with a forum thread's text: the poster's name, then 发表于 and the date.
_POSTED_BY = re.compile(r"^\S{1,30}\s+发表于\s*[:：]?\s*\d")
# A forum thread's post line: 发表于 2024-5-17, or its counters with the date
# (328 人阅读 | 0 人回复 | 2024-07-20).
_FORUM_POST = re.compile(
    r"^(?:发表于|发表时间|posted on)\s*[:：]?|\d+\s*[人次](?:阅读|回复|浏览|查看|点击)"
    r"|(?:阅读|回复|浏览|查看|点击|评论)(?:量|数|次数)?\s*[:：]?\s*\d+",
    re.I,
)
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.I)
_CLOCK = re.compile(r"(?:北京|中国|当地|台北|香港|东京|首尔)时间|°C|℃|气温|天气|今天是")
_WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]")


def _is_clock(text: str) -> bool:
    """A header clock or weather widget (a local-time label, a temperature): the day the
    page was viewed. Not a posting label."""
    return bool(_CLOCK.search(text)) and not _DATE_LABEL.search(text)


def _edition_or_clock(text: str) -> bool:
    """A date with its weekday above the headline: a paper's edition date (2024年7月29日星期一
    under the masthead) or a site's clock; it counts only when no other line dates the page."""
    return bool(_WEEKDAY.search(text)) and not _DATE_LABEL.search(text)


def page_date_of(
    removed: list[str],
    lines: list[Line],
    meta: dict,
    text: str = "",
    urls: list[str] = (),
    is_outlet: Callable[[str], bool] = lambda name: False,
) -> tuple[date | None, str | None]:
    """The page's own date and where it was read (see above). ``is_outlet`` tells a source
    stamp (中央社  2022/12/23) from a sentence opening with a date (截至2023/05/07，…)."""
    published = meta.get("published") or ""
    d = parse_full_date(published) if published else None
    if d:
        return d, "metadata"
    first = next(iter(text.splitlines()), "")
    m = _STORED_DATE.match(first)
    if m and m["d"]:
        d = make_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            return d, "page"
    texts = [*removed, *(ln.simplified for ln in lines)]
    # A page may give its update time above its publication time (更新时间 … 发布时间 …): the
    # publication wins; an update time alone still dates the page.
    labelled = [
        (i, line)
        for i, line in enumerate(texts)
        if len(line) <= 160 and _DATE_LABEL.search(line) and any_date(line)
    ]
    if labelled:
        i, line = labelled[0]
        if _UPDATE_ONLY.search(line):  # ... the publication time right below it wins
            line = next(
                (x for j, x in labelled[1:] if j - i <= 3 and not _UPDATE_ONLY.search(x)), line
            )
        return any_date(line), "date_line"
    for line in texts:
        m = CAPTION_STAMP.search(line)
        if m and is_outlet(m["x"]):
            d = make_date(int(m["y"]), int(m["m"]), int(m["d"]))
            if d:
                return d, "date_line"
            break
    body_started = False
    weekday_dates = []
    for ln in lines[:15]:
        body_started = body_started or ln.kind in ("body", "dateline") and has_sentences(ln)
        # A site's address beside a timestamp (http://www.example.com   2023-05-07 14:08:22)
        # leaves a date line; a source stamp (中央社  2022/12/23) may open the report's text.
        stamp = SOURCE_STAMP.match(ln.simplified)
        if stamp and not is_outlet(stamp["x"]):
            stamp = None
        short = len(_ADDRESS.sub("", ln.simplified)) <= 40
        if _POSTED_BY.match(ln.simplified):
            continue  # a post of the thread: read below, after the opening post's line
        if ln.kind == "date" or stamp or (short and any_date(ln.simplified)):
            if _is_clock(ln.simplified):
                continue
            d = parse_full_date(stamp["stamp"]) if stamp else any_date(ln.simplified)
            if d and not body_started and _edition_or_clock(ln.simplified):
                weekday_dates.append(d)
            elif d:
                return d, "date_line"
    # A forum thread: the opening post's line (often taken for chrome), else the first post
    # line kept with the text (a reply's, when the opening one is missing).
    posts = [line for line in removed if _FORUM_POST.search(line)]
    posts += [ln.simplified for ln in lines if _POSTED_BY.match(ln.simplified)]
    for line in posts:
        d = any_date(line)
        if d:
            return d, "forum"
    if weekday_dates:
        return weekday_dates[0], "date_line"
    for url in urls:
        d = url_date(url)
        if d:
            return d, "url"
    return None, None


def stored_date_apart(text: str) -> str:
    """A stored page's opening "date 2024-04" on a line of its own: the page's text after it
    (【有线新闻】, a headline) then opens a line as it did on the page."""
    m = _STORED_DATE.match(text)
    if m is None or m.end() >= len(text) or text[m.end()] == "\n":
        return text
    return text[: m.end()] + "\n" + text[m.end() :].lstrip(" \t")


def stored_month(text: str) -> tuple[int, int] | None:
    """A stored page's "date YYYY-MM" line that gives only the month."""
    m = _STORED_DATE.match(next(iter(text.splitlines()), ""))
    return (int(m["y"]), int(m["m"])) if m and not m["d"] else None


def has_sentences(line: Line) -> bool:
    return len(line.simplified) > 40 or line.simplified.endswith(("。", "！", "？"))


# --- an article's date -------------------------------------------------------------------


def _closing_stamp(lines: list[Line]) -> date | None:
    for ln in lines[-3:]:
        m = _ROC_CLOSING.search(ln.simplified)
        if m:
            return make_date(int(m["y"]) + 1911 + 100, int(m["m"]), int(m["d"]))
    return None


def article_published(
    lines: list[Line],
    context: list[Line],
    page_date: date | None,
    page_month: tuple[int, int] | None = None,
) -> tuple[date | None, str | None]:
    """The dateline's month and day, with the year (and month, for 台北4日电) from the
    article's own date line or the page; else the article's date line; never later than the
    page's own date unless the article has a date line of its own. ``page_month``: a page
    known only to the month (a stored page's "date 2024-04"). None when nothing dates the
    article (the caller falls back to the page)."""
    head = [*context, *lines[:5]]
    dated = [ln for ln in head if ln.kind == "date" and not _is_clock(ln.simplified)]
    # A date with its weekday (a site's clock, an edition date) yields to a date line of the
    # report (2024年04月25日星期四 above 发布时间：2014-10-01), an update time to the
    # publication time below it.
    dated.sort(
        key=lambda ln: (_edition_or_clock(ln.simplified), bool(_UPDATE_ONLY.search(ln.simplified)))
    )
    date_line = dated[0] if dated else None
    line_date = any_date(date_line.simplified) if date_line is not None else None
    if line_date is None:
        line_date = _closing_stamp(lines)
    anchor = line_date or page_date
    published, source = None, None
    dateline = next((ln for ln in lines[:12] if ln.kind == "dateline"), None)
    if dateline is not None:
        m = dateline.dateline
        y, mo, d = m["y"], m["m"], m["d"]
        if y and mo:
            published, source = make_date(int(y), cn_number(mo), cn_number(d)), "dateline"
        elif anchor is not None:
            day = cn_number(d)
            if mo:
                placed = place_in_year(cn_number(mo), day, anchor)
            else:  # day only (台北4日电): this month, or last month if the day is still ahead
                placed = make_date(anchor.year, anchor.month, day)
                if placed is None or placed > anchor:
                    prev = anchor.replace(day=1) - timedelta(days=1)
                    placed = make_date(prev.year, prev.month, day)
            published = placed
            source = "dateline+date_line" if line_date else "dateline+page"
        elif page_month is not None and not mo:
            published, source = make_date(*page_month, cn_number(d)), "dateline+page"
    if published is None and line_date is not None:
        published, source = line_date, "date_line"
    # A report is not published after the page that carries it (a mirror's dateline day placed
    # in the wrong year) ... unless it has a date line of its own: in a bundle of reports (a
    # forum post, a database export) the "page's date" is the first report's date line.
    # (A date with its weekday is a site's clock or a paper's edition date, not the report's.)
    own_line = (
        date_line is not None
        and line_date is not None
        and any(ln is date_line for ln in lines[:5])
        and not _edition_or_clock(date_line.simplified)
    )
    if published is not None and page_date is not None and published > page_date and not own_line:
        published, source = page_date, "page"
    return published, source
