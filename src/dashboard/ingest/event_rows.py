"""One row per event in an article (see ``event_rules``): what ``find_in_article`` keeps of the
rows its sentences gave, and which rows of a pair may be one trip."""

from __future__ import annotations


def one_row_per_event(events: list[dict]) -> list[dict]:
    """One sentence, one row per event: 金正恩与普京举行会谈，双方…会谈 gave the meeting twice,
    the second time the other way round and without its lead. Same sentence, kind, pair of
    countries (either way round) and date: the row with a lead, else the first, is kept. An
    earlier time (继2015年之后再次访越) is one row per kind, pair and date in the whole article."""
    kept: dict[tuple, dict] = {}
    for ev in events:
        encounter = "meeting" if ev["kind"] in ("meeting", "summit") else ev["kind"]
        pair = frozenset((ev["from_country"], ev["to_country"]))
        # the same sentence may tell the pair on two days (普京18日抵达利雅得，他曾于2012年访问沙特);
        # an earlier time told twice (the title, the text) is one event
        sentence = ev.pop("_sentence")
        key = (None if ev.get("_earlier") else sentence, encounter, pair, ev["date"])
        held = kept.get(key)
        if (
            held is None
            or (held["kind"] == "meeting" and ev["kind"] == "summit")
            or (held["lead"] is None and ev["lead"] is not None and held["kind"] == ev["kind"])
        ):
            kept[key] = ev
    chosen = {id(ev) for ev in kept.values()}
    events = [ev for ev in events if id(ev) in chosen]
    # An undated row of an event the article dates elsewhere (the title's 普京抵达北京, 此访) is
    # the same event: the dated row stands for it.
    # (An earlier time, 继2015年之后再次访越, is another event: it neither dates nor tells it.)
    current = [ev for ev in events if not ev.get("_earlier")]
    dated = {_pair_key(ev) for ev in current if ev["date"] is not None}
    events = [ev for ev in events if ev["date"] is not None or _pair_key(ev) not in dated]
    # A title or comment restating an event another sentence tells is that event.
    told = {_pair_key(ev) for ev in current if not ev["_restates"]}
    kept = [ev for ev in events if not ev.pop("_restates") or _pair_key(ev) not in told]
    for ev in kept:
        ev.pop("_earlier", None)
    return kept


TRIP_DAYS = 7


def same_trip(a: dict, b: dict) -> bool:
    """Two events of a pair may be one trip: either is undated, or their date windows are a
    week apart at most."""
    if a["date"] is None or b["date"] is None:
        return True
    # Windows, not first days: 本月 (a month) or 13日起 (a stay) holds a later meeting.
    a_end, b_end = a["date_end"] or a["date"], b["date_end"] or b["date"]
    gap = max((b["date"] - a_end).days, (a["date"] - b_end).days, 0)
    return gap <= TRIP_DAYS


def _pair_key(ev: dict) -> frozenset:
    return frozenset((ev["from_country"], ev["to_country"]))
