"""Incremental ingestion (issue 9): adding documents reuses the work done for the others, and
the tables equal a run from scratch."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest.pipeline import ingest
from dashboard.tables import store
from dashboard.tables.paths import DATA_DIR
from dashboard.tools.synth import generate


def _counts(summary: str) -> tuple[int, int]:
    reused, computed = summary.split(", ")
    return int(reused.split()[0]), int(computed.split()[0])


def test_adding_documents_reuses_the_rest_and_matches_a_fresh_run(tmp_path):
    raw = tmp_path / "raw"
    generate(raw / "old", 200, seed=5)
    out = tmp_path / "out"
    first = ingest([raw, DATA_DIR / "raw"], out)
    assert all(_counts(v)[0] == 0 for v in first.cache.values())  # nothing to reuse yet

    generate(raw / "new", 10, seed=6)  # ten more reports arrive
    second = ingest([raw, DATA_DIR / "raw"], out)
    files_reused, files_read = _counts(second.cache["files"])
    assert files_read <= 10 and files_reused >= 5
    articles_reused, articles_analysed = _counts(second.cache["entities"])
    assert articles_reused >= 200 and articles_analysed <= 10

    fresh = tmp_path / "fresh"
    ingest([raw, DATA_DIR / "raw"], fresh, incremental=False)
    assert not (fresh / ".cache").exists()
    incremental_tables, fresh_tables = store.load_tables(out), store.load_tables(fresh)
    for name, table in fresh_tables.items():
        pd.testing.assert_frame_equal(incremental_tables[name], table, obj=name)


def test_an_edited_file_is_read_again(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    report_text = "新华社北京7月19日电 外交部发言人19日说，中方注意到朝俄两国的军事合作动向。"
    (raw / "a.txt").write_text(report_text, encoding="utf-8")
    (raw / "b.txt").write_text(report_text.replace("19日说", "20日说"), encoding="utf-8")
    out = tmp_path / "out"
    ingest([raw], out)
    (raw / "b.txt").write_text(report_text.replace("中方", "中国政府"), encoding="utf-8")
    again = ingest([raw], out)
    assert _counts(again.cache["files"]) == (1, 1)
    texts = store.load_tables(out, ("articles",))["articles"]["text"].tolist()
    assert any("中国政府" in t for t in texts)


def test_a_changed_rule_file_invalidates_its_stage(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    generate(raw, 20, seed=8)
    out = tmp_path / "out"
    ingest([raw], out)
    from dashboard.ingest import cache

    real_version_of = cache.version_of

    def edited_events_rules(*files):  # as if events.py had been edited since the last run
        return real_version_of(*files) + ("-edited" if "ingest/events.py" in files else "")

    monkeypatch.setattr("dashboard.ingest.events.version_of", edited_events_rules)
    again = ingest([raw], out)
    assert _counts(again.cache["events"])[0] == 0
    assert _counts(again.cache["entities"])[1] == 0


def test_a_failed_run_leaves_the_previous_cache_and_no_temporary_files(tmp_path):
    import pytest

    from dashboard.ingest.pipeline import NothingIngested

    out = tmp_path / "out"
    ingest([DATA_DIR / "raw"], out)
    before = {p.name: p.read_bytes() for p in (out / ".cache").iterdir()}
    assert before and all(name.endswith(".sqlite") for name in before)

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "note.txt").write_text("no article here", encoding="utf-8")
    with pytest.raises(NothingIngested):
        ingest([empty], out)
    after = {p.name: p.read_bytes() for p in (out / ".cache").iterdir()}
    assert after == before

    again = ingest([DATA_DIR / "raw"], out)  # and the kept cache is used
    assert all(_counts(v)[1] == 0 for v in again.cache.values())
