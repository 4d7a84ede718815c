"""The processed tables as one read-only ``Corpus``, loaded once per process.

``load_corpus(dir)`` is plain Python (tests use it directly). ``cached_corpus(dir)`` is the
Streamlit entry: it keys the cache on ``store.snapshot(dir)`` (run id + manifest mtime), so a
new ingestion run is picked up on the next rerun, and it never passes DataFrames as cache
arguments (st.cache_data hashes only a sample of large frames; see NOTES.md).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..common.memory import release_memory
from ..tables import store
from ..tables.derived_files import batch_of, open_arrays
from ..tables.mapped import (
    ForeignRun,
    Texts,
    open_search_index,
    open_sentences,
    open_terms,
    open_texts,
)
from ..tables.schema import COLUMNS, empty
from ..tables.search_index import SearchIndex
from .derived_layout import code_version, decode, encode, register_run

# What a filter selects on every rerun (``Corpus.meta``): the columns pages show or join
# on. The full text, URLs, quoted sources and encodings stay in ``articles``.
TEXT_COLUMNS = ("text", "text_simplified")
# Above this share of the articles a word's candidates are counted by a scan: taking most of
# the texts one by one costs more than reading them all in order (measured at 100,000).
SCAN_SHARE = 0.2
_TEXT_LOCK = threading.Lock()  # Streamlit sessions are threads: one open for all of them


def _clean_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing texts as empty strings; a missing Simplified copy is the text itself."""
    # Filled only where something is missing: each fill copies a column of every text.
    text = frame["text"] if "text" in frame else pd.Series("", index=frame.index)
    text = text.fillna("") if text.hasnans else text
    simplified = frame.get("text_simplified", text)
    if simplified.isna().all():
        simplified = text
    elif simplified.hasnans:
        simplified = simplified.fillna(text)
    return pd.DataFrame({"text": text, "text_simplified": simplified})


META_COLUMNS = (
    "article_id",
    "article_pos",
    "doc",
    "index",
    "source",
    "source_zh",
    "published",
    "title",
    "dup_of",
    "script",
    "place",
    "site",  # an unknown outlet is named by the site it came from
)


@dataclass(frozen=True)
class Corpus:
    """All tables of one ingestion run. Treat every frame as read-only: it is shared."""

    articles: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    events: pd.DataFrame
    terms: pd.DataFrame
    report: dict = field(default_factory=dict)
    version: str = ""
    # source -> its Chinese display name, looked up for every label on every rerun.
    source_names: dict = field(default_factory=dict)

    # The corpus's first and last publication dates (None without dated articles): the
    # defaults of the date filter, read by every link a page builds.
    date_min: object = None
    date_max: object = None

    # ``articles`` without the full text (META_COLUMNS): what a filter selects on every
    # rerun. Copying 200 MB of text for each new filter cost more than the rest of a page.
    meta: pd.DataFrame | None = None

    # Opens the texts when ``articles`` was loaded without them (load_corpus): a memory map
    # of the run's texts file (tables/mapped.py), so no page holds every text in the app's
    # own memory. Called once, on first use; see ``text_store``.
    text_loader: Callable[[], Texts] | None = field(default=None, repr=False)
    # Opens the run's search index over those texts (tables/search_index.py); without one
    # (tables given as frames) the index is built in memory on first use.
    index_loader: Callable[[Texts], SearchIndex] | None = field(default=None, repr=False)
    _texts: dict = field(default_factory=dict, repr=False, compare=False)

    def text_store(self) -> Texts:
        """The texts of every article, row for row with ``articles``."""
        with _TEXT_LOCK:
            if "store" not in self._texts:
                if "text" in self.articles:  # tables given with their texts (tests, uploads)
                    found = Texts.from_frame(self.articles)
                elif self.text_loader is None:  # tables given without any text
                    found = Texts.from_frame(pd.DataFrame(index=self.articles.index))
                else:
                    found = self.text_loader()
                    if len(found) != len(self.articles):
                        raise store.StoreError(
                            "articles.parquet changed since the tables were loaded; reload."
                        )
                self._texts["store"] = found
            return self._texts["store"]

    def text_column(self) -> pa.ChunkedArray:
        """Every article's Simplified text, for a scan in Arrow (read in place from the map)."""
        return self.text_store().column()

    def texts_at(self, positions) -> pd.DataFrame:
        """``text`` and ``text_simplified`` of the articles at ``positions`` (in that order;
        the frame's index is 0..n-1): only these rows are read."""
        return self.text_store().take(positions)

    def search_index(self) -> SearchIndex:
        """Which articles may hold a Chinese word (see tables/search_index.py)."""
        texts = self.text_store()
        with _TEXT_LOCK:
            if "index" not in self._texts:
                if self.index_loader is None:
                    index = SearchIndex.from_texts(texts.simplified_texts(), len(texts))
                else:
                    index = self.index_loader(texts)
                self._texts["index"] = index
            return self._texts["index"]

    def text_counts(self, word: str) -> np.ndarray:
        """Per article, the occurrences of ``word`` in its Simplified text (Latin letters in
        any case): what a scan of every text counts. A Chinese word of two characters or
        more is counted only in the texts the search index leaves (the others cannot hold
        it); any other word is counted by the scan."""
        candidates = self.search_index().candidates(word)
        if candidates is None or len(candidates) > len(self.articles) * SCAN_SHARE:
            return count_in(self.text_column(), word)
        counts = np.zeros(len(self.articles), dtype=np.int64)
        if len(candidates):
            counts[candidates] = count_in(self.text_store().simplified_at(candidates), word)
        return counts

    def texts_in_blocks(self, positions, rows: int = 8192):
        """(positions, their ``texts_at``) a block of ``rows`` at a time: a pass over many
        articles holds one block's texts as Python strings, never all of them."""
        positions = np.asarray(positions, dtype=np.int64)
        for lo in range(0, len(positions), rows):
            block = positions[lo : lo + rows]
            yield block, self.texts_at(block)


