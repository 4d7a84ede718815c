"""Uploaded files -> a batch of documents in a corpus's inbox, within the server's limits.

Everything a browser sends is untrusted: file names are cut to their last part and cleaned,
``.zip`` archives are unpacked here (never by a library that trusts their names) member by
member, and an archive is refused when it would unpack to too many files or bytes, or packs
them more tightly than text ever is (a zip bomb). Members whose names are absolute or climb
out of the folder, symbolic links and archives inside archives are skipped and reported.
Nothing is written outside the batch's folder, and a batch that cannot be written whole (a
disk that fills up) is removed again: the corpus stays as it was.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..tables import corpora
from .readers import SUPPORTED
from .report import Rejected

ARCHIVE_SUFFIXES = {".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".zst"}
PASTED_NAME = "pasted.txt"


def _env(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """What one upload may be. Each can be set with its environment variable."""

    upload_mb: float = 200.0  # DASHBOARD_UPLOAD_MB: everything sent, together
    max_files: int = 5000  # DASHBOARD_UPLOAD_FILES: documents after unpacking
    unpacked_mb: float = 1000.0  # DASHBOARD_UPLOAD_UNPACKED_MB: zip contents, together
    max_ratio: float = 100.0  # DASHBOARD_UPLOAD_ZIP_RATIO: unpacked / packed size of a zip

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            _env("DASHBOARD_UPLOAD_MB", cls.upload_mb),
            int(_env("DASHBOARD_UPLOAD_FILES", cls.max_files)),
            _env("DASHBOARD_UPLOAD_UNPACKED_MB", cls.unpacked_mb),
            _env("DASHBOARD_UPLOAD_ZIP_RATIO", cls.max_ratio),
        )


class UploadError(Exception):
    """The upload as a whole is refused; ``code`` names the limit (for the page's message),
    ``fields`` fill it in. Nothing of it was kept."""

    def __init__(self, code: str, message: str, **fields: object):
        super().__init__(message)
        self.code, self.fields = code, fields


@dataclass
class Staged:
    """An upload written into a corpus's inbox, waiting for its job."""

    token: str
    files: int = 0
    bytes: int = 0
    rejected: list[Rejected] = field(default_factory=list)


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f}"


def safe_name(name: str) -> str:
    """One path part a user named, safe to create: no separators, no leading dots, no
    control characters, at most 120 characters (the suffix kept)."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    name = "".join(ch if ch.isprintable() and ch not in '<>:"|?*' else "_" for ch in name)
    name = name.strip().lstrip(".").strip() or "file"
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:110] + dot + suffix[:9]) if dot and len(suffix) < 10 else name[:120]
    return name


def _unique(folder: Path, name: str) -> Path:
    path = folder / name
    n = 2
    while path.exists():
        stem, suffix = os.path.splitext(name)
        path = folder / f"{stem} ({n}){suffix}"
        n += 1
    return path


def stage(
    corpus_id: str,
    uploads: Iterable[tuple[str, bytes]],
    pasted: str = "",
    limits: Limits | None = None,
    root: Path | None = None,
) -> Staged:
    """Write ``uploads`` (file name, bytes) and ``pasted`` text into a new inbox batch of the
    corpus. Raises UploadError (nothing kept) when the upload breaks a limit or the disk
    fills up; single bad members of an archive are skipped and listed in ``rejected``."""
    limits = limits or Limits.from_env()
    uploads = list(uploads)
    pasted = (pasted or "").strip()
    total = sum(len(data) for _name, data in uploads) + len(pasted.encode("utf-8"))
    if not uploads and not pasted:
        raise UploadError("nothing", "nothing to import: no file and no text")
    if total > limits.upload_mb * 1e6:
        raise UploadError(
            "too_big",
            f"the upload is {_mb(total)} MB; at most {limits.upload_mb:g} MB are accepted",
            size=_mb(total),
            limit=f"{limits.upload_mb:g}",
        )
    inbox = corpora.corpus_dir(corpus_id, root) / corpora.INBOX
    token = secrets.token_hex(8)
    batch = inbox / token
    staged = Staged(token)
    try:
        batch.mkdir(parents=True)
        _check_space(batch, total)
        for name, data in uploads:
            name = safe_name(name)
            if name.lower().endswith(".zip"):
                _unzip(batch, name, data, limits, staged)
            else:
                _write(_unique(batch, name), data, staged)
            if staged.files > limits.max_files:
                raise _too_many(limits)
        if pasted:
            _write(_unique(batch, PASTED_NAME), pasted.encode("utf-8"), staged)
        if staged.files > limits.max_files:
            raise _too_many(limits)
    except OSError as exc:
        shutil.rmtree(batch, ignore_errors=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise UploadError(
                "disk_full", "the server's disk is full; nothing of this upload was kept"
            ) from exc
        raise UploadError("write_failed", f"the upload could not be saved: {exc}") from exc
    except BaseException:
        shutil.rmtree(batch, ignore_errors=True)
        raise
    if staged.files == 0:
        shutil.rmtree(batch, ignore_errors=True)
        raise UploadError("no_documents", "no document in the upload could be kept")
    return staged


def _too_many(limits: Limits) -> UploadError:
    return UploadError(
        "too_many",
        f"the upload holds more than {limits.max_files} files",
        limit=limits.max_files,
    )


def _check_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed * 2 + 20e6:  # the documents, then their tables and cache
        raise OSError(errno.ENOSPC, "no space left")


def _write(path: Path, data: bytes, staged: Staged) -> None:
    # O_EXCL | O_NOFOLLOW: never through a link, never over a file already there.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    staged.files += 1
    staged.bytes += len(data)


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member is skipped (None: it is extracted)."""
    raw = info.filename
    name = raw.replace("\\", "/")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "symbolic link inside the archive (skipped)"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or name.startswith("//"):
        return "absolute path inside the archive (skipped)"
    if ".." in PurePosixPath(name).parts:
        return "path inside the archive climbs out of its folder (skipped)"
    if "\x00" in raw:
        return "name with a NUL byte (skipped)"
    if info.is_dir():
        return ""  # a folder entry: nothing to write, nothing to report
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in ARCHIVE_SUFFIXES:
        return "archive inside the archive: unpack it and upload its files (skipped)"
    if info.flag_bits & 0x1:
        return "encrypted member (skipped)"
    return None


