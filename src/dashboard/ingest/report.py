"""What an ingestion run tells the user: counts and every rejected input with its reason."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field


@dataclass
class Rejected:
    file: str
    line: int | None
    reason: str


@dataclass
class IngestReport:
    documents_read: int = 0
    articles: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    articles_per_source: dict[str, int] = field(default_factory=dict)
    unregistered_sources: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    cache: dict[str, str] = field(default_factory=dict)  # per stage: reused / computed

    def reject(self, file: str, line: int | None, reason: str) -> None:
        self.rejected.append(Rejected(file, line, reason))

    def count_sources(self, sources: list[str]) -> None:
        self.articles_per_source = dict(Counter(sources).most_common())

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False, indent=2)

    def summary(self) -> str:
        """Human-readable summary for the terminal."""
        lines = [
            f"documents read: {self.documents_read}",
            f"articles: {self.articles}",
        ]
        if self.articles_per_source:
            lines.append("articles per outlet:")
            width = max(len(s) for s in self.articles_per_source)
            for source, n in self.articles_per_source.items():
                lines.append(f"  {source:<{width}}  {n}")
        for name, n in self.counts.items():
            lines.append(f"{name}: {n}")
        if self.unregistered_sources:
            lines.append(
                "outlets named in metadata but missing from data/outlets.csv: "
                + ", ".join(f"{k} ({v})" for k, v in self.unregistered_sources.items())
            )
        if self.cache:
            lines.append(
                "reused from the last run: " + "; ".join(f"{k} {v}" for k, v in self.cache.items())
            )
        for notice in self.notices:
            lines.append(f"note: {notice}")
        if self.rejected:
            lines.append(f"rejected inputs: {len(self.rejected)}")
            for r in self.rejected:
                where = r.file if r.line is None else f"{r.file}:{r.line}"
                lines.append(f"  {where}: {r.reason}")
        else:
            lines.append("rejected inputs: 0")
        return "\n".join(lines)
