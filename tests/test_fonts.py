"""The clouds' cut-down font: made in the background, used only where it has every character,
and drawing the same pixels as the full font."""

from __future__ import annotations

import time

import numpy as np
import pytest

from dashboard import figures
from dashboard.figures import fonts


@pytest.fixture(scope="module")
def fresh_copy(tmp_path_factory):
    """A cache directory with no copy in it, and the copy the app's first cloud starts making
    there in the background (waited for)."""
    where = tmp_path_factory.mktemp("font_cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASHBOARD_CACHE", str(where))
        patch.setattr(fonts, "_build_started", False)
        assert not fonts.subset_path().exists()
        # While it is missing, the full font draws the cloud, and making the copy starts.
        assert fonts.font_for(["朝鲜", "俄罗斯"]) == fonts.full_font()
        deadline = time.monotonic() + 120
        while not fonts.subset_path().exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        copy = fonts.subset_path()
        assert copy.exists(), "the background process made no copy of the font"
        yield copy


def test_the_copy_is_made_in_the_background_and_is_smaller(fresh_copy):
    assert fresh_copy.parent.name.startswith("font_cache")
    assert fresh_copy.stat().st_size < fonts.full_font().stat().st_size / 3
    assert not list(fresh_copy.parent.glob("*.part"))  # no half-written file left behind


def test_the_copy_is_used_only_for_words_it_can_draw(fresh_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_CACHE", str(fresh_copy.parent))
    assert fonts.font_for(["朝鲜", "代表团", "G20", "《劳动新闻》"]) == fresh_copy
    # 湜 is not in GB2312 but in the gazetteer (申源湜); 𠀾 is in neither.
    assert fonts.font_for(["申源湜"]) == fresh_copy
    assert fonts.font_for(["代表团", "𠀾"]) == fonts.full_font()


def test_the_copy_draws_the_same_pixels_as_the_full_font(fresh_copy, monkeypatch):
    weights = {
        "代表团": 9.0,
        "金正恩": 7.0,
        "普京": 6.0,
        "军事合作": 5.0,
        "申源湜": 4.0,
        "G20": 3.0,
        "Su-57": 3.0,
        "《劳动新闻》": 2.0,
        "2024年": 2.0,
        "平壤": 1.5,
        "莫斯科": 1.0,
    }
    images = {}
    for font in (fonts.full_font(), fresh_copy):
        monkeypatch.setattr(fonts, "font_for", lambda words, font=font: font)
        figures.cloud._render_png.cache_clear()
        images[font] = [
            figures.cloud.cloud_png(weights, width, width // 2, min_word_px=floor)
            for width, floor in ((600, 18), (900, 12))
        ]
    figures.cloud._render_png.cache_clear()
    assert images[fresh_copy] == images[fonts.full_font()]


def test_a_cache_that_cannot_be_written_still_draws_clouds(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("DASHBOARD_CACHE", str(blocked / "cache"))
    monkeypatch.setattr(fonts, "_build_started", False)
    assert fonts.font_for(["朝鲜"]) == fonts.full_font()
    figures.cloud._render_png.cache_clear()
    image = figures.cloud.render_cloud({"朝鲜": 2.0, "俄罗斯": 1.0}, 300, 150)
    assert (np.asarray(image.convert("L")) < 200).any()
