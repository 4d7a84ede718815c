"""Two outlets, term by term: frequencies, distinctive terms, and the sentences behind a term."""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import figures
from dashboard.analysis import keywords
from dashboard.analysis.compare import (
    compare_outlets,
    distinctive,
    log_odds_z,
    outlets_in,
    term_sentences_in,
)
from dashboard.analysis.corpus import load_corpus, prepare
from dashboard.analysis.filters import Filters

ROOT = Path(__file__).resolve().parents[1]


def _article(aid, source, source_zh, published, text):
    return {
        "article_id": aid,
        "doc": "d.txt",
        "index": 0,
        "source": source,
        "source_zh": source_zh,
        "published": published,
        "title": f"title {aid}",
        "text": text,
        "dup_of": None,
        "text_simplified": text,
        "script": "hans",
    }


@pytest.fixture
def corpus():
    articles = pd.DataFrame(
        [
            _article(
                "k1", "KCNA", "朝中社", date(2024, 7, 1), "朝中社报道。制裁是敌对行为。合作。"
            ),
            _article("k2", "KCNA", "朝中社", date(2024, 7, 3), "合作深化。制裁无效。"),
            _article("k3", "KCNA", "朝中社", date(2024, 7, 2), "友谊长存。"),
            _article("y1", "Yonhap", "韩联社", date(2024, 7, 2), "韩联社消息。导弹发射。合作。"),
            _article("y2", "Yonhap", "韩联社", None, "导弹再次发射。"),
            _article("t1", "TASS", "塔斯社", date(2024, 7, 2), "合作。"),
        ]
    )
    terms = pd.DataFrame(
        [
            ("k1", "朝中社", 1),
            ("k1", "制裁", 1),
            ("k1", "敌对", 1),
            ("k1", "合作", 1),
            ("k2", "合作", 1),
            ("k2", "深化", 1),
            ("k2", "制裁", 1),
            ("k3", "友谊", 1),
            ("y1", "韩联社", 1),
            ("y1", "导弹", 1),
            ("y1", "发射", 1),
            ("y1", "合作", 1),
            ("y2", "导弹", 1),
            ("y2", "发射", 1),
            ("t1", "合作", 1),
        ],
        columns=["article_id", "term", "count"],
    )
    return prepare({"articles": articles, "terms": terms})


def test_outlets_are_offered_largest_first_and_default_to_the_two_largest(corpus):
    assert outlets_in(corpus, Filters()) == ["KCNA", "Yonhap", "TASS"]
    assert outlets_in(corpus, Filters(sources=("TASS", "Yonhap"))) == ["Yonhap", "TASS"]


def test_each_term_gets_its_counts_and_frequency_in_both_outlets(corpus):
    result = compare_outlets(corpus, Filters(), "KCNA", "Yonhap")
    assert (result.articles_a, result.articles_b) == (3, 2)
    by_term = result.terms.set_index("term")
    # an outlet's own name is never one of its terms (朝中社 writing 朝中社 says nothing)
    assert "朝中社" not in by_term.index and "韩联社" not in by_term.index
    assert (result.words_a, result.words_b) == (8, 6)  # every counted word, its name included
    assert by_term.loc["制裁", ["count_a", "count_b", "articles_a"]].tolist() == [2, 0, 2]
    assert by_term.loc["制裁", "freq_a"] == pytest.approx(2 / 8 * 10_000)
    assert by_term.loc["合作", "freq_b"] == pytest.approx(1 / 6 * 10_000)
    share = compare_outlets(corpus, Filters(), "KCNA", "Yonhap", "share").terms.set_index("term")
    assert share.loc["合作", ["freq_a", "freq_b"]].tolist() == pytest.approx([2 / 3, 1 / 2])
    assert result.terms["term"].iloc[0] == "合作"  # most used first
    # the filters apply: dated articles of 2024-07-02 only
    day = compare_outlets(
        corpus, Filters(date(2024, 7, 2), date(2024, 7, 2), undated=False), "KCNA", "Yonhap"
    )
    assert (day.articles_a, day.articles_b) == (1, 1)
    assert set(day.terms["term"]) == {"友谊", "导弹", "发射", "合作"}


