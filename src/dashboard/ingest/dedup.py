"""Near-duplicate detection: a relayed copy of an earlier report points at the original.

Character 3-gram shingles of the whitespace-free Simplified text; MinHash signatures banded
for locality-sensitive hashing find candidate pairs cheaply, then exact Jaccard or
containment decides. Containment matters because a relay often quotes the original nearly
whole and adds a paragraph of its own (measured on the seed in NOTES.md: Jaccard >= 0.5 or
containment >= 0.8, no false pair).

Shingles, signatures and band keys are computed with numpy, and the articles sharing a band
key are found by sorting the keys, not with an index (datasketch's LSH index cost more than
the hashing itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..common.arrays import unique_sorted
from .cache import ResultCache, key_of, version_of
from .engine import Engine, InProcess

SHINGLE = 3
NUM_PERM = 128  # under 256: the candidate screen counts agreeing rows in one byte
# 32 bands of 4 rows: a pair at Jaccard 0.5 becomes a candidate with p = 0.87, at 0.6 with
# p = 0.99, while unrelated articles on the same topic (Jaccard ~0.05) almost never do, which
# keeps exact checks few at 100,000 articles.
LSH_BANDS = (32, 4)
MIN_JACCARD = 0.5
MIN_CONTAINMENT = 0.8
MIN_SHINGLES = 20  # a headline-only stub is too short to call anything a copy of it
SEED = 1

# Multiply-shift universal hashing ((a*h + b) mod 2^64, top 32 bits): one multiply and add
# per shingle and permutation, no modulo, so a signature costs microseconds.
_rng = np.random.RandomState(SEED)
_A = _rng.randint(1, 2**63 - 1, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _rng.randint(0, 2**63 - 1, size=NUM_PERM, dtype=np.uint64)
_MAX_HASH = np.uint64((1 << 32) - 1)


def shingle_hashes(text: str) -> np.ndarray:
    """Sorted unique 32-bit hashes of the character 3-grams of ``text`` (whitespace removed)."""
    s = re.sub(r"\s+", "", text)
    if len(s) < SHINGLE:
        return np.empty(0, dtype=np.uint64)
    cp = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    # Wrapping multiplication is the hash (callers silence numpy's overflow warnings).
    h = (cp[:-2] * np.uint64(0x9E3779B1) + cp[1:-1]) * np.uint64(0x85EBCA77) + cp[2:]
    h = (h ^ (h >> np.uint64(29))) * np.uint64(0xBF58476D1CE4E5B9)
    return unique_sorted(h & _MAX_HASH)


def signature(hashes: np.ndarray) -> np.ndarray:
    # In place, and the shift after the minimum (it keeps the order, so the minimum is the
    # same): two passes over the permutations instead of four.
    permuted = np.multiply.outer(_A, hashes)
    permuted += _B[:, None]
    return permuted.min(axis=1) >> np.uint64(32)


def is_near_duplicate(a: np.ndarray, b: np.ndarray) -> bool:
    if not len(a) or not len(b):
        return False
    inter = len(np.intersect1d(a, b, assume_unique=True))
    jaccard = inter / (len(a) + len(b) - inter)
    containment = inter / min(len(a), len(b))
    return jaccard >= MIN_JACCARD or containment >= MIN_CONTAINMENT


_BAND_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5],
    dtype=np.uint64,
)


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """One key per band of rows (a column per band, a row per signature): articles sharing
    a key are candidate pairs."""
    bands, rows = LSH_BANDS
    grouped = signatures.reshape(len(signatures), bands, rows).astype(np.uint64)
    mixed = (grouped * _BAND_MIX[:rows]).sum(axis=2, dtype=np.uint64)  # wraps: a hash
    # The band number goes into the key so equal rows in different bands do not collide.
    return mixed ^ (np.arange(bands, dtype=np.uint64) << np.uint64(58))


def _text_key(_context: None, text: str) -> str:
    return key_of(text)


def _sketch_chunk(_context: None, texts: list[str]) -> list[tuple[bytes, bytes | None]]:
    """Per text: its shingle hashes and its signature (None for a stub), as the bytes of
    32-bit arrays (both fit: half the memory and half the cache on disk). Bytes, because
    unpickling 200,000 small numpy arrays took the parent process 2.5 s at 100,000 articles;
    ``np.frombuffer`` reads them back in a microsecond."""
    out = []
    with np.errstate(over="ignore"):  # wrapping multiplication is the hash
        for text in texts:
            hashes = shingle_hashes(text)
            sig = signature(hashes) if len(hashes) >= MIN_SHINGLES else None
            out.append(
                (
                    hashes.astype(np.uint32).tobytes(),
                    None if sig is None else sig.astype(np.uint32).tobytes(),
                )
            )
    return out


def _plausible(agree: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """The cheap screen: signatures agreeing on ``agree`` of NUM_PERM rows estimate Jaccard,
    and with the set sizes, containment. Only plausible pairs get the exact set comparison.
    It only grows with ``agree``, so an upper bound of ``agree`` gives a superset."""
    est_j = agree / NUM_PERM
    est_inter = est_j / (1 + est_j) * (size_a + size_b)
    est_c = est_inter / np.minimum(size_a, size_b)
    return (est_j >= MIN_JACCARD - 0.15) | (est_c >= MIN_CONTAINMENT - 0.2)


def _agree(rows: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # Counted in one byte per pair (NUM_PERM < 256): count_nonzero along an axis is a
    # generic sum, several times slower.
    return np.add.reduce((rows[a] == rows[b]).view(np.uint8), axis=1, dtype=np.uint8)


@dataclass(frozen=True)
class _Buckets:
    """The articles sharing a band key, laid out so that any run of articles can list the
    pairs it forms with earlier articles (see ``_buckets``)."""

    bands: int
    members: np.ndarray  # the article of each (article, band) cell, in bucket order
    first: np.ndarray  # (articles, bands): where each cell's bucket starts in that order
    here: np.ndarray  # (articles, bands): where the cell itself sits in it
    pairs_so_far: np.ndarray  # candidate pairs of the articles up to each one, cumulated


def _buckets(keys: np.ndarray) -> _Buckets:
    """``keys`` has one row of band keys per article, in order."""
    n, bands = keys.shape
    flat = keys.ravel()
    # Cells of the same key in article order: a bucket is a run of this order.
    order = np.argsort(flat, kind="stable")
    sorted_keys = flat[order]
    new_run = np.empty(len(flat), dtype=bool)
    new_run[0] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=new_run[1:])
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(len(flat)), 0))
    position = np.empty(len(flat), dtype=np.int64)
    position[order] = np.arange(len(flat))
    first = run_start[position].reshape(n, bands)
    here = position.reshape(n, bands)
    return _Buckets(
        bands=bands,
        members=(order // bands).astype(np.int64),
        first=first,
        here=here,
        pairs_so_far=np.cumsum((here - first).sum(axis=1)),
    )


def _earlier_in_same_bucket(
    buckets: _Buckets, start: int, stop: int, max_pairs: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Every (article, earlier article) pair that shares a band key, each pair once, for the
    articles ``start`` to ``stop - 1``: LSH's candidate pairs. Yields (later, earlier) index
    arrays, later ascending, for runs of articles with about ``max_pairs`` pairs (memory:
    late articles in large buckets have thousands each)."""
    n, bands, pairs_so_far = len(buckets.first), buckets.bands, buckets.pairs_so_far
    hi = start
    while hi < stop:
        lo, before = hi, int(pairs_so_far[hi - 1]) if hi else 0
        hi = max(lo + 1, int(np.searchsorted(pairs_so_far, before + max_pairs, "right")))
        hi = min(hi, stop)
        starts, stops = buckets.first[lo:hi].ravel(), buckets.here[lo:hi].ravel()
        lengths = stops - starts
        total = int(lengths.sum())
        if not total:
            continue
        later = np.repeat(np.repeat(np.arange(lo, hi), bands), lengths)
        # The members before each cell in its run: start, start + 1, ..., cell - 1.
        offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        earlier = buckets.members[np.repeat(starts, lengths) + offsets]
        pair = unique_sorted(later * n + earlier)  # a pair sharing several bands counts once
        yield pair // n, pair % n


