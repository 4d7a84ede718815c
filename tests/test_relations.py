"""Relations queries and map figure on small hand-built tables (no gazetteer, no Streamlit)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest

from dashboard import analysis, figures
from dashboard.analysis.labels import Labels
from dashboard.analysis.relations_evidence import pair_evidence, strength_over_time
from dashboard.tables.paths import STATIC_DIR

ZH, EN = Labels("zh"), Labels("en")  # country names from the gazetteer

S1 = "金正恩18日在平壤会见了由俄罗斯国防部副部长克里沃鲁奇科率领的军事代表团。"
S2 = "朝鲜一如既往地对俄罗斯军民在乌克兰展开的特别军事行动予以支持。"
S3 = "韩国外交部对此表示关切。"
S4 = "俄罗斯国防部副部长克里沃鲁奇科率团抵达平壤访问。"
S5 = "朝鲜军事代表团启程前往莫斯科访问。"
S6 = "聯合國秘書長呼籲各方保持克制，朝鮮與俄羅斯應遵守安理會決議。"  # Traditional, other outlet


def entities() -> pd.DataFrame:
    rows = [
        ("PRK", "country", "朝鲜", "North Korea", "PRK", 40.3, 127.5),
        ("RUS", "country", "俄罗斯", "Russia", "RUS", 61.5, 105.3),
        ("UKR", "country", "乌克兰", "Ukraine", "UKR", 49.0, 31.4),
        ("KOR", "country", "韩国", "South Korea", "KOR", 36.4, 127.9),
        ("kim_jong_un", "person", "金正恩", "Kim Jong Un", "PRK", None, None),
        ("pyongyang", "place", "平壤", "Pyongyang", "PRK", 39.0, 125.7),
        ("krivoruchko", "person", "克里沃鲁奇科", "Alexei Krivoruchko", "RUS", None, None),
        ("moscow", "place", "莫斯科", "Moscow", "RUS", 55.7, 37.6),
        ("un", "org", "联合国", "United Nations", None, None, None),
    ]
    cols = ["entity_id", "type", "name_zh", "name_en", "country", "lat", "lon"]
    return pd.DataFrame(rows, columns=cols)


def articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3", "a4"],
            "source": ["KCNA", "Yonhap", "TASS", "CNA"],
            "published": [
                dt.date(2024, 7, 19),
                dt.date(2024, 7, 20),
                dt.date(2024, 7, 2),
                dt.date(2024, 7, 22),
            ],
        }
    )


def mention(article_id, entity_id, type_, sentence):
    return (article_id, entity_id, type_, 0, 1, sentence)


def mentions() -> pd.DataFrame:
    rows = [
        mention("a1", "kim_jong_un", "person", S1),
        mention("a1", "pyongyang", "place", S1),
        mention("a1", "RUS", "country", S1),
        mention("a1", "krivoruchko", "person", S1),
        mention("a1", "PRK", "country", S2),
        mention("a1", "RUS", "country", S2),
        mention("a1", "UKR", "country", S2),
        mention("a2", "KOR", "country", S3),
        mention("a2", "RUS", "country", S4),
        mention("a2", "krivoruchko", "person", S4),
        mention("a2", "pyongyang", "place", S4),
        mention("a3", "PRK", "country", S5),
        mention("a3", "moscow", "place", S5),
        mention("a4", "un", "org", S6),
        mention("a4", "PRK", "country", S6),
        mention("a4", "RUS", "country", S6),
    ]
    cols = ["article_id", "entity_id", "type", "start", "end", "sentence"]
    return pd.DataFrame(rows, columns=cols)


def events() -> pd.DataFrame:
    cols = ["event_id", "article_id", "kind", "lead", "from_country", "to_country", "date"]
    cols += ["evidence", "story_id"]
    rows = [
        ("e1", "a2", "visit", "krivoruchko", "RUS", "PRK", dt.date(2024, 7, 17), S4, "s1"),
        # The same visit relayed by another article: one story, counted once.
        ("e2", "a1", "visit", "krivoruchko", "RUS", "PRK", dt.date(2024, 7, 17), S1, "s1"),
        ("e3", "a1", "meeting", "kim_jong_un", "PRK", "RUS", dt.date(2024, 7, 18), S1, "s2"),
        ("e4", "a3", "visit", None, "PRK", "RUS", dt.date(2024, 7, 1), S5, "s3"),
        # The same trip reported as a departure: same story, not a second visit.
        ("e6", "a3", "departure", None, "PRK", "RUS", dt.date(2024, 7, 1), S5, "s3"),
        # A trip with no known destination does not tie two countries.
        ("e5", "a3", "departure", None, "PRK", None, dt.date(2024, 7, 1), S5, "s4"),
    ]
    return pd.DataFrame(rows, columns=cols)


def tables():
    return articles(), mentions(), entities(), events()


# ------------------------------------------------------------------ queries


def test_people_and_places_count_toward_their_country():
    counts = analysis.relations.country_mentions(articles(), mentions(), entities()).set_index(
        "country"
    )
    # PRK: 金正恩 + 平壤 (S1), 朝鲜 (S2), 平壤 (S4), 朝鲜 (S5), 朝鲜 (S6)
    assert counts.loc["PRK", "mentions"] == 6
    assert counts.loc["PRK", "direct"] == 3
    assert counts.loc["PRK", "indirect"] == 3
    assert counts.loc["PRK", "articles"] == 4
    assert counts.loc["PRK", "name"] == "朝鲜"  # Labels: the gazetteer's name
    assert counts.index[0] in {"PRK", "RUS"}  # most mentioned first
    # The UN has no country: it shades nothing.
    assert set(counts.index) == {"PRK", "RUS", "UKR", "KOR"}


def test_filtered_out_articles_do_not_count():
    arts = articles()
    only_yonhap = arts[arts["source"] == "Yonhap"]
    counts = analysis.relations.country_mentions(only_yonhap, mentions(), entities()).set_index(
        "country"
    )
    assert counts.loc["RUS", "mentions"] == 2
    assert "UKR" not in counts.index
    pairs = analysis.relations.country_pairs(only_yonhap, mentions(), entities(), events())
    row = pairs.set_index("pair").loc["PRK-RUS"]
    assert row["visits_ba"] == 1 and row["meetings"] == 0


def test_pairs_count_sentences_visits_by_direction_and_meetings():
    pairs = analysis.relations.country_pairs(*tables()).set_index("pair")
    row = pairs.loc["PRK-RUS"]
    # Sentences naming both: S1 (via people/places), S2, S4 (via 平壤), S5 (via 莫斯科), S6.
    assert row["co_mentions"] == 5
    assert row["visits_ab"] == 1  # PRK -> RUS (e4)
    assert row["visits_ba"] == 1  # RUS -> PRK, one story told twice (e1, e2)
    assert row["meetings"] == 1
    assert row["strength"] == 8
    assert row["first"] == dt.date(2024, 7, 1)
    assert row["last"] == dt.date(2024, 7, 22)
    # S2 names three countries: each pair once.
    assert pairs.loc["PRK-UKR", "co_mentions"] == 1
    assert pairs.loc["RUS-UKR", "co_mentions"] == 1
    # KOR is never in a sentence with another country: no pair.
    assert not any("KOR" in p for p in pairs.index)
    assert pairs.index[0] == "PRK-RUS"


def test_pairs_are_the_same_on_the_coded_path_a_loaded_corpus_takes():
    """Events of a loaded corpus carry their article's date and are counted through integer
    codes; the counts must equal the plain path for any selection of articles."""
    arts, ments, ents, evs = tables()
    dated = evs.assign(
        article_published=evs["article_id"].map(arts.set_index("article_id")["published"])
    )
    for keep in (arts, arts[arts.article_id != "a1"], arts[arts.article_id == "a3"], arts[:0]):
        plain = analysis.relations.country_pairs(keep, ments, ents, evs)
        coded = analysis.relations.country_pairs(keep, ments, ents, dated)
        pd.testing.assert_frame_equal(plain, coded)
    only_a1 = analysis.relations.country_pairs(arts[arts.article_id == "a1"], ments, ents, dated)
    assert only_a1.set_index("pair").loc["PRK-RUS", ["visits_ba", "meetings"]].tolist() == [1, 1]


def test_events_without_story_id_count_each_row():
    ev = events().drop(columns=["story_id"])
    row = analysis.relations.country_pairs(articles(), mentions(), entities(), ev).set_index("pair")
    assert row.loc["PRK-RUS", "visits_ba"] == 2


def test_empty_tables_give_empty_frames_with_columns():
    arts = articles().iloc[0:0]
    assert analysis.relations.country_pairs(arts, mentions(), entities(), events()).empty
    assert list(analysis.relations.country_mentions(arts, mentions(), entities()).columns) == (
        analysis.relations.COUNTRY_COLUMNS
    )
    fig = figures.relations.relations_map(
        analysis.relations.country_mentions(arts, mentions(), entities()),
        analysis.relations.country_pairs(arts, mentions(), entities(), events()),
        ZH,
    )
    assert len(choropleth(fig).locations) == 0


def test_pair_evidence_lists_sentences_with_outlet_and_date():
    ev = pair_evidence(*tables(), ("RUS", "PRK"))
    assert set(ev["pair"]) == {"PRK-RUS"}
    co = ev[ev["kind"] == "co-mention"]
    assert set(co["sentence"]) == {S1, S2, S4, S5, S6}
    assert co.set_index("sentence").loc[S6, "source"] == "CNA"
    assert co.set_index("sentence").loc[S6, "published"] == dt.date(2024, 7, 22)
    assert set(co["dated_by"]) == {"published"}  # a co-mention's date is its article's
    assert set(ev["kind"]) == {"co-mention", "visit", "departure", "meeting"}
    visits = ev[ev["kind"] == "visit"]
    assert sorted(zip(visits["from_country"], visits["to_country"], strict=True)) == [
        ("PRK", "RUS"),
        ("RUS", "PRK"),
        ("RUS", "PRK"),  # the same trip in two reports: both are evidence
    ]
    assert set(visits["dated_by"]) == {"event"}
    labels = {figures.relations.kind_label(r, ZH) for r in ev.to_dict("records")}
    assert labels == {
        "同句共现",
        "访问 俄罗斯 → 朝鲜",
        "访问 朝鲜 → 俄罗斯",
        "启程前往 朝鲜 → 俄罗斯",
        "会见/会谈",
    }
    first_visit = visits.iloc[-1].to_dict()
    assert figures.relations.kind_label(first_visit, EN) == "visit North Korea → Russia"
    # Newest first: the July 22 sentence, and the July 1 trip to Moscow last.
    assert ev.iloc[0]["date"] == dt.date(2024, 7, 22)
    assert ev.iloc[-1]["date"] == dt.date(2024, 7, 1)
    assert pair_evidence(*tables(), "KOR-UKR").empty


def test_strength_over_time_by_week_keeps_empty_weeks():
    evidence = pair_evidence(*tables(), "PRK-RUS")
    weekly, period, undated = strength_over_time(evidence, "W")
    assert period == "W" and undated == 0
    assert weekly["period"].tolist() == [
        dt.date(2024, 7, 1),
        dt.date(2024, 7, 8),
        dt.date(2024, 7, 15),
        dt.date(2024, 7, 22),
    ]
    assert weekly.set_index("period").loc[dt.date(2024, 7, 8), "strength"] == 0
    # Evidence rows per week add up to the evidence list.
    assert weekly["strength"].sum() == len(evidence)
    # Visits keep their direction: PRK -> RUS is the pair's first country to its second
    # (a visit and a departure report of one trip; one trip told by two reports).
    assert weekly["visits_ab"].sum() == 2 and weekly["visits_ba"].sum() == 2
    monthly, _, _ = strength_over_time(evidence, "M")
    assert monthly["period"].tolist() == [dt.date(2024, 7, 1)]


# ------------------------------------------------------------------ figure


def choropleth(fig):
    (trace,) = [t for t in fig.data if t.type == "choropleth"]
    return trace


@pytest.fixture
def figure():
    counts = analysis.relations.country_mentions(articles(), mentions(), entities())
    pairs = analysis.relations.country_pairs(*tables())
    return figures.relations.relations_map(counts, pairs, ZH, measure="all")


def test_map_shades_countries_by_mentions(figure):
    choro = choropleth(figure)
    assert choro.type == "choropleth"
    shading = dict(zip(choro.locations, choro.z, strict=True))
    assert shading["PRK"] == 6 and shading["KOR"] == 1
    assert choro.locationmode == "ISO-3"
    # Hover says the count includes people and places, and splits it.
    assert "人物" in choro.hovertemplate
    prk = [c for c in choro.customdata if c[0] == "PRK"][0]
    assert list(prk[2:]) == ["3", "3", "4", "6"]  # direct, indirect, articles, mentions


def test_map_lines_are_weighted_by_strength(figure):
    lines = {t.name: t for t in figure.data if (t.name or "").startswith("pair:")}
    assert set(lines) == {"pair:PRK-RUS", "pair:PRK-UKR", "pair:RUS-UKR"}
    assert lines["pair:PRK-RUS"].line.width > lines["pair:PRK-UKR"].line.width
    assert set(lines["pair:PRK-RUS"].customdata) == {"PRK-RUS"}
    # The line ends at the two countries' coordinates.
    line = lines["pair:PRK-RUS"]
    ends = {
        (round(line.lat[0], 1), round(line.lon[0], 1)),
        (round(line.lat[-1], 1), round(line.lon[-1], 1)),
    }
    assert ends == {(40.3, 127.5), (61.5, 105.3)}


def test_map_shows_visit_direction_with_arrows(figure):
    arrows = {t.name: t for t in figure.data if (t.name or "").startswith("visit:")}
    assert set(arrows) == {"visit:PRK->RUS", "visit:RUS->PRK"}
    prk, rus = (40.3, 127.5), (61.5, 105.3)

    def dist(p, q):
        return math.hypot(p[0] - q[0], p[1] - q[1])

    for name, dest, origin in (("visit:PRK->RUS", rus, prk), ("visit:RUS->PRK", prk, rus)):
        arrow = arrows[name]
        assert arrow.fill == "toself"
        wing1, tip, wing2 = [(arrow.lat[i], arrow.lon[i]) for i in range(3)]
        # The tip is nearer the destination than both wings, and the arrow sits on the
        # destination's half of the line.
        assert dist(tip, dest) < min(dist(wing1, dest), dist(wing2, dest))
        assert dist(tip, dest) < dist(tip, origin)
        assert set(arrow.customdata) == {"PRK-RUS"}
    assert arrows["visit:PRK->RUS"].hovertext[0] == "访问 朝鲜 → 俄罗斯：1 次"
    assert arrows["visit:RUS->PRK"].hovertext[0] == "访问 俄罗斯 → 朝鲜：1 次"


def test_map_hover_explains_pair_numbers_and_selection_resolves(figure):
    mids = [t for t in figure.data if t.name == "国家对"][0]
    i = list(mids.customdata).index("PRK-RUS")
    text = mids.hovertext[i]
    for part in (
        "同句共现 5 句",
        "访问 朝鲜 → 俄罗斯：1 次",
        "访问 俄罗斯 → 朝鲜：1 次",
        "会见/会谈 1 次",
    ):
        assert part in text
    assert "2024-07-01 至 2024-07-22" in text
    curve = list(figure.data).index(mids)
    # Streamlit's on_select points carry customdata, or at least curve and point index.
    assert (
        figures.relations.selected_pair(figure, {"points": [{"customdata": "PRK-UKR"}]})
        == "PRK-UKR"
    )
    by_index = {"points": [{"curve_number": curve, "point_index": i}]}
    assert figures.relations.selected_pair(figure, by_index) == "PRK-RUS"
    # Clicking a country (the choropleth) selects no pair.
    curve = list(figure.data).index(choropleth(figure))
    country_click = {"points": [{"curve_number": curve, "point_index": 0, "location": "PRK"}]}
    assert figures.relations.selected_pair(figure, country_click) is None


def test_map_is_framed_on_the_pairs_in_view_and_english_labels():
    counts = analysis.relations.country_mentions(articles(), mentions(), entities(), EN)
    pairs = analysis.relations.country_pairs(*tables())
    fig = figures.relations.relations_map(counts, pairs, EN, measure="all")
    geo = fig.layout.geo
    assert geo.fitbounds is False and geo.scope == "world" and geo.resolution == 110
    # Fitted to the lines drawn (North Korea, Russia, Ukraine), not to the world.
    lo, hi = geo.lonaxis.range
    assert lo <= 31 and hi >= 128 and hi - lo < 200
    # Visits and meetings tie North Korea and Russia only: the frame is theirs.
    lo, hi = figures.relations.relations_map(counts, pairs, EN).layout.geo.lonaxis.range
    assert 31 < lo <= 105 and hi >= 128 and hi - lo < 120
    assert "North Korea" in [c[1] for c in choropleth(fig).customdata]
    assert "mentions" in choropleth(fig).hovertemplate


def test_countries_without_coordinates_fall_back_to_base_map_centroids():
    ent = entities()
    ent.loc[ent["entity_id"] == "UKR", ["lat", "lon"]] = None
    counts = analysis.relations.country_mentions(articles(), mentions(), ent).set_index("country")
    lat, lon = counts.loc["UKR", ["lat", "lon"]]
    assert 44 < lat < 53 and 22 < lon < 41  # inside Ukraine


def test_map_config_points_at_shipped_base_map():
    config = figures.relations.map_config()
    assert config["topojsonURL"] == "app/static/topojson/"
    assert not config["topojsonURL"].startswith(("/", "http"))
    # plotly requests <topojsonURL><scope>_<resolution>m.json = world_110m.json
    data = json.loads((STATIC_DIR / "topojson" / "world_110m.json").read_text())
    ids = {g.get("id") for g in data["objects"]["countries"]["geometries"]}
    assert {"PRK", "RUS", "KOR", "CHN", "USA", "UKR", "JPN"} <= ids
    assert {"land", "ocean", "coastlines", "countries"} <= set(data["objects"])


def test_seed_pipeline_tables_go_through(seed_tables):
    """The real pipeline's tables feed the queries and the map: the seed is about PRK-RUS."""
    t = seed_tables
    counts = analysis.relations.country_mentions(t["articles"], t["mentions"], t["entities"])
    pairs = analysis.relations.country_pairs(
        t["articles"], t["mentions"], t["entities"], t["events"]
    )
    fig = figures.relations.relations_map(counts, pairs, ZH)
    assert len(choropleth(fig).locations) == len(counts)
    assert pairs.iloc[0]["pair"] == "PRK-RUS"
    row = pairs.iloc[0]
    # The seed reports North Korean military delegations travelling to Russia.
    assert row["visits_ab"] >= 1
    assert row["meetings"] >= 1
    evidence = pair_evidence(t["articles"], t["mentions"], t["entities"], t["events"], "PRK-RUS")
    assert evidence["sentence"].str.contains("访俄").any()
    assert evidence["source"].notna().all()


