"""A damaged set of tables in a real browser: the message, then the rebuild button, which asks
first and rebuilds from the documents that built the tables (never the bundled demo)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.ingest.pipeline import ingest
from dashboard.tables import store

from .conftest import ROOT, shot, streamlit_server, wait_ready

pytestmark = pytest.mark.e2e

LABELLED = ROOT / "data" / "labels" / "ingestion" / "docs"


def test_the_rebuild_button_works_in_a_browser(tmp_path: Path, page):
    data = tmp_path / "mine"
    ingest([LABELLED], data)
    n = len(store.load_tables(data, ("articles",))["articles"])
    (data / "articles.parquet").write_bytes(b"damaged")
    with streamlit_server(data, raw_dir=ROOT / "data" / "raw") as base:
        page.goto(f"{base}/overview")
        page.wait_for_selector("[data-testid='stAlertContentError']", timeout=90_000)
        main = page.locator("[data-testid='stMain']")
        expect(main).to_contain_text("articles.parquet", timeout=30_000)
        shot(page, "damaged_tables")
        page.get_by_role("button", name="用原来的文档重新构建").click()
        page.get_by_role("button", name="确定,重新构建").click(timeout=30_000)
        wait_ready(page)  # the overview, drawn from the rebuilt tables
        metric = page.locator("[data-testid='stMetricValue']").first.inner_text()
        assert int(metric) == n  # the user's documents, not the bundled post's 5 articles
        assert page.locator("[data-testid='stException']").count() == 0
        shot(page, "rebuilt_tables")
