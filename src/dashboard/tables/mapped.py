"""What the app reads from memory-mapped Arrow files instead of its own memory, one file each
per run: the articles' texts (``runs/<id>/texts.arrow``), the mentions' sentences
(``sentences.arrow``) and the terms' integer codes (``terms.arrow``).

The app never holds every text in its own memory. The file is uncompressed Arrow IPC, read
through a memory map: a search scans it in place (the pages it touches are the system's file
cache, shared and dropped under pressure, not the app's private memory), and the reader and
the sentence lists take only the rows they show. At 100,000 articles the texts were 316 MB of
the app's private memory once a page had read them (issue 25).

Columns, row for row with ``articles.parquet``: ``text_simplified`` (what searches run on;
the text itself where no Simplified copy was made) and ``text`` (as written; null where it
is the Simplified copy, which halves the file for mainland outlets). ``Texts`` gives both
back filled, as the pages read them: a missing text is "".

``sentences.arrow`` holds ``sentence`` of ``mentions.parquet``, row for row: the app's mentions
frame wraps the mapped column without a copy (137 MB of private memory at 100,000 articles,
and a third of the cold load, were those sentences read from Parquet). Beside it,
``sentence_code``: the same number for the same sentence text (numbered in order of first
appearance, -1 for none), so the pages that join mentions of one sentence (co-mentions, the
network) join integers instead of making a Python string of every sentence (400-600 MB for a
moment at 100,000 articles).

``terms.arrow`` holds the rows of ``terms.parquet`` as integer codes: ``term`` (a dictionary
column, its words sorted), ``article_pos`` (the article's row in ``articles.parquet``) and
``count``, in one record batch. The app's terms frame is made of views of those arrays (128
MB of private memory at 100,000 articles, 8 million rows, when read from Parquet).

The ingestion writes the files with the run (``store.write_tables``; the search's index,
``search_index.py``, likewise). A run written before they existed gets them on first use
(``open_or_make``): beside its tables; where that folder cannot be written, in this user's
own temporary folder; where nothing can be written, in memory, as before. Each is written to
a temporary name and renamed: a reader sees the whole file or none.
"""

from __future__ import annotations

import os
import stat
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import search_index

TEXTS = "texts.arrow"
COLUMNS = ("text", "text_simplified")
RUN_KEY = b"dashboard_run_id"
BATCH_ROWS = 8192  # rows per record batch: a take reads a few batches' offsets, not all
SCHEMA = pa.schema([("text_simplified", pa.large_string()), ("text", pa.large_string())])
SENTENCES = "sentences.arrow"
SENTENCE_SCHEMA = pa.schema([("sentence", pa.large_string()), ("sentence_code", pa.int32())])
TERMS = "terms.arrow"


def term_schema(words: int) -> pa.Schema:
    """The terms file's schema for a vocabulary of ``words``: the codes as narrow as pandas
    keeps a category's codes (int8 under 127 words, int16 under 32,767, then int32), so
    the category made of them is a view of the mapped file, not a copy (at a million bench
    articles, 80 million int16 codes: 160 MB of the app's own memory)."""
    code = next(
        t
        for t in (pa.int8(), pa.int16(), pa.int32(), pa.int64())
        if words < 2 ** (t.bit_width - 1) - 1
    )
    return pa.schema(
        [
            ("term", pa.dictionary(code, pa.large_string())),
            ("article_pos", pa.int32()),
            ("count", pa.int32()),
        ]
    )


def _strings(values, n: int) -> pa.Array:
    if values is None:
        return pa.nulls(n, pa.large_string())
    if not isinstance(values, pa.Array | pa.ChunkedArray):
        # A column backed by Arrow comes back chunked.
        values = pa.array(values, type=pa.large_string(), from_pandas=True)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    return values.cast(pa.large_string())


def _batch(text, simplified, n: int) -> pa.RecordBatch:
    """One batch as stored: the Simplified copy filled (missing: the text; both missing: ""),
    the text null where it equals that copy."""
    text = pc.fill_null(_strings(text, n), "")
    filled = pc.coalesce(_strings(simplified, n), text)
    written = pc.if_else(pc.equal(text, filled), pa.scalar(None, pa.large_string()), text)
    return pa.record_batch([filled, written], schema=SCHEMA)


def frame_batches(frame: pd.DataFrame) -> Iterable[pa.RecordBatch]:
    """The stored batches of an articles frame (its ``text`` and ``text_simplified``)."""
    for lo in range(0, max(len(frame), 1), BATCH_ROWS):
        part = frame.iloc[lo : lo + BATCH_ROWS]
        yield _batch(part.get("text"), part.get("text_simplified"), len(part))


