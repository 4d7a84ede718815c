"""Timeline query and figure functions, on plain frames (no Streamlit)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from dashboard.analysis.labels import Labels
from dashboard.analysis.timeline import pair_options, timeline_frame
from dashboard.analysis.timeline_reports import story_reports
from dashboard.figures.timeline import story_at, timeline_figure, timeline_table

D = date.fromisoformat


def ev(
    event_id,
    article_id,
    story_id,
    kind="visit",
    frm="RUS",
    to="PRK",
    day="2024-07-18",
    end=None,
    precision="day",
    approximate=False,
    lead=None,
    place=None,
    time_expr="18日",
    evidence="……",
):
    return {
        "event_id": event_id,
        "article_id": article_id,
        "kind": kind,
        "lead": lead,
        "from_country": frm,
        "to_country": to,
        "place": place,
        "date": D(day),
        "date_end": D(end or day),
        "date_precision": precision,
        "approximate": approximate,
        "time_expr": time_expr,
        "evidence": evidence,
        "story_id": story_id,
    }


ARTICLES = pd.DataFrame(
    {
        "article_id": ["a1", "a2", "a3", "a4"],
        "source": ["KCNA", "Yonhap", "TASS", "Yonhap"],
        "source_zh": ["朝中社", "韩联社", "塔斯社", "韩联社"],
        "published": [D("2024-07-19"), D("2024-07-19"), D("2024-07-20"), D("2024-07-09")],
        "title": ["t1", "t2", "t3", "t4"],
    }
)
EVENTS = pd.DataFrame(
    [
        ev(
            "e1",
            "a1",
            "travel:RUS-PRK:2024-07-18",
            kind="meeting",
            lead="krivoruchko",
            place="平壤",
            evidence="金正恩7月18日会见了由克里沃鲁奇科率领的军事代表团。",
        ),
        ev(
            "e2",
            "a2",
            "travel:RUS-PRK:2024-07-18",
            lead=None,
            evidence="<b>俄代表团</b>18日抵达平壤",
        ),
        ev("e2b", "a2", "travel:RUS-PRK:2024-07-18", kind="meeting", evidence="second sentence"),
        ev(
            "e3",
            "a3",
            "summit:PRK-RUS:2024-06-19",
            kind="summit",
            day="2024-06-19",
            lead="putin",
            place="平壤",
            time_expr="今年6月19日",
        ),
        ev(
            "e4",
            "a1",
            "summit:PRK-RUS:2024-06-19",
            kind="summit",
            day="2024-06-01",
            end="2024-06-30",
            precision="month",
            time_expr="今年6月",
        ),
        ev(
            "e5",
            "a4",
            "travel:PRK-RUS:2024-07-08",
            kind="departure",
            frm="PRK",
            to="RUS",
            day="2024-07-08",
            time_expr="前一天",
        ),
        ev(
            "e6",
            "a3",
            "travel:RUS-PRK:2024-06-04",
            day="2024-06-04",
            end="2024-07-04",
            precision="month",
            approximate=True,
            time_expr="一个月前",
            lead="krivoruchko",
        ),
    ]
)
NAMES = {"krivoruchko": "克里沃鲁奇科", "putin": "普京"}
ZH = Labels("zh", entities=NAMES, outlets={"KCNA": "朝中社", "Yonhap": "韩联社", "TASS": "塔斯社"})
EN = Labels("en", entities={"krivoruchko": "Alexei Krivoruchko", "putin": "Vladimir Putin"})


def frame(labels=ZH, **kw):
    return timeline_frame(EVENTS, ARTICLES, labels=labels, **kw)


def test_one_row_per_story_with_every_report_counted():
    f = frame()
    assert len(f) == 4
    july18 = f.set_index("story_id").loc["travel:RUS-PRK:2024-07-18"]
    assert july18["reports"] == 2  # two articles; a2 tells it twice
    assert july18["lane"] == "俄罗斯 → 朝鲜"
    assert july18["kind"] == "meeting"
    assert july18["lead_name"] == "克里沃鲁奇科"
    assert set(july18["outlets"].split("、")) == {"朝中社", "韩联社"}


def test_a_kind_filter_counts_the_reports_that_tell_that_kind():
    # a2 tells the July 18 story twice: once as a visit (its first sentence), once as a
    # meeting. Filtered to meetings, a2 still counts; to visits, a1 (a meeting) does not.
    story = "travel:RUS-PRK:2024-07-18"
    meetings = frame(kinds=["meeting"]).set_index("story_id")
    visits = frame(kinds=["visit"]).set_index("story_id")
    assert meetings.loc[story, "reports"] == 2
    assert visits.loc[story, "reports"] == 1
    assert frame(pair="PRK-RUS").set_index("story_id").loc[story, "reports"] == 2


def test_chosen_stories_and_the_cheap_frame_agree_with_the_whole_frame():
    """The page counts and plots many stories from a frame without the joined columns, and
    builds the rows it shows for the stories it shows: both must match the whole frame."""
    whole = frame()
    chosen = ["travel:RUS-PRK:2024-07-18", "travel:PRK-RUS:2024-07-08", "no-such-story"]
    part = frame(stories=chosen)
    expected = whole[whole["story_id"].isin(chosen)].reset_index(drop=True)
    pd.testing.assert_frame_equal(part, expected)
    cheap = frame(details=False)
    detail = ["kinds", "outlets", "lead", "lead_name", "place", "place_name", "time_expr"]
    assert cheap[detail].isna().all().all()
    pd.testing.assert_frame_equal(cheap.drop(columns=detail), whole.drop(columns=detail))
    assert frame(stories=[]).empty


def test_a_story_with_an_exact_day_is_placed_on_that_day_not_on_the_month():
    summit = frame().set_index("story_id").loc["summit:PRK-RUS:2024-06-19"]
    assert (summit["start"], summit["end"], summit["precision"]) == (
        D("2024-06-19"),
        D("2024-06-19"),
        "day",
    )
    assert summit["milestone"] and summit["reports"] == 2
    assert "今年6月" in summit["time_expr"] and "今年6月19日" in summit["time_expr"]


def test_a_vague_only_story_keeps_its_window():
    vague = frame().set_index("story_id").loc["travel:RUS-PRK:2024-06-04"]
    assert vague["approximate"] and (vague["start"], vague["end"]) == (
        D("2024-06-04"),
        D("2024-07-04"),
    )


def test_filters_kind_pair_and_articles():
    assert set(frame(kinds=["summit"])["kind"]) == {"summit"}
    assert set(frame(pair="PRK-RUS")["story_id"]) == set(EVENTS["story_id"])
    assert frame(pair="CHN-PRK").empty
    only_yonhap = timeline_frame(EVENTS, ARTICLES[ARTICLES.source == "Yonhap"])
    assert set(only_yonhap["story_id"]) == {
        "travel:RUS-PRK:2024-07-18",
        "travel:PRK-RUS:2024-07-08",
    }
    assert pair_options(EVENTS) == ["PRK-RUS"]


def test_lanes_name_both_countries_in_full_in_the_pages_language():
    assert set(frame()["lane"]) == {"俄罗斯 → 朝鲜", "朝鲜 → 俄罗斯"}
    assert set(frame(EN)["lane"]) == {"Russia → North Korea", "North Korea → Russia"}


def _marker_traces(fig):
    return [tr for tr in fig.data if tr.mode == "markers"]


def test_figure_markers_carry_story_ids_and_kind_symbols():
    f = frame()
    fig = timeline_figure(f, ZH)
    markers = _marker_traces(fig)
    ids = [cd[0] for tr in markers for cd in tr.customdata]
    assert sorted(ids) == sorted(f["story_id"])
    summit = next(tr for tr in markers if tr.name == "峰会")
    assert summit.marker.symbol[0] == "star"
    visit = next(tr for tr in markers if tr.name == "访问")
    assert visit.marker.symbol[0] == "circle-open"  # the vague visit: drawn open, at its middle
    meeting = next(tr for tr in markers if tr.name == "会见")
    # size grows with reports: the 2-report meeting is bigger than a 1-report marker
    assert (
        meeting.marker.size[0]
        > _marker_traces(timeline_figure(frame(kinds=["departure"]), ZH))[0].marker.size[0]
    )
    assert summit.marker.size[0] > meeting.marker.size[0]  # milestones stand out
    assert set(fig.layout.yaxis.categoryarray) == {"俄罗斯 → 朝鲜", "朝鲜 → 俄罗斯"}


def test_figure_draws_rough_dates_as_spans():
    fig = timeline_figure(frame(), ZH)
    spans = [tr for tr in fig.data if tr.mode == "lines"]
    assert len(spans) == 1
    xs = [x for x in spans[0].x if x is not None]
    assert (xs[0], xs[1]) == (D("2024-06-04"), D("2024-07-04"))
    assert spans[0].customdata[0][0] == "travel:RUS-PRK:2024-06-04"


def test_hover_escapes_text_from_articles():
    evil = EVENTS.assign(place="<img src=x onerror=alert(1)>")
    fig = timeline_figure(timeline_frame(evil, ARTICLES), ZH)
    places = {cd[2] for tr in _marker_traces(fig) for cd in tr.customdata}
    assert places == {"&lt;img src=x onerror=alert(1)&gt;"}


def test_story_at_resolves_a_selection():
    fig = timeline_figure(frame(), ZH)
    for curve, tr in enumerate(fig.data):
        if tr.mode == "markers":
            assert story_at(fig, curve, 0) == tr.customdata[0][0]
            assert story_at(fig.to_plotly_json(), curve, 0) == tr.customdata[0][0]
    assert story_at(fig, 99, 0) is None


def test_story_reports_lists_each_article_once_with_its_evidence():
    rep = story_reports(EVENTS, ARTICLES, "travel:RUS-PRK:2024-07-18", ZH)
    assert rep["article_id"].tolist() == ["a1", "a2"]
    assert (
        rep.set_index("article_id").loc["a2", "evidence"]
        == "<b>俄代表团</b>18日抵达平壤\nsecond sentence"
    )
    assert set(rep["source"]) == {"KCNA", "Yonhap"}
    assert set(rep["outlet"]) == {"朝中社", "韩联社"}
    assert story_reports(EVENTS, ARTICLES, "nope").empty


def test_empty_selection_gives_an_empty_figure_not_an_error():
    empty = timeline_frame(EVENTS, ARTICLES.iloc[0:0])
    assert empty.empty
    assert len(timeline_figure(empty, ZH).data) == 0
    assert timeline_table(empty, ZH).empty


def many_stories(n: int = 10_000) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` stories over four years between 15 countries (about 200 directions)."""
    rows = []
    countries = ["CHN", "PRK", "RUS", "KOR", "JPN", "USA", "UKR", "VNM", "LAO", "MNG", "GBR"]
    countries += ["FRA", "DEU", "IND"]
    for i in range(n):
        a, b = countries[i % 14], countries[(i * 7 + 3) % 14]
        if a == b:
            b = "IRN"
        day = (D("2020-01-01") + timedelta(days=i % 1500)).isoformat()
        kind = ["visit", "meeting", "summit"][i % 3]
        rows.append(ev(f"e{i}", f"a{i % 50}", f"s{i}", frm=a, to=b, day=day, kind=kind))
    arts = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(50)],
            "source": "X",
            "source_zh": "X",
            "published": D("2024-01-01"),
            "title": "",
        }
    )
    return pd.DataFrame(rows), arts


