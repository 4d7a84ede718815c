"""DataFrames -> figures: plotly figures, the keyword cloud image, escaped HTML for the reader.

Pure functions, no Streamlit (a test imports this package with Streamlit blocked). One module
per view; ``style`` holds what every figure shares, ``geo`` the map geometry, ``fonts`` the
clouds' Chinese font.
"""

from . import (
    attention,
    cloud,
    compare,
    concordance,
    entities,
    fonts,
    geo,
    network,
    overview,
    reader,
    relations,
    sentences,
    style,
    timeline,
)

__all__ = [
    "attention",
    "cloud",
    "compare",
    "concordance",
    "entities",
    "fonts",
    "geo",
    "network",
    "overview",
    "reader",
    "relations",
    "sentences",
    "style",
    "timeline",
]