def test_distinctive_terms_are_the_log_odds_of_one_outlet_against_the_other(corpus):
    terms = compare_outlets(corpus, Filters(), "KCNA", "Yonhap").terms
    # Four articles lean, but nothing here is distinctive at |z| >= 1.96: nothing is called so.
    assert distinctive(terms, "a").empty and distinctive(terms, "b").empty
    leaning = partial(distinctive, terms, min_z=0)  # the order, whatever the threshold
    assert leaning("a", 1)["term"].tolist() == ["制裁"]  # twice in KCNA, never in Yonhap
    assert set(leaning("b", 2)["term"]) == {"导弹", "发射"}
    assert (leaning("a", 20)["z"] > 0).all() and (leaning("b", 20)["z"] < 0).all()
    # the same z-scores as the keyword clouds' Monroe et al. implementation
    a = pd.Series({"x": 5.0, "y": 1.0, "w": 0.0})
    b = pd.Series({"x": 1.0, "y": 4.0, "w": 2.0})
    expected = keywords.log_odds_z(a, b, a + b)
    assert log_odds_z(a.to_numpy(), b.to_numpy()) == pytest.approx(expected[a.index].to_numpy())


def test_a_terms_sentences_in_each_outlet_newest_first_with_the_term_placed(corpus):
    sentences, n = term_sentences_in(corpus, Filters(), "KCNA", "合作")
    assert n == 2 and sentences["article_id"].tolist() == ["k2", "k1"]  # 07-03 before 07-01
    first = sentences.iloc[0]
    assert first["sentence"][first["match_start"] : first["match_end"]] == "合作"
    assert term_sentences_in(corpus, Filters(), "Yonhap", "制裁")[1] == 0
    assert term_sentences_in(corpus, Filters(), "KCNA", "没有的词")[1] == 0
    undated_last, _ = term_sentences_in(corpus, Filters(), "Yonhap", "导弹")
    assert undated_last["article_id"].tolist() == ["y1", "y2"]


def test_the_scatter_labels_each_sides_distinctive_terms_without_overprinting(corpus):
    terms = compare_outlets(corpus, Filters(), "KCNA", "Yonhap").terms
    fig = figures.compare.compare_figure(
        terms, "KCNA", "Yonhap", "#4c78a8", "#f58518", "en", min_z=0
    )
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    by_name = {t.name: t for t in fig.data}
    typical = by_name["typical of KCNA"]
    assert "制裁" in typical.customdata and typical.marker.color == "#4c78a8"
    assert [t.name for t in fig.data[-2:]] == [
        figures.compare.WIDE_LABELS,
        figures.compare.PHONE_LABELS,
    ]  # last, whatever is selected (app.responsive shows one of them by the screen's width)
    named = fig.data[-2]
    colour_of = dict(zip(named.text, named.textfont.color, strict=True))
    assert colour_of["制裁"] == "#4c78a8" and colour_of["导弹"] == "#f58518"
    assert len(fig.data[-1].text) <= len(named.text)
    ringed = figures.compare.compare_figure(
        terms, "KCNA", "Yonhap", "#4c78a8", "#f58518", "en", selected="制裁", min_z=0
    )
    assert [t.name for t in ringed.data[-2:]] == [t.name for t in fig.data[-2:]]
    assert "导弹" in by_name["typical of Yonhap"].customdata
    every = [c for t in fig.data if t.customdata is not None for c in t.customdata]  # points
    assert sorted(every) == sorted(terms["term"])  # every term is a clickable point
    hover = typical.hovertext[list(typical.customdata).index("制裁")]
    assert "KCNA: 2 times, 2 articles" in hover and "Yonhap: 0 times" in hover
    # never used by Yonhap: drawn, on the bottom row, not dropped from the log axis
    assert min(np.concatenate([t.y for t in fig.data if t.mode != "lines"])) > 0


def test_a_name_counted_under_its_standard_form_finds_its_sentences_under_any_form():
    # CNA writes 川普; the terms table counts the person under 特朗普. A click on 特朗普 must
    # list CNA's sentences, not "1 article uses it" over an empty list.
    text = "川普抵达首尔。双方会谈。"
    articles = pd.DataFrame(
        [
            _article("c1", "CNA", "中央社", date(2024, 7, 1), text),
            _article("x1", "Xinhua", "新华社", date(2024, 7, 1), "特朗普抵达首尔。"),
        ]
    )
    terms = pd.DataFrame(
        [("c1", "特朗普", 1), ("x1", "特朗普", 1)], columns=["article_id", "term", "count"]
    )
    mentions = pd.DataFrame(
        [
            ("c1", "trump", "川普", "person", 0, 2, "川普抵达首尔。"),
            ("x1", "trump", "特朗普", "person", 0, 3, "特朗普抵达首尔。"),
        ],
        columns=["article_id", "entity_id", "surface", "type", "start", "end", "sentence"],
    )
    entities = pd.DataFrame(
        [("trump", "person", "特朗普", "Donald Trump")],
        columns=["entity_id", "type", "name_zh", "name_en"],
    )
    named = prepare(
        {"articles": articles, "terms": terms, "mentions": mentions, "entities": entities}
    )
    sentences, n = term_sentences_in(named, Filters(), "CNA", "特朗普")
    assert n == 1 and sentences["sentence"].tolist() == ["川普抵达首尔。"]
    first = sentences.iloc[0]
    assert first["sentence"][first["match_start"] : first["match_end"]] == "川普"


