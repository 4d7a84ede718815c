"""Keyword clouds: term weightings, the cloud image, the ranked table and the sentences of a term.

Pure functions, no Streamlit; the keywords page and ``python -m dashboard cloud`` both use them.

Weightings (over the ``terms`` table, one row per article and term):

- ``frequency``: occurrences of the term in the selected articles.
- ``tfidf``: occurrences in the selection times a smoothed inverse document frequency over the
  comparison corpus: ``idf = ln((1 + N) / (1 + df)) + 1`` (N articles, df articles containing
  the term; scikit-learn's smoothing, so a term in every article still counts).
- ``distinctive``: the z-score of the log-odds ratio with an informative Dirichlet prior
  (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 16-22): the selection against the rest
  of the comparison corpus, with the whole comparison corpus as the prior (alpha_w = its count
  of w). Only terms with z > 0 (more typical of the selection than of the rest) are shown.

Font: Noto Sans SC Regular (``NotoSansSC-Regular.otf``) from the pip package
``pylopdf-fonts-zh-cn`` (in requirements.txt), licensed under the SIL Open Font License 1.1
(the license text ships in the package's ``dist-info/licenses/LICENSE``). It is never taken from
the operating system, so a fresh install renders Chinese, not boxes. A single-face .otf is used
on purpose: wordcloud passes no face index and would take face 0 of a .ttc collection, which is
the Japanese face in the Noto CJK collections. A cloud whose characters are all in GB2312 or
the gazetteer is drawn with a copy of the font cut down to those: the same pixels, faster
(``fonts.py``).
"""

from __future__ import annotations

import io
import math
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageFont

from . import fonts

CLOUD_SEED = 7  # wordcloud's random_state: the same weights always give the same picture
CLOUD_COLORMAP = "viridis"
MAX_CLOUD_WORDS = 100
MIN_WORD_PIXELS = 12  # the smallest word drawn, in pixels of the image
MIN_READABLE_CSS_PX = 10  # the smallest word worth drawing, in pixels on the screen


def font_path() -> Path:
    """The Simplified Chinese font file the clouds use (from the pylopdf-fonts-zh-cn wheel)."""
    return fonts.full_font()


# ---------------------------------------------------------------------------------------------
# The image


def render_cloud(
    weights,
    width: int = 800,
    height: int = 400,
    max_words: int = MAX_CLOUD_WORDS,
    min_word_px: int = MIN_WORD_PIXELS,
) -> Image.Image:
    """A word cloud of ``weights`` (term -> positive weight) in the bundled Chinese font.

    Deterministic: the same weights and size give the same image. Empty weights: a blank image.
    No word is drawn smaller than ``min_word_px`` pixels of the image.
    """
    return Image.open(io.BytesIO(cloud_png(weights, width, height, max_words, min_word_px)))


def cloud_png(
    weights,
    width: int = 800,
    height: int = 400,
    max_words: int = MAX_CLOUD_WORDS,
    min_word_px: int = MIN_WORD_PIXELS,
) -> bytes:
    """The cloud of ``render_cloud`` as PNG bytes (what the page shows and offers)."""
    return _render_png(_cloud_items(weights, max_words), int(width), int(height), int(min_word_px))


def cloud_words(
    weights,
    width: int = 800,
    height: int = 400,
    max_words: int = MAX_CLOUD_WORDS,
    min_word_px: int = MIN_WORD_PIXELS,
) -> list[tuple[str, int]]:
    """The words ``cloud_png`` draws and their sizes in pixels of the image, largest first."""
    items = _cloud_items(weights, max_words)
    if not items:
        return []
    layout = _layout(items, int(width), int(height), int(min_word_px))
    return [(word, size * layout.scale) for (word, _), size, *_ in layout.layout_]


def min_word_pixels(image_width: int, per_row: int, content_css_px: int = 900) -> int:
    """The smallest word worth drawing in a cloud ``image_width`` pixels wide that is shown
    ``per_row`` to a row: words under ``MIN_READABLE_CSS_PX`` on screen are unreadable.

    ``content_css_px``: the width of the page's content on a 1366-pixel laptop screen with
    the sidebar open (measured in chromium: about 900), so the clouds stay legible on the
    small screens analysts also use.
    """
    shown = content_css_px / max(1, per_row)
    return max(MIN_WORD_PIXELS, math.ceil(MIN_READABLE_CSS_PX * image_width / shown))


def _cloud_items(weights, max_words: int) -> tuple[tuple[str, float], ...]:
    return tuple(
        sorted(
            (
                (str(t), float(w))
                for t, w in dict(weights).items()
                if w and w > 0 and str(t).strip()
            ),
            key=lambda kv: (-kv[1], kv[0]),
        )[:max_words]
    )


