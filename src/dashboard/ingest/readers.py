"""Read raw inputs: find files, decode bytes, and turn each format into raw documents.

A raw document is either a *page* (a .txt/.md/.html/.mhtml/.docx file: free text that may
bundle several reports) or a *record* (one JSON/CSV row with its own metadata: one article).
Every problem is reported with file, line and reason, and reading goes on with the next input.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from .report import IngestReport
from .saved_pages import (
    MHTML_SUFFIXES,
    WORD_SUFFIXES,
    ArchiveError,
    WordError,
    mhtml_page,
    saved_url,
    word_text,
)

PAGE_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".json", ".csv"}
SUPPORTED = PAGE_SUFFIXES | HTML_SUFFIXES | MHTML_SUFFIXES | WORD_SUFFIXES | RECORD_SUFFIXES

# Field-name variants seen in news exports, mapped onto the record fields we use.
FIELD_ALIASES = {
    "title": ["title", "headline", "heading", "name", "subject", "标题", "標題", "题目"],
    "text": [
        "text",
        "content",
        "body",
        "article",
        "fulltext",
        "full_text",
        "maintext",
        "main_text",
        "description",
        "正文",
        "内容",
        "內容",
        "文本",
    ],
    "source": [
        "source",
        "outlet",
        "publisher",
        "site",
        "sitename",
        "site_name",
        "media",
        "agency",
        "source_name",
        "来源",
        "來源",
        "媒体",
        "媒體",
    ],
    "published": [
        "published_at",
        "published",
        "publish_date",
        "publication_date",
        "pubdate",
        "pub_date",
        "date",
        "datetime",
        "time",
        "timestamp",
        "created_at",
        "发布时间",
        "發布時間",
        "发布日期",
        "發布日期",
        "发表时间",
        "出版日期",
        "日期",
        "时间",
        "時間",
    ],
    "url": ["url", "link", "href", "permalink", "source_url", "链接", "網址", "网址"],
}

_MAGIC = [
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (also .docx/.xlsx)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"PAR1", "Parquet file"),
]


class DecodeError(ValueError):
    """The bytes are not text in any supported encoding."""


@dataclass
class RawDocument:
    doc: str  # path relative to the ingested root
    kind: str  # 'page' or 'record'
    text: str
    encoding: str
    line: int | None = None  # record position (JSON Lines: 1-based line number)
    index: int = 0  # position of the record inside its file (0-based)
    meta: dict = field(default_factory=dict)  # title, source, published, url (records, html)
    is_html: bool = False


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). Tries BOMs, strict UTF-8, then a statistical guess among
    the encodings Chinese news comes in (GB18030, Big5, UTF-16)."""
    if not data.strip():
        raise DecodeError("empty file")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {enc} after a byte-order mark: {exc.reason}") from exc
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"binary file ({what}), not text")
    head = data[:65536]
    if b"\x00" in head:
        # UTF-16 without a BOM: ASCII characters (newlines at least) put NULs in every other
        # byte. Accept it only when the decoded text reads as text, else it is binary.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        for enc in ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text) and _readable_share(text) > 0.9:
                return text, enc
        raise DecodeError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Guess on a sample cut at a line end so a multi-byte character is never split.
    sample = head if len(data) <= len(head) else head[: head.rfind(b"\n") + 1] or head
    best = from_bytes(sample, cp_isolation=["gb18030", "big5", "big5hkscs", "utf_16"]).best()
    candidates = [best.encoding] if best is not None else []
    candidates += [c for c in ("gb18030", "big5hkscs") if c not in candidates]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, enc
    raise DecodeError("not decodable as UTF-8, UTF-16, GB18030 or Big5")


