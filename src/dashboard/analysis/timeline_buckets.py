"""The timeline at scale: stories counted per lane, kind and week or month.

Above ``timeline.MAX_MARKS`` stories the page draws one mark per bucket instead of one per
story; a click on a mark lists the bucket's stories (``bucket_stories``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .filters import codes_of
from .periods import period_for, period_starts

BUCKET_PREFIX = "bucket:"


def _start_days(frame: pd.DataFrame) -> np.ndarray:
    return pd.to_datetime(frame["start"]).to_numpy(dtype="datetime64[D]")


def bucket_period(frame: pd.DataFrame, days: np.ndarray | None = None) -> str:
    """'W' (weeks) or 'M' (months, when the stories span more than two years): the periods
    of the overview's bars (periods.period_for), never days."""
    days = _start_days(frame) if days is None else days
    days = days[~np.isnat(days)]
    period = period_for(days.min(), days.max()) if len(days) else "W"
    return "W" if period == "D" else period


def bucket_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Stories counted per lane, kind and period: lane, kind, period (its first day), stories,
    reports, bucket_id (what a selection of the mark returns). Sorted by lane, kind, period."""
    days = _start_days(frame)
    freq = bucket_period(frame, days)
    first_days = period_starts(days, freq)  # weeks from Monday, as pandas' W periods
    dated = ~np.isnat(first_days)
    # Grouped on integer codes (lanes and kinds numbered in sorted order), not by pandas on
    # strings and dates: the groups come out in the same order, several times faster.
    lane_code, lanes = codes_of(frame["lane"][dated], sort=True)
    kind_code, kinds = codes_of(frame["kind"][dated], sort=True)
    period = first_days[dated].astype(np.int64)
    base = int(period.min()) if len(period) else 0
    width = int(period.max()) - base + 1 if len(period) else 1
    key = (lane_code * len(kinds) + kind_code) * width + (period - base)
    keys, group = np.unique(key, return_inverse=True)
    reports = frame["reports"].to_numpy()[dated]
    starts = (keys % width + base).astype("datetime64[D]")
    lane = lanes[keys // width // len(kinds)] if len(keys) else []
    kind = kinds[keys // width % len(kinds)] if len(keys) else []
    grouped = pd.DataFrame(
        {
            "lane": lane,
            "kind": kind,
            "period": starts.astype(object),
            "stories": np.bincount(group, minlength=len(keys)).astype(np.int64),
            "reports": np.bincount(group, weights=reports, minlength=len(keys)).astype(
                reports.dtype
            ),
        }
    )
    grouped["bucket_id"] = (
        f"{BUCKET_PREFIX}{freq}|"
        + grouped["lane"].astype(str)
        + "|"
        + grouped["kind"].astype(str)
        + "|"
        + pd.Series(starts.astype(str), index=grouped.index)  # ISO days
    )
    return grouped


def bucket_stories(frame: pd.DataFrame, bucket_id: str) -> pd.DataFrame:
    """The stories of ``frame`` inside one bucket mark (empty for an unknown bucket)."""
    try:
        freq, lane, kind, day = bucket_id[len(BUCKET_PREFIX) :].split("|")
        first = pd.Timestamp(day).to_period(freq)
    except ValueError:
        return frame.iloc[0:0]
    starts = pd.to_datetime(frame["start"]).dt.to_period(freq)
    return frame[(frame["lane"] == lane) & (frame["kind"] == kind) & (starts == first)]
