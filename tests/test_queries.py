"""Query functions on a small hand-built corpus (exact numbers) and on the real seed corpus."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard import analysis
from dashboard.analysis.corpus import load_corpus, prepare
from dashboard.analysis.filters import Filters


def _article(aid, source, source_zh, published, text, dup_of=None, title=None):
    return {
        "article_id": aid,
        "doc": "d.txt",
        "index": 0,
        "source": source,
        "source_zh": source_zh,
        "published": published,
        "title": title or text[:10],
        "text": text,
        "dup_of": dup_of,
        "text_simplified": text,
        "script": "hans",
    }


@pytest.fixture
def corpus():
    articles = pd.DataFrame(
        [
            _article(
                "a1", "KCNA", "朝中社", date(2024, 7, 1), "金正恩会见俄罗斯代表团。普京致电。"
            ),
            _article("a2", "Yonhap", "韩联社", date(2024, 7, 2), "韩联社报道,金正恩会见俄方。"),
            _article(
                "a3", "Yonhap", "韩联社", date(2024, 7, 2), "金正恩会见俄罗斯代表团。", dup_of="a1"
            ),
            _article("a4", "TASS", "塔斯社", None, "普京在莫斯科表示。"),
            _article("a5", "TASS", "塔斯社", date(2024, 7, 5), "俄國總統普京訪問平壤。"),
        ]
    )
    articles.loc[4, "text_simplified"] = "俄国总统普京访问平壤。"
    articles.loc[4, "script"] = "hant"
    m = [
        ("a1", "kim", "金正恩", "person", 0, 3, "金正恩会见俄罗斯代表团。"),
        ("a1", "rus", "俄罗斯", "country", 5, 8, "金正恩会见俄罗斯代表团。"),
        ("a1", "putin", "普京", "person", 12, 14, "普京致电。"),
        ("a2", "kim", "金正恩", "person", 6, 9, "韩联社报道,金正恩会见俄方。"),
        ("a3", "kim", "金正恩", "person", 0, 3, "金正恩会见俄罗斯代表团。"),
        ("a4", "putin", "普京", "person", 0, 2, "普京在莫斯科表示。"),
        ("a5", "putin", "普京", "person", 4, 6, "俄國總統普京訪問平壤。"),
        ("a5", "pyongyang", "平壤", "place", 8, 10, "俄國總統普京訪問平壤。"),
    ]
    mentions = pd.DataFrame(
        m, columns=["article_id", "entity_id", "surface", "type", "start", "end", "sentence"]
    )
    entities = pd.DataFrame(
        [
            ("kim", "person", "金正恩", "Kim Jong Un", ["金正恩", "金委员长"], "PRK", None, None),
            ("putin", "person", "普京", "Vladimir Putin", ["普京", "普丁"], "RUS", None, None),
            ("rus", "country", "俄罗斯", "Russia", ["俄罗斯", "俄国"], "RUS", 61.5, 105.3),
        ],
        columns=["entity_id", "type", "name_zh", "name_en", "aliases", "country", "lat", "lon"],
    )
    events = pd.DataFrame(
        [
            (
                "e1",
                "a1",
                "meeting",
                "kim",
                "RUS",
                "PRK",
                "平壤",
                date(2024, 6, 30),
                "day",
                "昨天",
                "金正恩会见俄罗斯代表团。",
            ),
            (
                "e2",
                "a5",
                "visit",
                "putin",
                "RUS",
                "PRK",
                "平壤",
                None,
                "day",
                "",
                "俄國總統普京訪問平壤。",
            ),
        ],
        columns=[
            "event_id",
            "article_id",
            "kind",
            "lead",
            "from_country",
            "to_country",
            "place",
            "date",
            "date_precision",
            "time_expr",
            "evidence",
        ],
    )
    return prepare(
        {"articles": articles, "mentions": mentions, "entities": entities, "events": events}
    )


ALL = Filters()


def test_default_filters_keep_every_article_including_undated(corpus):
    assert sorted(analysis.filters.filter_articles(corpus, ALL)["article_id"]) == [
        "a1",
        "a2",
        "a3",
        "a4",
        "a5",
    ]


def test_date_outlet_and_once_filters_narrow_the_selection(corpus):
    july2 = Filters(date_from=date(2024, 7, 2), date_to=date(2024, 7, 2), undated=False)
    assert sorted(analysis.filters.filter_articles(corpus, july2)["article_id"]) == ["a2", "a3"]
    yonhap_once = Filters(sources=("Yonhap",), once=True)
    assert analysis.filters.filter_articles(corpus, yonhap_once)["article_id"].tolist() == ["a2"]
    # Moving a date bound keeps undated articles (their date is unknown, not outside the
    # bounds); they leave only when the user says so.
    after = Filters(date_from=date(2024, 7, 2))
    assert "a4" in set(analysis.filters.filter_articles(corpus, after)["article_id"])
    assert analysis.filters.undated_in(corpus, after) == 1
    without = Filters(date_from=date(2024, 7, 2), undated=False)
    assert "a4" not in set(analysis.filters.filter_articles(corpus, without)["article_id"])
    assert "a4" not in set(
        analysis.filters.filter_articles(corpus, Filters(undated=False))["article_id"]
    )
    assert analysis.filters.undated_count(corpus) == 1


def test_outlet_counts_list_every_outlet_with_its_articles(corpus):
    counts = analysis.overview.outlet_counts(corpus).set_index("source")["articles"].to_dict()
    assert counts == {"Yonhap": 2, "TASS": 2, "KCNA": 1}


def test_overview_stats_and_articles_per_day(corpus):
    stats = analysis.overview.overview_stats(corpus, ALL)
    assert stats["articles"] == 5 and stats["outlets"] == 3 and stats["entities"] == 4
    assert stats["date_min"] == date(2024, 7, 1) and stats["date_max"] == date(2024, 7, 5)
    assert stats["events"] == 2
    per_day = analysis.overview.articles_per_day(corpus, ALL)
    assert per_day["articles"].sum() == 4  # the undated article has no day
    july2 = per_day[per_day["published"] == date(2024, 7, 2)]
    assert july2["source"].tolist() == ["Yonhap"] and july2["articles"].tolist() == [2]


def test_long_spans_are_counted_per_week_or_month(corpus):
    """Years of coverage as daily bars are thousands of bars: the period follows the span."""
    day = np.datetime64("2024-07-03")
    assert analysis.periods.period_for(day, day + np.timedelta64(92, "D")) == "D"
    assert analysis.periods.period_for(day, day + np.timedelta64(93, "D")) == "W"
    assert analysis.periods.period_for(day, day + np.timedelta64(800, "D")) == "M"
    days = np.array(["2024-07-03", "2024-07-07", "2024-07-08", "2024-02-29"], "datetime64[D]")
    assert analysis.periods.period_starts(days, "W").astype(str).tolist() == [
        "2024-07-01",  # Wednesday -> its Monday
        "2024-07-01",  # Sunday -> the same week
        "2024-07-08",
        "2024-02-26",
    ]
    assert analysis.periods.period_starts(days, "M").astype(str).tolist() == [
        "2024-07-01",
        "2024-07-01",
        "2024-07-01",
        "2024-02-01",
    ]
    # The seed-like corpus spans five days: daily; forced to months it is one bar per outlet.
    per_day, period = analysis.overview.articles_per_period(corpus, ALL)
    assert period == "D" and per_day.equals(analysis.overview.articles_per_day(corpus, ALL))
    monthly, _ = analysis.overview.articles_per_period(corpus, ALL, "M")
    assert monthly["published"].tolist() == [date(2024, 7, 1)] * 3
    assert monthly.set_index("source")["articles"].to_dict() == {"KCNA": 1, "TASS": 1, "Yonhap": 2}


def test_top_entities_counts_mentions_and_respects_type_and_once(corpus):
    top = analysis.entities.top_entities(corpus, ALL)
    assert set(top["entity_id"].tolist()[:2]) == {"kim", "putin"}  # 3 mentions each
    assert top.set_index("entity_id").loc["kim", "mentions"] == 3
    assert top.set_index("entity_id").loc["kim", "name_en"] == "Kim Jong Un"
    assert "金委员长" in top.set_index("entity_id").loc["kim", "aliases"]
    once = analysis.entities.top_entities(corpus, Filters(once=True)).set_index("entity_id")
    assert once.loc["kim", "mentions"] == 2  # the relayed copy no longer counts
    places = analysis.entities.top_entities(corpus, ALL, entity_type="place")
    assert places["entity_id"].tolist() == ["pyongyang"]
    # Not in the entities table: shown under its surface form.
    assert places["name_zh"].tolist() == ["平壤"]
    assert len(analysis.entities.top_entities(corpus, ALL, n=1)) == 1


def test_entity_breakdowns_by_outlet_and_day(corpus):
    by_outlet = analysis.entities.entity_counts_by_outlet(corpus, ALL, ["kim"]).set_index("source")
    # TASS never names him: a zero, not a missing cell.
    assert by_outlet["mentions"].to_dict() == {"KCNA": 1, "TASS": 0, "Yonhap": 2}
    assert by_outlet.loc["Yonhap", "share"] == 1.0 and by_outlet.loc["TASS", "share"] == 0.0
    trend, period = analysis.entities.entity_trend(corpus, ALL, ["putin"])
    assert period == "D"
    # Every day of the span is a bin; days without any article have no share (a gap).
    assert trend["published"].tolist() == [date(2024, 7, d) for d in range(1, 6)]
    assert trend["mentions"].tolist() == [1, 0, 0, 0, 1]
    assert trend["period_articles"].tolist() == [1, 2, 0, 0, 1]
    assert trend["share"].isna().tolist() == [False, False, True, True, False]


def test_entity_sentences_carry_outlet_date_and_the_surface(corpus):
    rows = analysis.entities.entity_sentences(corpus, ALL, "putin")
    assert set(rows["article_id"]) == {"a1", "a4", "a5"}
    assert rows.iloc[0]["published"] == date(2024, 7, 5)  # newest first
    assert "普京" in rows.iloc[0]["sentence"] and rows.iloc[0]["spans"] == ((4, 6, "普京"),)
    narrowed = analysis.entities.entity_sentences(corpus, Filters(sources=("KCNA",)), "putin")
    assert narrowed["article_id"].tolist() == ["a1"]


def test_search_finds_traditional_text_with_a_simplified_query(corpus):
    hits = analysis.articles.list_articles(corpus, ALL, "俄国总统")
    assert hits["article_id"].tolist() == ["a5"]
    assert analysis.articles.list_articles(corpus, ALL, "俄國總統")["article_id"].tolist() == ["a5"]
    assert analysis.articles.list_articles(corpus, ALL, "不存在的词").empty
    assert (
        analysis.articles.list_articles(corpus, ALL)["article_id"].iloc[0] == "a5"
    )  # newest first


def test_article_mentions_are_ordered_without_overlaps(corpus):
    mentions = analysis.articles.article_mentions(corpus, "a1")
    assert mentions["start"].tolist() == [0, 5, 12]


def test_latest_events_fall_back_to_the_article_date(corpus):
    events = analysis.overview.latest_events(corpus, ALL)
    assert events["event_id" if "event_id" in events else "article_id"].tolist()[0] == "a5"
    assert events["date"].tolist() == [date(2024, 7, 5), date(2024, 6, 30)]
    assert events["dated"].tolist() == [False, True]
    rows = analysis.overview.event_rows(events, analysis.labels.labels_for(corpus, "en"))
    assert rows["kind"].tolist() == ["Visit", "Meeting"]
    # Country names, never codes; a borrowed date says it is the publication date.
    assert rows["route"].iloc[0] == "Russia → North Korea (平壤)"
    assert rows["date"].tolist() == ["published 2024-07-05 (event date unknown)", "2024-06-30"]
    assert rows["outlets"].tolist() == ["TASS", "KCNA"] and rows["time_expr"].iloc[1] == "昨天"


def test_one_visit_told_by_several_reports_is_one_event(corpus):
    events = corpus.events.copy()
    relay = events.iloc[[0]].assign(event_id="e3", article_id="a2")  # a second report of e1
    events = pd.concat([events, relay], ignore_index=True)
    events["story_id"] = ["s-meeting", "s-visit", "s-meeting"]
    told_twice = dataclasses.replace(corpus, events=events)
    assert analysis.overview.overview_stats(told_twice, ALL)["events"] == 2
    assert analysis.overview.overview_stats(told_twice, ALL)["event_reports"] == 3
    latest = analysis.overview.latest_events(told_twice, ALL)
    assert len(latest) == 2
    assert latest.set_index("kind").loc["meeting", "reports"] == 2


def test_latest_events_are_the_newest_stories_however_many_reports_tell_them(corpus):
    """Two stories told in twenty rows each come first; the third newest story still shows,
    with each story's reports (articles) and outlets, newest report first."""
    template = corpus.events.drop(columns="article_pos").iloc[0]  # positions looked up again
    rows = []
    for story, day, count in (("s1", 10, 20), ("s2", 9, 20), ("s3", 8, 1), ("s4", 1, 1)):
        for i in range(count):
            article = ("a2", "a1", "a5")[i % 3] if count > 1 else "a5"
            rows.append(
                template.to_dict()
                | {
                    "event_id": f"{story}-{i}",
                    "article_id": article,
                    "story_id": story,
                    "date": date(2024, 7, day),
                }
            )
    many = dataclasses.replace(corpus, events=pd.DataFrame(rows))
    latest = analysis.overview.latest_events(many, ALL, n=3)
    assert latest["story_key"].tolist() == ["s1", "s2", "s3"]
    assert latest["reports"].tolist() == [3, 3, 1]
    assert latest["outlets"].iloc[0] == (("Yonhap", None), ("KCNA", None), ("TASS", None))
    assert latest["article_id"].tolist() == ["a2", "a2", "a5"]
    assert analysis.overview.latest_events(many, ALL, n=10)["story_key"].tolist() == [
        "s1",
        "s2",
        "s3",
        "s4",
    ]


