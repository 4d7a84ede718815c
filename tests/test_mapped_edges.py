"""Edges of the mapped files and the code built on them (found by an independent review):
runs written before the files existed open wherever nothing can be written, never from a
file another user could put in place and never with another run's tables; a full disk is
told with what the files need; and the pages' numbers hold on tables with holes (rows that
count nothing, an article without mentions, mentions without a sentence, unknown articles)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import relations
from dashboard.analysis.articles import article_mentions
from dashboard.analysis.corpus import load_corpus
from dashboard.analysis.filters import Filters
from dashboard.analysis.keywords import cloud_data
from dashboard.analysis.network import cooccurrence_network
from dashboard.tables import mapped, store
from dashboard.tables.schema import COLUMNS

S1 = "中国、俄罗斯和朝鲜在平壤举行会谈，俄罗斯代表访问朝鲜。"
S2 = "美国和日本发表声明。"


def _frame(name: str, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in COLUMNS[name]:
        if column not in frame:
            frame[column] = None
    return frame


def _article(aid: str, source: str, day: str | None, text: str | None) -> dict:
    return dict(
        article_id=aid, doc=aid, index=0, source=source, published=day, title=aid, text=text
    )


def _mention(aid: str, entity: str, sentence: str | None, kind: str = "country") -> dict:
    return dict(
        article_id=aid,
        entity_id=entity,
        surface=entity,
        type=kind,
        start=0,
        end=2,
        sentence=sentence,
    )


ARTICLES = [
    _article("a1", "Xinhua", "2024-07-09", S1 + S2),
    _article("a2", "KCNA", "2024-07-10", S1),
    _article("a3", "TASS", "2024-07-11", None),  # no text, no mentions
]
COUNTRIES = [("CHN", "中国"), ("RUS", "俄罗斯"), ("PRK", "朝鲜"), ("USA", "美国"), ("JPN", "日本")]
ENTITIES = [
    dict(entity_id=c, type="country", name_zh=z, name_en=c, country=c) for c, z in COUNTRIES
]
MENTIONS = [
    *(_mention("a1", c, S1) for c in ("CHN", "RUS", "PRK")),
    _mention("a1", "USA", S2),
    _mention("a1", "JPN", S2),
    _mention("a2", "USA", None),  # no sentence: shares none with anyone
    _mention("a2", "CHN", None),
    _mention("zz", "CHN", S1),  # two articles missing from the articles table
    _mention("zz", "RUS", S1),
    _mention("yy", "CHN", S1),
    _mention("yy", "PRK", S1),
]
TERMS = [
    dict(article_id="a1", term="会谈", count=2),
    dict(article_id="a1", term="访问", count=1),
    dict(article_id="a2", term="访问", count=None),  # counts nothing
    dict(article_id="a2", term="会谈", count=0),
]


def _write(out: Path, terms: list[dict] = TERMS) -> Path:
    tables = {
        "articles": _frame("articles", ARTICLES),
        "mentions": _frame("mentions", MENTIONS),
        "entities": _frame("entities", ENTITIES),
        "events": _frame("events", []),
        "terms": _frame("terms", terms),
    }
    store.write_tables(out, tables, "{}")
    return out


@pytest.fixture
def older_run(tmp_path) -> Path:
    """Tables as a run written before the mapped files existed (none beside them)."""
    out = _write(tmp_path / "processed")
    for file in store.run_dir_of(out).glob("*.arrow"):
        file.unlink()
    return out


@pytest.fixture
def own_tmp(tmp_path, monkeypatch) -> Path:
    """A temporary folder of this test's own (where the private cache goes)."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _no_writes(monkeypatch, code: int) -> None:
    """Every mapped file's write fails with ``code`` (the fault a full or foreign disk gives)."""

    def refused(path, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(mapped, "write_mapped", refused)


def _texts(out: Path) -> list[str]:
    return load_corpus(out).texts_at([0, 1, 2])["text"].tolist()


def test_an_older_run_opens_where_nothing_can_be_written(older_run, own_tmp, monkeypatch):
    _no_writes(monkeypatch, errno.ENOSPC)
    corpus = load_corpus(older_run)
    assert corpus.texts_at([0, 1, 2])["text"].tolist() == [S1 + S2, S1, ""]
    assert corpus.mentions["sentence"].tolist()[:1] == [S1]
    assert not list(store.run_dir_of(older_run).glob("*.arrow"))


def test_a_temporary_folder_not_this_users_alone_is_never_read(older_run, own_tmp):
    run_id = store.snapshot(older_run).run_id
    shared = own_tmp / f"dashboard-mapped-{os.getuid()}"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # anyone may put files in it
    forged = pd.DataFrame({"text": ["FORGED"] * 3})
    mapped.write_mapped(shared / f"{run_id}.{mapped.TEXTS}", mapped.frame_batches(forged), run_id)
    store.run_dir_of(older_run).chmod(0o555)  # root writes anyway; the folder check decides
    try:
        assert _texts(older_run) == [S1 + S2, S1, ""]
    finally:
        store.run_dir_of(older_run).chmod(0o755)


def test_terms_of_another_run_are_refused_as_any_table_is(older_run, tmp_path):
    other = _write(tmp_path / "other", terms=[dict(article_id="a1", term="别的", count=9)])
    shutil.copy(store.run_dir_of(other) / "terms.parquet", store.run_dir_of(older_run))
    with pytest.raises(store.StoreError, match="another ingestion run"):
        load_corpus(older_run)


def test_a_full_disk_says_what_the_mapped_files_need(tmp_path, monkeypatch):
    _no_writes(monkeypatch, errno.ENOSPC)
    monkeypatch.setattr(store, "free_bytes", lambda folder: 1_000_000)
    long_text = "中国和俄罗斯举行会谈。" * 30000
    tables = {"articles": _frame("articles", [_article("a1", "Xinhua", "2024-07-09", long_text)])}
    with pytest.raises(store.DiskFull) as caught:
        store.write_tables(tmp_path / "out", tables, "{}")
    assert caught.value.needed >= len(long_text.encode())  # the texts file's share at least


def test_rows_that_count_nothing_add_nothing_to_a_cloud(tmp_path):
    corpus = load_corpus(_write(tmp_path / "p"))
    whole = cloud_data(corpus.meta, corpus.terms, "frequency").table.set_index("term")
    assert whole.loc["会谈", "count"] == 2 and whole.loc["访问", "count"] == 1
    narrowed = corpus.meta[corpus.meta["source"] == "KCNA"]  # a2's rows count nothing
    assert cloud_data(narrowed, corpus.terms, "frequency").table["count"].tolist() == [0, 0]


def test_an_article_without_mentions_opens_in_the_reader(tmp_path):
    corpus = load_corpus(_write(tmp_path / "p"))
    assert article_mentions(corpus, "a3").empty


def test_mentions_without_a_sentence_share_none(tmp_path):
    _, edges = cooccurrence_network(load_corpus(_write(tmp_path / "p")), Filters(), min_weight=1)
    pairs = set(zip(edges["a"], edges["b"], strict=True))
    assert ("JPN", "USA") in pairs  # a1's second sentence
    # a2's sentence-less CHN and USA pair with nobody: not with each other, and not with
    # a1's last sentence (JPN) as when their missing sentence took its number
    assert not pairs & {("CHN", "USA"), ("CHN", "JPN")}


def test_co_mentions_of_two_unknown_articles_stay_apart(tmp_path):
    corpus = load_corpus(_write(tmp_path / "p"))
    rows = relations._all_country_rows(corpus.mentions, corpus.entities)
    coded = relations._coded_co_mention_rows(rows)
    merged = relations._co_mention_rows(rows.rename(columns={"sentence_code": "sentence"}))
    assert len(coded) == len(merged)
    assert coded["pair"].astype(str).tolist() == merged["pair"].astype(str).tolist()
    unknown = coded[coded["article_pos"] < 0]
    assert set(unknown["pair"]) == {"CHN-RUS", "CHN-PRK"}  # never RUS-PRK across zz and yy
    assert np.all(unknown["article_id"].astype(str).isin(["zz", "yy"]))