def test_ten_thousand_stories_are_counted_in_a_heatmap_not_drawn_as_a_band():
    import numpy as np

    from dashboard.analysis.timeline import TOP_LANES, too_many_marks, top_lanes
    from dashboard.figures.timeline import heatmap_figure

    events, arts = many_stories()
    f = timeline_frame(events, arts)
    assert len(f) == 10_000 and too_many_marks(f)
    # By default the busiest directions only; every one of them is a row of the heatmap.
    top = top_lanes(f)
    assert top["lane"].nunique() == TOP_LANES
    fig = heatmap_figure(top, ZH)
    heat = fig.data[0]
    assert heat.type == "heatmap" and list(heat.y) == list(fig.layout.yaxis.categoryarray)[::-1]
    assert np.nansum(np.array(heat.z, dtype=float)) == len(top)
    # Columns are months over four years, each as wide as its month: the x values are the
    # cells' edges, one more than the columns.
    assert len(heat.x) == len(heat.z[0]) + 1
    assert str(heat.x[0])[:10] == "2020-01-01"
    # A few stories per direction and a short span: one mark each.
    assert not too_many_marks(frame())


def test_table_matches_the_frame():
    f = frame()
    table = timeline_table(f, ZH)
    assert len(table) == len(f)
    by_story = table.set_index("story_id")
    assert by_story.loc["summit:PRK-RUS:2024-06-19", "date"] == "2024-06-19"
    # Known only to the month, and vaguely: never a made-up day.
    assert by_story.loc["travel:RUS-PRK:2024-06-04", "date"] == "约 2024-06 – 2024-07"
    assert by_story.loc["travel:RUS-PRK:2024-06-04", "time_expr"] == "一个月前"


