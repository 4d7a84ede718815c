"""Loading the processed tables into the app: cached per ingestion run, built on first start.

``cached_corpus(dir)`` keys Streamlit's resource cache on ``store.snapshot(dir)`` (run id +
manifest mtime), so a new ingestion run is picked up on the next rerun, and never passes
DataFrames as cache arguments (st.cache_data hashes only a sample of large frames).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from ..analysis.corpus import Corpus, load_corpus
from ..common import i18n
from ..tables import store
from ..tables.paths import processed_dir, raw_dir
from ..tables.store import has_tables


def build_tables(raw_dir: Path, data_dir: Path, progress: Callable[[str, int, int], None]) -> int:
    """Run the ingestion pipeline on ``raw_dir`` into ``data_dir``; returns the article count."""
    from ..ingest.pipeline import ingest

    report = ingest([Path(raw_dir)], Path(data_dir), progress=progress)
    return report.articles


_cached_load = None


def cached_corpus(data_dir: Path) -> Corpus:
    """The corpus for ``data_dir``, loaded once per process and per ingestion run."""
    global _cached_load
    if _cached_load is None:
        import streamlit as st

        # Keyed on small values (path, run id, mtime): a new run lands -> a new entry.
        @st.cache_resource(max_entries=2, show_spinner=False)
        def _load(path: str, run_id: str, mtime_ns: int) -> Corpus:
            gc.unfreeze()  # what a replaced corpus leaves in cycles can be collected again
            corpus = load_corpus(Path(path))
            # The corpus and the imported libraries' objects (about 150,000 that the
            # collector tracks) live as long as the process. Frozen, its full passes no
            # longer walk them: at 100,000 articles a pass took 50-85 ms, paid by whichever
            # rerun it fell in; it now walks what the pages make (1-12 ms).
            gc.collect()
            gc.freeze()
            return corpus

        _cached_load = _load

    snap = store.snapshot(Path(data_dir))
    if snap is None:
        raise store.StoreError(
            f"No processed tables in {data_dir} (manifest.json missing or broken)."
        )
    return _cached_load(snap.path, snap.run_id, snap.mtime_ns)


_build_lock = threading.Lock()


def load_corpus_or_stop(lang: str) -> Corpus:
    data_dir, raw = processed_dir(), raw_dir()
    if not has_tables(data_dir):
        _build(raw, data_dir, lang)
    try:
        return cached_corpus(data_dir)
    except store.StoreError as exc:
        st.error(i18n.t("data.broken", lang, error=str(exc)))
        if st.button(i18n.t("data.rebuild", lang), key="data_rebuild", type="primary"):
            _build(raw, data_dir, lang)
            st.rerun()
        st.stop()
    raise AssertionError("unreachable")  # pragma: no cover


def _build(raw: Path, data_dir: Path, lang: str) -> None:
    """Build the tables from the raw documents with visible progress; stops the page on failure."""
    from ..ingest.pipeline import NothingIngested

    with _build_lock:
        if has_tables(data_dir) and not st.session_state.get("data_rebuild"):
            return  # another session built them while we waited
        with st.status(i18n.t("data.building", lang), expanded=True) as status:
            bar = st.progress(0.0)

            def progress(stage: str, done: int, total: int) -> None:
                bar.progress(
                    min(done / total, 1.0) if total else 0.0,
                    text=i18n.t("data.stage", lang, stage=stage, done=done, total=total),
                )

            try:
                n = build_tables(raw, data_dir, progress)
            except (NothingIngested, OSError) as exc:
                status.update(state="error")
                st.error(i18n.t("data.no_raw", lang, path=str(raw)) + f" ({exc})")
                st.stop()
            status.update(label=i18n.t("data.built", lang, n=n), state="complete", expanded=False)
