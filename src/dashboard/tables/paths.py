"""Where things live. Environment variables let the app and the CLI point at another corpus."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = PROJECT_ROOT / "data"
OUTLETS_CSV = DATA_DIR / "outlets.csv"
GAZETTEER_CSV = DATA_DIR / "gazetteer.csv"
NEWS_STOPWORDS = DATA_DIR / "stopwords_news.txt"
STATIC_DIR = PROJECT_ROOT / "static"


def processed_dir() -> Path:
    return Path(os.environ.get("DASHBOARD_DATA", DATA_DIR / "processed"))


def raw_dir() -> Path:
    return Path(os.environ.get("DASHBOARD_RAW", DATA_DIR / "raw"))


def builds_itself() -> bool:
    """True when the app may build its tables by itself: the default data folder and the
    bundled raw documents (neither variable set). Never into a folder the user named."""
    return "DASHBOARD_DATA" not in os.environ and "DASHBOARD_RAW" not in os.environ
