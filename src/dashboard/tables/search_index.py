"""Which articles hold each pair of Chinese characters: the search's index.

A search counts a word in every selected article's text. Scanning every text costs time in
proportion to the corpus (35-60 ms a word at 100,000 articles, ten times that at a million);
most words a reader looks up are in few articles. So each run also writes ``search.arrow``:
for every two Han characters that stand side by side in some text, the articles whose texts
hold them. A Chinese word of two characters or more can only be in the articles that hold all
its pairs; those are the only texts the search then counts in. Counts and results are
exactly a scan's: the index only leaves out texts that cannot hold the word, and Han
characters have no case, so a search in any case finds what a scan finds. Other words (one
character, Latin letters, digits, mixed) are counted by a scan, as before, and so are words
in so many articles that taking their texts one by one costs more than a scan
(``corpus.SCAN_SHARE``).

Layout: one record batch per segment of ``SEGMENT_BLOCKS`` articles (built and written a
segment at a time, so building holds one segment's pairs, whatever the corpus size): ``key``
(the two characters' code points, ``first << 21 | second``, sorted), ``segment`` and
``blocks`` (the articles of the segment that hold the pair, numbered inside it). At 100,000
articles of the benchmark's corpus 46 MB on disk, read through a memory map; built in 6 s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pyarrow as pa

from ..common.arrays import unique_sorted

SEARCH = "search.arrow"
# Articles per block. Blocks of 64 were measured first: on the benchmark's corpus a word in
# 5 % of the articles was in 96 % of the blocks, so nearly every text was still read; one
# article per block (postings of articles) costs more disk and spares the reading.
BLOCK = 1
SEGMENT_BLOCKS = 8192  # blocks per segment: numbers inside it fit two bytes
SCHEMA = pa.schema(
    [("key", pa.uint64()), ("segment", pa.uint32()), ("blocks", pa.list_(pa.uint16()))]
)
# Han ideographs: the unified blocks, their extensions and the compatibility ideographs.
_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


# Whether each code point up to the last Han one is Han (200 KB): one lookup per character,
# not two comparisons per range; every later code point reads the last entry, False.
_HAN_TOP = max(hi for _, hi in _HAN) + 1
_HAN_TABLE = np.zeros(_HAN_TOP + 1, dtype=bool)
for _lo, _hi in _HAN:
    _HAN_TABLE[_lo : _hi + 1] = True


def _is_han(points: np.ndarray) -> np.ndarray:
    return _HAN_TABLE[np.minimum(points, _HAN_TOP)]


def is_indexed(word: str) -> bool:
    """The index answers for ``word``: two Han characters or more and nothing else."""
    points = np.array([ord(c) for c in word], dtype=np.uint32)
    return len(points) >= 2 and bool(_is_han(points).all())


def pair_keys(text: str) -> np.ndarray:
    """The distinct keys of the adjacent Han pairs of ``text`` (sorted uint64)."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if len(points) < 2:
        return np.zeros(0, dtype=np.uint64)
    han = _is_han(points)  # on the 32-bit points: half the memory to read
    both = han[:-1] & han[1:]
    points = points.astype(np.uint64)
    return unique_sorted((points[:-1][both] << np.uint64(21)) | points[1:][both])


def _segment_batch(segment: int, keys: list[np.ndarray], blocks: list[int]) -> pa.RecordBatch:
    """One segment's batch from each of its blocks' keys."""
    all_keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
    all_blocks = np.repeat(np.asarray(blocks, dtype=np.uint16), [len(k) for k in keys])
    order = np.lexsort((all_blocks, all_keys))
    all_keys, all_blocks = all_keys[order], all_blocks[order]
    starts = np.flatnonzero(np.r_[True, all_keys[1:] != all_keys[:-1]]) if len(all_keys) else []
    offsets = np.r_[starts, len(all_keys)].astype(np.int32)
    lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(all_blocks, type=pa.uint16()))
    unique = all_keys[np.asarray(starts, dtype=np.int64)]
    return pa.record_batch(
        [
            pa.array(unique, type=pa.uint64()),
            pa.array(np.full(len(unique), segment, np.uint32)),
            lists,
        ],
        schema=SCHEMA,
    )


def index_batches(texts: Iterable[str]) -> Iterator[pa.RecordBatch]:
    """The index's batches for ``texts`` (every article's Simplified text, in order)."""
    keys: list[np.ndarray] = []
    blocks: list[int] = []
    block_text: list[str] = []
    position = 0
    for text in texts:
        block_text.append(text or "")
        position += 1
        if position % BLOCK == 0:
            # The block's texts as one, a separator between them: no pair across two texts.
            keys.append(pair_keys("\n".join(block_text)))
            blocks.append((position // BLOCK - 1) % SEGMENT_BLOCKS)
            block_text = []
            if position % (BLOCK * SEGMENT_BLOCKS) == 0:
                yield _segment_batch(position // (BLOCK * SEGMENT_BLOCKS) - 1, keys, blocks)
                keys, blocks = [], []
    if block_text:
        keys.append(pair_keys("\n".join(block_text)))
        blocks.append((position // BLOCK) % SEGMENT_BLOCKS)
    if keys:
        yield _segment_batch(position // (BLOCK * SEGMENT_BLOCKS), keys, blocks)


class SearchIndex:
    """The candidate articles of a word (see the module's docstring); read-only, shared."""

    def __init__(self, table: pa.Table, articles: int):
        self.articles = articles
        self._segments = []
        for batch in table.to_batches():
            if not batch.num_rows:
                continue
            lists = batch.column(2)
            self._segments.append(
                (
                    int(batch.column(1)[0].as_py()),
                    batch.column(0).to_numpy(),
                    lists.offsets.to_numpy(),
                    lists.values.to_numpy(),
                )
            )

    @classmethod
    def from_texts(cls, texts: Iterable[str], articles: int) -> SearchIndex:
        """An index held in memory (a corpus built from frames)."""
        return cls(pa.Table.from_batches(list(index_batches(texts)), schema=SCHEMA), articles)

    def candidates(self, word: str) -> np.ndarray | None:
        """The positions of the articles that may hold ``word`` (sorted), or None when the
        index does not answer for it (``is_indexed``)."""
        if not is_indexed(word):
            return None
        wanted = pair_keys(word)
        found = []
        for segment, keys, offsets, values in self._segments:
            at = np.searchsorted(keys, wanted)
            if ((at >= len(keys)) | (keys[np.minimum(at, len(keys) - 1)] != wanted)).any():
                continue  # a pair no text of the segment holds
            common = None
            for n in at.tolist():
                mine = values[offsets[n] : offsets[n + 1]]
                common = mine if common is None else np.intersect1d(common, mine)
            if common is not None and len(common):
                found.append(segment * SEGMENT_BLOCKS + common.astype(np.int64))
        if not found:
            return np.zeros(0, dtype=np.int64)
        starts = np.concatenate(found) * BLOCK
        positions = (starts[:, None] + np.arange(BLOCK)).reshape(-1)
        return positions[positions < self.articles]
