"""Processed tables of a synthetic corpus (tools/synth.py) built by the real pipeline: the
fixture of several test modules, each with its own size and seed."""

from __future__ import annotations

from pathlib import Path

from dashboard.ingest.pipeline import ingest
from dashboard.tools.synth import generate


def build_synthetic(tmp_path_factory, articles: int, seed: int, name: str = "synth") -> Path:
    """``articles`` synthetic reports (``seed``) ingested; the processed folder."""
    raw = tmp_path_factory.mktemp(f"{name}_raw")
    generate(raw, articles, seed=seed)
    out = tmp_path_factory.mktemp(f"{name}_processed")
    ingest([raw], out)
    return out
