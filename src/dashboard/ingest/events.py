"""The events stage: visits, meetings, summits and departures, with resolved dates.

Reads ``articles``, ``mentions`` and ``entities`` (only the tables, not the entity stage's
internals) and writes ``events``: one row per event statement found in a sentence.

How an event is found (rules over ``text_simplified``, sentence by sentence):

- a trigger word decides the kind: summit (峰会, 首脑会谈, or a meeting whose two sides are
  both heads of state or government), meeting (会见, 会晤, 会谈, 接见, 接待), departure
  (启程, 出发, 动身, 前往, 飞往, 离开) or visit (访问, 到访, 抵达, 出访, 访朝/访俄/访华...,
  赴+place). One event per clause: the strongest trigger of the clause wins. A trigger used
  as an attribute (到访的代表团, 正在莫斯科访问的官员) is not a predicate and is skipped;
- invitations, plans, hypotheticals and denials are not events: the clause before the
  trigger must not hold 将/计划/拟/准备/打算/预计/有望/可能/邀请 (except 应邀)/如果/若/未/
  否认..., and the resolved date must not lie after the dispatch date;
- the date is the time expression nearest before the trigger in the same clause, else in the
  sentence, else the first one after it; a date that only says when something was reported
  (朝中社9日报道, 7月19日电) is not the event's date. No date, no event: an undated
  mention cannot be placed on a timeline;
- countries come from the mentions (a country's entity_id is its ISO-3 code; persons, orgs
  and places carry their ``country`` in ``entities``) plus the one-character abbreviations of
  travel language (访朝, 俄方, 朝俄, 赴华). Visits and departures: the traveller is the nearest
  country-bearing mention before the trigger, the destination the first one after it (or the
  place in 在X访问). Meetings: the host is before the trigger, the visitor after it, and a
  named place decides the direction. Summits: the place decides the host; without a place
  the order of mention is kept (the story grouping compares summit pairs unordered);
- the lead is the person named right before 率领/带领/为首, else the traveller-side person.

Grouping (``story_id``): the same event told by several articles (or several times in one
article) gets one story. Two events belong to the same story when
  1. their kind family is the same: {visit, meeting, departure} travel, {summit} summit;
  2. their country pair is the same: directed (from -> to) for travel, unordered for
     summits; an unknown from_country matches any origin with the same destination;
  3. their dates are within one day of each other (exact days; single linkage, so a
     departure on the 8th and an arrival on the 9th join), and
  4. travel only: their leads agree, or one of them is unknown (a summit has two heads, so
     its lead is not compared).
Events with a coarse or approximate date (今年6月, 日前, 一个月前) join the story whose exact
days fall inside their window (the one with most reports, if several), and never bridge two
stories; when no exact story overlaps, coarse events with overlapping windows form a story
of their own. The id reads ``<family>:<FROM>-<TO>:<first date>`` (summit pairs sorted
alphabetically), with ``#2``, ``#3`` for distinct stories with the same key.

Added columns: ``story_id``, ``date_end`` (last day of the date window; equals ``date`` for an
exact day) and ``approximate`` (True for vague expressions such as 日前).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
import pandas as pd

from ..common.textnorm import to_simplified
from ..tables.schema import EVENT_COLUMNS
from .cache import ResultCache, key_of, version_of
from .engine import Engine
from .event_rules import MentionRow, find_in_article, mentions_of_article
from .stories import assign_stories

EXTRA_COLUMNS = ["story_id", "date_end", "approximate"]
COLUMNS = EVENT_COLUMNS + EXTRA_COLUMNS


class _MentionTable:
    """The mentions events need (entity_id, surface, type, start, end) as integer codes, with
    each article's rows found by id: 1.2 million tuples of Python objects at 100,000
    articles took hundreds of MB for the whole stage."""

    COLUMNS = ("entity_id", "surface", "type")

    def __init__(self, mentions: pd.DataFrame | None):
        self.spans: dict[str, tuple[int, int]] = {}
        if mentions is None or mentions.empty:
            self.codes, self.names, self.order = {}, {}, np.zeros(0, dtype=np.int64)
            self.start = self.end = np.zeros(0, dtype=np.int64)
            return
        self.codes, self.names = {}, {}
        for column in self.COLUMNS:
            codes, names = pd.factorize(mentions[column].astype(object), use_na_sentinel=False)
            self.codes[column] = codes.astype(np.int32)
            self.names[column] = list(names)
        self.start = mentions["start"].to_numpy(dtype=np.int64)
        self.end = mentions["end"].to_numpy(dtype=np.int64)
        article, ids = pd.factorize(mentions["article_id"].astype(object))
        self.order = np.argsort(article, kind="stable")  # table order within an article
        bounds = np.concatenate([[0], np.cumsum(np.bincount(article, minlength=len(ids)))])
        self.spans = {
            aid: (int(lo), int(hi))
            for aid, lo, hi in zip(ids, bounds[:-1], bounds[1:], strict=True)
        }

    def span(self, article_id: str) -> tuple[int, int]:
        return self.spans.get(article_id, (0, 0))

    def rows(self, lo: int, hi: int) -> list[MentionRow]:
        """(entity_id, surface, type, start, end) of the rows in one article's span."""
        if hi <= lo:
            return []
        rows = self.order[lo:hi]
        named = [[self.names[c][k] for k in self.codes[c][rows].tolist()] for c in self.COLUMNS]
        return list(zip(*named, self.start[rows].tolist(), self.end[rows].tolist(), strict=True))


