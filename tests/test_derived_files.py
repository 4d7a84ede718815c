"""The per-corpus structures the pages derive are kept in mapped files of the run
(tables/derived_files.py, analysis/derived_layout.py): what comes back from a file equals what
was built, a later process maps it instead of building it again, and a file that cannot be
trusted (other code, damaged, unwritable folder) is never what a page reads."""

from __future__ import annotations

import dataclasses
import errno
import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from dashboard.analysis import filters
from dashboard.analysis.corpus import load_corpus
from dashboard.analysis.derived_layout import code_version, decode, encode
from dashboard.analysis.entities import mention_index
from dashboard.analysis.network import pair_index
from dashboard.analysis.relations import _country_products
from dashboard.tables import mapped, store
from dashboard.tables.derived_files import PREFIX, batch_of, file_name, read_batch


@dataclass(frozen=True)
class Outside:
    """A dataclass of no analysis module: a file naming it is not a way to run its code."""

    codes: np.ndarray


def _sample() -> tuple:
    rows = pd.DataFrame(
        {
            "pos": np.array([3, 1, 2], dtype=np.int32),
            "country": pd.Categorical(["PRK", "RUS", "PRK"]),
            "direct": np.array([True, False, True]),
            "label": pd.array(["一", None, "三"], dtype="str"),
            "kind": pd.Series(["visit", None, np.nan], dtype=object, index=[10, 4, 7]),
            "day": pd.Series([date(2024, 7, 9), None, date(2023, 1, 1)], index=[10, 4, 7]),
        },
        index=pd.Index([10, 4, 7]),
    )
    return (
        np.array([5, -1, 2**40], dtype=np.int64),
        np.array([True, False]),
        np.array(["2024-07-09", "NaT"], dtype="datetime64[D]"),
        np.array(["金正恩", None, np.nan, "普京"], dtype=object),
        pd.Index(["访问", "会谈"], name="term"),
        rows,
        pd.Series(pd.to_datetime(["2024-07-09", None]), name="when"),
        (np.zeros(0, dtype=np.float32), pd.RangeIndex(2, 9, 3), 7, "x", None),
    )


def _through_file(value):
    """``value`` written as a derived file's batch and read back (as a page would get it)."""
    arrays, layout = encode(value)
    batch = batch_of(arrays, layout)
    return decode(*read_batch(pa.Table.from_batches([batch])))


def _assert_same(got, want) -> None:
    assert type(got) is type(want)
    if isinstance(want, pd.DataFrame):
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    elif isinstance(want, pd.Series):
        pd.testing.assert_series_equal(got, want, check_exact=True)
    elif isinstance(want, pd.Index):
        pd.testing.assert_index_equal(got, want, exact=True)
    elif isinstance(want, np.ndarray):
        assert got.dtype == want.dtype
        assert got.tolist() == want.tolist() or all(
            (a is b) or (a == b) or (a != a and b != b)
            for a, b in zip(got.tolist(), want.tolist(), strict=True)
        )
    elif isinstance(want, tuple):
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            _assert_same(g, w)
    elif hasattr(want, "__dataclass_fields__"):
        for name in want.__dataclass_fields__:
            _assert_same(getattr(got, name), getattr(want, name))
    else:
        assert got == want


def test_a_value_comes_back_from_its_file_as_it_was_built():
    want = _sample()
    got = _through_file(want)
    _assert_same(got, want)
    # The missing strings keep what they were: None stays None, NaN stays NaN.
    names, rows = got[3], got[5]
    assert names[1] is None and isinstance(names[2], float)
    assert rows["kind"].tolist()[1] is None and isinstance(rows["kind"].tolist()[2], float)
    # Dates stay date objects (None where there is none); Arrow strings stay Arrow strings.
    assert rows["day"].tolist() == [date(2024, 7, 9), None, date(2023, 1, 1)]
    assert rows["label"].dtype == want[5]["label"].dtype


def test_an_analysis_dataclass_comes_back_and_no_other_is_kept(corpus_dir: Path):
    index = mention_index(load_corpus(corpus_dir))
    _assert_same(_through_file(index), index)
    with pytest.raises(TypeError):
        encode(Outside(np.zeros(2)))


@pytest.mark.parametrize(
    "value",
    [
        {"a": np.zeros(2)},  # a dict
        (np.array([1, "x"], dtype=object),),  # objects that are not strings
        Outside(np.zeros(2)),  # a class outside the analysis code
        np.zeros((2, 2)),  # two dimensions
        pd.Series([pd.Timestamp("2024-01-01")], dtype=object),
    ],
)
def test_what_a_file_cannot_hold_is_refused_not_changed(value):
    with pytest.raises(TypeError):
        batch_of(*encode(value))


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    from dashboard.ingest.pipeline import ingest

    out = tmp_path / "processed"
    ingest(sorted(Path("data/raw").glob("*")), out)
    return out


def _fresh_process() -> None:
    """What a new server process starts with: no value derived yet."""
    filters._DERIVED.clear()


def _run_dir(data_dir: Path) -> Path:
    return Path(store.snapshot(data_dir).path)


def test_a_later_process_maps_what_the_first_built(corpus_dir: Path):
    corpus = load_corpus(corpus_dir)
    built = pair_index(corpus)
    name = file_name("network.pair_index", code_version())
    assert (_run_dir(corpus_dir) / name).is_file()

    _fresh_process()
    again = load_corpus(corpus_dir)
    mapped = pair_index(again)
    _assert_same(mapped, built)
    # A view of the file's pages, not an array of the process's own.
    assert not mapped.pair_a.flags.writeable and not mapped.pair_a.flags.owndata