def parquet_batches(path: Path) -> Iterable[pa.RecordBatch]:
    """The stored batches of ``articles.parquet``, read a batch at a time."""
    parquet = pq.ParquetFile(path)
    names = [c for c in COLUMNS if c in parquet.schema_arrow.names]
    if not names:
        for lo in range(0, max(parquet.metadata.num_rows, 1), BATCH_ROWS):
            yield _batch(None, None, min(BATCH_ROWS, parquet.metadata.num_rows - lo))
        return
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=names):
        got = dict(zip(batch.schema.names, batch.columns, strict=True))
        yield _batch(got.get("text"), got.get("text_simplified"), batch.num_rows)


def _sentence_table_batches(sentences: pa.Array) -> list[pa.RecordBatch]:
    """The stored batch of every mention's sentence: the text and its code. One batch: a
    pandas take over a chunked Arrow column joins every chunk first (a copy of all the
    sentences for one article's mentions)."""
    encoded = sentences.dictionary_encode()  # codes in order of first appearance
    codes = pc.fill_null(encoded.indices, -1).cast(pa.int32())
    return [pa.record_batch([sentences, codes], schema=SENTENCE_SCHEMA)]


def sentence_batches(frame: pd.DataFrame) -> list[pa.RecordBatch]:
    """The stored batches of a mentions frame's ``sentence``."""
    return _sentence_table_batches(_strings(frame.get("sentence"), len(frame)))


def sentence_parquet_batches(path: Path) -> list[pa.RecordBatch]:
    """The stored batches of ``mentions.parquet``'s sentences (read whole: a run written
    before the file existed gets it once)."""
    parquet = pq.ParquetFile(path)
    rows = parquet.metadata.num_rows
    if "sentence" not in parquet.schema_arrow.names:
        return _sentence_table_batches(_strings(None, rows))
    column = pq.read_table(path, columns=["sentence"]).column(0)
    return _sentence_table_batches(_strings(column, rows))


def term_batches(terms: pd.DataFrame | pa.Table, article_ids) -> list[pa.RecordBatch]:
    """The one stored batch of a terms table (``article_id``, ``term``, ``count``) whose
    articles are ``article_ids`` (in the articles table's order): the words as codes into
    their sorted list, each row's article as its position (-1: not in the articles)."""
    table = terms if isinstance(terms, pa.Table) else pa.Table.from_pandas(terms)
    n = table.num_rows
    words = _strings(table.column("term") if "term" in table.column_names else None, n)
    words = pc.fill_null(words, "")
    encoded = words.dictionary_encode()
    order = pc.sort_indices(encoded.dictionary)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order.to_numpy()] = np.arange(len(order), dtype=np.int32)
    codes = rank[encoded.indices.to_numpy(zero_copy_only=False)] if n else rank[:0]
    ids = _strings(table.column("article_id"), n) if "article_id" in table.column_names else None
    known = _strings(article_ids, len(article_ids))
    found = pc.index_in(ids, value_set=known) if ids is not None else pa.nulls(n, pa.int32())
    positions = pc.fill_null(found, -1).cast(pa.int32())
    # Counts as the app always read them: a number, else 0, within what int32 holds.
    raw = table.column("count").to_pandas() if "count" in table.column_names else None
    number = pd.to_numeric(raw, errors="coerce") if raw is not None else pd.Series(0, range(n))
    limit = np.iinfo(np.int32)
    counts = pa.array(number.fillna(0).clip(limit.min, limit.max).to_numpy().astype(np.int32))
    schema = term_schema(len(order))
    term = pa.DictionaryArray.from_arrays(
        pa.array(codes, type=pa.int32()).cast(schema.field("term").type.index_type),
        encoded.dictionary.take(order),
    )
    return [pa.record_batch([term, positions, counts], schema=schema)]


