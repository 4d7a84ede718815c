"""Attention over time: boolean queries as an analyst writes them, counts and shares per
period and outlet that agree with a plain reading of the texts, gaps where nobody
published, undated articles counted apart, and the page under AppTest (queries in the link,
a point opening its articles in the reader, the entity picker, CSV, both languages)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, unquote

import numpy as np
import pandas as pd
import pytest
from attention_corpus import build_attention_corpus
from streamlit.testing.v1 import AppTest

from dashboard.analysis import attention, query
from dashboard.analysis.corpus import load_corpus
from dashboard.analysis.filters import Filters
from dashboard.analysis.labels import labels_for
from dashboard.common.textnorm import to_simplified
from dashboard.figures import attention as chart
from dashboard.figures.style import outlet_colors

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    return build_attention_corpus(tmp_path_factory.mktemp("attention_corpus"))


@pytest.fixture(scope="module")
def corpus(processed):
    return load_corpus(processed)


def _parse(corpus, text: str) -> query.Query:
    return query.parse_query(text, query.entity_lookup(corpus))


def _holds(corpus, word: str) -> np.ndarray:
    """A plain reading: the article's title or text, in Simplified, holds the word."""
    texts = corpus.texts_at(range(len(corpus.articles)))["text"].map(to_simplified)
    titles = corpus.articles["title"].map(to_simplified)
    return (
        texts.str.contains(word, regex=False) | titles.str.contains(word, regex=False)
    ).to_numpy()


# ---------------------------------------------------------------- the query language


def test_queries_read_as_an_analyst_writes_them():
    tree = query.parse_query("朝鲜 AND 俄罗斯").tree
    assert tree == ("and", (("word", "朝鲜"), ("word", "俄罗斯")))
    assert query.parse_query("朝鲜 俄罗斯").tree == tree  # a space means AND
    assert query.parse_query("朝鲜 and 俄罗斯").key == query.parse_query("朝鲜 AND 俄罗斯").key
    visit = query.parse_query("访问 NOT 取消")
    assert visit.tree == ("and", (("word", "访问"), ("not", ("word", "取消"))))
    assert visit.words == ("访问",)  # what is marked: never the word left out
    either = query.parse_query("(普京 OR 拉夫罗夫) 平壤").tree
    assert either == ("and", (("or", (("word", "普京"), ("word", "拉夫罗夫"))), ("word", "平壤")))
    # OR binds loosest: a OR b AND c is a OR (b AND c)
    assert query.parse_query("a OR b c").tree[0] == "or"
    assert query.parse_query("“战略 伙伴”").tree == ("word", "战略 伙伴")  # a phrase as written
    assert query.parse_query("俄羅斯").words == ("俄罗斯",)  # Traditional read in Simplified
    assert query.parse_query("Putin").words == ("putin",)  # any case


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("(朝鲜 OR 俄罗斯", "paren"),
        ("朝鲜)", "paren"),
        ("朝鲜 AND", "operator"),
        ("OR 朝鲜", "operator"),
        ('"朝鲜', "quote"),
        ("entity:NOWHERE", "entity"),
        (" ".join(["词"] * 13), "too_long"),
    ],
)
def test_a_query_that_cannot_be_read_says_why(corpus, text, reason):
    with pytest.raises(query.QueryError) as error:
        _parse(corpus, text)
    assert error.value.reason == reason


def test_an_entity_is_named_by_its_id_or_its_name(corpus):
    assert _parse(corpus, "entity:PRK").entities == ("PRK",)
    assert _parse(corpus, "entity:朝鲜").entities == ("PRK",)
    assert _parse(corpus, 'entity:"north korea" 访问').entities == ("PRK",)
    assert _parse(corpus, "entity:prk").entities == ("PRK",)
    assert query.as_phrase("AND") == '"AND"' and query.as_phrase("朝鲜") == "朝鲜"
    assert query.parse_query(query.as_phrase("a (b)")).words == ("a (b)",)