@dataclass
class _EventContext:
    """What every chunk of the events stage reads (sent once to each worker)."""

    mention_table: _MentionTable = field(default_factory=lambda: _MentionTable(None))
    entities_by_id: dict = field(default_factory=dict)  # entity_id -> entity row
    # entity_id -> a digest of its row, for the cache keys: made once per entity, not once
    # per article that names it (a row holds a numpy array of aliases, slow to repr: an
    # article's key took 345 us with the rows in it, 57 us with their digests, on 10,000
    # synthetic articles).
    entity_digests: dict[str, str] = field(default_factory=dict)


def _events_chunk(context: _EventContext, rows: list[tuple]) -> list[list[dict]]:
    """The events of each article (one list per article)."""
    out: list[list[dict]] = []
    entities_by_id = context.entities_by_id
    for art, span in rows:
        mention_rows = context.mention_table.rows(*span)
        text = (
            art.text_simplified
            if isinstance(getattr(art, "text_simplified", None), str)
            else to_simplified(art.text)
        )
        out.append(find_in_article(art, mentions_of_article(text, mention_rows, entities_by_id)))
    return out


def _event_key(art: SimpleNamespace, mention_rows: list, entity_digests: dict[str, str]) -> str:
    """Everything an article's events depend on: the article, its mentions (they change when
    names are resolved across the corpus) and what the table says of those entities."""
    ids = sorted({row[0] for row in mention_rows if isinstance(row[0], str)})
    fields = sorted(vars(art).items())
    # Texts go in as strings of their own: hashed directly, not through repr (see key_of).
    return key_of(
        *(part for name, value in fields if isinstance(value, str) for part in (name, value)),
        [(name, value) for name, value in fields if not isinstance(value, str)],
        mention_rows,
        [(e, entity_digests.get(e)) for e in ids],
    )


def _event_item_key(context: _EventContext, item: tuple[SimpleNamespace, tuple[int, int]]) -> str:
    art, span = item
    return _event_key(art, context.mention_table.rows(*span), context.entity_digests)


ARTICLE_FIELDS = ("article_id", "published", "text", "text_simplified")


def extract_events(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    engine: Engine | None = None,
    cache: ResultCache | None = None,
) -> pd.DataFrame:
    """Events of every article (no grouping yet); articles are independent, so they may be
    spread over ``engine``'s workers."""
    entities_by_id = {}
    if entities is not None and not entities.empty:
        entities_by_id = (
            entities.drop_duplicates("entity_id").set_index("entity_id").to_dict("index")
        )
    context = _EventContext(
        _MentionTable(mentions),
        entities_by_id,
        {entity_id: key_of(row) for entity_id, row in entities_by_id.items()},
    )
    # SimpleNamespace rows: attribute access like itertuples, and picklable for the workers.
    # Only the columns events are found from (they are also the cache key): the others
    # cost a Python object per article and column for nothing. An article's mentions go
    # as a span of rows of the mention table, turned into tuples one article at a time.
    used = [c for c in ARTICLE_FIELDS if c in articles]
    # From column lists: to_dict("records") iterates the Arrow-backed columns value by value.
    records = (
        dict(zip(used, values, strict=True))
        for values in zip(*(articles[c].tolist() for c in used), strict=True)
    )
    work = [
        (art, context.mention_table.span(art.article_id))
        for art in (SimpleNamespace(**r) for r in records)
    ]
    cache = cache or ResultCache(None, "")
    per_article = cache.map(_events_chunk, work, _event_item_key, engine, context)
    rows = [event for events in per_article for event in events]
    return pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "story_id"])


def build_events(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    engine: Engine | None = None,
    cache: ResultCache | None = None,
) -> pd.DataFrame:
    frame = extract_events(articles, mentions, entities, engine, cache)
    frame["story_id"] = assign_stories(frame)
    frame = frame.drop_duplicates("event_id")
    return frame[COLUMNS].reset_index(drop=True)


def run(ctx) -> None:
    tables = ctx.tables
    articles = tables["articles"]
    mentions = tables.get("mentions")
    entities = tables.get("entities")
    version = version_of(
        "ingest/events.py",
        "ingest/event_rules.py",
        "ingest/event_roles.py",
        "ingest/event_dates.py",
        "ingest/event_rows.py",
        "ingest/stories.py",
        "ingest/timeexpr.py",
        "ingest/time_calendar.py",
        "ingest/time_resolvers.py",
        "ingest/time_periods.py",
        "ingest/time_rules.py",
        "common/textnorm.py",
    )
    events = build_events(
        articles,
        mentions,
        entities,
        ctx.options.get("engine"),
        ctx.caches.stage("events", version),
    )
    ctx.tables["events"] = events
    ctx.report.counts["stories"] = int(events["story_id"].nunique()) if not events.empty else 0
