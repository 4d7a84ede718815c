"""Near-duplicates: relayed copies point at the original, different stories never do."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.ingest.dedup import find_duplicates
from dashboard.ingest.engine import DaskEngine

ORIGINAL = (
    "朝中社平壤7月19日电 朝鲜劳动党总书记、国务委员长金正恩同志7月18日会见了由俄罗斯联邦国防部"
    "副部长率领的军事代表团。代表团团长郑重转达了俄罗斯联邦总统普京同志对金正恩同志的亲切问候。"
    "在谈话中就维护相互安全利益的两国军事领域合作的重要性和必要性达成了共识。"
)
RELAY_EDITED = ORIGINAL.replace(
    "朝中社平壤7月19日电", "俄罗斯莫斯科7月19日电 据朝鲜之声报道，"
).replace("同志", "")
RELAY_EXTENDED = (
    ORIGINAL
    + "分析人士认为，这是朝俄签署条约后俄方军事高官首次访问朝鲜，两国军事合作势必进入新阶段。"
)
OTHER_STORY = (
    "韩联社首尔7月9日电 据朝中社9日报道，朝鲜金日成军事综合大学校长率领的人民军军事教育干部代表团"
    "前一天从平壤启程赴俄罗斯。虽然报道未提及代表团访俄目的，但代表团很可能与俄方军事教育机构进行讨论。"
)


def frame(*rows: tuple[str, str, date]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "article_id": aid,
                "text_simplified": text,
                "published": day,
                "doc": "d.txt",
                "index": i,
            }
            for i, (aid, text, day) in enumerate(rows)
        ]
    )


def test_relay_with_small_edits_points_at_the_earlier_original():
    found = find_duplicates(
        frame(("relay", RELAY_EDITED, date(2024, 7, 20)), ("orig", ORIGINAL, date(2024, 7, 19)))
    )
    assert found == {"relay": "orig"}


def test_relay_that_adds_a_paragraph_is_caught_by_containment():
    found = find_duplicates(
        frame(("orig", ORIGINAL, date(2024, 7, 19)), ("ext", RELAY_EXTENDED, date(2024, 7, 19)))
    )
    assert found == {"ext": "orig"}


def test_different_stories_on_the_same_topic_are_not_duplicates():
    found = find_duplicates(
        frame(("a", ORIGINAL, date(2024, 7, 19)), ("b", OTHER_STORY, date(2024, 7, 9)))
    )
    assert found == {}


def test_chain_of_relays_points_at_the_first_original():
    found = find_duplicates(
        frame(
            ("orig", ORIGINAL, date(2024, 7, 19)),
            ("ext", RELAY_EXTENDED, date(2024, 7, 20)),
            ("ext2", RELAY_EXTENDED + "完", date(2024, 7, 21)),
        )
    )
    assert found["ext"] == "orig" and found["ext2"] == "orig"


def _one_at_a_time(articles: pd.DataFrame) -> dict[str, str]:
    """The plain form of the search, kept as its specification: articles in publication order,
    each against the earlier ones sharing a band, screened by signatures, checked exactly."""
    import numpy as np

    from dashboard.ingest import dedup

    order = articles.assign(_pub=pd.to_datetime(articles["published"])).sort_values(
        ["_pub", "doc", "index"], kind="stable", na_position="last"
    )
    ids, shingles, signatures, buckets, dup_of = [], [], [], {}, {}
    for aid, text in zip(order["article_id"], order["text_simplified"], strict=True):
        with np.errstate(over="ignore"):
            hashes = dedup.shingle_hashes(text).astype(np.uint32)
            if len(hashes) < dedup.MIN_SHINGLES:
                continue
            sig = dedup.signature(hashes.astype(np.uint64)).astype(np.uint32)
        with np.errstate(over="ignore"):
            keys = dedup.band_keys(sig[None, :])[0].tolist()
        candidates = sorted({c for k in keys for c in buckets.get(k, [])})
        matches = []
        for c in candidates:
            agree = np.count_nonzero(signatures[c] == sig)
            plausible = dedup._plausible(
                np.array([agree]), np.array([len(hashes)]), np.array([len(shingles[c])])
            )[0]
            if plausible and dedup.is_near_duplicate(hashes, shingles[c]):
                matches.append(c)
        if matches:
            original = ids[min(matches)]
            dup_of[aid] = dup_of.get(original, original)
        for k in keys:
            buckets.setdefault(k, []).append(len(ids))
        ids.append(aid)
        shingles.append(hashes)
        signatures.append(sig)
    return dup_of


def test_the_search_in_blocks_finds_what_one_article_at_a_time_finds():
    import random

    rng = random.Random(5)
    alphabet = "朝俄韩美中日军事合作代表团访问会谈平壤莫斯科首尔领导人总统外长部长签署条约安全经济"
    sentences = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(15, 40))) for _ in range(60)
    ]
    rows = []
    for i in range(300):  # templated: few sentences in many articles, as wire copy is
        text = "。".join(rng.sample(sentences, rng.randint(2, 6)))
        rows.append((f"a{i}", text, date(2024, 1, 1 + i % 28)))
    for i in range(120):  # relays: cut, extended or lightly edited copies of earlier articles
        _, text, day = rows[rng.randrange(len(rows))]
        cut = text[: int(len(text) * rng.uniform(0.5, 1.0))]
        relay = rng.choice([cut, text + rng.choice(sentences), text.replace("会谈", "会晤")])
        rows.append((f"r{i}", relay, date(2024, 2, 1 + i % 28)))
    articles = frame(*rows)
    want = _one_at_a_time(articles)
    assert len(want) > 100  # the corpus does have near-duplicates, templated ones included
    for max_pairs in (1, 50, 10**9):  # an article at a time, a few, all at once
        assert find_duplicates(articles, max_pairs=max_pairs) == want
    # Stretches of articles searched by two worker processes of a local Dask cluster.
    with DaskEngine(workers=2) as engine:
        assert not engine.runs_here(len(articles))  # the cluster is used, not this process
        assert find_duplicates(articles, engine=engine, max_pairs=50) == want