def test_matching_is_a_plain_reading_of_title_and_text_in_either_script(corpus):
    both = query.query_mask(corpus, _parse(corpus, "朝鲜 AND 俄罗斯"))
    expected = _holds(corpus, "朝鲜") & _holds(corpus, "俄罗斯")
    assert (both == expected).all() and both.sum() > 5
    traditional = corpus.articles["title"] == "朝鮮與俄羅斯舉行會談"
    assert both[traditional.to_numpy()].all()  # written 朝鮮與俄羅斯
    assert (query.query_mask(corpus, _parse(corpus, "朝鮮 AND 俄羅斯")) == both).all()
    visits = query.query_mask(corpus, _parse(corpus, "访问 NOT 取消"))
    assert (visits == (_holds(corpus, "访问") & ~_holds(corpus, "取消"))).all()
    assert visits.sum() and (_holds(corpus, "访问") & _holds(corpus, "取消")).sum()


def test_an_entity_counts_the_articles_that_name_it_by_any_name(corpus):
    entity = query.query_mask(corpus, _parse(corpus, "entity:PRK"))
    word = query.query_mask(corpus, _parse(corpus, "朝鲜"))
    only_alias = _holds(corpus, "北韩") & ~_holds(corpus, "朝鲜")
    assert only_alias.sum() >= 10
    assert entity[only_alias].all() and not word[only_alias].any()
    named = corpus.mentions.loc[corpus.mentions["entity_id"] == "PRK", "article_pos"]
    assert entity.sum() == named.nunique()
    marks = query.mark_words(corpus, _parse(corpus, "entity:PRK"))
    assert {"朝鲜", "北韩"} <= set(marks)


# ---------------------------------------------------------------- counts and shares


def test_counts_per_day_agree_with_the_texts_and_shares_divide_by_the_days_articles(corpus):
    queries = [_parse(corpus, "朝鲜 AND 俄罗斯"), _parse(corpus, "访问 NOT 取消")]
    series, period = attention.attention_series(corpus, Filters(), queries)
    assert period == "D"  # three weeks: a bar a day
    days = pd.to_datetime(corpus.articles["published"])
    for i, text in enumerate(["朝鲜 AND 俄罗斯", "访问 NOT 取消"]):
        mask = query.query_mask(corpus, _parse(corpus, text))
        rows = series[series["query"] == i].set_index("period")
        for day in (1, 5, 11, 21):
            on_day = (days == pd.Timestamp(2024, 7, day)).to_numpy()
            row = rows.loc[date(2024, 7, day)]
            assert row["articles"] == (on_day & mask).sum()
            assert row["total"] == on_day.sum()
            assert row["share"] == pytest.approx(row["articles"] / row["total"])
    # Nobody published on 8–10 July: those days are in the series, as gaps.
    gap = series[series["period"].isin([date(2024, 7, d) for d in (8, 9, 10)])]
    assert len(gap) == 6 and (gap["total"] == 0).all() and gap["share"].isna().all()


def test_per_outlet_each_outlet_is_divided_by_its_own_articles(corpus):
    queries = [_parse(corpus, "entity:PRK")]
    overall, _ = attention.attention_series(corpus, Filters(), queries)
    by_outlet, _ = attention.attention_series(corpus, Filters(), queries, by="outlet")
    assert set(by_outlet["source"]) == {"Xinhua", "TASS", "KCNA", "CNA"}
    summed = by_outlet.groupby("period")[["articles", "total"]].sum()
    assert (summed["articles"].to_numpy() == overall["articles"].to_numpy()).all()
    assert (summed["total"].to_numpy() == overall["total"].to_numpy()).all()
    cna = by_outlet[by_outlet["source"] == "CNA"]
    assert cna["share"].notna().sum() == 1  # CNA published on one day only: gaps elsewhere
    assert int(by_outlet["articles"].sum()) == int(
        (query.query_mask(corpus, queries[0]) & corpus.articles["published"].notna()).sum()
    )


