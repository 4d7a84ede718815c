"""Time bins shared by the overview and the timeline: day, week or month by the selection's span."""

from __future__ import annotations

import numpy as np

# Bars per period: a day each up to three months, else a week (Monday) up to two years, else a
# month. Twenty thousand daily bars (ten outlets over six years) took the browser seconds.
# The timeline's bucketed marks use the same weeks and months (timeline_buckets.bucket_period).
PERIOD_DAYS = {"D": 92, "W": 730}


def period_for(first: np.datetime64, last: np.datetime64) -> str:
    """'D', 'W' or 'M': the bar period for a selection spanning ``first`` to ``last``."""
    span = int((last - first) // np.timedelta64(1, "D"))
    return next((p for p, limit in PERIOD_DAYS.items() if span <= limit), "M")


def period_starts(days: np.ndarray, period: str) -> np.ndarray:
    """The first day of the day, week (from Monday) or month each datetime64[D] day is in."""
    if period == "M":
        return days.astype("datetime64[M]").astype("datetime64[D]")
    if period == "W":  # 1970-01-05 was a Monday
        monday = np.datetime64("1970-01-05")
        return monday + (days - monday) // np.timedelta64(7, "D") * np.timedelta64(7, "D")
    return days