# A scan of this many bytes of text or more is split between threads, one part per core:
# Arrow's kernels let go of the GIL, so a search over a million texts (about a gigabyte)
# uses both cores of a small host instead of one.
_SPLIT_BYTES = 64 << 20
_SCAN_THREADS = max(1, min(4, os.cpu_count() or 1))
_SCANNERS: list = []
_SCANNERS_LOCK = threading.Lock()


def _scanners():
    """The threads that scan parts of a text column (made once, kept for the process)."""
    from concurrent.futures import ThreadPoolExecutor

    with _SCANNERS_LOCK:
        if not _SCANNERS:
            _SCANNERS.append(ThreadPoolExecutor(_SCAN_THREADS, thread_name_prefix="text-scan"))
        return _SCANNERS[0]


def count_in(values, word: str) -> np.ndarray:
    """Occurrences of ``word`` in each of ``values`` (Arrow strings), Latin letters in any
    case; 0 for a missing value."""
    parts = _parts(values)
    if len(parts) > 1:
        counted = _scanners().map(lambda part: _count(part, word), parts)
        return np.concatenate(list(counted))
    return _count(values, word)


def _count(values, word: str) -> np.ndarray:
    found = pc.count_substring(values, word, ignore_case=True)
    return found.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)


def _parts(values) -> list:
    """A big chunked column as one run of its chunks per core (in order), else itself."""
    if not isinstance(values, pa.ChunkedArray) or values.num_chunks < 2:
        return [values]
    size = values.nbytes
    if size < _SPLIT_BYTES or _SCAN_THREADS < 2:
        return [values]
    parts, current, filled = [], [], 0
    for chunk in values.chunks:
        current.append(chunk)
        filled += chunk.nbytes
        if filled >= size / _SCAN_THREADS and len(parts) < _SCAN_THREADS - 1:
            parts.append(pa.chunked_array(current, type=values.type))
            current, filled = [], 0
    if current:
        parts.append(pa.chunked_array(current, type=values.type))
    return parts


def _as_date(series: pd.Series) -> pd.Series:
    """Dates as python ``date`` objects (or None), whatever Parquet gave back."""
    converted = pd.to_datetime(series, errors="coerce")
    return converted.dt.date.astype("object").where(converted.notna(), None)


