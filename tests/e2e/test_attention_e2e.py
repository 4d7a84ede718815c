"""Attention over time and the concordance in a real browser, from cold links: a bar of the
attention chart clicked lists that day's articles and one opens in the reader with the query
marked; the concordance's hits line up in one column, the sort and the pages are links, and a
hit opens its article."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from attention_corpus import build_attention_corpus

from .conftest import shot, streamlit_server, wait_ready

pytestmark = pytest.mark.e2e

EXCEPTION = "[data-testid='stException']"


@pytest.fixture(scope="module")
def attention_processed(tmp_path_factory) -> Path:
    return build_attention_corpus(tmp_path_factory.mktemp("attention_corpus_e2e"))


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _assert_clean(pg) -> None:
    assert pg.locator(EXCEPTION).count() == 0, pg.locator(EXCEPTION).first.inner_text()
    assert pg.outside_requests == [], pg.outside_requests
    assert pg.dialogs == []


def test_a_bar_of_the_attention_chart_opens_its_articles_and_the_reader(attention_processed, page):
    queries = "&".join(f"query={quote(q)}" for q in ("朝鲜 AND 俄罗斯", "entity:PRK"))
    with streamlit_server(attention_processed) as base:
        page.goto(f"{base}/attention?{queries}")  # the first request this server gets
        wait_ready(page)
        _assert_clean(page)
        chart = page.locator("[data-testid='stPlotlyChart']")
        legend = chart.locator(".legendtext").all_text_contents()  # SVG text
        assert legend == ["朝鲜 AND 俄罗斯", "实体:朝鲜"]
        shot(page, "attention_chart")
        bars = chart.locator(".bars path")
        assert bars.count() > 10
        chart.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        boxes = [bars.nth(i).bounding_box() for i in range(bars.count())]
        tallest = max((b for b in boxes if b), key=lambda b: b["height"])
        # plotly's drag layer covers the bars: click by position
        page.mouse.click(tallest["x"] + tallest["width"] / 2, tallest["y"] + tallest["height"] / 2)
        page.wait_for_url("**point=*")
        wait_ready(page)
        _assert_clean(page)
        point = _params(page.url)["point"][0]
        assert point.split(":")[0] in ("1", "2")
        heading = page.locator("h3").filter(has_text="篇").first.inner_text()
        listed = page.locator("section.kwic-art")
        assert listed.count() >= 1 and f"{listed.count()} 篇" in heading
        assert page.locator("section.kwic-art mark.hit").count() >= 1
        shot(page, "attention_point")

        listed.first.locator(".kwic-title a").click()
        page.wait_for_url("**/articles?*article=*")
        wait_ready(page)
        _assert_clean(page)
        assert _params(page.url)["q"][0] in ("朝鲜", "朝鲜 北韩", "北韩", "朝鲜 俄罗斯")
        assert page.locator(".article-text mark.hit").count() >= 1


def test_the_concordance_lines_up_its_hits_sorts_pages_and_opens_the_reader(
    attention_processed, page
):
    with streamlit_server(attention_processed) as base:
        page.goto(f"{base}/concordance?q={quote('双方')}")
        wait_ready(page)
        _assert_clean(page)
        rows = page.locator("table.conc tbody tr")
        assert rows.count() == 50
        # Every hit sits in the same column, the words before it end where it starts.
        centres = []
        for i in range(8):
            mark = rows.nth(i).locator("mark.hit").bounding_box()
            left = rows.nth(i).locator("td.l span").bounding_box()
            centres.append(mark["x"] + mark["width"] / 2)
            assert abs(left["x"] + left["width"] - mark["x"]) < 12
        assert max(centres) - min(centres) < 2
        shot(page, "concordance")

        page.locator("[data-testid='stButtonGroup'] button", has_text="之前的字").click()
        page.wait_for_url("**sort=left*")
        wait_ready(page)
        assert page.locator("th.l", has_text="↓").count() == 1
        page.locator("nav.pager a", has_text="下一页").click()
        page.wait_for_url("**page=2*")
        wait_ready(page)
        params = _params(page.url)
        assert params["sort"] == ["left"] and params["q"] == ["双方"]
        assert page.locator("table.conc tbody tr").count() == 50

        page.locator("table.conc td.h a").first.click()
        page.wait_for_url("**/articles?*article=*")
        wait_ready(page)
        _assert_clean(page)
        assert _params(page.url)["q"] == ["双方"]
        assert page.locator(".article-text mark.hit").count() >= 1
