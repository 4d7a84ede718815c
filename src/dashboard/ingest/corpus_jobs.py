"""Jobs that add an upload to a corpus: run in their own process, watched through a file.

``start`` (called by the app) writes ``jobs/<token>.json`` and starts ``python -m dashboard
ingest --corpus ID --staged TOKEN`` as a separate process: the ingestion never runs on a
server thread, so other people's pages keep answering, and a reload of the browser finds
the job by its file and shows its progress again rather than starting a second one.

``run`` (in that process, or the command line's own) holds the corpus's lock for the whole
job, so two uploads into one corpus never interleave (the second waits). It moves the
batch from the inbox to ``documents/upload-<n>``, runs the ingestion over every document
of the corpus (the incremental cache makes earlier uploads cheap) and publishes the tables
in one atomic step. A job that fails, or is killed, leaves the tables as they were, and its
batch is taken out again (``_settle``, at the start of the next job).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..tables import corpora, store
from ..tables.lock import holder_of, output_lock
from ..tables.paths import PROJECT_ROOT
from .uploads import Staged

STAGES = ("reading", "near-duplicates", "entities", "events", "terms")
ACTIVE = ("queued", "running")
LOG = "job.log"

_children: dict[str, subprocess.Popen] = {}  # by job token: started by this server
_ended: set[str] = set()  # tokens of jobs whose process (started here) has ended


def job_path(corpus_id: str, token: str, root: Path | None = None) -> Path:
    if not token.isalnum():
        raise ValueError("not a job token")
    return corpora.corpus_dir(corpus_id, root) / corpora.JOBS / f"{token}.json"


def _update(path: Path, **fields: object) -> dict:
    job = corpora.read_json(path) or {}
    job.update(fields)
    path.parent.mkdir(parents=True, exist_ok=True)
    corpora.write_json(path, job)
    return job


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _starting(job: dict) -> bool:
    """A job whose process is being started (its id not yet written)."""
    return job.get("pid") is None and time.time() - float(job.get("created") or 0) < 60


def _reap() -> None:
    for token, proc in list(_children.items()):
        if proc.poll() is not None:
            del _children[token]
            _ended.add(token)


def status(corpus_id: str, token: str | None = None, root: Path | None = None) -> dict | None:
    """The job ``token`` of the corpus (default: its latest), with ``state`` one of queued,
    running, done, failed, stopped (its process ended without saying how)."""
    _reap()
    try:
        folder = corpora.corpus_dir(corpus_id, root)
    except (ValueError, corpora.CorporaError):
        return None
    if token is None:
        jobs = sorted(
            (folder / corpora.JOBS).glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        if not jobs:
            return None
        path = jobs[0]
    else:
        try:
            path = job_path(corpus_id, token, root)
        except ValueError:
            return None
    job = corpora.read_json(path)
    if job is None:
        return None
    ended = job.get("token") in _ended  # its process, started by this server, is gone
    if job.get("state") in ACTIVE and (ended or not (_alive(job.get("pid")) or _starting(job))):
        holder = holder_of(folder)
        if not holder or not _alive(holder.get("pid")):
            job["state"] = "stopped"
    return job


def running(corpus_id: str, root: Path | None = None) -> dict | None:
    """The corpus's job that is still queued or running, if any."""
    job = status(corpus_id, root=root)
    return job if job is not None and job.get("state") in ACTIVE else None


def start(
    corpus_id: str,
    staged: Staged,
    root: Path | None = None,
    workers: int | None = None,
) -> str:
    """Start the job for a staged upload in a process of its own; returns its token."""
    root = root or corpora.corpora_root()
    path = job_path(corpus_id, staged.token, root)
    _update(
        path,
        token=staged.token,
        state="queued",
        created=time.time(),
        files=staged.files,
        bytes=staged.bytes,
        staged_rejected=[r.__dict__ for r in staged.rejected],
        stages={},
    )
    workers = workers or int(os.environ.get("DASHBOARD_UPLOAD_WORKERS", "1") or 1)
    src = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, DASHBOARD_CORPORA=corpora.corpora_setting())
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    # --corpus=ID in one word: an id may start with "-" (token_urlsafe), which argparse would
    # take for an option of its own.
    cmd = [sys.executable, "-m", "dashboard", "ingest", f"--corpus={corpus_id}"]
    cmd += [f"--staged={staged.token}", "--quiet", "--workers", str(workers), "--nice", "10"]
    log = open(path.parent / LOG, "ab")  # noqa: SIM115 - the child holds it; closed below
    try:
        proc = subprocess.Popen(
            cmd,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a server stopped with Ctrl-C does not kill the job
        )
    finally:
        log.close()
    # The job's file is the child's from here on: it writes its own process id first.
    _children[staged.token] = proc
    return staged.token


