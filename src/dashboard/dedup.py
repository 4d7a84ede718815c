"""Near-duplicate detection: a relayed copy of an earlier report points at the original.

Character 3-gram shingles of the whitespace-free Simplified text; MinHash signatures banded
for locality-sensitive hashing find candidate pairs cheaply, then exact Jaccard or
containment decides. Containment
matters because a relay often quotes the original nearly whole and adds a paragraph of its
own (measured on the seed in NOTES.md: Jaccard >= 0.5 or containment >= 0.8, no false pair).

Shingles are hashed and signatures computed with numpy, and the bands are plain dict keys
(datasketch's LSH index cost more than the hashing itself), which keeps 100,000 articles in
seconds.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .cache import ResultCache, key_of, version_of

SHINGLE = 3
NUM_PERM = 128
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
    return np.unique(h & _MAX_HASH)


def signature(hashes: np.ndarray) -> np.ndarray:
    permuted = (np.outer(_A, hashes) + _B[:, None]) >> np.uint64(32)
    return permuted.min(axis=1)


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


def band_keys(sig: np.ndarray) -> list[int]:
    """One key per band of rows: articles sharing a key are candidate pairs."""
    bands, rows = LSH_BANDS
    mixed = (sig.reshape(bands, rows) * _BAND_MIX[:rows]).sum(axis=1)  # wraps: a hash
    # The band number goes into the key so equal rows in different bands do not collide.
    return [int(k) ^ (b << 58) for b, k in enumerate(mixed)]


def _sketch_chunk(texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    with np.errstate(over="ignore"):  # wrapping multiplication is the hash
        for text in texts:
            hashes = shingle_hashes(text)
            sig = signature(hashes) if len(hashes) >= MIN_SHINGLES else None
            # Both fit in 32 bits: half the memory and half the cache on disk.
            out.append((hashes.astype(np.uint32), None if sig is None else sig.astype(np.uint32)))
    return out


def find_duplicates(
    articles: pd.DataFrame, workers: int = 1, cache: ResultCache | None = None
) -> dict[str, str]:
    """article_id -> article_id of the earliest article it near-duplicates."""
    order = articles.assign(_pub=pd.to_datetime(articles["published"])).sort_values(
        ["_pub", "doc", "index"], kind="stable", na_position="last"
    )
    # Shingling and signatures are per article: spread over the workers.
    texts = order["text_simplified"].tolist()
    cache = cache or ResultCache(None, "")
    sketches = cache.map(_sketch_chunk, texts, (key_of(t) for t in texts), workers)
    ids: list[str] = []
    shingles: list[np.ndarray] = []
    # 32-bit, as cached: the candidate screen reads thousands of rows per article.
    signatures = np.zeros((len(order), NUM_PERM), dtype=np.uint32)
    sizes = np.zeros(len(order), dtype=np.float64)
    # Band key -> the article in that bucket, or a list once there are several: most buckets
    # hold one article, and a list each cost 250 MB at 100,000 articles.
    buckets: dict[int, int | list[int]] = {}
    dup_of: dict[str, str] = {}
    for aid, (hashes, sig) in zip(order["article_id"], sketches, strict=True):
        if len(hashes) < MIN_SHINGLES:
            continue
        n = len(ids)
        keys = band_keys(sig)
        candidates: set[int] = set()
        for k in keys:
            members = buckets.get(k)
            if members is None:
                continue
            if isinstance(members, int):
                candidates.add(members)
            else:
                candidates.update(members)
        if candidates:
            # Earlier articles come first, so any verified candidate is an earlier original.
            # Cheap screen first: the signatures estimate Jaccard (and with the set sizes,
            # containment); only plausible pairs get the exact set comparison.
            idx = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
            idx.sort()
            est_j = np.count_nonzero(signatures[idx] == sig, axis=1) / NUM_PERM
            est_inter = est_j / (1 + est_j) * (sizes[idx] + len(hashes))
            est_c = est_inter / np.minimum(sizes[idx], len(hashes))
            plausible = idx[(est_j >= MIN_JACCARD - 0.15) | (est_c >= MIN_CONTAINMENT - 0.2)]
            matches = [c for c in plausible.tolist() if is_near_duplicate(hashes, shingles[c])]
            if matches:
                original = ids[min(matches)]
                dup_of[aid] = dup_of.get(original, original)
        for k in keys:
            members = buckets.get(k)
            if members is None:
                buckets[k] = n
            elif isinstance(members, int):
                buckets[k] = [members, n]
            else:
                members.append(n)
        ids.append(aid)
        shingles.append(hashes)
        signatures[n] = sig
        sizes[n] = len(hashes)
    return dup_of


def run(ctx) -> None:
    articles = ctx.tables["articles"]
    if articles.empty:
        return
    found = find_duplicates(
        articles, ctx.options.get("workers", 1), ctx.caches.stage("dedup", version_of("dedup.py"))
    )
    # Exact copies were already marked while ids were assigned; keep those.
    articles["dup_of"] = [
        existing if isinstance(existing, str) and existing else found.get(aid)
        for aid, existing in zip(articles["article_id"], articles["dup_of"], strict=True)
    ]
    ctx.report.counts["near-duplicates"] = int(articles["dup_of"].notna().sum())
