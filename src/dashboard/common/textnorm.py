"""Character-level helpers shared by every stage: script conversion and spacing.

Offsets in the processed tables point into ``articles.text`` (the text as written), so every
conversion here is length-preserving: analysis runs on a Simplified copy whose character ``i``
is the conversion of character ``i`` of the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import opencc

# Han ideographs (BMP blocks and extension A); enough for news text.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width and CJK punctuation, brackets and the name separators used in transliterations.
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018-\u201f\u2026\u00b7\u2022\u30fb《》「」『』【】"
NAME_SEPARATORS = "•·・‧"

_HAN_RUN = re.compile(f"[{HAN}]+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def count_han(text: str) -> int:
    # The lengths of the runs of Han characters, counted in C: 3 times faster than one
    # substitution per character, and a quarter faster than cutting the other runs out
    # (no copy of the text).
    return sum(map(len, _HAN_RUN.findall(text)))


def to_simplified(text: str) -> str:
    """Traditional -> Simplified, keeping the length so offsets stay valid.

    OpenCC converts phrase by phrase, which is more accurate, and nearly always keeps the
    length; when a phrase rule changes it, fall back to converting character by character.
    """
    if not text:
        return text
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    convert = _t2s().convert
    out = []
    for ch in text:
        c = convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def script_of(text: str, simplified: str | None = None) -> str:
    """'hant' when a noticeable share of Han characters change under t2s, else 'hans'."""
    simplified = to_simplified(text) if simplified is None else simplified
    han = count_han(text)
    if han == 0:
        return "hans"
    if text == simplified:
        return "hans"
    # Code points compared as arrays: a Python loop per character was a hot spot.
    before = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    after = np.frombuffer(simplified.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    changed = int(np.count_nonzero(before != after))
    return "hant" if changed / han >= 0.03 else "hans"


_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def normalize_width(text: str) -> str:
    """Full-width ASCII letters and digits to half-width; CJK punctuation untouched."""
    return _FULL_WIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


# A space is noise when it sits between two CJK characters, between CJK and a digit, or next
# to CJK punctuation or a name separator. Spaces between Latin words stay.
_TIGHT = f"[{HAN}{CJK_PUNCT}{NAME_SEPARATORS}]"
_SPACE_RUN = "[ \t\u3000\u00a0]+"
_SPACE_CJK_CJK = re.compile(f"(?<={_TIGHT}){_SPACE_RUN}(?={_TIGHT}|[0-9])")
_SPACE_DIGIT_CJK = re.compile(f"(?<=[0-9]){_SPACE_RUN}(?={_TIGHT})")
_SPACE_IN_BRACKETS = re.compile(r"(?<=[(\[（])[ \t\u3000]+|[ \t\u3000]+(?=[)\]）])")
_SPACE_BEFORE_OPEN = re.compile(f"(?<=[{HAN}]){_SPACE_RUN}(?=[(（])")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t\u3000]+(?=[,.;:!?，。；：！？、])")
_SPACE_AFTER_CLOSE = re.compile(f"(?<=[)\\]）]){_SPACE_RUN}(?=[{HAN}{CJK_PUNCT}])")


_ANY_SPACE = re.compile(_SPACE_RUN)
# A spaced page splits the numbers of a date too: 俄新社莫斯科1 2月24 日电 is 12月24日.
_SPACE_IN_DATE_NUMBER = re.compile(f"(?<=[0-9]){_SPACE_RUN}(?=[0-9]{{1,3}}[年月日])")


# Every rule removes spaces only, reading one character before them and at most four after
# (_SPACE_IN_DATE_NUMBER): text this far from any space is never read by a rule that could
# change something.
_SPACE_CONTEXT = 5


def tighten_spaces(line: str) -> str:
    """Remove the spaces some sites put around Chinese words, keep them between Latin words."""
    line = line.strip(" \t\u3000\u00a0")
    # The rules run on the stretches around the spaces, not on the whole line: most lines
    # that have spaces have one or two (the one after a dateline), and seven scans of the
    # whole line cost far more. Stretches hold all of a rule's context (_SPACE_CONTEXT), so
    # the result is that of the rules run on the whole line.
    pieces = []
    done = 0  # the line up to here is in pieces
    start = end = -1  # the stretch being gathered
    for space in _ANY_SPACE.finditer(line):
        lo, hi = max(0, space.start() - _SPACE_CONTEXT), space.end() + _SPACE_CONTEXT
        if lo > end >= 0:
            pieces += (line[done:start], _tightened(line[start:end]))
            done = end
            start = -1
        if start < 0:
            start = lo
        end = min(hi, len(line))
    if start < 0:  # most lines: no space inside
        return line
    pieces += (line[done:start], _tightened(line[start:end]), line[end:])
    return "".join(pieces)


def _tightened(text: str) -> str:
    """The spacing rules, in order, on a stretch of a line around its spaces."""
    text = _SPACE_CJK_CJK.sub("", text)
    text = _SPACE_DIGIT_CJK.sub("", text)
    text = _SPACE_IN_BRACKETS.sub("", text)
    text = _SPACE_BEFORE_OPEN.sub("", text)
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    text = _SPACE_AFTER_CLOSE.sub("", text)
    if "月" in text or "日" in text or "年" in text:
        text = _SPACE_IN_DATE_NUMBER.sub("", text)
    return text


_WHITESPACE = re.compile(r"\s+")


def compact(text: str, simplified: str | None = None) -> str:
    """Simplified text with all whitespace removed: the basis of ids and duplicate checks.
    ``simplified`` is ``to_simplified(text)`` when the caller has made it already."""
    return _WHITESPACE.sub("", to_simplified(text) if simplified is None else simplified)
