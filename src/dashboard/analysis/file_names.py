"""Names for downloaded files that say what they hold: the page, the dates, the outlets and
the options of the selection (``timeline_2024-07-01_2024-07-31_KCNA.csv``)."""

from __future__ import annotations

import re
from datetime import date

from .filters import Filters

_UNSAFE = re.compile(r"[^0-9A-Za-z._\u4e00-\u9fff-]+")


def _part(value: object) -> str:
    return _UNSAFE.sub("-", str(value)).strip("-.")


def csv_name(
    page: str,
    filters: Filters,
    date_min: date | None = None,
    date_max: date | None = None,
    *extra: object,
) -> str:
    """``page_FROM_TO[_OUTLETS][_once][_dated][_EXTRA...].csv``: the dates in force (the
    corpus's first and last day when the filters leave them open), the outlets chosen (up to
    three, then how many more), the options that narrow the selection, then the page's own
    choices (a country pair, a kind); empty parts are left out."""
    parts = [page]
    start, end = filters.date_from or date_min, filters.date_to or date_max
    if start is not None and end is not None:
        parts += [f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"]
    if filters.sources:
        named = [_part(s) for s in filters.sources[:3]]
        more = len(filters.sources) - 3
        parts.append("+".join(named) + (f"+{more}more" if more > 0 else ""))
    if filters.once:
        parts.append("once")
    if not filters.undated:
        parts.append("dated")
    parts += [p for p in (_part(x) for x in extra if x not in (None, "")) if p]
    return "_".join(p for p in parts if p) + ".csv"
