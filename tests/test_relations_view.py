"""The relations page as an analyst reads it: one name per country, a map fitted to the pairs
in view with a choice of what its lines measure and the chosen pair standing out, evidence in
full and newest first, dates no more exact than the sources, undated evidence counted, and
the strength over time drawn on a true time axis.

Pages run under Streamlit's AppTest on processed corpora (see test_timeline_view for the
corpora: the seed, the seed with an undated report, a synthetic corpus of seven countries).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from synthetic_corpus import build_synthetic
from test_timeline_view import SITE, UNDATED_SENTENCE, with_undated_and_site

from dashboard import analysis, figures
from dashboard.figures.style import DAY_MS
from dashboard.tables.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def undated_processed(seed_processed, tmp_path_factory) -> Path:
    return with_undated_and_site(seed_processed, tmp_path_factory.mktemp("undated_rel"))


@pytest.fixture(scope="module")
def seven_countries(tmp_path_factory) -> Path:
    return build_synthetic(tmp_path_factory, 600, seed=5, name="synth_rel")


def run(data: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "relations.py"), default_timeout=90)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def spec(at: AppTest, i: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def lines(figure: dict) -> dict[str, dict]:
    return {t["name"][5:]: t for t in figure["data"] if (t.get("name") or "").startswith("pair:")}


def evidence(at: AppTest) -> str:
    (body,) = [h.proto.body for h in at.get("html") if "rel-evidence" in h.proto.body]
    return body


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


# ---------------------------------------------------------------- 1. one name per country


def test_pair_picker_table_evidence_and_legend_name_countries_in_full(seed_processed, monkeypatch):
    at = run(seed_processed, monkeypatch, pair="PRK-RUS")
    assert not at.exception
    assert at.selectbox(key="rel_pick_box").value == "PRK-RUS"
    assert "朝鲜 – 俄罗斯" in at.selectbox(key="rel_pick_box").options
    row = at.dataframe[0].value.set_index("pair").loc["PRK-RUS"]
    assert (row["a"], row["b"]) == ("朝鲜", "俄罗斯")
    assert "依据：朝鲜 – 俄罗斯" in [s.value for s in at.subheader]
    assert "访问 朝鲜 → 俄罗斯" in evidence(at) or "启程前往 朝鲜 → 俄罗斯" in evidence(at)
    legend = [t["name"] for t in spec(at, 1)["data"]]
    assert legend == ["同句共现", "访问 朝鲜 → 俄罗斯", "访问 俄罗斯 → 朝鲜", "会见/会谈"]
    mids = [t for t in spec(at)["data"] if t.get("name") == "国家对"]
    assert any("<b>朝鲜 – 俄罗斯</b>" in text for t in mids for text in t["hovertext"])
    # The chosen pair's midpoint is drawn last, above every line and arrow.
    assert spec(at)["data"][-1]["customdata"] == ["PRK-RUS"]
    en = run(seed_processed, monkeypatch, pair="PRK-RUS", lang="en")
    assert "North Korea – Russia" in en.selectbox(key="rel_pick_box").options
    assert "visits North Korea → Russia" in [t["name"] for t in spec(en, 1)["data"]]


def test_choosing_a_pair_in_the_picker_shows_its_evidence(seed_processed, monkeypatch):
    at = run(seed_processed, monkeypatch)
    assert not at.get("html")
    at.selectbox(key="rel_pick_box").select("PRK-RUS").run()
    assert not at.exception
    assert "金正恩" in evidence(at)
    assert at.query_params["pair"] in ("PRK-RUS", ["PRK-RUS"])


# ---------------------------------------------------------------- 2. the map at scale


def test_map_draws_the_strongest_pairs_by_what_the_lines_measure(seven_countries, monkeypatch):
    corpus = analysis.corpus.load_corpus(seven_countries)
    articles = analysis.filters.filter_articles(corpus, analysis.filters.Filters())
    pairs = analysis.relations.country_pairs(
        articles, corpus.mentions, corpus.entities, corpus.events
    )
    with_events = pairs[pairs["events"] > 0]
    assert len(with_events) > figures.relations.TOP_PAIRS
    at = run(seven_countries, monkeypatch)
    assert not at.exception
    drawn = lines(spec(at))
    strongest = analysis.relations.rank_pairs(pairs, "events")["pair"].head(10)
    assert set(drawn) == set(strongest)
    assert "地图画出最强的 10 对" in captions(at)
    # The rest one click away, kept in the link.
    at.toggle(key="rel_all_pairs").set_value(True).run()
    assert set(lines(spec(at))) == set(with_events["pair"])
    assert at.query_params["pairs"] in ("all", ["all"])
    # Co-mentions instead: other widths, no visit arrows; the table follows the measure.
    co = run(seven_countries, monkeypatch, measure="co", pairs="all")
    widths = {k: t["line"]["width"] for k, t in lines(spec(co)).items()}
    top_co = analysis.relations.rank_pairs(pairs, "co").iloc[0]["pair"]
    assert widths[top_co] == max(widths.values())
    assert not [t for t in spec(co)["data"] if (t.get("name") or "").startswith("visit:")]
    assert co.dataframe[0].value.iloc[0]["pair"] == top_co


def test_map_is_fitted_to_the_pairs_in_view_and_the_chosen_pair_stands_out(
    seed_processed, monkeypatch
):
    at = run(seed_processed, monkeypatch, pair="PRK-RUS")
    geo = spec(at)["layout"]["geo"]
    lo, hi = geo["lonaxis"]["range"]
    assert hi - lo < 150 and lo <= 105 and hi >= 127  # North Korea and Russia, not the world
    assert geo.get("fitbounds") is False
    chosen = lines(spec(at))["PRK-RUS"]
    assert chosen["line"]["color"] == figures.relations.CHOSEN_COLOR
    plain = lines(spec(run(seed_processed, monkeypatch)))["PRK-RUS"]
    assert plain["line"]["color"] != figures.relations.CHOSEN_COLOR
    assert chosen["line"]["width"] > plain["line"]["width"]
    # A chosen pair outside the strongest ones is drawn anyway.
    co_only = run(seed_processed, monkeypatch, pair="PRK-UKR")
    assert lines(spec(co_only))["PRK-UKR"]["line"]["color"] == figures.relations.CHOSEN_COLOR


def test_the_view_crosses_the_pacific_when_that_is_narrower():
    from dashboard.figures.geo import fit_view

    view = fit_view([(39.8, -98.6), (36.4, 127.9)])  # the United States and South Korea
    lo, hi = view["lonaxis_range"]
    assert hi - lo < 180 and lo < 127.9 and hi > 180  # over the Pacific, not over Europe


# ---------------------------------------------------------------- 3. evidence: whose, in full


def test_evidence_is_newest_first_in_full_with_outlets_named_by_their_site(
    undated_processed, monkeypatch
):
    at = run(undated_processed, monkeypatch, pair="PRK-RUS", measure="all")
    assert not at.exception
    body = evidence(at)
    dates = _dates(body)
    assert len(dates) > 10 and dates == sorted(dates, reverse=True)
    assert f"未知媒体 ({SITE})" in body and "朝中社" in body
    corpus = analysis.corpus.load_corpus(undated_processed)
    long = max(corpus.events["evidence"], key=len)
    assert long in body  # not cut off
    assert body.count('href="articles?') == body.count("<li>")


def _dates(body: str) -> list[str]:
    """The date of each piece of evidence (an event's own, or its article's)."""
    import re

    return re.findall(r'<span class="date">(?:发布于 )?([0-9][0-9-]*)', body)


# ---------------------------------------------------------------- 4. how precisely dated


def test_evidence_dates_are_no_more_exact_than_the_source(seed_processed, monkeypatch):
    at = run(seed_processed, monkeypatch, pair="PRK-RUS", measure="all")
    body = evidence(at)
    # 今年6月: the month only, with the words it was read from.
    assert '<span class="date">2024-06</span> · <span class="words">原文：今年6月</span>' in body
    # A co-mention is dated by its article, and says so.
    assert "发布于 2024-07-20" in body
    # The pair's first date is that month, not its first day.
    assert at.dataframe[0].value.set_index("pair").loc["PRK-RUS", "first"] == "2024-06"


# ---------------------------------------------------------------- 5. undated evidence


def test_undated_evidence_is_counted_not_drawn(undated_processed, monkeypatch):
    at = run(undated_processed, monkeypatch, pair="PRK-RUS", measure="all")
    assert "另有 3 条依据没有日期" in captions(at)
    bars = spec(at, 1)["data"]
    drawn = sum(sum(t["y"]) for t in bars)
    assert drawn + 3 == evidence(at).count("<li>")
    assert UNDATED_SENTENCE in evidence(at)


# ---------------------------------------------------------------- 6. time drawn truthfully


def test_strength_over_time_bins_by_span_with_bars_as_wide_as_their_bin(
    seed_processed, monkeypatch
):
    at = run(seed_processed, monkeypatch, pair="PRK-RUS")
    figure = spec(at, 1)
    # Seven weeks of evidence: a bar a day, each a day wide, on a date axis with years.
    bars = figure["data"][0]
    assert bars["type"] == "bar" and bars["width"] == pytest.approx(0.85 * DAY_MS)
    days = bars["x"]
    assert days == sorted(days) and len(days) == len(set(days))
    import pandas as pd

    steps = pd.to_datetime(pd.Series(days)).diff().dropna().dt.days
    assert set(steps) == {1}  # every day a slot: a day without evidence is a gap
    assert any(sum(t["y"][i] for t in figure["data"]) == 0 for i in range(len(days)))
    axis = figure["layout"]["xaxis"]
    assert axis["type"] == "date" and "%Y" in json.dumps(axis["tickformatstops"])
    # The period can be chosen, and the link keeps it.
    weekly = run(seed_processed, monkeypatch, pair="PRK-RUS", period="W")
    bars = spec(weekly, 1)["data"][0]
    assert bars["width"] == pytest.approx(0.85 * 7 * DAY_MS) and bars["offset"] == 0
    assert weekly.selectbox(key="rel_freq").value == "W"
