"""A process pool gives the same tables as one process (issue 9)."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import parallel
from dashboard.ingest.pipeline import build_tables
from dashboard.ingest.report import IngestReport
from dashboard.tables.paths import DATA_DIR
from dashboard.tools.synth import generate


def test_two_workers_give_the_same_tables_as_one(tmp_path, monkeypatch):
    generate(tmp_path / "raw", 300, seed=3)
    # Force the pool even on this small corpus: every chunk goes to a worker process.
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    paths = [tmp_path / "raw", DATA_DIR / "raw"]
    single_report, pooled_report = IngestReport(), IngestReport()
    single = build_tables(paths, single_report, workers=1)
    pooled = build_tables(paths, pooled_report, workers=2)
    assert len(single["articles"]) > 300 and len(single["mentions"]) > 1000
    for name in single:
        pd.testing.assert_frame_equal(single[name], pooled[name], obj=name)
    assert single_report.rejected == pooled_report.rejected
    assert single_report.documents_read == pooled_report.documents_read
