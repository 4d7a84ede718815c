"""Command line: ``python -m dashboard ingest | corpora | entities | cloud | bench | dates``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from .ingest.engine import default_workers
from .tables.paths import processed_dir, raw_dir


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


# Exit status of `ingest`: 0 every input read; 1 nothing written (the message says why);
# 3 with --strict, tables written but some input was rejected.
EXIT_FAILED, EXIT_PARTIAL = 1, 3


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest.engine import EngineError
    from .ingest.pipeline import NothingIngested, ingest
    from .tables.lock import LockHeld

    if args.nice:
        os.nice(args.nice)
    if args.corpus or args.staged:
        return cmd_ingest_corpus(args)
    paths = [Path(p) for p in args.paths] or [raw_dir()]
    out = Path(args.out) if args.out else processed_dir()
    progress = TerminalProgress(enabled=not args.quiet and sys.stderr.isatty())
    try:
        report = ingest(
            paths,
            out,
            progress=progress,
            max_file_mb=args.max_file_mb,
            workers=args.workers,
            incremental=not args.no_cache,
            wait=args.wait,
            scheduler=args.scheduler,
        )
    except (NothingIngested, LockHeld, EngineError) as exc:
        progress.close()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:  # disk full, a folder that cannot be written: one line, no traceback
        progress.close()
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_FAILED
    progress.close()
    prepared = _prepare_views(out)
    if not args.quiet:
        print(report.summary())
        print(f"tables written to {out}")
        if prepared is not None:
            print(f"the pages' per-corpus structures built in {prepared:.1f} s")
    elif report.rejected:
        print(
            f"{len(report.rejected)} input(s) rejected; see {out / 'ingest_report.json'}",
            file=sys.stderr,
        )
    if report.rejected and args.strict:
        return EXIT_PARTIAL
    return 0


def _prepare_views(out: Path) -> float | None:
    """The pages' per-corpus structures of the run just written, kept in its folder (see
    analysis/prebuild.py), built by ``prepare`` in a process of its own, which starts with
    none of the ingestion's memory (what the allocator keeps of it is not stacked under the
    load of the whole corpus); seconds, or None when they could not be built (the tables are
    written: the first views build them instead, so this is a warning, not a failure)."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "prepare", "--data", str(out)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        why = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        print(f"warning: the pages' structures were not prepared ({why})", file=sys.stderr)
        return None
    return time.perf_counter() - started


def cmd_prepare(args: argparse.Namespace) -> int:
    """``prepare``: build the pages' per-corpus structures of a set of tables, kept beside
    them (the ``ingest`` command does it after each run; the app does it on first use)."""
    from .analysis.prebuild import build_derived
    from .tables.store import StoreError

    data = Path(args.data) if args.data else processed_dir()
    try:
        seconds = build_derived(data)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"the pages' per-corpus structures of {data} built in {seconds:.1f} s")
    return 0


