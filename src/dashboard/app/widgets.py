"""Page widgets bound to the URL, chart selections, sentence lists and the article picker."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from .. import analysis
from .page import PageContext
from .picks import event_points
from .urlstate import keep_value, kept_key, seed_widget, set_query


def url_selectbox(
    ctx: PageContext,
    name: str,
    options: Sequence,
    key: str,
    label: str,
    format_func: Callable = str,
    container=st,
    default=None,
    **kwargs,
):
    """A selectbox whose value lives in URL parameter ``name`` (as ``str(option)``), left
    out of the URL at ``default`` (the first option unless given).

    A link value that is not an option shows a notice and falls back to the default.
    """
    default = default if default in options else (options[0] if options else None)
    _seed_choice(ctx, name, options, key, default)
    value = container.selectbox(
        label,
        options,
        key=key,
        format_func=format_func,
        on_change=keep_value,
        args=(key,),
        **kwargs,
    )
    set_query(name, None if value == default else str(value))
    return value


def url_segmented(
    ctx: PageContext,
    name: str,
    options: Sequence,
    key: str,
    label: str,
    format_func: Callable = str,
    container=st,
):
    """A segmented control (a few choices side by side) whose value lives in URL parameter
    ``name``; the first option is the default and is left out of the URL."""
    _seed_choice(ctx, name, options, key, options[0])
    value = container.segmented_control(
        label,
        options,
        key=key,
        format_func=format_func,
        required=True,
        on_change=keep_value,
        args=(key,),
    )
    value = value if value in options else options[0]
    set_query(name, None if value == options[0] else str(value))
    return value


def _seed_choice(ctx: PageContext, name: str, options: Sequence, key: str, default) -> None:
    """Seed a choice widget from URL parameter ``name`` (as ``str(option)``) on its first
    run; a link value that is not an option shows a notice and gives ``default``."""
    by_text = {str(o): o for o in options}

    def from_link():
        raw = st.query_params.get(name)
        if raw is not None and raw not in by_text:
            ctx.notice(ctx.t("notice.bad_param", name=name, value=raw[:80]))
        return by_text.get(raw, default) if options else None

    seed_widget(key, from_link, valid=lambda v: v in options)


def url_int(
    ctx: PageContext, name: str, default: int, lo: int, hi: int, say_clamped: bool = False
) -> int:
    """An integer link parameter in [lo, hi]; junk shows a notice and gives ``default``, a
    number out of range the nearest bound (with a notice when ``say_clamped``: a link's
    value; a page number past the last page after a filter change is just the last page)."""
    raw = st.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        ctx.notice(ctx.t("notice.bad_param", name=name, value=raw[:80]))
        return default
    if say_clamped and not lo <= value <= hi:
        ctx.notice(ctx.t("notice.bad_param", name=name, value=raw[:80]))
    return min(max(value, lo), hi)


def url_slider(
    ctx: PageContext, name: str, default: int, lo: int, hi: int, key: str, label: str, container=st
) -> int:
    """An integer slider whose value lives in URL parameter ``name`` (omitted at the default)."""
    seed_widget(key, lambda: url_int(ctx, name, default, lo, hi, say_clamped=True))
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
        st.session_state[kept_key(chart_key)] = event_points(st.session_state.get(chart_key))

    return callback


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
    points = event_points(event)
    if chart_key is not None:
        if ss.get(ids_key) not in (None, tuple(ids)):
            ss.pop(kept_key(chart_key), None)  # the bars changed: an old index means nothing
        if not points:
            points = ss.get(kept_key(chart_key)) or []
    ss[ids_key] = tuple(ids)
    selected: str | None
    if points:
        # A bar's id travels in its customdata (charts with a trace per colour number their
        # points per trace); otherwise the point's index into ``ids``.
        data = points[0].get("customdata")
        data = data[0] if isinstance(data, list | tuple) and data else data
        index = points[0].get("point_index", points[0].get("point_number", -1))
        if isinstance(data, str) and data in ids:
            selected = data
        else:
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


def url_page(ctx: PageContext, name: str, total: int, per_page: int, key: str) -> int:
    """The page (from 0) of a long list, in URL parameter ``name`` (1-based, left out on the
    first page); the widget is shown only when there is more than one page."""
    pages = max(1, -(-int(total) // int(per_page)))
    seed_widget(key, lambda: url_int(ctx, name, 1, 1, pages), valid=lambda v: 1 <= v <= pages)
    if pages == 1:
        set_query(name, None)
        return 0
    value = st.number_input(
        ctx.t("list.page", pages=f"{pages:,}"),
        min_value=1,
        max_value=pages,
        step=1,
        key=key,
        on_change=keep_value,
        args=(key,),
    )
    set_query(name, None if value == 1 else str(value))
    return int(value) - 1


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
    sites = shown["site"] if "site" in shown else [None] * len(shown)
    relay = f" [{ctx.t('articles.relay')}]"
    labels = {
        aid: f"{ctx.labels.date(published)} · {ctx.source_label(source, site)} · "
        f"{str(title)[:50]}{relay if dup else ''}"
        for aid, published, source, site, title, dup in zip(
            shown["article_id"],
            shown["published"],
            shown["source"],
            sites,
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
