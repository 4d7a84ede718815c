"""The texts, the mentions' sentences and the terms' codes are memory-mapped files per run
(tables/mapped.py): written with the run, made on first use for a run without them, never
taken from another run, equal to articles.parquet, mentions.parquet and terms.parquet."""

from __future__ import annotations

import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.analysis.corpus import load_corpus
from dashboard.ingest.pipeline import ingest
from dashboard.tables import store
from dashboard.tables.mapped import SENTENCES, TERMS, TEXTS
from dashboard.tables.paths import DATA_DIR


def _written(run_dir) -> tuple[list, list]:
    """The texts as articles.parquet holds them, filled as pages show them."""
    table = pq.read_table(run_dir / "articles.parquet", columns=["text", "text_simplified"])
    text = [t or "" for t in table.column("text").to_pylist()]
    simplified = [
        s if s is not None else t
        for s, t in zip(table.column("text_simplified").to_pylist(), text, strict=True)
    ]
    return text, simplified


@pytest.fixture
def processed(tmp_path):
    out = tmp_path / "out"
    # The bundled post and a Traditional page: texts whose Simplified copy differs.
    ingest([DATA_DIR / "raw", DATA_DIR / "labels" / "real_pages" / "pages" / "P004.txt"], out)
    return out


def test_a_run_maps_its_own_texts_file(processed):
    run_dir = store.run_dir_of(processed)
    assert (run_dir / TEXTS).is_file()
    corpus = load_corpus(processed)
    n = len(corpus.articles)
    texts = corpus.texts_at(range(n))
    text, simplified = _written(run_dir)
    assert texts["text"].tolist() == text
    assert texts["text_simplified"].tolist() == simplified
    assert text != simplified  # a Traditional text is given as written, searched Simplified
    assert corpus.text_column().to_pylist() == simplified
    assert corpus.texts_at([n - 1, 0])["text"].tolist() == [text[-1], text[0]]


def test_a_run_without_a_texts_file_gets_one_on_first_use(processed):
    run_dir = store.run_dir_of(processed)
    (run_dir / TEXTS).unlink()
    corpus = load_corpus(processed)
    assert not (run_dir / TEXTS).exists()  # not at load time: on first use
    text, _ = _written(run_dir)
    assert corpus.texts_at(range(len(text)))["text"].tolist() == text
    assert (run_dir / TEXTS).is_file()
    assert not list(run_dir.glob(".*.tmp"))


def test_a_texts_file_of_another_run_is_never_read(processed, tmp_path):
    other = tmp_path / "other"
    ingest([DATA_DIR / "labels" / "real_pages" / "pages" / "P001.txt"], other)
    run_dir = store.run_dir_of(processed)
    shutil.copy(store.run_dir_of(other) / TEXTS, run_dir / TEXTS)
    corpus = load_corpus(processed)
    text, _ = _written(run_dir)
    assert corpus.texts_at(range(len(text)))["text"].tolist() == text


def test_a_damaged_texts_file_is_made_again_from_the_table(processed):
    run_dir = store.run_dir_of(processed)
    (run_dir / TEXTS).write_bytes(b"not an arrow file")
    corpus = load_corpus(processed)
    text, _ = _written(run_dir)
    assert corpus.texts_at(range(len(text)))["text"].tolist() == text


def _sentences(run_dir) -> list:
    return pq.read_table(run_dir / "mentions.parquet", columns=["sentence"]).column(0).to_pylist()


def test_the_mentions_sentences_are_the_mapped_file_of_the_run(processed):
    run_dir = store.run_dir_of(processed)
    assert (run_dir / SENTENCES).is_file()
    mentions = load_corpus(processed).mentions
    assert mentions["sentence"].tolist() == _sentences(run_dir)
    assert str(mentions["sentence"].dtype) == "str"  # the column Parquet gives, as before
    # one code per distinct text, as the pages join on it
    codes = dict(zip(mentions["sentence"], mentions["sentence_code"], strict=True))
    assert len(set(codes.values())) == len(codes) == mentions["sentence"].nunique()


def test_a_run_without_a_sentences_file_gets_one_at_load(processed):
    run_dir = store.run_dir_of(processed)
    (run_dir / SENTENCES).unlink()
    mentions = load_corpus(processed).mentions
    assert mentions["sentence"].tolist() == _sentences(run_dir)
    assert (run_dir / SENTENCES).is_file()


def _terms(run_dir) -> list[tuple]:
    """(term, article position, count) of every terms.parquet row, read plainly."""
    ids = pq.read_table(run_dir / "articles.parquet", columns=["article_id"]).column(0)
    position = {a: n for n, a in enumerate(ids.to_pylist())}
    rows = pq.read_table(run_dir / "terms.parquet").to_pylist()
    return [(r["term"], position[r["article_id"]], r["count"]) for r in rows]


def _loaded_terms(processed) -> list[tuple]:
    terms = load_corpus(processed).terms
    return list(
        zip(
            terms["term"].astype(str),
            terms["article_pos"].tolist(),
            terms["count"].tolist(),
            strict=True,
        )
    )


def test_the_terms_are_the_mapped_codes_of_the_run(processed):
    run_dir = store.run_dir_of(processed)
    assert (run_dir / TERMS).is_file()
    assert _loaded_terms(processed) == _terms(run_dir)
    term = load_corpus(processed).terms["term"]
    categories = list(term.cat.categories)
    assert categories == sorted(categories)  # ties in the clouds break as on the words
    # The file's codes are as wide as pandas keeps them: the category is a view of the map,
    # not a copy in the process's own memory (a million articles: 160 MB).
    with pa.memory_map(str(run_dir / TERMS)) as source:
        index_type = pa.ipc.open_file(source).schema.field("term").type.index_type
    assert term.array.codes.dtype == index_type.to_pandas_dtype()


def test_a_run_without_a_terms_file_gets_one_at_load(processed):
    run_dir = store.run_dir_of(processed)
    (run_dir / TERMS).unlink()
    assert _loaded_terms(processed) == _terms(run_dir)
    assert (run_dir / TERMS).is_file()


def test_a_mapped_file_left_half_made_is_swept_by_the_next_run(processed):
    import os
    import time

    run_dir = store.run_dir_of(processed)
    stale, fresh = run_dir / ".texts.arrow.dead.tmp", run_dir / ".texts.arrow.live.tmp"
    stale.write_bytes(b"half"), fresh.write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    removed = store.sweep(processed)
    assert not stale.exists() and fresh.exists()  # an app may be writing the fresh one
    assert any(name.endswith(stale.name) for name in removed)


def test_rows_are_taken_across_batches_in_the_order_asked():
    import numpy as np
    import pandas as pd

    from dashboard.tables.mapped import BATCH_ROWS, Texts

    n = 2 * BATCH_ROWS + 50
    texts = Texts.from_frame(pd.DataFrame({"text": [f"第{i}篇" for i in range(n)]}))
    asked = [n - 1, 3, BATCH_ROWS + 7, 3, BATCH_ROWS - 1, 2 * BATCH_ROWS]
    assert texts.take(asked)["text"].tolist() == [f"第{i}篇" for i in asked]
    ascending = np.array(sorted(set(asked)))
    assert texts.simplified_at(ascending).to_pylist() == [f"第{i}篇" for i in ascending]
