"""Keyword clouds: weightings (hand-computed cases), the image, the table, the sentences, the CLI."""

from __future__ import annotations

import datetime as dt
import io
import math
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dashboard import analysis, cli, figures
from dashboard.analysis import term_counts
from dashboard.common.textnorm import to_simplified
from dashboard.figures.style import outlet_colors


def _terms(rows):
    return pd.DataFrame(rows, columns=["article_id", "term", "count"])


# ---- weightings --------------------------------------------------------------------------------


def test_frequency_sums_and_orders():
    terms = _terms([("d1", "乙", 2), ("d2", "乙", 1), ("d1", "甲", 3), ("d2", "丙", 1)])
    weights = analysis.keywords.frequency(terms)
    assert weights.to_dict() == {"乙": 3.0, "甲": 3.0, "丙": 1.0}
    assert list(weights.index) == ["乙", "甲", "丙"]  # ties by term, deterministic


def test_tfidf_hand_computed():
    corpus = _terms([("d1", "x", 2), ("d1", "y", 1), ("d2", "x", 1), ("d3", "z", 4)])
    selection = corpus[corpus["article_id"] == "d1"]
    weights = analysis.keywords.tfidf(selection, corpus)
    # N = 3 articles; df(x) = 2, df(y) = 1; idf = ln((1+N)/(1+df)) + 1
    assert weights["x"] == pytest.approx(2 * (math.log(4 / 3) + 1))
    assert weights["y"] == pytest.approx(1 * (math.log(4 / 2) + 1))
    assert "z" not in weights
    assert list(weights.index) == ["x", "y"]


def test_log_odds_symmetric_case():
    target = pd.Series({"a": 3, "b": 1})
    reference = pd.Series({"a": 1, "b": 3})
    prior = pd.Series({"a": 4, "b": 4})  # alpha_0 = 8, n_i = n_j = 4
    z = analysis.keywords.log_odds_z(target, reference, prior)
    delta = math.log(7 / 5) - math.log(5 / 7)
    assert z["a"] == pytest.approx(delta / math.sqrt(1 / 7 + 1 / 5))
    assert z["a"] == pytest.approx(1.14928, abs=1e-4)
    assert z["b"] == pytest.approx(-z["a"])


def test_log_odds_unequal_sizes_and_absent_term():
    target = pd.Series({"a": 2})  # b never appears in the target
    reference = pd.Series({"a": 1, "b": 3})
    prior = pd.Series({"a": 3, "b": 3})  # alpha_0 = 6, n_i = 2, n_j = 4
    z = analysis.keywords.log_odds_z(target, reference, prior)
    assert z["a"] == pytest.approx((math.log(5 / 3) - math.log(4 / 6)) / math.sqrt(1 / 5 + 1 / 4))
    assert z["b"] == pytest.approx((math.log(3 / 5) - math.log(6 / 4)) / math.sqrt(1 / 3 + 1 / 6))
    assert z["a"] == pytest.approx(1.3660, abs=1e-4) and z["b"] == pytest.approx(-1.2958, abs=1e-4)


def test_distinctive_shows_what_sets_an_outlet_apart():
    corpus = _terms(
        [
            ("k1", "敬爱", 3),
            ("k1", "军事", 2),
            ("k2", "敬爱", 2),
            ("k2", "军事", 2),
            ("y1", "军事", 2),
            ("y1", "导弹", 3),
            ("y2", "导弹", 2),
            ("y2", "军事", 3),
        ]
    )
    kcna = corpus[corpus["article_id"].str.startswith("k")]
    weights = analysis.keywords.distinctive(kcna, corpus)
    # KCNA: 军事 4 of 9 tokens, Yonhap: 5 of 10. 敬爱 only KCNA's, 导弹 only Yonhap's.
    assert list(weights.index) == ["敬爱"]  # 导弹 is Yonhap's, 军事 slightly more Yonhap's
    assert (weights > 0).all()
    yonhap = corpus[corpus["article_id"].str.startswith("y")]
    yonhap_weights = analysis.keywords.distinctive(yonhap, corpus)
    assert list(yonhap_weights.index) == ["导弹", "军事"]
    assert yonhap_weights["军事"] < 0.2 * yonhap_weights["导弹"]
    # Nothing outside the selection: nothing to compare with.
    assert analysis.keywords.distinctive(corpus, corpus).empty


