"""Loading the processed tables into the app: cached per ingestion run, built on first start.

``cached_corpus(dir)`` keys Streamlit's resource cache on ``store.snapshot(dir)`` (run id +
manifest mtime), so a new ingestion run is picked up on the next rerun, and never passes
DataFrames as cache arguments (st.cache_data hashes only a sample of large frames).
"""

from __future__ import annotations

import gc
import shlex
import threading
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from ..analysis.corpus import Corpus, load_corpus
from ..common import i18n
from ..common.memory import return_large_blocks
from ..tables import store
from ..tables.paths import builds_itself, processed_dir, raw_dir
from ..tables.store import has_tables
from .markup import md_escape


def build_tables(
    inputs: list[Path], data_dir: Path, progress: Callable[[str, int, int], None]
) -> int:
    """Run the ingestion pipeline on ``inputs`` into ``data_dir``; returns the article count.
    One worker: the server is threaded, and forking a threaded process is not safe."""
    from ..ingest.pipeline import ingest

    report = ingest([Path(p) for p in inputs], Path(data_dir), progress=progress)
    return report.articles


_cached_load = None


def cached_corpus(data_dir: Path) -> Corpus:
    """The corpus for ``data_dir``, loaded once per process and per ingestion run."""
    global _cached_load
    if _cached_load is None:
        import streamlit as st

        # Keyed on small values (path, run id, mtime): a new run lands -> a new entry. A
        # few entries: the bundled corpus and the uploaded corpora people are reading.
        # The server's memory: the pages' large arrays go back to the system once freed.
        return_large_blocks()

        @st.cache_resource(max_entries=4, show_spinner=False)
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


_build_lock = threading.Lock()  # sessions are threads: one build at a time in this server


def load_corpus_or_stop(lang: str) -> Corpus:
    """The corpus of the data folder, or a page that says what is wrong and stops.

    Only the default folder is ever built by the app itself, from the bundled documents; a
    folder the user named is never written without them asking (see ``paths.builds_itself``).
    """
    data_dir, raw = processed_dir(), raw_dir()
    if not has_tables(data_dir) and builds_itself():
        _build([raw], data_dir, lang)
    try:
        return cached_corpus(data_dir)
    except store.StoreError:
        explanation = st.empty()
        with explanation.container():
            rebuilt = _explain(data_dir, lang)
        if not rebuilt:
            st.stop()
        explanation.empty()  # rebuilt in this run: the page goes on with the new tables
    return cached_corpus(data_dir)


def _explain(data_dir: Path, lang: str) -> bool:
    """What is wrong with ``data_dir``, every broken file named, the command that fixes it,
    and a rebuild from the documents that built the tables when they are known. True when
    the user had them rebuilt in this run."""
    found = store.diagnose(data_dir)
    if found.state == "ok":  # the tables changed while loading: try again on the next run
        found = store.Diagnosis("damaged", [(str(data_dir), "changed while it was read")])
    st.error(i18n.t(f"data.{found.state}", lang, path=str(data_dir)))
    if found.state in ("partial", "damaged"):
        st.markdown(
            "\n".join(f"- {md_escape(path)}: {md_escape(why)}" for path, why in found.problems)
        )
    inputs = [p for p in found.inputs if Path(p).exists()]
    if not inputs and builds_itself():
        inputs = [str(raw_dir())]
    shown = " ".join(shlex.quote(p) for p in inputs) if inputs else "PATH/TO/DOCUMENTS"
    st.markdown(i18n.t("data.command", lang))
    st.code(f"python -m dashboard ingest {shown} --out {shlex.quote(str(data_dir))}", "bash")
    return bool(inputs) and _rebuild_button(inputs, data_dir, lang)


_ASKED = "data_rebuild_asked"


def _ask(value: bool) -> None:
    st.session_state[_ASKED] = value


def _rebuild_button(inputs: list[str], data_dir: Path, lang: str) -> bool:
    """The rebuild, in two steps (ask, then confirm); True once it ran. Callbacks, not
    st.rerun(): after a cold deep link (pages-directory mode) a rerun from inside the page
    never came back, and the button did nothing in a browser."""
    st.caption(i18n.t("data.rebuild_from", lang, inputs=", ".join(inputs)))
    if not st.session_state.get(_ASKED):
        st.button(
            i18n.t("data.rebuild", lang),
            key="data_rebuild",
            type="primary",
            on_click=_ask,
            args=(True,),
        )
        return False
    st.warning(i18n.t("data.rebuild_confirm", lang, path=str(data_dir)))
    yes, no = st.columns(2)
    no.button(i18n.t("data.rebuild_no", lang), key="data_rebuild_no", on_click=_ask, args=(False,))
    if not yes.button(i18n.t("data.rebuild_yes", lang), key="data_rebuild_yes", type="primary"):
        return False
    _ask(False)
    _build([Path(p) for p in inputs], data_dir, lang, replace=True)
    return True


def _build(inputs: list[Path], data_dir: Path, lang: str, replace: bool = False) -> None:
    """Ingest ``inputs`` into ``data_dir`` with visible progress; stops the page on failure.
    ``replace``: the user asked to replace tables that exist."""
    from ..ingest.pipeline import NothingIngested
    from ..tables.lock import LockHeld

    with _build_lock:
        if has_tables(data_dir) and not replace:
            return  # another session built them while we waited
        with st.status(i18n.t("data.building", lang), expanded=True) as status:
            bar = st.progress(0.0)

            def progress(stage: str, done: int, total: int) -> None:
                bar.progress(
                    min(done / total, 1.0) if total else 0.0,
                    text=i18n.t("data.stage", lang, stage=stage, done=done, total=total),
                )

            try:
                n = build_tables(inputs, data_dir, progress)
            except (NothingIngested, LockHeld, OSError) as exc:
                status.update(state="error")
                if isinstance(exc, NothingIngested):
                    message = i18n.t("data.no_raw", lang, path=", ".join(map(str, inputs)))
                else:
                    message = i18n.t("data.rebuild_failed", lang, error=str(exc))
                st.error(md_escape(message))
                st.stop()
            status.update(label=i18n.t("data.built", lang, n=n), state="complete", expanded=False)
        if replace:
            st.toast(i18n.t("data.built", lang, n=n))
