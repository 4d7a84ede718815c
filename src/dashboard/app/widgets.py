"""Page widgets bound to the URL, chart selections, sentence lists and the article picker."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from .. import analysis
from .page import PageContext, article_link
from .urlstate import keep_value, kept_key, seed_widget, set_query


def url_selectbox(
    ctx: PageContext,
    name: str,
    options: Sequence,
    key: str,
    label: str,
    format_func: Callable = str,
    container=st,
    **kwargs,
):
    """A selectbox whose value lives in URL parameter ``name`` (as ``str(option)``).

    A link value that is not an option shows a notice and falls back to the first option.
    """
    by_text = {str(o): o for o in options}

    def from_link():
        raw = st.query_params.get(name)
        if raw is not None and raw not in by_text:
            ctx.notice(ctx.t("notice.bad_param", name=name, value=raw[:80]))
        return by_text.get(raw, options[0]) if options else None

    seed_widget(key, from_link, valid=lambda v: v in options)
    value = container.selectbox(
        label,
        options,
        key=key,
        format_func=format_func,
        on_change=keep_value,
        args=(key,),
        **kwargs,
    )
    set_query(name, None if value == options[0] else str(value))
    return value


def url_int(ctx: PageContext, name: str, default: int, lo: int, hi: int) -> int:
    """An integer link parameter in [lo, hi]; junk shows a notice and gives ``default``."""
    raw = st.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        ctx.notice(ctx.t("notice.bad_param", name=name, value=raw[:80]))
        return default
    return min(max(value, lo), hi)


def url_slider(
    ctx: PageContext, name: str, default: int, lo: int, hi: int, key: str, label: str, container=st
) -> int:
    """An integer slider whose value lives in URL parameter ``name`` (omitted at the default)."""
    seed_widget(key, lambda: url_int(ctx, name, default, lo, hi))
    value = container.slider(
        label, min_value=lo, max_value=hi, key=key, on_change=keep_value, args=(key,)
    )
    set_query(name, None if value == default else str(value))
    return value


def keep_selection(chart_key: str) -> Callable[[], None]:
    """An ``on_select`` callback that keeps the chart's selected points.

    Pass it as ``st.plotly_chart(..., key=chart_key, on_select=widgets.keep_selection(chart_key))``
    and give the same ``chart_key`` to :func:`selected_from_chart`. Callbacks still fire
    when Streamlit gives the chart a new identity (the first rerun after a cold deep link),
    where the returned selection event comes back empty.
    """

    def callback() -> None:
        st.session_state[kept_key(chart_key)] = _points(st.session_state.get(chart_key))

    return callback


def _points(event) -> list[dict]:
    selection = getattr(event, "selection", None)
    if selection is None and isinstance(event, dict):
        selection = event.get("selection")
    if selection is None:
        return []
    points = getattr(selection, "points", None)
    if points is None and isinstance(selection, dict):
        points = selection.get("points")
    return [dict(p) for p in (points or [])]


def selected_from_chart(
    ctx: PageContext,
    event,
    ids: Sequence[str],
    name: str,
    state_key: str,
    valid: Callable[[str], bool] | None = None,
    chart_key: str | None = None,
) -> str | None:
    """The item picked on a chart (``ids[point_index]``), kept in URL parameter ``name``.

    A chart selection cannot be set from code, so the link's value is used until the user
    clicks; clearing the chart selection clears it. Unknown link values show a notice.
    """
    ss = st.session_state
    had_key, ids_key = f"{state_key}__had_points", f"{state_key}__ids"
    points = _points(event)
    if chart_key is not None:
        if ss.get(ids_key) not in (None, tuple(ids)):
            ss.pop(kept_key(chart_key), None)  # the bars changed: an old index means nothing
        if not points:
            points = ss.get(kept_key(chart_key)) or []
    ss[ids_key] = tuple(ids)
    selected: str | None
    if points:
        index = points[0].get("point_index", points[0].get("point_number", -1))
        selected = ids[index] if 0 <= index < len(ids) else None
        ss[had_key] = True
    elif ss.get(had_key):
        selected, ss[had_key] = None, False
    elif state_key in ss:
        selected = ss[state_key]
    else:
        selected = st.query_params.get(name)
        if selected is not None and not (valid(selected) if valid else selected in ids):
            ctx.notice(ctx.t("notice.bad_param", name=name, value=selected[:80]))
            selected = None
    ss[state_key] = selected
    set_query(name, selected)
    return selected


def sentences_html(ctx: PageContext, sentences: pd.DataFrame) -> str:
    """Sentences with outlet, date and a link to the article; the mention is marked.

    Every value from an article is escaped (figures.reader.mark_in_sentence escapes, then marks).
    """
    import html

    from ..figures.reader import mark_in_sentence

    items = []
    for row in sentences.to_dict("records"):
        date_text = row["published"].isoformat() if row.get("published") else ""
        href = html.escape(article_link(ctx, row["article_id"]), quote=True)
        items.append(
            "<li>"
            f'<span class="meta">{html.escape(date_text)} · {html.escape(ctx.source_label(row["source"]))}'
            f' · <a href="{href}" target="_self">{html.escape(str(row["title"])[:40])}</a></span><br>'
            f"{mark_in_sentence(row['sentence'], row['surface'])}"
            "</li>"
        )
    style = (
        "<style>.sentences{line-height:1.8;padding-left:1.2em}.sentences .meta{color:#666;"
        "font-size:.85em}.sentences mark{background:#f9e79f}</style>"
    )
    return style + '<ul class="sentences">' + "".join(items) + "</ul>"


def url_text(ctx: PageContext, name: str, key: str, label: str, container=st, **kwargs) -> str:
    """A text input whose value lives in URL parameter ``name``."""
    seed_widget(key, lambda: (st.query_params.get(name) or "")[:200])
    value = container.text_input(label, key=key, on_change=keep_value, args=(key,), **kwargs)
    set_query(name, value.strip() or None)
    return value.strip()


PICKER_LIMIT = 500  # articles offered in the reader's picker


def article_picker(ctx: PageContext, listing: pd.DataFrame, key: str, label: str) -> str | None:
    """Pick one article of ``listing``; the choice lives in URL parameter ``article``.

    A linked article outside the current filters stays selectable (a shared link must show
    what it points to); an id that does not exist shows a notice.
    """
    ss = st.session_state
    # A list of a hundred thousand titles is neither fast nor usable: the newest ones are
    # offered, and the page tells the reader to narrow with the search box.
    options = listing["article_id"].head(PICKER_LIMIT).tolist()
    current = ss.get(kept_key(key))
    if current is None:
        raw = st.query_params.get("article")
        known = analysis.articles.has_article(ctx.corpus, raw)
        if raw is not None and not known:
            ctx.notice(ctx.t("articles.not_found", id=raw[:40]))
        current = raw if known else None
    if (
        current is not None
        and current not in options
        and analysis.articles.has_article(ctx.corpus, current)
    ):
        options = [current, *options]
    if not options:
        return None
    ss[key] = ss[kept_key(key)] = current if current in options else options[0]
    meta = ctx.corpus.meta if ctx.corpus.meta is not None else ctx.corpus.articles
    shown = meta.iloc[analysis.articles.article_positions_for(ctx.corpus, options)]
    labels = {
        aid: f"{published.isoformat() if published else '—'} · {ctx.source_label(source)} · "
        f"{str(title)[:50]}{' ⧉' if dup else ''}"
        for aid, published, source, title, dup in zip(
            shown["article_id"],
            shown["published"],
            shown["source"],
            shown["title"],
            shown["dup_of"],
            strict=True,
        )
    }
    value = st.selectbox(
        label, options, key=key, format_func=labels.__getitem__, on_change=keep_value, args=(key,)
    )
    set_query("article", value)
    return value