def test_empty_selection_gives_empty_frames_with_columns(corpus):
    nothing = Filters(sources=("Reuters",))
    assert analysis.filters.filter_articles(corpus, nothing).empty
    assert (
        list(analysis.entities.top_entities(corpus, nothing).columns)
        == analysis.entities.TOP_ENTITY_COLUMNS
    )
    assert analysis.overview.articles_per_day(corpus, nothing).empty
    assert analysis.entities.entity_trend(corpus, nothing, ["kim"])[0].empty
    assert analysis.overview.latest_events(corpus, nothing).empty
    assert analysis.overview.overview_stats(corpus, nothing)["articles"] == 0


def test_empty_tables_do_not_break_queries():
    empty = prepare(
        {"articles": pd.DataFrame([_article("x", "KCNA", "朝中社", date(2024, 7, 1), "文本")])}
    )
    assert analysis.entities.top_entities(empty, ALL).empty
    assert analysis.overview.latest_events(empty, ALL).empty
    assert analysis.overview.overview_stats(empty, ALL)["entities"] == 0


def test_csv_export_opens_in_spreadsheets(corpus):
    data = analysis.export.to_csv(analysis.entities.top_entities(corpus, ALL))
    assert data.startswith(b"\xef\xbb\xbf")
    assert "金正恩" in data.decode("utf-8-sig")


