"""Figure functions: the data a user sees in each chart, hover texts, and safe reader HTML."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import figures
from dashboard.analysis.labels import Labels
from dashboard.figures.style import outlet_colors

ORDER = ("Yonhap", "KCNA")  # the corpus's outlets by size


def _labels(lang="zh"):
    names = {"KCNA": "朝中社", "Yonhap": "韩联社"} if lang == "zh" else {}
    return Labels(lang, outlets=names, outlet_order=ORDER)


def test_articles_per_day_stacks_one_trace_per_outlet():
    per_day = pd.DataFrame(
        {
            "published": [date(2024, 7, 1), date(2024, 7, 1), date(2024, 7, 2)],
            "source": ["KCNA", "Yonhap", "KCNA"],
            "source_zh": ["朝中社", "韩联社", "朝中社"],
            "articles": [1, 2, 3],
        }
    )
    fig = figures.overview.articles_per_period_figure(per_day, _labels(), outlet_colors(ORDER))
    assert fig.layout.barmode == "stack"
    by_name = {t.name: ([str(d) for d in t.x], list(t.y)) for t in fig.data}
    assert by_name["朝中社"] == (["2024-07-01", "2024-07-02"], [1, 3])
    assert by_name["韩联社"] == (["2024-07-01"], [2])
    # The legend follows the corpus's order (largest outlet first), not the alphabet.
    assert [t.name for t in fig.data] == ["韩联社", "朝中社"]


def test_weekly_bars_say_so_on_the_axis_and_in_the_hover():
    per_week = pd.DataFrame(
        {
            "published": [date(2024, 7, 1), date(2024, 7, 8)],
            "source": ["KCNA", "KCNA"],
            "source_zh": ["朝中社", "朝中社"],
            "articles": [3, 4],
        }
    )
    colors = outlet_colors(ORDER)
    fig = figures.overview.articles_per_period_figure(per_week, _labels("en"), colors, "W")
    assert fig.layout.xaxis.title.text == "Week (first day)"
    assert "week of %Y-%m-%d" in fig.data[0].hovertemplate
    monthly = figures.overview.articles_per_period_figure(per_week, _labels(), colors, "M")
    assert monthly.layout.xaxis.title.text == "月份"
    # Ticks in the page's language, with the year: no English month names on Chinese pages.
    formats = [s.value for s in monthly.layout.xaxis.tickformatstops]
    assert all("%Y" in f for f in formats) and not any("%b" in f for f in formats)


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
    fig = figures.entities.top_entities_figure(_top(), _labels())
    bar = fig.data[0]
    assert list(bar.y) == ["金正恩", "俄罗斯"] and list(bar.x) == [5, 3]
    assert [row[0] for row in bar.customdata] == ["kim", "rus"]  # what a click selects
    assert bar.customdata[0][2] == "Kim Jong Un" and "金委员长" in bar.customdata[0][3]
    assert "别名" in bar.hovertemplate
    assert bar.marker.color[0] != bar.marker.color[1]  # person and country differ


def test_top_entities_in_english_uses_english_names():
    fig = figures.entities.top_entities_figure(_top(), _labels("en"))
    assert list(fig.data[0].y) == ["Kim Jong Un", "Russia"]
    assert "Aliases" in fig.data[0].hovertemplate
    # A legend says what the bar colours mean.
    assert [t.name for t in fig.data if t.showlegend is not False] == ["Person", "Country"]


def test_hover_text_from_articles_is_escaped():
    top = _top()
    top.loc[0, "aliases"] = "<img src=x onerror=alert(1)>"
    fig = figures.entities.top_entities_figure(top, _labels())
    assert "<img" not in fig.data[0].customdata[0][3]


def test_duplicate_display_names_stay_separate_bars():
    top = _top()
    top.loc[1, "name_zh"] = "金正恩"
    fig = figures.entities.top_entities_figure(top, _labels())
    assert len(set(fig.data[0].y)) == 2


def test_empty_inputs_give_empty_figures():
    labels = _labels()
    assert len(figures.entities.top_entities_figure(_top().iloc[0:0], labels).data) == 0
    empty_day = pd.DataFrame({"published": [], "source": [], "source_zh": [], "articles": []})
    colors = outlet_colors(ORDER)
    assert len(figures.overview.articles_per_period_figure(empty_day, labels, colors).data) == 0
    empty_trend = pd.DataFrame({c: [] for c in ("published", "entity_id", "mentions", "share")})
    assert len(figures.entities.entity_trend_figure(empty_trend, {"kim": "金"}, labels).data) == 0


def test_outlet_heatmap_compares_shares_not_raw_counts():
    by_outlet = pd.DataFrame(
        {
            "entity_id": ["kim", "kim", "rus", "rus"],
            "source": ["KCNA", "Yonhap", "KCNA", "Yonhap"],
            "mentions": [1, 20, 4, 0],
            "articles": [1, 10, 2, 0],
            "outlet_articles": [2, 100, 2, 100],
            "share": [0.5, 0.1, 1.0, 0.0],
        }
    )
    names = {"kim": "金正恩", "rus": "俄罗斯"}
    fig = figures.entities.entity_outlet_heatmap(by_outlet, names, _labels(), outlet_colors(ORDER))
    heat = fig.data[0]
    assert list(heat.y) == ["金正恩", "俄罗斯"] and list(heat.x) == ["韩联社", "朝中社"]
    # The small outlet's half of its articles outweighs the big one's tenth.
    assert heat.z[0][1] == 0.5 and heat.z[0][0] == 0.1 and heat.z[1][0] == 0.0
    counts = figures.entities.entity_outlet_heatmap(
        by_outlet, names, _labels(), outlet_colors(ORDER), "count"
    )
    assert counts.data[0].z[0][0] == 20


def test_trend_bins_and_gaps():
    trend = pd.DataFrame(
        {
            "published": [date(2024, 7, 1), date(2024, 7, 8), date(2024, 7, 15)],
            "entity_id": ["kim"] * 3,
            "mentions": [2, 0, 1],
            "articles": [1, 0, 1],
            "period_articles": [4, 0, 2],
            "share": [0.25, float("nan"), 0.5],
        }
    )
    bars = figures.entities.entity_trend_figure(trend, {"kim": "金正恩"}, _labels(), "W")
    # A week without any article has no bar; a bar is a week wide, not the gap between bars.
    assert [str(d) for d in bars.data[0].x] == ["2024-07-01", "2024-07-15"]
    assert bars.data[0].width > 6 * 86_400_000 * 0.8
    lines = figures.entities.entity_trend_figure(trend, {"kim": "金正恩"}, _labels(), "W", "share")
    line = lines.data[0]
    assert line.connectgaps is False and pd.isna(line.y[1]) and line.y[2] == 0.5


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
