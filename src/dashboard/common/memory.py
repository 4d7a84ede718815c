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
