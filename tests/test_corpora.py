"""Corpora of one's own: ids, hostile uploads, jobs in their own process, adding, deleting,
quotas, the command line. Real files, real zip archives, real processes."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from dashboard.ingest import corpus_jobs, uploads
from dashboard.ingest.uploads import Limits, UploadError
from dashboard.tables import corpora, store
from dashboard.tables.lock import output_lock

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw"
LABELLED = ROOT / "data" / "labels" / "ingestion" / "docs"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
REPORT = "新华社北京7月9日电 国务院总理李强9日在北京会见来访的俄罗斯总理米舒斯京。双方就两国关系交换了意见。"


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """A corpora folder of the test's own, and a folder around it to catch escapes."""
    folder = tmp_path / "corpora"
    monkeypatch.setenv("DASHBOARD_CORPORA", str(folder))
    return folder


def files_under(folder: Path) -> set[str]:
    return {str(p) for p in folder.rglob("*")}


def zip_bytes(members: list[tuple[str, bytes]], symlinks: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, target)
    return buffer.getvalue()


# ---------------------------------------------------------------- ids


def test_ids_are_unguessable_and_only_well_formed_ids_reach_the_disk(root):
    corpus_id, key = corpora.create("我的新闻")
    assert len(corpus_id) >= 22 and corpora.valid_id(corpus_id)  # 144 random bits
    assert corpus_id != corpora.create()[0]
    assert corpora.info(corpus_id).name == "我的新闻"
    assert corpora.can_edit(corpus_id, key) and not corpora.can_edit(corpus_id, "guess")
    assert "edit_hash" in corpora.read_meta(corpus_id) and key not in str(
        corpora.read_meta(corpus_id)
    )
    for bad in ("../etc", "a/b", "", "short", "..", "x" * 80, None):
        assert not corpora.valid_id(bad)
        assert corpora.info(bad) is None
    with pytest.raises(ValueError):
        corpora.corpus_dir("../../etc")


def test_the_corpora_folder_is_never_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(tmp_path / "processed"))
    for inside in ("processed", "processed/corpora", ""):
        monkeypatch.setenv("DASHBOARD_CORPORA", str(tmp_path / inside))
        with pytest.raises(corpora.CorporaError):
            corpora.corpora_root()


# ---------------------------------------------------------------- hostile uploads


def test_hostile_archives_write_nothing_outside_their_corpus(root):
    corpus_id, _ = corpora.create()
    folder = corpora.corpus_dir(corpus_id)
    outside_before = files_under(root.parent) - files_under(folder)
    evil = zip_bytes(
        [
            ("../../escaped.txt", REPORT.encode()),
            ("/etc/absolute.txt", REPORT.encode()),
            ("ok/../../../climb.txt", REPORT.encode()),
            ("C:\\windows\\drive.txt", REPORT.encode()),
            ("inner.zip", zip_bytes([("x.txt", REPORT.encode())])),
            ("fine/report.txt", REPORT.encode()),
            ("picture.png", b"\x89PNG"),
        ],
        symlinks={"link.txt": "/etc/passwd"},
    )
    staged = uploads.stage(corpus_id, [("evil.zip", evil)])
    outside_after = files_under(root.parent) - files_under(folder)
    assert outside_after == outside_before  # nothing landed outside the corpus folder
    batch = folder / corpora.INBOX / staged.token
    written = sorted(str(p.relative_to(batch)) for p in batch.rglob("*") if p.is_file())
    assert written == ["evil.zip/fine/report.txt"]
    reasons = {r.file: r.reason for r in staged.rejected}
    assert "climbs out" in reasons["evil.zip/../../escaped.txt"]
    assert "absolute" in reasons["evil.zip//etc/absolute.txt"]
    assert "climbs out" in reasons["evil.zip/ok/../../../climb.txt"]
    assert "absolute" in reasons["evil.zip/C:\\windows\\drive.txt"]
    assert "archive inside the archive" in reasons["evil.zip/inner.zip"]
    assert "symbolic link" in reasons["evil.zip/link.txt"]
    assert "unsupported" in reasons["evil.zip/picture.png"]
    assert not any(p.is_symlink() for p in folder.rglob("*"))


