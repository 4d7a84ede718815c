"""The import page's parts: the upload form, a job's progress and report, the session's
corpora (links, delete). The work itself is Streamlit-free: ``ingest.uploads`` (limits,
safe unpacking), ``ingest.corpus_jobs`` (the job in its own process) and ``tables.corpora``.

Buttons act through callbacks (they run before the script), never ``st.rerun()`` from the
page: after a cold deep link a rerun from inside the page never came back.
"""

from __future__ import annotations

import contextlib
import json
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from ..common import i18n
from ..ingest import corpus_jobs, uploads
from ..tables import corpora
from ..tables.lock import LockHeld
from . import import_strings  # noqa: F401 - registers the page's strings
from .corpus_choice import OPEN_KEY, name_of, owned
from .markup import link_html, md_escape
from .page import PAGES_DIR, PageContext
from .urlstate import keep_value, seed_widget

JOB_KEY = "_imp_job"  # (corpus id, job token) of the job this session started last
ERROR_KEY = "_imp_error"  # (code, fields, rejected) of the last refused upload
UPLOADER_KEY = "_imp_uploader_n"  # bumped to empty the uploader after a start
CONFIRM_KEY = "_imp_confirm_delete"
TABLE_ROWS = 100  # rejected inputs shown as a plain table up to this many
KEPT_FILES = "_imp_kept_files"  # (name, bytes) of the files in the uploader
OVERVIEW = PAGES_DIR / "overview.py"  # absolute: the entry point may be app.py or a page


# ---------------------------------------------------------------- intro and links


def intro(ctx: PageContext) -> bool:
    """What the page does, that the link is the key, and whether uploads last. False when
    the corpora folder cannot be used (the page says why)."""
    st.markdown(ctx.t("import.intro"))
    st.markdown(ctx.t("import.key"))
    try:
        corpora.corpora_root()
    except corpora.CorporaError as exc:
        st.error(md_escape(ctx.t("import.error.config", error=str(exc))))
        return False
    if corpora.persistence() != "kept":
        st.warning(ctx.t("import.not_kept"))
    limits = uploads.Limits.from_env()
    st.caption(ctx.t("import.limits", mb=f"{limits.upload_mb:g}", files=limits.max_files))
    return True


def claim_edit_link(ctx: PageContext) -> None:
    """``?corpus=ID&edit=KEY``: the holder of a corpus's edit link may change it in this
    session. The key leaves the URL at once, so it is not copied into shared links."""
    key = st.query_params.get("edit")
    if key is None:
        return
    del st.query_params["edit"]
    if ctx.corpus_id and corpora.can_edit(ctx.corpus_id, key):
        owned()[ctx.corpus_id] = key
        st.success(ctx.t("import.edit_claimed"))
    else:
        st.warning(ctx.t("import.edit_bad"))


def _base_url() -> str:
    """The app's address as the browser sees it (empty under AppTest: relative links)."""
    url = getattr(st.context, "url", None) or ""
    return url.rsplit("/", 1)[0] + "/" if url else ""


def links(ctx: PageContext, corpus_id: str) -> None:
    """The corpus's reading link, and its edit link for the session that may edit it."""
    lang = "" if ctx.lang == i18n.DEFAULT_LANG else f"&lang={ctx.lang}"
    st.markdown(f"**{ctx.t('import.link')}**")
    st.code(f"{_base_url()}overview?corpus={corpus_id}{lang}", language=None)
    key = owned().get(corpus_id)
    if key:
        st.markdown(f"**{ctx.t('import.edit_link')}**", help=ctx.t("import.edit_link_help"))
        st.code(f"{_base_url()}import?corpus={corpus_id}&edit={key}{lang}", language=None)


# ---------------------------------------------------------------- the upload form


