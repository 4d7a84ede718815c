"""The clouds' font: Noto Sans SC from its pip package, and a faster copy of it cut down to the
characters of GB2312 (the 6,763 common simplified hanzi, with Latin letters and symbols) and of
the gazetteer's names (rarer characters of known people and places, such as 湜 in 申源湜).

Why a copy: FreeType reads a font's glyph tables each time it opens it, and wordcloud opens
the font once per word size (twice per word: to place it and to draw it). The full font has
31,000 glyphs, the copy about 8,500. A 600 x 300 cloud of the 100,000-article benchmark
(words from 18 px) took a median 68 ms of CPU with the full font and 53 ms with the copy; 38 ms
once the copy's faces are kept for the rerun (``cloud._ReusedFonts``). Every pixel is the same: same outlines, same
hints, same layout tables (``tests/test_fonts.py`` compares the images).

The copy is made once per machine by fontTools (7-8 s) in a background process, so the
first clouds are drawn with the full font while it is being made. It lives in the user's
cache directory (``$DASHBOARD_CACHE``, else ``$XDG_CACHE_HOME/news-dashboard``, else
``~/.cache/news-dashboard``) and is written atomically. A cloud with a character outside the
copy is drawn with the full font.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from ..tables.paths import GAZETTEER_CSV

SUBSET_TAG = "v1"  # change when how the copy is made changes


def full_font() -> Path:
    """The Simplified Chinese font file the clouds use (from the pylopdf-fonts-zh-cn wheel)."""
    import pylopdf_fonts_zh_cn

    path = Path(pylopdf_fonts_zh_cn.sans_path())
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing; reinstall the pylopdf-fonts-zh-cn package (pip install -r requirements.txt)."
        )
    return path


def cache_dir() -> Path:
    if os.environ.get("DASHBOARD_CACHE"):
        return Path(os.environ["DASHBOARD_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "news-dashboard"


def subset_path(source: Path | None = None) -> Path:
    """Where the copy of ``source`` (default: the full font) is kept. The name carries the
    source's size and modification time and a digest of the characters, so a reinstalled
    font or a gazetteer with new names gets a new copy."""
    source = source or full_font()
    stat = source.stat()
    name = f"{source.stem}-{SUBSET_TAG}-{stat.st_size}-{int(stat.st_mtime)}-{_digest()}.otf"
    return cache_dir() / name


@lru_cache(maxsize=1)
def _digest() -> str:
    return hashlib.sha1("".join(sorted(subset_characters())).encode()).hexdigest()[:10]


@lru_cache(maxsize=1)
def subset_characters() -> frozenset[str]:
    """Every character of GB2312 (both bytes 0xA1-0xFE), printable ASCII, and the characters
    of the gazetteer (names and aliases)."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for first in range(0xA1, 0xFF):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes((first, second)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    if GAZETTEER_CSV.is_file():
        chars.update(c for c in GAZETTEER_CSV.read_text(encoding="utf-8") if c.isprintable())
    return frozenset(chars)


def build_subset(source: Path, out: Path) -> Path:
    """Write the copy of ``source`` with the characters of ``subset_characters`` to ``out``
    (atomically: a reader never sees half a font)."""
    from fontTools import subset

    options = subset.Options()
    # Keep what changes pixels: hints, and every layout feature and table that shaping uses.
    options.hinting = True
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    font = subset.load_font(str(source), options, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in subset_characters()))
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".part")
    os.close(handle)
    try:
        subset.save_font(font, temporary, options)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from other users
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return out


_build_lock = threading.Lock()
_build_started = False
_builder: subprocess.Popen | None = None  # kept so the finished process is reaped


def start_subset_build() -> None:
    """Make the copy in a background process if it is missing, at most once per process.
    A process of its own, because fontTools is pure Python: in a thread it would hold up
    the app's own work for seconds. Two processes making it at once only make it twice."""
    global _build_started, _builder
    with _build_lock:
        if _build_started or subset_path().exists():
            return
        _build_started = True
    source_root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (source_root, os.environ.get("PYTHONPATH")) if p)
    try:
        _builder = subprocess.Popen(
            [sys.executable, "-m", "dashboard.figures.fonts"],
            env={**os.environ, "PYTHONPATH": path},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:  # no way to start it: the full font still draws every cloud
        _builder = None


def font_for(words) -> Path:
    """The copy when it is made and has every character of ``words``; else the full font.
    Starts making the copy when it is missing."""
    full = full_font()
    copy = subset_path(full)
    if not copy.exists():
        start_subset_build()
        return full
    known = subset_characters()
    if all(char in known for word in words for char in word):
        return copy
    return full


if __name__ == "__main__":
    target = subset_path()
    if not target.exists():
        build_subset(full_font(), target)
    print(target)
