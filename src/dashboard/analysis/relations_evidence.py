"""The evidence behind a country pair: every sentence, visit and meeting, newest first, and
the pair's strength over time (pure query functions, no Streamlit).

How pairs are counted is in ``analysis.relations``; these functions list and bin what was
counted. A date keeps how precisely it is known and the words it was read from; evidence
with no date at all is counted, never put on a time axis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .filters import column_at
from .periods import period_for, period_starts
from .relations import _co_rows_in_view, pair_key
from .relations_events import MEETING_KINDS, VISIT_KINDS, event_rows

EVIDENCE_COLUMNS = [
    "pair",
    "kind",
    "from_country",
    "to_country",
    "article_id",
    "source",
    "site",
    "published",
    "date",
    "date_end",
    "date_precision",
    "approximate",
    "time_expr",
    "dated_by",
    "sentence",
]
OVER_TIME_COLUMNS = ["period", "co_mentions", "visits_ab", "visits_ba", "meetings", "strength"]


def _normalize_pair(pair) -> str:
    if isinstance(pair, str):
        a, b = pair.split("-")
    else:
        a, b = pair
    return pair_key(a, b)


def pair_evidence(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    events: pd.DataFrame,
    pair,
) -> pd.DataFrame:
    """The sentences behind a pair's numbers: one row per co-mention sentence, visit and
    meeting (EVIDENCE_COLUMNS), newest first. ``kind`` is ``co-mention``, ``visit``,
    ``departure`` or ``meeting`` (summits count as meetings); events carry from_country and
    to_country. ``date`` is the event's own date with how precisely it is known
    (``date_end``, ``date_precision``, ``approximate``, the words ``time_expr``), else the
    article's publication date (``dated_by`` says which; None when there is neither).
    Unlike the pair table, reports of the same story are all listed: each is evidence."""
    key = _normalize_pair(pair)
    art = articles.drop_duplicates("article_id").set_index("article_id")
    co = _co_rows_in_view(mentions, entities, articles)
    co = co[co["pair"] == key]
    rows = [
        pd.DataFrame(
            {
                "pair": key,
                "kind": "co-mention",
                "from_country": None,
                "to_country": None,
                "article_id": co["article_id"].astype(object),
                "date": pd.NaT,
                "date_end": pd.NaT,
                "date_precision": None,
                "approximate": False,
                "time_expr": None,
                "sentence": (
                    column_at(mentions, "sentence", co["mention_row"].to_numpy())
                    if "mention_row" in co
                    else co["sentence"].astype(object)
                ),
            }
        )
    ]
    ev = event_rows(events, articles)
    ev = ev[ev["pair"] == key]
    if not ev.empty:
        kind = ev["kind"].where(~ev["kind"].isin(MEETING_KINDS), "meeting")

        def column(name, default=None):
            return ev[name] if name in ev else pd.Series(default, index=ev.index, dtype=object)

        rows.append(
            pd.DataFrame(
                {
                    "pair": key,
                    "kind": kind,
                    "from_country": ev["from_country"],
                    "to_country": ev["to_country"],
                    "article_id": ev["article_id"],
                    "date": pd.to_datetime(ev["date"], errors="coerce"),
                    "date_end": pd.to_datetime(column("date_end"), errors="coerce"),
                    "date_precision": column("date_precision"),
                    "approximate": column("approximate", False).fillna(False).astype(bool),
                    "time_expr": column("time_expr"),
                    "sentence": ev["evidence"],
                }
            )
        )
    out = pd.concat([r for r in rows if not r.empty] or [rows[0]], ignore_index=True)
    out["source"] = out["article_id"].map(art["source"])
    out["site"] = out["article_id"].map(art["site"]) if "site" in art else None
    out["published"] = out["article_id"].map(art["published"])
    published = pd.to_datetime(out["published"], errors="coerce")
    own = out["date"].notna()
    out["dated_by"] = np.where(own, "event", np.where(published.notna(), "published", None))
    out["date"] = out["date"].where(own, published)
    out["date_end"] = out["date_end"].where(own & out["date_end"].notna(), out["date"])
    out["date_precision"] = out["date_precision"].where(own & out["date_precision"].notna(), "day")
    out["approximate"] = out["approximate"].where(own, False).astype(bool)
    out["date"] = out["date"].dt.date.astype(object).where(out["date"].notna(), None)
    out["date_end"] = out["date_end"].dt.date.astype(object).where(out["date_end"].notna(), None)
    out["_day"] = pd.to_datetime(out["date"], errors="coerce")
    out = out.sort_values(
        ["_day", "article_id", "kind"],
        ascending=[False, True, True],
        kind="stable",
        na_position="last",
    )
    return out[EVIDENCE_COLUMNS].reset_index(drop=True)


def strength_over_time(
    evidence: pd.DataFrame, period: str = "auto"
) -> tuple[pd.DataFrame, str, int]:
    """A pair's evidence (``pair_evidence``) counted per day, week (from Monday) or month:
    (OVER_TIME_COLUMNS, the period used, how many pieces of evidence have no date).

    ``period`` 'auto' picks it by the span (periods.period_for); every period from the first
    to the last is a row, empty ones as zeros. Visits keep their direction: ``visits_ab`` go
    from the pair's first country (in key order) to its second. An event is counted in the
    period of its first day, whatever its precision."""
    days = pd.to_datetime(evidence["date"], errors="coerce").to_numpy(dtype="datetime64[D]")
    dated = ~np.isnat(days)
    undated = int((~dated).sum())
    if not dated.any():
        freq = period if period in ("D", "W", "M") else "W"
        return pd.DataFrame(columns=OVER_TIME_COLUMNS), freq, undated
    days = days[dated]
    freq = period if period in ("D", "W", "M") else period_for(days.min(), days.max())
    starts = period_starts(days, freq)
    ev = evidence[dated]
    first_country = ev["pair"].str.split("-").str[0].to_numpy(dtype=object)
    kind = ev["kind"].to_numpy(dtype=object)
    visit = np.isin(kind, VISIT_KINDS)
    ab = visit & (ev["from_country"].to_numpy(dtype=object) == first_country)
    column = np.select(
        [kind == "co-mention", kind == "meeting", ab, visit],
        ["co_mentions", "meetings", "visits_ab", "visits_ba"],
        "meetings",
    )
    table = pd.crosstab(pd.Series(starts, name="period"), pd.Series(column, name="kind"))
    if freq == "M":
        full = pd.date_range(table.index.min(), table.index.max(), freq="MS")
    else:
        step = "7D" if freq == "W" else "D"
        full = pd.date_range(table.index.min(), table.index.max(), freq=step)
    table = table.reindex(full, fill_value=0)
    for col in OVER_TIME_COLUMNS[1:-1]:
        if col not in table:
            table[col] = 0
    table["strength"] = table[OVER_TIME_COLUMNS[1:-1]].sum(axis=1)
    table.index.name = "period"
    out = table.reset_index()[OVER_TIME_COLUMNS]
    out["period"] = out["period"].dt.date
    for col in OVER_TIME_COLUMNS[1:]:
        out[col] = out[col].astype(int)
    return out, freq, undated
