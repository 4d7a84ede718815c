"""The visits and meetings behind the relations map: the pair events of a corpus (coded once
per corpus), and per pair over a selection its visits each way, its meetings (stories) and
its first and last dates. See ``relations`` for the counting rules."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .filters import codes_of, derived, rows_in
from .timeline import story_ids_of

# A departure with a destination is the start of a trip; the events stage gives it the same
# story_id as the arrival, so a trip reported both ways counts once.
VISIT_KINDS = ("visit", "departure")
MEETING_KINDS = ("meeting", "summit")


def in_view(frame: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Rows of frame whose article passed the filters (is in ``articles``)."""
    if frame is None or frame.empty:
        return frame.iloc[0:0] if frame is not None else pd.DataFrame()
    return frame[rows_in(frame, articles)]


def pair_events(events: pd.DataFrame) -> pd.DataFrame:
    """Visits and meetings between two different known countries, with their pair and
    story; ``when`` is the event date, else the article date when the events carry it."""
    ev = events[events["kind"].isin(VISIT_KINDS + MEETING_KINDS)]
    ev = ev[ev["from_country"].notna() & ev["to_country"].notna()]
    ev = ev[(ev["from_country"] != "") & (ev["to_country"] != "")]
    ev = ev[ev["from_country"] != ev["to_country"]].copy()
    ev["a"] = ev[["from_country", "to_country"]].min(axis=1)
    ev["b"] = ev[["from_country", "to_country"]].max(axis=1)
    ev["pair"] = ev["a"] + "-" + ev["b"]
    ev["story"] = story_ids_of(ev)
    ev["when"] = pd.to_datetime(ev["date"], errors="coerce")
    own = ev["when"].notna()
    precision = ev["date_precision"] if "date_precision" in ev else pd.Series("day", ev.index)
    ev["when_precision"] = precision.where(own & precision.notna(), "day")
    approximate = ev["approximate"] if "approximate" in ev else pd.Series(False, ev.index)
    ev["when_approximate"] = approximate.fillna(False).astype(bool) & own
    if "article_published" in ev:
        ev["when"] = ev["when"].fillna(pd.to_datetime(ev["article_published"], errors="coerce"))
    return ev


