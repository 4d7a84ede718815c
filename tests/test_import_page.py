"""The import page under AppTest: an upload through the file uploader, its progress and
report, the corpus link on other pages, the limits, and who may delete a corpus."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app.urlstate import UrlFilters, url_params_for
from dashboard.ingest import corpus_jobs, uploads
from dashboard.tables import corpora

ROOT = Path(__file__).resolve().parents[1]
REPORT = "新华社北京7月9日电 国务院总理李强9日在北京会见来访的俄罗斯总理米舒斯京。双方就两国关系交换了意见。"


@pytest.fixture
def env(seed_processed, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("DASHBOARD_DATA", str(seed_processed))
    monkeypatch.setenv("DASHBOARD_CORPORA", str(tmp_path / "corpora"))
    return tmp_path / "corpora"


def page(name: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def wait_for_job(at: AppTest, timeout: float = 120) -> AppTest:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        at.run()
        if at.success or at.error:
            return at
        time.sleep(0.3)
    raise AssertionError("the import never finished")


def upload(at: AppTest, files: list[tuple[str, bytes]], name: str = "") -> AppTest:
    at.file_uploader[0].set_value([(n, data, "application/octet-stream") for n, data in files])
    if name:
        at.text_input[0].set_value(name)
    return at.button(key="imp_start").click().run()


def test_an_upload_shows_its_progress_then_the_report_naming_the_broken_file(env):
    at = page("import")
    assert not at.exception
    assert "链接就是钥匙" in texts(at.markdown)
    assert "保留您的原始文件" in texts(at.warning)  # the default folder may not be kept
    at = upload(at, [("a.txt", REPORT.encode()), ("broken.json", b'{"title": "x')], "我的语料")
    assert not at.exception and not at.error
    corpus_id = at.query_params["corpus"]
    assert corpora.valid_id(corpus_id)
    assert "导入进度" in texts(at.subheader)  # progress first (the job runs in its process)
    at = wait_for_job(at)
    jobs = env / corpus_id / corpora.JOBS
    assert not at.error, (
        texts(at.error),
        [p.read_text() for p in sorted(jobs.iterdir())] if jobs.is_dir() else None,
    )
    assert "我的语料" in texts(at.success) and "1 篇文章" in texts(at.success)
    rejected = at.table[-1].value
    assert list(rejected.iloc[:, 0]) == ["upload-1/broken.json"]
    assert "invalid JSON" in rejected.iloc[0, 2]
    assert "我的语料" in texts(at.sidebar.caption)
    codes = texts(at.code)
    assert f"overview?corpus={corpus_id}" in codes and "edit=" in codes  # reading, edit link


def test_a_corpus_link_opens_it_on_every_page_and_a_gone_one_says_so(env):
    corpus_id, _ = corpora.create("链接测试")
    staged = uploads.stage(corpus_id, [("a.txt", REPORT.encode())])
    assert corpus_jobs.run(corpus_id, staged.token)["state"] == "done"
    at = page("overview", {"corpus": corpus_id, "lang": "en"})
    assert not at.exception and not at.warning
    assert at.metric[0].value == "1"
    assert "链接测试" in texts(at.sidebar.caption) and "1 articles" in texts(at.sidebar.caption)
    assert at.query_params["corpus"] == corpus_id  # kept in the URL with the filters
    for other in ("entities", "articles"):
        assert not page(other, {"corpus": corpus_id}).exception
    gone = page("overview", {"corpus": "x" * 24})
    assert "不存在" in texts(gone.warning)
    assert gone.metric[0].value == "5"  # the bundled corpus
    assert "corpus" not in gone.query_params
    junk = page("overview", {"corpus": "../../etc/passwd"})
    assert "不存在" in texts(junk.warning) and not junk.exception


def test_every_shared_link_keeps_the_corpus():
    state = UrlFilters("zh", None, None, (), False, True, "AbCdEfGhIjKlMnOpQrStUvWx")
    assert url_params_for(state, None, None) == {"corpus": ["AbCdEfGhIjKlMnOpQrStUvWx"]}


def bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.txt", b"0" * 30_000_000)
    return buffer.getvalue()


def test_limits_are_messages_never_crashes(env, monkeypatch):
    at = page("import", {"lang": "en"})
    at = at.button(key="imp_start").click().run()
    assert "Pick files or paste text first" in texts(at.error)
    at = upload(at, [("bomb.zip", bomb())])
    assert not at.exception and "zip bomb" in texts(at.error)
    monkeypatch.setenv("DASHBOARD_UPLOAD_MB", "0.0001")
    at = upload(at, [("a.txt", REPORT.encode())])
    assert "over the limit of 0.0001 MB" in texts(at.error)
    assert corpora.list_ids() == []  # refused uploads leave no corpus behind


def test_only_the_session_that_made_a_corpus_or_its_edit_link_may_delete_it(env):
    at = page("import")
    at = wait_for_job(upload(at, [("a.txt", REPORT.encode())], "删除测试"))
    corpus_id = at.query_params["corpus"]
    key = next(iter(at.session_state["_corpora_owned"].values()))
    # Someone else with the reading link: no add, no delete.
    reader = page("import", {"corpus": corpus_id})
    assert not reader.radio and not [b for b in reader.button if b.key.startswith("imp_del")]
    # The edit link lets its holder delete (after confirming).
    editor = page("import", {"corpus": corpus_id, "edit": key})
    assert "编辑链接有效" in texts(editor.success) and "edit" not in editor.query_params
    editor = editor.button(key=f"imp_del_{corpus_id}").click().run()
    assert "无法撤销" in texts(editor.warning)
    editor = editor.button(key=f"imp_del_yes_{corpus_id}").click().run()
    assert not editor.exception and corpora.info(corpus_id) is None
    assert "corpus" not in editor.query_params
    # The link now shows a notice and the bundled corpus.
    assert "不存在" in texts(page("overview", {"corpus": corpus_id}).warning)
    forged = page("import", {"corpus": "y" * 24, "edit": key})
    assert "编辑链接无效" in texts(forged.warning)


def test_uploaded_markup_never_reaches_another_browser_as_markup(env):
    """Article text from an upload is untrusted: shown escaped on the reader, never as HTML."""
    hostile = (
        "<script>alert('x')</script>朝中社平壤7月19日电 <img src=x onerror=alert(1)>"
        "朝鲜外务相崔善姬19日在平壤会见俄罗斯外长拉夫罗夫,双方就两国关系交换了意见。"
    )
    corpus_id, _ = corpora.create("<b>粗体</b>")
    staged = uploads.stage(corpus_id, [("x.txt", hostile.encode())])
    assert corpus_jobs.run(corpus_id, staged.token)["state"] == "done"
    at = page("articles", {"corpus": corpus_id})
    assert not at.exception
    shown = " ".join(e.proto.body for e in at.get("html"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown  # the text, escaped
    assert "<script" not in shown and "<img" not in shown
    # The corpus's name is Markdown text (Streamlit renders no raw HTML there).
    assert "粗体" in texts(at.sidebar.caption)
