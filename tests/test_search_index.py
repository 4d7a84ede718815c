"""The search's index of Chinese character pairs (tables/search_index.py): the counts it gives
are a plain scan's for every word, on three corpora and across segments, and it spares the
texts a rare word cannot be in."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest
from synthetic_corpus import build_synthetic

from dashboard.analysis.corpus import count_in, load_corpus
from dashboard.tables import store
from dashboard.tables.search_index import BLOCK, SEARCH, SEGMENT_BLOCKS, SearchIndex


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return build_synthetic(tmp_path_factory, 300, seed=11, name="index")


def _words(texts: list[str], rng: random.Random) -> list[str]:
    """Words to look up: pieces of the texts of one to five characters (Chinese, Latin,
    digits, punctuation, mixed), and words no text holds."""
    words = {"朝鲜", "俄罗斯", "访问", "普京", "金正恩", "代表团", "的", "Putin", "KCNA", "2024"}
    words |= {"鲜俄", "龘龘", "月球基地", "xyz"}
    for _ in range(300):
        text = rng.choice([t for t in texts if t] or [""])
        if len(text) < 6:
            continue
        at, size = rng.randrange(len(text) - 5), rng.randint(1, 5)
        words.add(text[at : at + size])
    return sorted(w for w in words if w.strip())


@pytest.mark.parametrize("corpus_name", ["seed", "real_pages", "synthetic"])
def test_counts_are_a_scans_for_every_word(
    corpus_name, seed_processed, real_pages_processed, synthetic
):
    folder = {"seed": seed_processed, "real_pages": real_pages_processed, "synthetic": synthetic}
    corpus = load_corpus(folder[corpus_name])
    assert (store.run_dir_of(folder[corpus_name]) / SEARCH).is_file()  # written with the run
    texts = corpus.text_column()
    words = _words(texts.to_pylist(), random.Random(5))
    for word in words:
        scanned = count_in(texts, word)
        assert corpus.text_counts(word).tolist() == scanned.tolist(), word


def test_a_rare_word_is_counted_only_where_it_can_be(synthetic):
    corpus = load_corpus(synthetic)
    index = corpus.search_index()
    holding = np.flatnonzero(count_in(corpus.text_column(), "代表团"))
    candidates = index.candidates("代表团")
    assert set(holding) <= set(candidates.tolist())
    assert len(index.candidates("月球基地")) == 0  # no text holds it: no text is read
    assert index.candidates("Putin") is None and index.candidates("朝") is None  # a scan


def test_the_index_spans_segments():
    """More articles than one segment holds: a word in three far-apart articles is found in
    their blocks only, the counts a scan's."""
    n = 2 * BLOCK * SEGMENT_BLOCKS + 100
    texts = ["普通的新闻。"] * n
    where = [5, BLOCK * SEGMENT_BLOCKS + 7, n - 1]
    for at in where:
        texts[at] = "外长会谈在平壤举行，外长会谈。"
    index = SearchIndex.from_texts(texts, n)
    found = index.candidates("外长会谈")
    assert sorted({p // BLOCK for p in found}) == sorted({p // BLOCK for p in where})
    counts = np.zeros(n, dtype=np.int64)
    counts[found] = count_in(pa.array([texts[p] for p in found]), "外长会谈")
    assert counts.tolist() == count_in(pa.array(texts), "外长会谈").tolist()
    assert int(counts.sum()) == 6
