"""The search: which articles, how many hits, the hits in context (KWIC), the result pages,
on a small hand-built corpus (exact numbers) and on 20,000 articles (speed)."""

from __future__ import annotations

import random
import time
from datetime import date

import pandas as pd
import pytest

from dashboard.analysis import labels as labels_module
from dashboard.analysis import search
from dashboard.analysis.corpus import prepare
from dashboard.analysis.filters import Filters
from dashboard.figures import kwic

ALL = Filters()


def _article(aid, source, published, text, title, simplified=None, script="hans", **extra):
    return {
        "article_id": aid,
        "doc": "d.txt",
        "index": 0,
        "source": source,
        "source_zh": {"KCNA": "朝中社", "CNA": "中央社"}.get(source, source),
        "published": published,
        "title": title,
        "text": text,
        "dup_of": None,
        "text_simplified": simplified or text,
        "script": script,
        **extra,
    }


LONG = "".join(f"第{k}段提到俄罗斯。" for k in range(12))


@pytest.fixture
def corpus():
    rows = [
        _article(
            "new",
            "KCNA",
            date(2024, 7, 20),
            "金正恩会见俄罗斯代表团,俄罗斯国防部副部长率团。",
            "金正恩会见俄罗斯代表团",  # the title is the text's first words: counted once
        ),
        _article(
            "trad",
            "CNA",
            date(2024, 7, 19),
            "中央社台北19日電 俄羅斯總統普京抵達平壤。",
            "普京抵達平壤",
            simplified="中央社台北19日电 俄罗斯总统普京抵达平壤。",
            script="hant",
        ),
        _article("old", "KCNA", date(2024, 7, 1), LONG, "长篇述评"),
        _article("title", "unknown", None, "代表团离开平壤回国。", "俄罗斯代表团离开"),
        _article("none", "KCNA", date(2024, 7, 2), "与此无关的报道。", "无关", site="x.org"),
        _article("nato", "CNA", date(2024, 7, 3), "NATO and Nato: 北约峰会。", "北约"),
    ]
    return prepare({"articles": pd.DataFrame(rows)})


def test_query_words_are_simplified_without_repeats_or_words_inside_others():
    assert search.query_terms(" 俄羅斯  普京 ") == ("俄罗斯", "普京")
    assert search.query_terms("俄 俄罗斯 俄罗斯") == ("俄罗斯",)
    assert search.query_terms("NATO nato") == ("NATO",)
    assert search.query_terms("") == ()


def test_search_counts_hits_in_text_and_a_title_that_is_not_in_the_text(corpus):
    result = search.search_articles(corpus, ALL, "俄罗斯")
    assert result.articles["article_id"].tolist() == ["new", "trad", "old", "title"]
    by_id = result.articles.set_index("article_id")["hits"].to_dict()
    assert by_id == {"new": 2, "trad": 1, "old": 12, "title": 1}
    titles = result.articles.set_index("article_id")["title_hits"].to_dict()
    assert titles == {"new": 0, "trad": 0, "old": 0, "title": 1}
    assert result.hits == 16 and result.n_articles == 4


def test_traditional_and_simplified_queries_find_the_same_articles(corpus):
    simplified = search.search_articles(corpus, ALL, "俄罗斯总统")
    traditional = search.search_articles(corpus, ALL, "俄羅斯總統")
    assert simplified.articles["article_id"].tolist() == ["trad"]
    assert traditional.articles["article_id"].tolist() == ["trad"]


def test_every_word_must_be_in_the_article_and_latin_letters_match_any_case(corpus):
    both = search.search_articles(corpus, ALL, "俄罗斯 平壤")
    assert both.articles["article_id"].tolist() == ["trad", "title"]
    nato = search.search_articles(corpus, ALL, "nato")
    assert nato.articles["article_id"].tolist() == ["nato"] and nato.hits == 2