def test_seed_corpus_queries(seed_processed):
    corpus = load_corpus(seed_processed)
    assert len(analysis.filters.filter_articles(corpus, ALL)) == len(corpus.articles)
    once = analysis.filters.filter_articles(corpus, Filters(once=True))
    assert len(once) == len(corpus.articles) - corpus.articles["dup_of"].notna().sum()
    assert len(once) < len(corpus.articles)  # the seed has a relayed KCNA report
    kcna = analysis.filters.filter_articles(corpus, Filters(sources=("KCNA",)))
    assert set(kcna["source"]) == {"KCNA"}


def test_memoised_selection_belongs_to_its_own_corpus():
    one = prepare(
        {"articles": pd.DataFrame([_article("x", "KCNA", "朝中社", date(2024, 7, 1), "甲")])}
    )
    two = prepare(
        {
            "articles": pd.DataFrame(
                [
                    _article("y", "Yonhap", "韩联社", date(2024, 7, 2), "乙"),
                    _article("z", "Yonhap", "韩联社", date(2024, 7, 3), "丙"),
                ]
            )
        }
    )
    july = Filters(date_from=date(2024, 7, 1), date_to=date(2024, 7, 2))
    assert analysis.filters.filter_articles(one, july)["article_id"].tolist() == ["x"]
    assert analysis.filters.filter_articles(two, july)["article_id"].tolist() == ["y"]
    del one  # a new corpus may reuse the id of a dead one: it must not see its selection
    three = prepare({"articles": pd.DataFrame([_article("w", "TASS", "塔斯社", None, "丁")])})
    assert analysis.filters.filter_articles(three, Filters(undated=False)).empty
    assert analysis.filters.filter_articles(three, Filters())["article_id"].tolist() == ["w"]