def article_positions_of(ids: pd.Series, article_ids: pd.Series) -> np.ndarray:
    """For each id in ``ids``, the position of its first occurrence in ``article_ids``
    (-1 when absent), through Arrow's hash lookup: 8 million rows in a tenth of a second.
    Categorical ids are looked up once per category."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        if len(ids.cat.categories) == 0:
            return np.full(len(ids), -1, dtype=np.int32)
        per_category = article_positions_of(pd.Series(ids.cat.categories), article_ids)
        codes = ids.cat.codes.to_numpy()
        return np.where(codes >= 0, per_category[codes], -1).astype(np.int32)
    found = pc.index_in(
        pa.array(ids, type=pa.string(), from_pandas=True),
        value_set=pa.array(article_ids, type=pa.string(), from_pandas=True),
    )
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)


def _of_articles(values: pd.Series, positions: np.ndarray, categorical: bool = False) -> list:
    """``values`` (a column of the articles) for each row at ``positions`` (-1: None)."""
    inside = positions >= 0
    if len(values) == 0:  # no articles: nothing to take
        return pd.Series([None] * len(positions), dtype="object").to_numpy()
    if categorical:
        codes, categories = pd.factorize(values.astype(object), sort=True)
        picked = np.where(inside, codes[np.clip(positions, 0, None)], -1)
        return pd.Categorical.from_codes(picked, categories=categories)
    picked = values.to_numpy(dtype=object)[np.clip(positions, 0, None)]
    picked[~inside] = None
    return picked


def prepare(
    tables: dict[str, pd.DataFrame],
    report: dict | None = None,
    version: str = "",
    text_loader: Callable[[], Texts] | None = None,
    index_loader: Callable[[Texts], SearchIndex] | None = None,
) -> Corpus:
    """Build a Corpus from raw tables: fill missing tables, normalise types, add join columns."""
    frames = _base_frames(tables, without_texts=text_loader is not None)
    return _assemble(frames, report, version, text_loader, index_loader)


_STRING_LISTS = pd.ArrowDtype(pa.list_(pa.string()))


def arrow_lists(values: pd.Series) -> pd.Series:
    """Lists of outlet ids (Python lists, arrays, a single id or nothing per row, or an Arrow
    list column) as one Arrow list column: a row still reads as a Python list (an empty one
    for nothing, as the reader expects), without an object per row."""
    if isinstance(values.dtype, pd.ArrowDtype):
        arrow = values.array.__arrow_array__().cast(_STRING_LISTS.pyarrow_dtype)
        empty = pa.scalar([], type=_STRING_LISTS.pyarrow_dtype)
        return pd.Series(
            pd.arrays.ArrowExtensionArray(pc.fill_null(arrow, empty)), index=values.index
        )
    lists = [
        [v] if isinstance(v, str) else list(v) if pd.api.types.is_list_like(v) else []
        for v in values
    ]
    return pd.Series(
        pa.array(lists, type=_STRING_LISTS.pyarrow_dtype), index=values.index, dtype=_STRING_LISTS
    )


def _filled(name: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    """``frame`` (None: an empty table) with every contract column of table ``name``
    (missing ones as None), indexed 0..n-1."""
    if frame is None:
        frame = empty(name)
    for column in COLUMNS[name]:
        if column == "article_id" and "article_pos" in frame:
            continue  # mapped terms: rows carry their article's position, not its id
        if column not in frame.columns:
            frame[column] = pd.Series([None] * len(frame), dtype="object")
    return frame.reset_index(drop=True)


def _base_frames(tables: dict[str, pd.DataFrame], without_texts: bool) -> dict[str, pd.DataFrame]:
    """The tables cleaned, typed and given their articles' positions: what ``_assemble``
    completes, and what a loaded run keeps in its derived file (``load_corpus``)."""
    frames = {name: _filled(name, tables.get(name)) for name in COLUMNS}

    articles = frames["articles"].copy()
    if without_texts:  # opened later, on first use (Corpus.text_store)
        articles = articles.drop(columns=list(TEXT_COLUMNS), errors="ignore")
    articles["published"] = _as_date(articles["published"])
    dup = articles["dup_of"].astype("object")
    articles["dup_of"] = dup.where(dup.notna() & (dup != ""), None)
    if not without_texts:
        texts = _clean_texts(articles)
        articles["text"], articles["text_simplified"] = texts["text"], texts["text_simplified"]
    articles["quoted_sources"] = arrow_lists(articles["quoted_sources"])
    articles["title"] = articles["title"].fillna("")
    articles["source"] = articles["source"].fillna("unknown")
    articles["source_zh"] = articles["source_zh"].fillna(articles["source"])

    # Every row carries its article's position in ``articles``: selecting rows of the
    # filtered articles is then an array lookup, not a string join (see filters.rows_in).
    articles["article_pos"] = np.arange(len(articles), dtype=np.int32)

    mentions = frames["mentions"].drop(columns=list(_BY_POSITION["mentions"]), errors="ignore")
    mentions["article_pos"] = article_positions_of(mentions["article_id"], articles["article_id"])
    for column in ("start", "end"):
        mentions[column] = (
            pd.to_numeric(mentions[column], errors="coerce").fillna(-1).astype("int64")
        )

    events = frames["events"].drop(columns=list(_BY_POSITION["events"]), errors="ignore")
    events["date"] = _as_date(events["date"])
    events["article_pos"] = article_positions_of(events["article_id"], articles["article_id"])
    terms = frames["terms"]
    if "article_pos" not in terms:  # mapped terms carry it (and their counts as int32)
        terms["article_pos"] = article_positions_of(terms["article_id"], articles["article_id"])
    if terms["count"].dtype != np.int32:
        terms["count"] = pd.to_numeric(terms["count"], errors="coerce").fillna(0).astype(np.int32)
    return {
        "articles": articles,
        "mentions": mentions,
        "events": events,
        "terms": terms,
        "entities": frames["entities"],
    }


# Columns every row takes from its article by position, on each load (not kept in a file:
# a shared object per article, not one per row).
_BY_POSITION = {"mentions": ("source", "published"), "events": ("source", "article_published")}


def _assemble(
    frames: dict[str, pd.DataFrame],
    report: dict | None,
    version: str,
    text_loader: Callable[[], Texts] | None,
    index_loader: Callable[[Texts], SearchIndex] | None,
) -> Corpus:
    """The Corpus of ``_base_frames``: the columns taken from the articles by position, the
    metadata frame and the corpus's dates and outlet names."""
    articles, mentions, events = frames["articles"], frames["mentions"], frames["events"]
    # Mentions carry the article's outlet and date so queries need no join per rerun (taken
    # by position: a merge on a million ids copied every column).
    positions = mentions["article_pos"].to_numpy()
    mentions["source"] = _of_articles(articles["source"], positions, True)
    mentions["published"] = _of_articles(articles["published"], positions)
    positions = events["article_pos"].to_numpy()
    events["source"] = _of_articles(articles["source"], positions)
    events["article_published"] = _of_articles(articles["published"], positions)

    dated = articles["published"].dropna()
    meta = articles[[c for c in META_COLUMNS if c in articles]]
    return Corpus(
        articles=articles,
        mentions=mentions,
        entities=frames["entities"],
        events=events,
        terms=frames["terms"],
        report=report or {},
        version=version,
        date_min=dated.min() if len(dated) else None,
        date_max=dated.max() if len(dated) else None,
        meta=meta,
        text_loader=text_loader,
        index_loader=index_loader,
        source_names=dict(
            articles.drop_duplicates("source")[["source", "source_zh"]].itertuples(
                index=False, name=None
            )
        ),
    )


