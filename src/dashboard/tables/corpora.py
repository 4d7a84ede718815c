"""Corpora: the users' own document sets, one folder each, named by an unguessable id.

A corpus lives in the corpora folder (``DASHBOARD_CORPORA``, default ``data/corpora/``)::

    <corpora>/<id>/meta.json       name, creation time, a hash of the edit key, the batches
    <corpora>/<id>/.lock           held by the job that adds documents (``tables.lock``)
    <corpora>/<id>/.used           its modification time is when the corpus was last opened
    <corpora>/<id>/documents/upload-<n>/   the documents of every upload that landed
    <corpora>/<id>/inbox/<token>/  an upload waiting for its job
    <corpora>/<id>/jobs/<token>.json       what each job did: stage, counts, report, error
    <corpora>/<id>/tables/         the processed tables, an output folder of ``tables.store``

The id is the only key: 144 random bits (``secrets.token_urlsafe(18)``), never listed to
anyone but the command line. Whoever holds it can read the corpus; adding and deleting need
the edit key, which only the session that made the corpus (or the holder of its edit link)
has. ``meta.json`` is only written under the corpus's lock (by the job) or at creation.

Corpora are removed oldest-unused first when the server holds more than its quota
(``DASHBOARD_CORPORA_MAX`` corpora, ``DASHBOARD_CORPORA_MB`` megabytes).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from . import store
from .lock import LockHeld, holder_of, output_lock
from .paths import DATA_DIR, processed_dir, raw_dir

ID_BYTES = 18  # 144 random bits
ID_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
META, USED, DOCUMENTS, INBOX, JOBS, TABLES = (
    "meta.json",
    ".used",
    "documents",
    "inbox",
    "jobs",
    "tables",
)
TRASH_PREFIX = ".trash-"
TOUCH_EVERY = 60.0  # seconds: how often opening a corpus records it as used


class CorporaError(Exception):
    """The corpora folder cannot be used (misconfigured, or an fsspec URL without fsspec)."""


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def corpora_setting() -> str:
    return os.environ.get("DASHBOARD_CORPORA", "") or str(DATA_DIR / "corpora")


def is_url(value: str) -> bool:
    return "://" in value


def corpora_root() -> Path:
    """The local folder that holds the corpora (for an fsspec URL: its working copy).

    Never the bundled data folder or the raw documents: a corpus must not be able to touch
    them (raises CorporaError)."""
    setting = corpora_setting()
    if is_url(setting):
        from .corpora_remote import working_copy

        root = working_copy(setting)
    else:
        root = Path(setting).expanduser().resolve()
    for other in (processed_dir(), raw_dir()):
        other = Path(other).expanduser().resolve()
        if root == other or other in root.parents or root in other.parents:
            raise CorporaError(
                f"DASHBOARD_CORPORA ({root}) must not be the data folder {other}, inside it "
                "or around it; name a folder of its own."
            )
    return root


def max_corpora() -> int:
    return int(_env_number("DASHBOARD_CORPORA_MAX", 50))


def max_megabytes() -> float:
    return _env_number("DASHBOARD_CORPORA_MB", 5000)


def persistence() -> str:
    """'kept' when the operator said the corpora folder survives a restart (an object store
    URL, or DASHBOARD_CORPORA_KEPT=1 for a mounted volume); else 'unknown': the app cannot
    tell whether its disk is kept (a hosted container is rebuilt when it sleeps)."""
    setting = corpora_setting()
    if is_url(setting) and not setting.startswith(("file://", "local://", "memory://")):
        return "kept"
    return "kept" if os.environ.get("DASHBOARD_CORPORA_KEPT", "") == "1" else "unknown"


# ---------------------------------------------------------------- ids and folders


def new_id() -> str:
    """144 random bits, never starting with "-" (a command line would read it as an option:
    ``corpora delete ID``); ids made before that still work everywhere."""
    while (corpus_id := secrets.token_urlsafe(ID_BYTES)).startswith("-"):
        pass
    return corpus_id


def valid_id(value: object) -> bool:
    return isinstance(value, str) and bool(ID_RE.match(value))


def corpus_dir(corpus_id: str, root: Path | None = None) -> Path:
    """The folder of a corpus. Only a well-formed id reaches the file system."""
    if not valid_id(corpus_id):
        raise ValueError("not a corpus id")
    return (root or corpora_root()) / corpus_id


def tables_dir(corpus_id: str, root: Path | None = None) -> Path:
    return corpus_dir(corpus_id, root) / TABLES


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def write_json(path: Path, data: dict) -> None:
    """Write JSON in one step: a reader sees the old file or the new one."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_json(path: Path) -> dict | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class CorpusInfo:
    id: str
    name: str
    created: str
    articles: int
    date_min: str | None
    date_max: str | None
    last_used: float
    has_tables: bool


def create(name: str = "", root: Path | None = None) -> tuple[str, str]:
    """A new, empty corpus; returns (id, edit key). Makes room under the quota first."""
    root = root or corpora_root()
    root.mkdir(parents=True, exist_ok=True)
    enforce_quota(root=root, extra=1)
    while True:
        corpus_id = new_id()
        folder = root / corpus_id
        try:
            folder.mkdir()
        except FileExistsError:  # 144 random bits: never, but never a shared folder either
            continue
        break
    key = secrets.token_urlsafe(ID_BYTES)
    meta = {
        "id": corpus_id,
        "name": clean_name(name),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "edit_hash": _hash_key(key),
        "batches": [],
    }
    write_json(folder / META, meta)
    touch(corpus_id, root=root, force=True)
    return corpus_id, key


