"""The per-corpus structures the pages derive, built right after an ingestion.

Each is kept in the run's folder (``filters.derived``, ``tables/derived_files.py``) whoever
builds it first. Built here, by the ingestion command, no server process pays for them: at
100,000 articles the first views of the map and the network held 200-290 MB more for a
moment while they built them. A run nobody prepared (an upload, a run of older code) gets
them from its first views instead.
"""

from __future__ import annotations

import time
from pathlib import Path

from . import articles, entities, network, overview, relations, search, term_counts, timeline
from .corpus import load_corpus
from .filters import published_days, source_codes


def build_derived(data_dir: Path) -> float:
    """Build and keep every per-corpus structure of the tables in ``data_dir``; seconds."""
    started = time.perf_counter()
    corpus = load_corpus(Path(data_dir))
    published_days(corpus)
    source_codes(corpus)
    overview.outlet_counts(corpus)
    overview.event_index(corpus)
    entities.mention_index(corpus)
    for entity_type in entities.ENTITY_TYPES:
        entities.mentions_of_type(corpus, entity_type)
    network.pair_index(corpus)
    term_counts.term_index(corpus.terms)
    term_counts.term_runs(corpus.terms, corpus.articles)
    # The map's country rows and pair events; the timeline's event codes.
    relations.country_pairs(corpus.meta, corpus.mentions, corpus.entities, corpus.events)
    relations.country_mentions(corpus.meta, corpus.mentions, corpus.entities)
    timeline.timeline_frame(corpus.events, corpus.meta)
    articles.article_lookup(corpus)
    articles.mention_rows_by_article(corpus)
    search.title_apart(corpus)
    return time.perf_counter() - started