def _looks_like_text(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    private = sum(1 for ch in sample if "\ue000" <= ch <= "\uf8ff")
    return (control + private) / len(sample) < 0.01


def _readable_share(text: str) -> float:
    """Share of characters that are Han, CJK punctuation, ASCII or common whitespace."""
    sample = text[:20000]
    ok = sum(
        1
        for ch in sample
        if ch.isascii() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
    )
    return ok / max(len(sample), 1)


def iter_files(paths: list[Path], report: IngestReport) -> Iterator[tuple[Path, Path]]:
    """Yield (file, root) for every supported file under the given paths, sorted.

    Symbolic links are followed once: a link back to a folder already read (a loop) and a
    link whose target is missing are reported and skipped, and so is a folder that cannot be
    read; a file reached twice through links is read once."""
    for path in paths:
        path = Path(path)
        if path.is_symlink() and not path.exists():
            report.reject(str(path), None, "broken symbolic link: its target does not exist")
        elif not path.exists():
            report.reject(str(path), None, "path does not exist")
        elif path.is_dir():
            yield from ((p, path) for p in _files_under(path, report))
        elif path.suffix.lower() in SUPPORTED:
            yield path, path.parent
        else:
            report.reject(str(path), None, f"unsupported file type '{path.suffix}'")


def _files_under(root: Path, report: IngestReport) -> list[Path]:
    """The supported files under ``root`` (links followed once), sorted by path."""
    seen_dirs: dict[tuple[int, int], Path] = {}
    seen_files: dict[tuple[int, int], Path] = {}
    found: list[Path] = []

    def rel(p: Path) -> str:
        return str(p.relative_to(root))

    def visit(folder: Path) -> None:
        try:
            stat = folder.stat()
            key = (stat.st_dev, stat.st_ino)
            if key in seen_dirs:
                report.reject(
                    rel(folder),
                    None,
                    f"symbolic link loop: leads back to '{rel(seen_dirs[key]) or '.'}', "
                    "already read (skipped)",
                )
                return
            seen_dirs[key] = folder
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            report.reject(rel(folder) or str(root), None, f"cannot read folder: {exc.strerror}")
            return
        for entry in entries:
            p = Path(entry.path)
            hidden = any(part.startswith(".") for part in p.relative_to(root).parts)
            try:
                if entry.is_symlink() and not p.exists():
                    report.reject(rel(p), None, "broken symbolic link: its target does not exist")
                elif entry.is_dir():
                    visit(p)
                elif entry.is_file():
                    if p.suffix.lower() not in SUPPORTED:
                        if not hidden:
                            report.reject(rel(p), None, f"unsupported file type '{p.suffix}'")
                        continue
                    stat = p.stat()
                    key = (stat.st_dev, stat.st_ino)
                    if key in seen_files:
                        report.reject(
                            rel(p), None, f"same file as '{rel(seen_files[key])}' (read once)"
                        )
                        continue
                    seen_files[key] = p
                    found.append(p)
            except OSError as exc:  # a loop of links (ELOOP), a file vanishing meanwhile
                report.reject(rel(p), None, f"cannot read: {exc.strerror}")

    visit(root)
    return sorted(found)


def read_file(
    file: Path, root: Path, report: IngestReport, max_file_mb: float = 50.0
) -> Iterator[RawDocument]:
    """The raw documents of one file; problems go to ``report``."""
    rel = str(file.relative_to(root))
    size = file.stat().st_size
    if size > max_file_mb * 1024 * 1024:
        report.reject(
            rel,
            None,
            f"file too large: {size / 1024 / 1024:.1f} MB (limit {max_file_mb:g} MB, "
            "raise it with --max-file-mb)",
        )
        return
    try:
        data = file.read_bytes()
    except OSError as exc:
        report.reject(rel, None, f"cannot read file: {exc.strerror or exc}")
        return
    suffix = file.suffix.lower()
    if suffix in MHTML_SUFFIXES:
        yield from _read_mhtml(rel, data, report)
        return
    if suffix in WORD_SUFFIXES:
        try:
            text = word_text(data)
        except WordError as exc:
            report.reject(rel, None, str(exc))
            return
        if not text.strip():
            report.reject(rel, None, "the Word document holds no text")
            return
        report.documents_read += 1
        yield RawDocument(rel, "page", text, "docx")
        return
    decoded = _decoded(rel, data, report)
    if decoded is None:
        return
    text, encoding = decoded
    # A page saved as its HTML source under a text name is read as HTML.
    if suffix in PAGE_SUFFIXES and not _is_markup(text):
        yield RawDocument(rel, "page", text, encoding)
    elif suffix in PAGE_SUFFIXES or suffix in HTML_SUFFIXES:
        doc = _read_html(rel, text, encoding, report)
        if doc is not None:
            yield doc
    elif suffix in {".jsonl", ".ndjson"}:
        yield from _read_jsonl(rel, text, encoding, report)
    elif suffix == ".json":
        yield from _read_json(rel, text, encoding, report)
    elif suffix == ".csv":
        yield from _read_csv(rel, text, encoding, report)


_TAG = re.compile(r"</?(?:p|div|br|span|a|html|body|table|td|li|h[1-6])\b[^>]*>", re.I)


def _is_markup(text: str) -> bool:
    """HTML source: tags take a good share of the text (a page copied with its markup)."""
    sample = text[:20000]
    tags = _TAG.findall(sample)
    return len(tags) >= 3 and sum(map(len, tags)) * 5 >= len(sample)


def _read_html(rel: str, html: str, encoding: str, report: IngestReport) -> RawDocument | None:
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, favor_recall=True
        )
    except Exception as exc:  # trafilatura raises assorted parser errors on broken markup
        report.reject(rel, None, f"HTML could not be parsed: {exc}")
        return None
    if result is None or not (result.text or "").strip():
        report.reject(rel, None, "HTML page has no main text")
        return None
    meta = {
        "title": result.title or "",
        "source": result.sitename or "",
        "published": result.date or "",
        "url": result.url or saved_url(html),
    }
    meta["masthead"] = _masthead_text(html)
    text = result.text
    title = (result.title or "").strip()
    # Extraction often drops the <h1>; the headline is part of what the page wrote.
    if title and title not in text[: len(title) + 200]:
        text = f"{title}\n{text}"
    return RawDocument(rel, "page", text, encoding, meta=meta, is_html=True)


