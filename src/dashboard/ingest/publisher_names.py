"""Publishers the outlet registry does not know, named where only a publisher stands.

A page from a site nobody registered (a diaspora portal, a regional paper, a forum) often names
its publisher in the same forms a registered one takes: a source line (来源：欧洲新侨网), a
bracketed masthead with the day (【看见泰国2024年5月3日讯】). Shown by that name, the article
is no longer "unknown" to the reader; the ingestion report lists such names, so they can be
added to ``data/outlets.csv``. Only a name shaped like a publisher's counts (…网, …报, …社,
…电视台 …): 来源：网络, 来源：综合编译 or a photographer's name are no publishers.
"""

from __future__ import annotations

import re

from .cleaning import Line
from .outlets import report_head

_PUBLISHER = (
    r"(?P<x>(?!网络|互联网|综合|本网|本站|本报|本台|该|网友)[\u4e00-\u9fff]{2,10}?"
    r"(?:网|报|社|电视台|电台|新闻|周刊|杂志|传媒|在线|之声))"
)
_SOURCE_LINE = re.compile(
    rf"(?<![片像频图])(?:来源|稿源|出处|转载自|转自)\s*[:：丨|｜]\s*[《「]?{_PUBLISHER}[》」]?"
    r"(?=$|[\s|｜丨·,，;；)）】\]:：])"
)
# A masthead opening the report: a name and 讯 (【看中国2018年4月27日讯】), or a name and its
# Latin brand (【看见泰国 VisionThai】). A bracket with neither is a tag or a title's
# (【疫外更忙】, 【独家】).
_MASTHEAD = re.compile(
    r"^[【\[](?P<x>(?!本报|本网|本台|本站)[\u4e00-\u9fff]{2,10}?)"
    r"(?:(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日(?:专讯|讯)|\s+[A-Za-z][A-Za-z ]{3,30})[】\]]"
)
# Tags a site puts in brackets, with or without an English gloss: no publisher's name.
_TAGS = re.compile(
    r"提示|独家|视频|专题|快讯|简讯|直播|图集|热点|推荐|更新|头条|要闻|观察|评论|聚焦"
)
HEAD_LINES = 8  # lines of the report's head read for a masthead or source line, at least
SOURCE_LINE_MAX = 80  # characters: a source line, not a sentence quoting one


def unregistered_publisher(lines: list[Line], context: list[Line]) -> str:
    """The publisher a report names in a source line (at its head or its end) or a
    masthead, when the registry knows no outlet by that name; "" when none is named so."""
    head = report_head(lines, context, least=HEAD_LINES, through_first=True)
    for ln in head:
        m = _MASTHEAD.match(ln.simplified)
        if m and not _TAGS.search(m["x"]):
            return m["x"]
    for ln in [*head, *lines[-3:]]:
        if len(ln.simplified) <= SOURCE_LINE_MAX and (m := _SOURCE_LINE.search(ln.simplified)):
            return m["x"]
    return ""