def upload_form(ctx: PageContext) -> None:
    ss = st.session_state
    limits = uploads.Limits.from_env()
    target_id = ctx.corpus_id if ctx.corpus_id in owned() else None
    target = "new"
    if target_id:
        found = corpora.info(target_id)
        name = name_of(found.name if found else "", ctx.lang)
        target = st.radio(
            ctx.t("import.target"),
            ["add", "new"],
            format_func=lambda v: (
                ctx.t("import.target_add", name=md_escape(name))
                if v == "add"
                else ctx.t("import.target_new")
            ),
            key="imp_target",
            horizontal=True,
        )
    n = ss.setdefault(UPLOADER_KEY, 0)
    chosen = st.file_uploader(
        ctx.t("import.files"),
        accept_multiple_files=True,
        key=f"imp_files_{n}",
        help=ctx.t("import.files_help"),
        max_upload_size=max(1, int(limits.upload_mb)),
        on_change=_keep_files,
        args=(f"imp_files_{n}",),
    )
    kept = ss.get(KEPT_FILES) or []
    if kept and not chosen:  # the uploader lost its files when its identity changed
        st.caption(ctx.t("import.kept", names="、".join(name for name, _ in kept[:10])))
    # Text widgets are seeded from the session: they survive a change of identity (the
    # routing switch after a cold deep link gives every widget a new one).
    for key in (f"imp_text_{n}", f"imp_name_{n}"):
        seed_widget(key, str)
    st.text_area(
        ctx.t("import.paste"),
        key=f"imp_text_{n}",
        help=ctx.t("import.paste_help"),
        on_change=keep_value,
        args=(f"imp_text_{n}",),
    )
    if target == "new":
        st.text_input(
            ctx.t("import.name"),
            key=f"imp_name_{n}",
            max_chars=80,
            on_change=keep_value,
            args=(f"imp_name_{n}",),
        )
    st.button(
        ctx.t("import.start"),
        key="imp_start",
        type="primary",
        on_click=_start,
        args=(target_id if target == "add" else None, n),
    )
    error = ss.get(ERROR_KEY)
    if error:
        code, fields, rejected = error
        st.error(md_escape(ctx.t(f"import.error.{code}", **fields)))
        if rejected:
            _rejected_table(ctx, rejected)


def _start(target_id: str | None, n: int) -> None:
    """The start button: stage the upload in the corpus's inbox and start its job."""
    ss = st.session_state
    ss[ERROR_KEY] = None
    files = [(f.name, f.getvalue()) for f in ss.get(f"imp_files_{n}") or []]
    files = files or ss.get(KEPT_FILES) or []
    pasted = ss.get(f"imp_text_{n}") or ""
    if not files and not pasted.strip():
        ss[ERROR_KEY] = ("nothing", {}, [])
        return
    if target_id is not None and corpus_jobs.running(target_id):
        ss[ERROR_KEY] = ("busy", {}, [])
        return
    created = False
    try:
        if target_id is None:
            target_id, key = corpora.create(ss.get(f"imp_name_{n}") or "")
            owned()[target_id] = key
            created = True
        staged = uploads.stage(target_id, files, pasted)
        token = corpus_jobs.start(target_id, staged)
    except uploads.UploadError as exc:
        ss[ERROR_KEY] = (exc.code, exc.fields, [])
        if created:
            _forget(target_id)
        return
    except (corpora.CorporaError, OSError) as exc:
        ss[ERROR_KEY] = ("write_failed", {"error": str(exc)}, [])
        if created:
            _forget(target_id)
        return
    ss[JOB_KEY] = (target_id, token)
    ss[OPEN_KEY] = target_id
    st.query_params["corpus"] = target_id
    ss[UPLOADER_KEY] = n + 1  # a fresh, empty uploader
    ss[KEPT_FILES] = []


def _keep_files(key: str) -> None:
    """The uploader's files, kept apart: callbacks still fire when the uploader gets a new
    identity, but its value does not come back (and cannot be seeded)."""
    st.session_state[KEPT_FILES] = [(f.name, f.getvalue()) for f in st.session_state.get(key) or []]


def _forget(corpus_id: str) -> None:
    """Remove a corpus this session made and nothing was added to."""
    with contextlib.suppress(KeyError, LockHeld, OSError):
        corpora.delete(corpus_id)
    owned().pop(corpus_id, None)


# ---------------------------------------------------------------- the job