def test_a_zip_bomb_and_oversized_uploads_are_refused_whole(root):
    corpus_id, _ = corpora.create()
    folder = corpora.corpus_dir(corpus_id)
    bomb = zip_bytes([(f"zeros{i}.txt", b"0" * 20_000_000) for i in range(3)])  # 60 MB in ~60 KB
    assert len(bomb) < 200_000
    with pytest.raises(UploadError) as caught:
        uploads.stage(corpus_id, [("bomb.zip", bomb)])
    assert caught.value.code == "zip_bomb" and "bomb.zip" in str(caught.value)
    small = Limits(upload_mb=0.001, max_files=2, unpacked_mb=0.01)
    with pytest.raises(UploadError) as caught:
        uploads.stage(corpus_id, [("a.txt", b"x" * 2000)], limits=small)
    assert caught.value.code == "too_big"
    many = [(f"{i}.txt", REPORT.encode()) for i in range(3)]
    with pytest.raises(UploadError) as caught:
        uploads.stage(corpus_id, many, limits=Limits(max_files=2))
    assert caught.value.code == "too_many"
    big = zip_bytes([("big.txt", os.urandom(30_000))])
    with pytest.raises(UploadError) as caught:
        uploads.stage(corpus_id, [("big.zip", big)], limits=Limits(unpacked_mb=0.02))
    assert caught.value.code == "zip_too_big"
    # A zip that lies about its sizes: never more than the declared size is read, and the
    # member fails its check (nothing else was in it, so nothing is kept).
    liar = bytearray(zip_bytes([("lie.txt", b"0" * 100_000)]))
    central = liar.rfind(b"PK\x01\x02")
    liar[central + 24 : central + 28] = (10).to_bytes(4, "little")  # declared size: 10 bytes
    with pytest.raises(UploadError) as caught:
        uploads.stage(corpus_id, [("liar.zip", bytes(liar))])
    assert caught.value.code in ("zip_bomb", "no_documents")
    inbox = folder / corpora.INBOX
    assert not inbox.exists() or not any(inbox.iterdir())  # nothing of them was kept


def test_file_names_are_cleaned_and_never_overwrite(root):
    corpus_id, _ = corpora.create()
    staged = uploads.stage(
        corpus_id,
        [("../../a.txt", REPORT.encode()), ("a.txt", REPORT.encode()), (".hidden.txt", b"x")],
        pasted=REPORT,
    )
    batch = corpora.corpus_dir(corpus_id) / corpora.INBOX / staged.token
    assert sorted(p.name for p in batch.iterdir()) == [
        "a (2).txt",
        "a.txt",
        "hidden.txt",
        "pasted.txt",
    ]


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_full_disk_keeps_nothing_of_the_upload(small_disk, monkeypatch):
    monkeypatch.setenv("DASHBOARD_CORPORA", str(small_disk / "corpora"))
    corpus_id, _ = corpora.create()
    with pytest.raises(UploadError) as caught:
        uploads.stage(corpus_id, [("big.txt", os.urandom(3_000_000))], limits=Limits())
    assert caught.value.code == "disk_full"
    inbox = corpora.corpus_dir(corpus_id) / corpora.INBOX
    assert not any(inbox.iterdir())


# ---------------------------------------------------------------- jobs


def stage_and_run(corpus_id: str, uploads_: list[tuple[str, bytes]]) -> dict:
    staged = uploads.stage(corpus_id, uploads_)
    return corpus_jobs.run(corpus_id, staged.token)


def test_adding_to_a_corpus_reuses_the_earlier_work_and_a_failed_add_changes_nothing(root):
    corpus_id, _ = corpora.create("seed")
    seed_files = [(p.name, p.read_bytes()) for p in sorted(SEED.iterdir()) if p.is_file()]
    first = stage_and_run(corpus_id, seed_files)
    assert first["state"] == "done" and first["articles"] == 5
    second = stage_and_run(corpus_id, [("more.txt", REPORT.encode()), ("broken.json", b"{no")])
    assert second["state"] == "done" and second["articles"] == 6
    assert second["report"]["cache"]["files"].startswith("1 reused")  # the first upload
    assert any(r["file"] == "upload-2/broken.json" for r in second["report"]["rejected"])
    info = corpora.info(corpus_id)
    assert info.articles == 6 and info.date_min == "2024-07-09"
    junk = stage_and_run(corpus_id, [("junk.json", b"{not json")])
    assert junk["state"] == "done" and junk["articles"] == 6  # nothing new, nothing lost
    assert any(r["file"] == "upload-3/junk.json" for r in junk["report"]["rejected"])
    assert junk["report"]["cache"]["entities"].startswith("6 reused")


