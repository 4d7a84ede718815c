"""The co-occurrence network: who is named with whom, how often, and the sentences behind a tie."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import analysis, figures
from dashboard.analysis.corpus import load_corpus, prepare
from dashboard.analysis.filters import Filters
from dashboard.analysis.labels import Labels
from dashboard.analysis.network import (
    auto_min_weight,
    cooccurrence_network,
    edge_key,
    edge_sentences,
    is_entity,
    parse_edge_key,
    with_min_weight,
)

ROOT = Path(__file__).resolve().parents[1]

S1 = "普京会见金正恩,普京表示俄罗斯支持朝鲜。"  # 普京 twice: one sentence for each pair
S2 = "金正恩说朝鲜与俄罗斯友好。"
S3 = "普京在莫斯科会见金正恩。"  # 莫斯科 is a place: not a node
S4 = "普京与金正恩通电话。"


def _article(aid, source, published, text):
    return {
        "article_id": aid,
        "doc": "d.txt",
        "index": 0,
        "source": source,
        "source_zh": source,
        "published": published,
        "title": f"title {aid}",
        "text": text,
        "dup_of": None,
        "text_simplified": text,
        "script": "hans",
    }


def _mentions(aid, offset, sentence, names):
    rows = []
    for surface, eid, kind in names:
        at = sentence.find(surface)
        while at >= 0:
            rows.append(
                (aid, eid, surface, kind, offset + at, offset + at + len(surface), sentence)
            )
            at = sentence.find(surface, at + len(surface))
    return rows


PUTIN, KIM = ("普京", "putin", "person"), ("金正恩", "kim", "person")
RUS, PRK = ("俄罗斯", "RUS", "country"), ("朝鲜", "PRK", "country")
MOSCOW = ("莫斯科", "moscow", "place")


@pytest.fixture
def corpus():
    articles = pd.DataFrame(
        [
            _article("a1", "KCNA", date(2024, 7, 1), S1 + S2),
            _article("a2", "TASS", date(2024, 7, 3), S3),
            _article("a3", "TASS", date(2024, 7, 2), S4),
        ]
    )
    rows = (
        _mentions("a1", 0, S1, [PUTIN, KIM, RUS, PRK])
        + _mentions("a1", len(S1), S2, [KIM, PRK, RUS])
        + _mentions("a2", 0, S3, [PUTIN, MOSCOW, KIM])
        + _mentions("a3", 0, S4, [PUTIN, KIM])
    )
    mentions = pd.DataFrame(
        rows, columns=["article_id", "entity_id", "surface", "type", "start", "end", "sentence"]
    )
    entities = pd.DataFrame(
        [
            ("putin", "person", "普京", "Vladimir Putin"),
            ("kim", "person", "金正恩", "Kim Jong Un"),
            ("RUS", "country", "俄罗斯", "Russia"),
            ("PRK", "country", "朝鲜", "North Korea"),
            ("moscow", "place", "莫斯科", "Moscow"),
        ],
        columns=["entity_id", "type", "name_zh", "name_en"],
    )
    return prepare({"articles": articles, "mentions": mentions, "entities": entities})


def _weights(edges: pd.DataFrame) -> dict[str, int]:
    return {edge_key(a, b): int(w) for a, b, w in edges[["a", "b", "weight"]].itertuples(False)}


def test_a_tie_counts_the_sentences_naming_both_once_each(corpus):
    nodes, edges = cooccurrence_network(corpus, Filters(), top_n=10, min_weight=1)
    assert _weights(edges) == {
        "kim~putin": 3,  # S1, S3, S4: 普京 twice in S1 still counts one sentence
        "PRK~RUS": 2,  # S1, S2
        "PRK~kim": 2,
        "RUS~kim": 2,
        "PRK~putin": 1,
        "RUS~putin": 1,
    }
    assert edges["weight"].is_monotonic_decreasing  # heaviest first
    assert "moscow" not in set(nodes["entity_id"])  # places are not in the network
    by_id = nodes.set_index("entity_id")
    assert by_id.loc["putin", "mentions"] == 4 and by_id.loc["putin", "sentences"] == 3
    assert by_id.loc["kim", "type"] == "person" and by_id.loc["PRK", "type"] == "country"
    assert nodes["entity_id"].tolist()[:2] == ["kim", "putin"]  # most mentioned first


def test_the_network_follows_the_filters_the_top_n_and_the_threshold(corpus):
    _, tass = cooccurrence_network(corpus, Filters(sources=("TASS",)), 10, 1)
    assert _weights(tass) == {"kim~putin": 2}
    _, july2 = cooccurrence_network(corpus, Filters(date(2024, 7, 2), date(2024, 7, 2)), 10, 1)
    assert _weights(july2) == {"kim~putin": 1}
    nodes, edges = cooccurrence_network(corpus, Filters(), top_n=2, min_weight=1)
    assert set(nodes["entity_id"]) == {"kim", "putin"} and _weights(edges) == {"kim~putin": 3}
    nodes, edges = cooccurrence_network(corpus, Filters(), top_n=10, min_weight=2)
    assert set(_weights(edges)) == {"kim~putin", "PRK~RUS", "PRK~kim", "RUS~kim"}
    # raising the threshold afterwards gives the same, with degrees counted again
    all_nodes, all_edges = cooccurrence_network(corpus, Filters(), 10, 1)
    again_nodes, again = with_min_weight(all_nodes, all_edges, 3)
    assert _weights(again) == {"kim~putin": 3}
    assert again_nodes.set_index("entity_id")["degree"].to_dict() == {
        "kim": 1,
        "putin": 1,
        "PRK": 0,
        "RUS": 0,
    }
    empty_nodes, empty_edges = cooccurrence_network(corpus, Filters(sources=("AFP",)), 10, 1)
    assert empty_nodes.empty and empty_edges.empty


def test_the_automatic_threshold_keeps_the_network_readable():
    edges = pd.DataFrame({"a": ["x"] * 100, "b": ["y"] * 100, "weight": range(1, 101)})
    assert auto_min_weight(edges, top_n=30) == 50  # 51 ties of >= 50: at most 60 kept
    assert auto_min_weight(edges.head(10), top_n=30) == 1
    assert auto_min_weight(edges.iloc[:0], top_n=30) == 1


def test_a_ties_sentences_are_listed_newest_first_with_both_names_marked(corpus):
    rows = edge_sentences(corpus, Filters(), "putin", "kim")
    assert rows["sentence"].tolist() == [S3, S4, S1]  # 2024-07-03, 07-02, 07-01
    assert len(rows) == _weights(cooccurrence_network(corpus, Filters(), 10, 1)[1])["kim~putin"]
    marks = analysis.entities.marks_of_rows(corpus, rows)
    html = figures.sentences.marked_html(rows["sentence"].iloc[2], marks[2])
    assert html == "<mark>普京</mark>会见<mark>金正恩</mark>,<mark>普京</mark>表示俄罗斯支持朝鲜。"
    assert edge_sentences(corpus, Filters(sources=("KCNA",)), "kim", "putin")[
        "article_id"
    ].tolist() == ["a1"]
    assert edge_sentences(corpus, Filters(), "putin", "moscow_nowhere").empty


def test_edge_keys_read_back_and_reject_junk():
    assert edge_key("RUS", "CHN") == "CHN~RUS" == edge_key("CHN", "RUS")
    assert parse_edge_key("RUS~CHN") == ("CHN", "RUS")
    for junk in (None, "", "CHN", "CHN~", "CHN~CHN", "a~b~c"):
        assert parse_edge_key(junk) is None


def test_only_people_organisations_and_countries_can_be_asked_for_as_ends(corpus):
    # A place is named (莫斯科) but never counted: a link asking for it must not be told
    # "never named together".
    assert is_entity(corpus, "putin") and is_entity(corpus, "RUS")
    assert not is_entity(corpus, "moscow") and not is_entity(corpus, "nobody")


def test_the_same_network_is_always_drawn_the_same_with_a_legend_of_types(corpus):
    nodes, edges = cooccurrence_network(corpus, Filters(), 10, 1)
    labels = Labels("en", entities={"putin": "Vladimir Putin", "kim": "Kim Jong Un"})
    first = figures.network.network_figure(nodes, edges, labels)
    figures.network._spring.cache_clear()
    second = figures.network.network_figure(nodes, edges, labels)
    assert first.to_json() == second.to_json()
    legend = [t.name for t in first.data if t.showlegend is not False]
    assert legend == ["ties (click a midpoint)", "Person", "Country"]
    mids = next(t for t in first.data if t.customdata is not None and "~" in t.customdata[0])
    assert sorted(mids.customdata) == sorted(_weights(edges))
    people = next(t for t in first.data if t.name == "Person")
    names = next(t for t in first.data if t.name == figures.network.WIDE_NAMES)
    assert {"Vladimir Putin", "Kim Jong Un"} <= set(names.text)
    sizes = dict(zip(people.customdata, people.marker.size, strict=True))
    assert sizes["node:putin"] > sizes["node:kim"] or sizes["node:putin"] == sizes["node:kim"]


def test_names_never_print_over_each_other_and_a_phone_gets_fewer(real_pages_processed):
    corpus = load_corpus(real_pages_processed)
    nodes, edges = with_min_weight(*cooccurrence_network(corpus, Filters(), 40, 1), 1)
    labels = analysis.labels.labels_for(corpus, "en")

    fig = figures.network.network_figure(nodes, edges, labels)
    # the figure ends with the names placed for a laptop, then those for a phone
    assert [t.name for t in fig.data[-2:]] == [
        figures.network.WIDE_NAMES,
        figures.network.PHONE_NAMES,
    ]
    wide, phone = (list(t.text) for t in fig.data[-2:])
    assert len(phone) < len(wide) <= len(set(edges["a"]) | set(edges["b"]))
    assert "China" in phone  # the most mentioned keep their names


def test_a_click_on_a_midpoint_or_on_two_nodes_picks_a_pair():
    pick = figures.network.picked_pair
    assert pick([{"customdata": "PRK~RUS", "curve_number": 3}]) == ("pair", "PRK~RUS")
    assert pick([{"customdata": "node:RUS"}, {"customdata": "node:PRK"}]) == ("pair", "PRK~RUS")
    assert pick([{"customdata": "node:RUS"}]) == ("node", "RUS")  # waits for the second
    assert pick([{"customdata": "node:PRK"}], pending="RUS") == ("pair", "PRK~RUS")
    assert pick([{"customdata": "node:RUS"}], pending="RUS") == ("node", "RUS")
    assert pick([{"customdata": f"node:{c}"} for c in ("A", "B", "C")]) == ("clear", None)
    assert pick([]) == ("clear", None)


def _page(data: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    at = AppTest.from_file(str(ROOT / "pages" / "network.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_network_page_draws_the_selection_and_lists_a_linked_ties_sentences(
    real_pages_processed, monkeypatch
):
    corpus = load_corpus(real_pages_processed)
    at = _page(real_pages_processed, monkeypatch, lang="en", n="20", w="2")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    legend = [t["name"] for t in spec["data"] if t.get("showlegend") is not False]
    assert "Country" in legend and "Person" in legend
    assert dict(at.query_params) == {"lang": "en", "n": "20", "w": "2"}
    table = at.dataframe[0].value
    assert (table["sentences"] >= 2).all() and len(table) > 3
    a, b = table["a"].iloc[0], table["b"].iloc[0]
    with_edge = _page(real_pages_processed, monkeypatch, lang="en", edge=f"{b}~{a}")
    assert with_edge.query_params["edge"] == edge_key(a, b)  # normalised
    heading = with_edge.subheader[0].value
    n = len(edge_sentences(corpus, Filters(), a, b))
    assert heading.endswith(f"in the same sentence: {n}")
    listing = next(
        h.proto.body for h in with_edge.get("html") if 'class="sentences"' in h.proto.body
    )
    assert listing.count("<li>") == min(n, 30)
    assert listing.count("<mark>") >= 2 * min(n, 30)  # both names marked in every sentence
    assert 'href="articles?' in listing and "article=" in listing  # each opens the reader
    downloads = [d.proto.label for d in with_edge.get("download_button")]
    assert any("Download these" in d for d in downloads) and "Download ties (CSV)" in downloads


def test_a_junk_edge_link_shows_a_notice_and_the_network(real_pages_processed, monkeypatch):
    at = _page(real_pages_processed, monkeypatch, edge="CHN~nobody", w="many")
    notices = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "edge=CHN~nobody" in notices and "w=many" in notices
    assert "edge" not in at.query_params and "w" not in at.query_params
    assert at.get("plotly_chart")