class JobProgress:
    """The ingestion's progress callback: counts per stage into the job's file, a few times
    a second at most."""

    def __init__(self, path: Path, also: Callable[[str, int, int], None] | None = None):
        self.path, self.also = path, also
        self.stages: dict[str, list[int]] = {}
        self._last = 0.0
        self._stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.also is not None:
            self.also(stage, done, total)
        seen = self.stages.get(stage)
        if seen and seen[1] > 1 and total == 1 and done == 1:  # the stage's end, counted
            done, total = seen[1], seen[1]
        self.stages[stage] = [done, total]
        now = time.monotonic()
        if stage != self._stage or done >= total or now - self._last > 0.3:
            self._stage, self._last = stage, now
            _update(self.path, stage=stage, stages=self.stages)


def run(
    corpus_id: str,
    token: str,
    root: Path | None = None,
    workers: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict:
    """Add the staged batch ``token`` to the corpus (see the module docstring); returns the
    job's final record. Never raises for a failed ingestion: the record says what failed."""
    from .pipeline import NothingIngested, ingest

    root = root or corpora.corpora_root()
    folder = corpora.corpus_dir(corpus_id, root)
    if not (folder / corpora.META).is_file():
        raise KeyError(f"no corpus {corpus_id}")
    path = job_path(corpus_id, token, root)
    _update(path, state="queued", pid=os.getpid())
    with output_lock(folder, wait=True):
        inbox = folder / corpora.INBOX / token
        meta = _settle(folder, keep=token)
        if not inbox.is_dir():
            return _update(path, state="failed", code="gone", error="the upload is gone")
        documents = folder / corpora.DOCUMENTS
        documents.mkdir(exist_ok=True)
        number = 1 + max((_batch_number(b) for b in meta["batches"]), default=0)
        batch = f"upload-{number}"
        os.rename(inbox, documents / batch)
        snap = store.snapshot(folder / corpora.TABLES)
        meta["pending"] = {"batch": batch, "previous": snap.run_id if snap else None}
        corpora.write_json(folder / corpora.META, meta)
        _update(path, state="running", batch=batch, started=time.time())
        try:
            report = ingest(
                [documents],
                folder / corpora.TABLES,
                progress=JobProgress(path, progress),
                workers=workers,
                wait=True,
            )
        except Exception as exc:  # noqa: BLE001 - the job's record tells it, nothing raises
            shutil.rmtree(documents / batch, ignore_errors=True)
            meta["pending"] = None
            corpora.write_json(folder / corpora.META, meta)
            code = "nothing" if isinstance(exc, NothingIngested) else "failed"
            if isinstance(exc, store.DiskFull):
                code = "disk_full"
            failed_report = getattr(exc, "report", None)
            report_dict = json.loads(failed_report.to_json()) if failed_report else None
            return _update(
                path,
                state="failed",
                code=code,
                error=str(exc),
                finished=time.time(),
                report=report_dict,
            )
        meta["batches"].append(batch)
        meta["pending"] = None
        meta.update(_summary(folder / corpora.TABLES))
        corpora.write_json(folder / corpora.META, meta)
        job = _update(
            path,
            state="done",
            finished=time.time(),
            report=json.loads(report.to_json()),
            articles=report.articles,
        )
    from ..tables.corpora_remote import remote_push

    remote_push(corpus_id, root)
    corpora.enforce_quota(root=root, protect=frozenset({corpus_id}))
    return job


def _batch_number(name: str) -> int:
    try:
        return int(name.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return 0


def _settle(folder: Path, keep: str) -> dict:
    """Under the corpus's lock: finish what a killed job left. A batch whose job died before
    its tables landed is taken out again (one that landed is recorded); inbox uploads whose
    job is over are removed. Returns the corpus's meta."""
    meta = corpora.read_json(folder / corpora.META) or {}
    meta.setdefault("batches", [])
    pending = meta.get("pending")
    if pending:
        snap = store.snapshot(folder / corpora.TABLES)
        landed = snap is not None and snap.run_id != pending.get("previous")
        if landed and pending["batch"] not in meta["batches"]:
            meta["batches"].append(pending["batch"])
            meta.update(_summary(folder / corpora.TABLES))
        meta["pending"] = None
        corpora.write_json(folder / corpora.META, meta)
    documents = folder / corpora.DOCUMENTS
    if documents.is_dir():
        for batch in documents.iterdir():
            if batch.name not in meta["batches"]:
                shutil.rmtree(batch, ignore_errors=True)
    inbox = folder / corpora.INBOX
    if inbox.is_dir():
        for staged in inbox.iterdir():
            job = corpora.read_json(folder / corpora.JOBS / f"{staged.name}.json") or {}
            waiting = job.get("state") in ACTIVE and (_alive(job.get("pid")) or _starting(job))
            if staged.name != keep and not waiting:
                shutil.rmtree(staged, ignore_errors=True)
    return meta


def _summary(tables: Path) -> dict:
    """Articles and date span of the published set, for the sidebar and lists."""
    try:
        frame = store.load_tables(tables, ("articles",), only={"articles": ("published",)})
    except store.StoreError:
        return {}
    published = frame["articles"]["published"].dropna()
    span = (str(published.min())[:10], str(published.max())[:10]) if len(published) else (None,) * 2
    return {"articles": len(frame["articles"]), "date_min": span[0], "date_max": span[1]}
