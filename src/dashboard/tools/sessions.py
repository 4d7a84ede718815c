"""Several people using the dashboard at once: browser-less sessions against `streamlit run`.

Each session is what a browser tab is to the server: a websocket on ``/_stcore/stream`` that
asks for a page with a query string (``rerun_script``) and receives the page's elements until
``script_finished``. The time between the two is the server's time for that rerun (plus the
local socket), without any browser rendering, which on a two-core machine would compete with
the server for the same cores. All sessions share the one server process, its loaded corpus
and its caches, as real visitors do.

    python -m dashboard.tools.sessions DATA_DIR --sessions 8 --runs 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from ..tables.paths import PROJECT_ROOT

STREAM_PATH = "/_stcore/stream"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_server(data_dir: Path, log_dir: Path | None = None, raw_dir: Path | None = None):
    """`streamlit run app.py` on 127.0.0.1 over ``data_dir`` (and ``raw_dir`` as the bundled
    input) until the block ends; yields (port, process). Its output goes to
    ``log_dir/server_PORT.log`` when a folder is given."""
    port = _free_port()
    env = dict(os.environ, DASHBOARD_DATA=str(data_dir))
    if raw_dir is not None:
        env["DASHBOARD_RAW"] = str(raw_dir)
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    cmd += ["--browser.gatherUsageStats", "false"]
    log_path = Path(log_dir) / f"server_{port}.log" if log_dir is not None else Path(os.devnull)
    if log_dir is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                # The health endpoint starts no session: a browser's request stays the first.
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log_path}") from None
                time.sleep(0.2)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


async def _rerun(ws, page: str, query_string: str, timeout: float) -> tuple[float, bool]:
    """Ask for ``page`` with ``query_string``; wait for the run's end. Returns (ms, ok):
    ok is False when the page raised (an exception element) or the run did not finish."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_name = page
    start = time.perf_counter()
    await ws.write_message(msg.SerializeToString(), binary=True)
    ok = True
    while True:
        raw = await asyncio.wait_for(ws.read_message(), timeout)
        if raw is None:  # the server closed the socket
            return (time.perf_counter() - start) * 1000, False
        fwd = ForwardMsg.FromString(raw)
        kind = fwd.WhichOneof("type")
        if kind == "page_not_found" or (
            kind == "delta" and fwd.delta.new_element.WhichOneof("type") == "exception"
        ):
            ok = False
            if kind == "delta":  # said, so a failed run in the benchmark's output says why
                exception = fwd.delta.new_element.exception
                print(
                    f"{page}?{query_string}: {exception.type}: {exception.message}",
                    file=sys.stderr,
                    flush=True,
                )
        if kind == "script_finished":
            # 0 = finished successfully; a rerun or a stop requested meanwhile is no failure
            ok = ok and fwd.script_finished != ForwardMsg.FINISHED_WITH_COMPILE_ERROR
            return (time.perf_counter() - start) * 1000, ok


async def _session(
    port: int,
    pages: list[str],
    runs: int,
    make_query: Callable[[random.Random, str], str],
    seed: int,
    timeout: float,
) -> list[tuple[str, float, bool]]:
    from tornado.websocket import websocket_connect

    rng = random.Random(seed)
    ws = await websocket_connect(f"ws://127.0.0.1:{port}{STREAM_PATH}")
    try:
        done = []
        for _ in range(runs):
            page = rng.choice(pages)
            ms, ok = await _rerun(ws, page, make_query(rng, page), timeout)
            done.append((page, ms, ok))
        return done
    finally:
        ws.close()


def run_sessions(
    port: int,
    pages: list[str],
    sessions: int,
    runs: int,
    make_query: Callable[[random.Random, str], str],
    timeout: float = 300.0,
) -> list[tuple[str, float, bool]]:
    """``sessions`` sessions at once, ``runs`` reruns each on random pages: every rerun's
    (page, ms, ok)."""

    async def main():
        results = await asyncio.gather(
            *(_session(port, pages, runs, make_query, 1000 + k, timeout) for k in range(sessions))
        )
        return [r for rs in results for r in rs]

    # In a thread of its own: a caller may already run an event loop in this one (a test
    # process after Playwright), where asyncio.run() refuses to start.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


def main(argv: list[str] | None = None) -> int:
    from .bench import _pct, measure_sessions

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    live = measure_sessions(args.data_dir, args.sessions, args.runs)
    times = [ms for _, ms, _ in live["results"]]
    print(
        json.dumps(
            {
                "sessions": args.sessions,
                "reruns": len(times),
                "failed": sum(not ok for *_, ok in live["results"]),
                "rerun_ms_p50": round(_pct(times, 0.5), 1),
                "rerun_ms_p95": round(_pct(times, 0.95), 1),
                "server_peak_rss_mb": round(live["server_peak_rss_mb"], 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
