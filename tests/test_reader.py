"""The reader's HTML: search hits marked by offsets next to the entities, where an article
came from (provenance) and the events read from it; and the queries behind them."""

from __future__ import annotations

import html
import re
from datetime import date

import pandas as pd
import pytest

from dashboard.analysis import articles as article_queries
from dashboard.analysis.corpus import prepare
from dashboard.analysis.labels import Labels
from dashboard.analysis.search import occurrences
from dashboard.figures import reader

ZH = Labels("zh", countries={"RUS": "俄罗斯", "PRK": "朝鲜"}, entities={"p:kim": "金正恩"})
EN = Labels("en", countries={"RUS": "Russia", "PRK": "North Korea"}, entities={"p:kim": "Kim"})


def _text(markup: str) -> str:
    """What the reader sees of some HTML: the text without tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _mentions(rows):
    return pd.DataFrame(rows, columns=["entity_id", "surface", "type", "start", "end"])


def test_search_hits_are_marked_by_offsets_inside_and_outside_entity_marks():
    text = "俄罗斯总统访问<script>俄罗斯"
    mentions = _mentions([("RUS", "俄罗斯", "country", 0, 3)])
    hits = occurrences(text, ("俄罗斯",))
    out = reader.highlight_html(text, mentions, hits)
    assert out.count('<mark class="hit">俄罗斯</mark>') == 2
    assert '<mark class="ent ent-country" title="RUS"><mark class="hit">俄罗斯</mark></mark>' in out
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_a_hit_across_an_entitys_edge_is_marked_in_pieces_and_tags_stay_escaped():
    text = "金正恩会见<b>"
    mentions = _mentions([("p:kim", "金正恩", "person", 0, 3)])
    out = reader.highlight_html(text, mentions, [(2, 7)])  # 恩会见<b
    assert (
        '<mark class="ent ent-person" title="p:kim">金正<mark class="hit">恩</mark></mark>' in out
    )
    assert '<mark class="hit">会见&lt;b</mark>&gt;' in out
    # Without a search the reader is as before: entities only.
    assert "hit" not in reader.highlight_html(text, mentions)


def test_a_term_that_is_markup_is_found_in_the_text_not_in_the_html():
    text = 'a <script>alert("x")</script> b'
    out = reader.highlight_html(text, _mentions([]), occurrences(text, ("script",)))
    assert out.count('<mark class="hit">script</mark>') == 2
    assert "<script" not in out and "&quot;x&quot;" in out


ARTICLE = {
    "article_id": "a1",
    "source": "unknown",
    "site": "example.net",
    "url": "https://example.net/a?b=1&c=<x>",
    "doc": "exports/wire.jsonl",
    "published": date(2024, 7, 19),
    "date_source": "dateline+page",
    "place": None,
    "script": "hant",
}


def test_provenance_names_outlet_date_and_its_origin_url_site_and_quoted_outlets():
    out = reader.provenance_html(ARTICLE, ZH, ["塔斯社", "路透社"])
    assert "未知媒体 (example.net)" in out  # never a dead-end 'unknown' when the site is known
    assert "2024-07-19" in out and "电头 + 网页日期" in out
    link = re.search(r"<a [^>]*>", out).group(0)
    assert 'href="https://example.net/a?b=1&amp;c=&lt;x&gt;"' in link
    assert 'target="_blank"' in link and "noopener" in link
    assert "exports/wire.jsonl" in out and "example.net" in out
    assert "塔斯社、路透社" in _text(out) and "繁体" in out
    english = reader.provenance_html(ARTICLE, EN, ["TASS"])
    assert "Unknown outlet (example.net)" in english and "dateline + page date" in english
    assert "Traditional" in english and "Quoted outlets" in english


def test_provenance_of_an_article_with_nothing_known_never_says_none():
    bare = {"source": None, "site": float("nan"), "url": None, "doc": None, "published": None}
    for labels in (ZH, EN):
        shown = _text(reader.provenance_html(bare, labels, []))
        assert not re.search(r"\b(None|nan|NaN|unknown)\b", shown), shown
    assert "未找到日期" in reader.provenance_html(bare, ZH, [])
    assert "no date found" in reader.provenance_html(bare, EN, [])


def test_a_url_that_is_not_http_is_shown_as_text_never_as_a_link():
    out = reader.provenance_html({**ARTICLE, "url": "javascript:alert(1)"}, EN, [])
    assert "<a " not in out and "javascript:alert(1)" in out


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        ("dateline", "电头", "dateline"),
        ("dateline+date_line", "电头 + 文中日期行", "dateline + date line"),
        ("forum", "论坛发帖时间", "forum post time"),
        ("url", "网址中的日期", "date in the URL"),
        ("metadata", "元数据", "metadata"),
        ("page", "网页日期", "page date"),
        (None, "未找到日期", "no date found"),
    ],
)
def test_where_the_date_came_from_in_words(value, zh, en):
    assert reader.date_source_text(value, "zh") == zh
    assert reader.date_source_text(value, "en") == en


EVENTS = pd.DataFrame(
    [
        {
            "kind": "visit",
            "lead": "p:kim",
            "from_country": "PRK",
            "to_country": "RUS",
            "place": "莫斯科",
            "date": date(2024, 6, 1),
            "date_end": date(2024, 6, 30),
            "date_precision": "month",
            "approximate": False,
            "time_expr": "今年6月",
            "evidence": "金正恩今年6月访问<俄罗斯>。",
        },
        {
            "kind": "meeting",
            "lead": None,
            "from_country": "RUS",
            "to_country": "PRK",
            "place": None,
            "date": None,
            "date_end": None,
            "date_precision": None,
            "approximate": False,
            "time_expr": None,
            "evidence": "双方举行会谈。",
        },
    ]
)


def test_events_show_kind_route_date_as_precise_as_known_the_phrase_and_evidence():
    out = reader.events_html(EVENTS, ZH)
    first, second = out.split("</li>")[:2]
    assert "访问" in first and "朝鲜 → 俄罗斯" in first
    assert "<b>2024-06</b>" in first  # a month, not a made-up day
    assert "读自“" in first and '<mark class="expr">今年6月</mark>' in first
    assert "金正恩" in first and "莫斯科" in first and "&lt;俄罗斯&gt;" in first
    assert "会见" in second and "俄罗斯 → 朝鲜" in second and "日期不明" in second
    assert "人物" not in second and "地点" not in second  # missing lead and place left out
    english = reader.events_html(EVENTS, EN)
    assert "Visit" in english and "North Korea → Russia" in english and "Lead: Kim" in english
    assert "date unknown" in english and "None" not in english and "None" not in out


def test_article_events_come_in_text_order_and_quoted_outlets_are_read():
    articles = pd.DataFrame(
        [
            {
                "article_id": "a1",
                "title": "t",
                "text": "第一句会谈。第二句访问。",
                "text_simplified": "第一句会谈。第二句访问。",
                "source": "KCNA",
                "quoted_sources": ["TASS", "Reuters"],
            }
        ]
    )
    events = pd.DataFrame(
        [
            {"event_id": "e2", "article_id": "a1", "kind": "visit", "evidence": "第二句访问。"},
            {"event_id": "e1", "article_id": "a1", "kind": "meeting", "evidence": "第一句会谈。"},
        ]
    )
    corpus = prepare({"articles": articles, "events": events})
    found = article_queries.article_events(corpus, "a1")
    assert found["kind"].tolist() == ["meeting", "visit"]
    assert found["place"].tolist() == [None, None]
    assert article_queries.article_events(corpus, "nope").empty
    row = article_queries.article_by_id(corpus, "a1")
    assert article_queries.quoted_outlets(row["quoted_sources"]) == ["TASS", "Reuters"]
    assert article_queries.quoted_outlets(None) == []
    assert article_queries.registry_outlet_names()["Reuters"]["zh"] == "路透社"


def test_an_article_without_quoted_outlets_reads_as_none_quoted():
    """Quoted outlets are kept as one Arrow list column: a missing value, a single id or an
    Arrow null reads as a list, and the reader's lookup never fails on one."""
    import numpy as np
    import pyarrow as pa

    from dashboard.analysis.corpus import arrow_lists

    values = [None, "TASS", ["Reuters", "KCNA"], np.nan]
    articles = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3", "a4"],
            "title": ["t"] * 4,
            "text": ["正文。"] * 4,
            "source": ["KCNA"] * 4,
            "quoted_sources": values,
        }
    )
    corpus = prepare({"articles": articles})
    found = [
        article_queries.quoted_outlets(article_queries.article_by_id(corpus, a)["quoted_sources"])
        for a in ("a1", "a2", "a3", "a4")
    ]
    assert found == [[], ["TASS"], ["Reuters", "KCNA"], []]
    with_nulls = pd.Series(
        pd.arrays.ArrowExtensionArray(pa.array([["TASS"], None], type=pa.list_(pa.string())))
    )
    assert arrow_lists(with_nulls).tolist() == [["TASS"], []]
    assert article_queries.quoted_outlets(pd.NA) == []
