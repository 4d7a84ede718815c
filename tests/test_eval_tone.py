"""The tone evaluation script's arithmetic (the lexicon itself is not a dependency)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "eval_tone.py"
spec = importlib.util.spec_from_file_location("eval_tone", SCRIPT)
eval_tone = importlib.util.module_from_spec(spec)
spec.loader.exec_module(eval_tone)


def test_the_report_gives_accuracy_per_class_figures_and_the_confusion_matrix():
    gold = ["positive", "positive", "neutral", "neutral", "neutral", "negative"]
    said = ["positive", "neutral", "neutral", "neutral", "positive", "neutral"]
    text = eval_tone.report(gold, said)
    assert "accuracy: 0.500 (3/6)" in text
    assert "majority baseline (always neutral): 0.500" in text
    assert "positive       0.500   0.500" in text  # 1 of 2 said, 1 of 2 real
    assert "neutral        0.500   0.667" in text
    assert "negative         -     0.000" in text  # never said: no precision
    assert text.splitlines()[-2].split() == ["neutral", "0", "2", "1"]


def test_thresholds_split_scores_into_three_classes_and_tuning_finds_them():
    assert [eval_tone.label_of(v, -1, 2) for v in (-3, 0, 5)] == ["negative", "neutral", "positive"]
    values = [-4.0, -3.0, 0.5, 1.0, 6.0, 7.0]
    gold = ["negative", "negative", "neutral", "neutral", "positive", "positive"]
    lo, hi, acc = eval_tone.tune(values, gold)
    assert acc == 1.0 and -3.0 <= lo <= 0.5 and 1.0 <= hi < 6.0
