"""Screenshots of every page, in both languages, on a laptop and on a phone.

    python scripts/screenshots.py [--data DIR | --raw DIR] [--out docs/screenshots]
                                  [--pages overview timeline] [--widths 1400 390]
                                  [--query "pair=PRK-RUS"] [--format webp|png]

Starts `streamlit run app.py` on 127.0.0.1 against processed tables (``--data``; or builds
them from ``--raw``, by default the look-alike web pages in data/labels/real_pages) and saves
``<page>-<lang>-<width>.<format>`` per page, language and width: the whole page, as a
visitor sees it in Debian's chromium. The README's screenshots are made with the defaults.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from dashboard.tools.bench import PAGE_PARAMS  # noqa: E402
from dashboard.tools.bench import PAGES as BENCH_PAGES  # noqa: E402

# Every page the benchmark measures, and the import page.
PAGES = [*BENCH_PAGES, "import"]
# The views that show nothing until asked are shot on what the benchmark asks them.
PAGE_QUERIES = {
    page: urlencode(params, doseq=True, quote_via=quote) for page, params in PAGE_PARAMS.items()
} | {"articles": "q=会谈"}
HEIGHTS = {1400: 900, 390: 844}  # a laptop and a phone (iPhone 14) viewport


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="processed tables")
    parser.add_argument(
        "--raw", type=Path, default=ROOT / "data" / "labels" / "real_pages" / "pages"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--pages", nargs="+", default=PAGES)
    parser.add_argument("--langs", nargs="+", default=["zh", "en"])
    parser.add_argument("--widths", nargs="+", type=int, default=[1400, 390])
    parser.add_argument("--query", default="", help="extra link parameters, e.g. pair=PRK-RUS")
    parser.add_argument("--format", choices=["webp", "png"], default="webp")
    args = parser.parse_args()

    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_ready
    from PIL import Image
    from playwright.sync_api import sync_playwright

    data = args.data
    if data is None:
        from dashboard.ingest.pipeline import ingest

        data = Path(tempfile.mkdtemp()) / "sample-web-pages"  # the name the sidebar shows
        ingest([args.raw], data)
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, streamlit_server(data) as base:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in args.widths:
            context = browser.new_context(
                viewport={"width": width, "height": HEIGHTS.get(width, 900)},
                device_scale_factor=1,
            )
            page = context.new_page()
            for lang in args.langs:
                for page_id in args.pages:
                    own = PAGE_QUERIES.get(page_id, "")
                    query = "&".join(q for q in (f"lang={lang}", own, args.query) if q)
                    page.goto(f"{base}/{page_id}?{query}")
                    wait_ready(page)
                    # Streamlit scrolls inside its main block, not the document: grow the
                    # viewport to the content's height so the shot holds the whole page.
                    height = page.evaluate(
                        "() => Math.max(...[...document.querySelectorAll("
                        "'[data-testid=stMain], [data-testid=stAppViewContainer]')]"
                        ".map(e => e.scrollHeight))"
                    )
                    page.set_viewport_size({"width": width, "height": max(height, 600)})
                    page.wait_for_timeout(1500)  # charts redraw at the new size
                    png = page.screenshot(full_page=True)
                    page.set_viewport_size({"width": width, "height": HEIGHTS.get(width, 900)})
                    path = args.out / f"{page_id}-{lang}-{width}.{args.format}"
                    if args.format == "png":
                        path.write_bytes(png)
                    else:  # a fraction of the PNG's size, for the repository
                        Image.open(io.BytesIO(png)).convert("RGB").save(path, quality=60, method=6)
                    print(path)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
