"""The timeline as an analyst reads it: one name per country, the busiest directions first,
a heatmap at scale whose cells lead to their events, every report one step away and shown in
full, dates no more exact than the sources, and events without a date counted and listed.

Pages run under Streamlit's AppTest on processed corpora: the bundled seed, the seed with an
undated event and an outlet known only by its site, and a synthetic corpus with forty-odd
directions of travel.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from synthetic_corpus import build_synthetic

from dashboard import analysis
from dashboard.analysis.file_names import csv_name
from dashboard.analysis.filters import Filters
from dashboard.tables import store
from dashboard.tables.paths import PROJECT_ROOT

SITE = "news.example.org"
UNDATED_SENTENCE = "俄罗斯政府代表团抵达平壤，开始对朝鲜进行友好访问。"


def with_undated_and_site(seed_processed: Path, out: Path) -> Path:
    """The seed with its unknown outlets found on SITE, plus an undated article (also from
    SITE) that reports an undated visit and names both countries in one sentence."""
    tables = store.load_tables(seed_processed)
    articles = tables["articles"]
    # The seed's outlets the ingestion could not name: found on SITE.
    articles.loc[articles["source"] == "unknown", "site"] = SITE
    new = articles.iloc[[0]].copy()
    text = f"{UNDATED_SENTENCE}朝鲜和俄罗斯将加强合作。"
    new = new.assign(
        article_id="undated0000000001",
        doc="undated.txt",
        index=0,
        source="unknown",
        source_zh=None,
        published=None,
        title="俄罗斯政府代表团访问朝鲜",
        text=text,
        text_simplified=text,
        dup_of=None,
        site=SITE,
        date_source=None,
    )
    tables["articles"] = pd.concat([articles, new], ignore_index=True)
    mentions = tables["mentions"]
    extra = [
        ("RUS", "俄罗斯", 0, UNDATED_SENTENCE),
        ("PRK", "朝鲜", 19, UNDATED_SENTENCE),
        ("PRK", "朝鲜", 24, "朝鲜和俄罗斯将加强合作。"),
        ("RUS", "俄罗斯", 27, "朝鲜和俄罗斯将加强合作。"),
    ]
    rows = pd.DataFrame(
        {
            "article_id": "undated0000000001",
            "entity_id": [e[0] for e in extra],
            "surface": [e[1] for e in extra],
            "type": "country",
            "start": [e[2] for e in extra],
            "end": [e[2] + len(e[1]) for e in extra],
            "sentence": [e[3] for e in extra],
        }
    )
    tables["mentions"] = pd.concat([mentions, rows], ignore_index=True)
    events = tables["events"]
    event = (
        events.iloc[[0]]
        .copy()
        .assign(
            event_id="undatedevent0001",
            article_id="undated0000000001",
            kind="visit",
            lead=None,
            from_country="RUS",
            to_country="PRK",
            place="平壤",
            date=None,
            date_end=None,
            date_precision=None,
            approximate=False,
            time_expr=None,
            evidence=UNDATED_SENTENCE,
            story_id="travel:RUS-PRK:undated",
        )
    )
    tables["events"] = pd.concat([events, event], ignore_index=True)
    store.write_tables(out, tables, "{}")
    return out


@pytest.fixture(scope="module")
def undated_processed(seed_processed, tmp_path_factory) -> Path:
    return with_undated_and_site(seed_processed, tmp_path_factory.mktemp("undated"))


@pytest.fixture(scope="module")
def many_directions(tmp_path_factory) -> Path:
    """600 synthetic articles: visits between seven countries, forty-odd directions."""
    return build_synthetic(tmp_path_factory, 600, seed=3)


def run(data: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "timeline.py"), default_timeout=90)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def chart(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def html_blocks(at: AppTest, css: str) -> list[str]:
    return [h.proto.body for h in at.get("html") if css in h.proto.body]


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


# ---------------------------------------------------------------- 1. one name per country


def test_directions_pairs_leads_and_places_use_one_full_name(seed_processed, monkeypatch):
    # The abbreviations (俄→朝) and their helpers are gone.
    assert not hasattr(analysis.timeline, "COUNTRY_SHORT_ZH")
    assert not hasattr(analysis.timeline, "country_short")
    at = run(seed_processed, monkeypatch)
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["direction"]) == {"俄罗斯 → 朝鲜", "朝鲜 → 俄罗斯"}
    assert "朝鲜 – 俄罗斯" in at.selectbox(key="tl_pair").options  # the pair picker
    lanes = chart(at)["layout"]["yaxis"]["categoryarray"]
    assert set(lanes) == {"俄罗斯 → 朝鲜", "朝鲜 → 俄罗斯"}

    en = run(seed_processed, monkeypatch, lang="en")
    table = en.dataframe[0].value.set_index("story_id")
    assert set(table["direction"]) == {"Russia → North Korea", "North Korea → Russia"}
    assert "North Korea – Russia" in en.selectbox(key="tl_pair").options
    # Lead persons and places in English where the entities table has an English name.
    trip = table.loc["travel:PRK-RUS:2024-07-08"]
    assert trip["lead"] == "Kim Geum Chol" and trip["place"] == "Pyongyang"
    marks = [cd for tr in chart(en)["data"] if tr["mode"] == "markers" for cd in tr["customdata"]]
    assert any(cd[1] == "Alexei Krivoruchko" and cd[2] == "Pyongyang" for cd in marks)


# ---------------------------------------------------------------- 2. readable at scale


def test_the_busiest_directions_by_default_and_all_of_them_one_toggle_away(
    many_directions, monkeypatch
):
    at = run(many_directions, monkeypatch)
    assert not at.exception
    every = analysis.timeline.lane_totals(_frame(many_directions))
    assert len(every) > analysis.timeline.TOP_LANES  # forty-odd directions
    lanes = chart(at)["layout"]["yaxis"]["categoryarray"]
    assert lanes[::-1] == every["lane"].head(analysis.timeline.TOP_LANES).tolist()  # busiest on top
    assert f"显示报道最多的 8 个方向（共 {len(every)} 个方向" in captions(at)
    assert set(at.dataframe[0].value["direction"]) <= set(lanes)
    # One click shows them all, and the link keeps it.
    at.toggle(key="tl_all_lanes").set_value(True).run()
    assert len(chart(at)["layout"]["yaxis"]["categoryarray"]) == len(every)
    assert at.query_params["lanes"] in ("all", ["all"])
    linked = run(many_directions, monkeypatch, lanes="all")
    assert len(chart(linked)["layout"]["yaxis"]["categoryarray"]) == len(every)


def _frame(data: Path, lang: str = "zh") -> pd.DataFrame:
    corpus = analysis.corpus.load_corpus(data)
    labels = analysis.labels.labels_for(corpus, lang)
    articles = analysis.filters.filter_articles(corpus, Filters())
    return analysis.timeline.timeline_frame(corpus.events, articles, labels=labels)


def test_a_crowded_timeline_is_a_heatmap_whose_cells_list_their_events_and_open_reports(
    many_directions, monkeypatch
):
    # Few marks per direction here; the limit lowered to what a 20,000-article corpus meets.
    monkeypatch.setattr(analysis.timeline, "MAX_MARKS_PER_LANE", 5)
    at = run(many_directions, monkeypatch, lanes="all")
    assert not at.exception
    spec = chart(at)
    heat, marks = spec["data"]
    assert heat["type"] == "heatmap"
    assert "would overlap" in captions(at) or "重叠" in captions(at)
    # A click on a cell (the invisible mark on it carries its id) lists its events only.
    cell = marks["customdata"][0][0]
    stories = analysis.timeline_buckets.cell_stories(_frame(many_directions), cell)
    at = run(many_directions, monkeypatch, lanes="all", cell=cell)
    listed = at.dataframe[0].value
    assert sorted(listed["story_id"]) == sorted(stories["story_id"])
    assert "所选格子" in captions(at)
    # Choosing one of them opens its reports, each with a link to the reader.
    at = run(many_directions, monkeypatch, lanes="all", cell=cell, story=listed["story_id"][0])
    (reports,) = html_blocks(at, "tl-reports")
    assert reports.count("<li>") >= 1 and 'href="articles?' in reports
    assert at.dataframe[0].value["story_id"].tolist() == listed["story_id"].tolist()


# ---------------------------------------------------------------- 3. according to which outlet


def test_reports_are_shown_in_full_escaped_with_the_site_of_an_unknown_outlet(
    undated_processed, monkeypatch
):
    # A report whose outlet is unknown names the site it came from, in the table and list.
    corpus = analysis.corpus.load_corpus(undated_processed)
    story = "travel:RUS-PRK:2024-07-18"
    at = run(undated_processed, monkeypatch, story=story)
    assert not at.exception
    (reports,) = html_blocks(at, "tl-reports")
    assert f"未知媒体 ({SITE})" in reports and "朝中社" in reports
    outlets = at.dataframe[0].value.set_index("story_id").loc[story, "outlets"]
    assert f"未知媒体 ({SITE})" in outlets
    for sentence in corpus.events[corpus.events["story_id"] == story]["evidence"]:
        assert sentence in reports  # every sentence whole, not cut off
    assert "阅读原文" in reports and reports.count('href="articles?') == reports.count("<li>")


def test_an_evidence_sentence_with_markup_is_shown_as_text():
    from dashboard.figures.evidence import evidence_html

    body = evidence_html(
        [{"sentence": '<img src=x onerror="alert(1)">朝鲜', "link": 'articles?a="b"', "date": "—"}],
        "zh",
    )
    assert "<img" not in body and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;朝鲜" in body
    assert 'href="articles?a=&quot;b&quot;"' in body


# ---------------------------------------------------------------- 4. uncertainty shown


def test_dates_are_no_more_exact_than_the_reports_and_show_the_words_read(
    seed_processed, monkeypatch
):
    at = run(seed_processed, monkeypatch)
    table = at.dataframe[0].value.set_index("story_id")
    # Known only to the month, and roughly: no made-up day, and the words beside it.
    vague = table.loc["travel:RUS-PRK:2024-06-04"]
    assert vague["date"] == "约 2024-06 – 2024-07" and vague["time_expr"] == "一个月前"
    hover = [
        cd[3]
        for tr in chart(at)["data"]
        if tr["mode"] == "markers"
        for cd in tr["customdata"]
        if cd[0] == "travel:RUS-PRK:2024-06-04"
    ]
    assert hover == ["约 2024-06 – 2024-07"]
    # The summit: one report knows the day, others only the month (今年6月).
    at = run(seed_processed, monkeypatch, story="summit:PRK-RUS:2024-06-19")
    (reports,) = html_blocks(at, "tl-reports")
    assert '<span class="date">2024-06</span> · <span class="words">原文：今年6月</span>' in reports
    assert '<span class="date">2024-06-19</span>' in reports
    # 本月初 (early this month): a window inside one month, known to the month.
    labels = analysis.labels.Labels("zh")
    assert labels.date(date(2025, 9, 1), "month", True, date(2025, 9, 10)) == "约 2025-09"
    assert labels.date(date(2024, 3, 1), "year", False, date(2024, 6, 30)) == "2024"


# ---------------------------------------------------------------- 5. undated events


def test_events_without_a_date_are_counted_and_listed_not_dropped(undated_processed, monkeypatch):
    at = run(undated_processed, monkeypatch)
    assert not at.exception
    assert "另有 1 个事件没有日期" in captions(at)
    (expander,) = [e for e in at.expander if "无日期的事件" in e.label]
    assert "1 个" in expander.label
    (listing,) = html_blocks(at, "tl-undated")
    assert UNDATED_SENTENCE in listing and 'href="articles?' in listing
    assert "俄罗斯 → 朝鲜" in listing
    # The timeline itself draws only dated events.
    ids = {cd[0] for tr in chart(at)["data"] if tr["mode"] == "markers" for cd in tr["customdata"]}
    assert "travel:RUS-PRK:undated" not in ids
    # Left out by the pair filter, it is not counted either.
    other = run(undated_processed, monkeypatch, kind="summit")
    assert "没有日期" not in captions(other)


# ---------------------------------------------------------------- numbers and file names


def test_counts_have_thousands_separators_and_csv_names_carry_the_filters():
    f = Filters(date(2024, 7, 1), date(2024, 7, 31), ("KCNA", "China News Service"), True)
    assert (
        csv_name("timeline", f) == "timeline_2024-07-01_2024-07-31_KCNA+China-News-Service_once.csv"
    )
    assert (
        csv_name("timeline", Filters(), date(2024, 7, 9), date(2024, 7, 20), "PRK-RUS", None)
        == "timeline_2024-07-09_2024-07-20_PRK-RUS.csv"
    )
    assert (
        csv_name("x", Filters(undated=False, sources=tuple("ABCDE"))) == "x_A+B+C+2more_dated.csv"
    )
    labels = analysis.labels.Labels("zh")
    assert labels.number(16771) == "16,771"


def test_junk_values_of_the_new_link_parameters_are_notices_not_errors(seed_processed, monkeypatch):
    at = run(seed_processed, monkeypatch, lanes="maybe", cell="cell:W|XX>YY|2024-07-01")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "lanes=maybe" in notices and "cell=" in notices
    assert not at.toggle(key="tl_all_lanes").value
    rel = AppTest.from_file(str(PROJECT_ROOT / "pages" / "relations.py"), default_timeout=90)
    for name, value in {
        "measure": "loudness",
        "pairs": "1",
        "period": "Q",
        "pair": "PRK-RUS",
    }.items():
        rel.query_params[name] = value
    rel.run()
    assert not rel.exception
    notices = " ".join(w.value for w in rel.warning)
    for name in ("measure=loudness", "pairs=1", "period=Q"):
        assert name in notices
    assert rel.selectbox(key="rel_measure").value == "events"
    assert rel.selectbox(key="rel_freq").value == "auto"
