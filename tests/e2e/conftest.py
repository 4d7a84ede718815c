"""End-to-end fixtures: `streamlit run app.py` on 127.0.0.1 against a processed corpus, and
Debian's chromium driven by Playwright.

Each server fixture starts its own process on a free port, so a test can make the very first
request after a server start (the cold deep link case).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dashboard.tools.sessions import app_server

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def streamlit_server(data_dir: Path, raw_dir: Path | None = None) -> Iterator[str]:
    """Run `streamlit run app.py` until the block ends; yields its base URL."""
    with app_server(data_dir, log_dir=ARTIFACTS, raw_dir=raw_dir) as (port, _proc):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser page that records every request leaving 127.0.0.1 (and blocks it)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    outside: list[str] = []
    dialogs: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.outside_requests = outside
    pg.dialogs = dialogs
    yield pg
    context.close()


@pytest.fixture(scope="module")
def server(seed_processed) -> Iterator[str]:
    with streamlit_server(seed_processed) as base:
        yield base


def wait_ready(pg, timeout: float = 90_000) -> None:
    """Wait until the script run finished and the page drew its title."""
    pg.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=timeout)
    pg.wait_for_selector("[data-test-script-state='notRunning']", timeout=timeout)
    pg.wait_for_timeout(1000)  # elements mount after the script state flips
    # Plotly draws after the script finished: wait for every chart's SVG.
    pg.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
                 .every(c => c.querySelector('.main-svg'))""",
        timeout=timeout,
    )
    pg.wait_for_timeout(500)


def shot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