@dataclass(frozen=True)
class _Search:
    """What the candidate search reads: the context of its chunks, sent once to each worker."""

    buckets: _Buckets
    signatures: np.ndarray  # (articles, NUM_PERM) uint32
    low_bytes: np.ndarray  # their low bytes: the first, cheaper screen
    sizes: np.ndarray  # shingles per article
    shingles: list[np.ndarray]
    max_pairs: int


def _first_matches(s: _Search, positions: Sequence[int]) -> list[int]:
    """For each of a stretch of consecutive article positions, the earliest earlier article
    it near-duplicates, or -1. Stretches are independent, so they may go to several
    workers (``Engine.map_chunks`` hands out contiguous slices)."""
    if not positions:
        return []
    start, stop = positions[0], positions[-1] + 1
    if stop - start != len(positions):
        raise ValueError("_first_matches needs consecutive positions")
    first_match: dict[int, int] = {}
    for later, earlier in _earlier_in_same_bucket(s.buckets, start, stop, s.max_pairs):
        sizes_a, sizes_b = s.sizes[later], s.sizes[earlier]
        maybe = _plausible(_agree(s.low_bytes, later, earlier), sizes_a, sizes_b)
        later, earlier = later[maybe], earlier[maybe]
        sure = _plausible(_agree(s.signatures, later, earlier), sizes_a[maybe], sizes_b[maybe])
        for a, b in zip(later[sure].tolist(), earlier[sure].tolist(), strict=True):
            if b < first_match.get(a, a) and is_near_duplicate(s.shingles[a], s.shingles[b]):
                first_match[a] = b
    return [first_match.get(a, -1) for a in range(start, stop)]


