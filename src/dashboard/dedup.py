"""Near-duplicate detection: a relayed copy of an earlier report points at the original.

Character 3-gram shingles of the whitespace-free Simplified text; MinHash-LSH (datasketch)
finds candidate pairs cheaply, then exact Jaccard or containment decides. Containment
matters because a relay often quotes the original nearly whole and adds a paragraph of its
own (measured on the seed in NOTES.md: Jaccard >= 0.5 or containment >= 0.8, no false pair).

Shingles are hashed and MinHash signatures computed with numpy (the same universal hashing
datasketch uses, without a SHA-1 call per shingle), which keeps 100,000 articles in seconds.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from datasketch import LeanMinHash, MinHashLSH

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
    with np.errstate(over="ignore"):  # wrapping multiplication is the hash
        h = (cp[:-2] * np.uint64(0x9E3779B1) + cp[1:-1]) * np.uint64(0x85EBCA77) + cp[2:]
        h = (h ^ (h >> np.uint64(29))) * np.uint64(0xBF58476D1CE4E5B9)
    return np.unique(h & _MAX_HASH)


def signature(hashes: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        permuted = (np.outer(_A, hashes) + _B[:, None]) >> np.uint64(32)
    return permuted.min(axis=1)


def is_near_duplicate(a: np.ndarray, b: np.ndarray) -> bool:
    if not len(a) or not len(b):
        return False
    inter = len(np.intersect1d(a, b, assume_unique=True))
    jaccard = inter / (len(a) + len(b) - inter)
    containment = inter / min(len(a), len(b))
    return jaccard >= MIN_JACCARD or containment >= MIN_CONTAINMENT


def find_duplicates(articles: pd.DataFrame) -> dict[str, str]:
    """article_id -> article_id of the earliest article it near-duplicates."""
    order = articles.assign(_pub=pd.to_datetime(articles["published"])).sort_values(
        ["_pub", "doc", "index"], kind="stable", na_position="last"
    )
    lsh = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
    kept: dict[str, np.ndarray] = {}
    signatures: dict[str, np.ndarray] = {}
    rank: dict[str, int] = {}
    dup_of: dict[str, str] = {}
    for aid, text in zip(order["article_id"], order["text_simplified"], strict=True):
        hashes = shingle_hashes(text)
        if len(hashes) < MIN_SHINGLES:
            continue
        # The scheme label only has to match between our own signatures.
        mh = LeanMinHash(seed=SEED, hashvalues=signature(hashes), scheme="legacy")
        # Earlier articles come first, so any verified candidate is an earlier original.
        candidates = lsh.query(mh)
        if candidates:
            # Cheap screen first: the signatures estimate Jaccard (and with the set sizes,
            # containment); only plausible pairs get the exact set comparison.
            sigs = np.stack([signatures[c] for c in candidates])
            est_j = (sigs == mh.hashvalues).mean(axis=1)
            sizes = np.array([len(kept[c]) for c in candidates])
            est_inter = est_j / (1 + est_j) * (sizes + len(hashes))
            est_c = est_inter / np.minimum(sizes, len(hashes))
            plausible = (est_j >= MIN_JACCARD - 0.15) | (est_c >= MIN_CONTAINMENT - 0.2)
            candidates = [c for c, ok in zip(candidates, plausible, strict=True) if ok]
        matches = [c for c in candidates if is_near_duplicate(hashes, kept[c])]
        if matches:
            original = min(matches, key=rank.__getitem__)
            dup_of[aid] = dup_of.get(original, original)
        lsh.insert(aid, mh, check_duplication=False)
        kept[aid] = hashes
        signatures[aid] = mh.hashvalues
        rank[aid] = len(rank)
    return dup_of


def run(ctx) -> None:
    articles = ctx.tables["articles"]
    if articles.empty:
        return
    found = find_duplicates(articles)
    # Exact copies were already marked while ids were assigned; keep those.
    articles["dup_of"] = [
        existing if isinstance(existing, str) and existing else found.get(aid)
        for aid, existing in zip(articles["article_id"], articles["dup_of"], strict=True)
    ]
    ctx.report.counts["near-duplicates"] = int(articles["dup_of"].notna().sum())
