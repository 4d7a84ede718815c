"""How responsive the server stays while an upload ingests, and how long the upload takes.

Starts `streamlit run app.py` on 127.0.0.1 against a synthetic corpus (the one another
reader is looking at), then in Chromium: session A changes a filter on the overview again
and again (the time from the click until the page has rerun and drawn its charts), first
alone, then while session B uploads a zip of N synthetic articles on the import page and
waits for its report. Prints the p50/p95 of A's page changes in both phases and B's time
from the click on "start" to the report.

    PYTHONPATH=src .venv/bin/python scripts/measure_upload.py --articles 2000
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
STATE = "[data-test-script-state='notRunning']"


def _uploader(base: str, archive: str, out: mp.Queue) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/import")
        page.wait_for_selector(STATE, timeout=120_000)
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(archive)
        page.wait_for_selector("[data-testid='stFileChip']", timeout=120_000)
        page.wait_for_timeout(1000)
        page.wait_for_selector(STATE, timeout=120_000)
        out.put(("started", time.monotonic()))
        started = time.monotonic()
        page.get_by_role("button", name="开始导入").click()
        page.get_by_text("导入完成").wait_for(timeout=900_000)
        out.put(("done", time.monotonic() - started))
        browser.close()


def _change(page, toggle) -> float:
    started = time.monotonic()
    toggle.click()
    with contextlib.suppress(Exception):  # the run may have ended before we looked
        page.wait_for_selector("[data-test-script-state='running']", timeout=2000)
    page.wait_for_selector(STATE, timeout=120_000)
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
                 .every(c => c.querySelector('.main-svg'))""",
        timeout=120_000,
    )
    return (time.monotonic() - started) * 1000


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--reader-articles", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=30)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from dashboard.tools.synth import generate

    work = Path(tempfile.mkdtemp(prefix="measure_upload_"))
    generate(work / "reader_raw", args.reader_articles, seed=3)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    subprocess.run(
        [sys.executable, "-m", "dashboard", "ingest", str(work / "reader_raw")]
        + ["--out", str(work / "reader"), "--quiet"],
        check=True,
        env=env,
        cwd=ROOT,
    )
    generate(work / "upload_raw", args.articles, seed=9)
    archive = work / "upload.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted((work / "upload_raw").rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(work / "upload_raw").as_posix())
    port = 8790
    env |= {"DASHBOARD_DATA": str(work / "reader"), "DASHBOARD_CORPORA": str(work / "corpora")}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
        + ["--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/overview")
            page.wait_for_selector(STATE, timeout=120_000)
            page.wait_for_timeout(2000)
            toggle = page.locator("[data-testid='stSidebar'] label").filter(
                has_text="同一报道只计一次"
            )
            alone = [_change(page, toggle) for _ in range(args.baseline)]
            queue: mp.Queue = mp.get_context("spawn").Queue()
            uploader = mp.get_context("spawn").Process(
                target=_uploader, args=(base, str(archive), queue)
            )
            uploader.start()
            assert queue.get(timeout=300)[0] == "started"
            during: list[float] = []
            result = None
            while result is None:
                during.append(_change(page, toggle))
                if not queue.empty():
                    result = queue.get()
            uploader.join(timeout=60)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(
        f"upload of {args.articles} articles ({archive.stat().st_size / 1e6:.1f} MB zip): "
        f"{result[1]:.1f} s from the click to the report"
    )
    for name, values in (("alone", alone), ("during the upload", during)):
        print(
            f"another session's filter changes, {name}: n={len(values)}, "
            f"p50 {statistics.median(values):.0f} ms, p95 {_pct(values, 0.95):.0f} ms, "
            f"max {max(values):.0f} ms"
        )


if __name__ == "__main__":
    main()