def test_undated_articles_are_counted_apart_and_follow_the_filter(corpus):
    queries = [_parse(corpus, "朝鲜 AND 俄罗斯"), _parse(corpus, "访问")]
    assert attention.undated_matches(corpus, Filters(), queries) == [2, 0]
    series, _ = attention.attention_series(corpus, Filters(), queries)
    dated = query.query_mask(corpus, queries[0]) & corpus.articles["published"].notna()
    assert series.loc[series["query"] == 0, "articles"].sum() == dated.sum()
    assert attention.undated_matches(corpus, Filters(undated=False), queries) == [0, 0]
    assert attention.undated_matches(corpus, Filters(sources=("KCNA",)), queries) == [0, 0]


def test_weeks_start_on_monday_and_hold_the_days_articles(corpus):
    queries = [_parse(corpus, "朝鲜")]
    daily, _ = attention.attention_series(corpus, Filters(), queries, period="D")
    weekly, _ = attention.attention_series(corpus, Filters(), queries, period="W")
    assert all(pd.Timestamp(p).day_of_week == 0 for p in weekly["period"])
    assert weekly["articles"].sum() == daily["articles"].sum()
    assert attention.period_end(np.datetime64("2024-02-01"), "M") == np.datetime64("2024-03-01")


def test_a_point_lists_exactly_the_articles_it_counts(corpus):
    chosen = _parse(corpus, "entity:PRK")
    series, period = attention.attention_series(corpus, Filters(), [chosen], by="outlet")
    row = series[(series["articles"] > 0)].iloc[0]
    rows = attention.point_articles(
        corpus, Filters(), chosen, row["period"], period, [row["source"]]
    )
    assert len(rows) == row["articles"]
    assert set(rows["source"]) == {row["source"]}
    hits = attention.with_hits(corpus, rows, query.mark_words(corpus, chosen))
    assert (hits["hits"] > 0).all()
    assert all(f in ("朝鲜", "北韩", "朝鲜 北韩", "北韩 朝鲜") for f in hits["found"])
    pid = attention.point_id(0, row["period"], row["source"])
    assert attention.parse_point(pid) == (0, row["period"], row["source"])
    assert attention.parse_point("0:2024-07-01") is None
    assert attention.parse_point("1:July") is None


def test_the_download_names_the_query_the_period_and_the_outlet(corpus):
    queries = [_parse(corpus, "朝鲜 AND 俄罗斯")]
    series, period = attention.attention_series(corpus, Filters(), queries, by="outlet")
    frame = attention.export_frame(series, ["朝鲜 AND 俄罗斯"], period)
    assert list(frame.columns) == attention.EXPORT_COLUMNS
    assert set(frame["query"]) == {"朝鲜 AND 俄罗斯"}
    assert frame["period_start"].iloc[0] == "2024-07-01" and "KCNA" in set(frame["outlet"])


# ---------------------------------------------------------------- the chart


def _figure(corpus, texts, lang="zh", **kw):
    queries = [_parse(corpus, t) for t in texts]
    by = kw.pop("by", "query")
    series, period = attention.attention_series(corpus, Filters(), queries, by=by)
    labels = labels_for(corpus, lang)
    colors = outlet_colors(labels.outlet_order)
    names = [chart.query_label(t, labels, query.entity_lookup(corpus)) for t in texts]
    fig = chart.attention_figure(series, names, labels, colors, period, by=by, **kw)
    return fig, series, colors, names


def test_count_bars_share_their_day_and_open_their_point(corpus):
    fig, series, colors, names = _figure(corpus, ["朝鲜 AND 俄罗斯", "entity:PRK"])
    assert names == ["朝鲜 AND 俄罗斯", "实体:朝鲜"]
    one, two = fig.data
    assert one.type == "bar" and one.width == two.width == pytest.approx(86_400_000 * 0.85 / 2)
    assert two.offset - one.offset == pytest.approx(one.width)  # side by side inside the day
    gap_days = {np.datetime64(f"2024-07-{d:02d}") for d in (8, 9, 10)}
    assert not gap_days & {np.datetime64(x, "D") for x in one.x}  # no bar where nobody wrote
    ids = chart.point_ids(series, colors)
    assert [c[0] for c in one.customdata] == [i for i in ids if i.startswith("1:")]
    assert "该期共" in one.customdata[0][1]


