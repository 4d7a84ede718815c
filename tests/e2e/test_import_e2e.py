"""Bring your own documents, in a real browser: upload a zip and single files (one broken)
with set_input_files, reload while the job runs (the progress comes back, no second job),
read the report naming the broken file, follow the link to the overview, and open the same
URL in a fresh browser context (no shared session): the same corpus and article count."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.tables import corpora
from dashboard.tools.synth import generate

from .conftest import CHROMIUM, shot, streamlit_server, wait_ready

pytestmark = pytest.mark.e2e

REPORT = "新华社北京7月9日电 国务院总理李强9日在北京会见来访的俄罗斯总理米舒斯京。双方就两国关系交换了意见。"


def _files(tmp_path: Path) -> list[Path]:
    raw = tmp_path / "synth"
    generate(raw, 150, seed=5)
    archive = tmp_path / "news.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(raw.rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(raw).as_posix())
    single = tmp_path / "single.txt"
    single.write_text(REPORT, encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "unterminated', encoding="utf-8")
    return [archive, single, broken]


def test_upload_watch_report_follow_and_share(tmp_path, page, browser, seed_processed, monkeypatch):
    folder = tmp_path / "corpora"
    monkeypatch.setenv("DASHBOARD_CORPORA", str(folder))
    files = _files(tmp_path)
    with streamlit_server(seed_processed) as base:
        page.goto(f"{base}/import")
        dropzone = page.locator("[data-testid='stFileUploaderDropzoneInput']")
        dropzone.wait_for(state="attached", timeout=90_000)
        page.wait_for_selector("[data-test-script-state='notRunning']", timeout=60_000)
        dropzone.set_input_files([str(f) for f in files])
        page.wait_for_function(
            "document.querySelectorAll(\"[data-testid='stFileChip']\").length == 3",
            timeout=60_000,
        )
        page.wait_for_timeout(1000)
        page.wait_for_selector("[data-test-script-state='notRunning']", timeout=60_000)
        page.get_by_label("语料名称(可选)").fill("浏览器测试")
        page.get_by_label("语料名称(可选)").press("Enter")  # commit the text before the click
        page.wait_for_timeout(1000)
        page.wait_for_selector("[data-test-script-state='notRunning']", timeout=60_000)
        page.get_by_role("button", name="开始导入").click()
        try:
            page.wait_for_function("location.search.includes('corpus=')", timeout=60_000)
        finally:
            shot(page, "import_started")
        page.get_by_text("导入进度").wait_for(timeout=60_000)
        shot(page, "import_progress")
        page.reload()  # while the job runs: its progress again, not a second job
        main = page.locator("[data-testid='stMain']")
        main.get_by_text("导入完成").wait_for(timeout=180_000)
        corpus_id = page.url.split("corpus=")[1].split("&")[0]
        jobs = list((folder / corpus_id / corpora.JOBS).glob("*.json"))
        assert len(jobs) == 1
        expect(main).to_contain_text("upload-1/broken.json", timeout=30_000)  # named in the report
        shot(page, "import_report")
        articles = corpora.info(corpus_id).articles
        assert articles > 150

        page.get_by_text("打开这个语料的概览").click()
        wait_ready(page)
        assert f"corpus={corpus_id}" in page.url
        metric = page.locator("[data-testid='stMetricValue']").first.inner_text()
        assert int(metric.replace(",", "")) == articles
        side = page.locator("[data-testid='stSidebar']").inner_text()
        assert "浏览器测试" in side
        url = page.url

        fresh = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        try:
            other = fresh.new_page()
            other.goto(url)
            wait_ready(other)
            again = other.locator("[data-testid='stMetricValue']").first.inner_text()
            assert again == metric
            assert "浏览器测试" in other.locator("[data-testid='stSidebar']").inner_text()
            # The reader of a link cannot delete: the import page offers no delete there.
            other.goto(url.replace("/?", "/import?").replace("/overview?", "/import?"))
            other.get_by_text("导入完成").wait_for(timeout=60_000)
            assert other.get_by_role("button", name="删除").count() == 0
            shot(other, "import_shared_link")
        finally:
            fresh.close()
        assert page.locator("[data-testid='stException']").count() == 0
        assert not page.outside_requests
    assert Path(CHROMIUM).exists()
