"""Handing freed memory back to the system."""

from __future__ import annotations

import contextlib
import ctypes


def release_memory() -> None:
    """Return freed memory to the system. Python's and Arrow's allocators keep freed blocks
    for reuse; after an ingestion stage over 100,000 articles, or after loading the tables,
    that is hundreds of MB the next peak stacks on. ``malloc_trim`` is glibc only (elsewhere
    this only releases Arrow's pool)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


# glibc's mallopt parameter for the size from which a block is its own mapping.
_M_MMAP_THRESHOLD = -3
APP_MMAP_THRESHOLD = 16 * 1024 * 1024


def return_large_blocks(threshold: int = APP_MMAP_THRESHOLD) -> bool:
    """Make every block of ``threshold`` bytes or more a mapping of its own, given back to
    the system when freed (glibc only; False elsewhere). By default glibc raises this
    threshold each time such a block is freed, up to 32 MB, and from then on serves large
    arrays from its heap, where freed ones stay: at 100,000 articles the app's private
    memory grew by 166 MB over eight views of the keywords page (60 MB with the threshold
    fixed). A fresh mapping costs its page faults on every use, so the threshold is high:
    at 128 KB the entities page's queries took half as long again (105 -> 160 ms median),
    at 16 MB no longer measurably, while the growth stays that of 128 KB. Not for the
    ingestion's workers: there a mapping per temporary array made numpy-heavy stages
    several times slower (docs/performance.md)."""
    with contextlib.suppress(OSError, AttributeError):
        return bool(ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, int(threshold)))
    return False


def private_mb(pid: int | str = "self") -> float:
    """The process's private resident memory now (RssAnon: what it allocated itself), in MB.
    A memory-mapped file's pages (the texts) are file cache the system shares and drops
    under pressure; they count in the resident size but not here."""
    return _status_mb(pid, "RssAnon")


def peak_rss_mb(pid: int | str = "self") -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    return _status_mb(pid, "VmHWM")


def _status_mb(pid: int | str, field: str) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return float("nan")


class PrivatePeak:
    """The highest ``private_mb`` of a process while this runs, sampled every ``every``
    seconds on a thread of its own (Linux has no peak counter for it, as VmHWM is for the
    resident size). Use as a context manager; ``peak`` holds the figure."""

    def __init__(self, pid: int | str = "self", every: float = 0.01):
        import threading

        self.pid, self.every, self.peak = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            try:
                self.peak = max(self.peak, private_mb(self.pid))
            except OSError:  # the process ended
                return
            if self._stop.wait(self.every):
                return

    def __enter__(self) -> PrivatePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        with contextlib.suppress(OSError):
            self.peak = max(self.peak, private_mb(self.pid))
