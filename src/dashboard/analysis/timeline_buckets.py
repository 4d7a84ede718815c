"""The timeline at scale: stories counted per direction and week or month (a heatmap).

Above ``timeline.MAX_MARKS`` stories single marks overlap into a band; the page draws one
cell per direction and period instead (``heat_cells``), every period of the span a column,
so a quiet month is an empty cell, not a missing one. A click on a cell lists its stories
(``cell_stories``), and any of them opens its reports.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .filters import codes_of
from .periods import period_for, period_starts

CELL_PREFIX = "cell:"
CELL_COLUMNS = ["lane", "from_country", "to_country", "period", "stories", "reports", "cell_id"]


def _start_days(frame: pd.DataFrame) -> np.ndarray:
    return pd.to_datetime(frame["start"]).to_numpy(dtype="datetime64[D]")


def bucket_period(frame: pd.DataFrame, days: np.ndarray | None = None) -> str:
    """'W' (weeks) or 'M' (months, when the stories span more than two years): the periods
    of the overview's bars (periods.period_for), never days."""
    days = _start_days(frame) if days is None else days
    days = days[~np.isnat(days)]
    period = period_for(days.min(), days.max()) if len(days) else "W"
    return "W" if period == "D" else period


def cell_id(period: str, from_country: str, to_country: str, first_day) -> str:
    """What a click on a cell returns: ``cell:W|PRK>RUS|2024-07-01`` (codes, not names, so a
    link works in either language)."""
    return f"{CELL_PREFIX}{period}|{from_country}>{to_country}|{pd.Timestamp(first_day):%Y-%m-%d}"


def parse_cell(value: str | None) -> tuple[str, str, str, pd.Timestamp] | None:
    """(period, from, to, first day) of a cell id; None for anything else."""
    if not isinstance(value, str) or not value.startswith(CELL_PREFIX):
        return None
    try:
        freq, route, day = value[len(CELL_PREFIX) :].split("|")
        frm, to = route.split(">")
        first = pd.Timestamp(day)
    except ValueError:
        return None
    if freq not in ("W", "M") or not frm or not to or pd.isna(first):
        return None
    return freq, frm, to, first


def period_columns(frame: pd.DataFrame, freq: str | None = None) -> tuple[str, np.ndarray]:
    """The period and the first day of every period from the first story to the last (one
    heatmap column each, empty ones included), plus the day after the last period: the
    columns' edges."""
    days = _start_days(frame)
    days = days[~np.isnat(days)]
    freq = freq or bucket_period(frame, days)
    if not len(days):
        return freq, np.array([], dtype="datetime64[D]")
    first = period_starts(days.min(keepdims=True), freq)[0]
    last = period_starts(days.max(keepdims=True), freq)[0]
    if freq == "M":
        months = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 2)
        return freq, months.astype("datetime64[D]")
    return freq, np.arange(first, last + np.timedelta64(8, "D"), np.timedelta64(7, "D"))


def heat_cells(frame: pd.DataFrame, freq: str | None = None) -> pd.DataFrame:
    """Stories counted per direction and period (CELL_COLUMNS; ``period`` is its first day),
    only the cells that hold stories, by lane then period."""
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CELL_COLUMNS})
    days = _start_days(frame)
    freq = freq or bucket_period(frame, days)
    first_days = period_starts(days, freq)  # weeks from Monday, as pandas' W periods
    dated = ~np.isnat(first_days)
    # Grouped on integer codes, not by pandas on strings and dates: several times faster.
    lane_code, lanes = codes_of(frame["lane"][dated], sort=True)
    period = first_days[dated].astype(np.int64)
    base = int(period.min()) if len(period) else 0
    width = int(period.max()) - base + 1 if len(period) else 1
    keys, group = np.unique(lane_code * width + (period - base), return_inverse=True)
    reports = frame["reports"].to_numpy()[dated]
    starts = (keys % width + base).astype("datetime64[D]")
    # Each lane's countries: the lane is one direction.
    firsts = np.unique(lane_code, return_index=True)[1]
    from_of = frame["from_country"].to_numpy(dtype=object)[dated][firsts]
    to_of = frame["to_country"].to_numpy(dtype=object)[dated][firsts]
    lane_of = keys // width
    cells = pd.DataFrame(
        {
            "lane": lanes[lane_of] if len(keys) else [],
            "from_country": from_of[lane_of] if len(keys) else [],
            "to_country": to_of[lane_of] if len(keys) else [],
            "period": starts.astype(object),
            "stories": np.bincount(group, minlength=len(keys)).astype(np.int64),
            "reports": np.bincount(group, weights=reports, minlength=len(keys)).astype(np.int64),
        }
    )
    cells["cell_id"] = [
        cell_id(freq, f, t, d)
        for f, t, d in zip(cells["from_country"], cells["to_country"], starts, strict=True)
    ]
    return cells[CELL_COLUMNS]


def cell_stories(frame: pd.DataFrame, cell: str | None) -> pd.DataFrame:
    """The stories of ``frame`` inside one cell (empty for an unknown or malformed cell)."""
    parsed = parse_cell(cell)
    if parsed is None or frame.empty:
        return frame.iloc[0:0]
    freq, frm, to, first = parsed
    starts = period_starts(_start_days(frame), freq)
    return frame[
        (frame["from_country"] == frm).to_numpy()
        & (frame["to_country"] == to).to_numpy()
        & (starts == np.datetime64(first.date(), "D"))
    ]
