"""The Articles page under Streamlit's AppTest, on a corpus run through the real pipeline:
a search link opens the hits in context page by page, a hit opens the reader with the term
marked and the article's provenance and events, and nothing from an article is markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote

import pytest
from search_corpus import WORD, build_search_corpus
from streamlit.testing.v1 import AppTest

from dashboard.analysis import search
from dashboard.analysis.corpus import load_corpus
from dashboard.analysis.filters import Filters

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(scope="module")
def search_processed(tmp_path_factory) -> Path:
    return build_search_corpus(tmp_path_factory.mktemp("search_corpus"))


@pytest.fixture
def data_env(search_processed, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(search_processed))
    return search_processed


@pytest.fixture(scope="module")
def expected(search_processed):
    corpus = load_corpus(search_processed)
    return corpus, search.search_articles(corpus, Filters(), WORD)


def run_articles(params: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "articles.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _sections(at) -> list[str]:
    return re.findall(r'<section class="kwic-art">.*?</section>', _html(at), flags=re.S)


def _texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def _article_id(corpus, title_part: str) -> str:
    articles = corpus.articles
    return articles.loc[articles["title"].str.contains(title_part), "article_id"].iloc[0]


def test_a_search_link_opens_the_page_with_the_hits_in_context(data_env, expected):
    _, result = expected
    at = run_articles({"q": WORD})
    assert not at.exception
    assert at.text_input(key="art_q").value == WORD  # the search box is filled
    summary = _texts(at.markdown)
    assert f"{result.hits:,} 处" in summary and f"{result.n_articles} 篇文章" in summary
    assert "第 1/3 页" in summary
    sections = _sections(at)
    assert len(sections) == 20  # one page of articles
    first = sections[0]
    assert '<mark class="hit">' in first and 'class="kwic-line"' in first
    newest = result.articles.iloc[0]
    assert f"article={newest['article_id']}" in first and f"q={WORD}" in unquote(first)
    pager = _html(at).split('<nav class="pager"')[1]
    assert "page=2" in pager and "page=3" in pager


def test_the_page_number_lives_in_the_link_and_is_clamped(data_env, expected):
    _, result = expected
    last = run_articles({"q": WORD, "page": "3"})
    assert len(_sections(last)) == result.n_articles - 40
    ids = result.articles["article_id"].tolist()
    assert f"article={ids[40]}" in _sections(last)[0]
    beyond = run_articles({"q": WORD, "page": "99"})
    assert len(_sections(beyond)) == result.n_articles - 40
    assert beyond.query_params["page"] in ("3", ["3"])
    junk = run_articles({"q": WORD, "page": "third"})
    assert "page=third" in _texts(junk.warning) and len(_sections(junk)) == 20


def test_a_traditional_article_is_found_and_shown_as_written(data_env):
    at = run_articles({"q": "俄罗斯总统"})
    sections = _sections(at)
    assert len(sections) == 1
    assert '<mark class="hit">俄羅斯總統</mark>' in sections[0]
    assert "中央社" in sections[0]  # the outlet's name, not its id


def test_markup_in_an_article_is_text_in_the_hits_and_in_the_reader(data_env, expected):
    corpus, _ = expected
    at = run_articles({"q": "kwic"})  # the word is inside the markup
    body = _html(at)
    hit = '&#x27;</span></span><mark class="hit">kwic</mark>'
    assert "&lt;script&gt;alert(" + hit in body and "<script>alert" not in body
    assert "&lt;img src=x onerror=alert(" + hit in body and "<img" not in body
    assert "未知媒体 (example.net)" in body  # an unknown outlet named by its site
    hostile = _article_id(corpus, "带标记")
    reader = _html(run_articles({"q": "kwic", "article": hostile}))
    assert reader.count('<mark class="hit">kwic</mark>') == 2
    assert "<script>alert" not in reader and "<img" not in reader
    assert "&lt;img src=x onerror=alert(" in reader


def test_a_hit_opens_the_reader_with_the_term_marked_provenance_and_events(data_env, expected):
    corpus, result = expected
    trad = _article_id(corpus, "普京抵達")
    at = run_articles({"q": WORD, "article": trad})
    assert not at.exception
    body = _html(at)
    text = body.split('class="article-text"')[1]
    assert '<mark class="hit">俄羅斯</mark>' in text
    assert "“俄罗斯”在本文中出现 1 处" in _texts(at.caption)
    # The way back to the hits, on the page that lists this article.
    position = result.articles["article_id"].tolist().index(trad)
    nav = body.split('class="hit-nav"')[1].split("</div>")[0]
    back = re.search(r'href="([^"]+)"', nav).group(1).replace("&amp;", "&")
    params = parse_qs(back.split("?", 1)[1])
    assert params["q"] == [WORD] and params.get("page", ["1"]) == [str(position // 20 + 1)]
    assert "article" not in params
    # Provenance: the URL opens in a new tab, the site, the dateline, the quoted outlet.
    link = re.search(r'<a href="https://www.cna.com.tw[^"]*"[^>]*>', body).group(0)
    assert 'target="_blank"' in link and 'rel="noopener' in link
    assert "cna.com.tw" in body and "电头 + 网页日期" in body and "塔斯社" in body
    assert "繁体" in body and "台北" in body
    # The events read from it, with country names and the words the date was read from.
    assert "文中读出的事件" in _texts(at.subheader)
    events = body.split('<ul class="events">')[1]
    assert "俄罗斯 → 朝鲜" in events and "2024-07-19" in events and "读自" in events
    assert "None" not in body


def test_a_url_that_is_not_a_web_address_is_no_link(data_env, expected):
    corpus, _ = expected
    long_read = _article_id(corpus, "长篇述评")
    body = _html(run_articles({"article": long_read}))
    assert "javascript:alert(&#x27;url&#x27;)" in body
    assert 'href="javascript' not in body
    assert "路透社" in body  # a quoted outlet that is no article's outlet, by its name


def test_the_english_page_shows_no_chinese_interface_words(data_env, expected):
    corpus, _ = expected
    trad = _article_id(corpus, "普京抵達")
    for params in ({"q": WORD}, {"q": WORD, "article": trad}, {"article": trad}):
        at = run_articles({**params, "lang": "en"})
        assert not at.exception
        shown = [
            _texts(at.main.get(kind))
            for kind in ("title", "caption", "markdown", "info", "warning", "subheader")
        ]
        widgets = at.main.get("text_input") + at.main.get("selectbox")
        shown += [w.label for w in widgets] + [w.help or "" for w in widgets]
        shown += [w.placeholder for w in at.main.get("text_input")]
        shown += (
            [at.selectbox(key="art_order").format_func(o) for o in search.ORDERS]
            if ("article" not in params)
            else []
        )
        shown += [_interface_text(h.proto.body) for h in at.get("html")]
        words = " ".join(shown).replace(f"“{WORD}”", "“”")  # the query, where it is quoted
        assert not CJK.search(words), CJK.findall(words)[:20]
    assert "hits in" in _texts(run_articles({"q": WORD, "lang": "en"}).markdown)


def test_a_new_search_in_the_box_lists_its_hits_from_the_first_page(data_env, expected):
    corpus, _ = expected
    trad = _article_id(corpus, "普京抵達")
    at = run_articles({"q": WORD, "article": trad, "page": "2"})
    at.text_input(key="art_q").set_value("拉夫罗夫").run()
    assert not at.exception
    assert at.query_params["q"] in ("拉夫罗夫", ["拉夫罗夫"])
    assert "article" not in at.query_params and "page" not in at.query_params
    assert len(_sections(at)) == 1
    at.selectbox(key="art_order").set_value("hits").run()
    assert at.query_params["order"] in ("hits", ["hits"])
    assert "order=hits" in _sections(at)[0]  # the way back from the reader keeps the order
    at.text_input(key="art_q").set_value(WORD).run()
    pager = _html(at).split('<nav class="pager"')[1]
    assert "page=2&amp;order=hits" in pager


def test_a_search_without_hits_says_so_and_quotes_the_link_as_text(data_env):
    at = run_articles({"q": "[x](javascript:alert(1))"})
    assert not at.exception
    info = _texts(at.info)
    assert "没有文章包含" in info and "\\[x\\]\\(javascript\\:" in info


def test_a_link_to_a_missing_article_with_a_search_shows_the_hits(data_env):
    at = run_articles({"q": WORD, "article": "0000000000000000"})
    assert "0000000000000000" in _texts(at.warning)
    assert len(_sections(at)) == 20


class _Interface(HTMLParser):
    """The text of some HTML without what is written in Chinese (``lang="zh"``: article
    text, names as written) and without style sheets: the interface's own words."""

    def __init__(self):
        super().__init__()
        self.skip, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        if self.skip or dict(attrs).get("lang") == "zh" or tag == "style":
            self.skip.append(tag)

    def handle_endtag(self, tag):
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _interface_text(markup: str) -> str:
    parser = _Interface()
    parser.feed(markup)
    return " ".join(parser.parts)