def cmd_ingest_corpus(args: argparse.Namespace) -> int:
    """``ingest PATH --corpus ID``: add documents to a corpus (``--corpus new`` makes one);
    ``--staged TOKEN``: the job the app started for an upload already in the inbox."""
    from .ingest import corpus_jobs, uploads
    from .tables import corpora

    try:
        corpora.corpora_root()  # a folder that cannot be used is said as such
        if args.corpus == "new" and not args.staged:
            corpus_id, key = corpora.create(args.name or "")
            print(f"new corpus {corpus_id}", file=sys.stderr)
            print(f"edit key (keep it to add or delete from the app): {key}", file=sys.stderr)
        else:
            corpus_id = args.corpus
            if not corpora.exists(corpus_id):
                print(f"error: no corpus {corpus_id!r} (see `corpora list`)", file=sys.stderr)
                return EXIT_FAILED
        if args.staged:
            token = args.staged
        else:
            if not args.paths:
                print("error: name the files or folders to add", file=sys.stderr)
                return EXIT_FAILED
            staged = uploads.stage_paths(corpus_id, [Path(p) for p in args.paths])
            token = staged.token
            path = corpus_jobs.job_path(corpus_id, token)
            path.parent.mkdir(parents=True, exist_ok=True)
            corpora.write_json(
                path,
                {
                    "token": token,
                    "state": "queued",
                    "staged_rejected": [r.__dict__ for r in staged.rejected],
                },
            )
    except (corpora.CorporaError, uploads.UploadError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    progress = TerminalProgress(enabled=not args.quiet and sys.stderr.isatty())
    job = corpus_jobs.run(corpus_id, token, workers=args.workers, progress=progress)
    progress.close()
    if job.get("state") != "done":
        print(f"error: {job.get('error') or job.get('state')}", file=sys.stderr)
        return EXIT_FAILED
    rejected = (job.get("staged_rejected") or []) + (job.get("report") or {}).get("rejected", [])
    if not args.quiet:
        print(f"corpus {corpus_id}: {job.get('articles', 0)} articles")
        for r in rejected:
            where = r["file"] if r.get("line") is None else f"{r['file']}:{r['line']}"
            print(f"  rejected {where}: {r['reason']}")
    if rejected and args.strict:
        return EXIT_PARTIAL
    return 0


def cmd_corpora(args: argparse.Namespace) -> int:
    from .tables import corpora
    from .tables.lock import LockHeld

    try:
        if args.action == "list":
            found = corpora.list_all()
            for c in found:
                used = time.strftime("%Y-%m-%d %H:%M", time.localtime(c.last_used))
                span = f"{c.date_min} – {c.date_max}" if c.date_min else "no dates"
                print(f"{c.id}\t{c.articles}\t{span}\tlast used {used}\t{c.name}")
            print(f"{len(found)} corpora in {corpora.corpora_setting()}", file=sys.stderr)
            return 0
        if not args.id or not corpora.valid_id(args.id):
            print("error: name the corpus id to delete", file=sys.stderr)
            return EXIT_FAILED
        corpora.delete(args.id)
        print(f"deleted {args.id}", file=sys.stderr)
        return 0
    except KeyError:
        print(f"error: no corpus {args.id!r}", file=sys.stderr)
    except LockHeld:
        print(
            "error: an upload is being added to this corpus; try again when it ends",
            file=sys.stderr,
        )
    except (corpora.CorporaError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    return EXIT_FAILED


def _iso_date(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc


def cmd_cloud(args: argparse.Namespace) -> int:
    from .tables import store

    data_dir = Path(args.data) if args.data else processed_dir()
    try:
        render_cloud_cli(
            data_dir,
            Path(args.out),
            sources=args.source or None,
            date_from=args.date_from,
            date_to=args.date_to,
            weight=args.weight,
            width=args.width,
            height=args.height,
        )
    except store.StoreError as exc:
        print(f"error: {exc} Run `python -m dashboard ingest` first.", file=sys.stderr)
        return 1
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from .ingest import entities
    from .tables import store

    data_dir = Path(args.data) if args.data else processed_dir()
    try:
        tables = store.load_tables(data_dir)
    except store.StoreError as exc:
        print(f"error: {exc} Run `python -m dashboard ingest` first.", file=sys.stderr)
        return 1
    rows = entities.suggest_rows(tables).head(args.limit)
    if rows.empty:
        print("no unverified names: every name found is in the gazetteer", file=sys.stderr)
        return 0
    # stdout: rows in the gazetteer's own columns, ready to paste; stderr: how often each occurs.
    counts = rows.pop("mentions") if "mentions" in rows.columns else None
    sys.stdout.write(rows.to_csv(index=False))
    if counts is not None:
        for name, n in zip(rows["name_zh"], counts, strict=True):
            print(f"# {name}: {n} mention(s)", file=sys.stderr)
    return 0


def cmd_dates(args: argparse.Namespace) -> int:
    """One text per line on stdin -> one JSON array per line on stdout: the text's date
    expressions as the events stage reads them (the same resolver, on Simplified text), with
    open-ended ranges read to their end (2019年5月8日起, 年底前, 三个多月以来, 17天内), which
    the events stage does not take as event dates."""
    import io
    import json
    from datetime import date

    from .common.textnorm import to_simplified
    from .ingest.time_open import with_open_ranges
    from .ingest.timeexpr import find_times

    ref = args.ref or date.today()
    # UTF-8 whatever the locale says (a pipe under LANG=C would otherwise be ASCII).
    buffer = getattr(sys.stdin, "buffer", None)
    lines = io.TextIOWrapper(buffer, encoding="utf-8", errors="replace") if buffer else sys.stdin
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    for line in lines:
        text = line.rstrip("\r\n")
        # to_simplified keeps the length, so the offsets point into the line as given.
        simplified = to_simplified(text)
        items = [
            {
                "text": text[t.start : t.end],
                "start": t.date.isoformat(),
                "end": t.date_end.isoformat(),
                "precision": t.precision,
                "approximate": t.approximate,
            }
            for t in with_open_ranges(simplified, find_times(simplified, ref), ref)
        ]
        print(json.dumps(items, ensure_ascii=False), flush=True)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .tools import bench

    if args.app_only and args.ingest_only:
        print("--app-only and --ingest-only measure opposite halves: give one", file=sys.stderr)
        return 2
    if args.data and not args.app_only:
        print("--data names tables to measure the app on: give it with --app-only", file=sys.stderr)
        return 2
    if args.engine == "local" and args.scheduler:
        print("--engine local runs in this process: it takes no --scheduler", file=sys.stderr)
        return 2
    bench.run(
        args.articles,
        args.json,
        page_runs=args.page_runs,
        workers=1 if args.engine == "local" else args.workers,
        scheduler=args.scheduler,
        ingest_only=args.ingest_only,
        sessions=args.sessions,
        app_only=args.app_only,
        data=args.data,
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
    p.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="processes to use (default: every core, as a local Dask cluster); the output is "
        "the same for any number",
    )
    p.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run the per-file and per-article work on the Dask cluster with this scheduler "
        "(started with `dask scheduler` and `dask worker`; they must read the input paths "
        "as named here); --workers is then ignored",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help=f"exit with status {EXIT_PARTIAL} when any input was rejected (tables are written)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="do not read or write the incremental cache (OUT/.cache, several times the "
        "tables' size): every document is processed again",
    )
    p.add_argument(
        "--wait",
        action="store_true",
        help="wait for another ingestion into the same folder to finish instead of stopping",
    )
    p.add_argument(
        "--corpus",
        metavar="ID",
        help="add the documents to this corpus of the corpora folder ($DASHBOARD_CORPORA, "
        "default data/corpora) instead of --out; 'new' makes a new corpus and prints its id",
    )
    p.add_argument("--name", help="the name of a corpus made with --corpus new")
    p.add_argument("--staged", help=argparse.SUPPRESS)  # the app's job for an upload
    p.add_argument("--nice", type=int, default=0, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "prepare", help="build the pages' per-corpus structures of a set of tables (ingest does)"
    )
    p.add_argument("--data", help="the tables' folder (default: the processed folder)")
    p.set_defaults(func=cmd_prepare)

    p = sub.add_parser("corpora", help="list or delete the corpora people uploaded")
    p.add_argument("action", choices=["list", "delete"])
    p.add_argument("id", nargs="?", help="the corpus to delete")
    p.set_defaults(func=cmd_corpora)

    p = sub.add_parser("entities", help="entity tools")
    p.add_argument(
        "--suggest",
        action="store_true",
        required=True,
        help="print frequent names missing from data/gazetteer.csv as CSV rows ready to paste",
    )
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--data", help="processed tables (default: data/processed or $DASHBOARD_DATA)")
    p.set_defaults(func=cmd_entities)

    from .analysis.keywords import WEIGHTINGS

    p = sub.add_parser("cloud", help="render a keyword cloud to a PNG file")
    p.add_argument("--out", required=True, help="PNG file to write")
    p.add_argument("--source", action="append", help="outlet id (repeat for several)")
    p.add_argument("--from", dest="date_from", type=_iso_date, help="first date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_iso_date, help="last date, YYYY-MM-DD")
    p.add_argument("--weight", choices=sorted(WEIGHTINGS), default="frequency")
    p.add_argument("--width", type=int, default=1200)
    p.add_argument("--height", type=int, default=600)
    p.add_argument("--data", help="processed tables (default: data/processed or $DASHBOARD_DATA)")
    p.set_defaults(func=cmd_cloud)

    p = sub.add_parser(
        "dates",
        help="the date expressions of each stdin line, one JSON array per line",
        description="Reads one text per line on stdin and prints, per line, a JSON array with "
        'one object per date expression: {"text", "start", "end", "precision", "approximate"} '
        "(start/end: ISO dates, inclusive; precision: day, month or year). Relative dates "
        "(昨天, 上周五, 去年底) are resolved against --ref.",
    )
    p.add_argument(
        "--ref",
        type=_iso_date,
        help="the date the texts were written (their dispatch date), YYYY-MM-DD; default today",
    )
    p.set_defaults(func=cmd_dates)

    p = sub.add_parser(
        "bench", help="benchmark ingestion, data load and pages on a synthetic corpus"
    )
    p.add_argument("--articles", type=int, default=10_000, help="corpus size (default 10000)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON on the last line")
    p.add_argument("--page-runs", type=int, default=20, help="filter changes per page (default 20)")
    p.add_argument("--workers", type=int, default=None, help="ingestion processes (default: all)")
    p.add_argument(
        "--scheduler",
        default=None,
        help="ingest on this running Dask cluster (tcp://HOST:PORT); default a local one",
    )
    p.add_argument(
        "--engine",
        choices=("cluster", "local"),
        default="cluster",
        help="cluster: Dask (a local cluster of --workers processes, or --scheduler); "
        "local: everything in one process, no cluster",
    )
    p.add_argument(
        "--ingest-only",
        action="store_true",
        help="measure the ingestion only (no data load, no pages): for very large corpora",
    )
    p.add_argument(
        "--app-only",
        action="store_true",
        help="measure the app only, on the tables an earlier bench of this size left",
    )
    p.add_argument(
        "--data",
        type=Path,
        help="with --app-only: measure the app on the tables in this folder instead (for "
        "example a set made by scripts/tile_tables.py); --articles is then ignored",
    )
    p.add_argument(
        "--sessions",
        type=int,
        default=8,
        help="sessions changing filters at once, --page-runs reruns each (default 8; 0: skip)",
    )
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


def render_cloud_cli(
    data_dir: Path,
    out: Path,
    sources: list[str] | None = None,
    date_from=None,
    date_to=None,
    weight: str = "frequency",
    width: int = 1200,
    height: int = 600,
) -> Path:
    """Write a cloud PNG for the filters; prints what it wrote and the font file; returns the font path.

    Weighting ``distinctive`` compares the selection with the rest of the corpus; ``tfidf`` takes
    idf over the whole corpus.
    """
    # Imported here: plotting and the cloud's font are not needed to ingest.
    from .analysis.keywords import WEIGHTINGS, cloud_weights, select_articles, terms_of
    from .figures.cloud import MAX_CLOUD_WORDS, font_path, render_cloud
    from .tables import store

    tables = store.load_tables(Path(data_dir), ("articles", "terms"))
    articles, terms = tables["articles"], tables["terms"]
    chosen = select_articles(articles, sources, date_from, date_to)
    selected_terms = terms_of(terms, chosen)
    weights = cloud_weights(selected_terms, weight, corpus=terms)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    render_cloud(weights.head(MAX_CLOUD_WORDS).to_dict(), width, height).save(out, format="PNG")
    font = font_path()
    print(
        f"wrote {out}: {len(chosen)} article(s), {min(len(weights), MAX_CLOUD_WORDS)} term(s), "
        f"weighting {weight} ({WEIGHTINGS[weight]})"
    )
    if weights.empty:
        print(
            "note: no terms to show for these filters"
            + (
                " (distinctive needs articles outside the selection)"
                if weight == "distinctive"
                else ""
            )
        )
    print(f"font: {font}")
    return font