def find_duplicates(
    articles: pd.DataFrame,
    engine: Engine | None = None,
    cache: ResultCache | None = None,
    max_pairs: int = 250_000,
) -> dict[str, str]:
    """article_id -> article_id of the earliest article it near-duplicates.

    Articles are taken in publication order; an article's candidates are the earlier ones
    sharing a band, screened by their signatures, then checked exactly. The pairs are
    found and screened in numpy, for runs of articles with about ``max_pairs`` candidate
    pairs at a time (about 100 MB): one article at a time, in Python, this took 30 s at
    100,000 templated articles, where buckets are large. Stretches of articles are searched
    by ``engine``: the search was the longest step that kept all but one core idle.
    """
    engine = engine or InProcess()
    order = articles.assign(_pub=pd.to_datetime(articles["published"])).sort_values(
        ["_pub", "doc", "index"], kind="stable", na_position="last"
    )
    # Shingling and signatures are per article: spread over the workers.
    texts = order["text_simplified"].tolist()
    cache = cache or ResultCache(None, "")
    sketches = cache.map(_sketch_chunk, texts, _text_key, engine)
    # Headline-only stubs take no part.
    kept = [i for i, (_hashes, sig) in enumerate(sketches) if sig is not None]
    if len(kept) < 2:
        return {}
    all_ids = order["article_id"].tolist()
    ids = [all_ids[i] for i in kept]
    shingles = [np.frombuffer(sketches[i][0], dtype=np.uint32) for i in kept]
    signatures = np.frombuffer(b"".join(sketches[i][1] for i in kept), dtype=np.uint32)
    signatures = signatures.reshape(len(kept), NUM_PERM)
    with np.errstate(over="ignore"):  # wrapping multiplication is the hash
        keys = band_keys(signatures)
    search = _Search(
        buckets=_buckets(keys),
        signatures=signatures,
        # The low byte of each row agrees whenever the row does: counting agreeing bytes
        # bounds the count of agreeing rows from above, on a quarter of the memory.
        low_bytes=signatures.astype(np.uint8),
        sizes=np.array([len(h) for h in shingles], dtype=np.float64),
        shingles=shingles,
        max_pairs=max_pairs,
    )
    matches = engine.map_chunks(_first_matches, range(len(kept)), search)
    del search
    dup_of: dict[str, str] = {}
    for a, b in enumerate(matches):  # in order, so an original's own original is known
        if b >= 0:
            original = ids[b]
            dup_of[ids[a]] = dup_of.get(original, original)
    return dup_of


def run(ctx) -> None:
    articles = ctx.tables["articles"]
    if articles.empty:
        return
    found = find_duplicates(
        articles,
        ctx.options.get("engine"),
        ctx.caches.stage("dedup", version_of("ingest/dedup.py"), compress=False),
    )
    # Exact copies were already marked while ids were assigned; keep those.
    articles["dup_of"] = [
        existing if isinstance(existing, str) and existing else found.get(aid)
        for aid, existing in zip(articles["article_id"], articles["dup_of"], strict=True)
    ]
    ctx.report.counts["near-duplicates"] = int(articles["dup_of"].notna().sum())