def _unzip(batch: Path, name: str, data: bytes, limits: Limits, staged: Staged) -> None:
    """Unpack a zip into ``batch/<name>/`` (a folder named like the archive)."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        staged.rejected.append(Rejected(name, None, f"not a readable zip archive ({exc})"))
        return
    declared = sum(m.file_size for m in members)
    if declared > limits.unpacked_mb * 1e6:
        raise UploadError(
            "zip_too_big",
            f"{name} would unpack to {_mb(declared)} MB; at most {limits.unpacked_mb:g} MB",
            name=name,
            size=_mb(declared),
            limit=f"{limits.unpacked_mb:g}",
        )
    if declared > 1e6 and declared > limits.max_ratio * max(len(data), 1):
        raise UploadError(
            "zip_bomb",
            f"{name} packs {_mb(declared)} MB into {_mb(len(data))} MB (more than "
            f"{limits.max_ratio:g} times): refused as a zip bomb",
            name=name,
            ratio=f"{declared / max(len(data), 1):,.0f}",
            limit=f"{limits.max_ratio:g}",
        )
    if len(members) > limits.max_files:
        raise _too_many(limits)
    folder = _unique(batch, name)
    folder.mkdir()
    budget = limits.unpacked_mb * 1e6
    for info in members:
        problem = _member_problem(info)
        shown = f"{name}/{info.filename}"
        if problem == "":
            continue
        if problem:
            staged.rejected.append(Rejected(shown, None, problem))
            continue
        parts = [safe_name(p) for p in PurePosixPath(info.filename.replace("\\", "/")).parts]
        parts = [p for p in parts if p not in ("", ".", "..")]
        if not parts:
            continue
        suffix = PurePosixPath(parts[-1]).suffix.lower()
        if suffix not in SUPPORTED:
            staged.rejected.append(Rejected(shown, None, f"unsupported file type '{suffix}'"))
            continue
        target = folder.joinpath(*parts)
        # Resolved without following links: the path must stay inside the archive's folder.
        if os.path.commonpath([os.path.abspath(target), str(folder)]) != str(folder):
            staged.rejected.append(Rejected(shown, None, "path leaves the folder (skipped)"))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target = _unique(target.parent, target.name)
        # Read with a cap: the sizes a zip declares are not to be trusted.
        try:
            with archive.open(info) as src:
                content = src.read(int(min(budget, info.file_size)) + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
            staged.rejected.append(Rejected(shown, None, f"cannot be unpacked ({exc})"))
            continue
        if len(content) > info.file_size or len(content) > budget:
            raise UploadError(
                "zip_bomb",
                f"{name} unpacks to more than it declares: refused as a zip bomb",
                name=name,
                ratio="?",
                limit=f"{limits.max_ratio:g}",
            )
        budget -= len(content)
        _write(target, content, staged)
        if staged.files > limits.max_files:
            raise _too_many(limits)


def stage_paths(corpus_id: str, paths: Iterable[Path], root: Path | None = None) -> Staged:
    """The command line's upload: copy files and folders (and unpack .zip files) into a new
    inbox batch of the corpus, like ``stage`` does for a browser's files."""
    from .readers import iter_files
    from .report import IngestReport

    limits = Limits(upload_mb=float("inf"), max_files=10**9, unpacked_mb=float("inf"))
    token = secrets.token_hex(8)
    batch = corpora.corpus_dir(corpus_id, root) / corpora.INBOX / token
    staged = Staged(token)
    found = IngestReport()
    try:
        batch.mkdir(parents=True)
        for path in (Path(p) for p in paths):
            if path.is_file() and path.suffix.lower() == ".zip":
                _unzip(batch, safe_name(path.name), path.read_bytes(), limits, staged)
                continue
            for file, top in iter_files([path], found):
                base = batch / safe_name(path.name) if path.is_dir() else batch
                target = base / file.relative_to(top)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
                staged.files += 1
                staged.bytes += target.stat().st_size
    except BaseException:
        shutil.rmtree(batch, ignore_errors=True)
        raise
    staged.rejected.extend(found.rejected)
    if staged.files == 0:
        shutil.rmtree(batch, ignore_errors=True)
        raise UploadError("no_documents", "no readable document under the given paths")
    return staged
