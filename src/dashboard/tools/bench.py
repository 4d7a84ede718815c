"""The benchmark: ``python -m dashboard bench --articles N [--json]``.

Generates (or reuses) a synthetic corpus of N articles (``dashboard.tools.synth``), ingests it and
measures, in the same run:

- end-to-end ingestion speed in MB/s of raw input (a fresh process, as a user runs it);
- plain ``jieba.posseg`` on the same article text, the way a typical project would tag it
  (on a sample of about 1 MB: at ~0.1 MB/s the whole corpus would take hours);
- peak resident memory of every process the benchmark started;
- the app's cold data load (a fresh process loading the processed tables);
- for each page, after random filter changes through Streamlit's AppTest: p50 and p95 of the
  time spent in its query and figure functions (``query_ms``), and of the whole script run,
  element building and AppTest's own overhead included (``rerun_ms``).

With ``--json`` the last line printed is one JSON object.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ..common.memory import PrivatePeak, peak_rss_mb
from ..tables.paths import DATA_DIR, PROJECT_ROOT
from .views import PAGE_PARAMS, PAGES, SEARCH_WORDS, random_query_string

SYNTH_DIR = DATA_DIR / "synthetic"


def _python(code: str, env: dict | None = None) -> tuple[str, float]:
    """Run ``code`` in a fresh interpreter; returns (stdout, wall seconds)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{proc.stderr[-3000:]}")
    return proc.stdout, elapsed


def _children_peak_mb() -> float:
    # ru_maxrss is in KiB on Linux: the largest child process waited for so far.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def corpus_dir(n_articles: int, seed: int = 7) -> Path:
    """Where the benchmark keeps its corpus of ``n_articles`` (raw/ and processed/)."""
    return SYNTH_DIR / f"n{n_articles}-s{seed}"


def ensure_corpus(n_articles: int, seed: int = 7) -> Path:
    from .synth import generate

    raw = corpus_dir(n_articles, seed) / "raw"
    marker = raw / ".complete"
    if not marker.exists():
        generate(raw, n_articles, seed=seed)
        marker.write_text("ok", encoding="utf-8")
    return raw


def raw_megabytes(raw: Path) -> float:
    return (
        sum(p.stat().st_size for p in raw.rglob("*") if p.is_file() and p.name != ".complete") / 1e6
    )


def _tree_rss_mb(root: int) -> float:
    """Resident memory of process ``root`` and all its descendants (Linux /proc), in MB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid], rss[pid] = int(fields[1]), int(fields[21])  # ppid, rss in pages
    tree, frontier = {root}, [root]
    while frontier:
        kids = [pid for pid, ppid in parents.items() if ppid in frontier and pid not in tree]
        tree.update(kids)
        frontier = kids
    return sum(rss.get(pid, 0) for pid in tree) * resource.getpagesize() / 1e6


def measure_ingest(
    raw: Path, out: Path, workers: int | None, scheduler: str | None = None
) -> tuple[float, float]:
    """A first run (the output folder, tables and incremental caches, removed first): its
    seconds, and the peak of the memory of all its processes together (the ingestion and the
    local cluster's workers; a remote cluster's workers are not on this machine's books)."""
    shutil.rmtree(out, ignore_errors=True)
    args = [sys.executable, "-m", "dashboard", "ingest", str(raw), "--out", str(out), "--quiet"]
    if workers:
        args += ["--workers", str(workers)]
    if scheduler:
        args += ["--scheduler", scheduler]
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=PROJECT_ROOT)
    peak = 0.0
    while proc.poll() is None:  # sampled: a child's own peak is not the sum of all of them
        peak = max(peak, _tree_rss_mb(proc.pid))
        time.sleep(0.2)
    if proc.returncode != 0:
        raise RuntimeError(f"the ingestion failed (exit {proc.returncode})")
    return time.perf_counter() - start, peak


def measure_baseline(out: Path, sample_mb: float = 1.0) -> dict:
    code = f"""
import time, jieba, jieba.posseg as pseg, pyarrow.parquet as pq
jieba.setLogLevel(60)
jieba.initialize()
texts = pq.read_table({str(out / "articles.parquet")!r}, columns=["text_simplified"]).column(0).to_pylist()
sample, size = [], 0
for t in texts:
    sample.append(t); size += len(t.encode("utf-8"))
    if size >= {sample_mb} * 1e6: break
start = time.perf_counter()
for t in sample:
    for _ in pseg.cut(t): pass
print(size / 1e6, time.perf_counter() - start)
"""
    stdout, _ = _python(code)
    mb, seconds = map(float, stdout.split())
    return {"baseline_sample_mb": round(mb, 2), "baseline_mb_s": mb / seconds}


