"""What a page has picked (a story, a heatmap cell, a country pair), kept in the session and
the URL, and set by whichever picker the user touched last: a click on a chart, a row of a
table, a select box, or the link.

Chart and table selections reach the page through ``on_select`` callbacks, which run before
the page and store the pick (``pick_from_chart``/``pick_from_table``). A chart or table whose
content changes gets a new identity in Streamlit and loses its own selection; the pick stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from .page import PageContext
from .urlstate import keep_value, kept_key, seed_widget, set_query

_SEEDED = "_pick_seeded__"


def url_toggle(
    ctx: PageContext, name: str, on_value: str, key: str, label: str, container=st, **kwargs
) -> bool:
    """A toggle whose "on" lives in URL parameter ``name`` as ``on_value`` (off: no parameter).
    Another value in the link shows a notice and leaves the toggle off."""

    def from_link() -> bool:
        raw = ctx.query_value(name)
        if raw is not None and raw != on_value:
            ctx.notice(ctx.t("notice.bad_param", name=name, value=raw[:80]))
        return raw == on_value

    seed_widget(key, from_link, valid=lambda v: isinstance(v, bool))
    value = container.toggle(label, key=key, on_change=keep_value, args=(key,), **kwargs)
    set_query(name, on_value if value else None)
    return bool(value)


def current_pick(
    ctx: PageContext, name: str, state_key: str, valid: Callable[[str], bool]
) -> str | None:
    """The pick kept under ``state_key``; on a page's first run, the link's ``name`` (a value
    that is not ``valid`` shows a notice). A kept pick that the filters have since left out
    is dropped. The result is written back into the URL."""
    ss = st.session_state
    if _SEEDED + state_key not in ss:
        ss[_SEEDED + state_key] = True
        raw = ctx.query_value(name)
        if raw is not None and not valid(raw):
            ctx.notice(ctx.t("notice.bad_param", name=name, value=raw[:80]))
            raw = None
        ss[state_key] = raw
    value = ss.get(state_key)
    if value is not None and not valid(value):
        value = ss[state_key] = None
    set_query(name, value)
    return value


def set_pick(state_key: str, value: str | None) -> None:
    """Store a pick (from a callback or the page); the page reads it with current_pick."""
    st.session_state[_SEEDED + state_key] = True
    st.session_state[state_key] = value


def chart_points(chart_key: str) -> list[dict]:
    """The points a chart's selection holds now (in its on_select callback)."""
    return event_points(st.session_state.get(chart_key))


def event_points(event) -> list[dict]:
    """The points of a chart's selection event (an object or, restored, a dict)."""
    selection = getattr(event, "selection", None)
    if selection is None and isinstance(event, dict):
        selection = event.get("selection")
    points = getattr(selection, "points", None)
    if points is None and isinstance(selection, dict):
        points = selection.get("points")
    return [dict(p) for p in (points or [])]


def table_rows(table_key: str) -> list[int]:
    """The rows a dataframe's selection holds now (in its on_select callback)."""
    event = st.session_state.get(table_key)
    selection = getattr(event, "selection", None)
    if selection is None and isinstance(event, dict):
        selection = event.get("selection")
    rows = getattr(selection, "rows", None)
    if rows is None and isinstance(selection, dict):
        rows = selection.get("rows")
    return [int(r) for r in (rows or [])]


def pick_from_table(table_key: str, ids_key: str, state_key: str, then=None) -> None:
    """on_select callback of a single-row table: the chosen row's id (from the ids the page
    stored under ``ids_key`` when it drew the table) becomes the pick. ``then(value)`` runs
    after (a page clears a pick that depends on this one)."""
    rows = table_rows(table_key)
    ids: Sequence[str] = st.session_state.get(ids_key) or []
    if rows and 0 <= rows[0] < len(ids):
        set_pick(state_key, ids[rows[0]])
        if then is not None:
            then(ids[rows[0]])


def widget_pick(key: str, value: str | None) -> None:
    """Put ``value`` into a URL-bound select box (widgets.url_selectbox or a page's own) from
    a callback: the widget and its kept copy both."""
    st.session_state[key] = value
    st.session_state[kept_key(key)] = value