def test_isin_mask_matches_pandas_isin_with_missing_values():
    values = pd.Series(["a1", None, "b2", "a1", "zz"], dtype="object")
    allowed = pd.Series(["a1", "zz"])
    expected = values.isin(allowed).to_numpy()
    assert analysis.filters.isin_mask(values, allowed).tolist() == expected.tolist()
    assert analysis.filters.isin_mask(values.astype("string"), {"b2"}).tolist() == [
        False,
        False,
        True,
        False,
        False,
    ]
    assert analysis.filters.isin_mask(values.iloc[0:0], allowed).tolist() == []


def _tiny(mention_rows, entities=None):
    articles = pd.DataFrame(
        [
            _article("a1", "KCNA", "朝中社", date(2024, 7, 1), "甲乙丙丁。"),
            _article("a2", "TASS", "塔斯社", date(2024, 7, 2), "甲乙丙丁。"),
        ]
    )
    mentions = pd.DataFrame(
        mention_rows, columns=["article_id", "entity_id", "surface", "type", "start", "end"]
    ).assign(sentence="甲乙丙丁。")
    tables = {"articles": articles, "mentions": mentions}
    if entities is not None:
        tables["entities"] = entities
    return prepare(tables)


def test_an_unverified_name_with_two_types_counts_its_article_under_each():
    # Unverified names are grouped by sound: one id may be written as an org and a person.
    corpus = _tiny([("a1", "u:x", "某甲", "org", 0, 2), ("a1", "u:x", "某乙", "person", 2, 4)])
    people = analysis.entities.top_entities(corpus, Filters(), "person")
    assert people[["entity_id", "mentions", "articles"]].values.tolist() == [["u:x", 1, 1]]
    assert people["type"].tolist() == ["person"]  # not in the entities table: the mention's
    both = analysis.entities.top_entities(corpus, Filters())
    assert both[["mentions", "articles"]].values.tolist() == [[2, 1]]