def test_table_shows_an_unknown_place_as_blank_not_none(seed_tables):
    from dashboard.analysis.corpus import prepare
    from dashboard.analysis.labels import labels_for

    corpus = prepare(seed_tables)
    # Without Yonhap's report (the one naming Pyongyang) the trip has no known place.
    articles = corpus.articles[corpus.articles["source"] != "Yonhap"]
    labels = labels_for(corpus, "zh")
    table = timeline_table(timeline_frame(corpus.events, articles, labels=labels), labels)
    trip = table[table["story_id"] == "travel:PRK-RUS:2024-07-08"].iloc[0]
    assert trip["place"] == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_seed_corpus_timeline(seed_tables, lang):
    from dashboard.analysis.corpus import prepare
    from dashboard.analysis.labels import labels_for

    corpus = prepare(seed_tables)
    f = timeline_frame(corpus.events, corpus.articles, labels=labels_for(corpus, lang))
    lanes = {
        "zh": {"俄罗斯 → 朝鲜", "朝鲜 → 俄罗斯"},
        "en": {"Russia → North Korea", "North Korea → Russia"},
    }[lang]
    assert lanes <= set(f["lane"])
    days = set(zip(f["from_country"], f["to_country"], f["start"], strict=True))
    assert ("RUS", "PRK", D("2024-07-18")) in days
    assert ("PRK", "RUS", D("2024-07-08")) in days
    summit = f[f["kind"] == "summit"]
    assert len(summit) == 1 and summit.iloc[0]["start"] == D("2024-06-19")
    july18 = f[(f["start"] == D("2024-07-18")) & (f["from_country"] == "RUS")]
    assert len(july18) == 1 and july18.iloc[0]["reports"] >= 2


