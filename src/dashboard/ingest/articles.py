"""Raw documents -> articles: clean, split bundled reports, find outlet and publication date.

Works line by line on a page. Each cleaned line is classified (dateline, date line,
headline, body); a new article starts at a dateline (朝中社平壤7月19日电) together with the
headline and date line just above it, or at a headline followed by a date line. Within a
dated dispatch, a paragraph that opens with a new attribution (俄罗斯媒体报道, ...) and
leads into events later than the dispatch date starts another report: a dispatch cannot
report what happened after it was filed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from ..common.textnorm import (
    compact,
    count_han,
    script_of,
    to_simplified,
)
from ..tables.schema import ARTICLE_COLUMNS
from .addresses import hosts_of, own_urls, page_urls, site_name
from .cache import ResultCache, key_of, version_of
from .cleaning import Line, clean_page, has_body
from .engine import Engine
from .outlets import (
    UNKNOWN,
    Outlet,
    OutletRegistry,
    article_outlet,
    dateline_place,
    load_registry,
    named,
    page_outlet,
)
from .pubdate import article_published, page_date_of, stored_date_apart, stored_month
from .publisher_names import unregistered_publisher
from .readers import RawDocument, iter_files, read_file
from .report import IngestReport, Rejected
from .splitting import leading_context, split_segments

# --- the article of a segment ------------------------------------------------------------


@dataclass
class Draft:
    lines: list[Line]
    doc: RawDocument
    # Masthead and date lines above the headline: not part of the text, still read for
    # the outlet and the date.
    context: list[Line] = field(default_factory=list)
    title: str = ""
    source: Outlet | None = None
    source_name: str = ""  # a metadata outlet name the registry does not know
    site: str | None = None  # the site the page was found on (its domain), when known
    published: date | None = None
    date_source: str | None = None
    place: str = ""
    quoted: list[str] = field(default_factory=list)


def _first_sentence(text: str, limit: int = 60) -> str:
    first = re.split(r"(?<=[。！？!?])", text.strip(), maxsplit=1)[0].strip()
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _resolve_article(
    draft: Draft, registry: OutletRegistry, page_date: date | None, page_month=None
) -> None:
    lines, meta = draft.lines, draft.doc.meta
    is_record = draft.doc.kind == "record"

    # Outlet: record metadata is explicit; then what the article says of itself (dateline,
    # byline, source line, masthead; see outlets.article_outlet); then HTML metadata. An
    # outlet only quoted in the text is never the publisher.
    if is_record and meta.get("source"):
        draft.source = registry.lookup(meta["source"])
        if draft.source is None:
            draft.source_name = meta["source"]
    if draft.source is not None or draft.source_name:  # the record says: only the place
        draft.place = dateline_place(lines, registry)
    else:
        draft.source, draft.place = article_outlet(lines, draft.context, registry)
    if draft.source is None and not draft.source_name and meta.get("source"):
        draft.source = registry.lookup(meta["source"])

    draft.published, draft.date_source = article_published(
        lines, draft.context, page_date, page_month
    )
    if draft.published is None and page_date is not None:
        draft.published = page_date
        draft.date_source = "metadata" if meta.get("published") else "page"

    # Title: the headline above the dateline, else the record's title, else the first sentence.
    headline = next((ln for ln in lines[:2] if ln.kind == "headline"), None)
    if headline is not None:
        draft.title = headline.text
    elif meta.get("title"):
        draft.title = meta["title"].strip()
    else:
        body = next((ln for ln in lines if ln.kind in ("body", "dateline")), lines[0])
        text = body.text
        if body.kind == "dateline":  # 韩联社首尔7月9日电据...: the title starts after the dateline
            text = text[body.dateline.end() :] or text
        draft.title = _first_sentence(text)

    own = draft.source.id if draft.source else None
    full = "\n".join(ln.simplified for ln in lines)
    draft.quoted = [o.id for o in registry.find_all(full) if o.id != own]


def document_drafts(doc: RawDocument, registry: OutletRegistry) -> list[Draft]:
    lines, removed = clean_page(stored_date_apart(doc.text))
    if not lines:
        return []
    urls = page_urls(doc.meta, doc.doc, doc.text)
    page_date, page_source = page_date_of(
        removed, lines, doc.meta, doc.text, urls, is_outlet=lambda x: named(x, registry) is not None
    )
    page_month = stored_month(doc.text) if page_date is None else None
    segments = [lines] if doc.kind == "record" else split_segments(lines, page_date)
    drafts = []
    for seg in segments:
        # A record is one article by definition: its text counts as a whole, also when it
        # is short lines (a quoted multi-line CSV field), which on a page would be headings.
        whole = doc.kind == "record" and count_han("".join(ln.simplified for ln in seg)) >= 15
        if not (has_body(seg) or whole):
            continue
        context, seg = leading_context(seg, registry)
        draft = Draft(seg, doc, context=context)
        _resolve_article(draft, registry, page_date, page_month)
        if draft.date_source in ("page", "metadata") and page_source:
            draft.date_source = page_source
        drafts.append(draft)
    hosts = hosts_of(urls) if urls else ()
    if len(drafts) == 1 and drafts[0].source is None and not drafts[0].source_name:
        masthead = doc.meta.get("masthead", "")
        found = page_outlet(lines, removed, registry, masthead, hosts)
        if found is not None:
            drafts[0].source = found
            drafts[0].quoted = [q for q in drafts[0].quoted if q != found.id]

    for draft in drafts:  # a publisher the registry does not know, named as publishers are
        if draft.source is None and not draft.source_name:
            draft.source_name = unregistered_publisher(draft.lines, draft.context)

    site = site_name(hosts[0]) if hosts else None
    # On a registered outlet's own site, a report that names no publisher of its own is the
    # site's, also when the page holds several (a subheading read as a new report, a roundup).
    own_hosts = hosts_of(own_urls(doc.meta, doc.doc)) if urls else ()
    own_site = next((o for h in own_hosts if (o := registry.by_domain(h))), None)
    for draft in drafts:  # where the page was found, whoever wrote it (shown for "unknown")
        draft.site = site
        if own_site is not None and draft.source is None and not draft.source_name:
            draft.source = own_site
            draft.quoted = [q for q in draft.quoted if q != own_site.id]
    if (
        len(drafts) == 1
        and doc.meta.get("title")
        and not any(ln.kind == "headline" for ln in drafts[0].lines[:2])
    ):
        drafts[0].title = doc.meta["title"].strip()
    return drafts


def article_id(text: str, simplified: str | None = None) -> str:
    """The id of an article's text (``simplified``: its Simplified form, if already made)."""
    return hashlib.sha1(compact(text, simplified).encode("utf-8")).hexdigest()[:16]


