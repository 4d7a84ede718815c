"""Ingestion as tasks on Dask gives the same tables as one process (issue 24).

Real parts only: a local cluster of worker processes, and a scheduler and workers started
as separate processes with the ``dask scheduler`` / ``dask worker`` commands on 127.0.0.1.
The published Parquet tables are compared as Arrow tables; their row order is deterministic
(results come back in input order), so they are compared as written, not sorted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dashboard.ingest.engine import DaskEngine, InProcess
from dashboard.ingest.pipeline import build_tables, ingest
from dashboard.ingest.report import IngestReport
from dashboard.tables.paths import DATA_DIR
from dashboard.tables.schema import COLUMNS
from dashboard.tools.synth import generate

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")
# The workers import this checkout's package, not whichever one the environment installed,
# and this module (for the slow task below) as the tests import it.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")])}
START_TIMEOUT_S = 30


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> list[Path]:
    """300 synthetic articles (relays among them) and the bundled forum post."""
    folder = tmp_path_factory.mktemp("dask") / "raw"
    generate(folder, 300, seed=3)
    return [folder, DATA_DIR / "raw"]


def published(out: Path) -> dict:
    return {name: pq.read_table(out / f"{name}.parquet") for name in COLUMNS}


@pytest.fixture(scope="module")
def one_process(raw, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("one") / "out"
    ingest(raw, out, workers=1)
    tables = published(out)
    assert tables["articles"].num_rows > 300 and tables["mentions"].num_rows > 1000
    assert tables["articles"]["dup_of"].null_count < tables["articles"].num_rows  # relays
    return tables


def assert_same_tables(got: dict, want: dict) -> None:
    for name in want:
        assert got[name].schema == want[name].schema, name
        assert got[name].equals(want[name]), name


@contextmanager
def dask_processes(tmp_path: Path, n_workers: int = 2):
    """A ``dask scheduler`` and ``n_workers`` ``dask worker`` processes on 127.0.0.1, on free
    ports; yields (address, {worker name: Popen}, a function that starts one more worker).
    Stopped on the way out, failed or not."""
    from distributed import Client

    scheduler_file = tmp_path / "scheduler.json"
    procs: list[subprocess.Popen] = []
    logs = []

    def start(*args: str) -> subprocess.Popen:
        log = open(tmp_path / f"dask-{len(procs)}.log", "w")  # noqa: SIM115 (closed below)
        logs.append(log)
        proc = subprocess.Popen(
            [str(DASK), *args],
            cwd=tmp_path,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append(proc)
        return proc

    try:
        common = ["--scheduler-file", str(scheduler_file)]
        start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", *common)
        deadline = time.monotonic() + START_TIMEOUT_S
        address = None
        while address is None and time.monotonic() < deadline:
            try:
                address = json.loads(scheduler_file.read_text())["address"]
            except (FileNotFoundError, ValueError, KeyError):
                # Not there yet, or half written: the scheduler writes the file in place (a
                # CI run read it empty).
                time.sleep(0.05)
        assert address, f"the scheduler wrote no address in {START_TIMEOUT_S} s"
        # No nanny: the worker is the process itself, so killing it removes the worker
        # (a nanny would start a new one).
        workers: dict[str, subprocess.Popen] = {}

        def start_worker() -> str:
            """One more worker, joined to the scheduler: its name."""
            name = f"w{len(workers)}"
            workers[name] = start(
                "worker", *common, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                "--no-dashboard", "--name", name, "--death-timeout", "30",
                "--local-directory", str(tmp_path / name),
            )  # fmt: skip
            with Client(address, timeout=START_TIMEOUT_S, set_as_default=False) as client:
                client.wait_for_workers(len(workers), timeout=START_TIMEOUT_S)
            return name

        for _ in range(n_workers):
            start_worker()
        yield address, workers, start_worker
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for log in logs:
            log.close()


def test_one_process_builds_in_memory_what_it_publishes(raw, one_process):
    """(a) The one-process engine: the tables in memory are the ones published."""
    tables = build_tables(raw, IngestReport(), engine=InProcess())
    for name, frame in tables.items():
        assert len(frame) == one_process[name].num_rows, name


def test_a_local_cluster_of_two_workers_gives_the_same_tables(raw, one_process, tmp_path):
    """(b) A LocalCluster with two worker processes, used for every map (no size floor); run
    twice, the second run takes every per-item result from the cache, read on the workers."""
    out = tmp_path / "out"
    with DaskEngine(workers=2, min_items_per_worker=1) as engine:
        assert not engine.runs_here(len(raw))
        first = ingest(raw, out, engine=engine)
        assert engine._cluster is not None  # the work did go to the cluster
        assert_same_tables(published(out), one_process)
        again = ingest(raw, out, engine=engine)
    assert_same_tables(published(out), one_process)
    assert first.articles == again.articles == one_process["articles"].num_rows
    assert all(summary.startswith("0 reused") for summary in first.cache.values())
    assert all(summary.endswith(" 0 computed") for summary in again.cache.values())


def test_a_scheduler_and_two_workers_over_tcp_give_the_same_tables(raw, one_process, tmp_path):
    """(c) ``dask scheduler`` and two ``dask worker`` processes, reached by the command line's
    ``--scheduler``."""
    out = tmp_path / "out"
    with dask_processes(tmp_path) as (address, _workers, _start):
        done = subprocess.run(
            [sys.executable, "-m", "dashboard", "ingest", *map(str, raw), "--out", str(out)]
            + ["--quiet", "--scheduler", address],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        from distributed import Client

        with Client(address, set_as_default=False) as client:
            # Both workers did ingestion tasks (each keeps a log of what it ran).
            ran = client.run(lambda dask_worker: len(dask_worker.state.log))
        assert len(ran) == 2 and all(n > 0 for n in ran.values())
    assert_same_tables(published(out), one_process)


def ingest_disturbed(address: str, raw, out: Path, disturb) -> tuple:
    """Ingest on the cluster at ``address`` while, once the entity stage has started,
    ``disturb(watcher, busy)`` is called for each worker running tasks (``busy``: its
    address and task keys) until it returns a value: (the report, that value)."""
    from distributed import Client

    entities_started = threading.Event()
    done: list = []

    def progress(stage: str, _done: int, _total: int) -> None:
        if stage == "entities":
            entities_started.set()

    def watch() -> None:
        with Client(address, set_as_default=False) as watcher:
            entities_started.wait(60)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                for busy in watcher.processing().items():
                    if busy[1] and (value := disturb(watcher, busy)) is not None:
                        done.append(value)
                        return
                time.sleep(0.005)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    report = ingest(raw, out, progress=progress, scheduler=address)
    thread.join(10)
    assert done, "no worker was caught running an entity task"
    return report, done[0]


def test_a_worker_killed_mid_ingestion_the_run_completes_with_the_same_tables(
    raw, one_process, tmp_path
):
    """A worker killed (SIGKILL) while it runs entity tasks: the scheduler gives its tasks to
    the other worker, the context every task reads was on both, and the tables are the same."""
    from distributed import Client

    out = tmp_path / "out"
    with dask_processes(tmp_path) as (address, workers, _start):

        def kill(watcher, busy):
            name = watcher.scheduler_info()["workers"].get(busy[0], {}).get("name")
            if name in workers:
                workers[name].send_signal(signal.SIGKILL)
                return name
            return None

        report, killed = ingest_disturbed(address, raw, out, kill)
        assert workers[killed].wait(10) == -signal.SIGKILL
        with Client(address, set_as_default=False) as client:
            assert len(client.scheduler_info()["workers"]) == 1  # the run ended on one
        assert report.articles == one_process["articles"].num_rows
    assert_same_tables(published(out), one_process)


def test_a_chunk_the_scheduler_cancels_is_sent_again_while_workers_remain(
    raw, one_process, tmp_path
):
    """A task cancelled on the scheduler while both workers live (what a worker's death
    sometimes leaves behind under load: 'already forgotten'): the chunk is sent again and the
    tables are the same."""
    from distributed import Future

    out = tmp_path / "out"
    with dask_processes(tmp_path) as (address, _workers, _start):

        def cancel(watcher, busy):
            chunk = next((k for k in busy[1] if str(k).startswith("_run_chunk")), None)
            if chunk is not None:
                watcher.cancel([Future(chunk, client=watcher)], force=True)
            return chunk

        report, _cancelled = ingest_disturbed(address, raw, out, cancel)
        assert report.articles == one_process["articles"].num_rows
    assert_same_tables(published(out), one_process)


def slow_echo(seconds: float, chunk: list) -> list:
    """A task for the engine's map: its chunk back, after ``seconds``."""
    time.sleep(seconds)
    return list(chunk)


