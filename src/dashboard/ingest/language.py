"""Tokenizer and stopwords for Chinese news text.

The tokenizer is rjieba (a binding of jieba-rs, MIT): jieba's dictionary and algorithm, about
20 times faster than jieba in Python (NOTES.md). HMM is off: with it off rjieba's tokens are
identical to jieba's (tests/test_language.py checks this on the seed), and the HMM only guesses
new words, which for names the gazetteer does better.

Every name and alias in ``data/gazetteer.csv`` is added as a user word so a name stays one term
(克里沃鲁奇科, not 克里/沃/鲁/奇/科). The tokenizer is built once per process and then only read:
rjieba raises ``RuntimeError('Already borrowed')`` when a word is added while another thread cuts.

Stopwords: stopwordsiso ``zh`` (function words, no content words) plus ``data/stopwords_news.txt``
(news boilerplate; lines starting ``re:`` are regular expressions for dates, numbers, punctuation
and stray Latin; ``#`` starts a comment). Gazetteer names are never stopwords.
"""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rjieba

from ..common.textnorm import to_simplified
from ..tables.paths import GAZETTEER_CSV, NEWS_STOPWORDS

_BUILD_LOCK = threading.Lock()


def gazetteer_words(path: Path = GAZETTEER_CSV) -> list[str]:
    """Names and aliases (Simplified) from the gazetteer, in file order; [] when it is absent.

    Reads columns ``name_zh`` and ``aliases`` (``|``-separated). Both the written form and its
    Simplified form are returned, since the tokenizer runs on Simplified text.
    """
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, csv.Error, UnicodeDecodeError):
        return []
    words: list[str] = []
    seen: set[str] = set()
    for row in rows:
        names = [row.get("name_zh") or ""] + (row.get("aliases") or "").split("|")
        for name in names:
            name = name.strip()
            # A user word must not contain spaces: jieba would never produce it as one token.
            if not name or any(ch.isspace() for ch in name):
                continue
            for form in (name, to_simplified(name)):
                if form not in seen:
                    seen.add(form)
                    words.append(form)
    return words


@dataclass(frozen=True)
class StopwordRules:
    words: frozenset[str]
    patterns: tuple[re.Pattern, ...]

    def is_stop(self, token: str) -> bool:
        return token in self.words or any(p.search(token) for p in self.patterns)


def parse_stopword_lines(lines: Iterable[str]) -> tuple[set[str], list[re.Pattern]]:
    words: set[str] = set()
    patterns: list[re.Pattern] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("re:"):
            patterns.append(re.compile(line[3:].strip()))
        else:
            words.add(to_simplified(line))
    return words, patterns


def load_stopwords(news_path: Path = NEWS_STOPWORDS) -> StopwordRules:
    """stopwordsiso 'zh' plus the editable news list (missing file: stopwordsiso alone)."""
    import stopwordsiso

    words = set(stopwordsiso.stopwords("zh"))
    patterns: list[re.Pattern] = []
    try:
        text = Path(news_path).read_text(encoding="utf-8")
    except OSError:
        text = ""
    extra_words, patterns = parse_stopword_lines(text.splitlines())
    words |= extra_words
    return StopwordRules(frozenset(words), tuple(patterns))