@dataclass
class FileResult:
    """What one input file yields: article rows (each with the id of its text; a repeated
    text gets another id across the corpus) and its problems."""

    rows: list[dict]
    rejected: list[Rejected]
    documents_read: int
    unregistered: list[str]


def _draft_row(doc: RawDocument, position: int, draft: Draft) -> dict:
    text = "\n".join(ln.text for ln in draft.lines)
    simplified = to_simplified(text)
    source = draft.source
    return {
        # The id of the text, made here in the worker: a second copy of the same text gets
        # another id when ids are assigned across the corpus.
        "article_id": article_id(text, simplified),
        "doc": doc.doc,
        "index": doc.index if doc.kind == "record" else position,
        "source": source.id if source else (draft.source_name or UNKNOWN),
        "source_zh": source.name_zh if source else (draft.source_name or "未知"),
        "published": draft.published,
        "title": draft.title,
        "text": text,
        "dup_of": None,
        "text_simplified": simplified,
        "script": script_of(text, simplified),
        "date_source": draft.date_source,
        "place": draft.place or None,
        "url": doc.meta.get("url") or None,
        "site": draft.site,
        "quoted_sources": draft.quoted,
        "encoding": doc.encoding,
    }


def _read_chunk(max_file_mb: float, files: list[tuple[Path, Path]]) -> list[FileResult]:
    # The registry is built once per process (a worker's first chunk builds it).
    registry = load_registry()
    results = []
    for file, root in files:
        local = IngestReport()
        rows, unregistered = [], []
        for doc in read_file(file, root, local, max_file_mb):
            drafts = document_drafts(doc, registry)
            if not drafts:
                local.reject(
                    doc.doc, doc.line, "no article text found (only boilerplate or headings)"
                )
            for position, draft in enumerate(drafts):
                rows.append(_draft_row(doc, position, draft))
                if draft.source is None and draft.source_name:
                    unregistered.append(draft.source_name)
        results.append(FileResult(rows, local.rejected, local.documents_read, unregistered))
    return results


# What a file's articles depend on besides the file itself.
ARTICLES_VERSION = version_of(
    "ingest/articles.py",
    "ingest/cleaning.py",
    "ingest/splitting.py",
    "ingest/pubdate.py",
    "ingest/outlets.py",
    "ingest/publisher_names.py",
    "ingest/addresses.py",
    "ingest/readers.py",
    "ingest/saved_pages.py",
    "common/textnorm.py",
    "outlets.csv",
)


def _file_key(max_file_mb: float, item: tuple[Path, Path]) -> str:
    """A file is read again when its path, size or modification time changed, or the size
    limit did."""
    file, _root = item
    stat = file.stat()
    return key_of(str(file.resolve()), stat.st_size, stat.st_mtime_ns, max_file_mb)


def extract_articles(
    paths: list[Path],
    report: IngestReport,
    progress: Callable[[str, int, int], None] | None = None,
    max_file_mb: float = 50.0,
    engine: Engine | None = None,
    cache: ResultCache | None = None,
) -> pd.DataFrame:
    """The articles table of every input under ``paths``; files are read by ``engine``
    (this process by default), ids are assigned here in input order (the output does not
    depend on the engine)."""
    files = list(iter_files(paths, report))
    if progress:
        progress("reading", 0, len(files))
    cache = cache or ResultCache(None, "")
    rows = []
    seen_ids: set[str] = set()
    for result in cache.map(_read_chunk, files, _file_key, engine, max_file_mb):
        report.rejected.extend(result.rejected)
        report.documents_read += result.documents_read
        for name in result.unregistered:
            report.unregistered_sources[name] = report.unregistered_sources.get(name, 0) + 1
        for row in result.rows:
            aid = row["article_id"]
            if aid in seen_ids:  # the same text twice: keep both, the later one points back
                row["dup_of"] = aid
                text = compact(row["text"], row["text_simplified"])
                key = f"{text}\0{row['doc']}\0{row['index']}"
                aid = hashlib.sha1(key.encode()).hexdigest()[:16]
            seen_ids.add(aid)
            row["article_id"] = aid
            rows.append(row)
    if progress:
        progress("reading", len(files), len(files))
    frame = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    if not frame.empty:
        frame["index"] = frame["index"].astype("int64")
    return frame