def clean_name(name: str) -> str:
    """A corpus name as typed, without control characters, at most 80 characters."""
    name = "".join(ch for ch in str(name or "") if ch.isprintable()).strip()
    return name[:80]


def read_meta(corpus_id: str, root: Path | None = None) -> dict | None:
    if not valid_id(corpus_id):
        return None
    try:
        folder = corpus_dir(corpus_id, root)
    except CorporaError:
        return None
    data = read_json(folder / META)
    if data is None and is_url(corpora_setting()):  # not in the working copy: the store
        from .corpora_remote import remote_pull

        try:
            if remote_pull(corpus_id, folder.parent):
                data = read_json(folder / META)
        except OSError:
            return None
    return data


def exists(corpus_id: str, root: Path | None = None) -> bool:
    return read_meta(corpus_id, root) is not None


def can_edit(corpus_id: str, key: str | None, root: Path | None = None) -> bool:
    meta = read_meta(corpus_id, root)
    if meta is None or not key or not isinstance(key, str):
        return False
    return hmac.compare_digest(meta.get("edit_hash", ""), _hash_key(key))


def info(corpus_id: str, root: Path | None = None) -> CorpusInfo | None:
    meta = read_meta(corpus_id, root)
    if meta is None:
        return None
    folder = corpus_dir(corpus_id, root)
    try:
        used = (folder / USED).stat().st_mtime
    except OSError:
        used = 0.0
    return CorpusInfo(
        corpus_id,
        meta.get("name", ""),
        meta.get("created", ""),
        int(meta.get("articles") or 0),
        meta.get("date_min"),
        meta.get("date_max"),
        used,
        store.has_tables(folder / TABLES),
    )


def touch(corpus_id: str, root: Path | None = None, force: bool = False) -> None:
    """Record that the corpus was opened (for the quota's oldest-unused order)."""
    path = corpus_dir(corpus_id, root) / USED
    try:
        if not force and time.time() - path.stat().st_mtime < TOUCH_EVERY:
            return
    except OSError:
        pass
    try:
        path.touch()
        os.utime(path)
    except OSError:
        pass


def list_ids(root: Path | None = None) -> list[str]:
    """Every corpus id in the folder (for the command line and the quota only)."""
    root = root or corpora_root()
    try:
        found = {p.name for p in root.iterdir() if valid_id(p.name) and p.is_dir()}
    except OSError:
        found = set()
    if is_url(corpora_setting()):
        from .corpora_remote import remote_ids

        found |= {i for i in remote_ids() if valid_id(i)}
    return sorted(found)


def list_all(root: Path | None = None) -> list[CorpusInfo]:
    found = [info(i, root) for i in list_ids(root)]
    return sorted((c for c in found if c is not None), key=lambda c: c.created)


def size_of(folder: Path) -> int:
    """Bytes a folder takes (files counted once, links not followed)."""
    total, seen = 0, set()
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
    return total


def delete(corpus_id: str, root: Path | None = None) -> None:
    """Remove a corpus. Raises LockHeld while a job adds to it, KeyError when it is gone."""
    root = root or corpora_root()
    folder = corpus_dir(corpus_id, root)
    if not (folder / META).exists():
        raise KeyError(corpus_id)
    with output_lock(folder):
        trash = root / f"{TRASH_PREFIX}{corpus_id}-{secrets.token_hex(4)}"
        os.rename(folder, trash)  # one step: the link stops working at once
    shutil.rmtree(trash, ignore_errors=True)
    from .corpora_remote import remote_delete

    remote_delete(corpus_id)


def sweep_trash(root: Path) -> None:
    for path in root.glob(f"{TRASH_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True)


def enforce_quota(
    root: Path | None = None,
    extra: int = 0,
    protect: frozenset[str] = frozenset(),
    max_n: int | None = None,
    max_mb: float | None = None,
) -> list[str]:
    """Remove the oldest-unused corpora until at most ``max_n - extra`` corpora and
    ``max_mb`` megabytes remain. A corpus being written (its lock held) or in ``protect``
    is never removed. Returns the removed ids."""
    root = root or corpora_root()
    max_n = max_corpora() if max_n is None else max_n
    max_mb = max_megabytes() if max_mb is None else max_mb
    sweep_trash(root)
    ids = list_ids(root)
    used = {}
    for corpus_id in ids:
        try:
            used[corpus_id] = (root / corpus_id / USED).stat().st_mtime
        except OSError:
            used[corpus_id] = 0.0
    sizes = {corpus_id: size_of(root / corpus_id) for corpus_id in ids}
    removed = []
    for corpus_id in sorted(ids, key=lambda i: used[i]):
        over_count = len(ids) - len(removed) + extra > max_n
        over_size = sum(sizes[i] for i in ids if i not in removed) > max_mb * 1e6
        if not (over_count or over_size):
            break
        if corpus_id in protect or holder_of(root / corpus_id):
            continue
        try:
            delete(corpus_id, root)
        except (LockHeld, KeyError, OSError):
            continue
        removed.append(corpus_id)
    return removed
