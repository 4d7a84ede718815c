"""Exports: tables as CSV for download."""

from __future__ import annotations

import pandas as pd


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes with a BOM so spreadsheet programs read the Chinese correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")
