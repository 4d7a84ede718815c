"""Shared fixtures: the bundled corpus run through the real pipeline, once per test session."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

from dashboard.ingest.pipeline import ingest
from dashboard.tables import store
from dashboard.tables.paths import DATA_DIR

SEED_DIR = DATA_DIR / "raw"


def pytest_configure(config):
    # The clouds' cut-down font is made once per machine, in the user's cache directory. The
    # tests (and the apps the browser tests start) keep theirs in pytest's cache instead.
    cache = getattr(config, "cache", None)
    where = cache.mkdir("dashboard-cache") if cache is not None else tempfile.mkdtemp()
    os.environ.setdefault("DASHBOARD_CACHE", str(where))


@pytest.fixture(autouse=True)
def _main_module_restored():
    """Streamlit's AppTest runs a page as ``__main__`` and leaves it there. A Dask local
    cluster started later in this process spawns its workers, and a spawned process re-runs
    the main module's file: every worker would run a Streamlit page. Each test ends with the
    main module it started with (pytest's, which is guarded)."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def seed_processed(tmp_path_factory) -> Path:
    """Processed tables of the bundled corpus (data/raw), built by the real pipeline."""
    out = tmp_path_factory.mktemp("seed_processed")
    ingest([SEED_DIR], out)
    return out


@pytest.fixture(scope="session")
def seed_tables(seed_processed) -> dict:
    return store.load_tables(seed_processed)


REAL_PAGES_DIR = DATA_DIR / "labels" / "real_pages" / "pages"


@pytest.fixture(scope="session")
def real_pages_processed(tmp_path_factory) -> Path:
    """Processed tables of the look-alike web pages (data/labels/real_pages): 33 outlets,
    more than the palette has colours; undated articles; events known only to the month."""
    out = tmp_path_factory.mktemp("real_pages_processed")
    ingest([REAL_PAGES_DIR], out)
    return out