def test_cloud_weights_dispatch_and_unknown():
    corpus = _terms([("d1", "x", 2), ("d2", "y", 1)])
    assert analysis.keywords.cloud_weights(corpus, "frequency").to_dict() == {"x": 2.0, "y": 1.0}
    with pytest.raises(ValueError, match="unknown weighting"):
        analysis.keywords.cloud_weights(corpus, "bm25")


def test_ranked_terms_table():
    terms = _terms([("d1", "x", 2), ("d2", "x", 1), ("d2", "y", 5)])
    table = analysis.keywords.ranked_terms(pd.Series({"x": 9.0, "y": 4.0}), terms, top=5)
    assert table.to_dict("records") == [
        {"rank": 1, "term": "x", "weight": 9.0, "count": 3, "articles": 2},
        {"rank": 2, "term": "y", "weight": 4.0, "count": 5, "articles": 1},
    ]


def test_select_articles_filters():
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b", "c"],
            "source": ["KCNA", "Yonhap", "KCNA"],
            "published": [dt.date(2024, 7, 1), dt.date(2024, 7, 9), dt.date(2024, 7, 19)],
            "dup_of": [None, None, "a"],
        }
    )
    assert list(analysis.keywords.select_articles(articles, ["KCNA"])["article_id"]) == ["a", "c"]
    assert list(
        analysis.keywords.select_articles(articles, date_from="2024-07-09")["article_id"]
    ) == ["b", "c"]
    assert list(
        analysis.keywords.select_articles(articles, date_to=dt.date(2024, 7, 9))["article_id"]
    ) == [
        "a",
        "b",
    ]
    assert list(analysis.keywords.select_articles(articles, once=True)["article_id"]) == ["a", "b"]


# ---- sentences ---------------------------------------------------------------------------------


def test_term_sentences_returns_original_script_and_mentions():
    text = "普丁與金正恩在平壤會談。雙方簽署條約!另一句話。"
    articles = pd.DataFrame(
        {
            "article_id": ["t1"],
            "source": ["CNA"],
            "published": [dt.date(2024, 6, 19)],
            "title": ["標題"],
            "text": [text],
            "text_simplified": [to_simplified(text)],
        }
    )
    got = analysis.keywords.term_sentences(articles, "签署")  # searched in Simplified
    assert got["sentence"].tolist() == ["雙方簽署條約!"]  # shown as written
    row = got.iloc[0]
    assert row["sentence"][row["match_start"] : row["match_end"]] == "簽署"
    mentions = pd.DataFrame({"article_id": ["t1"], "entity_id": ["P1"], "start": [0], "end": [2]})
    entities = pd.DataFrame({"entity_id": ["P1"], "name_zh": ["普京"]})
    assert analysis.keywords.term_sentences(articles, "普京").empty
    via_entity = analysis.keywords.term_sentences(articles, "普京", mentions, entities)
    assert via_entity["sentence"].tolist() == ["普丁與金正恩在平壤會談。"]


def test_term_sentences_on_seed(seed_tables):
    articles = seed_tables["articles"]
    got = analysis.keywords.term_sentences(articles, "代表团")
    assert len(got) >= 3
    assert all("代表团" in to_simplified(s) for s in got["sentence"])
    assert set(got["article_id"]) <= set(articles["article_id"])


@pytest.mark.parametrize("term", ["代表团", "俄罗斯", "普京", "金正恩", "月球"])
def test_the_selections_term_sentences_read_only_texts_that_can_hold_them(
    real_pages_processed, seed_processed, term
):
    """The keywords page's list: the same sentences as ``term_sentences`` over every selected
    article with its text, on two corpora and narrowed dates (only the texts that hold the
    term, or mention an entity of that name, are read)."""
    from dashboard.analysis.corpus import load_corpus
    from dashboard.analysis.filters import Filters, filter_articles

    for folder in (real_pages_processed, seed_processed):
        corpus = load_corpus(folder)
        for filters in (Filters(), Filters(date_from=dt.date(2024, 7, 15))):
            everything = filter_articles(corpus, filters, with_text=True)
            plain = analysis.keywords.term_sentences(
                everything, term, corpus.mentions, corpus.entities, limit=200
            )
            got = analysis.keywords.selection_term_sentences(corpus, filters, term, limit=200)
            assert got.to_dict("records") == plain.to_dict("records")


