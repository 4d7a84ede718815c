"""The relations map in a real browser with every request outside 127.0.0.1 blocked: the base
map comes from the app itself, country shapes are drawn, and a click on the map picks a pair."""

from __future__ import annotations

import shutil
from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import ARTIFACTS, shot, wait_ready

pytestmark = pytest.mark.e2e

# Test runs write screenshots under artifacts/ (not tracked); docs/screenshots holds copies
# that were looked at and committed on purpose.
SCREENSHOTS = ARTIFACTS


def _topojson_responses(pg) -> list:
    responses: list = []
    pg.on("response", lambda r: responses.append(r) if "topojson" in r.url else None)
    return responses


def test_map_draws_country_shapes_offline(server, page):
    responses = _topojson_responses(page)
    page.goto(f"{server}/relations")
    wait_ready(page)
    page.wait_for_selector(".geo path.choroplethlocation", timeout=30_000)

    assert page.locator("[data-testid='stException']").count() == 0
    # The base map: served by the app, not the CDN.
    assert [(r.url.split("/", 3)[3], r.status) for r in responses] == [
        ("app/static/topojson/world_110m.json", 200)
    ]
    # Country shapes: the shaded ones (choropleth) and the base map's country borders.
    shaded = page.locator(".geo path.choroplethlocation").count()
    assert shaded >= 2  # at least North Korea and Russia
    borders = page.locator(".geo .layer.countries path")
    assert borders.count() > 0
    assert len(borders.first.get_attribute("d") or "") > 1000  # real outlines, not empty
    land = page.locator(".geo .layer.land path")
    assert land.count() > 0
    assert page.outside_requests == [], page.outside_requests

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-testid='stPlotlyChart']").first.screenshot(
        path=str(SCREENSHOTS / "relations_map.png")
    )


def test_click_on_pair_shows_evidence_and_goes_to_url(server, page):
    page.goto(f"{server}/relations")
    wait_ready(page)
    page.wait_for_selector(".geo path.choroplethlocation", timeout=30_000)

    # The pairs' midpoint markers: the largest one is the strongest pair (PRK-RUS).
    points = page.locator(".geo .trace.scattergeo path.point")
    boxes = [points.nth(i).bounding_box() for i in range(points.count())]
    boxes = [b for b in boxes if b and b["width"] > 0]
    assert boxes, "no pair markers drawn"
    biggest = max(boxes, key=lambda b: b["width"])
    page.mouse.click(biggest["x"] + biggest["width"] / 2, biggest["y"] + biggest["height"] / 2)
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('pair') !== null", timeout=30_000
    )
    wait_ready(page)
    assert parse_qs(urlparse(page.url).query)["pair"] == ["PRK-RUS"]
    assert page.locator(".rel-evidence li").count() > 0  # the pair's evidence, listed
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.outside_requests == [], page.outside_requests

    page.mouse.move(0, 0)  # no hover label over the map
    page.wait_for_timeout(300)
    path = shot(page, "relations_pair")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENSHOTS / "relations.png")
    # The evidence below the map (the main area scrolls, not the page).
    page.locator(".rel-evidence").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "relations_evidence.png"))
