"""The terms stage: counts per article, stopwords gone, entity names as one canonical term."""

from __future__ import annotations

import pandas as pd

from dashboard.common.textnorm import to_simplified
from dashboard.ingest.language import Tokenizer, load_stopwords
from dashboard.ingest.terms import build_terms, run
from dashboard.tables.schema import TERM_COLUMNS


def _articles(texts):
    return pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(len(texts))],
            "text": texts,
            "text_simplified": [to_simplified(t) for t in texts],
        }
    )


def test_seed_terms_table(seed_tables):
    terms, articles = seed_tables["terms"], seed_tables["articles"]
    assert list(terms.columns[: len(TERM_COLUMNS)]) == TERM_COLUMNS
    assert set(terms["article_id"]) == set(articles["article_id"])
    assert (terms["count"] >= 1).all()
    assert not terms.duplicated(["article_id", "term"]).any()
    vocabulary = set(terms["term"])
    assert not {"报道", "表示", "进行", "同志", "的", "了", "7月", "2024"} & vocabulary
    assert not any(t.isascii() for t in vocabulary)
    totals = terms.groupby("term")["count"].sum()
    # What the seed is about: these are among its most frequent terms.
    top = set(totals.sort_values(ascending=False).head(15).index)
    assert {"金正恩", "军事", "代表团"} <= top


def test_counts_match_the_text():
    tok = Tokenizer(stopwords=load_stopwords())
    terms = build_terms(_articles(["军事合作。军事代表团。", "代表团访问平壤。"]), tok=tok)
    got = {(r.article_id, r.term): r.count for r in terms.itertuples()}
    assert got[("a0", "军事")] == 2 and got[("a0", "代表团")] == 1 and got[("a1", "代表团")] == 1


def test_mentions_count_as_the_canonical_name():
    # Taiwanese outlets write 普丁 (Traditional text), mainland ones 普京: one term, 普京.
    texts = ["普丁與金正恩在平壤會談。普丁表示滿意。", "普京同金正恩举行会谈。"]
    articles = _articles(texts)
    mentions = pd.DataFrame(
        [
            ("a0", "P1", "普丁", 0, 2),
            ("a0", "P2", "金正恩", 3, 6),
            ("a0", "P1", "普丁", 12, 14),
            ("a1", "P1", "普京", 0, 2),
            ("a1", "P2", "金正恩", 3, 6),
        ],
        columns=["article_id", "entity_id", "surface", "start", "end"],
    )
    entities = pd.DataFrame({"entity_id": ["P1", "P2"], "name_zh": ["普京", "金正恩"]})
    terms = build_terms(articles, mentions, entities, tok=Tokenizer(stopwords=load_stopwords()))
    totals = terms.groupby("term")["count"].sum()
    assert totals["普京"] == 3
    assert "普丁" not in totals
    assert totals["金正恩"] == 2


def test_a_mention_keeps_an_unknown_name_whole():
    text = "俄国防部副部长克里沃鲁奇科访问平壤。"
    start = text.index("克里沃鲁奇科")
    mentions = pd.DataFrame(
        [("a0", "P9", "克里沃鲁奇科", start, start + 6)],
        columns=["article_id", "entity_id", "surface", "start", "end"],
    )
    plain = build_terms(_articles([text]), tok=Tokenizer(stopwords=load_stopwords()))
    assert "克里沃鲁奇科" not in set(plain["term"])  # jieba alone cuts it apart
    with_mentions = build_terms(
        _articles([text]), mentions, None, tok=Tokenizer(stopwords=load_stopwords())
    )
    assert "克里沃鲁奇科" in set(with_mentions["term"])


def test_stage_writes_the_table():
    from dashboard.ingest.pipeline import PipelineContext
    from dashboard.ingest.report import IngestReport

    ctx = PipelineContext({"articles": _articles(["军事合作。"])}, IngestReport())
    run(ctx)
    assert set(ctx.tables["terms"]["term"]) == {"军事", "合作"}
    assert ctx.report.counts["terms"] == 2


def test_terms_are_categoricals_and_a_repeated_id_still_counts_twice():
    articles = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a1"],
            "text_simplified": ["朝鲜代表团访问俄罗斯", "俄罗斯代表团", "朝鲜代表团"],
        }
    )
    terms = build_terms(articles.iloc[:2])
    assert isinstance(terms["term"].dtype, pd.CategoricalDtype)
    assert terms.groupby("term", observed=True)["count"].sum()["代表团"] == 2
    # The same id twice (a frame put together by hand): each row still counts, as strings.
    repeated = build_terms(articles)
    assert (
        repeated.groupby("article_id")["count"].sum()["a1"]
        > terms.query("article_id == 'a1'")["count"].sum()
    )
    assert repeated["article_id"].astype(str).tolist().count("a2") == len(
        terms.query("article_id == 'a2'")
    )