def test_share_lines_break_where_nobody_published(corpus):
    fig, *_ = _figure(corpus, ["访问 NOT 取消"], measure="share")
    line = fig.data[0]
    assert line.mode == "lines+markers" and line.connectgaps is False
    y = np.array(line.y, dtype=float)
    assert np.isnan(y).sum() == 3 and np.nanmax(y) <= 1
    assert fig.layout.yaxis.tickformat.endswith("%")


def test_per_outlet_one_panel_per_query_in_the_outlets_own_colours(corpus):
    fig, _, colors, _ = _figure(corpus, ["朝鲜", "访问"], lang="en", by="outlet")
    axes = {t.yaxis for t in fig.data}
    assert axes == {"y", "y2"}
    xinhua = [t for t in fig.data if t.name == "Xinhua"]
    assert len(xinhua) == 2 and {t.marker.color for t in xinhua} == {colors["Xinhua"]}
    assert sum(bool(t.showlegend) for t in xinhua) == 1  # one legend entry per outlet
    top, bottom = fig.layout.yaxis.domain, fig.layout.yaxis2.domain
    assert bottom[1] < top[0]  # panels do not overlap
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["朝鲜", "访问"]


# ---------------------------------------------------------------- the page


@pytest.fixture
def data_env(processed, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(processed))
    return processed


