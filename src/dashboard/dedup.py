"""Near-duplicate detection: a relayed copy of an earlier report points at the original.

Character 3-gram shingles of the whitespace-free Simplified text; MinHash-LSH (datasketch)
finds candidate pairs cheaply, then exact Jaccard or containment decides. Containment
matters because a relay often quotes the original nearly whole and adds a paragraph of its
own (measured on the seed in NOTES.md: Jaccard >= 0.5 or containment >= 0.8, no false pair).
"""

from __future__ import annotations

import re

import pandas as pd
from datasketch import MinHash, MinHashLSH

SHINGLE = 3
NUM_PERM = 128
# 32 bands of 4 rows: a pair at Jaccard 0.5 becomes a candidate with p = 0.87, at 0.6 with
# p = 0.99, while unrelated articles on the same topic (Jaccard ~0.05) almost never do, which
# keeps exact checks few at 100,000 articles.
LSH_BANDS = (32, 4)
MIN_JACCARD = 0.5
MIN_CONTAINMENT = 0.8
MIN_SHINGLES = 20  # a headline-only stub is too short to call anything a copy of it


def shingles(text: str) -> set[str]:
    s = re.sub(r"\s+", "", text)
    return {s[i : i + SHINGLE] for i in range(len(s) - SHINGLE + 1)}


def is_near_duplicate(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    inter = len(a & b)
    jaccard = inter / len(a | b)
    containment = inter / min(len(a), len(b))
    return jaccard >= MIN_JACCARD or containment >= MIN_CONTAINMENT


def find_duplicates(articles: pd.DataFrame) -> dict[str, str]:
    """article_id -> article_id of the earliest article it near-duplicates."""
    order = articles.assign(_pub=pd.to_datetime(articles["published"])).sort_values(
        ["_pub", "doc", "index"], kind="stable", na_position="last"
    )
    lsh = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
    kept: dict[str, set[str]] = {}
    rank: dict[str, int] = {}
    dup_of: dict[str, str] = {}
    for aid, text in zip(order["article_id"], order["text_simplified"], strict=True):
        sh = shingles(text)
        if len(sh) < MIN_SHINGLES:
            continue
        mh = MinHash(num_perm=NUM_PERM, seed=1)
        mh.update_batch([s.encode("utf-8") for s in sh])
        # Earlier articles come first, so any verified candidate is an earlier original.
        matches = [c for c in lsh.query(mh) if is_near_duplicate(sh, kept[c])]
        if matches:
            original = min(matches, key=rank.__getitem__)
            dup_of[aid] = dup_of.get(original, original)
        lsh.insert(aid, mh)
        kept[aid] = sh
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
