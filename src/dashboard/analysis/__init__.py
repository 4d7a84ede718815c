"""Processed tables -> DataFrames: the corpus loaded once, and pure query functions.

Every query is ``(corpus, filters, ...) -> DataFrame`` with fixed columns, also when the
selection is empty. No Streamlit here (a test imports this package with Streamlit blocked).
One module per view; ``filters`` holds the selection mask and the per-corpus integer codes
every view counts on.
"""

from . import (
    articles,
    attention,
    compare,
    concordance,
    corpus,
    entities,
    export,
    filters,
    keywords,
    labels,
    network,
    overview,
    periods,
    query,
    relations,
    timeline,
)

__all__ = [
    "articles",
    "attention",
    "compare",
    "concordance",
    "countries",
    "corpus",
    "entities",
    "export",
    "filters",
    "grouping",
    "keywords",
    "labels",
    "network",
    "overview",
    "periods",
    "query",
    "relations",
    "timeline",
    "timeline_buckets",
]