def test_search_keeps_to_the_filters_and_orders_as_asked(corpus):
    kcna = search.search_articles(corpus, Filters(sources=("KCNA",)), "俄罗斯")
    assert kcna.articles["article_id"].tolist() == ["new", "old"]
    oldest = search.search_articles(corpus, ALL, "俄罗斯", order="oldest")
    assert oldest.articles["article_id"].tolist() == ["old", "trad", "new", "title"]
    most = search.search_articles(corpus, ALL, "俄罗斯", order="hits")
    assert most.articles["article_id"].tolist()[:2] == ["old", "new"]
    assert search.search_articles(corpus, ALL, "不存在的词").articles.empty


def test_result_pages_split_the_articles_and_clamp_the_page_number(corpus):
    result = search.search_articles(corpus, ALL, "俄罗斯")
    assert search.page_count(result, 3) == 2
    assert search.page_rows(result, 2, 3)["article_id"].tolist() == ["title"]
    assert search.page_rows(result, 99, 3)["article_id"].tolist() == ["title"]
    assert search.page_rows(result, 0, 3)["article_id"].tolist() == ["new", "trad", "old"]


def test_snippets_centre_each_hit_as_written_with_thirty_characters_either_side(corpus):
    result = search.search_articles(corpus, ALL, "俄罗斯")
    rows = result.articles.set_index("article_id")
    trad = search.snippets(corpus, [rows.loc["trad", "article_pos"]], result.terms)
    assert trad["match"].tolist() == ["俄羅斯"]  # shown as written
    assert (
        trad["left"].iloc[0] == "中央社台北19日電 "
        and trad["right"].iloc[0] == "總統普京抵達平壤。"
    )
    long = search.snippets(corpus, [rows.loc["old", "article_pos"]], result.terms, width=30)
    assert len(long) == 10  # at most ten lines per article
    line = long.iloc[5]
    assert len(line["left"]) == 30 and len(line["right"]) == 30
    assert line["cut_left"] and line["cut_right"]
    assert LONG[line["start"] - 30 : line["start"]] == line["left"]


def test_hits_in_context_are_escaped_marked_and_linked():
    rows = pd.DataFrame(
        [
            {
                "article_id": "a1",
                "article_pos": 0,
                "published": date(2024, 7, 1),
                "source": "unknown",
                "site": "evil.example",
                "title": "<b>俄羅斯</b>标题",
                "dup_of": "a0",
                "script": "hant",
                "hits": 13,
            }
        ]
    )
    snippets = pd.DataFrame(
        [(0, 8, 11, "<script>alert(1)</script>", "俄羅斯", "<img src=x>", True, False)],
        columns=search.SNIPPET_COLUMNS,
    )
    labels = labels_module.Labels("zh")
    out = kwic.kwic_html(rows, snippets, labels, {"a1": 'articles?article=a1&q="x"'}, ("俄罗斯",))
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<img" not in out and "<b>" not in out
    assert '<mark class="hit">俄羅斯</mark>' in out  # in the line and in the title
    assert "&lt;b&gt;<mark" in out
    assert 'href="articles?article=a1&amp;q=&quot;x&quot;"' in out
    assert "2024-07-01" in out and "未知媒体 (evil.example)" in out  # never a bare 'unknown'
    assert "13 处" in out and "另有 12 处" in out and "转载" in out
    # A hit in a title that is not part of the text is shown there, not among the rest.
    titled = kwic.kwic_html(rows.assign(title_hits=1), snippets, labels, {}, ("俄罗斯",))
    assert "另有 11 处" in titled
    one = kwic.kwic_html(rows.assign(hits=2), snippets, labels_module.Labels("en"), {}, ())
    assert "1 more: read it in" in one
    english = kwic.kwic_html(rows, snippets, labels_module.Labels("en"), {}, ("俄罗斯",))
    assert (
        "13 hits" in english and "12 more" in english and "Unknown outlet (evil.example)" in english
    )