def event_rows(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Visits and meetings between two different known countries in the articles in view,
    dated (event date, else article date), with their pair."""
    cols = ["event_id", "article_id", "kind", "from_country", "to_country", "date", "evidence"]
    if events is None or events.empty:
        return pd.DataFrame(columns=[*cols, "a", "b", "pair", "story", "when"])
    ev = in_view(derived("relations.pair_events", pair_events, events), articles)
    if "article_published" not in ev and not ev.empty:
        published = ev["article_id"].map(
            articles.drop_duplicates("article_id").set_index("article_id")["published"]
        )
        ev = ev.assign(when=ev["when"].fillna(pd.to_datetime(published, errors="coerce")))
    return ev


@dataclass(frozen=True)
class PairEventCodes:
    """The pair events (see pair_events) as integer codes, built once per events table."""

    frame: pd.DataFrame  # the pair events, to find the rows of a selection
    pair: np.ndarray  # code into ``pairs``
    pairs: np.ndarray
    story: np.ndarray
    visit: np.ndarray
    meeting: np.ndarray
    a_to_b: np.ndarray  # from_country is the pair's first country
    when: pd.Series  # event date, else article date
    precision: np.ndarray  # of ``when``: the event's precision, 'day' for an article date
    approximate: np.ndarray
    # The rows by pair, then date (undated last), then row, with where each pair's block
    # starts (one more at the end) and its dated rows end: a selection's first and last
    # date per pair are then binary searches, not a sort and a groupby.
    by_pair: np.ndarray
    pair_starts: np.ndarray
    pair_dated_end: np.ndarray


def pair_event_codes(events: pd.DataFrame) -> PairEventCodes:
    ev = pair_events(events)
    pair, pairs = codes_of(ev["pair"])
    story, _ = codes_of(ev["story"])
    kind = ev["kind"].to_numpy(dtype=object)
    when = ev["when"].to_numpy()
    undated = np.isnat(when)
    by_pair = np.lexsort((np.arange(len(ev)), when.view(np.int64), undated, pair))
    starts = np.concatenate([[0], np.cumsum(np.bincount(pair, minlength=len(pairs)))])
    dated = np.bincount(pair[~undated], minlength=len(pairs))
    return PairEventCodes(
        # Only what finds the rows of a selection (rows_in): the whole pair events frame,
        # strings and all, cost 45 MB at 100,000 articles.
        frame=ev[[c for c in ("article_id", "article_pos") if c in ev]],
        pair=pair,
        pairs=pairs,
        story=story,
        visit=np.isin(kind, VISIT_KINDS),
        meeting=np.isin(kind, MEETING_KINDS),
        a_to_b=(ev["from_country"] == ev["a"]).to_numpy(dtype=bool),
        when=ev["when"].reset_index(drop=True),
        precision=ev["when_precision"].to_numpy(dtype=object),
        approximate=ev["when_approximate"].to_numpy(dtype=bool),
        by_pair=by_pair.astype(np.int64),
        pair_starts=starts.astype(np.int64),
        pair_dated_end=(starts[:-1] + dated).astype(np.int64),
    )


def _span(pair, when, precision, approximate) -> pd.DataFrame:
    """Per pair: its first and last event date, with how precisely each is known."""
    frame = pd.DataFrame(
        {"pair": pair, "when": when, "precision": precision, "approximate": approximate}
    )
    frame = frame[frame["when"].notna()].sort_values("when", kind="stable")
    grouped = frame.groupby("pair", sort=True)
    first, last = grouped.first(), grouped.last()
    return pd.DataFrame(
        {
            "first_e": first["when"],
            "first_e_p": first["precision"],
            "first_e_a": first["approximate"],
            "last_e": last["when"],
            "last_e_p": last["precision"],
            "last_e_a": last["approximate"],
        }
    )


def chosen_in_blocks(
    order: np.ndarray, starts: np.ndarray, dated_end: np.ndarray, chosen: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where the ``chosen`` rows (a mask) fall among rows kept by block (a pair), then date
    (undated last): ``at``, their places in ``order``, ascending; and per block (``starts``:
    where each begins in ``order``, one more at the end; ``dated_end``: where its dated rows
    end) the first of them, one past the last and one past the last dated, as places in
    ``at``. Three binary searches a block instead of a sort and a groupby."""
    at = np.flatnonzero(chosen[order])
    return (
        at,
        np.searchsorted(at, starts[:-1]),
        np.searchsorted(at, starts[1:]),
        np.searchsorted(at, dated_end),
    )


def _span_by_pair(codes: PairEventCodes, chosen: np.ndarray) -> pd.DataFrame:
    """``_span`` of the chosen rows, from the rows by pair and date: per pair with a dated
    row, the first and the last (ties: the first and the last in the table)."""
    at, lo, _, hi = chosen_in_blocks(codes.by_pair, codes.pair_starts, codes.pair_dated_end, chosen)
    present = np.flatnonzero(hi > lo)
    first = codes.by_pair[at[lo[present]]]
    last = codes.by_pair[at[hi[present] - 1]]
    when = codes.when.to_numpy()
    return pd.DataFrame(
        {
            "first_e": when[first],
            "first_e_p": codes.precision[first],
            "first_e_a": codes.approximate[first],
            "last_e": when[last],
            "last_e_p": codes.precision[last],
            "last_e_a": codes.approximate[last],
        },
        index=pd.Index(codes.pairs[present].astype(str), name="pair"),
    )


def event_parts(codes: PairEventCodes, articles: pd.DataFrame) -> list[pd.DataFrame]:
    """Per pair over the events of ``articles``: visits each way and meetings (stories, a
    story counted under its first report) and the first and last date."""
    chosen = rows_in(codes.frame, articles) if len(codes.frame) else np.zeros(0, dtype=bool)
    if not chosen.any():
        return []
    size = len(codes.pairs)

    def first_reports(kind: np.ndarray) -> np.ndarray:
        rows = np.flatnonzero(chosen & kind)
        _, first = np.unique(codes.story[rows], return_index=True)
        return rows[first]

    visits, meetings = first_reports(codes.visit), first_reports(codes.meeting)
    ab = np.bincount(codes.pair[visits[codes.a_to_b[visits]]], minlength=size)
    ba = np.bincount(codes.pair[visits[~codes.a_to_b[visits]]], minlength=size)
    meets = np.bincount(codes.pair[meetings], minlength=size)
    span = _span_by_pair(codes, chosen)
    counted = (ab > 0) | (ba > 0) | (meets > 0)
    # As groupby-nunique would give them: only pairs with a count, others filled with 0 later.
    counts = pd.DataFrame(
        {
            "visits_ab": np.where(ab > 0, ab, np.nan)[counted],
            "visits_ba": np.where(ba > 0, ba, np.nan)[counted],
            "meetings": np.where(meets > 0, meets, np.nan)[counted],
        },
        index=pd.Index(codes.pairs[counted].astype(str), name="pair"),
    )
    return [counts, span]


def plain_event_parts(ev: pd.DataFrame) -> list[pd.DataFrame]:
    """What event_parts gives, from the event rows in view with pandas."""
    if ev.empty:
        return []
    visits = ev[ev["kind"].isin(VISIT_KINDS)].drop_duplicates("story")
    ab = visits[visits["from_country"] == visits["a"]].groupby("pair")["story"].nunique()
    ba = visits[visits["from_country"] == visits["b"]].groupby("pair")["story"].nunique()
    meets = (
        ev[ev["kind"].isin(MEETING_KINDS)]
        .drop_duplicates("story")
        .groupby("pair")["story"]
        .nunique()
    )
    precision = ev.get("when_precision", "day")
    approximate = ev.get("when_approximate", False)
    span = _span(ev["pair"].astype(str), ev["when"], precision, approximate)
    return [pd.DataFrame({"visits_ab": ab, "visits_ba": ba, "meetings": meets}), span]
