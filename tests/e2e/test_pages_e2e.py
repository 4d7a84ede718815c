"""The dashboard in a real browser: every page, cold deep links, filters in the URL,
junk links, hostile article text, and no request leaving the machine."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.app import page
from dashboard.ingest.pipeline import ingest

from .conftest import shot, streamlit_server, wait_ready

pytestmark = pytest.mark.e2e

PAGE_IDS = [pid for pid, _ in page.existing_pages()]
EXCEPTION = "[data-testid='stException']"


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _assert_clean(pg) -> None:
    assert pg.locator(EXCEPTION).count() == 0, pg.locator(EXCEPTION).first.inner_text()
    assert pg.outside_requests == [], pg.outside_requests
    assert pg.dialogs == []


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_every_page_opens_without_error_or_outside_request(server, page, page_id):
    page.goto(f"{server}/{page_id}")
    wait_ready(page)
    _assert_clean(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "筛选" in sidebar.inner_text()  # the shared filters are on every page
    shot(page, f"page_{page_id}")


def test_cold_deep_link_is_the_first_request_and_keeps_its_filters(seed_processed, page):
    # A new server: this goto is the first request it ever gets.
    with streamlit_server(seed_processed) as base:
        page.goto(f"{base}/entities?source=KCNA&once=1&lang=en")
        wait_ready(page)
        _assert_clean(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        text = sidebar.inner_text()
        assert "Filters" in text and "Count each story once" in text  # shared sidebar, English
        assert "KCNA" in sidebar.locator("[data-testid='stMultiSelect']").inner_text()
        # The menu is the app's (titled pages), not Streamlit's file-named fallback.
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Overview" in nav and "app" not in nav.split()
        assert page.locator("h1").first.inner_text() == "Entity frequencies"
        shot(page, "cold_deep_link_entities")

        # Moving to another page keeps the filters in the URL.
        page.locator("[data-testid='stSidebarNav'] a", has_text="Articles").click()
        page.wait_for_url("**/articles?*")
        wait_ready(page)
        params = _params(page.url)
        assert params.get("source") == ["KCNA"] and params.get("once") == ["1"]
        assert params.get("lang") == ["en"]
        _assert_clean(page)


def test_filter_change_goes_into_the_url_and_changes_the_numbers(server, page):
    page.goto(f"{server}/overview")
    wait_ready(page)
    first_metric = page.locator("[data-testid='stMetricValue']").first
    before = int(first_metric.inner_text())
    page.locator("[data-testid='stSidebar'] [data-testid='stCheckbox']").first.click()
    page.wait_for_url("**once=1*")
    wait_ready(page)
    after = int(page.locator("[data-testid='stMetricValue']").first.inner_text())
    assert after < before  # the seed has a relayed article that is now counted once
    _assert_clean(page)


def test_junk_link_values_show_a_notice_not_a_crash(server, page):
    page.goto(f"{server}/overview?from=yesterday&source=NoSuchOutlet&once=maybe&lang=xx")
    wait_ready(page)
    _assert_clean(page)
    warnings = page.locator("[data-testid='stAlertContentWarning']").all_inner_texts()
    joined = " ".join(warnings)
    assert "from=yesterday" in joined and "source=NoSuchOutlet" in joined
    shot(page, "junk_link_overview")


HOSTILE = (
    "新华社平壤7月20日电 朝鲜外务省发表声明。"
    '<script>alert("script")</script>'
    '<img src=x onerror=alert("onerror")>'
    "<a href=\"javascript:alert('js')\">点此</a>"
    "<iframe src=\"javascript:alert('iframe')\"></iframe>"
    "俄罗斯总统普京表示,俄方愿与朝鲜加强合作。\n"
)


@pytest.fixture(scope="module")
def hostile_processed(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("hostile_raw")
    shutil.copy(Path(__file__).resolve().parents[2] / "data/raw/000_1c881e771c4f9be6.txt", raw)
    (raw / "hostile.txt").write_text(HOSTILE * 3, encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile_processed")
    ingest([raw], out)
    return out


# Views where the hostile sentence itself is on screen: the sentences of an entity, of a
# country pair, of a term, the article list and the concordance.
HOSTILE_VIEWS = {
    "entities": "entity=person:vladimir_putin",
    "relations": "pair=PRK-RUS&measure=co",  # the co-mention sentences are listed
    "keywords": "term=普京",
    "network": "edge=PRK~RUS",
    "articles": "q=script",
    "concordance": "q=onerror",
}


def test_html_in_articles_shows_as_text_and_never_runs(hostile_processed, page):
    with streamlit_server(hostile_processed) as base:
        for page_id in PAGE_IDS:
            page.goto(f"{base}/{page_id}?{HOSTILE_VIEWS.get(page_id, 'q=script')}")
            wait_ready(page)
            _assert_clean(page)
            if page_id in HOSTILE_VIEWS:
                main = page.locator("[data-testid='stMain']")
                # The payload is on screen as text, and none of its elements exist.
                page.wait_for_function(
                    "() => document.querySelector(\"[data-testid='stMain']\").innerText"
                    ".includes('onerror') || document.querySelectorAll('canvas').length > 0",
                    timeout=30_000,
                )
                assert (
                    main.locator(
                        "script:not([type]), img[src='x'], iframe[src^='javascript']"
                    ).count()
                    == 0
                )
                assert main.locator("a[href^='javascript']").count() == 0
        # The reader (a hit of the search opened) shows the tags as text.
        page.goto(f"{base}/articles?q=onerror")
        wait_ready(page)
        page.locator(".kwic-title a").first.click()
        page.wait_for_url("**article=*")
        wait_ready(page)
        body = page.locator(".article-text").inner_text()
        assert "<script>" in body or "onerror" in body
        assert (
            page.locator(".article-text script, .article-text img, .article-text iframe").count()
            == 0
        )
        assert page.locator(".article-text a").count() == 0
        shot(page, "hostile_reader")
        _assert_clean(page)


def test_clicking_an_entity_bar_lists_its_sentences_and_links_it(server, page):
    page.goto(f"{server}/entities")
    wait_ready(page)
    bars = page.locator("[data-testid='stPlotlyChart'] .bars path")
    if bars.count() == 0:
        pytest.skip("no entity in the seed corpus yet")
    bars.first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = bars.first.bounding_box()  # plotly's drag layer covers the bars: click by position
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**entity=*")
    wait_ready(page)
    marks = page.locator("ul.sentences mark")
    assert marks.count() > 0
    # The sentence list links to the reader, which opens that article.
    page.locator("ul.sentences a").first.click()
    page.wait_for_url("**/articles?*article=*")
    wait_ready(page)
    assert page.locator(".article-text").count() == 1
    _assert_clean(page)
    shot(page, "entity_sentence_to_reader")