def write_mapped(
    path: Path,
    batches: Iterable[pa.RecordBatch],
    run_id: str,
    schema: pa.Schema | None = SCHEMA,
) -> Path:
    """Write a mapped file (``schema``: the texts' by default; None: the batches' own, for a
    list of batches) at ``path`` atomically (a temporary name, fsync, rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    schema = _with_run(schema if schema is not None else batches[0].schema, run_id)
    try:
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
            for batch in batches:
                if batch.num_rows:
                    writer.write_batch(batch)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


class Texts:
    """Every article's text, row for row with ``articles``; read-only and shared by every
    session. ``column`` gives the Simplified texts for a scan (zero-copy from the map); ``take``
    and ``row`` read only the rows asked for."""

    def __init__(self, table: pa.Table):
        self._table = table
        # Where each record batch starts: a take reads its rows batch by batch (Arrow's
        # take on a chunked column joins every chunk first: a copy of all the texts).
        sizes = [len(chunk) for chunk in table.column("text_simplified").chunks]
        self._starts = np.cumsum([0, *sizes])

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Texts:
        """Texts held in memory (a corpus built from frames, as tests and uploads do)."""
        return cls(pa.Table.from_batches(list(frame_batches(frame)), schema=SCHEMA))

    def __len__(self) -> int:
        return self._table.num_rows

    def column(self) -> pa.ChunkedArray:
        """Every Simplified text, for a scan (zero-copy from the map)."""
        return self._table.column("text_simplified")

    def take(self, positions) -> pd.DataFrame:
        """``text`` and ``text_simplified`` of the rows at ``positions`` (in that order)."""
        positions = np.asarray(positions, dtype=np.int64).reshape(-1)
        if len(positions) == 0:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
        if positions.min() < 0 or positions.max() >= len(self):
            raise IndexError(f"text rows {positions.min()}..{positions.max()} of {len(self)}")
        simplified: list = [None] * len(positions)
        written: list = [None] * len(positions)
        columns = self._table.column("text_simplified"), self._table.column("text")
        for b, at, local in self._by_batch(positions):
            # Python lists, not ``to_numpy``: 6x faster on 80,000 texts.
            for values, column in zip((simplified, written), columns, strict=True):
                for n, value in zip(
                    at.tolist(), column.chunk(b).take(local).to_pylist(), strict=True
                ):
                    values[n] = value
        text = [w if w is not None else s for w, s in zip(written, simplified, strict=True)]
        return pd.DataFrame({"text": text, "text_simplified": simplified}, dtype=object)

    def _by_batch(self, positions):
        """(batch, where in ``positions``, the rows inside that batch) for every batch the
        positions fall in, in batch order."""
        positions = np.asarray(positions, dtype=np.int64)
        batch = np.searchsorted(self._starts, positions, side="right") - 1
        for b in np.unique(batch).tolist():
            at = np.flatnonzero(batch == b)
            yield b, at, pa.array(positions[at] - self._starts[b])

    def simplified_texts(self):
        """Every Simplified text in order, a batch at a time as Python strings."""
        for chunk in self._table.column("text_simplified").chunks:
            yield from chunk.to_pylist()

    def simplified_at(self, positions: np.ndarray) -> pa.Array:
        """The Simplified texts at ``positions`` (ascending) as one Arrow array, taken batch
        by batch from the map (for a count over a few of them)."""
        column = self._table.column("text_simplified")
        parts = [column.chunk(b).take(local) for b, _, local in self._by_batch(positions)]
        return pa.concat_arrays(parts) if parts else pa.array([], type=pa.large_string())

    def row(self, position: int) -> dict:
        """``text`` and ``text_simplified`` of one row."""
        return self.take([int(position)]).iloc[0].to_dict()


class ForeignRun(ValueError):
    """A table a mapped file would be made from belongs to another ingestion run."""


def _of_run(path: Path, run_id: str) -> Path:
    """``path`` (a Parquet table of the run) when it carries ``run_id``; else ForeignRun (a
    mapped file made from it would serve another run's rows under this run's id)."""
    found = (pq.read_schema(path).metadata or {}).get(RUN_KEY, b"").decode()
    if found != run_id:
        raise ForeignRun(f"{path.name} comes from another ingestion run than manifest.json")
    return path


def _private_cache(make: bool = False) -> Path | None:
    """This user's own folder for the mapped files of runs whose folder cannot be written
    (made, with mode 700, when ``make``); None when there is none, or when a folder of that
    name is not this user's alone: a file another user put there would be served as the
    run's."""
    folder = Path(tempfile.gettempdir()) / f"dashboard-mapped-{os.getuid()}"
    try:
        if make:
            folder.mkdir(mode=0o700, exist_ok=True)
        found = folder.lstat()
    except OSError:
        return None
    mine = stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid()
    return folder if mine and not found.st_mode & 0o077 else None


def _mapped_table(path: Path, run_id: str) -> pa.Table:
    """The table in the mapped file at ``path``; ValueError when it is another run's."""
    with pa.memory_map(str(path), "r") as source:
        table = pa.ipc.open_file(source).read_all()
    found = (table.schema.metadata or {}).get(RUN_KEY, b"").decode()
    if found != run_id:
        raise ValueError(f"{path} belongs to run {found!r}, not {run_id!r}")
    return table