def job_to_show(ctx: PageContext) -> tuple[str, dict] | None:
    """The job this session started last, else the latest job of the open corpus (a reload,
    or a shared link to the import page, finds a running import here)."""
    mine = st.session_state.get(JOB_KEY)
    if mine and mine[0] == ctx.corpus_id:
        job = corpus_jobs.status(*mine)
        if job is not None:
            return mine[0], job
    if ctx.corpus_id:
        job = corpus_jobs.status(ctx.corpus_id)
        if job is not None:
            return ctx.corpus_id, job
    return None


def job_section(ctx: PageContext) -> None:
    found = job_to_show(ctx)
    if found is None:
        return
    corpus_id, job = found
    if job.get("state") in corpus_jobs.ACTIVE:
        st.subheader(ctx.t("import.progress"))
        if st.session_state.get(JOB_KEY, (None,))[0] == corpus_id:
            st.caption(ctx.t("import.started"))
        _progress(ctx, corpus_id, job["token"])
        return
    _result(ctx, corpus_id, job)


@st.fragment(run_every=1.0)
def _progress(ctx: PageContext, corpus_id: str, token: str) -> None:
    """Redrawn every second from the job's file; the whole page reruns when it ends."""
    job = corpus_jobs.status(corpus_id, token)
    if job is None or job.get("state") not in corpus_jobs.ACTIVE:
        st.rerun()
    draw_progress(ctx, job)


def draw_progress(ctx: PageContext, job: dict) -> None:
    if job.get("state") == "queued":
        st.caption(ctx.t("import.queued"))
    stages = job.get("stages") or {}
    reached = [s for s in corpus_jobs.STAGES if s in stages]
    current = reached[-1] if reached else None
    for stage in corpus_jobs.STAGES:
        done, total = stages.get(stage, (0, 0))
        finished = stage in reached and (stage != current or (total and done >= total))
        if finished:
            value, state = 1.0, ctx.t("import.done_stage")
        elif stage == current:
            value, state = (min(done / total, 1.0) if total else 0.0), ctx.t("import.working")
        else:
            value, state = 0.0, ctx.t("import.waiting")
        counted = f"import.count.{stage}"
        if total > 1 and counted in i18n.STRINGS:
            state += " · " + ctx.t(counted, done=f"{done:,}", total=f"{total:,}")
        st.progress(value, text=f"{ctx.t(f'import.stage.{stage}')}: {state}")


def _result(ctx: PageContext, corpus_id: str, job: dict) -> None:
    info = corpora.info(corpus_id)
    name = name_of(info.name if info else "", ctx.lang)
    report = job.get("report") or {}
    rejected = (job.get("staged_rejected") or []) + (report.get("rejected") or [])
    state = job.get("state")
    if state == "done":
        n = info.articles if info else job.get("articles", 0)
        st.success(md_escape(ctx.t("import.done", name=name, n=f"{n:,}")))
        params = {"corpus": corpus_id}
        if ctx.lang != i18n.DEFAULT_LANG:
            params["lang"] = ctx.lang
        _open_link(st, f"**{ctx.t('import.open')} →**", params)
    else:
        code = job.get("code") or state or "failed"
        key = f"import.failed.{code}"
        if key not in i18n.STRINGS:
            key = "import.failed.failed"
        st.error(md_escape(ctx.t(key, error=job.get("error") or "")))
    st.subheader(ctx.t("import.report"))
    per_outlet = report.get("articles_per_source") or {}
    if per_outlet:
        st.markdown(f"**{ctx.t('import.per_outlet')}**")
        labels = ctx.labels
        frame = pd.DataFrame(
            {
                ctx.t("import.outlet"): [labels.outlet(s) for s in per_outlet],
                ctx.t("import.articles"): list(per_outlet.values()),
            }
        )
        st.table(frame, hide_index=True)
    _rejected_table(ctx, rejected)
    if report:
        st.download_button(
            ctx.t("import.download_report"),
            json.dumps(
                {**report, "upload_rejected": job.get("staged_rejected") or []},
                ensure_ascii=False,
                indent=2,
            ),
            file_name="ingest_report.json",
            mime="application/json",
            key="imp_report_json",
        )