def test_selected_story_from_plotly_selection():
    from dashboard.figures.timeline import selected_story

    fig = timeline_figure(frame(), ZH)
    curve = next(i for i, tr in enumerate(fig.data) if tr.mode == "markers")
    want = fig.data[curve].customdata[0][0]
    assert selected_story(fig, {"points": [{"curve_number": curve, "point_index": 0}]}) == want
    assert selected_story(fig, {"points": [{"customdata": ["s-1", "x"]}]}) == "s-1"
    assert selected_story(fig, {"points": []}) is None and selected_story(fig, None) is None


# ---------------------------------------------------------------- the page (AppTest)


def _timeline_page(seed_processed, monkeypatch, **params):
    from streamlit.testing.v1 import AppTest

    from dashboard.tables.paths import PROJECT_ROOT

    monkeypatch.setenv("DASHBOARD_DATA", str(seed_processed))
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "timeline.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_page_draws_the_seed_timeline_with_story_ids(seed_processed, monkeypatch):
    import json

    at = _timeline_page(seed_processed, monkeypatch, lang="en")
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    ids = {cd[0] for tr in spec["data"] if tr["mode"] == "markers" for cd in tr["customdata"]}
    table = at.dataframe[0].value
    assert ids == set(table["story_id"])
    assert {"Russia → North Korea", "North Korea → Russia"} <= set(table["direction"])
    assert len(at.dataframe) == 1 and not at.get("html")  # nothing picked yet: no reports
    assert any("Pick a row" in c.value for c in at.caption)