def test_the_context_lost_with_the_worker_that_held_its_only_copy_is_sent_again(tmp_path):
    """The map's context is on one worker only (a worker that joined after it was sent has
    none; and Dask's memory manager drops extra copies of data no task waits on: two became
    one within seconds). That worker killed: every chunk still waiting on the context is
    cancelled at once ("already forgotten"), more of them than the fresh copies the engine
    may send. The map still completes on the worker that joined, every chunk in order."""
    from distributed import Client

    items = list(range(48))  # 4 chunks a worker, 12 of 4: several in flight at a time
    with (
        dask_processes(tmp_path, n_workers=1) as (address, workers, start_worker),
        Client(address, set_as_default=False) as watcher,
    ):
        engine = DaskEngine(scheduler=address)
        engine.workers = 3  # as if three cores: more chunks than the one worker runs at once
        chunks = engine.iter_chunks(slow_echo, items, 0.3)
        got = list(next(chunks))  # the map is running: the other chunks wait on the context
        joined = start_worker()
        held = {k: v for k, v in watcher.who_has().items() if k.startswith("bytes-")}
        assert len(held) == 1 and len(next(iter(held.values()))) == 1  # one copy
        workers["w0"].send_signal(signal.SIGKILL)
        for chunk in chunks:
            got.extend(chunk)
        engine.close()
        assert list(watcher.scheduler_info()["workers"].values())[0]["name"] == joined
    assert got == items


