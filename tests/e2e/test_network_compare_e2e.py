"""The co-occurrence network and the two-outlet comparison in a real browser: they draw, a
click on a tie or a term lists its sentences with the words marked, and a sentence opens the
reader."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import shot, wait_ready

pytestmark = pytest.mark.e2e
# A figure's last two scatter traces: the names placed for a laptop, then for a phone.
WIDE = ".scatterlayer > g.trace:nth-last-child(2)"
PHONE = ".scatterlayer > g.trace:last-child"
EXCEPTION = "[data-testid='stException']"


def _clean(pg) -> None:
    assert pg.locator(EXCEPTION).count() == 0, pg.locator(EXCEPTION).first.inner_text()
    assert pg.outside_requests == [], pg.outside_requests


def _click_centre(pg, box) -> None:
    # plotly's drag layer lies over the points: click by position
    pg.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _points(pg, trace) -> list[dict]:
    points = trace.locator("path.point")
    boxes = [points.nth(i).bounding_box() for i in range(points.count())]
    return [b for b in boxes if b and b["width"] > 0]


def test_clicking_a_tie_in_the_network_lists_its_sentences_and_opens_the_reader(server, page):
    page.goto(f"{server}/network?lang=en")
    wait_ready(page)
    _clean(page)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    # the traces with points: the ties' midpoints first, then one per entity type
    traces = chart.locator(".scatterlayer .trace").filter(has=page.locator("path.point"))
    assert traces.count() >= 3  # midpoints and at least two entity types
    names = chart.locator(".legendtext").all_text_contents()
    assert "Person" in names and "Country" in names  # colour by type, with a legend
    wide_names = chart.locator(f"{WIDE} .textpoint")
    assert wide_names.count() >= 4 and wide_names.first.is_visible()  # nodes carry names
    assert not chart.locator(f"{PHONE} .textpoint").first.is_visible()
    midpoints = _points(page, traces.first)
    assert midpoints, "no tie drawn"
    _click_centre(page, max(midpoints, key=lambda b: b["width"]))  # the heaviest tie
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('edge') !== null", timeout=30_000
    )
    wait_ready(page)
    edge = parse_qs(urlparse(page.url).query)["edge"][0]
    assert "~" in edge
    items = page.locator("ul.sentences li")
    assert items.count() > 0
    assert items.first.locator("mark").count() >= 2  # both names marked
    assert "in the same sentence" in page.locator("h3").all_inner_texts()[0]
    shot(page, "network_tie_sentences")

    # One node, then another: their pair (a person and an organisation: not the heaviest
    # tie, which joins two countries here).
    traces = chart.locator(".scatterlayer .trace").filter(has=page.locator("path.point"))
    nodes = [
        traces.nth(i)
        for i in range(1, traces.count())  # the first: the ties' midpoints
        if i < traces.count() - 2  # the last two: the names
    ]
    first, second = _points(page, nodes[0])[0], _points(page, nodes[-1])[0]
    _click_centre(page, first)
    page.wait_for_selector("text=click another node", timeout=30_000)
    wait_ready(page)
    _click_centre(page, second)
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).get('edge') !== {edge!r}", timeout=30_000
    )
    wait_ready(page)
    heading = page.locator("h3").all_inner_texts()[0]
    assert "in the same sentence" in heading or "never named" in heading
    _clean(page)
    page.goto(f"{server}/network?lang=en&edge={edge}")  # the tie's sentences by link
    wait_ready(page)
    # on a phone the names placed for a phone show, the laptop's do not
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    assert chart.locator(f"{PHONE} .textpoint").first.is_visible()
    assert not chart.locator(f"{WIDE} .textpoint").first.is_visible()
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.wait_for_timeout(800)
    page.locator("ul.sentences a").first.click()
    page.wait_for_url("**/articles?*article=*")
    wait_ready(page)
    assert page.locator(".article-text").count() == 1
    _clean(page)


def test_clicking_a_term_in_the_comparison_lists_both_outlets_sentences(server, page):
    page.goto(f"{server}/compare")
    wait_ready(page)
    _clean(page)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    axes = chart.locator(".xtitle, .ytitle").all_text_contents()
    assert any("每万词" in a for a in axes)
    # Five reports are too few for any term to be distinctive (|z| >= 1.96): none is named,
    # and the page says so under each outlet's list.
    assert chart.locator(f"{WIDE} .textpoint").count() == 0
    captions = page.locator("[data-testid='stCaptionContainer']").all_text_contents()
    assert any("没有哪个词明显是" in c for c in captions)
    others = chart.locator(".scatterlayer > g.trace:nth-child(2)")  # the unnamed terms
    point = _points(page, others)[0]
    _click_centre(page, point)
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('term') !== null", timeout=30_000
    )
    wait_ready(page)
    term = parse_qs(urlparse(page.url).query)["term"][0]
    marks = page.locator("ul.sentences mark").all_text_contents()
    # the term, and for a name also its other forms (俄 in 朝俄 for 俄罗斯)
    assert term in marks and all(m in term or term in m for m in marks)
    shot(page, "compare_term_sentences")
    page.locator("ul.sentences a").first.click()
    page.wait_for_url("**/articles?*article=*")
    wait_ready(page)
    assert page.locator(".article-text").count() == 1
    _clean(page)
