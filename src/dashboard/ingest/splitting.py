"""Splitting a page into articles.

A new article starts at a dateline (朝中社平壤7月19日电) together with the headline and date
line just above it, or at a headline followed by a date line. Within a dated dispatch, a
paragraph that opens with a new attribution (俄罗斯媒体报道, ...) and leads into events later
than the dispatch date starts another report: a dispatch cannot report what happened after it
was filed.
"""

from __future__ import annotations

import re
from datetime import date

from ..common.textnorm import count_han
from .cleaning import Line, has_body
from .outlets import OutletRegistry, byline_outlet
from .pubdate import cn_number, month_day_dates, place_in_year

# A paragraph that opens a report with a fresh attribution: "俄罗斯媒体报道，", "路透社星期二
# (7月16日)引述...报道，". Continuations (另据, 据此, 报道称, 该报...) are not leads.
LEAD = re.compile(
    r"^(?!另|据|此外|同时|报道|该|此|这|他|她|但|而|并)[^，。,；;]{2,60}?(?:报道|报导|消息|电)[,，:：]"
)


# Opening a paragraph with "according to <source>" right under a headline marks a new report
# (a cross-head inside an article is followed by running text, not by a fresh attribution).
ATTRIBUTION_LEAD = re.compile(r"^据[^，。,]{2,20}?(?:报道|报导|消息)[,，]")


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


THIN = 60  # Han characters: less running text than this is no report of its own


def _body_size(lines: list[Line]) -> int:
    return sum(count_han(ln.simplified) for ln in lines if ln.kind in ("body", "dateline"))


# A summary the site puts above the report (【导读】…, 摘要：…): the report's, however long.
SUMMARY = re.compile(
    r"^(?:[【\[](?:导读|摘要|内容提要|提要|核心提示|导语)[】\]]"
    r"|(?:导读|摘要|内容提要|核心提示|导语)\s*[:：])"
)


def _only_summary(stretch: list[Line]) -> bool:
    texts = [ln for ln in stretch if has_body([ln])]
    return bool(texts) and all(SUMMARY.match(ln.simplified) for ln in texts)


def _without_thin_leads(lines: list[Line], starts: list[int]) -> list[int]:
    """Drop the start of a report whose stretch above holds no report of its own (a title,
    a teaser, a caption left over, a site's slogan, the site's summary of the report below):
    that stretch neither makes the page a bundle nor becomes an article; it is carried into
    the report below."""
    kept = [starts[0]]
    for a, b in zip(starts, starts[1:], strict=False):
        above = lines[a:b]
        thin = _body_size(above) < THIN or _only_summary(above)
        if (
            thin
            and not any(ln.kind == "dateline" for ln in above)
            and any(ln.kind in ("headline", "date") for ln in above)
        ):
            continue  # b is dropped: the thin stretch joins the report that starts at b
        kept.append(b)
    return kept


def _only_scraps(stretch: list[Line]) -> bool:
    """No sentence of running text: bits of text (a font-size widget's 字, a stray
    ADVERTISEMENT, a site's name) or headlines alone (a list of other stories below the report,
    one of them opening with its column's bracket, 【通说环球】…, and so read as a byline). They
    do not make the page a bundle of several reports."""
    return not has_body(stretch)


def split_segments(lines: list[Line], page_date: date | None) -> list[list[Line]]:
    starts = _without_thin_leads(lines, _segment_starts(lines))
    stretches = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    if sum(not _only_scraps(stretch) for stretch in stretches) > 1:
        # A page that bundles reports: here a headline directly above running text starts
        # a report too (in a single report it would be a cross-head).
        starts = sorted(
            set(starts)
            | {
                i
                for i in range(1, len(lines) - 1)
                if lines[i].kind == "headline"
                and lines[i + 1].kind == "body"
                and has_body([lines[i + 1]])
                and lines[i - 1].kind == "body"
            }
        )
    segments = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    merged: list[list[Line]] = []
    carry: list[Line] = []
    for seg in segments:
        if not has_body(seg) and any(ln.kind in ("headline", "date") for ln in seg):
            carry += seg  # a headline or date stranded above a dateline belongs below
            continue
        merged.append(carry + seg)
        carry = []
    if carry:
        merged.append(carry)
    if len(merged) > 1 and merged[0] and merged[0][0].kind == "headline" and has_body(merged[0]):
        first = merged[0]
        # A page title above several reports belongs to none of them.
        if len(first) > 1 and first[1].kind not in ("date", "byline", "dateline"):
            merged[0] = first[1:]
    return [part for seg in merged for part in _split_later_reports(seg, page_date)]


def leading_context(seg: list[Line], registry: OutletRegistry) -> tuple[list[Line], list[Line]]:
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


def dateline_of(lines: list[Line]) -> Line | None:
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
    dl = dateline_of(segment)
    if dl is None or not dl.dateline["m"]:
        return [segment]
    m = dl.dateline
    dispatch = place_in_year(cn_number(m["m"]), cn_number(m["d"]), page_date or date.today())
    if dispatch is None:
        return [segment]
    cut = _later_report_split(segment, dispatch)
    if cut is None:
        return [segment]
    return [segment[:cut], *_split_later_reports(segment[cut:], page_date)]