def test_only_terms_past_the_significance_threshold_are_named_typical():
    terms = pd.DataFrame(
        {
            "term": ["强A", "弱A", "强B", "弱B"],
            "count_a": [40, 6, 1, 4],
            "count_b": [2, 4, 30, 6],
            "articles_a": [20, 5, 1, 4],
            "articles_b": [2, 4, 15, 5],
            "freq_a": [40.0, 6.0, 1.0, 4.0],
            "freq_b": [2.0, 4.0, 30.0, 6.0],
            "z": [3.1, 1.2, -2.4, -0.6],
        }
    )
    assert distinctive(terms, "a")["term"].tolist() == ["强A"]
    assert distinctive(terms, "b")["term"].tolist() == ["强B"]
    fig = figures.compare.compare_figure(terms, "A", "B", "#4c78a8", "#f58518", "en")
    assert sorted(fig.data[-2].text) == ["强A", "强B"]  # the weak leanings stay unnamed grey


def test_outlet_names_from_uploads_reach_the_chart_escaped(corpus):
    terms = compare_outlets(corpus, Filters(), "KCNA", "Yonhap").terms
    fig = figures.compare.compare_figure(
        terms, "<b>Evil</b>", "Yonhap", "#4c78a8", "#f58518", "en", min_z=0
    )
    text = json.dumps(fig.to_plotly_json(), ensure_ascii=False)
    assert "<b>Evil</b>" not in text and "&lt;b&gt;Evil&lt;/b&gt;" in text


def test_labels_that_would_print_on_each_other_are_left_off():
    px = np.array([100.0, 102.0, 400.0])
    py = np.array([100.0, 101.0, 300.0])
    places = figures.compare.place_labels(px, py, ["合作伙伴", "合作关系", "制裁"], 640, 520)
    assert places[0] == "top center" and places[2] == "top center"
    assert places[1] is not None and places[1] != "top center"  # moved, not on top
    crowded = figures.compare.place_labels(
        np.full(12, 300.0), np.full(12, 300.0), ["很长的一个词语"] * 12, 640, 520
    )
    assert crowded.count(None) >= 4  # eight places around a point, no more


def _page(data: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    at = AppTest.from_file(str(ROOT / "pages" / "compare.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_compare_page_defaults_to_the_two_largest_outlets_and_shows_a_terms_sentences(
    real_pages_processed, monkeypatch
):
    at = _page(real_pages_processed, monkeypatch, lang="en")
    assert [s.value for s in at.selectbox][:2] == ["Xinhua", "CNA"]
    assert "a" not in at.query_params and "b" not in at.query_params
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    plotted = {c for t in spec["data"] for c in (t.get("customdata") or [])}
    assert not {"新华社", "新华网", "中央社", "中央通讯社"} & plotted
    term = at.dataframe[0].value["term"].iloc[0]  # Xinhua's most distinctive term
    picked = _page(real_pages_processed, monkeypatch, lang="en", term=term)
    assert picked.subheader[0].value == f"Sentences with “{term}”"
    lists = [h.proto.body for h in picked.get("html") if 'class="sentences"' in h.proto.body]
    assert lists and all(f"<mark>{term}</mark>" in body for body in lists)
    assert 'href="articles?' in lists[0]
    captions = " ".join(c.value for c in picked.caption)
    assert "Xinhua:" in captions and "articles use it" in captions
    assert any("Download" in d.proto.label for d in picked.get("download_button"))


def test_the_outlets_and_measure_come_from_the_link_and_junk_shows_a_notice(
    real_pages_processed, monkeypatch
):
    corpus = load_corpus(real_pages_processed)
    third = outlets_in(corpus, Filters())[2]
    at = _page(real_pages_processed, monkeypatch, a=third, b="Xinhua", measure="share")
    assert [s.value for s in at.selectbox][:2] == [third, "Xinhua"]
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    assert "占比" in layout["xaxis"]["title"]["text"]
    junk = _page(real_pages_processed, monkeypatch, a="Nowhere", term="不在图中的词")
    notices = " ".join(w.value for w in junk.warning).replace("\\", "")
    assert "a=Nowhere" in notices and "term=不在图中的词" in notices
    assert [s.value for s in junk.selectbox][:2] == ["Xinhua", "CNA"]


def test_a_link_asking_for_the_same_outlet_twice_says_so(real_pages_processed, monkeypatch):
    at = _page(real_pages_processed, monkeypatch, a="CNA", b="CNA")
    notices = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "b=CNA" in notices
    assert [s.value for s in at.selectbox][:2] == ["CNA", "Xinhua"]
