"""What the benchmark asks of the app: the pages and their own link parameters, random views
(dates, outlets, relayed copies left out) as links carry them, the searches typed, and the
hook that times the query and figure functions a page calls. Used by ``bench`` (AppTest runs)
and ``sessions`` (live sessions against `streamlit run`)."""

from __future__ import annotations

import random
import time
from pathlib import Path

PAGES = [
    "overview",
    "entities",
    "timeline",
    "relations",
    "keywords",
    "network",
    "compare",
    "articles",
    "attention",
    "concordance",
]
# A page's own link parameters in every run (the filters change around them): the views
# that show nothing until asked are measured on what an analyst asks them.
PAGE_PARAMS: dict[str, dict] = {
    "attention": {"query": ["朝鲜 AND 俄罗斯", "entity:PRK", "访问 NOT 取消"]},
    "concordance": {"q": "访问"},
}
# Every module a page calls for its numbers and figures (app/ only wires them).
QUERY_MODULES = (
    "analysis.articles",
    "analysis.attention",
    "analysis.compare",
    "analysis.concordance",
    "analysis.entities",
    "analysis.export",
    "analysis.filters",
    "analysis.keywords",
    "analysis.labels",
    "analysis.network",
    "analysis.overview",
    "analysis.periods",
    "analysis.query",
    "analysis.relations",
    "analysis.relations_evidence",
    "analysis.search",
    "analysis.timeline",
    "analysis.timeline_buckets",
    "analysis.timeline_reports",
    "figures.attention",
    "figures.cloud",
    "figures.compare",
    "figures.concordance",
    "figures.entities",
    "figures.evidence",
    "figures.geo",
    "figures.kwic",
    "figures.network",
    "figures.overview",
    "figures.reader",
    "figures.relations",
    "figures.sentences",
    "figures.style",
    "figures.timeline",
)


def instrument_query_functions() -> list[float]:
    """Time every public function of the query and figure modules (outermost calls only, so
    nested calls are not counted twice). Returns the accumulator: seconds spent since it was
    last set to zero. Pages call these modules by attribute, so they call the timed versions."""
    import functools
    import importlib
    import inspect
    import threading

    spent = [0.0]
    depth = threading.local()

    def timed(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if getattr(depth, "level", 0):
                return fn(*args, **kwargs)
            depth.level = 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start
                depth.level = 0

        return wrapper

    for name in QUERY_MODULES:
        module = importlib.import_module(f"dashboard.{name}")
        for attr, value in list(vars(module).items()):
            if (
                inspect.isfunction(value)
                and value.__module__ == module.__name__
                and not attr.startswith("_")
            ):
                setattr(module, attr, timed(value))
    return spent


# Searches typed on the articles page: words and pairs of words the news of the benchmark's
# corpus (and of relations news in general) are made of, frequent and rare, both scripts.
SEARCH_WORDS = [
    "访问", "会谈", "合作", "朝鲜", "俄罗斯", "关系", "峰会", "代表团", "军事", "经济",
    "會談", "訪問", "外长", "总统", "防务", "协议", "签署", "联合", "平壤 莫斯科", "访问 会谈",
]  # fmt: skip


def random_filters(rng: random.Random, dates: list[str], sources: list[str]) -> dict:
    """A random view's link parameters: a date range, outlets, relayed copies left out."""
    params: dict = {}
    if dates and rng.random() < 0.8:
        a, b = sorted(rng.sample(range(len(dates)), 2)) if len(dates) > 1 else (0, 0)
        params["from"], params["to"] = dates[a], dates[b]
    if rng.random() < 0.5:
        params["source"] = rng.sample(sources, rng.randint(1, min(3, len(sources))))
    if rng.random() < 0.3:
        params["once"] = "1"
    return params


def random_query_string(out: Path):
    """A function (rng, page) -> the query string of a random view of ``page``: a date range,
    outlets, relayed copies left out, as the pages' links carry them."""
    from urllib.parse import urlencode

    from ..tables.store import load_tables

    arts = load_tables(out, ("articles",), only={"articles": ("published", "source")})["articles"]
    dates = sorted(str(d)[:10] for d in arts["published"].dropna().unique())
    sources = sorted(arts["source"].unique())

    def make(rng: random.Random, page: str) -> str:
        params: dict = {k: v for k, v in PAGE_PARAMS.get(page, {}).items()}
        if isinstance(params.get("query"), list):
            params["query"] = rng.choice(params["query"])
        return urlencode({**params, **random_filters(rng, dates, sources)}, doseq=True)

    return make
