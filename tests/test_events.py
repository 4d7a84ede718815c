"""The events stage on hand-built mention tables (the entity stage is not needed)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.common.textnorm import to_simplified
from dashboard.ingest.articles import extract_articles
from dashboard.ingest.events import COLUMNS, build_events, run
from dashboard.ingest.pipeline import PipelineContext
from dashboard.ingest.report import IngestReport
from dashboard.ingest.stories import assign_stories
from dashboard.tables.paths import DATA_DIR
from dashboard.tables.schema import EVENT_COLUMNS

# surface (Simplified) -> (entity_id, type, country)
NAMES = {
    "朝鲜": ("PRK", "country", "PRK"),
    "北韩": ("PRK", "country", "PRK"),
    "俄罗斯": ("RUS", "country", "RUS"),
    "中国": ("CHN", "country", "CHN"),
    "韩国": ("KOR", "country", "KOR"),
    "南韩": ("KOR", "country", "KOR"),
    "日本": ("JPN", "country", "JPN"),
    "美国": ("USA", "country", "USA"),
    "平壤": ("pyongyang", "place", "PRK"),
    "莫斯科": ("moscow", "place", "RUS"),
    "首尔": ("seoul", "place", "KOR"),
    "东京": ("tokyo", "place", "JPN"),
    "金正恩": ("kim_jong_un", "person", "PRK"),
    "普京": ("putin", "person", "RUS"),
    "普丁": ("putin", "person", "RUS"),
    "克里沃鲁奇科": ("krivoruchko", "person", "RUS"),
    "克里沃鲁齐科": ("krivoruchko", "person", "RUS"),
    "金琴铁": ("kim_kum_chol", "person", "PRK"),
    "拉夫罗夫": ("lavrov", "person", "RUS"),
    "绍伊古": ("shoigu", "person", "RUS"),
    "崔善姬": ("choe_son_hui", "person", "PRK"),
    "尹锡悦": ("yoon", "person", "KOR"),
    "岸田文雄": ("kishida", "person", "JPN"),
}


def tables_for(articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for a in articles.itertuples(index=False):
        taken: set[int] = set()
        for surface in sorted(NAMES, key=len, reverse=True):
            i = a.text_simplified.find(surface)
            while i >= 0:
                span = set(range(i, i + len(surface)))
                if not span & taken:
                    taken |= span
                    eid, typ, _ = NAMES[surface]
                    rows.append((a.article_id, eid, surface, typ, i, i + len(surface), ""))
                i = a.text_simplified.find(surface, i + 1)
    mentions = pd.DataFrame(
        rows, columns=["article_id", "entity_id", "surface", "type", "start", "end", "sentence"]
    )
    entities = pd.DataFrame(
        [(eid, typ, s, "", [s], c, None, None) for s, (eid, typ, c) in NAMES.items()],
        columns=["entity_id", "type", "name_zh", "name_en", "aliases", "country", "lat", "lon"],
    ).drop_duplicates("entity_id")
    return mentions, entities


def article(aid: str, published: str, text: str, source: str = "X") -> dict:
    return {
        "article_id": aid,
        "published": date.fromisoformat(published),
        "text": text,
        "text_simplified": to_simplified(text),
        "source": source,
    }


def events_of(*arts: dict) -> pd.DataFrame:
    articles = pd.DataFrame(list(arts))
    mentions, entities = tables_for(articles)
    return build_events(articles, mentions, entities)


@pytest.fixture(scope="module")
def seed_events() -> pd.DataFrame:
    articles = extract_articles([DATA_DIR / "raw"], IngestReport())
    mentions, entities = tables_for(articles)
    return build_events(articles, mentions, entities)


def _has(events, frm, to, day, kinds):
    hit = events[
        (events.from_country == frm)
        & (events.to_country == to)
        & (events.date == date.fromisoformat(day))
        & (events.date_precision == "day")
        & events.kind.isin(kinds)
    ]
    return hit


def test_seed_krivoruchko_meets_kim_in_pyongyang_on_july_18(seed_events):
    hit = _has(seed_events, "RUS", "PRK", "2024-07-18", {"meeting", "visit"})
    assert len(hit) >= 2  # told by at least two of the reports
    assert "krivoruchko" in set(hit.lead)
    assert hit.story_id.nunique() == 1
    assert (hit.place.dropna() == "平壤").all()


def test_seed_military_education_delegation_sets_out_on_july_8(seed_events):
    hit = _has(seed_events, "PRK", "RUS", "2024-07-08", {"departure"})
    assert len(hit) >= 1
    assert "前一天" in set(hit.time_expr)  # resolved against 朝中社9日报道, not the page date


def test_seed_putin_kim_summit_on_june_19(seed_events):
    hit = _has(seed_events, "RUS", "PRK", "2024-06-19", {"summit"})
    assert len(hit) == 1 and hit.iloc[0].lead == "putin"
    summit_rows = seed_events[seed_events.kind == "summit"]
    # 今年6月朝俄平壤峰会 (month only) and 上月19日举行首脑会谈 join the same story.
    assert summit_rows.story_id.nunique() == 1
    assert set(summit_rows.date_precision) == {"day", "month"}


def test_seed_stories_show_each_visit_once(seed_events):
    july = seed_events[seed_events.date >= date(2024, 7, 1)]
    assert set(july.story_id) == {"travel:RUS-PRK:2024-07-18", "travel:PRK-RUS:2024-07-08"}


def test_contract_columns_and_run(seed_events):
    assert list(seed_events.columns) == COLUMNS
    assert set(EVENT_COLUMNS) <= set(COLUMNS)
    ctx = PipelineContext(
        {"articles": pd.DataFrame([article("a", "2024-06-20", "俄罗斯总统普京19日抵达平壤。")])},
        IngestReport(),
    )
    ctx.tables["mentions"], ctx.tables["entities"] = tables_for(ctx.tables["articles"])
    run(ctx)
    ev = ctx.tables["events"]
    assert list(ev.columns) == COLUMNS and len(ev) == 1
    assert ev.iloc[0][["from_country", "to_country", "date"]].tolist() == [
        "RUS",
        "PRK",
        date(2024, 6, 19),
    ]
    assert ctx.report.counts["stories"] == 1


def test_empty_inputs_give_empty_table_with_columns():
    ctx = PipelineContext(
        {"articles": pd.DataFrame([article("a", "2024-06-20", "没有任何访问。")])}, IngestReport()
    )
    run(ctx)
    assert ctx.tables["events"].empty and list(ctx.tables["events"].columns) == COLUMNS


@pytest.mark.parametrize(
    "text",
    [
        "克里姆林宫17日宣布，应朝鲜国务委员长金正恩邀请，俄罗斯总统普京将于18日至19日对朝鲜进行国事访问。",
        "俄羅斯外長拉夫羅夫預計下月訪問北韓，目前雙方正在協調日程。",
        "金正恩17日邀请普京访问平壤。",
        "韩国外交部17日表示，如果朝鲜领导人访问俄罗斯，将违反联合国决议。",
        "俄罗斯17日否认绍伊古访问平壤。",
        "日本首相岸田文雄计划于下周访问韩国。",
    ],
)
def test_plans_invitations_hypotheticals_and_denials_are_not_events(text):
    assert events_of(article("p", "2024-06-17", text)).empty


def test_traditional_text_and_taiwanese_names():
    ev = events_of(
        article(
            "t",
            "2024-06-19",
            "（法新社平壤19日電）俄羅斯總統普丁今天凌晨抵達平壤，展開24年來首度訪問北韓行程。",
        )
    )
    assert set(zip(ev.from_country, ev.to_country, ev.date, strict=True)) == {
        ("RUS", "PRK", date(2024, 6, 19))
    }
    assert set(ev.lead) == {"putin"}
    assert ev.iloc[0].evidence.startswith("俄羅斯總統普丁")  # the evidence is shown as written


def test_meeting_direction_follows_the_place_not_the_word_order():
    ev = events_of(
        article("m", "2024-11-02", "俄罗斯外长拉夫罗夫1日在莫斯科同朝鲜外务相崔善姬举行会谈。")
    )
    assert ev[["kind", "from_country", "to_country", "place"]].values.tolist() == [
        ["meeting", "PRK", "RUS", "莫斯科"]
    ]


def test_attributive_visit_is_not_an_event_of_its_own():
    # 正在莫斯科进行访问的朝鲜官员 describes the official; 日前 dates the drowning.
    ev = events_of(
        article("d", "2024-07-20", "一名正在莫斯科进行访问的朝鲜官员,日前在莫斯科郊外溺水身亡。")
    )
    assert ev.empty


def test_reporting_date_is_not_the_event_date():
    ev = events_of(
        article("r", "2024-07-20", "朝中社星期五(19日)报道,金正恩18日在平壤会见了俄罗斯代表团。")
    )
    assert set(ev.date) == {date(2024, 7, 18)}


def test_undated_mentions_are_not_placed_on_the_timeline():
    # a comment that alone tells the visit counts for the pair, with no date to place it by
    ev = events_of(article("u", "2024-07-20", "这是俄罗斯军事高官首次访问朝鲜。"))
    assert list(zip(ev.from_country, ev.to_country, ev.date.isna(), strict=True)) == [
        ("RUS", "PRK", True)
    ]


def test_vague_date_gives_a_window():
    ev = events_of(article("v", "2024-08-14", "朝中社报道，朝鲜人民军代表团日前抵达莫斯科。"))
    row = ev.iloc[0]
    assert row.approximate and row.date_precision == "month" and row.date < row.date_end


def _ev(**kw) -> dict:
    base = dict(
        event_id="e",
        article_id="a",
        kind="visit",
        lead=None,
        from_country="RUS",
        to_country="PRK",
        place=None,
        date=date(2024, 7, 18),
        date_end=date(2024, 7, 18),
        date_precision="day",
        approximate=False,
        time_expr="",
        evidence="",
    )
    base.update(kw)
    return base


def stories(*rows: dict) -> list[str]:
    return assign_stories(pd.DataFrame(list(rows))).tolist()


def test_departure_and_arrival_a_day_apart_are_one_story():
    s = stories(
        _ev(kind="departure", date=date(2024, 7, 8), date_end=date(2024, 7, 8)),
        _ev(date=date(2024, 7, 9), date_end=date(2024, 7, 9)),
    )
    assert s[0] == s[1]


def test_different_leads_or_directions_or_weeks_are_different_stories():
    assert len(set(stories(_ev(lead="lavrov"), _ev(lead="shoigu")))) == 2
    assert len(set(stories(_ev(), _ev(from_country="PRK", to_country="RUS")))) == 2
    assert len(set(stories(_ev(), _ev(date=date(2024, 7, 25), date_end=date(2024, 7, 25))))) == 2
    s = stories(_ev(lead="shoigu"), _ev(lead="lavrov"), _ev(lead=None))
    assert len(set(s)) == 2 and s[2] in s[:2]  # an unknown lead joins one of them


def test_summit_pairs_are_unordered_and_month_mentions_join_the_day():
    s = stories(
        _ev(kind="summit", date=date(2024, 6, 19), date_end=date(2024, 6, 19)),
        _ev(
            kind="summit",
            from_country="PRK",
            to_country="RUS",
            date=date(2024, 6, 19),
            date_end=date(2024, 6, 19),
        ),
        _ev(
            kind="summit", date=date(2024, 6, 1), date_end=date(2024, 6, 30), date_precision="month"
        ),
    )
    assert len(set(s)) == 1 and s[0] == "summit:PRK-RUS:2024-06-19"


def test_a_vague_window_never_bridges_two_visits():
    s = stories(
        _ev(lead="lavrov", date=date(2024, 7, 2), date_end=date(2024, 7, 2)),
        _ev(lead="shoigu", date=date(2024, 7, 12), date_end=date(2024, 7, 12)),
        _ev(
            date=date(2024, 7, 1),
            date_end=date(2024, 7, 15),
            date_precision="month",
            approximate=True,
        ),
    )
    assert len(set(s)) == 2 and s[2] in s[:2]


def test_a_meeting_without_place_takes_the_direction_the_article_already_gave():
    ev = events_of(
        article(
            "b",
            "2024-12-01",
            "俄罗斯国防部长绍伊古于11月29日抵达平壤。次日，朝鲜国防相金正恩与绍伊古举行了会谈。",
        )
    )
    assert set(zip(ev.kind, ev.from_country, ev.to_country, strict=True)) == {
        ("visit", "RUS", "PRK"),
        ("meeting", "RUS", "PRK"),
    }
    assert ev.story_id.nunique() == 1


def test_a_multi_day_visit_starts_on_its_first_day():
    ev = events_of(
        article("r", "2024-04-14", "新华社北京4月14日电 朝鲜人民军代表团于4月10日至13日访华。")
    )
    row = ev.iloc[0]
    assert (row.from_country, row.to_country, row.date, row.date_end) == (
        "PRK",
        "CHN",
        date(2024, 4, 10),
        date(2024, 4, 13),
    )


def test_the_date_of_taking_office_does_not_date_a_visit():
    # 去年5月 tells when the president took office, not when he went to Japan.
    ev = events_of(article("o1", "2024-07-19", "韩国总统尹锡悦去年5月就任后首次访问日本。"))
    assert list(zip(ev.from_country, ev.to_country, ev.date.isna(), strict=True)) == [
        ("KOR", "JPN", True)
    ]
    ev = events_of(
        article("o2", "2024-07-19", "尹锡悦18日抵达东京，这是他去年就任后首次访问日本。")
    )
    assert set(ev.date) == {date(2024, 7, 18)} and set(ev.time_expr) == {"18日"}


def test_the_start_lookaheads_change_no_match():
    """_TRIGGER and _ABBR_SIDE open with their first characters as a lookahead (for speed):
    they find what the bare patterns find, on every sentence the generator writes."""
    import re
    import tempfile
    from pathlib import Path

    from dashboard.ingest import event_rules
    from dashboard.tools.synth import generate

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), 300, seed=3)
        texts = [
            p.read_text(encoding="utf-8", errors="ignore")
            for p in Path(tmp).rglob("*")
            if p.is_file()
        ]
    texts += ["自2018年以来访问中国", "不抵俄", "抵俄访华", "中俄方面", "朝方与俄方"]
    bare_trigger = re.compile(event_rules._TRIGGER_ALTERNATIVES)
    bare_side = re.compile(event_rules._ABBR_SIDE.pattern.removeprefix("(?=[朝俄韩日美乌华])"))
    assert bare_side.pattern != event_rules._ABBR_SIDE.pattern
    for text in texts:
        for fast, bare in (
            (event_rules._TRIGGER, bare_trigger),
            (event_rules._ABBR_SIDE, bare_side),
        ):
            assert [m.span() for m in fast.finditer(text)] == [
                m.span() for m in bare.finditer(text)
            ]


def test_the_travel_abbreviations_are_the_same_in_both_rule_modules():
    # event_roles keeps its own copy of the characters (it is imported by event_rules)
    from dashboard.ingest import event_roles, event_rules

    assert set(event_roles._AB) == set(event_rules.ABBREVIATIONS)
