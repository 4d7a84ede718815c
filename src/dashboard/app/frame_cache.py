"""Frames kept for the next rerun within a budget of bytes, shared by every session of the
process.

A count of entries (``st.cache_resource(max_entries=3)``) held three whole-corpus timeline
frames at a million articles (235 MB each) and three small ones at 100,000 (under 25 MB):
too many for a small host at one size, too few at the other. A budget keeps as many as fit,
the least recently used going first, and always the newest ``keep_newest`` (the view on
screen: its counted frame and its shown stories'), so a click on it never builds it again.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import pandas as pd

_SAMPLE = 256  # values of an object column whose mean size stands for the column's


def frame_bytes(frame: pd.DataFrame) -> int:
    """About the memory ``frame`` holds: its arrays, and the Python objects of its object
    columns estimated from a sample in which each object counts once (an object that every
    row shares is still counted about rows / 256 times: an estimate on the high side).
    ``memory_usage(deep=True)`` visits every string: 0.2 s on a million-article timeline, a
    fifth of the frame's build."""
    total = int(frame.memory_usage(index=True, deep=False).sum())
    n = len(frame)
    if n == 0:
        return total
    step = max(1, n // _SAMPLE)
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object:
            # An object shared by many rows (a direction's name) is counted once per sample.
            sample = column.iloc[::step]
            distinct = {id(v): v for v in sample}.values()
            total += int(sum(sys.getsizeof(v) for v in distinct) / len(sample) * n)
    return total


class FrameCache:
    """``get(key, build)``: the frame kept under ``key``, else ``build()`` kept under it.
    Thread-safe: sessions run on threads of one process; a key is built once at a time."""

    def __init__(
        self,
        budget_bytes: int,
        size: Callable[[pd.DataFrame], int] = frame_bytes,
        keep_newest: int = 1,
    ):
        self.budget_bytes = budget_bytes
        self.keep_newest = max(1, keep_newest)
        self._size = size
        self._kept: OrderedDict[Hashable, tuple[pd.DataFrame, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key][0]
            building = self._building.setdefault(key, threading.Lock())
        with building:  # another session building the same view: wait for its frame
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    return self._kept[key][0]
            frame = build()  # outside the cache's lock: other views go on meanwhile
            nbytes = self._size(frame)
            with self._lock:
                self._kept[key] = (frame, nbytes)
                self._building.pop(key, None)
                held = sum(b for _, b in self._kept.values())
                while held > self.budget_bytes and len(self._kept) > self.keep_newest:
                    _, (_, freed) = self._kept.popitem(last=False)
                    held -= freed
        return frame

    def held_bytes(self) -> int:
        with self._lock:
            return sum(b for _, b in self._kept.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)


# The timeline's story frames (pages/timeline.py), a view's counted frame and its shown
# stories' frame: at a million articles the newest view alone (a whole-corpus frame is
# 170-235 MB), at 100,000 about five views (under 25 MB a frame) - what the app's budget of
# private memory there (600 MB) can spare.
TIMELINE_FRAMES = FrameCache(128 * 2**20, keep_newest=2)
