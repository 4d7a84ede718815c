"""Column lists of the processed tables (the contract in DESIGN.md, plus added columns).

Kept in one place so an empty corpus still produces tables with the right columns, and so
tests can check the contract.
"""

from __future__ import annotations

import pandas as pd

ARTICLE_COLUMNS = [
    "article_id",
    "doc",
    "index",
    "source",
    "source_zh",
    "published",
    "title",
    "text",
    "dup_of",
    # added columns
    "text_simplified",  # text converted to Simplified, same length (offsets hold for both)
    "script",  # 'hans' or 'hant': the script the article was written in
    # where `published` came from: dateline, dateline+date_line, dateline+page, date_line,
    # metadata, page (a stored page's date line), forum (a thread's post time), url
    "date_source",
    "place",  # dateline place (平壤, 首尔) when there is one
    "url",
    "site",  # the domain of the site the page was found on (its URL or file name), if known
    "quoted_sources",  # outlets cited inside the text (not the article's outlet)
    "encoding",  # the encoding the document was decoded from
]

MENTION_COLUMNS = ["article_id", "entity_id", "surface", "type", "start", "end", "sentence"]
ENTITY_COLUMNS = [
    "entity_id",
    "type",
    "name_zh",
    "name_en",
    "aliases",
    "country",
    "lat",
    "lon",
    # added column
    "verified",  # False for names found by the fallback, not in the gazetteer
]
EVENT_COLUMNS = [
    "event_id",
    "article_id",
    "kind",
    "lead",
    "from_country",
    "to_country",
    "place",
    "date",
    "date_precision",
    "time_expr",
    "evidence",
]
TERM_COLUMNS = ["article_id", "term", "count"]

COLUMNS = {
    "articles": ARTICLE_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "entities": ENTITY_COLUMNS,
    "events": EVENT_COLUMNS,
    "terms": TERM_COLUMNS,
}


def empty(table: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS[table]})