def test_a_local_cluster_takes_no_port_another_cluster_holds(raw, one_process, tmp_path):
    """Another cluster (or a second ingestion) holds Dask's usual port 8787: the local
    cluster neither warns about it (a warning would break the one-line messages) nor opens
    any port beyond this machine."""
    import socket
    import warnings

    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            holder.bind(("", 8787))
            holder.listen()
        except OSError:
            pass  # already held by something else: the case itself
        with (
            warnings.catch_warnings(record=True) as caught,
            DaskEngine(workers=2, min_items_per_worker=1) as engine,
        ):
            warnings.simplefilter("always")
            ingest(raw, tmp_path / "out", engine=engine)
            http = engine._cluster.scheduler.http_server
            assert str(http.address).startswith("127.")  # this machine only
    assert not [w for w in caught if "already in use" in str(w.message)]
    assert_same_tables(published(tmp_path / "out"), one_process)


def test_an_unreachable_scheduler_stops_the_run_in_one_line_and_keeps_the_tables(
    raw, tmp_path, monkeypatch, capsys
):
    """Nothing listens at the address: the run stops before any work with a message naming
    it, the exit status is 1, and the tables already published stay as they were."""
    import socket

    from dashboard.cli import main
    from dashboard.ingest import engine
    from dashboard.tables import store

    out = tmp_path / "out"
    ingest([DATA_DIR / "raw"], out)
    before = store.snapshot(out)
    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT_S", 1)  # the default waits 20 s
    with pytest.raises(engine.EngineError, match=f"cannot reach the Dask scheduler {address}"):
        ingest(raw, out, scheduler=address)
    capsys.readouterr()
    assert main(["ingest", *map(str, raw), "--out", str(out), "--scheduler", address]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot reach the Dask scheduler {address}: ")
    assert err.count("\n") == 1  # one line, no traceback
    assert store.snapshot(out) == before