# ---- the image ---------------------------------------------------------------------------------


def test_font_comes_from_the_pip_package():
    path = figures.cloud.font_path()
    assert path.suffix == ".otf" and path.is_file()
    assert "pylopdf_fonts_zh_cn" in str(path)


def _ink(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L")) < 200


def test_chinese_renders_as_glyphs_not_boxes():
    from wordcloud import WordCloud

    def default_font(word):
        wc = WordCloud(
            width=200, height=100, background_color="white", random_state=1, prefer_horizontal=1.0
        )
        return _ink(wc.generate_from_frequencies({word: 1.0}).to_image())

    # The check can fail: with wordcloud's own font, two different words are the same boxes.
    assert np.array_equal(default_font("朝鲜"), default_font("俄国"))
    ours_a = _ink(figures.cloud.render_cloud({"朝鲜": 1.0}, 200, 100))
    ours_b = _ink(figures.cloud.render_cloud({"俄国": 1.0}, 200, 100))
    assert ours_a.any() and ours_b.any()
    assert not np.array_equal(ours_a, ours_b)


def test_render_is_deterministic_and_sized():
    weights = {"金正恩": 8.0, "军事": 6.0, "代表团": 5.0, "合作": 3.0, "平壤": 2.0}
    first = figures.cloud.cloud_png(weights, 400, 200)
    figures.cloud._render_png.cache_clear()
    second = figures.cloud.cloud_png(weights, 400, 200)
    assert first == second
    image = Image.open(io.BytesIO(first))
    assert image.size == (400, 200)
    assert _ink(image).any()


def _zipf_weights(n: int = 100) -> dict[str, float]:
    """n distinct two-character words with weights 1/rank, like a real cloud's long tail."""
    base = 0x4E00
    return {chr(base + 2 * i) + chr(base + 2 * i + 1): 1.0 / (i + 1) for i in range(n)}


def test_side_by_side_clouds_draw_no_word_too_small_to_read():
    # Three clouds to a row on a 900-pixel-wide page: a 600-pixel image shows at 300
    # pixels, so a word must be drawn at 20 pixels or more to show at 10 on the screen.
    floor = figures.cloud.min_word_pixels(600, per_row=3)
    assert floor == 20
    assert figures.cloud.min_word_pixels(600, per_row=2) == 14
    assert figures.cloud.min_word_pixels(900, per_row=1) == figures.cloud.MIN_WORD_PIXELS
    weights = _zipf_weights()
    side_by_side = figures.cloud.cloud_words(weights, 600, 300, min_word_px=floor)
    assert side_by_side and min(size for _, size in side_by_side) >= floor
    assert max(size for _, size in side_by_side) <= 300
    # The check can fail: with the single-cloud floor the same weights draw smaller words.
    alone = figures.cloud.cloud_words(weights, 600, 300, min_word_px=figures.cloud.MIN_WORD_PIXELS)
    assert min(size for _, size in alone) < floor
    assert len(alone) > len(side_by_side)
    # What is drawn is what the image shows: the PNG comes from the same layout.
    assert figures.cloud.cloud_png(weights, 600, 300, min_word_px=floor) != figures.cloud.cloud_png(
        weights, 600, 300
    )


def test_cloud_colours_are_the_colormaps():
    from random import Random

    from wordcloud.wordcloud import colormap_color_func

    ours, theirs = figures.cloud._PaletteColors("viridis"), colormap_color_func("viridis")
    draws = [Random(seed) for seed in range(300)]
    expected = [theirs("w", 10, (0, 0), None, random_state=Random(seed)) for seed in range(300)]
    assert [ours("w", 10, (0, 0), None, random_state=r) for r in draws] == expected
    assert len(set(expected)) > 100


def test_empty_weights_give_a_blank_image():
    image = figures.cloud.render_cloud({}, 300, 150)
    assert image.size == (300, 150) and not _ink(image).any()


# ---- command line ------------------------------------------------------------------------------


def test_cli_writes_a_cloud(seed_processed, tmp_path, capsys):
    out = tmp_path / "cloud.png"
    font = cli.render_cloud_cli(seed_processed, out, sources=["KCNA"], weight="distinctive")
    printed = capsys.readouterr().out
    assert str(font) in printed and "distinctive" in printed
    image = Image.open(out)
    assert image.size == (1200, 600) and _ink(image).any()


def test_cli_empty_selection_says_so(seed_processed, tmp_path, capsys):
    out = tmp_path / "none.png"
    cli.render_cloud_cli(seed_processed, out, date_from="2030-01-01")
    assert "no terms" in capsys.readouterr().out
    assert not _ink(Image.open(out)).any()


# ---- the page's query --------------------------------------------------------------------------


def _mini_corpus():
    articles = pd.DataFrame(
        {
            "article_id": ["k1", "k2", "y1", "u1"],
            "source": ["KCNA", "KCNA", "Yonhap", "unknown"],
        }
    )
    terms = _terms(
        [
            ("k1", "敬爱", 3),
            ("k1", "军事", 2),
            ("k2", "敬爱", 2),
            ("y1", "导弹", 3),
            ("y1", "军事", 2),
            ("u1", "军事", 1),
            ("u1", "条约", 4),
        ]
    )
    return articles, terms


def test_cloud_data_for_the_selection_and_an_outlet():
    articles, terms = _mini_corpus()
    selection = articles[articles["source"] != "unknown"]
    whole = analysis.keywords.cloud_data(selection, terms, "frequency")
    assert whole.articles == 3 and whole.note is None
    assert whole.weights.to_dict() == {"敬爱": 5.0, "军事": 4.0, "导弹": 3.0}
    assert whole.table["term"].tolist() == ["敬爱", "军事", "导弹"]
    # Outlet vs the other outlets of the selection (the unknown outlet is outside it).
    kcna = analysis.keywords.cloud_data(selection, terms, "distinctive", outlet="KCNA")
    assert (
        kcna.weights.index[0] == "敬爱"
        and "导弹" not in kcna.weights
        and "条约" not in kcna.weights
    )
    # The selection vs the rest of the corpus: 条约 is only outside, so it cannot be distinctive.
    contrast = analysis.keywords.cloud_data(selection, terms, "distinctive")
    assert "条约" not in contrast.weights and contrast.weights.index[0] in {"敬爱", "导弹"}


def test_cloud_data_is_the_same_whichever_way_the_rows_are_counted():
    """Rows in article order (as a loaded corpus has them) take the fast paths: the whole
    table, the table minus the rest for wide selections, np.repeat for the row mask. Shuffled
    rows and rows without positions must give the very same clouds."""
    articles, terms = _mini_corpus()
    articles["article_pos"] = np.arange(len(articles), dtype=np.int32)
    position = dict(zip(articles["article_id"], articles["article_pos"], strict=True))
    terms["article_pos"] = terms["article_id"].map(position).astype(np.int32)
    shuffled = terms.sample(frac=1.0, random_state=3).reset_index(drop=True)
    unpositioned = shuffled.drop(columns="article_pos")
    selections = {
        "all": articles,
        "wide": articles[articles["source"] != "unknown"],
        "narrow": articles[articles["source"] == "KCNA"],
    }
    for name, selection in selections.items():
        for weighting in analysis.keywords.WEIGHTINGS:
            for outlet in (None, "KCNA", "Yonhap"):
                fast = analysis.keywords.cloud_data(selection, terms, weighting, outlet)
                for other in (shuffled, unpositioned):
                    slow = analysis.keywords.cloud_data(selection, other, weighting, outlet)
                    where = (name, weighting, outlet)
                    pd.testing.assert_series_equal(fast.weights, slow.weights, obj=str(where))
                    pd.testing.assert_frame_equal(fast.table, slow.table, obj=str(where))
                    assert (fast.articles, fast.note) == (slow.articles, slow.note), where
    # The wide selection is counted as the whole table minus the unknown outlet's rows.
    wide = analysis.keywords.cloud_data(selections["wide"], terms, "frequency")
    assert wide.weights.to_dict() == {"敬爱": 5.0, "军事": 4.0, "导弹": 3.0}
    assert wide.table.set_index("term")["articles"].to_dict() == {"敬爱": 2, "军事": 2, "导弹": 1}


def _random_corpus(seed: int, n: int = 400):
    """Articles of five outlets over two months (some undated, some relayed copies) and
    their term rows in article order, with rows of articles missing from the table (-1)."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-05-01", periods=60).date
    published = rng.choice(np.array(list(days) + [None], dtype=object), n)
    articles = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(n)],
            "source": rng.choice(["KCNA", "TASS", "Yonhap", "Xinhua", "unknown"], n),
            "published": published,
            "dup_of": np.where(rng.random(n) < 0.2, "a0", None),
            "article_pos": np.arange(n, dtype=np.int32),
        }
    )
    words = np.array([f"词{i}" for i in range(40)])
    rows = []
    for position in [-1, -1, *range(n)]:
        for word in rng.choice(words, rng.integers(0, 8), replace=False):
            rows.append((position, word, int(rng.choice([1, 1, 1, 2, 5]))))
    terms = pd.DataFrame(rows, columns=["article_pos", "term", "count"])
    terms["article_pos"] = terms["article_pos"].astype(np.int32)
    terms["article_id"] = [f"a{p}" if p >= 0 else "gone" for p in terms["article_pos"]]
    return articles, terms


@pytest.mark.parametrize("piece, max_runs", [(1 << 22, 4096), (8, 4096), (8, 3)])
def test_counting_in_runs_gives_the_same_clouds(monkeypatch, piece, max_runs):
    """Filter-shaped selections (dates, outlets, relayed copies left out) and scattered
    ones, narrow and wide, counted from the TermRuns' slices (joined or not, or through a
    mask when the runs are many) give the very clouds the mask over all rows gives."""
    monkeypatch.setattr(term_counts, "_PIECE", piece)
    monkeypatch.setattr(term_counts, "_MAX_RUNS", max_runs)
    articles, terms = _random_corpus(5)
    rng = np.random.default_rng(1)
    published = pd.to_datetime(articles["published"])
    selections = [
        articles,
        articles[articles["source"].isin(["KCNA", "TASS"])],
        articles[(published >= "2024-05-10") & (published <= "2024-06-01")],
        articles[articles["dup_of"].isna() & (articles["source"] != "unknown")],
        articles[rng.random(len(articles)) < 0.3],
        articles[rng.random(len(articles)) < 0.9],
        articles[published == pd.Timestamp("2024-05-03")],
    ]
    for number, selection in enumerate(selections):
        for weighting in analysis.keywords.WEIGHTINGS:
            for outlet in (None, "KCNA", "unknown"):
                plain = analysis.keywords.cloud_data(selection, terms, weighting, outlet)
                runs = analysis.keywords.cloud_data(
                    selection, terms, weighting, outlet, everything=articles
                )
                where = str((number, weighting, outlet))
                pd.testing.assert_series_equal(plain.weights, runs.weights, obj=where)
                pd.testing.assert_frame_equal(plain.table, runs.table, obj=where)
                assert (plain.articles, plain.note) == (runs.articles, runs.note), where
    assert analysis.keywords.term_runs(terms, articles) is not None
    # Rows out of article order cannot be cut into runs: the mask route counts them.
    shuffled = terms.sample(frac=1.0, random_state=2).reset_index(drop=True)
    assert analysis.keywords.term_runs(shuffled, articles) is None


def test_two_outlets_compared_count_from_the_runs_as_from_the_rows(tmp_path):
    """The comparison page's counts (compare_outlets) through the TermRuns equal the counts
    of the rows themselves."""
    articles, terms = _random_corpus(9)
    runs = analysis.keywords.term_runs(terms, articles)
    published = pd.to_datetime(articles["published"])
    for chosen in (
        (articles["source"] == "TASS").to_numpy(),
        ((articles["source"] == "KCNA") & (published < "2024-06-10")).to_numpy(),
    ):
        total, using = analysis.keywords.article_term_counts(runs, chosen)
        rows = terms[terms["article_pos"].isin(np.flatnonzero(chosen))]
        index = analysis.keywords.term_index(terms)
        expected = rows.groupby("term")["count"].sum()
        got = pd.Series(total, index=index.vocabulary)
        assert got[got > 0].astype(int).to_dict() == expected.to_dict()
        assert dict(zip(index.vocabulary, using, strict=True)) == {
            term: int((rows["term"] == term).sum()) for term in index.vocabulary
        }


def test_cloud_data_explains_empty_clouds():
    articles, terms = _mini_corpus()
    assert (
        analysis.keywords.cloud_data(articles, terms, "frequency", outlet="TASS").note
        == "no_articles"
    )
    assert analysis.keywords.cloud_data(articles, terms, "distinctive").note == "no_contrast"
    only_kcna = articles[articles["source"] == "KCNA"]
    assert (
        analysis.keywords.cloud_data(only_kcna, terms, "distinctive", outlet="KCNA").note
        == "no_contrast"
    )


def test_outlets_by_size():
    articles, _ = _mini_corpus()
    assert analysis.keywords.outlets_by_size(articles) == ["KCNA", "Yonhap", "unknown"]


# ---- the page (AppTest: the real page script against the seed's processed tables) --------------


def _keywords_page(seed_processed, monkeypatch, **params):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DATA", str(seed_processed))
    at = AppTest.from_file(
        str(figures.cloud.Path(__file__).parents[1] / "pages" / "keywords.py"), default_timeout=60
    )
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_page_shows_whole_selection_and_outlets_side_by_side(seed_processed, monkeypatch):
    at = _keywords_page(seed_processed, monkeypatch, outlet=["KCNA", "Yonhap"], lang="en")
    assert not at.exception
    headings = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<h3")]
    assert [re.sub("<[^>]+>", "", h) for h in headings] == ["Whole selection", "KCNA", "Yonhap"]
    # Each outlet's heading carries its colour from the other charts; the whole has none.
    from dashboard.analysis.corpus import load_corpus

    colors = outlet_colors(analysis.labels.outlet_order(load_corpus(seed_processed)))
    assert colors["KCNA"] in headings[1] and colors["Yonhap"] in headings[2]
    assert "background" not in headings[0]
    # Two outlets compared: what sets each apart is the default, not raw counts.
    assert any("Shown: distinctive" in i.value for i in at.info)
    assert "weight" not in at.query_params
    tables = at.dataframe
    assert len(tables) == 3
    assert "金正恩" in tables[0].value["term"].head(5).tolist()
    assert len(at.get("download_button")) == 6  # PNG and CSV per cloud


def test_page_term_choice_lists_sentences_and_goes_to_the_url(seed_processed, monkeypatch):
    at = _keywords_page(seed_processed, monkeypatch, weight="tfidf", term="代表团", lang="en")
    assert not at.exception
    assert any("TF-IDF" in i.value for i in at.info)
    assert at.query_params["term"] == "代表团" and at.query_params["weight"] == "tfidf"
    listing = next(h.proto.body for h in at.get("html") if 'class="sentences"' in h.proto.body)
    items = listing.split("<li>")[1:]
    assert len(items) >= 3
    # The term is marked where it stands in each sentence, and each leads to its article.
    assert all("<mark>代表团</mark>" in item for item in items)
    assert all('href="articles?' in item for item in items)
    search = [
        h.proto.body for h in at.get("html") if "q=%E4%BB%A3%E8%A1%A8%E5%9B%A2" in h.proto.body
    ]
    assert search  # one click to the hits of the term in context


def test_page_bad_weighting_in_link_is_a_notice(seed_processed, monkeypatch):
    at = _keywords_page(seed_processed, monkeypatch, weight="bogus", lang="en", outlet="KCNA")
    assert not at.exception
    assert any("weight=bogus" in w.value for w in at.warning)
    assert any("Shown: raw frequency" in i.value for i in at.info)  # one outlet: raw counts


def test_cloud_command_writes_the_png(seed_processed, tmp_path, capsys):
    """The `cloud` command itself, as a user types it (not only the function behind it)."""
    out = tmp_path / "cmd.png"
    args = ["cloud", "--out", str(out), "--data", str(seed_processed), "--source", "KCNA"]
    assert cli.main(args) == 0
    assert "wrote" in capsys.readouterr().out
    assert _ink(Image.open(out)).any()
