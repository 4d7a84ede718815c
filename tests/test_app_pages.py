"""Each page under Streamlit's AppTest: defaults, narrowed filters, an empty result, junk
link values, and broken or missing processed tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["overview", "entities", "articles", "attention", "concordance"]
EMPTY_RANGE = {"from": "2024-07-10", "to": "2024-07-18"}  # between the seed's dates


@pytest.fixture
def data_env(seed_processed, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(seed_processed))
    return seed_processed


def run_page(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def _texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_defaults(data_env, page):
    at = run_page(page)
    assert not at.exception
    assert at.title and at.title[0].value
    assert not at.warning  # no notice without a bad link
    assert at.sidebar.multiselect and at.sidebar.toggle  # the shared filters


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_a_message_for_an_empty_selection(data_env, page):
    at = run_page(page, EMPTY_RANGE)
    assert not at.exception
    assert "没有文章" in _texts(at.info)


@pytest.mark.parametrize("page", PAGES)
def test_junk_link_values_give_notices_and_defaults(data_env, page):
    junk = {
        "from": "not-a-date",
        "to": "2024-13-45",
        "source": ["NoSuchOutlet"],
        "once": "maybe",
        "lang": "fr",
    }
    junk |= {"type": "monsters", "n": "many", "entity": "nobody", "article": "0000000000000000"}
    at = run_page(page, junk)
    assert not at.exception
    notices = _texts(at.warning)
    for name in ("from", "to", "source", "once", "lang"):
        assert f"{name}=" in notices
    assert at.sidebar.multiselect[0].value == []  # defaults used
    assert at.sidebar.toggle[0].value is False


def test_overview_counts_follow_the_outlet_filter(data_env, seed_tables):
    kcna = int((seed_tables["articles"]["source"] == "KCNA").sum())
    at = run_page("overview", {"source": "KCNA"})
    assert not at.exception
    assert at.metric[0].value == str(kcna)
    everything = run_page("overview")
    assert everything.metric[0].value == str(len(seed_tables["articles"]))
    chart = json.loads(everything.get("plotly_chart")[0].proto.spec)
    dated = int(seed_tables["articles"]["published"].notna().sum())
    assert sum(sum(trace["y"]) for trace in chart["data"]) == dated


def test_count_each_story_once_lowers_the_article_count(data_env, seed_tables):
    dups = int(seed_tables["articles"]["dup_of"].notna().sum())
    assert dups > 0
    at = run_page("overview")
    before = int(at.metric[0].value)
    at.sidebar.toggle[0].set_value(True).run()
    assert int(at.metric[0].value) == before - dups


def test_english_switch_translates_the_interface(data_env):
    at = run_page("overview", {"lang": "en"})
    assert at.title[0].value == "Overview"
    assert at.sidebar.toggle[0].label == "Count each story once"


def test_entities_page_offers_type_and_csv_of_what_is_shown(data_env, seed_tables):
    at = run_page("entities", {"type": "person", "n": "5"})
    assert not at.exception
    if seed_tables["mentions"].empty:
        pytest.skip("no mentions in the seed yet")
    assert at.selectbox(key="ent_type").value == "person"
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert len(bars["y"]) <= 5
    person_ids = set(seed_tables["mentions"].query("type == 'person'")["entity_id"])
    assert {row[0] for row in bars["customdata"]} <= person_ids


def test_entities_link_to_an_entity_lists_its_sentences(data_env, seed_tables):
    if seed_tables["mentions"].empty:
        pytest.skip("no mentions in the seed yet")
    top = seed_tables["mentions"]["entity_id"].value_counts().index[0]
    at = run_page("entities", {"entity": top})
    assert not at.exception
    html_blocks = [h.proto.body for h in at.get("html")]
    assert any("<mark>" in body for body in html_blocks)


def test_articles_reader_opens_the_linked_article_with_marker(data_env, seed_tables):
    articles = seed_tables["articles"]
    dup = articles[articles["dup_of"].notna()].iloc[0]
    at = run_page("articles", {"article": dup["article_id"]})
    assert not at.exception
    assert at.selectbox(key="art_pick").value == dup["article_id"]
    assert "近似重复" in _texts(at.warning)  # the duplicate marker
    bodies = " ".join(h.proto.body for h in at.get("html"))
    assert "article-text" in bodies


def test_articles_search_narrows_the_list(data_env, seed_tables):
    at = run_page("articles", {"q": "溺水"})
    assert not at.exception
    hits = " ".join(h.proto.body for h in at.get("html"))
    assert hits.count('<section class="kwic-art">') == 1  # the one article, its hits in context
    at = run_page("articles", {"q": "没有这个词语"})
    assert "没有文章包含" in _texts(at.info)


def test_app_router_runs_the_default_page(data_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "概览"


def test_no_raw_documents_is_a_message_not_a_crash(tmp_path, monkeypatch):
    """The default folder is built from the bundled documents; with none readable, a message."""
    from dashboard.tables import paths

    (tmp_path / "data" / "raw").mkdir(parents=True)
    monkeypatch.delenv("DASHBOARD_DATA", raising=False)
    monkeypatch.delenv("DASHBOARD_RAW", raising=False)
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path / "data")
    at = run_page("overview")
    assert not at.exception
    assert "没有可读取的文章" in _texts(at.error)


def test_link_parsing_clamps_dates_with_a_notice_reports_junk_and_omits_defaults():
    from datetime import date

    from dashboard.app.urlstate import LinkNotice, UrlFilters, parse_url_filters, url_params_for

    lo, hi = date(2024, 7, 9), date(2024, 7, 20)
    params = {
        "from": ["2024-01-01"],
        "to": ["2024-07-15"],
        "source": ["kcna", "KCNA", "Nope"],
        "once": ["1"],
    }
    state, bad = parse_url_filters(params, ["KCNA", "Yonhap"], lo, hi)
    assert state == UrlFilters(
        "zh", lo, date(2024, 7, 15), ("KCNA",), True
    )  # clamped, case-folded, deduped
    assert bad == [
        LinkNotice("from", "2024-01-01", "clamped", "2024-07-09"),
        LinkNotice("source", "Nope"),
    ]
    assert url_params_for(state, lo, hi) == {
        "to": ["2024-07-15"],
        "source": ["KCNA"],
        "once": ["1"],
    }
    _, bad = parse_url_filters({"once": ["2"], "from": ["07/09/2024"]}, [], lo, hi)
    assert {n.name for n in bad} == {"once", "from"}
    # A link for other dates shows the whole corpus and says so; never a one-day view.
    state, bad = parse_url_filters({"from": ["2023-01-01"], "to": ["2023-02-01"]}, [], lo, hi)
    assert (state.date_from, state.date_to) == (lo, hi)
    assert [n.kind for n in bad] == ["outside"]
    state, _ = parse_url_filters({"undated": ["0"]}, [], lo, hi)
    assert not state.undated and url_params_for(state, lo, hi) == {"undated": ["0"]}


def test_link_values_cannot_inject_markdown_links(data_env):
    at = run_page("overview", {"source": "[click me](https://evil.example)"})
    assert not at.exception
    notice = _texts(at.warning)
    assert "\\[click me\\]\\(https\\:" in notice  # shown as text, not as a link


def test_reader_list_is_capped_with_a_hint_to_search(data_env, monkeypatch):
    from dashboard.app import widgets

    monkeypatch.setattr(widgets, "PICKER_LIMIT", 2)
    at = run_page("articles")
    assert not at.exception
    assert len(at.selectbox[0].options) == 2  # of the seed's five
    assert "只列出最新的 2 篇" in _texts(at.caption)


def test_the_loaded_corpus_is_kept_out_of_the_collectors_full_passes(seed_processed):
    """The app's corpus lives as long as its process: frozen, the garbage collector's full
    passes stop walking it (at 100,000 articles each pass was 50-85 ms of some rerun)."""
    import gc

    from dashboard.app import data

    data.cached_corpus(seed_processed)  # makes the cached loader
    data._cached_load.clear()
    gc.unfreeze()
    loaded = data.cached_corpus(seed_processed)
    assert gc.get_freeze_count() > 0
    walked = {id(obj) for obj in gc.get_objects()}
    assert id(loaded) not in walked and id(loaded.meta) not in walked


def test_the_sidebar_names_the_folder_the_server_was_pointed_at(data_env):
    # A server started on an archive of its own must not call it the bundled sample.
    at = run_page("overview", {"lang": "en"})
    said = _texts(at.sidebar.caption).replace("\\", "")  # the markdown's escapes
    assert f"this server's corpus {data_env.name}" in said
    assert "bundled sample" not in said


def test_a_link_number_out_of_range_is_said_and_brought_into_range(data_env):
    at = run_page("entities", {"n": "999", "lang": "en"})
    notices = _texts(at.warning).replace("\\", "")
    assert "n=999" in notices
    assert at.slider[0].value == at.slider[0].max  # the nearest allowed value


def test_a_pages_selection_is_not_kept_once_it_has_run(seed_processed):
    """A widget's callback keeps the page's globals alive until the session's next rerun: the
    filtered articles (up to 200 MB at a million) are dropped once the page has run (app.py
    calls release_page_data after it; the sessions benchmark measures the memory)."""
    from dashboard.analysis.corpus import load_corpus
    from dashboard.analysis.filters import Filters
    from dashboard.app import page

    ctx = page.PageContext("relations", load_corpus(seed_processed), Filters(), "zh")
    page._running.ctx = ctx  # as page_setup leaves it for the page that runs
    selected = ctx.articles
    assert len(selected) > 0 and "articles" in ctx.__dict__
    page.release_page_data()
    assert "articles" not in ctx.__dict__
    assert ctx.articles.equals(selected)  # asked again (a callback may), made anew
