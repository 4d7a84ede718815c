"""Nothing lost: concurrent runs, kills at any step, damaged files, a full disk, bad CSV rows.

Each test reproduces one way the ingestion or the app used to lose or hide a user's tables,
with real processes (the command line in a subprocess, SIGKILL) and real files.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest.pipeline import ingest
from dashboard.ingest.readers import iter_files, read_file
from dashboard.ingest.report import IngestReport
from dashboard.tables import store
from dashboard.tables.lock import holder_of
from dashboard.tables.mapped import TEXTS
from dashboard.tools.synth import generate

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw"
LABELLED = ROOT / "data" / "labels" / "ingestion" / "docs"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def cli(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", "ingest", *args],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def run_cli(*args: str) -> subprocess.CompletedProcess:
    proc = cli(*args)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def article_count(folder: Path) -> int:
    return len(store.load_tables(folder, ("articles",))["articles"])


@pytest.fixture(scope="module")
def big_raw(tmp_path_factory) -> Path:
    """Enough documents that an ingestion runs for a few seconds, with a pool of workers."""
    raw = tmp_path_factory.mktemp("big") / "raw"
    generate(raw, 3000, seed=11)
    return raw


def _wait_for_lock(out: Path, proc: subprocess.Popen, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        holder = holder_of(out)
        if holder:
            return holder
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the first run never took the lock")


# ---------------------------------------------------------------- two runs, one folder


def test_a_second_ingestion_into_the_same_folder_refuses_and_names_the_first(tmp_path, big_raw):
    out = tmp_path / "out"
    first = cli(str(big_raw), "--out", str(out), "--quiet", "--workers", "1")
    holder = _wait_for_lock(out, first)
    second = run_cli(str(SEED), "--out", str(out), "--quiet")
    assert second.returncode == 1
    message = second.stderr.strip()
    assert len(message.splitlines()) == 1, message  # one line, no traceback
    assert f"process {holder['pid']}" in message and "another ingestion" in message
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert article_count(out) > 2900  # the first run's tables (3,000 documents), not the seed's 5
    again = ingest([big_raw], out)  # the cache holds the first run's entries only
    assert "0 computed" in again.cache["files"]


def test_with_wait_the_second_ingestion_runs_after_the_first(tmp_path, big_raw):
    out = tmp_path / "out"
    first = cli(str(big_raw), "--out", str(out), "--quiet", "--workers", "1")
    _wait_for_lock(out, first)
    second = run_cli(str(SEED), "--out", str(out), "--quiet", "--wait")
    assert first.wait(timeout=300) == 0 and second.returncode == 0, second.stderr
    assert article_count(out) == 5  # the second run's set is the one published


# ---------------------------------------------------------------- kills


KILL_AT = {
    # after the new set is written and renamed, before `current` is swapped
    "before_swap": "store._publish = lambda out, run_id: os.kill(os.getpid(), signal.SIGKILL)",
    # while the tables are written into the run's partial folder
    "while_writing": textwrap.dedent(
        """
        import pyarrow.parquet as pq
        real = pq.write_table
        calls = []
        def write(*a, **k):
            calls.append(1)
            if len(calls) == 3:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*a, **k)
        pq.write_table = write
        """
    ),
}


@pytest.mark.parametrize("where", sorted(KILL_AT))
def test_a_kill_during_publish_leaves_the_last_good_set(tmp_path, where):
    out = tmp_path / "out"
    ingest([SEED], out)
    before = store.snapshot(out)
    code = (
        "import os, signal, sys\n"
        "from dashboard.tables import store\n"
        + KILL_AT[where]
        + "\nfrom dashboard.cli import main\n"
        + f"sys.exit(main(['ingest', {str(LABELLED)!r}, '--out', {str(out)!r}, '--quiet']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, timeout=300
    )
    assert proc.returncode == -signal.SIGKILL
    assert store.snapshot(out) == before  # still the last good set, readable
    assert article_count(out) == 5
    leftovers = [p.name for p in (out / "runs").iterdir()]
    assert len(leftovers) == 2  # the good set and what the killed run left
    ingest([LABELLED], out)  # the next run sweeps it
    assert article_count(out) > 5
    kept = {p.name for p in (out / "runs").iterdir()}
    assert kept == {store.read_manifest(out)["run_id"], before.run_id}
    assert not list((out / ".cache").glob(".*"))  # no half-written cache either


def test_a_killed_ingestion_takes_its_workers_with_it(tmp_path, big_raw):
    out = tmp_path / "out"
    proc = cli(str(big_raw), "--out", str(out), "--quiet", "--workers", "2")
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and not workers:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert workers, "the run never started its workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]
    # And the lock is free for the next run, once every process that inherited it is gone
    # (a worker started after the first was seen exits on its own parent-death signal).
    while time.monotonic() < deadline and holder_of(out) is not None:
        time.sleep(0.1)
    assert holder_of(out) is None


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# ---------------------------------------------------------------- a full disk


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs, where the test may mount one (root in a namespace that allows it)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_full_disk_is_one_line_and_keeps_the_tables(small_disk, big_raw):
    out = small_disk / "out"
    assert run_cli(str(SEED), "--out", str(out), "--quiet", "--no-cache").returncode == 0
    before = store.snapshot(out)
    room = shutil.disk_usage(small_disk).free - 200_000  # 200 KB left: less than the new set
    (small_disk / "filler").write_bytes(b"\0" * room)
    done = run_cli(str(big_raw), "--out", str(out), "--quiet", "--no-cache")
    assert done.returncode == 1
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message, message
    assert "is full" in message and "MB" in message and "unchanged" in message
    assert store.snapshot(out) == before and article_count(out) == 5
    assert not [p for p in (out / "runs").iterdir() if p.name.endswith(".partial")]


def test_a_cache_that_fills_the_disk_says_so_in_one_line(small_disk, big_raw):
    out = small_disk / "out"
    done = run_cli(str(big_raw), "--out", str(out), "--quiet")
    assert done.returncode == 1
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message, message
    assert "is full" in message


# ---------------------------------------------------------------- exit status, cache


def test_strict_makes_a_rejected_input_a_failure_and_no_cache_writes_none(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(SEED, docs)
    (docs / "broken.jsonl").write_text('{"text": "unterminated\n', encoding="utf-8")
    out = tmp_path / "out"
    loose = run_cli(str(docs), "--out", str(out), "--quiet", "--no-cache")
    assert loose.returncode == 0 and "1 input(s) rejected" in loose.stderr
    assert not (out / ".cache").exists()
    strict = run_cli(str(docs), "--out", str(out), "--quiet", "--strict")
    assert strict.returncode == 3
    assert article_count(out) == 5  # the tables are written all the same


# ---------------------------------------------------------------- inputs


def _read_all(path: Path) -> tuple[list, IngestReport]:
    report = IngestReport()
    docs = [d for f, root in iter_files([path], report) for d in read_file(f, root, report)]
    return docs, report


GOOD = "第{n}篇报道说朝鲜与俄罗斯官员在平壤举行会谈并同意扩大合作"


def test_csv_rows_of_the_wrong_shape_are_reported_and_the_good_rows_kept(tmp_path):
    rows = [
        "title,text",
        f"one,{GOOD.format(n=1)}",
        f"two,{GOOD.format(n=2)},an extra cell",  # line 3: too many
        "three",  # line 4: too few
        f'four,"{GOOD.format(n=4)}',  # line 5: a quote that never closes
        f"five,{GOOD.format(n=5)}",
        f"six,{GOOD.format(n=6)}",
    ]
    (tmp_path / "feed.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    docs, report = _read_all(tmp_path)
    assert [d.meta["title"] for d in docs] == ["one", "five", "six"]
    reasons = {r.line: r.reason for r in report.rejected}
    assert set(reasons) == {3, 4, 5}
    assert "too many" in reasons[3] and "too few" in reasons[4] and "quote" in reasons[5]


def test_a_quoted_multi_line_field_of_short_lines_is_one_article(tmp_path):
    poem = "朝俄签署\n新条约\n双方承诺\n互相援助\n共同防御"
    (tmp_path / "feed.csv").write_text(
        f'title,text\nshort lines,"{poem}"\nnext,{GOOD.format(n=2)}\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    report = ingest([tmp_path / "feed.csv"], out)
    assert not report.rejected
    texts = store.load_tables(out, ("articles",))["articles"]["text"].tolist()
    assert texts[0].replace("\n", "") == poem.replace("\n", "") and len(texts) == 2


def test_symlink_loops_and_dangling_links_are_reported(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "a.txt").write_text(GOOD.format(n=1) + "。", encoding="utf-8")
    (docs / "sub" / "loop").symlink_to(docs)  # leads back up
    (docs / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (docs / "again.txt").symlink_to(docs / "sub" / "a.txt")
    docs_read, report = _read_all(docs)
    assert len(docs_read) == 1
    reasons = " | ".join(f"{r.file}: {r.reason}" for r in report.rejected)
    assert "sub/loop: symbolic link loop" in reasons
    assert "gone.txt: broken symbolic link" in reasons
    assert "read once" in reasons


# ---------------------------------------------------------------- the app


def _page(page: str = "overview") -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)


def _texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("state", ["missing", "empty", "partial"])
def test_the_app_never_writes_into_a_folder_the_user_named(tmp_path, monkeypatch, state):
    data = tmp_path / "mine"
    if state != "missing":
        data.mkdir()
    if state == "partial":  # a user's own articles table, alone
        seed = tmp_path / "seed"
        ingest([SEED], seed)
        shutil.copy(seed / "articles.parquet", data / "articles.parquet")
    before = _tree(data) if data.exists() else None
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    monkeypatch.delenv("DASHBOARD_RAW", raising=False)
    at = _page().run()
    assert not at.exception
    said = _texts(at.error)
    assert {"missing": "不存在", "empty": "没有已处理的数据表", "partial": "不完整"}[state] in said
    assert f"--out {data}" in " ".join(c.value for c in at.code)
    assert (_tree(data) if data.exists() else None) == before  # untouched
    assert not at.button  # nothing to rebuild from: no demo put in its place


def test_a_damaged_set_names_every_broken_file_and_rebuilds_from_its_own_inputs(
    tmp_path, monkeypatch
):
    data = tmp_path / "mine"
    ingest([LABELLED], data)  # the user's documents, not the bundled post
    n = article_count(data)
    (data / "articles.parquet").write_bytes(b"not parquet")  # through the link: current set
    (data / "events.parquet").unlink(missing_ok=True)
    (data / "runs" / store.read_manifest(data)["run_id"] / "events.parquet").unlink()
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    monkeypatch.setenv("DASHBOARD_RAW", str(SEED))  # must not be what the rebuild uses
    at = _page().run()
    assert not at.exception
    listed = _texts(at.markdown)
    assert "articles.parquet" in listed and "events.parquet" in listed
    assert str(LABELLED) in " ".join(c.value for c in at.code)
    at.button(key="data_rebuild").click().run()  # asks first
    assert "替换" in _texts(at.warning) and article_count_or_none(data) is None
    at.button(key="data_rebuild_yes").click().run()
    assert not at.exception
    assert article_count(data) == n  # rebuilt from the recorded inputs
    assert at.title and at.title[0].value == "概览"


def article_count_or_none(folder: Path) -> int | None:
    try:
        return article_count(folder)
    except store.StoreError:
        return None


def test_the_default_folder_is_built_from_the_bundled_documents(tmp_path, monkeypatch):
    from dashboard.tables import paths

    monkeypatch.delenv("DASHBOARD_DATA", raising=False)
    monkeypatch.delenv("DASHBOARD_RAW", raising=False)
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path / "data")
    shutil.copytree(SEED, tmp_path / "data" / "raw")
    at = _page().run()
    assert not at.exception
    assert article_count(tmp_path / "data" / "processed") == 5


def test_texts_damaged_under_a_running_app_are_a_message(tmp_path, monkeypatch):
    data = tmp_path / "mine"
    ingest([SEED], data)
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    at = _page("overview").run()  # the app runs: tables loaded, texts not read yet
    assert not at.exception and at.title
    # The texts are read from the run's texts file, made again from articles.parquet when
    # it is damaged: both damaged leave nothing to read them from.
    (data / "current" / TEXTS).write_bytes(b"damaged while the app runs")
    (data / "articles.parquet").write_bytes(b"damaged while the app runs")
    reader = _page("articles").run()  # the reader reads the texts on first use
    assert not reader.exception
    assert "articles.parquet" in _texts(reader.error) and "无法读取" in _texts(reader.error)
