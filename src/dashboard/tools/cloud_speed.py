"""Cloud speed on a processed corpus: ``python -m dashboard.tools.cloud_speed [DATA_DIR]``."""

from __future__ import annotations

from pathlib import Path

from ..analysis.keywords import WEIGHTINGS, cloud_data
from ..figures.cloud import MAX_CLOUD_WORDS, _render_png, cloud_png, render_cloud


def benchmark(data_dir: Path | None = None) -> dict[str, float]:
    """Milliseconds for one uncached cloud of the whole corpus (weights + 800x400 image) per
    weighting, and for a cached repeat; run ``python -m dashboard.tools.cloud_speed [DATA_DIR]``."""
    import time

    from ..tables import store
    from ..tables.paths import processed_dir

    tables = store.load_tables(Path(data_dir or processed_dir()), ("articles", "terms"))
    articles, terms = tables["articles"], tables["terms"]
    render_cloud({"预热": 1.0}, 100, 50)  # imports and font loading are not per-cloud costs
    figures = {"articles": len(articles), "term_rows": len(terms)}
    for weighting in WEIGHTINGS:
        outlet = articles["source"].iloc[0] if weighting == "distinctive" else None
        _render_png.cache_clear()
        started = time.perf_counter()
        data = cloud_data(articles, terms, weighting, outlet)
        png = cloud_png(data.weights.head(MAX_CLOUD_WORDS).to_dict(), 800, 400)
        figures[f"{weighting}_ms"] = 1000 * (time.perf_counter() - started)
    started = time.perf_counter()
    assert cloud_png(data.weights.head(MAX_CLOUD_WORDS).to_dict(), 800, 400) == png
    figures["cached_ms"] = 1000 * (time.perf_counter() - started)
    return {k: round(v, 1) for k, v in figures.items()}


if __name__ == "__main__":
    import sys

    print(benchmark(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
