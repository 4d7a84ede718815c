"""Array helpers where numpy's own is slow for the way this project calls it."""

from __future__ import annotations

import numpy as np


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """The distinct values in ascending order, as ``np.unique(values)`` returns them for
    integers (for floats, NaNs are not merged into one).

    numpy 2.4's ``np.unique`` without ``return_*`` arguments finds integers through a hash
    table, then sorts them: measured here, 40 times slower than a sort and one comparison
    (446 ms against 10 ms for a million int64, 121 us against 10 us for the thousand shingle
    hashes of one article).
    """
    ordered = np.sort(np.ravel(values))
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