def _unreadable(shown: Path, exc: Exception) -> store.StoreError:
    """The message a page shows for a table that cannot be read (nor its mapped file made)
    or that belongs to another run (as ``store.load_tables`` says it)."""
    why = (
        "comes from another ingestion run than manifest.json"
        if isinstance(exc, ForeignRun)
        else f"cannot be read ({exc})"
    )
    return store.StoreError(f"1 table file(s) unusable: {shown} {why}.", [(str(shown), why)])


def _mapped_sentences(run_dir: Path, run_id: str, rows: int, data_dir: Path) -> pd.DataFrame:
    """The mentions' ``sentence`` and ``sentence_code`` over the run's mapped file (no
    copy: the same ``str`` column Parquet gives, its characters in the system's file cache;
    the codes a view of the file's int32 array)."""
    shown = data_dir / "mentions.parquet"
    try:
        table = open_sentences(run_dir, run_id)
    except (OSError, pa.ArrowException, ForeignRun) as exc:
        raise _unreadable(shown, exc) from exc
    if table.num_rows != rows:
        raise store.StoreError(
            f"1 table file(s) unusable: {shown} changed while it was read.",
            [(str(shown), "changed while it was read")],
        )
    sentences = table.column("sentence")
    codes = table.column("sentence_code")
    codes = codes.chunk(0) if codes.num_chunks == 1 else codes.combine_chunks()
    text = pd.arrays.ArrowStringArray(sentences, dtype=pd.StringDtype(na_value=np.nan))
    columns = {"sentence": pd.Series(text, copy=False), "sentence_code": codes.to_numpy()}
    return pd.DataFrame(columns, copy=False)


# Read from the Parquet table on each load: lists per article, which a derived file does not
# hold (only the reader shows them). Kept as Arrow lists: a Python list per article took 137
# MB of the process's own memory and 0.3 s of each load at a million articles (6 MB, 0.01 s).
_READ_AGAIN = {"articles": ("quoted_sources",)}
_KEPT = "corpus.frames"