def _places_to_write(beside: Path, cached: str):
    """Where a mapped file is made: beside the run's tables, then (only when that failed, so
    the folder is not made for nothing) in this user's own temporary folder."""
    yield beside
    cache = _private_cache(make=True)
    if cache is not None:
        yield cache / cached


def open_or_make(run_dir: Path, run_id: str, name: str, make, schema: pa.Schema | None) -> pa.Table:
    """The mapped file ``name`` of the run in ``run_dir``, made with ``make()`` (its batches;
    with ``schema`` None, a list of batches with their own) when the run has none or a
    damaged one: beside the tables; when that cannot be written
    (a read-only folder, a full disk), in this user's own temporary folder; when nothing can
    be written, held in memory as before the files existed (the run still opens)."""
    run_dir = Path(run_dir)
    cached = f"{run_id}.{name}"
    cache = _private_cache()
    for path in [run_dir / name] + ([cache / cached] if cache is not None else []):
        if path.is_file():
            try:
                return _mapped_table(path, run_id)
            except (OSError, ValueError, pa.ArrowException):
                continue  # damaged or stale: made again below
    for path in _places_to_write(run_dir / name, cached):
        try:
            return _mapped_table(write_mapped(path, make(), run_id, schema), run_id)
        except FileNotFoundError:
            raise  # the run's folder or a table went: the caller says so
        except OSError:
            continue  # read-only, full, not ours: the next place, or memory
    batches = list(make())
    schema = schema if schema is not None else batches[0].schema
    return pa.Table.from_batches(batches, schema=_with_run(schema, run_id))


def _with_run(schema: pa.Schema, run_id: str) -> pa.Schema:
    """``schema`` with the run's id added to its metadata (what it had kept)."""
    return schema.with_metadata({**(schema.metadata or {}), RUN_KEY: run_id.encode()})


def open_texts(run_dir: Path, run_id: str) -> Texts:
    """The texts of the run in ``run_dir`` (made from ``articles.parquet`` when missing)."""

    def make():
        return parquet_batches(_of_run(Path(run_dir) / "articles.parquet", run_id))

    return Texts(open_or_make(run_dir, run_id, TEXTS, make, SCHEMA))


def open_terms(run_dir: Path, run_id: str) -> pd.DataFrame:
    """The terms of the run in ``run_dir`` as a frame of views of the mapped arrays (made
    from ``terms.parquet`` and ``articles.parquet`` when missing): ``term`` a category
    (its words in sorted order), ``article_pos`` and ``count`` int32."""
    run_dir = Path(run_dir)

    def make():
        terms = pq.read_table(_of_run(run_dir / "terms.parquet", run_id))
        ids = pq.read_table(run_dir / "articles.parquet", columns=["article_id"]).column(0)
        return term_batches(terms, ids)

    table = open_or_make(run_dir, run_id, TERMS, make, None)
    if table.num_rows:
        # One batch as written: each column is one chunk, its numpy view the mapped buffer
        # (combine_chunks would copy it, even a single chunk).
        term, positions, counts = (
            c.chunk(0) if c.num_chunks == 1 else c.combine_chunks() for c in table.columns
        )
        codes = term.indices.to_numpy(zero_copy_only=True)
        words = term.dictionary.to_numpy(zero_copy_only=False)
        positions, counts = positions.to_numpy(), counts.to_numpy()
    else:
        codes = positions = counts = np.zeros(0, dtype=np.int32)
        words = np.zeros(0, dtype=object)
    # The codes stay the mapped ones (see term_schema; a file written with wider codes than
    # pandas keeps is copied once here).
    category = pd.Categorical.from_codes(
        codes, categories=pd.Index(words.astype(str), dtype=object), validate=False
    )
    # One constructor, no copies: inserting or assigning a column later copies it.
    columns = {"term": pd.Series(category, copy=False), "article_pos": positions, "count": counts}
    return pd.DataFrame(columns, copy=False)


def open_search_index(run_dir: Path, run_id: str, texts: Texts) -> search_index.SearchIndex:
    """The search index of the run in ``run_dir`` (made from its texts when missing)."""

    def make():
        return search_index.index_batches(texts.simplified_texts())

    table = open_or_make(run_dir, run_id, search_index.SEARCH, make, search_index.SCHEMA)
    return search_index.SearchIndex(table, len(texts))


def open_sentences(run_dir: Path, run_id: str) -> pa.Table:
    """The mentions' sentences of the run in ``run_dir`` and their codes, mapped (made from
    ``mentions.parquet`` when missing)."""

    def make():
        return sentence_parquet_batches(_of_run(Path(run_dir) / "mentions.parquet", run_id))

    return open_or_make(run_dir, run_id, SENTENCES, make, SENTENCE_SCHEMA)
