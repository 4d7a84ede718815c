"""Accuracy of article splitting, outlet and publication date on the hand-labelled set.

Usage: python scripts/eval_ingestion.py
Ingests data/raw (the seed) and data/labels/ingestion/docs, compares with
data/labels/ingestion/labels.json and prints precision/recall of article boundaries and the
accuracy of outlet and date over the articles found.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dashboard.articles import extract_articles  # noqa: E402
from dashboard.report import IngestReport  # noqa: E402
from dashboard.textnorm import compact  # noqa: E402

LABELS = ROOT / "data" / "labels" / "ingestion" / "labels.json"
ROOTS = [ROOT / "data" / "raw", ROOT / "data" / "labels" / "ingestion" / "docs"]


def evaluate() -> dict:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["documents"]
    report = IngestReport()
    articles = extract_articles(ROOTS, report)
    found_boundaries = expected_boundaries = matched = 0
    source_ok = date_ok = 0
    docs_exact = 0
    errors: list[str] = []
    for doc, expected in labels.items():
        got = articles[articles["doc"] == doc]
        starts = [compact(t) for t in got["text"]]
        found_boundaries += len(got)
        expected_boundaries += len(expected["articles"])
        doc_ok = len(got) == len(expected["articles"])
        for exp in expected["articles"]:
            hit = [i for i, s in enumerate(starts) if s.startswith(exp["starts"])]
            if not hit:
                errors.append(f"{doc}: no article starts with {exp['starts']!r}")
                doc_ok = False
                continue
            matched += 1
            row = got.iloc[hit[0]]
            if row["source"] == exp["source"]:
                source_ok += 1
            else:
                errors.append(
                    f"{doc}: {exp['starts']!r} outlet {row['source']!r}, expected {exp['source']!r}"
                )
            published = row["published"].isoformat() if row["published"] else None
            if published == exp["published"]:
                date_ok += 1
            else:
                errors.append(
                    f"{doc}: {exp['starts']!r} date {published}, expected {exp['published']}"
                )
        docs_exact += doc_ok
        for line in expected.get("rejected", []):
            if not any(r.file == doc and r.line == line for r in report.rejected):
                errors.append(f"{doc}: line {line} was not reported as rejected")
    return {
        "documents": len(labels),
        "documents_split_exactly": docs_exact,
        "expected_articles": expected_boundaries,
        "found_articles": found_boundaries,
        "split_precision": matched / found_boundaries if found_boundaries else 0.0,
        "split_recall": matched / expected_boundaries if expected_boundaries else 0.0,
        "outlet_accuracy": source_ok / matched if matched else 0.0,
        "date_accuracy": date_ok / matched if matched else 0.0,
        "errors": errors,
        "rejected": [(r.file, r.line, r.reason) for r in report.rejected],
    }


def main() -> int:
    result = evaluate()
    print(f"documents: {result['documents']} (split exactly: {result['documents_split_exactly']})")
    print(f"articles expected / found: {result['expected_articles']} / {result['found_articles']}")
    print(
        f"splitting precision: {result['split_precision']:.3f}  recall: {result['split_recall']:.3f}"
    )
    print(f"outlet accuracy: {result['outlet_accuracy']:.3f}")
    print(f"date accuracy:   {result['date_accuracy']:.3f}")
    for e in result["errors"]:
        print(f"  miss: {e}")
    for file, line, reason in result["rejected"]:
        print(f"  rejected: {file}:{line}: {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
