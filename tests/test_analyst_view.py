"""What an analyst must be able to trust: one colour per outlet, one name per country, dates as
precise as they are known, undated articles counted and never dropped silently, evidence one
row per sentence with exactly the counted words marked, fair outlet comparisons."""

from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import analysis, figures
from dashboard.analysis.corpus import load_corpus
from dashboard.analysis.filters import Filters
from dashboard.analysis.labels import Labels, date_text
from dashboard.figures.style import OUTLET_PALETTE, UNKNOWN_COLOR, outlet_colors

ROOT = Path(__file__).resolve().parents[1]


def _page(page: str, data: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _chart(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def _html(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


# ---------------------------------------------------------------- colours


def _lab(color: str) -> np.ndarray:
    rgb = np.array([int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    rgb = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = xyz @ rgb / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_the_palette_tells_24_outlets_apart_and_none_looks_like_unknown():
    labs = [_lab(c) for c in OUTLET_PALETTE]
    assert len(set(OUTLET_PALETTE)) == len(OUTLET_PALETTE) >= 24
    closest = min(
        np.linalg.norm(a - b) for i, a in enumerate(labs) for b in labs[i + 1 :]
    )  # CIE76: above ~20 reads as a different colour at a glance
    assert closest >= 20
    grey = _lab(UNKNOWN_COLOR)
    assert math.hypot(grey[1], grey[2]) < 5  # unknown is grey ...
    assert all(math.hypot(lab[1], lab[2]) > 25 for lab in labs)  # ... no outlet is


def test_an_outlet_keeps_its_colour_on_every_chart_and_selection(real_pages_processed, monkeypatch):
    corpus = load_corpus(real_pages_processed)
    expected = outlet_colors(analysis.labels.outlet_order(corpus))
    at = _page("overview", real_pages_processed, monkeypatch, lang="en")
    traces = {t["name"]: t["marker"]["color"] for t in _chart(at)["data"]}
    assert traces["Xinhua"] == expected["Xinhua"] and traces["CNA"] == expected["CNA"]
    named = [c for n, c in traces.items() if n not in ("Other outlets", "Unknown outlet")]
    assert len(named) == len(set(named))  # 33 outlets: 24 colours, never one twice
    assert traces["Other outlets"] == "#d0d0d0"
    # The legend lists outlets by their size in the corpus, the rest after them.
    order = list(traces)
    assert order.index("Xinhua") < order.index("CNA") < order.index("Other outlets")
    # Narrowed to two outlets, each keeps its colour.
    narrowed = _page(
        "overview", real_pages_processed, monkeypatch, lang="en", source=["CNA", "Yonhap"]
    )
    again = {t["name"]: t["marker"]["color"] for t in _chart(narrowed)["data"]}
    assert again == {"CNA": expected["CNA"], "Yonhap": expected["Yonhap"]}


# ---------------------------------------------------------------- names and dates


def test_one_name_per_country_in_each_language(real_pages_processed):
    corpus = load_corpus(real_pages_processed)
    zh, en = analysis.labels.labels_for(corpus, "zh"), analysis.labels.labels_for(corpus, "en")
    assert (zh.country("PRK"), en.country("PRK")) == ("朝鲜", "North Korea")
    assert (
        zh.route("RUS", "PRK") == "俄罗斯 → 朝鲜" and en.pair("PRK-RUS") == "North Korea – Russia"
    )
    # A country only a route names (no mention in the corpus) still has its name.
    assert (zh.country("ISL"), en.country("ISL")) == ("冰岛", "Iceland")
    assert (
        en.entity("person:xi_jinping") == "Xi Jinping"
        and zh.entity("person:xi_jinping") == "习近平"
    )
    assert zh.outlet("unknown", "example.com") == "未知媒体 (example.com)"


def test_overview_events_name_countries_every_outlet_and_the_dates_precision(
    real_pages_processed, monkeypatch
):
    at = _page("overview", real_pages_processed, monkeypatch, lang="en")
    events = next(h.proto.body for h in at.get("html") if 'class="events"' in h.proto.body)
    assert not re.search(r"\b[A-Z]{3} →", events)  # never ISO codes
    assert "None" not in events
    assert "CNA, CCTV" in events or "CCTV, CNA" in events  # both outlets of a shared story
    assert "event date unknown" in events  # a borrowed date says so
    assert 'href="timeline?' in events and 'href="articles?' in events  # never a dead end


def test_dates_are_written_as_precisely_as_they_are_known():
    assert date_text(date(2025, 1, 1), "zh", "year") == "2025"
    assert date_text(date(2024, 7, 1), "en", "month") == "2024-07"
    assert date_text(date(2024, 7, 10), "en", "day", True, date(2024, 7, 20)) == (
        "about 2024-07-10 – 2024-07-20"
    )
    assert date_text(date(2024, 7, 1), "zh", "month", False, date(2024, 7, 31)) == "2024-07"
    assert date_text(None, "zh") == "—"
    assert Labels("en").number(12345) == "12,345"


# ---------------------------------------------------------------- undated articles


def test_undated_articles_stay_in_when_a_date_moves_and_leave_only_on_request(
    real_pages_processed, monkeypatch
):
    corpus = load_corpus(real_pages_processed)
    start = corpus.date_min.replace(year=corpus.date_min.year + 1)
    at = _page("overview", real_pages_processed, monkeypatch, **{"from": str(start)})
    dated = int((pd.to_datetime(corpus.articles["published"]) >= pd.Timestamp(start)).sum())
    undated = int(corpus.articles["published"].isna().sum())
    assert undated == 4  # P015, P026, P041 and P054 tell no date
    metric = at.metric[0]
    assert metric.value == str(dated + undated)  # the undated are still counted
    captions = " ".join(c.value for c in at.caption)
    assert f"{undated} 篇无日期的文章" in captions and f"(其中 {undated} 篇无日期)" in captions
    toggle = next(t for t in at.sidebar.toggle if t.key == "flt_undated")
    assert toggle.label == f"包括无日期的文章({undated} 篇)" and toggle.value
    without = _page(
        "overview", real_pages_processed, monkeypatch, **{"from": str(start), "undated": "0"}
    )
    assert without.metric[0].value == str(dated)
    assert "不含无日期文章" in " ".join(c.value for c in without.caption)


def test_a_link_to_dates_outside_the_corpus_says_so(real_pages_processed, monkeypatch):
    at = _page("overview", real_pages_processed, monkeypatch, lang="en", to="2012-01-01")
    notice = " ".join(w.value for w in at.warning)
    # the notice names the corpus's first day (P066's, 5 April 2013)
    assert "lie outside this corpus" in notice and "2013\\-04\\-05" in notice.replace("-", "\\-")
    # the whole corpus, not one stray day
    assert at.metric[0].value == str(len(load_corpus(real_pages_processed).articles))
    clamped = _page("overview", real_pages_processed, monkeypatch, lang="en", to="2030-01-01")
    assert "after this corpus's last article" in " ".join(w.value for w in clamped.warning)


# ---------------------------------------------------------------- evidence sentences


def test_a_mention_is_marked_where_it_was_found_not_inside_a_longer_name():
    sentence = "俄罗斯外长说,俄方愿意。"
    # 俄 (俄方) was found at article offset 107; the sentence starts at 100.
    marks = analysis.entities.sentence_marks(sentence, [(107, 108, "俄")], [(100, 103, "俄罗斯")])
    assert marks == [(7, 8)]
    html = figures.sentences.marked_html(sentence, marks)
    assert html == "俄罗斯外长说,<mark>俄</mark>方愿意。"
    assert (
        figures.sentences.marked_html("<b>俄</b>", [(3, 4)]) == "&lt;b&gt;<mark>俄</mark>&lt;/b&gt;"
    )


def test_entity_sentences_are_one_row_per_sentence_paged_with_their_count(
    real_pages_processed, monkeypatch
):
    corpus = load_corpus(real_pages_processed)
    rows = analysis.entities.entity_sentences(corpus, Filters(), "CHN")
    assert not rows.duplicated(["article_id", "sentence"]).any()
    assert rows["mentions"].sum() == int((corpus.mentions["entity_id"] == "CHN").sum())
    assert len(rows) > 50
    first = _page("entities", real_pages_processed, monkeypatch, entity="CHN")
    assert f"({len(rows)} 句)" in first.subheader[0].value
    listing = next(h.proto.body for h in first.get("html") if 'class="sentences"' in h.proto.body)
    assert listing.count("<li>") == 50 and "<mark>" in listing
    second = _page("entities", real_pages_processed, monkeypatch, entity="CHN", spage="2")
    listing = next(h.proto.body for h in second.get("html") if 'class="sentences"' in h.proto.body)
    assert listing.count("<li>") == min(50, len(rows) - 50)
    last = min(100, len(rows))
    assert f"第 51–{last} 条,共 {len(rows)} 条" in " ".join(c.value for c in second.caption)
    assert "q=" in _html(second)  # one click to search the entity's name


# ---------------------------------------------------------------- comparing outlets


def test_an_outlets_own_name_is_never_its_keyword(real_pages_processed, monkeypatch):
    at = _page("keywords", real_pages_processed, monkeypatch, outlet=["Xinhua", "CNA"])
    assert "weight" not in at.query_params  # distinctive is the default for two outlets
    tables = {t.key: t.value["term"].tolist() for t in at.dataframe}
    assert not {"新华社", "新华通讯社", "新华网"} & set(tables["kw_table_Xinhua"])
    assert not {"中央社", "中央通讯社"} & set(tables["kw_table_CNA"])


def test_entity_outlet_heatmap_is_in_shares_by_default(real_pages_processed, monkeypatch):
    at = _page("entities", real_pages_processed, monkeypatch, lang="en")
    heat = next(
        d
        for c in at.get("plotly_chart")
        for d in json.loads(c.proto.spec)["data"]
        if d["type"] == "heatmap"
    )
    assert heat["x"][0] == "Xinhua" and "Other outlets" in heat["x"]
    z = np.array([[v for v in row] for row in heat["z"]], dtype=float)
    assert np.nanmax(z) <= 1.0  # shares, not counts
    counts = _page("entities", real_pages_processed, monkeypatch, lang="en", omeasure="count")
    heat = next(
        d
        for c in counts.get("plotly_chart")
        for d in json.loads(c.proto.spec)["data"]
        if d["type"] == "heatmap"
    )
    assert max(max(row) for row in heat["z"]) > 1


# ---------------------------------------------------------------- the smaller things


def test_the_selection_is_said_above_the_page_for_a_phone(seed_processed, monkeypatch):
    at = _page("entities", seed_processed, monkeypatch, lang="en", source="KCNA")
    main = [c.value for c in at.main.caption]
    assert any(c.startswith("2024-") and "KCNA" in c and "articles" in c for c in main)


def test_export_names_carry_the_filters(seed_processed):
    from dashboard.app.page import PageContext, export_name

    corpus = load_corpus(seed_processed)
    filters = Filters(date(2024, 7, 10), None, ("KCNA", "Yonhap"), True, False)
    ctx = PageContext("entities", corpus, filters, "zh")
    name = export_name(ctx, "sentences", "person:kim jong un")
    assert (
        name
        == f"sentences_2024-07-10_{corpus.date_max}_KCNA-Yonhap_once_dated_person-kim-jong-un.csv"
    )


def test_overview_span_always_has_its_year(seed_processed, monkeypatch):
    at = _page("overview", seed_processed, monkeypatch)
    assert re.match(r"2024-\d\d-\d\d – \d\d-\d\d", at.metric[2].value)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_short_ranges_get_day_ticks_in_the_pages_language(seed_processed, monkeypatch, lang):
    at = _page("overview", seed_processed, monkeypatch, lang=lang)
    axis = _chart(at)["layout"]["xaxis"]
    assert axis["dtick"] == 86_400_000  # never hour ticks on a short range
    formats = [s["value"] for s in axis["tickformatstops"]]
    assert ("%b" in formats[0]) == (lang == "en") and all("%Y" in f for f in formats)