def test_page_story_from_link_lists_its_reports_with_reader_links(seed_processed, monkeypatch):
    at = _timeline_page(seed_processed, monkeypatch, story="travel:RUS-PRK:2024-07-18", lang="en")
    assert not at.exception
    (reports,) = [h.proto.body for h in at.get("html") if "tl-reports" in h.proto.body]
    assert reports.count("<li>") >= 2
    assert "克里沃鲁" in reports
    assert reports.count('href="articles?') == reports.count("<li>")


def test_page_kind_filter_and_junk_link(seed_processed, monkeypatch):
    at = _timeline_page(seed_processed, monkeypatch, kind="summit", story="<b>nope", lang="en")
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["kind"]) == {"Summit"}
    # the notice names the parameter and its value (Markdown-escaped by PageContext.notice)
    assert any("story=" in w.value and "nope" in w.value for w in at.warning)


def test_an_exact_multi_day_story_is_a_filled_marker_on_its_first_day():
    two_days = pd.DataFrame(
        [
            ev("d1", "a4", "s", kind="departure", frm="PRK", to="RUS", day="2024-07-08"),
            ev("d2", "a1", "s", kind="visit", frm="PRK", to="RUS", day="2024-07-09"),
        ]
    )
    fig = timeline_figure(timeline_frame(two_days, ARTICLES), ZH)
    assert [tr.mode for tr in fig.data] == ["markers"]  # no span
    assert fig.data[0].x[0] == D("2024-07-08") and fig.data[0].marker.symbol[0] == "circle"


# ---------------------------------------------------------------- many stories: a heatmap


def test_heat_cells_count_stories_per_direction_and_period_and_lead_back_to_them():
    from dashboard.analysis.timeline_buckets import (
        bucket_period,
        cell_stories,
        heat_cells,
        parse_cell,
    )

    f = frame()
    assert bucket_period(f) == "W"  # the stories span weeks, not years
    cells = heat_cells(f)
    assert cells["stories"].sum() == len(f)
    assert cells["reports"].sum() == f["reports"].sum()
    # Every cell leads back to exactly its stories, whatever the language of the lanes.
    for cell, n in zip(cells["cell_id"], cells["stories"], strict=True):
        assert len(cell_stories(f, cell)) == n
        assert len(cell_stories(frame(EN), cell)) == n
    assert cells["cell_id"].iloc[0].startswith("cell:W|")
    assert cell_stories(f, "cell:junk").empty and parse_cell("cell:W|PRK>RUS|no-date") is None


def test_heatmap_cells_resolve_to_their_cell_on_click():
    from dashboard.analysis.timeline_buckets import heat_cells
    from dashboard.figures.timeline import heatmap_figure, selected_story

    f = frame()
    fig = heatmap_figure(f, EN)
    marks = fig.data[1]  # invisible marks over the cells: heatmap cells are not selectable
    assert sorted(cd[0] for cd in marks.customdata) == sorted(heat_cells(f)["cell_id"])
    picked = selected_story(fig, {"points": [{"curve_number": 1, "point_index": 0}]})
    assert picked == marks.customdata[0][0] and picked.startswith("cell:W|")
    assert "Click to list these events" in marks.hovertemplate


def test_page_counts_many_stories_in_a_heatmap_and_a_cell_lists_them(seed_processed, monkeypatch):
    import json

    from dashboard import analysis

    monkeypatch.setattr(analysis.timeline, "MAX_MARKS", 1)  # the seed's four stories as many
    at = _timeline_page(seed_processed, monkeypatch, lang="en")
    assert not at.exception
    assert any("would overlap into a band" in c.value for c in at.caption)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["type"] == "heatmap"
    cells = [cd[0] for cd in spec["data"][1]["customdata"]]
    assert all(c.startswith("cell:") for c in cells)
    table = at.dataframe[0].value
    assert len(table) == 4  # no cell chosen: every event in the table
    # The plotted frame leaves out the joined columns; the table's rows are built in full.
    assert table["outlets"].str.len().gt(0).all() and table["reports"].ge(1).all()
    # A cell (as a click or a link gives it) lists its events only.
    july = next(c for c in cells if "|RUS>PRK|2024-07-15" in c)
    at = _timeline_page(seed_processed, monkeypatch, lang="en", cell=july)
    assert not at.exception
    table = at.dataframe[0].value
    assert table["story_id"].tolist() == ["travel:RUS-PRK:2024-07-18"]
    assert any(
        "The 1 events of the chosen cell (Russia → North Korea" in c.value for c in at.caption
    )