class _ReusedFonts:
    """Stands in for ``PIL.ImageFont`` inside wordcloud, which opens the font file again for
    every word and size it tries (to place a word and again to draw it).

    Open faces are kept per thread (a FreeType face must not be shared across threads);
    Streamlit runs each rerun in a thread of its own, so they last one rerun. Each open face
    maps its font file, and RSS counts those pages once per face: about 3 MB a face for the
    full font, of which 0.5 MB its own, so only its last 4 sizes are kept; about 1.2 MB for
    the cut-down copy (``fonts.py``), so a rerun keeps every size it draws (a page of three
    clouds opens about 80; the kept faces make each cloud about 30 % faster). wordcloud asks
    for sizes largest first, and least-recently-used eviction of a set smaller than that
    sequence would keep none it asks for again: the copy's limit is above what a page asks."""

    KEEP = 4
    KEEP_COPY = 160
    _local = threading.local()

    def __getattr__(self, name: str):
        return getattr(ImageFont, name)

    def truetype(self, font=None, size: float = 10, *args, **kwargs):
        faces = self._local.__dict__.setdefault("faces", OrderedDict())
        key = (str(font), size, args, tuple(sorted(kwargs.items())))
        if key in faces:
            faces.move_to_end(key)
            return faces[key]
        face = faces[key] = ImageFont.truetype(font, size, *args, **kwargs)
        keep = self.KEEP if str(font) == _full_font_name() else self.KEEP_COPY
        while len(faces) > keep:
            faces.popitem(last=False)
        return face


@lru_cache(maxsize=1)
def _full_font_name() -> str:
    return str(fonts.full_font())


class _PaletteColors:
    """wordcloud's ``colormap_color_func`` with the colormap's colours looked up once.

    The same colour for the same random draw (a colormap of N colours maps u in [0, 1) to
    colour int(u * N)), without a matplotlib call per word, which was 5 % of a cloud."""

    def __init__(self, name: str):
        import matplotlib

        colormap = matplotlib.colormaps[name]
        self.colors = [
            "rgb({:.0f}, {:.0f}, {:.0f})".format(*np.maximum(0, 255 * rgba)[:3])
            for rgba in colormap(np.arange(colormap.N))
        ]

    def __call__(self, word, font_size, position, orientation, random_state=None, **kwargs):
        u = random_state.uniform(0, 1)
        return self.colors[min(int(u * len(self.colors)), len(self.colors) - 1)]


@lru_cache(maxsize=1)
def _palette() -> _PaletteColors:
    return _PaletteColors(CLOUD_COLORMAP)


def _layout(items: tuple[tuple[str, float], ...], width: int, height: int, min_word_px: int):
    """wordcloud's layout of ``items`` for a ``width`` x ``height`` image (``.to_image()``
    draws it)."""
    import wordcloud.wordcloud
    from wordcloud import WordCloud

    wordcloud.wordcloud.ImageFont = _ReusedFonts()

    # Lay out on a smaller canvas and draw at ``scale`` times its size: the same crisp
    # glyphs, and placement costs fall with the canvas's area. The smallest word keeps at
    # least 6 pixels on the canvas, where its box is still measured true to its shape.
    scale = max(1, min(3, min_word_px // 6)) if min(width, height) >= 200 else 1
    layout_height = max(1, round(height / scale))
    # Without a largest size wordcloud first lays out the top two words alone to find one,
    # trying every size down from the full height: half of a cloud's time. The size it
    # finds is about 0.43 of the height; a word too wide for it still shrinks until it fits.
    # The layout stops at the first word that would be drawn under min_word_px.
    largest = max(2, round(0.45 * layout_height))
    cloud = WordCloud(
        # The GB2312 copy of the font when it has every character: the same pixels, faster.
        font_path=str(fonts.font_for(word for word, _ in items)),
        width=max(1, round(width / scale)),
        height=layout_height,
        scale=scale,
        max_font_size=largest,
        min_font_size=min(largest - 1, max(4, math.ceil(min_word_px / scale))),
        background_color="white",
        prefer_horizontal=1.0,  # Chinese set sideways is hard to read
        max_words=len(items),
        random_state=CLOUD_SEED,
        color_func=_palette(),
        collocations=False,
    )
    return cloud.generate_from_frequencies(dict(items))


@lru_cache(maxsize=64)
def _render_png(
    items: tuple[tuple[str, float], ...], width: int, height: int, min_word_px: int
) -> bytes:
    if not items:
        image = Image.new("RGB", (width, height), "white")
    else:
        image = _layout(items, width, height, min_word_px).to_image()
        if image.size != (width, height):  # odd sizes: off by a pixel after scaling
            image = image.resize((width, height))
    buf = io.BytesIO()
    # Fast compression: a page draws up to four clouds per filter change.
    image.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()