def test_an_article_found_by_its_title_alone_says_so():
    rows = pd.DataFrame(
        [
            {
                "article_id": "t",
                "article_pos": 3,
                "published": None,
                "source": "KCNA",
                "site": None,
                "title": "俄罗斯代表团离开",
                "dup_of": None,
                "script": "hans",
                "hits": 1,
            }
        ]
    )
    empty = pd.DataFrame(columns=search.SNIPPET_COLUMNS)
    out = kwic.kwic_html(rows, empty, labels_module.Labels("en"), {}, ("俄罗斯",))
    assert "In the title only" in out and "None" not in out and "undated · KCNA" in out


def test_the_pager_links_the_first_last_and_nearby_pages():
    labels = labels_module.Labels("en")
    out = kwic.pager_html(6, 1200, lambda n: f"articles?q=x&page={n}", labels)
    for n in (1, 4, 5, 7, 8):
        assert f'href="articles?q=x&amp;page={n}"' in out
    assert 'aria-current="page">6<' in out and ">1,200<" in out  # thousands separators
    assert "Previous" in out and "Next" in out and out.count("…") == 2
    first = kwic.pager_html(1, 3, lambda n: f"p{n}", labels)
    assert "Previous" not in first and "Next" in first
    assert kwic.pager_html(1, 1, lambda n: "", labels) == ""


@pytest.fixture(scope="module")
def big_corpus():
    """20,000 articles of 300-400 characters, a third of them with 俄罗斯 (about as frequent
    as in the benchmark corpus)."""
    rng = random.Random(1)
    words = ["代表团", "抵达", "平壤", "会谈", "双方", "合作", "北京", "访问", "外长", "表示", "。"]
    rows = []
    for i in range(20_000):
        body = "".join(rng.choice(words) for _ in range(120))
        if i % 3 == 0:
            cut = rng.randrange(len(body))
            body = body[:cut] + "俄罗斯" + body[cut:]
        rows.append(
            _article(f"a{i}", ["KCNA", "CNA"][i % 2], date(2024, 1 + i % 12, 1), body, "题")
        )
    return prepare({"articles": pd.DataFrame(rows)})


def test_a_frequent_word_is_found_in_20000_articles_well_within_a_second(big_corpus):
    search.search_articles(big_corpus, ALL, "合作")  # reads and prepares the texts once
    started = time.perf_counter()
    result = search.search_articles(big_corpus, Filters(sources=("KCNA",)), "俄罗斯")
    rows = search.page_rows(result, 1, 20)
    lines = search.snippets(big_corpus, rows["article_pos"], result.terms)
    html = kwic.kwic_html(rows, lines, labels_module.Labels("zh"), {}, result.terms)
    elapsed = time.perf_counter() - started
    assert result.n_articles == 3334 and len(lines) == 20 and html.count("<section") == 20
    assert elapsed < 0.5, f"{elapsed:.2f} s"
    print(f"search + first page of 20 articles at 20,000 articles: {elapsed * 1000:.0f} ms")


def test_counts_have_thousands_separators_in_both_languages():
    assert kwic.hits_text(23428, labels_module.Labels("en")) == "23,428 hits"
    assert kwic.hits_text(1, labels_module.Labels("en")) == "1 hit"
    assert kwic.hits_text(23428, labels_module.Labels("zh")) == "23,428 处"


def test_a_big_text_column_is_counted_in_parts_the_same(monkeypatch):
    """A column over the split size is counted by one thread per core, part by part, with
    the counts of one pass, in order (a word across chunk ends cannot be: chunks are rows)."""
    import pyarrow as pa

    from dashboard.analysis import corpus as corpus_module

    rows = [f"第{i}篇:朝鲜与俄罗斯会谈,会谈在平壤举行。" * (i % 4) for i in range(3000)]
    column = pa.chunked_array([pa.array(rows[i : i + 250]) for i in range(0, 3000, 250)])
    whole = corpus_module.count_in(column, "会谈")
    monkeypatch.setattr(corpus_module, "_SPLIT_BYTES", 0)
    monkeypatch.setattr(corpus_module, "_SCAN_THREADS", 3)  # as if three cores
    assert len(corpus_module._parts(column)) == 3
    assert corpus_module.count_in(column, "会谈").tolist() == whole.tolist()
    assert whole.tolist()[:5] == [0, 2, 4, 6, 0]