def measure_prepare(out: Path) -> tuple[float, float]:
    """Seconds and peak resident MB of ``prepare`` on ``out`` (what an ingestion does last),
    in a process of its own. Without it, tables left by older code (or tiled ones) would
    have the app build every per-corpus structure during the measured views: the figures
    of a first start, not of a deployed run."""
    code = f"""
from pathlib import Path
from dashboard.analysis.prebuild import build_derived
from dashboard.common.memory import peak_rss_mb
build_derived(Path({str(out)!r}))
print(peak_rss_mb())
"""
    stdout, seconds = _python(code)
    return seconds, float(stdout.strip() or "nan")


def measure_cold_load(out: Path) -> float:
    code = f"""
import time
start = time.perf_counter()
from dashboard.analysis.corpus import load_corpus
corpus = load_corpus({str(out)!r})
print(time.perf_counter() - start)
"""
    stdout, _ = _python(code)
    return float(stdout.strip())


def ensure_font_copy() -> float | None:
    """Seconds to make the clouds' cut-down font (``dashboard.figures.fonts``), or None when it was
    there. The app makes it once per machine in the background; made here first, the page
    timings below are those of every later visit, and this one-off cost is reported apart."""
    from ..figures.fonts import subset_path

    if subset_path().exists():
        return None
    _, seconds = _python(
        "import runpy; runpy.run_module('dashboard.figures.fonts', run_name='__main__')"
    )
    return seconds


def measure_pages(out: Path, runs: int, seed: int = 11) -> dict[str, list[float]]:
    """Per page: ``rerun`` (a whole AppTest script run) and ``query`` (the time inside the
    query and figure functions during that run) in ms, for ``runs`` random filter changes.
    Then ``_search``: the articles page's query time for a typed search (the first page of
    hits)."""
    code = f"""
import json, random, time, warnings
warnings.filterwarnings("ignore")
from streamlit.testing.v1 import AppTest
from dashboard.tools.views import instrument_query_functions, random_filters
from dashboard.tables.store import load_tables
from dashboard.common.memory import PrivatePeak, peak_rss_mb
private = PrivatePeak().__enter__()
spent = instrument_query_functions()
# Only the two columns the random filters need: a second whole corpus in this process would
# count toward the app's peak memory below.
arts = load_tables({str(out)!r}, ("articles",), only={{"articles": ("published", "source")}})["articles"]
dates = [str(d)[:10] for d in sorted(arts["published"].dropna().unique())]
sources = sorted(arts["source"].unique())
rng = random.Random({seed})
timings = {{}}
# The harness's own cost: AppTest running a page that only writes one line.
import tempfile, pathlib
empty = pathlib.Path(tempfile.mkdtemp()) / "empty.py"
empty.write_text("import streamlit as st\\nst.write(1)\\n", encoding="utf-8")
floor = []
for i in range({runs} + 1):
    at = AppTest.from_file(str(empty), default_timeout=600)
    start = time.perf_counter()
    at.run()
    if i:
        floor.append((time.perf_counter() - start) * 1000)
timings["_floor"] = floor
for page in {PAGES!r}:
    times, query = [], []
    for i in range({runs} + 1):
        at = AppTest.from_file("pages/" + page + ".py", default_timeout=600)
        for k, v in {{**{PAGE_PARAMS!r}.get(page, {{}}), **random_filters(rng, dates, sources)}}.items():
            at.query_params[k] = v
        spent[0] = 0.0
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise SystemExit(page + ": " + str(at.exception[0].message))
        if i:  # the first run loads the corpus into the process cache
            times.append(elapsed * 1000)
            query.append(spent[0] * 1000)
    timings[page] = {{"rerun": times, "query": query}}
search = []
for i in range({runs} + 1):
    at = AppTest.from_file("pages/articles.py", default_timeout=600)
    for k, v in {{**random_filters(rng, dates, sources), "q": rng.choice({SEARCH_WORDS!r})}}.items():
        at.query_params[k] = v
    spent[0] = 0.0
    at.run()
    if at.exception:
        raise SystemExit("search: " + str(at.exception[0].message))
    search.append(spent[0] * 1000)
timings["_search"] = search[1:]
timings["_peak_rss_mb"] = peak_rss_mb()
private.__exit__()
timings["_peak_private_mb"] = private.peak
print(json.dumps(timings))
"""
    stdout, _ = _python(code, env={"DASHBOARD_DATA": str(out)})
    return json.loads(stdout.strip().splitlines()[-1])


