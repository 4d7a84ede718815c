"""The timeline's frames are kept within a budget of bytes, not a count (app/frame_cache.py)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd

from dashboard.app.frame_cache import FrameCache, frame_bytes


def frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"n": np.arange(rows, dtype=np.int64)})  # 8 bytes a row


def test_the_size_of_a_frame_counts_its_strings():
    names = [f"{i:016x}" for i in range(10_000)]
    for ids in (
        pd.DataFrame({"story_id": pd.Series(names, dtype=object)}),  # Python strings
        pd.DataFrame({"story_id": pd.Series(names, dtype="str")}),  # pandas' own strings
    ):
        exact = int(ids.memory_usage(index=True, deep=True).sum())
        assert abs(frame_bytes(ids) - exact) < exact * 0.05
        assert frame_bytes(ids) > 16 * len(ids)


def test_a_string_many_rows_share_is_counted_once():
    lanes = np.array(["朝鲜 → 俄罗斯", "俄罗斯 → 朝鲜"], dtype=object)
    shared = pd.DataFrame({"lane": pd.Series(lanes[np.arange(10_000) % 2], dtype=object)})
    own = pd.DataFrame({"lane": pd.Series([v + " " for v in shared["lane"]], dtype=object)})
    assert frame_bytes(shared) < 10 * len(shared)  # the pointers, and two strings
    assert frame_bytes(own) > 50 * len(own)


def test_views_are_kept_while_they_fit_and_the_least_recent_goes_first():
    cache = FrameCache(budget_bytes=3_000, size=lambda f: 8 * len(f))
    built = []

    def get(key):
        return cache.get(key, lambda: built.append(key) or frame(100))  # 800 bytes each

    for key in "abc":
        get(key)
    first = get("a")  # a hit: a is now the most recent
    assert get("a") is first and built == ["a", "b", "c"]
    get("d")  # 3,200 bytes: b, the least recently used, goes
    assert len(cache) == 3 and cache.held_bytes() == 2_400
    get("b")
    assert built == ["a", "b", "c", "d", "b"]


def test_a_view_bigger_than_the_budget_is_still_kept_alone():
    cache = FrameCache(budget_bytes=1_000, size=lambda f: 8 * len(f))
    cache.get("small", lambda: frame(10))
    big = cache.get("big", lambda: frame(1_000))  # 8,000 bytes
    assert len(cache) == 1 and cache.get("big", lambda: frame(0)) is big


def test_the_view_on_screen_is_kept_whole_though_it_outgrows_the_budget():
    # a view's counted frame, then its shown stories': both kept, so a click rebuilds neither
    cache = FrameCache(budget_bytes=1_000, size=lambda f: 8 * len(f), keep_newest=2)
    counted = cache.get(("view", "counted"), lambda: frame(1_000))  # 8,000 bytes
    cache.get(("view", "shown"), lambda: frame(10))
    assert cache.get(("view", "counted"), lambda: frame(0)) is counted
    cache.get(("next", "counted"), lambda: frame(1_000))
    cache.get(("next", "shown"), lambda: frame(10))
    assert len(cache) == 2  # past the budget, the view left goes: only the newest two stay
    assert cache.get(("next", "counted"), lambda: frame(0)).shape == (1_000, 1)


def test_sessions_asking_for_one_view_at_once_build_it_once():
    cache = FrameCache(budget_bytes=10**9)
    builds = []

    def slow_build():
        builds.append(1)
        time.sleep(0.2)
        return frame(10)

    got = []
    threads = [
        threading.Thread(target=lambda: got.append(cache.get("view", slow_build))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1 and all(g is got[0] for g in got)