def test_what_is_read_from_files_equals_a_build_without_them(corpus_dir: Path):
    kept = load_corpus(corpus_dir)
    products = _country_products(kept.mentions, kept.entities)
    index = mention_index(kept)
    _fresh_process()
    # The same frames, copied: they belong to no run, so everything is built in memory.
    plain = load_corpus(corpus_dir)
    mentions, entities = plain.mentions.copy(), plain.entities.copy()
    _assert_same(products, _country_products(mentions, entities))
    assert np.array_equal(index.entity, mention_index(plain).entity)


def test_files_of_other_code_or_damaged_are_not_read(corpus_dir: Path):
    corpus = load_corpus(corpus_dir)
    want = mention_index(corpus)
    run_dir = _run_dir(corpus_dir)
    path = run_dir / file_name("entities.mention_index", code_version())
    stale = run_dir / file_name("entities.mention_index", "0123456789abcdef")
    shutil.copy(path, stale)
    # Damaged (a new file in its place: the one mapped above stays as it was).
    damaged = path.with_name("damaged")
    damaged.write_bytes(path.read_bytes()[:200])
    damaged.replace(path)

    _fresh_process()
    got = mention_index(load_corpus(corpus_dir))
    _assert_same(got, want)
    assert not stale.exists()  # another code's file is removed, never read
    assert path.stat().st_size > 200  # the damaged one was made again


def test_where_nothing_can_be_written_the_numbers_are_the_same(
    corpus_dir: Path, tmp_path: Path, monkeypatch
):
    want = mention_index(load_corpus(corpus_dir))
    run_dir = _run_dir(corpus_dir)
    for path in run_dir.glob(f"{PREFIX}*"):
        path.unlink()
    import tempfile

    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))

    def refused(path, *args, **kwargs):  # the fault a full disk gives every write
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(mapped, "write_mapped", refused)
    _fresh_process()
    got = mention_index(load_corpus(corpus_dir))
    _assert_same(got, want)
    assert not list(run_dir.glob(f"{PREFIX}*"))


def test_a_file_of_another_run_is_not_read(corpus_dir: Path):
    corpus = load_corpus(corpus_dir)
    want = mention_index(corpus)
    run_dir = _run_dir(corpus_dir)
    path = run_dir / file_name("entities.mention_index", code_version())
    # Another run's numbers under this run's file name: refused, and made again from this run.
    planted = dataclasses.replace(want, entity=want.entity[::-1].copy())
    mapped.write_mapped(path, [batch_of(*encode(planted))], "another-run", schema=None)
    _fresh_process()
    got = mention_index(load_corpus(corpus_dir))
    _assert_same(got, want)
    assert not np.array_equal(got.entity, planted.entity)
    assert store.snapshot(corpus_dir).run_id in path.read_bytes().decode("latin-1")


def test_the_ingest_command_leaves_them_ready_for_the_first_server(tmp_path: Path):
    import subprocess
    import sys

    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-m", "dashboard", "ingest", "data/raw", "--out", str(out), "--quiet"],
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path("src").resolve())},
    )
    kept = {p.name for p in _run_dir(out).glob(f"{PREFIX}*.arrow")}
    for entry in ("entities.mention_index", "network.pair_index", "relations.country_products"):
        assert file_name(entry, code_version()) in kept
    # A server's first views then build nothing: they map what the command wrote (a build
    # would replace the file with a new one).
    path = _run_dir(out) / file_name("network.pair_index", code_version())
    written = path.stat().st_ino
    _fresh_process()
    index = pair_index(load_corpus(out))
    assert not index.pair_a.flags.writeable
    assert path.stat().st_ino == written


def test_a_loaded_corpus_is_the_corpus_its_tables_make(corpus_dir: Path):
    """The frames mapped from the run's kept file equal those prepared from its tables."""
    from dashboard.analysis.corpus import prepare

    load_corpus(corpus_dir)  # the first load keeps them
    _fresh_process()
    mapped_corpus = load_corpus(corpus_dir)
    assert not mapped_corpus.mentions["start"].to_numpy().flags.writeable  # from the file
    plain = prepare(store.load_tables(corpus_dir))
    # (the sentences' codes come with the mapped sentences, not from the tables)
    mentions = mapped_corpus.mentions.drop(columns=["sentence_code"])
    pd.testing.assert_frame_equal(mentions, plain.mentions)
    for name in ("events", "entities"):
        pd.testing.assert_frame_equal(getattr(mapped_corpus, name), getattr(plain, name))
    texts = ["text", "text_simplified"]
    pd.testing.assert_frame_equal(mapped_corpus.articles, plain.articles.drop(columns=texts))
    pd.testing.assert_frame_equal(mapped_corpus.meta, plain.meta)


def test_a_damaged_table_is_refused_even_when_its_frames_are_kept(corpus_dir: Path):
    load_corpus(corpus_dir)
    path = _run_dir(corpus_dir) / "events.parquet"
    damaged = path.with_name("damaged")
    damaged.write_bytes(b"not a parquet file")
    damaged.replace(path)
    _fresh_process()
    with pytest.raises(store.StoreError, match="events.parquet"):
        load_corpus(corpus_dir)