class Tokenizer:
    """rjieba with the gazetteer as user words, HMM off, and the stopword rules."""

    def __init__(self, user_words: Iterable[str] = (), stopwords: StopwordRules | None = None):
        self._jieba = rjieba.Jieba()
        # (word, freq) as added, so a jieba built from the same list cuts identically.
        self.user_word_freqs: list[tuple[str, int]] = []
        for word in user_words:
            # suggest_freq: the smallest frequency that keeps the word whole (jieba's own
            # default for add_word without a frequency); never lower an existing word.
            self._add_word(word, max(int(self._jieba.suggest_freq(word)), 1))
        self.names = frozenset(w for w, _ in self.user_word_freqs)
        self.stopwords = stopwords if stopwords is not None else StopwordRules(frozenset(), ())
        # The verdict per distinct token is memoised (the patterns cost more than the cut):
        # a token kept maps to the term it counts as, a token dropped is in _dropped.
        self._kept: dict[str, str] = {}
        self._dropped: set[str] = set()

    def __reduce__(self):
        # rjieba cannot be pickled: a Dask worker builds its own from the words and
        # frequencies this one was given, in the same order, so it cuts identically.
        return (_rebuilt_tokenizer, (self.user_word_freqs, self.stopwords))

    def _add_word(self, word: str, freq: int) -> None:
        self._jieba.add_word(word, freq, "nz")  # rjieba needs all three arguments
        self.user_word_freqs.append((word, freq))

    def cut(self, text: str) -> list[str]:
        """All tokens, as jieba ``lcut(text, HMM=False)`` returns them."""
        return self._jieba.cut(text, False)

    def keep(self, token: str) -> bool:
        """A term worth counting: a gazetteer name, or not a stopword by word or pattern."""
        if token in self.names:
            return True
        token = token.strip()
        return bool(token) and not self.stopwords.is_stop(token)

    def terms(self, text: str) -> list[str]:
        """Tokens of ``text`` (Simplified) after stopword removal."""
        return self.kept_terms(self._jieba.cut(text, False))

    def kept_terms(self, tokens: list[str]) -> list[str]:
        """The terms of ``tokens`` (the tokenizer's): those it keeps, stripped, in order."""
        kept, dropped = self._kept, self._dropped
        if len(kept) + len(dropped) > _MAX_VERDICTS:
            kept.clear()
            dropped.clear()
        for token in set(tokens).difference(kept, dropped):  # not seen before: judged once
            if self.keep(token):
                kept[token] = token.strip()
            else:
                dropped.add(token)
        # Filtered and mapped in C, not a Python step per token.
        return list(map(kept.__getitem__, filter(kept.__contains__, tokens)))


_MAX_VERDICTS = 1_000_000


def _rebuilt_tokenizer(
    user_word_freqs: list[tuple[str, int]], stopwords: StopwordRules
) -> Tokenizer:
    tok = Tokenizer((), stopwords)
    for word, freq in user_word_freqs:
        tok._add_word(word, freq)
    tok.names = frozenset(w for w, _ in tok.user_word_freqs)
    return tok


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    """The process-wide tokenizer, built on first use from the gazetteer and stopword files."""
    with _BUILD_LOCK:
        return Tokenizer(gazetteer_words(), load_stopwords())


def reset_tokenizer() -> None:
    """Forget the cached tokenizer (after the gazetteer or stopword file changed)."""
    tokenizer.cache_clear()


def jieba_reference(user_word_freqs: Iterable[tuple[str, int]]):
    """A plain jieba tokenizer with the same user words: the reference rjieba must match."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    ref = jieba.Tokenizer()
    for word, freq in user_word_freqs:
        ref.add_word(word, freq, "nz")
    return ref


def benchmark(megabytes: float = 2.0) -> dict[str, float]:
    """Segmentation speed (MB/s of UTF-8) of this tokenizer and of plain jieba on the bundled
    corpus repeated to about ``megabytes``; run ``python -m dashboard.ingest.language``."""
    import time

    from ..tables.paths import raw_dir

    seed = "\n".join(
        to_simplified(p.read_text(encoding="utf-8")) for p in sorted(raw_dir().glob("*.txt"))
    )
    text = seed * max(1, int(megabytes * 1e6 / len(seed.encode("utf-8"))))
    size_mb = len(text.encode("utf-8")) / 1e6
    lines = text.splitlines()
    tok = tokenizer()
    figures = {"mb": round(size_mb, 2)}
    started = time.perf_counter()
    for line in lines:
        tok.terms(line)
    figures["rjieba_terms_mb_s"] = size_mb / (time.perf_counter() - started)
    ref = jieba_reference(tok.user_word_freqs)
    ref.initialize()
    started = time.perf_counter()
    for line in lines:
        ref.lcut(line, HMM=False)
    figures["jieba_cut_mb_s"] = size_mb / (time.perf_counter() - started)
    return {k: round(v, 2) for k, v in figures.items()}


if __name__ == "__main__":
    print(benchmark())