def run_page(params: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "attention.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def _chart(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_queries_in_the_link_draw_one_series_each_and_say_what_is_undated(data_env):
    at = run_page({"query": ["朝鲜 AND 俄罗斯", "entity:PRK", "访问 NOT 取消"]})
    assert not at.exception
    assert at.text_area(key="att_queries").value == "朝鲜 AND 俄罗斯\nentity:PRK\n访问 NOT 取消"
    names = [t["name"] for t in _chart(at)["data"]]
    assert names == ["朝鲜 AND 俄罗斯", "实体:朝鲜", "访问 NOT 取消"]
    captions = _texts(at.caption)
    assert (
        "没有日期的文章不在时间轴上" in captions
        and "“朝鲜 AND 俄罗斯” 2 篇；“实体\\:朝鲜” 2 篇" in captions
    )
    body = _html(at)
    assert "concordance?q=entity%3APRK" in body  # every occurrence, one click away
    button = at.get("download_button")[0]
    assert button.proto.label == "下载数据(CSV)"


def test_a_query_that_cannot_be_read_is_named_and_the_others_are_drawn(data_env):
    at = run_page({"query": ["朝鲜 AND", "访问"]})
    assert not at.exception
    assert "朝鲜 AND" in _texts(at.warning) and "缺少词语" in _texts(at.warning)
    assert [t["name"] for t in _chart(at)["data"]] == ["访问"]


def test_without_a_query_the_page_offers_examples(data_env):
    at = run_page({})
    assert not at.exception
    assert "每行一个" in _texts(at.info)
    assert "query=entity%3APRK" in _html(at) or "query=entity%3ARUS" in _html(at)


def test_a_point_in_the_link_lists_its_articles_linked_to_the_reader_with_the_query(
    data_env, corpus
):
    at = run_page(
        {"query": ["访问 NOT 取消", "entity:PRK"], "by": "outlet", "point": "2:2024-07-02:KCNA"}
    )
    assert not at.exception
    expected = attention.point_articles(
        corpus, Filters(), _parse(corpus, "entity:PRK"), date(2024, 7, 2), "D", ["KCNA"]
    )
    assert len(expected) >= 1
    assert f"{len(expected)} 篇" in at.subheader[0].value and "朝中社" in at.subheader[0].value
    sections = re.findall(r'<section class="kwic-art">.*?</section>', _html(at), flags=re.S)
    assert len(sections) == len(expected)
    href = re.search(r'href="(articles\?[^"]+)"', sections[0]).group(1).replace("&amp;", "&")
    params = parse_qs(href.split("?", 1)[1])
    assert params["article"][0] in set(expected["article_id"])
    assert set(params["q"][0].split()) <= {"朝鲜", "北韩"}
    assert '<mark class="hit">' in sections[0]
    assert at.query_params["point"] in ("2:2024-07-02:KCNA", ["2:2024-07-02:KCNA"])


def test_a_point_outside_the_chart_is_ignored_with_a_notice(data_env):
    at = run_page({"query": ["朝鲜"], "point": "7:2024-07-02"})
    assert not at.exception
    assert "point=7:2024-07-02" in _texts(at.warning).replace("\\", "")
    assert not at.subheader


def test_picking_an_entity_adds_it_as_a_query(data_env):
    at = run_page({"query": ["访问"]})
    at.selectbox(key="att_add").set_value("PRK").run()
    assert not at.exception
    assert at.text_area(key="att_queries").value == "访问\nentity:PRK"
    assert at.query_params["query"] == ["访问", "entity:PRK"]
    assert [t["name"] for t in _chart(at)["data"]] == ["访问", "实体:朝鲜"]


def test_measure_and_lines_live_in_the_link(data_env):
    at = run_page({"query": ["朝鲜"], "measure": "share", "by": "outlet"})
    spec = _chart(at)
    assert {t["type"] for t in spec["data"]} == {"scatter"}
    assert {t["name"] for t in spec["data"]} == {"新华社", "塔斯社", "朝中社", "中央社"}
    at.segmented_control(key="att_measure").set_value("count").run()
    assert "measure" not in at.query_params and at.query_params["by"] in ("outlet", ["outlet"])
    bad = run_page({"query": ["朝鲜"], "measure": "loudness"})
    assert "measure=loudness" in _texts(bad.warning)


def test_the_english_page_shows_no_chinese_interface_words(data_env):
    at = run_page({"query": ["访问", "entity:PRK"], "point": "1:2024-07-02", "lang": "en"})
    assert not at.exception
    shown = [
        _texts(at.main.get(kind))
        for kind in ("title", "caption", "markdown", "info", "warning", "subheader")
    ]
    shown += [w.label for w in at.main.get("text_area") + at.main.get("selectbox")]
    shown += [w.help or "" for w in at.main.get("text_area")]
    shown += [w.placeholder or "" for w in at.main.get("text_area") + at.main.get("selectbox")]
    from test_articles_page import _interface_text

    shown += [_interface_text(h.proto.body) for h in at.get("html")]
    spec = _chart(at)
    shown += [spec["layout"]["yaxis"]["title"]["text"], spec["layout"]["xaxis"]["title"]["text"]]
    shown += [re.sub(r"<br>.*", "", t["customdata"][0][1]) for t in spec["data"]]
    words = " ".join(shown).replace("“访问”", "“”").replace("访问", "")
    words = unquote(words)
    assert not CJK.search(words), CJK.findall(words)[:20]
    assert "entity: North Korea" in [t["name"] for t in spec["data"]]


def test_the_clicked_point_stands_out_and_the_rest_is_dimmed(corpus):
    queries = [_parse(corpus, "朝鲜"), _parse(corpus, "访问")]
    series, period = attention.attention_series(corpus, Filters(), queries)
    labels = labels_for(corpus, "zh")
    colors = outlet_colors(labels.outlet_order)
    chosen = attention.point_id(1, date(2024, 7, 5))
    fig = chart.attention_figure(series, ["朝鲜", "访问"], labels, colors, period, selected=chosen)
    first, second = fig.data
    assert list(first.selectedpoints) == []
    assert [second.customdata[i][0] for i in second.selectedpoints] == [chosen]
    assert second.unselected.marker.opacity < 1
    plain = chart.attention_figure(series, ["朝鲜", "访问"], labels, colors, period)
    assert plain.data[0].selectedpoints is None
