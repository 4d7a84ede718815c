"""How well a Chinese sentiment lexicon tells the tone of a sentence toward a bilateral relation.

    python scripts/eval_tone.py --labels FILE [--split tune|heldout|all] [--method rule|model]
                                [--tune]

``FILE``: JSON lines with ``sentence``, ``label`` (positive / neutral / negative: the tone
toward the relation between the countries the sentence names, labelled by hand) and
``split`` (``tune``: thresholds may be chosen on it; ``heldout``: scored once, at the end).
The labelled sentences are third-party text and live outside the repository.

The lexicon: pysenti 0.1.8 (Apache 2.0; its dictionaries ship in the package: HowNet,
Tsinghua's praise/degrade lexicon and the BosonNLP sentiment dictionary, with negation,
degree adverbs and conjunctions). ``rule``: pysenti's lexicon score of the sentence;
``model``: pysenti's naive Bayes model (trained on product reviews), the probability of
"positive" centred on 0. A score below ``lo`` is negative, above ``hi`` positive, else
neutral; ``--tune`` picks ``lo`` and ``hi`` on the tune split (best accuracy; ties: the
narrowest neutral band) and prints them.

Prints: the number of sentences per class, accuracy, the majority-class baseline, precision
and recall per class, and the confusion matrix (rows: the hand label, columns: the method).
pysenti is not one of the dashboard's dependencies: ``pip install pysenti==0.1.8`` first.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections import Counter
from pathlib import Path

CLASSES = ("negative", "neutral", "positive")
# Thresholds chosen with --tune on the tune split (see docs/accuracy.md).
THRESHOLDS = {"rule": (1.068, 11.885), "model": (-0.5, 0.203)}


def read_labels(path: Path, split: str) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if split == "all" or r.get("split") == split]


def scores(sentences: list[str], method: str) -> list[float]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    if method == "rule":
        from pysenti import rule_classifier

        return [float(rule_classifier.classify(s)["score"]) for s in sentences]
    from pysenti import ModelClassifier

    model = ModelClassifier()
    return [float(model.classify(s)["positive_prob"]) - 0.5 for s in sentences]


def label_of(score: float, lo: float, hi: float) -> str:
    if score < lo:
        return "negative"
    if score > hi:
        return "positive"
    return "neutral"


def report(gold: list[str], predicted: list[str]) -> str:
    n = len(gold)
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    counts = Counter(gold)
    majority, majority_n = counts.most_common(1)[0]
    lines = [
        "sentences: " + ", ".join(f"{c} {counts.get(c, 0)}" for c in CLASSES) + f" (total {n})",
        f"accuracy: {correct / n:.3f} ({correct}/{n})",
        f"majority baseline (always {majority}): {majority_n / n:.3f}",
        f"{'class':<10} {'precision':>9} {'recall':>7}",
    ]
    for c in CLASSES:
        tp = sum(g == c and p == c for g, p in zip(gold, predicted, strict=True))
        said = sum(p == c for p in predicted)
        real = sum(g == c for g in gold)
        precision = f"{tp / said:.3f}" if said else "  -  "
        recall = f"{tp / real:.3f}" if real else "  -  "
        lines.append(f"{c:<10} {precision:>9} {recall:>7}")
    lines.append("confusion (rows: hand label, columns: method): " + " ".join(CLASSES))
    for g in CLASSES:
        row = [
            sum(gg == g and p == c for gg, p in zip(gold, predicted, strict=True)) for c in CLASSES
        ]
        lines.append(f"{g:<10} " + " ".join(f"{v:>8}" for v in row))
    return "\n".join(lines)


def tune(values: list[float], gold: list[str]) -> tuple[float, float, float]:
    """The (lo, hi) with the best accuracy on these sentences (ties: the narrowest band)."""
    cuts = sorted(set(values))
    candidates = sorted({round(v, 3) for v in cuts} | {0.0})
    best = (-1.0, 0.0, 0.0, 0.0)
    for lo, hi in itertools.product(candidates, candidates):
        if lo > hi:
            continue
        acc = sum(label_of(v, lo, hi) == g for v, g in zip(values, gold, strict=True)) / len(gold)
        key = (acc, -(hi - lo))
        if key > (best[0], -(best[2] - best[1])):
            best = (acc, lo, hi, 0.0)
    return best[1], best[2], best[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--split", choices=["tune", "heldout", "all"], default="heldout")
    parser.add_argument("--method", choices=sorted(THRESHOLDS), default="rule")
    parser.add_argument("--tune", action="store_true", help="choose the thresholds (tune split)")
    args = parser.parse_args()

    rows = read_labels(args.labels, "tune" if args.tune else args.split)
    gold = [r["label"] for r in rows]
    values = scores([r["sentence"] for r in rows], args.method)
    if args.tune:
        lo, hi, acc = tune(values, gold)
        print(f"{args.method}: best on the tune split: lo {lo}, hi {hi}, accuracy {acc:.3f}")
    else:
        lo, hi = THRESHOLDS[args.method]
    print(f"method {args.method}, split {'tune' if args.tune else args.split}, lo {lo}, hi {hi}")
    print(report(gold, [label_of(v, lo, hi) for v in values]))


if __name__ == "__main__":
    main()
