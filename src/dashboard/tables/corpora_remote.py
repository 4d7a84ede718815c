"""Corpora kept in an object store: ``DASHBOARD_CORPORA`` as an fsspec URL.

Hosts that rebuild their container (a hosted Streamlit app that slept) lose their disk. With
``DASHBOARD_CORPORA=s3://bucket/corpora`` (or ``gcs://``, ``az://`` ..., any fsspec URL; the
``fsspec`` package and the store's own filesystem package, such as ``s3fs``, installed by
the operator) the corpora are worked on in a local copy and pushed to the store when a job
has published its tables; a corpus missing from the local copy (after a restart) is pulled
from the store when a link opens it.

In the store, a corpus is ``<url>/<id>/meta.json``, ``documents/...`` and
``tables/runs/<run id>/...``; ``tables/current.txt`` names the published run and is written
last, in one put, so a reader never sees a run that is half uploaded. The incremental cache
stays local: after a restart, the next upload into a pulled corpus reads everything again.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from . import store

POINTER = "current.txt"


def remote_url() -> str | None:
    value = os.environ.get("DASHBOARD_CORPORA", "")
    return value.rstrip("/") if "://" in value else None


def working_copy(url: str) -> Path:
    """The local folder an fsspec URL's corpora are worked on in."""
    base = os.environ.get("DASHBOARD_CACHE") or Path.home() / ".cache" / "news-dashboard"
    return Path(base) / "corpora" / hashlib.sha1(url.encode()).hexdigest()[:16]


def _fs(url: str):
    try:
        import fsspec
    except ImportError as exc:
        from .corpora import CorporaError

        raise CorporaError(
            f"DASHBOARD_CORPORA is a URL ({url.split('://')[0]}://...), which needs the "
            "fsspec package and the store's filesystem package (s3fs, gcsfs, adlfs ...): "
            "pip install fsspec s3fs"
        ) from exc
    fs, path = fsspec.core.url_to_fs(url)
    return fs, path.rstrip("/")


def remote_push(corpus_id: str, root: Path) -> None:
    """Copy what the store lacks of a corpus: new documents, the published run, the meta;
    then the pointer to the run. Call under the corpus's lock, after a publish."""
    url = remote_url()
    if url is None:
        return
    fs, base = _fs(url)
    local = root / corpus_id
    target = f"{base}/{corpus_id}"
    documents = local / "documents"
    for path in sorted(documents.rglob("*")) if documents.is_dir() else []:
        if path.is_file():
            dest = f"{target}/{path.relative_to(local).as_posix()}"
            if not fs.exists(dest):
                fs.makedirs(dest.rsplit("/", 1)[0], exist_ok=True)
                fs.put_file(str(path), dest)
    snap = store.snapshot(local / "tables")
    if snap is not None:
        run = Path(snap.path)
        dest_run = f"{target}/tables/runs/{run.name}"
        fs.makedirs(dest_run, exist_ok=True)
        for path in sorted(run.iterdir()):
            # The mapped files are made again from the tables on first use where the run is
            # pulled (mapped.py): seven times the tables' size, not worth sending.
            if path.suffix == ".arrow" or path.name.startswith("."):
                continue
            fs.put_file(str(path), f"{dest_run}/{path.name}")
    fs.put_file(str(local / "meta.json"), f"{target}/meta.json")
    if snap is not None:
        fs.pipe_file(f"{target}/tables/{POINTER}", run.name.encode())


def remote_pull(corpus_id: str, root: Path) -> bool:
    """Fetch a corpus the local copy lacks; True when it is now there."""
    url = remote_url()
    if url is None:
        return False
    fs, base = _fs(url)
    source = f"{base}/{corpus_id}"
    if not fs.exists(f"{source}/meta.json"):
        return False
    local = root / corpus_id
    staging = root / f".pull-{corpus_id}"
    import shutil

    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        if fs.exists(f"{source}/documents"):
            fs.get(f"{source}/documents", str(staging / "documents"), recursive=True)
        if fs.exists(f"{source}/tables/{POINTER}"):
            run_id = fs.cat_file(f"{source}/tables/{POINTER}").decode().strip()
            if run_id.isalnum():
                runs = staging / "tables" / "runs"
                runs.mkdir(parents=True)
                fs.get(f"{source}/tables/runs/{run_id}", str(runs / run_id), recursive=True)
                store._publish(staging / "tables", run_id)
        fs.get_file(f"{source}/meta.json", str(staging / "meta.json"))
        (staging / ".used").touch()
        os.rename(staging, local)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not (local / "meta.json").is_file():  # else another session pulled it meanwhile
            raise
    return (local / "meta.json").is_file()


def remote_delete(corpus_id: str) -> None:
    url = remote_url()
    if url is None:
        return
    fs, base = _fs(url)
    if fs.exists(f"{base}/{corpus_id}"):
        fs.rm(f"{base}/{corpus_id}", recursive=True)


def remote_ids() -> list[str]:
    url = remote_url()
    if url is None:
        return []
    fs, base = _fs(url)
    if not fs.exists(base):
        return []
    return sorted(p.rstrip("/").rsplit("/", 1)[-1] for p in fs.ls(base, detail=False))