def test_page_caps_its_table_and_still_opens_an_older_story(seed_processed, monkeypatch):
    from dashboard import analysis
    from dashboard.analysis.corpus import load_corpus
    from dashboard.analysis.labels import labels_for

    corpus = load_corpus(seed_processed)
    labels = labels_for(corpus, "en")
    frame = analysis.timeline.timeline_frame(
        corpus.events,
        analysis.filters.filter_articles(corpus, analysis.filters.Filters()),
        labels=labels,
    )
    oldest = frame.iloc[0]
    # The seed has four stories; with room for one, the table lists the latest only.
    monkeypatch.setattr(analysis.timeline, "MAX_TABLE_ROWS", 1)
    at = _timeline_page(seed_processed, monkeypatch, story=oldest["story_id"], lang="en")
    assert not at.exception
    shown = at.dataframe[0].value
    assert shown["story_id"].tolist() == [frame.iloc[-1]["story_id"]]
    assert any("latest 1 of 4 events" in c.value for c in at.caption)
    # The linked story is older than the one row shown, yet its reports are listed.
    assert any("tl-reports" in h.proto.body for h in at.get("html"))
    when = labels.date(oldest["start"], oldest["precision"], oldest["approximate"], oldest["end"])
    assert any(f"{oldest['lane']} · {when}" in h.value for h in at.subheader)


def test_the_first_undated_rows_and_their_counts_are_those_of_the_whole_list():
    """The page builds only the undated rows it lists (and counts the rest): they must be the
    whole list's first rows, in its order, whatever the lanes, stories and dates."""
    import random

    from dashboard.analysis.corpus import prepare
    from dashboard.analysis.timeline_reports import undated_counts, undated_events

    rng = random.Random(3)
    countries = ["RUS", "PRK", "CHN", "KOR", None]
    n_articles = 60
    articles = pd.DataFrame(
        {
            "article_id": [f"a{i:02d}" for i in range(n_articles)],
            "source": [rng.choice(["KCNA", "Yonhap", "TASS"]) for _ in range(n_articles)],
            "published": [
                None if rng.random() < 0.2 else D("2024-07-01") + timedelta(days=rng.randrange(40))
                for _ in range(n_articles)
            ],
            "title": [f"t{i}" for i in range(n_articles)],
            "text": ["……"] * n_articles,
        }
    )
    rows = []
    for i in range(400):
        row = ev(
            f"e{i:03d}",
            f"a{rng.randrange(n_articles):02d}",
            None if rng.random() < 0.1 else f"s{rng.randrange(12):02d}",
            frm=rng.choice(countries),
            to=rng.choice(countries),
            time_expr=rng.choice(["", "近日", "此前"]),
            evidence=f"句{rng.randrange(5)}",
        )
        row["date"] = row["date_end"] = None
        rows.append(row)
    corpus = prepare({"articles": articles, "events": pd.DataFrame(rows)})
    whole = undated_events(corpus.events, corpus.articles)
    assert len(whole) > 100  # many (story, article) rows across several lanes
    for limit in [*range(1, 80), len(whole) + 5]:  # cuts inside many stories
        first = undated_events(corpus.events, corpus.articles, limit=limit)
        pd.testing.assert_frame_equal(first, whole.head(limit))
    kept = corpus.articles.iloc[::2]
    assert undated_counts(corpus.events, kept, ["visit"], None) == (
        undated_events(corpus.events, kept, ["visit"])["story_id"].nunique(),
        undated_events(corpus.events, kept, ["visit"])["article_id"].nunique(),
    )
    pd.testing.assert_frame_equal(
        undated_events(corpus.events, kept, limit=20), undated_events(corpus.events, kept).head(20)
    )
    # Tables as given (no article positions): the articles are joined by id, the same rows.
    plain_events = pd.DataFrame(rows)
    plain_whole = undated_events(plain_events, articles)
    for limit in (1, 13, 60):
        pd.testing.assert_frame_equal(
            undated_events(plain_events, articles, limit=limit), plain_whole.head(limit)
        )
