"""The concordance: every occurrence a plain reading of the texts finds, each once, aligned
on the hit; sorts by the words after and before the hit and by date; the filters keep the
order; entities by any of their names; markup in articles stays text; the page under AppTest
with the query, sort and page in the link; and the links to it from other pages."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote

import numpy as np
import pytest
from attention_corpus import HOSTILE, build_attention_corpus
from streamlit.testing.v1 import AppTest

from dashboard.analysis import concordance, query
from dashboard.analysis.corpus import load_corpus
from dashboard.analysis.filters import Filters
from dashboard.analysis.labels import labels_for
from dashboard.common.textnorm import to_simplified
from dashboard.figures.concordance import concordance_html

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    return build_attention_corpus(tmp_path_factory.mktemp("concordance_corpus"))


@pytest.fixture(scope="module")
def corpus(processed):
    return load_corpus(processed)


def _run(corpus, text: str, sort: str = "right", filters: Filters | None = None):
    filters = filters or Filters()
    parsed = query.parse_query(text, query.entity_lookup(corpus))
    return concordance.concordance(corpus, filters, parsed, sort)


def _plain(corpus, word: str, keep=None) -> set[tuple[int, int]]:
    """Every (article, offset) of ``word`` by str.find over the Simplified texts."""
    found = set()
    for pos, text in enumerate(corpus.texts_at(range(len(corpus.articles)))["text"]):
        if keep is not None and not keep[pos]:
            continue
        simplified = to_simplified(text)
        at = simplified.find(word)
        while at >= 0:
            found.add((pos, at))
            at = simplified.find(word, at + len(word))
    return found


def _places(result) -> list[tuple[int, int]]:
    found = result.found
    return list(
        zip(
            found.article_pos[result.order].tolist(),
            found.start[result.order].tolist(),
            strict=True,
        )
    )


def test_every_occurrence_once_in_either_script(corpus):
    result = _run(corpus, "朝鲜")
    places = _places(result)
    assert len(places) == len(set(places))
    assert set(places) == _plain(corpus, "朝鲜")  # 朝鮮 in the Traditional report too
    assert result.articles == len({p for p, _ in places})
    rows = concordance.concordance_rows(corpus, result, 0, len(result))
    assert set(rows["hit"]) == {"朝鲜", "朝鮮"}  # shown as written
    assert set(rows["hit_simplified"]) == {"朝鲜"}


def test_a_boolean_query_lists_its_words_only_in_the_articles_it_matches(corpus):
    result = _run(corpus, "访问 NOT 取消")
    texts = corpus.texts_at(range(len(corpus.articles)))["text"].map(to_simplified)
    keep = (~texts.str.contains("取消")).to_numpy()
    assert set(_places(result)) == _plain(corpus, "访问", keep)
    assert "取消" not in " ".join(concordance.concordance_rows(corpus, result, 0, 999)["right"])


def test_an_entity_is_listed_under_every_name_it_was_found_by(corpus):
    result = _run(corpus, "entity:PRK")
    rows = concordance.concordance_rows(corpus, result, 0, len(result))
    assert {"朝鲜", "北韩", "朝鮮"} <= set(rows["hit"])
    mentions = corpus.mentions[corpus.mentions["entity_id"] == "PRK"]
    assert len(result) == len(mentions)


def test_sorting_by_the_words_after_and_before_the_hit(corpus):
    after = concordance.concordance_rows(corpus, _run(corpus, "俄罗斯", "right"), 0, 999)
    keys = [re.sub(r"[\W_]+", "", to_simplified(r))[:8] for r in after["right"]]
    assert keys == sorted(keys) and len(set(keys)) > 3
    before = concordance.concordance_rows(corpus, _run(corpus, "朝鲜", "left"), 0, 999)
    keys = [re.sub(r"[\W_]+", "", to_simplified(r))[::-1][:8] for r in before["left"]]
    assert "" in keys and keys[0] != ""  # a hit that starts the text has nothing to sort by
    words = [k for k in keys if k]
    assert keys == words + [""] * (len(keys) - len(words)) and words == sorted(words)


def test_date_sorts_put_undated_articles_last(corpus):
    newest = concordance.concordance_rows(corpus, _run(corpus, "朝鲜", "newest"), 0, 999)
    dates = list(newest["published"])
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates[-1] is None and dates[0] is not None
    oldest = concordance.concordance_rows(corpus, _run(corpus, "朝鲜", "oldest"), 0, 999)
    assert [d for d in oldest["published"] if d is not None] == sorted(dated)
    assert list(oldest["published"])[-1] is None


def test_a_filter_keeps_the_order_and_drops_the_rest(corpus):
    everything = _run(corpus, "朝鲜", "left")
    kcna = _run(corpus, "朝鲜", "left", Filters(sources=("KCNA",)))
    sources = corpus.articles["source"].to_numpy()
    expected = [p for p in _places(everything) if sources[p[0]] == "KCNA"]
    assert _places(kcna) == expected and 0 < len(kcna) < len(everything)


def test_context_is_cut_as_written_and_says_where_the_text_goes_on(corpus):
    result = _run(corpus, "代表团", "newest")
    rows = concordance.concordance_rows(corpus, result, 0, 5, width=6)
    texts = corpus.texts_at(range(len(corpus.articles)))["text"]
    for row in rows.to_dict("records"):
        text = texts.iloc[row["article_pos"]]
        assert text[row["start"] : row["end"]] == row["hit"]
        assert row["left"] == text[max(0, row["start"] - 6) : row["start"]]
        assert row["cut_left"] == (row["start"] > 6)
        assert len(row["right"]) <= 6


def test_the_download_is_capped_and_names_outlets(corpus):
    result = _run(corpus, "朝鲜")
    labels = labels_for(corpus, "zh")
    frame = concordance.concordance_export(corpus, result, labels, limit=5)
    assert list(frame.columns) == concordance.EXPORT_COLUMNS and len(frame) == 5
    assert set(frame["outlet"]) <= {"新华社", "塔斯社", "朝中社", "中央社"}
    whole = concordance.concordance_export(corpus, result, labels)
    assert len(whole) == len(result)


def test_article_text_is_never_markup_in_the_table(corpus):
    result = _run(corpus, "朝鲜", "newest")
    rows = concordance.concordance_rows(corpus, result, 0, len(result))
    rows = rows[rows["left"].str.contains("onerror")]
    assert len(rows) == 1
    body = concordance_html(rows, labels_for(corpus, "zh"), ["articles?article=x&q=朝鲜"], "right")
    assert "<script>" not in body and "<img" not in body
    assert "&lt;img src=x onerror=alert(&#x27;conc&#x27;)&gt;" in body
    assert 'href="articles?article=x&amp;q=朝鲜"' in body
    assert HOSTILE[:8] not in body


# ---------------------------------------------------------------- the page


@pytest.fixture
def data_env(processed, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(processed))
    return processed


def run_page(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def _rows(at) -> list[str]:
    return re.findall(r"<tr><td class=\"m\">.*?</tr>", _html(at), flags=re.S)


def test_a_link_lists_the_occurrences_a_page_at_a_time(data_env, corpus):
    total = len(_run(corpus, "双方"))
    assert 100 < total <= 150
    at = run_page("concordance", {"q": "双方"})
    assert not at.exception
    assert at.text_input(key="conc_q").value == "双方"
    summary = _texts(at.markdown)
    assert f"{total} 处" in summary and "第 1/3 页" in summary
    rows = _rows(at)
    assert len(rows) == 50 and all('<mark class="hit">双方</mark>' in r for r in rows)
    href = re.search(r'href="(articles\?[^"]+)"', rows[0]).group(1).replace("&amp;", "&")
    assert parse_qs(href.split("?", 1)[1])["q"] == ["双方"]
    pager = _html(at).split('<nav class="pager"')[1]
    assert "page=2" in pager and "page=3" in pager
    last = run_page("concordance", {"q": "双方", "page": "3"})
    assert len(_rows(last)) == total - 100
    assert f"下载全部 {total} 处" in last.get("download_button")[0].proto.label


def test_the_sort_lives_in_the_link_and_a_new_sort_starts_at_page_one(data_env):
    at = run_page("concordance", {"q": "双方", "sort": "left", "page": "2"})
    assert at.segmented_control(key="conc_sort").value == "left"
    assert "之前的字" in _texts(at.caption)
    pager = _html(at).split('<nav class="pager"')[1]
    assert "sort=left&amp;page=3" in pager  # the other pages keep the sort
    at.segmented_control(key="conc_sort").set_value("newest").run()
    assert at.query_params["sort"] in ("newest", ["newest"]) and "page" not in at.query_params
    bad = run_page("concordance", {"q": "双方", "sort": "sideways"})
    assert "sort=sideways" in _texts(bad.warning) and len(_rows(bad)) == 50


def test_an_entity_link_names_what_it_found_and_leads_to_attention(data_env):
    at = run_page("concordance", {"q": "entity:PRK", "lang": "en"})
    assert not at.exception
    assert "North Korea is found under" in _texts(at.caption)
    assert "北韩" in _texts(at.caption)
    assert "attention?lang=en&amp;query=entity%3APRK" in _html(at)
    assert "“entity\\: North Korea”" in _texts(at.markdown)  # Markdown-escaped


def test_a_query_that_cannot_be_read_or_finds_nothing_says_so(data_env):
    bad = run_page("concordance", {"q": "(朝鲜"})
    assert "括号不成对" in _texts(bad.warning) and not _rows(bad)
    none = run_page("concordance", {"q": "[x](javascript:alert(1))"})
    assert not none.exception
    assert "没有文章包含" in _texts(none.info) and "\\[x\\]" in _texts(none.info)


def test_entities_keywords_and_the_search_link_to_the_concordance(data_env):
    entities = run_page("entities", {"entity": "PRK"})
    assert "concordance?q=entity%3APRK" in _html(entities)
    assert "attention?query=entity%3APRK" in _html(entities)
    search = run_page("articles", {"q": "朝鲜 访问"})
    assert "concordance?q=%E6%9C%9D%E9%B2%9C+%E8%AE%BF%E9%97%AE" in _html(search)
    keywords = run_page("keywords", {"term": "代表团"})
    assert not keywords.exception
    assert "concordance?q=%E4%BB%A3%E8%A1%A8%E5%9B%A2" in _html(keywords)
    target = run_page("concordance", {"q": unquote("%E4%BB%A3%E8%A1%A8%E5%9B%A2")})
    assert len(_rows(target)) > 0


def test_the_rows_hold_a_hit_between_its_contexts(data_env):
    at = run_page("concordance", {"q": "俄罗斯"})
    row = _rows(at)[0]
    cells = re.findall(r'<td class="(\w)"', row)
    assert cells == ["m", "l", "h", "r"]
    assert np.all([c in row for c in ('class="l" lang="zh"', 'class="r" lang="zh"')])


def test_the_english_page_shows_no_chinese_interface_words(data_env):
    from test_articles_page import CJK, _interface_text

    for params in ({"q": "双方", "sort": "left"}, {"q": "entity:PRK"}, {}, {"q": "(x"}):
        at = run_page("concordance", {**params, "lang": "en"})
        assert not at.exception
        shown = [
            _texts(at.main.get(kind))
            for kind in ("title", "caption", "markdown", "info", "warning", "subheader")
        ]
        box = at.text_input(key="conc_q")
        shown += [box.label, box.help or "", box.placeholder or ""]
        sort = at.segmented_control(key="conc_sort")
        shown += [sort.label] + [sort.format_func(o) for o in concordance.SORTS]
        shown += [_interface_text(h.proto.body) for h in at.get("html")]
        shown += [b.proto.label for b in at.get("download_button")]
        words = " ".join(shown)
        for quoted in ("双方", "北韩", "朝鲜", "朝鮮"):  # the query and names as written
            words = words.replace(quoted, "")
        assert not CJK.search(words), CJK.findall(words)[:20]