def _decoded(rel: str, data: bytes, report: IngestReport) -> tuple[str, str] | None:
    """(text, encoding) of a document's bytes, counted as read; None, told, when undecodable."""
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        report.reject(rel, None, str(exc))
        return None
    report.documents_read += 1
    return decoded


def _read_mhtml(rel: str, data: bytes, report: IngestReport) -> Iterator[RawDocument]:
    """The page inside a web archive, read as HTML, with the address it was saved from."""
    try:
        html_bytes, charset, address = mhtml_page(data)
    except ArchiveError as exc:
        report.reject(rel, None, str(exc))
        return
    try:
        html, encoding = html_bytes.decode(charset), charset
        report.documents_read += 1
    except (LookupError, TypeError, UnicodeDecodeError):  # none declared, or declared wrong
        decoded = _decoded(rel, html_bytes, report)
        if decoded is None:
            return
        html, encoding = decoded
    doc = _read_html(rel, html, encoding, report)
    if doc is not None:
        doc.meta["url"] = doc.meta["url"] or address
        yield doc


def _masthead_text(html: str) -> str:
    """Text of the page's header, logo, footer and <title>: where a site names itself when
    its article does not (main-text extraction drops them)."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    parts = []
    for xpath in (
        "//header",
        "//*[contains(@class,'logo') or contains(@id,'logo')]",
        "//footer",
        "//title",
    ):
        for node in tree.xpath(xpath)[:3]:
            parts.append(" ".join(node.text_content().split()))
    return "\n".join(parts)[:2000]


def _pick(record: dict, field_name: str) -> str:
    lowered = {str(k).strip().casefold(): v for k, v in record.items()}
    for alias in FIELD_ALIASES[field_name]:
        value = lowered.get(alias.casefold())
        if value is None:
            continue
        if isinstance(value, dict):  # {"source": {"name": "Reuters"}}
            value = value.get("name") or value.get("title") or ""
        if isinstance(value, list):
            value = "\n".join(str(v) for v in value if v is not None)
        value = str(value).strip()
        if value:
            return value
    return ""


def _record_document(
    rel: str, record: object, encoding: str, line: int, index: int, report: IngestReport
) -> RawDocument | None:
    if not isinstance(record, dict):
        report.reject(rel, line, f"record is a {type(record).__name__}, not an object")
        return None
    meta = {f: _pick(record, f) for f in ("title", "source", "published", "url")}
    text = _pick(record, "text")
    if not text:
        report.reject(rel, line, "record has no text")
        return None
    return RawDocument(rel, "record", text, encoding, line=line, index=index, meta=meta)


def _read_jsonl(rel: str, text: str, encoding: str, report: IngestReport) -> Iterator[RawDocument]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            report.reject(rel, number, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        doc = _record_document(rel, record, encoding, number, number - 1, report)
        if doc is not None:
            yield doc


def _read_json(rel: str, text: str, encoding: str, report: IngestReport) -> Iterator[RawDocument]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # A .json file is sometimes JSON Lines in disguise.
        if "\n{" in text.strip():
            yield from _read_jsonl(rel, text, encoding, report)
            return
        report.reject(rel, exc.lineno, f"invalid JSON: {exc.msg} at column {exc.colno}")
        return
    if isinstance(data, dict):
        for key in ("articles", "items", "records", "data", "results", "docs", "documents"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        report.reject(rel, None, "JSON holds neither a record nor a list of records")
        return
    for index, record in enumerate(data):
        doc = _record_document(rel, record, encoding, index + 1, index, report)
        if doc is not None:
            yield doc


def _read_csv(rel: str, text: str, encoding: str, report: IngestReport) -> Iterator[RawDocument]:
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    lines = text.splitlines(keepends=True)
    header, next_line = _csv_record(lines, 0, dialect)
    if not header or not any(_canonical_field(f) == "text" for f in header if f):
        report.reject(rel, 1, f"CSV header has no text column (columns: {header})")
        return
    index = 0
    while next_line < len(lines):
        first = next_line
        try:
            row, next_line = _csv_record(lines, first, dialect)
        except csv.Error:
            # An opening quote that never closes: the rest of the file would become one
            # field. Only this line is bad; reading goes on with the next one.
            report.reject(rel, first + 1, "unterminated quote: the field is never closed")
            next_line = first + 1
            continue
        if row is None or not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) != len(header):
            if next_line - first > 1:
                # A multi-line record of the wrong shape is a stray quote that swallowed the
                # lines below it: report the first line and read the others again.
                report.reject(rel, first + 1, "unbalanced quote: the quoted field runs on")
                next_line = first + 1
            else:
                report.reject(
                    rel,
                    first + 1,
                    f"{len(row)} fields where the header has {len(header)} "
                    f"({'too many' if len(row) > len(header) else 'too few'}); row skipped",
                )
            continue
        record = dict(zip(header, row, strict=True))
        doc = _record_document(rel, record, encoding, first + 1, index, report)
        index += 1
        if doc is not None:
            yield doc


def _csv_record(lines: list[str], start: int, dialect) -> tuple[list[str] | None, int]:
    """The CSV record that begins at ``lines[start]`` and the index of the line after it.
    A quoted field may span lines; one that is still open at the end raises csv.Error."""
    reader = csv.reader(iter(lines[start:]), dialect=dialect, strict=True)
    try:
        row = next(reader)
    except StopIteration:
        return None, len(lines)
    return row, start + reader.line_num


def _canonical_field(name: str) -> str | None:
    key = name.strip().casefold()
    for canonical, aliases in FIELD_ALIASES.items():
        if key in (a.casefold() for a in aliases):
            return canonical
    return None
