"""Accuracy and speed of the entity stage on the hand-labelled set.

    python scripts/eval_entities.py [--labels data/labels/entities.jsonl] [--gazetteer data/gazetteer.csv]
                                    [--errors] [--mb 1.0]

Prints precision, recall, F1 and split rate per type. A predicted mention counts when its
span (start, end) and type equal a labelled one; the entity id is judged by the split rate
(one labelled entity under several predicted ids) and the merge rate (one predicted id over
several labelled entities), so id spellings (person:kim_jong_un vs unverified:金正恩) don't
matter, only that each real entity gets exactly one identity. All labelled texts are run as one
corpus, as the pipeline does (names found in one article are looked up in the others).

Then the stage's throughput in MB/s beside plain jieba.posseg on the same text (the labelled
texts repeated to --mb megabytes of UTF-8), in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dashboard.common.textnorm import to_simplified  # noqa: E402
from dashboard.ingest import entities  # noqa: E402
from dashboard.tables.paths import GAZETTEER_CSV  # noqa: E402

TYPES = ("person", "country", "org", "place")


def load_labels(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def articles_frame(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(len(texts))],
            "text": texts,
            "text_simplified": [to_simplified(t) for t in texts],
        }
    )


def score(labels: list[dict], mentions: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    gold = {}
    for i, row in enumerate(labels):
        for m in row["mentions"]:
            gold[(f"a{i}", m["start"], m["end"], m["type"])] = m["entity"]
    pred = {
        (r.article_id, int(r.start), int(r.end), r.type): r.entity_id
        for r in mentions.itertuples(index=False)
    }
    errors = []
    texts = {f"a{i}": row["text"] for i, row in enumerate(labels)}

    def where(key):
        art, s, e, t = key
        text = texts[art]
        return f"{art} {text[max(0, s - 8) : s]}[{text[s:e]}]{text[e : e + 8]} ({t})".replace(
            "\n", " "
        )

    for key in sorted(set(pred) - set(gold)):
        errors.append(f"FP {where(key)} -> {pred[key]}")
    for key in sorted(set(gold) - set(pred)):
        errors.append(f"FN {where(key)} gold {gold[key]}")

    rows = []
    for typ in (*TYPES, "all"):
        g = {k for k in gold if typ in ("all", k[3])}
        p = {k for k in pred if typ in ("all", k[3])}
        tp = g & p
        precision = len(tp) / len(p) if p else float("nan")
        recall = len(tp) / len(g) if g else float("nan")
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        ids_per_gold = defaultdict(set)
        golds_per_id = defaultdict(set)
        for k in tp:
            ids_per_gold[gold[k]].add(pred[k])
            golds_per_id[pred[k]].add(gold[k])
        split = sum(1 for ids in ids_per_gold.values() if len(ids) > 1)
        merged = sum(1 for gs in golds_per_id.values() if len(gs) > 1)
        for entity, ids in ids_per_gold.items():
            if len(ids) > 1 and typ != "all":
                errors.append(f"SPLIT {entity} -> {sorted(ids)}")
        for pid, gs in golds_per_id.items():
            if len(gs) > 1 and typ != "all":
                errors.append(f"MERGE {pid} <- {sorted(gs)}")
        rows.append(
            {
                "type": typ,
                "gold": len(g),
                "predicted": len(p),
                "correct": len(tp),
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "F1": round(f1, 3),
                "entities": len({gold[k] for k in g}),
                "split": split,
                "split rate": round(split / len(ids_per_gold), 3) if ids_per_gold else 0.0,
                "merged ids": merged,
            }
        )
    return pd.DataFrame(rows), errors


def throughput(texts: list[str], matcher, megabytes: float) -> pd.DataFrame:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    unit = "\n".join(texts)
    repeat = max(1, int(megabytes * 1e6 / len(unit.encode("utf-8"))))
    corpus = [t for _ in range(repeat) for t in texts]
    frame = articles_frame(corpus)
    size_mb = sum(len(t.encode("utf-8")) for t in corpus) / 1e6
    jieba.initialize()
    # Both sides warmed up: dictionaries loaded, imports done (startup is not throughput).
    entities.extract(articles_frame(texts), matcher)
    for _ in jieba.posseg.cut(unit):
        pass

    t0 = time.perf_counter()
    entities.extract(frame, matcher)
    stage = time.perf_counter() - t0

    t0 = time.perf_counter()
    for text in frame["text_simplified"]:
        for _ in jieba.posseg.cut(text):
            pass
    posseg = time.perf_counter() - t0
    return pd.DataFrame(
        [
            {"what": "entity stage (extract)", "MB": round(size_mb, 2), "seconds": round(stage, 2),
             "MB/s": round(size_mb / stage, 2)},
            {"what": "plain jieba.posseg.cut", "MB": round(size_mb, 2), "seconds": round(posseg, 2),
             "MB/s": round(size_mb / posseg, 2)},
        ]
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--labels", type=Path, default=ROOT / "data" / "labels" / "entities.jsonl")
    parser.add_argument("--gazetteer", type=Path, default=GAZETTEER_CSV)
    parser.add_argument(
        "--errors", action="store_true", help="list every false/missed mention, split and merge"
    )
    parser.add_argument(
        "--mb", type=float, default=1.0, help="text size for the speed comparison (0: skip)"
    )
    args = parser.parse_args(argv)

    if not args.gazetteer.exists():
        print(f"error: gazetteer {args.gazetteer} not found", file=sys.stderr)
        return 1
    labels = load_labels(args.labels)
    t0 = time.perf_counter()
    matcher = entities.load_matcher(str(args.gazetteer))
    build = time.perf_counter() - t0
    texts = [row["text"] for row in labels]
    mentions, _ = entities.extract(articles_frame(texts), matcher)
    table, errors = score(labels, mentions)

    pd.set_option("display.width", 160)
    print(f"labelled set: {args.labels.relative_to(ROOT) if args.labels.is_relative_to(ROOT) else args.labels}"
          f" ({len(labels)} texts, {sum(len(r['mentions']) for r in labels)} mentions);"
          f" gazetteer: {len(matcher.gazetteer.entities)} entities, {matcher.n_entity_patterns} aliases"
          f" (automaton built in {build:.2f} s)")  # fmt: skip
    print(table.to_string(index=False))
    # The same per origin: seed articles, texts written while building, and texts written after
    # the rules were frozen (held out: the honest estimate for unseen documents).
    origins = sorted({row.get("origin", "unknown").split(":")[0] for row in labels})
    if len(origins) > 1:
        summary = []
        for origin in origins:
            keep = [
                i
                for i, row in enumerate(labels)
                if row.get("origin", "unknown").split(":")[0] == origin
            ]
            subset = [labels[i] for i in keep]
            renamed = {f"a{i}": f"a{j}" for j, i in enumerate(keep)}
            part = mentions[mentions["article_id"].isin(renamed)].copy()
            part["article_id"] = part["article_id"].map(renamed)
            t, _ = score(subset, part)
            row = t[t["type"] == "all"].iloc[0].to_dict()
            row["type"] = f"all, {origin} ({len(subset)} texts)"
            summary.append(row)
        print()
        print(pd.DataFrame(summary).to_string(index=False))
    if args.errors:
        print()
        print("\n".join(errors) if errors else "no errors")
    if args.mb > 0:
        print()
        print(throughput(texts, matcher, args.mb).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
