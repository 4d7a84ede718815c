"""Figure functions: the data a user sees in each chart, hover texts, and safe reader HTML."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import figures


def test_articles_per_day_stacks_one_trace_per_outlet():
    per_day = pd.DataFrame(
        {
            "published": [date(2024, 7, 1), date(2024, 7, 1), date(2024, 7, 2)],
            "source": ["KCNA", "Yonhap", "KCNA"],
            "source_zh": ["朝中社", "韩联社", "朝中社"],
            "articles": [1, 2, 3],
        }
    )
    fig = figures.overview.articles_per_day_figure(
        per_day, "zh", {"KCNA": "朝中社", "Yonhap": "韩联社"}.get
    )
    assert fig.layout.barmode == "stack"
    by_name = {t.name: ([str(d) for d in t.x], list(t.y)) for t in fig.data}
    assert by_name["朝中社"] == (["2024-07-01", "2024-07-02"], [1, 3])
    assert by_name["韩联社"] == (["2024-07-01"], [2])


def test_weekly_bars_say_so_on_the_axis_and_in_the_hover():
    per_week = pd.DataFrame(
        {
            "published": [date(2024, 7, 1), date(2024, 7, 8)],
            "source": ["KCNA", "KCNA"],
            "source_zh": ["朝中社", "朝中社"],
            "articles": [3, 4],
        }
    )
    fig = figures.overview.articles_per_day_figure(per_week, "en", period="W")
    assert fig.layout.xaxis.title.text == "Week (first day)"
    assert "week of %{x|%Y-%m-%d}" in fig.data[0].hovertemplate
    monthly = figures.overview.articles_per_day_figure(per_week, "zh", period="M")
    assert monthly.layout.xaxis.tickformat == "%Y-%m" and monthly.layout.xaxis.title.text == "月份"


def _top():
    return pd.DataFrame(
        {
            "entity_id": ["kim", "rus"],
            "name_zh": ["金正恩", "俄罗斯"],
            "name_en": ["Kim Jong Un", "Russia"],
            "aliases": ["金正恩、金委员长", "俄罗斯、俄国"],
            "type": ["person", "country"],
            "mentions": [5, 3],
            "articles": [2, 2],
        }
    )


def test_top_entities_bars_carry_ids_and_hover_names():
    fig = figures.entities.top_entities_figure(_top(), "zh")
    bar = fig.data[0]
    assert list(bar.y) == ["金正恩", "俄罗斯"] and list(bar.x) == [5, 3]
    assert [row[0] for row in bar.customdata] == ["kim", "rus"]  # what a click selects
    assert bar.customdata[0][2] == "Kim Jong Un" and "金委员长" in bar.customdata[0][3]
    assert "别名" in bar.hovertemplate
    assert bar.marker.color[0] != bar.marker.color[1]  # person and country differ


def test_top_entities_in_english_uses_english_names():
    fig = figures.entities.top_entities_figure(_top(), "en")
    assert list(fig.data[0].y) == ["Kim Jong Un", "Russia"]
    assert "Aliases" in fig.data[0].hovertemplate


def test_hover_text_from_articles_is_escaped():
    top = _top()
    top.loc[0, "aliases"] = "<img src=x onerror=alert(1)>"
    fig = figures.entities.top_entities_figure(top, "zh")
    assert "<img" not in fig.data[0].customdata[0][3]


def test_duplicate_display_names_stay_separate_bars():
    top = _top()
    top.loc[1, "name_zh"] = "金正恩"
    fig = figures.entities.top_entities_figure(top, "zh")
    assert len(set(fig.data[0].y)) == 2


def test_empty_inputs_give_empty_figures():
    assert len(figures.entities.top_entities_figure(_top().iloc[0:0], "zh").data) == 0
    empty_day = pd.DataFrame({"published": [], "source": [], "source_zh": [], "articles": []})
    assert len(figures.overview.articles_per_day_figure(empty_day, "zh").data) == 0
    empty_trend = pd.DataFrame({"published": [], "entity_id": [], "mentions": []})
    assert len(figures.entities.entity_trend_figure(empty_trend, {"kim": "金正恩"}, "zh").data) == 0


def test_outlet_and_trend_figures():
    by_outlet = pd.DataFrame(
        {
            "entity_id": ["kim", "kim", "rus"],
            "source": ["KCNA", "Yonhap", "KCNA"],
            "mentions": [1, 2, 4],
        }
    )
    fig = figures.entities.entity_outlet_figure(by_outlet, {"kim": "金正恩", "rus": "俄罗斯"}, "zh")
    kcna = next(t for t in fig.data if t.name == "KCNA")
    assert list(kcna.x) == ["金正恩", "俄罗斯"] and list(kcna.y) == [1, 4]
    trend = pd.DataFrame(
        {
            "published": [date(2024, 7, 1), date(2024, 7, 3)],
            "entity_id": ["kim", "kim"],
            "mentions": [2, 1],
        }
    )
    fig = figures.entities.entity_trend_figure(trend, {"kim": "金正恩"}, "zh")
    assert fig.data[0].name == "金正恩" and list(fig.data[0].y) == [2, 1]


def test_reader_marks_entities_and_escapes_markup():
    text = '金正恩<script>alert("x")</script>会见普京'
    start = text.index("普京")
    mentions = pd.DataFrame(
        {
            "entity_id": ["kim", "putin"],
            "surface": ["金正恩", "普京"],
            "type": ["person", "person"],
            "start": [0, start],
            "end": [3, start + 2],
        }
    )
    out = figures.reader.highlight_html(text, mentions)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert out.count('<mark class="ent ent-person"') == 2
    assert ">普京</mark>" in out


def test_reader_skips_offsets_outside_the_text():
    mentions = pd.DataFrame(
        {"entity_id": ["x"], "surface": ["普京"], "type": ["person"], "start": [50], "end": [52]}
    )
    assert "<mark" not in figures.reader.highlight_html("短文", mentions)


def test_sentence_marking_escapes_both_sentence_and_surface():
    out = figures.reader.mark_in_sentence("<b>普京</b>访问平壤", "普京")
    assert out == "&lt;b&gt;<mark>普京</mark>&lt;/b&gt;访问平壤"


def test_reader_legend_names_every_type_in_the_ui_language():
    assert all(
        word in figures.reader.legend_html("en")
        for word in ("Person", "Country", "Organization", "Place")
    )
    assert "人物" in figures.reader.legend_html("zh")