def test_an_upload_with_no_article_fails_and_leaves_the_corpus_as_it_was(root):
    corpus_id, _ = corpora.create()
    failed = stage_and_run(corpus_id, [("junk.json", b"{not json"), ("x.pdf", b"%PDF-1.4")])
    assert failed["state"] == "failed" and failed["code"] == "nothing"
    assert {r["file"] for r in failed["report"]["rejected"]} == {
        "upload-1/junk.json",
        "upload-1/x.pdf",
    }
    assert not store.has_tables(corpora.tables_dir(corpus_id))
    documents = corpora.corpus_dir(corpus_id) / corpora.DOCUMENTS
    assert list(documents.iterdir()) == []
    assert corpora.info(corpus_id).articles == 0


def test_a_job_runs_in_its_own_process_and_a_reload_finds_it(root):
    corpus_id, _ = corpora.create()
    staged = uploads.stage(corpus_id, [("a.txt", REPORT.encode())])
    token = corpus_jobs.start(corpus_id, staged)
    job = corpus_jobs.status(corpus_id)  # what a reloaded page asks: the latest job
    assert job["token"] == token and job["state"] in corpus_jobs.ACTIVE
    deadline = time.monotonic() + 120
    while corpus_jobs.running(corpus_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    job = corpus_jobs.status(corpus_id, token)
    assert job["state"] == "done", job
    assert job["pid"] != os.getpid()  # it ran in a process of its own
    assert job["stages"]["reading"] == [1, 1] and set(job["stages"]) == set(corpus_jobs.STAGES)
    assert corpora.info(corpus_id).articles == 1


def test_a_corpus_whose_id_starts_with_a_dash_imports_too(root, monkeypatch):
    # One id in 64 starts with "-" (token_urlsafe); the job's command line must not read it
    # as an option.
    monkeypatch.setattr(corpora, "new_id", lambda: "-" + "A" * 23)
    corpus_id, _ = corpora.create()
    assert corpus_id.startswith("-")
    staged = uploads.stage(corpus_id, [("a.txt", REPORT.encode())])
    token = corpus_jobs.start(corpus_id, staged)
    deadline = time.monotonic() + 120
    while corpus_jobs.running(corpus_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert corpus_jobs.status(corpus_id, token)["state"] == "done"
    assert corpora.info(corpus_id).articles == 1


def test_a_killed_job_leaves_the_corpus_as_it_was(root):
    corpus_id, _ = corpora.create()
    assert stage_and_run(corpus_id, [("a.txt", REPORT.encode())])["state"] == "done"
    before = store.snapshot(corpora.tables_dir(corpus_id))
    staged = uploads.stage(corpus_id, [("b.txt", REPORT.replace("9日", "10日").encode())])
    code = (
        "import os, signal\n"
        "from dashboard.ingest import pipeline\n"
        "pipeline.build_tables = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from dashboard.ingest import corpus_jobs\n"
        f"corpus_jobs.run({corpus_id!r}, {staged.token!r})\n"
    )
    env = {**ENV, "DASHBOARD_CORPORA": str(root)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=120)
    assert done.returncode == -9
    assert corpus_jobs.status(corpus_id)["state"] == "stopped"
    assert store.snapshot(corpora.tables_dir(corpus_id)) == before
    # The next job takes the dead one's batch out again.
    again = stage_and_run(corpus_id, [("c.txt", REPORT.encode())])
    assert again["state"] == "done" and again["articles"] == 2  # a and c (same text), no b
    documents = corpora.corpus_dir(corpus_id) / corpora.DOCUMENTS
    assert sorted(p.name for p in documents.iterdir()) == ["upload-1", "upload-2"]
    assert (documents / "upload-2" / "c.txt").exists()


# ---------------------------------------------------------------- delete, quota


def test_delete_waits_for_no_job_and_the_quota_removes_the_oldest_unused(root):
    ids = []
    for n in range(3):
        corpus_id, _ = corpora.create(f"c{n}")
        os.utime(corpora.corpus_dir(corpus_id) / corpora.USED, (1000 + n, 1000 + n))
        ids.append(corpus_id)
    with output_lock(corpora.corpus_dir(ids[0])):  # a job is writing the oldest
        with pytest.raises(corpora.LockHeld):
            corpora.delete(ids[0])
        removed = corpora.enforce_quota(max_n=2, max_mb=1000)
    assert removed == [ids[1]]  # the oldest that nobody is writing
    corpora.touch(ids[0], force=True)
    assert corpora.enforce_quota(max_n=1, max_mb=1000) == [ids[2]]
    corpora.delete(ids[0])
    assert corpora.info(ids[0]) is None and corpora.list_ids() == []
    with pytest.raises(KeyError):
        corpora.delete(ids[0])


def test_the_command_line_ingests_lists_and_deletes_corpora(root):
    env = {**ENV, "DASHBOARD_CORPORA": str(root)}

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "dashboard", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    made = cli("ingest", str(SEED), "--corpus", "new", "--name", "种子")
    assert made.returncode == 0, made.stderr
    corpus_id = made.stderr.split("new corpus ")[1].split()[0]
    assert "5 articles" in made.stdout
    added = cli("ingest", str(LABELLED), "--corpus", corpus_id, "--strict")
    assert added.returncode == 3 and "rejected" in added.stdout  # the labelled set has bad rows
    listed = cli("corpora", "list")
    assert corpus_id in listed.stdout and "种子" in listed.stdout
    assert cli("ingest", str(SEED), "--corpus", "NoSuchCorpusIdAtAll12345").returncode == 1
    assert cli("corpora", "delete", corpus_id).returncode == 0
    assert corpus_id not in cli("corpora", "list").stdout
    assert cli("corpora", "delete", corpus_id).returncode == 1


def test_corpora_in_an_fsspec_store_survive_a_lost_disk(tmp_path, monkeypatch):
    """A local folder through fsspec's URL form stands in for an object store."""
    pytest.importorskip("fsspec")
    import shutil

    monkeypatch.setenv("DASHBOARD_CORPORA", f"file://{tmp_path / 'store'}")
    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))
    corpus_id, _ = corpora.create("remote")
    assert stage_and_run(corpus_id, [("a.txt", REPORT.encode())])["state"] == "done"
    shutil.rmtree(corpora.corpora_root())  # the container was rebuilt
    assert corpora.info(corpus_id).articles == 1  # pulled back from the store
    assert len(store.load_tables(corpora.tables_dir(corpus_id))["articles"]) == 1
    corpora.delete(corpus_id)
    assert not (tmp_path / "store" / corpus_id).exists()