def test_a_mention_without_entity_id_is_counted_nowhere():
    corpus = _tiny([("a1", "kim", "金正恩", "person", 0, 3), ("a2", None, "某", "person", 0, 1)])
    assert analysis.entities.top_entities(corpus, Filters())["entity_id"].tolist() == ["kim"]
    assert analysis.overview.overview_stats(corpus, Filters())["entities"] == 1


def test_mentions_of_missing_articles_load_without_error():
    mentions = pd.DataFrame(
        [("gone", "kim", "金正恩", "person", 0, 3, "金正恩。")],
        columns=["article_id", "entity_id", "surface", "type", "start", "end", "sentence"],
    )
    corpus = prepare({"mentions": mentions})
    assert corpus.mentions["source"].isna().all()
    assert analysis.entities.top_entities(corpus, Filters()).empty


def test_full_texts_are_read_on_first_use_and_only_from_the_same_run(tmp_path):
    from dashboard.ingest.pipeline import ingest
    from dashboard.tables import store
    from dashboard.tables.paths import DATA_DIR

    out = tmp_path / "out"
    ingest([DATA_DIR / "raw"], out)
    corpus = load_corpus(out)
    assert "text" not in corpus.articles  # not read at load time
    texts = corpus.texts_at(range(len(corpus.articles)))
    written = store.load_tables(out)["articles"]
    assert texts["text"].tolist() == written["text"].tolist()
    first = corpus.articles["article_id"].iloc[0]
    assert analysis.articles.article_by_id(corpus, first)["text"] == written["text"].iloc[0]
    found = analysis.articles.list_articles(corpus, Filters(), "金正恩")
    assert len(found) and all(
        "金正恩" in t
        for t in texts.set_axis(corpus.articles["article_id"]).loc[
            found["article_id"], "text_simplified"
        ]
    )

    ingest([DATA_DIR / "raw"], out, incremental=False)  # a new run replaces the tables
    stale = load_corpus(out)
    ingest([DATA_DIR / "raw"], out, incremental=False)
    # Its run folder is kept while it is the previous set: the texts of its own run.
    assert stale.texts_at([0, 1])["text"].tolist() == texts["text"].tolist()[:2]
    stale._texts.clear()
    ingest([DATA_DIR / "raw"], out, incremental=False)  # two runs later its folder is gone
    with pytest.raises(store.StoreError, match="missing"):
        stale.text_store()
