"""Command line: ``python -m dashboard ingest | entities | cloud | bench``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .paths import processed_dir, raw_dir


class TerminalProgress:
    """A tqdm bar per stage on a terminal; silent when output goes to a file or --quiet."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bars: dict = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self._bars.get(stage)
        if bar is None:
            unit = "doc" if stage == "reading" else "step"
            bar = self._bars[stage] = tqdm(
                desc=f"{stage:>16}", total=total or None, unit=unit, leave=False
            )
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


def cmd_ingest(args: argparse.Namespace) -> int:
    from .pipeline import NothingIngested, ingest

    paths = [Path(p) for p in args.paths] or [raw_dir()]
    out = Path(args.out) if args.out else processed_dir()
    progress = TerminalProgress(enabled=not args.quiet and sys.stderr.isatty())
    try:
        report = ingest(paths, out, progress=progress, max_file_mb=args.max_file_mb)
    except NothingIngested as exc:
        progress.close()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    progress.close()
    if not args.quiet:
        print(report.summary())
        print(f"tables written to {out}")
    elif report.rejected:
        print(
            f"{len(report.rejected)} input(s) rejected; see {out / 'ingest_report.json'}",
            file=sys.stderr,
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="raw documents -> processed tables")
    p.add_argument(
        "paths", nargs="*", help="files or folders (default: data/raw or $DASHBOARD_RAW)"
    )
    p.add_argument("--out", help="output folder (default: data/processed or $DASHBOARD_DATA)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p.add_argument(
        "--max-file-mb", type=float, default=50.0, help="reject larger files (default 50)"
    )
    p.set_defaults(func=cmd_ingest)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)