def _kept_frames(run_dir: Path, run_id: str, sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The run's articles (without texts), mentions and events as ``_base_frames`` makes
    them, from the run's derived file (``tables/derived_files.py``): their codes, positions
    and strings are views of the map, not the process's own memory (at a million articles,
    1.7 GB and 8 s of reading and preparing the Parquet tables). Made from the tables on the
    run's first load. The mentions' sentences are the mapped ``sentences`` given."""
    skip = {"articles": TEXT_COLUMNS, "mentions": ("sentence",)}
    names = ("articles", "mentions", "events")

    def make():
        tables = store.load_tables(run_dir, names, skip=skip, run_id=run_id)
        for column in sentences:
            tables["mentions"][column] = sentences[column]
        base = _base_frames(tables, without_texts=True)
        kept = []
        for name in names:
            frame = base[name]
            apart = [*_READ_AGAIN.get(name, ()), *(sentences if name == "mentions" else ())]
            kept += [frame.drop(columns=apart), tuple(frame.columns)]
        return batch_of(*encode(tuple(kept)))

    try:
        arrays, layout = open_arrays(run_dir, run_id, _KEPT, code_version(), make)
    except FileNotFoundError as exc:  # the run's folder went since the load
        raise store.StoreError(f"{run_dir} missing (its run was replaced); reload.") from exc
    decoded = decode(arrays, layout)
    frames, order = dict(zip(names, decoded[::2], strict=True)), decoded[1::2]
    for name, columns in _READ_AGAIN.items():
        again = store.load_tables(
            run_dir, (name,), run_id=run_id, only={name: columns}, arrow_lists=True
        )[name]
        for column in columns:  # a table written without it: None, as _base_frames fills
            values = again.get(column, pd.Series([None] * len(frames[name]), dtype=object))
            frames[name][column] = arrow_lists(values)
    for column in sentences:
        frames["mentions"][column] = sentences[column]
    # The columns in the order a load from the tables gives them (a selection: no copy).
    return {name: frames[name][list(columns)] for name, columns in zip(names, order, strict=True)}


def load_corpus(data_dir: Path) -> Corpus:
    """Load and prepare the processed tables; raises store.StoreError when they are unusable.
    Every table, and the texts read later, come from the one run folder published when the
    load began (a run that lands meanwhile is picked up by the next load)."""
    snap = store.snapshot(Path(data_dir))
    if snap is None:
        store.load_tables(Path(data_dir))  # raises with the reason
    run_dir = Path(snap.path)
    # Every table there and of this run (their footers: cheap), whether read below or not.
    store.check_tables(run_dir, store.TABLES, snap.run_id)
    rows = store.row_count(run_dir, "mentions")
    sentences = _mapped_sentences(run_dir, snap.run_id, rows, Path(data_dir))
    frames = _kept_frames(run_dir, snap.run_id, sentences)
    frames["entities"] = _filled(
        "entities", store.load_tables(run_dir, ("entities",), run_id=snap.run_id)["entities"]
    )
    try:
        frames["terms"] = open_terms(run_dir, snap.run_id)
    except (OSError, pa.ArrowException, ForeignRun) as exc:
        raise _unreadable(Path(data_dir) / "terms.parquet", exc) from exc
    version = f"{snap.run_id}:{snap.mtime_ns}"

    def load_index(texts: Texts) -> SearchIndex:
        try:
            return open_search_index(run_dir, snap.run_id, texts)
        except (OSError, pa.ArrowException, ForeignRun) as exc:
            raise _unreadable(Path(data_dir) / "articles.parquet", exc) from exc

    def load_texts() -> Texts:
        try:
            return open_texts(run_dir, snap.run_id)
        except FileNotFoundError as exc:  # the run's folder went since the load
            raise store.StoreError(
                f"{Path(data_dir) / 'articles.parquet'} missing (its run was replaced); reload.",
                [(str(Path(data_dir) / "articles.parquet"), "missing")],
            ) from exc
        except (OSError, pa.ArrowException, ForeignRun) as exc:  # texts file and table both damaged
            raise _unreadable(Path(data_dir) / "articles.parquet", exc) from exc

    corpus = _assemble(frames, store.read_report(run_dir), version, load_texts, load_index)
    del frames
    release_memory()  # loading leaves hundreds of MB of freed buffers behind
    # What the pages derive from these frames is kept in the run's folder (filters.derived).
    register_run(
        [corpus.articles, corpus.mentions, corpus.entities, corpus.events, corpus.terms]
        + ([corpus.meta] if corpus.meta is not None else []),
        run_dir,
        snap.run_id,
    )
    return corpus