def test_two_uploads_into_one_corpus_run_one_after_the_other(root):
    """Both jobs started at once in their own processes: the second waits for the corpus's
    lock, and the corpus ends with both uploads."""
    corpus_id, _ = corpora.create()
    first = uploads.stage(corpus_id, [("a.txt", REPORT.encode())])
    second = uploads.stage(corpus_id, [("b.txt", REPORT.replace("李强", "王毅").encode())])
    tokens = [corpus_jobs.start(corpus_id, first), corpus_jobs.start(corpus_id, second)]
    deadline = time.monotonic() + 180
    while any(corpus_jobs.status(corpus_id, t)["state"] in corpus_jobs.ACTIVE for t in tokens):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    jobs = [corpus_jobs.status(corpus_id, t) for t in tokens]
    assert [j["state"] for j in jobs] == ["done", "done"]
    spans = sorted((j["started"], j["finished"]) for j in jobs)
    assert spans[0][1] <= spans[1][0]  # never interleaved
    assert {j["batch"] for j in jobs} == {"upload-1", "upload-2"}
    assert corpora.info(corpus_id).articles == 2


def test_two_new_uploads_at_once_get_two_corpora(root):
    from concurrent.futures import ThreadPoolExecutor

    def upload(n: int) -> str:
        corpus_id, _ = corpora.create(f"c{n}")
        uploads.stage(corpus_id, [("a.txt", REPORT.encode())])
        return corpus_id

    with ThreadPoolExecutor(4) as pool:
        made = list(pool.map(upload, range(8)))
    assert len(set(made)) == 8 and sorted(made) == corpora.list_ids()


def test_a_job_whose_process_dies_at_once_is_told_as_stopped(root, monkeypatch):
    corpus_id, _ = corpora.create()
    staged = uploads.stage(corpus_id, [("a.txt", REPORT.encode())])
    monkeypatch.setenv("DASHBOARD_DATA", str(root))  # the child refuses this corpora folder
    token = corpus_jobs.start(corpus_id, staged, root=root)
    deadline = time.monotonic() + 60
    while corpus_jobs.status(corpus_id, token, root=root)["state"] in corpus_jobs.ACTIVE:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert corpus_jobs.status(corpus_id, token, root=root)["state"] == "stopped"
    assert "DASHBOARD_CORPORA" in (root / corpus_id / corpora.JOBS / corpus_jobs.LOG).read_text()
