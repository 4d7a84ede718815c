"""Print how long each page takes on the server after a filter change, and the cold start.

    python scripts/measure_pages.py [--raw data/raw | --data DIR] [--repeat 5] [--no-browser]

Per page: the median wall time of a full script rerun under Streamlit's AppTest (the same
code path as a browser rerun: page_setup + queries + figures + elements) after toggling
"count each story once", and the median time of the page's query and figure functions
alone. Cold start: `streamlit run app.py` until the first page is drawn in chromium, both
with processed tables present and with them missing (built from the raw documents).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure_reruns(data_dir: Path, repeat: int) -> None:
    from streamlit.testing.v1 import AppTest

    from dashboard.app import page

    os.environ["DASHBOARD_DATA"] = str(data_dir)
    print(f"{'page':<10} {'first run ms':>13} {'rerun after filter change ms':>29}")
    for page_id, _ in page.existing_pages():
        at = AppTest.from_file(str(ROOT / "pages" / f"{page_id}.py"), default_timeout=120)
        start = time.perf_counter()
        at.run()
        first = (time.perf_counter() - start) * 1000
        if at.exception:
            print(f"{page_id:<10} error: {at.exception[0].message[:80]}")
            continue
        state = {"value": False}

        def rerun(at=at, state=state):
            state["value"] = not state["value"]
            at.sidebar.toggle[0].set_value(state["value"]).run()

        print(f"{page_id:<10} {first:>13.0f} {_median_ms(rerun, repeat):>29.0f}")


def measure_functions(data_dir: Path, repeat: int) -> None:
    from dashboard import analysis, figures
    from dashboard.analysis.corpus import load_corpus

    corpus = load_corpus(data_dir)
    f = analysis.filters.Filters(once=True)
    labels = analysis.labels.labels_for(corpus, "zh")
    colors = figures.style.outlet_colors(labels.outlet_order)

    def overview():
        analysis.overview.overview_stats(corpus, f)
        per_period, period = analysis.overview.articles_per_period(corpus, f)
        figures.overview.articles_per_period_figure(per_period, labels, colors, period)
        top = analysis.entities.top_entities(corpus, f, n=10)
        figures.entities.top_entities_figure(top, labels)
        analysis.overview.event_rows(analysis.overview.latest_events(corpus, f), labels)

    def entities():
        top = analysis.entities.top_entities(corpus, f, n=20)
        ids = top["entity_id"].tolist()
        names = figures.entities.entity_display_names(top, "zh")
        figures.entities.top_entities_figure(top, labels)
        figures.entities.entity_outlet_heatmap(
            analysis.entities.entity_counts_by_outlet(corpus, f, ids), names, labels, colors
        )
        trend, period = analysis.entities.entity_trend(corpus, f, ids[:3])
        figures.entities.entity_trend_figure(trend, {e: names[e] for e in ids[:3]}, labels, period)
        if ids:
            rows = analysis.entities.entity_sentences(corpus, f, ids[0])
            analysis.entities.marks_of_rows(corpus, rows.head(50))

    def articles():
        listing = analysis.articles.list_articles(corpus, f, "俄罗斯")
        if not listing.empty:
            aid = listing["article_id"].iloc[0]
            figures.reader.highlight_html(
                analysis.articles.article_by_id(corpus, aid)["text"],
                analysis.articles.article_mentions(corpus, aid),
            )

    print(f"\n{len(corpus.articles)} articles, {len(corpus.mentions)} mentions")
    print(f"{'page':<10} {'queries+figures ms':>19}")
    for name, fn in (("overview", overview), ("entities", entities), ("articles", articles)):
        print(f"{name:<10} {_median_ms(fn, repeat):>19.1f}")


def measure_cold_start(data_dir: Path, raw: Path) -> None:
    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_ready
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, target in (("tables present", data_dir), ("tables built on first start", None)):
            target = target or Path(tempfile.mkdtemp()) / "processed"
            start = time.perf_counter()
            with streamlit_server(target, raw) as base:
                up = time.perf_counter() - start
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(f"{base}/entities?once=1")  # a cold deep link
                wait_ready(page)
                drawn = time.perf_counter() - start
                page.close()
            print(f"cold start, {label}: server up {up:.1f} s, first page drawn {drawn:.1f} s")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--data", type=Path, help="processed tables to measure (default: ingest --raw first)"
    )
    args = parser.parse_args()

    from dashboard.ingest.pipeline import ingest

    data_dir = args.data
    if data_dir is None:
        data_dir = Path(tempfile.mkdtemp()) / "processed"
        ingest([args.raw], data_dir)
    measure_reruns(data_dir, args.repeat)
    measure_functions(data_dir, args.repeat)
    if not args.no_browser:
        print()
        measure_cold_start(data_dir, args.raw)


if __name__ == "__main__":
    main()
