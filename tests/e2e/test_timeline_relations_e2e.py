"""The timeline and relations pages in a real browser on a corpus big enough to need their
large-scale views (3,500 synthetic articles, forty-odd directions of travel): a heatmap cell
lists its events, a table row opens a story's reports, a report opens the reader; a mark
opens its story; a pair picked in the table is drawn apart on the map with its evidence."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from synthetic_corpus import build_synthetic

from .conftest import shot, streamlit_server, wait_ready

pytestmark = pytest.mark.e2e

EXCEPTION = "[data-testid='stException']"
CHOSEN = "rgb(31, 78, 156)"  # figures.timeline/relations CHOSEN_COLOR as the SVG draws it


@pytest.fixture(scope="module")
def scale_server(tmp_path_factory):
    out = build_synthetic(tmp_path_factory, 3500, seed=11, name="scale")
    with streamlit_server(Path(out)) as base:
        yield base


def _param(pg, name: str) -> str | None:
    return (parse_qs(urlparse(pg.url).query).get(name) or [None])[0]


def _wait_param(pg, name: str) -> str:
    pg.wait_for_function(
        f"() => new URLSearchParams(location.search).get('{name}') !== null", timeout=30_000
    )
    wait_ready(pg)
    return _param(pg, name)


def _assert_clean(pg) -> None:
    assert pg.locator(EXCEPTION).count() == 0, pg.locator(EXCEPTION).first.inner_text()
    assert pg.outside_requests == [], pg.outside_requests


def _click_centre(pg, locator) -> None:
    locator.scroll_into_view_if_needed()
    pg.wait_for_timeout(300)
    box = locator.bounding_box()
    pg.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _pair_lines(pg) -> list[str]:
    """The stroke colour of each pair's line on the map (arrowheads are outlined in white)."""
    styles = pg.locator(".geo .scatterlayer .trace path.js-line").evaluate_all(
        "paths => paths.map(p => p.style.stroke)"
    )
    return [s for s in styles if s in ("rgb(200, 60, 40)", CHOSEN)]


def _click_row(pg, grid, row: int) -> None:
    """Tick a row's selection box in a st.dataframe (a canvas: clicked by position)."""
    grid.scroll_into_view_if_needed()
    pg.wait_for_timeout(300)
    box = grid.bounding_box()
    pg.mouse.click(box["x"] + 14, box["y"] + 35 + 35 * row + 17)


def test_heatmap_cell_lists_its_events_a_row_opens_reports_and_a_report_the_reader(
    scale_server, page
):
    page.goto(f"{scale_server}/timeline?lanes=all")
    wait_ready(page)
    _assert_clean(page)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    assert chart.locator(".heatmaplayer, .hm").count() > 0  # a heatmap, not a band of marks
    shot(page, "timeline_heatmap")
    # The invisible marks on the cells take the click.
    cells = chart.locator(".scatterlayer path.point")
    assert cells.count() > 100
    _click_centre(page, cells.nth(cells.count() // 2))
    cell = _wait_param(page, "cell")
    assert cell.startswith("cell:")
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "所选格子" in main
    # The chosen cell is outlined on the heatmap.
    outline = chart.locator(".shapelayer path")
    assert outline.count() == 1 and CHOSEN in (outline.first.get_attribute("style") or "")

    _click_row(page, page.locator("[data-testid='stDataFrame']").first, 0)
    story = _wait_param(page, "story")
    assert _param(page, "cell") == cell  # the cell's list stays
    reports = page.locator(".tl-reports li")
    assert reports.count() >= 1
    page.locator(".tl-reports").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    shot(page, "timeline_cell_story")
    assert "报道：" in page.locator("[data-testid='stMain']").inner_text() and story

    # A report leads to the article in the reader.
    page.locator(".tl-reports a").first.click()
    page.wait_for_url("**/articles?*article=*")
    wait_ready(page)
    assert page.locator(".article-text").count() == 1
    _assert_clean(page)


def test_a_mark_opens_its_story_and_is_ringed(scale_server, page):
    page.goto(f"{scale_server}/timeline")  # the busiest directions: one mark per story
    wait_ready(page)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    assert chart.locator(".heatmaplayer, .hm").count() == 0
    lanes = chart.locator(".ytick text").all_text_contents()
    assert len(lanes) == 8 and all(" → " in lane for lane in lanes)
    marks = chart.locator(".scatterlayer path.point")
    # A loaded machine may still be settling the chart when the first click lands: the user
    # clicks again, and so does the test (at most three times).
    for attempt in range(3):
        _click_centre(page, marks.nth(marks.count() // 3))
        try:
            page.wait_for_function(
                "() => new URLSearchParams(location.search).get('story') !== null",
                timeout=10_000,
            )
            break
        except Exception:
            if attempt == 2:
                raise
    _wait_param(page, "story")
    assert page.locator(".tl-reports li").count() >= 1
    ring = chart.locator(".scatterlayer .trace").last.locator("path.point")
    assert ring.count() == 1 and CHOSEN in (ring.first.get_attribute("style") or "")
    shot(page, "timeline_mark_story")
    _assert_clean(page)


def test_a_pair_picked_in_the_table_stands_out_on_the_map_with_its_evidence(scale_server, page):
    page.goto(f"{scale_server}/relations")
    wait_ready(page)
    page.wait_for_selector(".geo path.choroplethlocation", timeout=30_000)
    assert 0 < len(_pair_lines(page)) <= 10  # the strongest pairs only
    _click_row(page, page.locator("[data-testid='stDataFrame']").first, 2)
    pair = _wait_param(page, "pair")
    assert len(pair) == 7 and pair[3] == "-"
    page.wait_for_selector(".geo path.choroplethlocation", timeout=30_000)
    strokes = _pair_lines(page)
    assert strokes.count(CHOSEN) == 1  # the chosen pair, in its own colour
    assert page.locator(".rel-evidence li").count() > 10
    page.mouse.move(0, 0)
    shot(page, "relations_table_pick")
    page.locator(".rel-evidence").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    shot(page, "relations_table_pick_evidence")
    _assert_clean(page)