def measure_sessions(out: Path, sessions: int, runs: int) -> dict:
    """``sessions`` browser-less sessions changing filters at once against `streamlit run`
    (see tools/sessions.py): every rerun's (page, ms, ok), and the server's peak memory."""
    from . import sessions as live

    make_query = random_query_string(out)
    with live.app_server(out) as (port, proc), PrivatePeak(proc.pid) as private:
        live.run_sessions(port, ["overview"], 1, 1, make_query)  # the corpus loads once
        results = live.run_sessions(port, list(PAGES), sessions, runs, make_query)
        peak = peak_rss_mb(proc.pid)
    return {
        "results": results,
        "server_peak_rss_mb": peak,
        "server_peak_private_mb": private.peak,
    }


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def run(
    n_articles: int,
    as_json: bool,
    page_runs: int = 20,
    workers: int | None = None,
    scheduler: str | None = None,
    ingest_only: bool = False,
    sessions: int = 8,
    app_only: bool = False,
    data: Path | None = None,
) -> dict:
    random.seed(0)
    if data is not None:  # any set of tables (a tiled one: scripts/tile_tables.py)
        import pyarrow.parquet as pq

        from ..tables.store import has_tables, read_manifest

        if not has_tables(data):
            raise SystemExit(f"--data: no tables in {data}")
        articles = pq.read_metadata(Path(data) / "articles.parquet").num_rows
        print(f"app only: the tables in {data} ({articles} articles)", flush=True)
        ingest = {"articles": articles, "raw_mb": None, "data": str(data)}
        ingest["run_id"] = (read_manifest(Path(data)) or {}).get("run_id")
        return _measure_app(Path(data), ingest, None, as_json, page_runs, sessions)
    if app_only:  # the tables an earlier run of the same size left (a million takes hours)
        from ..tables.store import has_tables

        out = corpus_dir(n_articles) / "processed"
        if not has_tables(out):
            raise SystemExit(f"--app-only: no tables in {out}; run the bench once without it")
    raw = ensure_corpus(n_articles)
    out = raw.parent / "processed"
    mb = raw_megabytes(raw)
    print(f"corpus: {n_articles} articles, {mb:.1f} MB raw in {raw}", flush=True)
    if app_only:
        print(f"app only: the tables already in {out}", flush=True)
        ingest = {"articles": n_articles, "raw_mb": round(mb, 2)}
        return _measure_app(out, ingest, None, as_json, page_runs, sessions)

    ingest_s, ingest_tree_peak = measure_ingest(raw, out, workers, scheduler)
    print(
        f"ingest: {ingest_s:.1f} s = {mb / ingest_s:.2f} MB/s"
        + (f" on {scheduler}" if scheduler else "")
        + f", peak {ingest_tree_peak:.0f} MB (all its processes)",
        flush=True,
    )
    ingest_peak = _children_peak_mb()
    cores = os.cpu_count() or 1
    used = min(workers or cores, cores)
    ingest = {
        "articles": n_articles,
        "raw_mb": round(mb, 2),
        "ingest_s": round(ingest_s, 2),
        "ingest_mb_s": round(mb / ingest_s, 3),
        "engine": scheduler or ("local" if workers == 1 else "cluster"),
        "ingest_workers": used,
        "workers": used,
        "scheduler": scheduler or "local",
        "ingest_mb_s_per_core": round(mb / ingest_s / used, 3),
        "peak_rss_mb_ingest": round(ingest_tree_peak, 1),
        "cores": cores,
    }
    if ingest_only:
        print(
            f"ingestion only: {ingest['ingest_mb_s_per_core']} MB/s per core "
            f"({used} {'process' if used == 1 else 'processes'})"
        )
        if as_json:
            print(json.dumps(ingest))
        return ingest
    baseline = measure_baseline(out)
    print(
        f"baseline jieba.posseg: {baseline['baseline_mb_s']:.3f} MB/s "
        f"(on {baseline['baseline_sample_mb']} MB of the same text)",
        flush=True,
    )
    speed = mb / ingest_s / baseline["baseline_mb_s"]
    ingest |= {
        "baseline_mb_s": round(baseline["baseline_mb_s"], 4),
        "baseline_sample_mb": baseline["baseline_sample_mb"],
        "speedup_vs_baseline": round(speed, 1),
        "speedup_per_core": round(speed / used, 1),
        "ingest_peak_rss_mb": round(ingest_peak, 1),
    }
    return _measure_app(out, ingest, used, as_json=as_json, page_runs=page_runs, sessions=sessions)


