"""The search in a real browser, from a cold link: the hits in context, the next page, a hit
opened in the reader with the term marked and its provenance, and the way back."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from search_corpus import WORD, build_search_corpus

from .conftest import shot, streamlit_server, wait_ready

pytestmark = pytest.mark.e2e

EXCEPTION = "[data-testid='stException']"


@pytest.fixture(scope="module")
def search_processed(tmp_path_factory) -> Path:
    return build_search_corpus(tmp_path_factory.mktemp("search_corpus_e2e"))


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _assert_clean(pg) -> None:
    assert pg.locator(EXCEPTION).count() == 0, pg.locator(EXCEPTION).first.inner_text()
    assert pg.outside_requests == [], pg.outside_requests
    assert pg.dialogs == []


def test_a_cold_search_link_shows_the_hits_pages_on_and_opens_the_reader(search_processed, page):
    with streamlit_server(search_processed) as base:
        page.goto(f"{base}/articles?q={quote(WORD)}")  # the first request this server gets
        wait_ready(page)
        _assert_clean(page)
        assert page.locator("[data-testid='stTextInput'] input").input_value() == WORD
        main = page.locator("[data-testid='stMain']")
        assert "第 1/3 页" in main.inner_text()
        assert page.locator("section.kwic-art").count() == 20
        # Each hit is marked and sits in the middle of its line.
        line = page.locator(".kwic-line").first
        mark = line.locator("mark.hit")
        assert mark.inner_text() in (WORD, "俄羅斯")
        lb, mb = line.bounding_box(), mark.bounding_box()
        middle = lb["x"] + lb["width"] / 2
        assert abs(mb["x"] + mb["width"] / 2 - middle) < lb["width"] * 0.15
        shot(page, "search_hits")

        page.locator("nav.pager a", has_text="下一页").click()
        page.wait_for_url("**page=2*")
        wait_ready(page)
        assert "第 2/3 页" in main.inner_text()
        assert page.locator("section.kwic-art").count() == 20

        page.locator(".kwic-title a").first.click()
        page.wait_for_url("**article=*")
        wait_ready(page)
        _assert_clean(page)
        params = _params(page.url)
        assert params["q"] == [WORD] and params["page"] == ["2"]
        assert page.locator(".article-text mark.hit").count() >= 1
        source = page.locator("dl.provenance a").first
        assert source.get_attribute("target") == "_blank"
        assert "noopener" in (source.get_attribute("rel") or "")
        assert source.get_attribute("href").startswith("https://")
        shot(page, "search_reader")

        page.locator(".hit-nav a", has_text="返回").click()
        page.wait_for_url("**page=2*")
        wait_ready(page)
        params = _params(page.url)
        assert "article" not in params and params["q"] == [WORD]
        assert page.locator("section.kwic-art").count() == 20
        _assert_clean(page)