# ------------------------------------------------------------------ the page (AppTest)


def _relations_page(seed_processed, monkeypatch, **params):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DATA", str(seed_processed))
    at = AppTest.from_file(str(STATIC_DIR.parent / "pages" / "relations.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_page_draws_offline_map_and_pair_table(seed_processed, monkeypatch):
    at = _relations_page(seed_processed, monkeypatch, lang="en")
    assert not at.exception
    chart = at.get("plotly_chart")[0]
    spec = json.loads(chart.proto.spec)
    config = json.loads(chart.proto.config)
    assert config["topojsonURL"] == "app/static/topojson/"
    (choro,) = [t for t in spec["data"] if t["type"] == "choropleth"]
    assert {"PRK", "RUS"} <= set(choro["locations"])
    pairs = at.dataframe[0].value
    assert pairs.iloc[0]["pair"] == "PRK-RUS"
    assert pairs.iloc[0]["a"] == "North Korea"
    # Nothing picked yet: a hint, no evidence.
    assert len(at.dataframe) == 1 and not at.get("html")
    assert any("Pick a pair" in c.value for c in at.caption)


def test_page_pair_from_link_shows_evidence_and_strength(seed_processed, monkeypatch):
    at = _relations_page(seed_processed, monkeypatch, pair="RUS-PRK", lang="en", measure="all")
    assert not at.exception
    assert at.query_params["pair"] in ("PRK-RUS", ["PRK-RUS"])
    (listing,) = [h.proto.body for h in at.get("html") if "rel-evidence" in h.proto.body]
    assert listing.count("<li>") >= 10
    # Countries tied through their people and places count: 金正恩与普京 (PRK, RUS).
    assert "金正恩与普京" in listing and "访俄" in listing
    assert listing.count('href="articles?') == listing.count("<li>")
    over_time = json.loads(at.get("plotly_chart")[1].proto.spec)
    total = sum(sum(t["y"]) for t in over_time["data"])
    assert total == listing.count("<li>")  # every piece of evidence is dated in the seed
    # Lines measuring visits and meetings (the default): the list holds those.
    events_only = _relations_page(seed_processed, monkeypatch, pair="PRK-RUS", lang="en")
    (listing,) = [h.proto.body for h in events_only.get("html") if "rel-evidence" in h.proto.body]
    assert 0 < listing.count("<li>") < total and "co-mention" not in listing
    assert "visit North Korea → Russia" in listing and "meeting" in listing


def test_page_unknown_pair_in_link_is_a_notice(seed_processed, monkeypatch):
    at = _relations_page(seed_processed, monkeypatch, pair="<b>XX", lang="en")
    assert not at.exception
    assert any("pair=<b>XX" in w.value for w in at.warning)
    assert len(at.dataframe) == 1 and not at.get("html")