def _open_link(where, label: str, params: dict[str, str]) -> None:
    """A link to the corpus's overview that keeps this session (so its corpora stay its
    own); a plain link where no menu is registered (a page run on its own, as in tests)."""
    from streamlit.errors import StreamlitAPIException

    try:
        where.page_link(OVERVIEW, label=label, query_params=params)
    except StreamlitAPIException:
        where.html(link_html("overview?" + urlencode(params), label))


def _rejected_table(ctx: PageContext, rejected: list[dict]) -> None:
    if not rejected:
        st.caption(ctx.t("import.rejected_none"))
        return
    st.markdown(f"**{ctx.t('import.rejected', n=len(rejected))}**")
    frame = pd.DataFrame(
        {
            ctx.t("import.file"): [str(r.get("file", "")) for r in rejected],
            ctx.t("import.line"): [
                "" if r.get("line") is None else str(r["line"]) for r in rejected
            ],
            ctx.t("import.reason"): [str(r.get("reason", "")) for r in rejected],
        }
    )
    if len(frame) <= TABLE_ROWS:  # a plain table: readable, selectable, found by the browser
        st.table(frame, hide_index=True)
    else:  # thousands of bad CSV rows: a grid that scrolls and searches
        st.dataframe(frame, hide_index=True, key="imp_rejected")


# ---------------------------------------------------------------- the session's corpora


def my_corpora(ctx: PageContext) -> None:
    mine = owned()
    if not mine:
        return
    st.subheader(ctx.t("import.mine"), help=ctx.t("import.mine_help"))
    for corpus_id in list(mine):
        info = corpora.info(corpus_id)
        if info is None:
            mine.pop(corpus_id, None)
            continue
        name = name_of(info.name, ctx.lang)
        with st.container(border=True):
            span = f" · {info.date_min} – {info.date_max}" if info.date_min else ""
            st.markdown(
                f"**{md_escape(name)}** · "
                + ctx.t("corpus.articles", n=f"{info.articles:,}")
                + md_escape(span)
            )
            if corpus_id != ctx.corpus_id:  # the open one's links are at the top
                links(ctx, corpus_id)
            left, right = st.columns(2)
            params = {"corpus": corpus_id}
            if ctx.lang != i18n.DEFAULT_LANG:
                params["lang"] = ctx.lang
            if info.has_tables:
                _open_link(left, ctx.t("import.open_short"), params)
            if st.session_state.get(CONFIRM_KEY) == corpus_id:
                right.warning(md_escape(ctx.t("import.delete_confirm", name=name)))
                yes, no = right.columns(2)
                yes.button(
                    ctx.t("import.delete_yes"),
                    key=f"imp_del_yes_{corpus_id}",
                    type="primary",
                    on_click=_delete,
                    args=(corpus_id,),
                )
                no.button(
                    ctx.t("import.delete_no"),
                    key=f"imp_del_no_{corpus_id}",
                    on_click=_confirm,
                    args=(None,),
                )
            else:
                right.button(
                    ctx.t("import.delete"),
                    key=f"imp_del_{corpus_id}",
                    on_click=_confirm,
                    args=(corpus_id,),
                )
    notice = st.session_state.pop("_imp_deleted", None)
    if notice:
        st.toast(ctx.t(notice))


def _confirm(corpus_id: str | None) -> None:
    st.session_state[CONFIRM_KEY] = corpus_id


def _delete(corpus_id: str) -> None:
    ss = st.session_state
    ss[CONFIRM_KEY] = None
    key = owned().get(corpus_id)
    if not corpora.can_edit(corpus_id, key):
        return
    try:
        corpora.delete(corpus_id)
    except LockHeld:
        ss["_imp_deleted"] = "import.delete_busy"
        return
    except KeyError:
        pass
    owned().pop(corpus_id, None)
    ss["_imp_deleted"] = "import.deleted"
    if ss.get(OPEN_KEY) == corpus_id:
        ss[OPEN_KEY] = ""
    if (ss.get(JOB_KEY) or (None,))[0] == corpus_id:
        ss[JOB_KEY] = None
    if st.query_params.get("corpus") == corpus_id:
        del st.query_params["corpus"]
