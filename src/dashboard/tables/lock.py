"""One writer per output folder: an exclusive lock on ``DIR/.lock`` for the whole run.

The lock is an ``flock`` on an open file: the system drops it when the process that holds it
ends, however it ends, so a killed run never leaves a stale lock behind. The file says who
holds it (process id, start time, command) for the message a second run shows.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".lock"


class LockHeld(Exception):
    """Another run is writing the same folder."""

    def __init__(self, folder: Path, holder: dict):
        self.folder, self.holder = Path(folder), holder
        pid = holder.get("pid", "?")
        started = holder.get("started", "an unknown time")
        super().__init__(
            f"another ingestion is writing {folder} (process {pid}, started {started}); wait "
            "for it to finish (or add --wait), or stop that process, then run again."
        )


def _holder(fd: int) -> dict:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {}


@contextmanager
def output_lock(folder: Path, wait: bool = False) -> Iterator[None]:
    """Hold ``folder``'s lock while the block runs; raises LockHeld when another process
    holds it (or waits for it with ``wait``). Creates ``folder`` if needed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise LockHeld(folder, _holder(fd)) from None
        holder = {
            "pid": os.getpid(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "command": " ".join(sys.argv)[:300],
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode("utf-8"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def holder_of(folder: Path) -> dict | None:
    """Who holds ``folder``'s lock now (None when nobody does)."""
    path = Path(folder) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
