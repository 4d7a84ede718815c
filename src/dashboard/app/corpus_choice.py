"""Which corpus a page shows: the link's ``corpus=<id>``, else the one this session opened,
else the bundled one.

Within a session a missing parameter means "the one open": the navigation menu drops the
URL's parameters, and the sidebar writes them back. A fresh session (a shared link, a reload,
the first request after a restart) takes the link's word. A link to a corpus that is gone
shows a notice and the bundled corpus; one still being imported shows the bundled corpus
until its tables land (the id stays in the URL, so a reload finds the import again).
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from ..analysis.corpus import Corpus
from ..common import i18n
from ..tables import corpora, paths, store
from .data import cached_corpus, load_corpus_or_stop
from .markup import md_escape

OPEN_KEY = "_corpus_open"  # the uploaded corpus open in this session ("" for the bundled)
OWNED_KEY = "_corpora_owned"  # {id: edit key} of the corpora this session made or may edit

i18n.extend(
    {
        "corpus.label": {"zh": "语料", "en": "Corpus"},
        "corpus.bundled": {"zh": "自带示例", "en": "bundled sample"},
        # The server was started on another folder (DASHBOARD_DATA / DASHBOARD_RAW).
        "corpus.server": {"zh": "本服务器的语料 {name}", "en": "this server's corpus {name}"},
        "corpus.unnamed": {"zh": "未命名语料", "en": "unnamed corpus"},
        "corpus.articles": {"zh": "{n} 篇文章", "en": "{n} articles"},
        "corpus.gone": {
            "zh": "链接中的语料不存在(可能已被删除,或链接不完整),现显示默认语料。",
            "en": "The corpus in this link does not exist (it may have been deleted, or the "
            "link is incomplete); this server's default corpus is shown instead.",
        },
        "corpus.not_ready": {
            "zh": "这个语料还在导入中,导入完成前显示默认语料。导入进度见“导入”页。",
            "en": "This corpus is still being imported; until it is ready this server's "
            "default corpus is shown. The Import page shows the progress.",
        },
        "corpus.being_imported": {"zh": "导入中", "en": "being imported"},
        "corpus.broken": {
            "zh": "语料文件夹无法使用:{error}",
            "en": "The corpora folder cannot be used: {error}",
        },
    }
)


def requested_id() -> str | None:
    """The uploaded corpus the link names, or (no parameter) the one open in this session."""
    raw = st.query_params.get("corpus")
    if raw is None:
        return st.session_state.get(OPEN_KEY) or None
    return raw.strip() or None


def owned() -> dict[str, str]:
    """The corpora this session may add to and delete: {id: edit key}."""
    return st.session_state.setdefault(OWNED_KEY, {})


def open_corpus(lang: str, quiet: bool = False) -> tuple[Corpus, str | None]:
    """The corpus to show and the uploaded corpus's id (None: the bundled one). Draws the
    sidebar's line saying which corpus is open, and a notice when the link's is not there.
    ``quiet``: no notice for a corpus still being imported (the import page shows it)."""
    asked = requested_id()
    if asked:
        try:
            found = corpora.info(asked) if corpora.valid_id(asked) else None
        except corpora.CorporaError as exc:
            st.error(md_escape(i18n.t("corpus.broken", lang, error=str(exc))))
            found = None
        if found is None:
            st.warning(i18n.t("corpus.gone", lang))
            st.session_state[OPEN_KEY] = ""
            asked = None
        else:
            try:
                corpus = cached_corpus(corpora.tables_dir(asked))
            except store.StoreError:
                if not quiet:
                    st.info(i18n.t("corpus.not_ready", lang))
            else:
                st.session_state[OPEN_KEY] = asked
                corpora.touch(asked)
                _say(lang, found.name, len(corpus.articles), corpus)
                return corpus, asked
            _say(lang, found.name, None, None)
            return load_corpus_or_stop(lang), asked
    corpus = load_corpus_or_stop(lang)
    _say(lang, None, len(corpus.articles), corpus)
    return corpus, None


def name_of(name: str | None, lang: str) -> str:
    return name or i18n.t("corpus.unnamed", lang)


def default_corpus_label(lang: str) -> str:
    """What the corpus shown without ``corpus=`` is: the bundled sample, or the folder the
    server was pointed at (a 20,000-article archive is not a "sample")."""
    if paths.builds_itself():
        return i18n.t("corpus.bundled", lang)
    named = os.environ.get("DASHBOARD_DATA") or os.environ.get("DASHBOARD_RAW") or ""
    return i18n.t("corpus.server", lang, name=Path(named).name or named)


def corpus_name(corpus_id: str, lang: str) -> str:
    found = corpora.info(corpus_id)
    return name_of(found.name if found else "", lang)


def _say(lang: str, name: str | None, articles: int | None, corpus: Corpus | None) -> None:
    """The sidebar's line: which corpus, how many articles, which dates."""
    shown = default_corpus_label(lang) if name is None and corpus else name_of(name, lang)
    parts = [f"{i18n.t('corpus.label', lang)}: **{md_escape(shown)}**"]
    if articles is None:
        parts.append(i18n.t("corpus.being_imported", lang))
    else:
        parts.append(i18n.t("corpus.articles", lang, n=f"{articles:,}"))
    if corpus is not None and corpus.date_min is not None:
        parts.append(f"{corpus.date_min} – {corpus.date_max}")
    st.sidebar.caption(" · ".join(parts))