def _measure_app(
    out: Path, ingest: dict, used: int | None, as_json: bool, page_runs: int, sessions: int
) -> dict:
    """The app's figures on the tables in ``out``, after ``ingest``'s (printed and returned
    with them; ``used``: the ingestion's processes, None when it did not run)."""
    prepared, prepare_peak = measure_prepare(out)
    print(
        f"the pages' per-corpus structures: ready in {prepared:.1f} s, peak {prepare_peak:.0f} "
        "MB (as an ingestion leaves them; built only where this code's version is missing)",
        flush=True,
    )
    cold = measure_cold_load(out)
    print(f"cold data load: {cold:.2f} s", flush=True)
    font_copy = ensure_font_copy()
    print(
        "clouds' cut-down font: "
        + ("reused" if font_copy is None else f"made in {font_copy:.1f} s (once per machine)"),
        flush=True,
    )
    pages = measure_pages(out, page_runs)
    app_peak = pages.pop("_peak_rss_mb", float("nan"))
    app_private = pages.pop("_peak_private_mb", float("nan"))
    floor = pages.pop("_floor", [])
    search = pages.pop("_search", [])
    live = measure_sessions(out, sessions, page_runs) if sessions else None
    failed = sorted({page for page, _, ok in live["results"] if not ok}) if live else []
    if failed:
        raise RuntimeError(f"pages failed with {sessions} sessions at once: {failed}")
    concurrent = [ms for _, ms, _ in live["results"]] if live else []
    p50 = {p: round(statistics.median(v["query"]), 1) for p, v in pages.items()}
    p95 = {p: round(_pct(v["query"], 0.95), 1) for p, v in pages.items()}
    rerun50 = {p: round(statistics.median(v["rerun"]), 1) for p, v in pages.items()}
    rerun95 = {p: round(_pct(v["rerun"], 0.95), 1) for p, v in pages.items()}
    for page in PAGES:
        print(
            f"page {page:<10} queries+figures p50 {p50[page]:7.1f} p95 {p95[page]:7.1f} ms"
            f"   whole rerun p50 {rerun50[page]:7.1f} p95 {rerun95[page]:7.1f} ms",
            flush=True,
        )
    search_p95 = round(_pct(search, 0.95), 1)
    print(f"search on the articles page, first page of hits: p95 {search_p95} ms", flush=True)
    concurrent_p95 = round(_pct(concurrent, 0.95), 1) if concurrent else None
    if concurrent:
        print(
            f"{sessions} sessions changing filters at once: whole rerun p50 "
            f"{statistics.median(concurrent):.1f} p95 {concurrent_p95} ms "
            f"(streamlit run; its process peaked at {live['server_peak_rss_mb']:.0f} MB, "
            f"{live['server_peak_private_mb']:.0f} MB of it private)",
            flush=True,
        )
    floor_p50 = round(statistics.median(floor), 1) if floor else float("nan")
    print(
        f"(AppTest alone, on a page that writes one line: p50 {floor_p50} ms; "
        f"the app process peaked at {app_peak:.0f} MB resident, {app_private:.0f} MB private)",
        flush=True,
    )
    peak = _children_peak_mb()
    result = {
        **ingest,
        "prepare_s": round(prepared, 2),
        "prepare_peak_rss_mb": round(prepare_peak, 1),
        "cold_load_s": round(cold, 3),
        "font_copy_s": None if font_copy is None else round(font_copy, 1),
        "peak_rss_mb": round(peak, 1),
        "app_peak_rss_mb": round(app_peak, 1),
        # Without the pages of memory-mapped files (the texts): the memory a host must give.
        "app_peak_private_mb": round(app_private, 1),
        "apptest_floor_ms_p50": floor_p50,
        "query_ms_p50": p50,
        "query_ms_p95": p95,
        "rerun_ms_p50": rerun50,
        "rerun_ms_p95": rerun95,
        "page_runs": page_runs,
        "search_ms_p95": search_p95,
        "sessions": sessions,
        "concurrent_rerun_ms_p95": concurrent_p95,
        "concurrent_server_peak_rss_mb": round(live["server_peak_rss_mb"], 1) if live else None,
        "concurrent_server_peak_private_mb": (
            round(live["server_peak_private_mb"], 1) if live else None
        ),
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
    }
    if used is None:
        print(f"peak memory: {peak:.0f} MB (app {app_peak:.0f} MB)")
    else:
        print(
            f"peak memory: {peak:.0f} MB (ingestion {ingest['ingest_peak_rss_mb']:.0f} MB, "
            f"app {app_peak:.0f} MB); ingestion {result['speedup_vs_baseline']}x the "
            f"jieba.posseg baseline ({result['speedup_per_core']}x per core, {used} processes)"
        )
    if as_json:
        print(json.dumps(result))
    return result
