"""Bilateral relations: which countries the coverage ties together, how strongly and how.

Pure query functions over the processed tables (already narrowed by the shared filters) and
pure figure functions for the relations map. No Streamlit here.

Counting rules (shown to the user in the hover texts and the page caption):
- A mention counts toward a country when it names the country itself or one of its people,
  organizations or places (金正恩 counts toward PRK, 平壤 too). Entities without a country
  (the UN) count toward none. Hovers split the total into "named directly" and "via its
  people, organizations and places".
- A co-mention is one sentence in which two different countries are named, with the same
  rule (金正恩会见克里沃鲁奇科 ties PRK and RUS). Each sentence counts once per pair.
- A visit is an `events` row of kind ``visit`` (or ``departure`` with a destination) from
  one country to another; it keeps its direction. A meeting is an event of kind ``meeting`` or ``summit`` between two countries.
  When the events carry a ``story_id`` (one real-world event reported by several articles),
  each story counts once; otherwise each event row counts.
- Strength of a pair = co-mentions + visits (both directions) + meetings; ``events`` =
  visits + meetings. What the map's lines measure is the page's choice (``MEASURES``).
- Dates: a co-mention is dated by its article's publication date, an event by its own date
  (the article's date when the event has none), with how precisely it is known; evidence
  without either is counted as undated, never put on a time axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .countries import country_coords
from .filters import derived, rows_in
from .labels import Labels
from .relations_events import (
    chosen_in_blocks,
    event_parts,
    event_rows,
    in_view,
    pair_event_codes,
    plain_event_parts,
)

PAIR_COLUMNS = [
    "pair",
    "a",
    "b",
    "co_mentions",
    "visits_ab",
    "visits_ba",
    "meetings",
    "events",
    "strength",
    "first",
    "last",
    # How precisely first and last are known: an event known only to the month is '2024-06'.
    "first_precision",
    "first_approximate",
    "last_precision",
    "last_approximate",
]
# What the map's lines (and the pair table's order) measure: URL value -> column.
MEASURES = {"events": "events", "co": "co_mentions", "all": "strength"}
COUNTRY_COLUMNS = ["country", "mentions", "direct", "indirect", "articles", "name", "lat", "lon"]


def pair_key(a: str, b: str) -> str:
    """The key of an unordered pair: the two ISO-3 codes sorted, joined by a hyphen."""
    x, y = sorted((a, b))
    return f"{x}-{y}"


# ---------------------------------------------------------------- queries


def _country_of(entities: pd.DataFrame) -> pd.Series:
    """entity_id -> ISO-3 country it counts toward (countries: themselves)."""
    if entities is None or entities.empty:
        return pd.Series(dtype="object")
    ent = entities.drop_duplicates("entity_id").set_index("entity_id")
    country = ent["country"].where(ent["country"].notna() & (ent["country"] != ""), None)
    is_country = ent["type"] == "country"
    country = country.where(~is_country, ent.index.to_series())
    return country.dropna()


def _country_mentions_rows(mentions: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """Mentions with the country each counts toward and whether the country was named directly."""
    if mentions is None or mentions.empty:
        return pd.DataFrame(columns=["article_id", "sentence", "country", "direct"])
    countries = _country_of(entities)
    entity = mentions["entity_id"]
    if isinstance(entity.dtype, pd.CategoricalDtype):
        # Looked up once per entity and taken by code: mapping the rows made a new Python
        # string per mention (125 MB at 100,000 articles).
        names = np.asarray(entity.cat.categories, dtype=object)
        codes = entity.array.codes
        by_code = pd.Series(names).map(countries).to_numpy(dtype=object)
        mapped = pd.Series(np.where(codes >= 0, by_code[codes], None), index=mentions.index)
        ids = pd.Series(np.where(codes >= 0, names[codes], None), index=mentions.index)
    else:
        mapped, ids = entity.map(countries).astype(object), entity
    # A mention whose entity is missing from the table but typed "country" is its own ISO code.
    own = mapped.isna() & (mentions["type"] == "country")
    rows = mentions.assign(country=mapped.where(~own, ids))
    rows = rows[rows["country"].notna()].copy()
    rows["direct"] = rows["type"] == "country"
    return rows


_MENTION_COLUMNS = [
    "article_id",
    "article_pos",
    "entity_id",
    "type",
    "sentence",
    "sentence_code",
    "published",
]


def _all_country_rows(mentions: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """The country mention rows of every article, each sentence as an integer (joined on for
    co-mentions). Not kept: the two products below are (a million rows of every column cost
    200 MB at 100,000 articles)."""
    columns = [c for c in _MENTION_COLUMNS if c in mentions]
    if "sentence_code" in mentions:
        # The run's codes (tables/mapped.py); a sentence's text is read for the evidence
        # rows only, from its mention's row (copying every text cost 400 MB at once).
        rows = _country_mentions_rows(mentions[[c for c in columns if c != "sentence"]], entities)
        rows["mention_row"] = np.asarray(rows.index, dtype=np.int32)
        return rows
    rows = _country_mentions_rows(mentions[columns], entities)
    if len(rows) and not isinstance(rows["sentence"].dtype, pd.CategoricalDtype):
        codes, sentences = pd.factorize(rows["sentence"])
        rows["sentence"] = pd.Categorical.from_codes(codes, categories=sentences)
    return rows


def _for_counting(rows: pd.DataFrame) -> pd.DataFrame:
    """Country rows counted per filter change: a category groups faster than strings, and
    the flag makes "articles per country" a sum instead of a distinct count. Only the
    columns the counts and the filter read."""
    kept = [c for c in ("article_id", "article_pos", "country", "direct") if c in rows]
    counted = rows[kept].copy()
    counted["first_in_article"] = ~rows.duplicated(["article_id", "country"]).to_numpy()
    counted["country"] = counted["country"].astype("category")
    if "article_pos" in counted:  # the filter reads the position; the id is not needed
        counted = counted.drop(columns=["article_id"])
    return counted


def _for_pairs(rows: pd.DataFrame) -> pd.DataFrame:
    """Co-mention rows (see _co_mention_rows), grouped on every filter change."""
    coded = {"article_pos", "sentence_code"} <= set(rows)
    co = _coded_co_mention_rows(rows) if coded else _co_mention_rows(rows)
    if "published" in co:
        co["when"] = pd.to_datetime(co["published"], errors="coerce")
        co = co.drop(columns=["published"])
    for column in ("a", "b", "pair"):  # few values
        co[column] = co[column].astype("category")
    return co


def _country_products(mentions: pd.DataFrame, entities: pd.DataFrame) -> tuple:
    """(rows for counting, co-mention rows) of every article, once per corpus."""

    def build(m, e):
        rows = _all_country_rows(m, e)
        return _for_counting(rows), _for_pairs(rows)

    return derived("relations.country_products", build, mentions, entities)


def _country_tally_codes(mentions: pd.DataFrame, entities: pd.DataFrame) -> np.ndarray:
    """Per counted row (see _country_products): its country's code × 4 + 2 if it names the
    country directly + 1 if it is the first of its article; once per corpus."""

    def build(m, e):
        counted = _country_products(m, e)[0]
        code = counted["country"].array.codes.astype(np.int32)
        direct = counted["direct"].to_numpy().astype(np.int32)
        first = counted["first_in_article"].to_numpy().astype(np.int32)
        return code * 4 + direct * 2 + first

    return derived("relations.country_tally_codes", build, mentions, entities)


def country_mentions(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    labels: Labels | None = None,
) -> pd.DataFrame:
    """One row per country: mentions (direct + indirect), articles, display name (Labels),
    centroid.

    Sorted by mentions, most first.
    """
    if mentions is None or mentions.empty:
        return pd.DataFrame(columns=COUNTRY_COLUMNS)
    # Counted on the country codes of the per-corpus rows: a groupby of the selection's
    # rows (11 million at a million articles) took 0.2 s.
    counted = _country_products(mentions, entities)[0]
    chosen = rows_in(counted, articles) if len(counted) else np.zeros(0, dtype=bool)
    if not chosen.any():
        return pd.DataFrame(columns=COUNTRY_COLUMNS)
    country = counted["country"].array
    size = len(country.categories)
    # One count of (country, direct, first in its article) instead of three masked ones: at a
    # million articles, 11 million rows, 0.16 s -> 0.09 s.
    tally = np.bincount(
        _country_tally_codes(mentions, entities)[chosen], minlength=4 * size
    ).reshape(size, 4)
    counts = tally.sum(axis=1)
    present = np.flatnonzero(counts)
    direct = tally[:, 2] + tally[:, 3]
    first = tally[:, 1] + tally[:, 3]
    out = pd.DataFrame(
        {
            "country": pd.Index(country.categories[present]).astype(str),
            "mentions": counts[present].astype(np.int64),
            "direct": direct[present].astype(np.int64),
            "articles": first[present].astype(np.int64),
        }
    )
    out["indirect"] = out["mentions"] - out["direct"]
    labels = labels if labels is not None else Labels("zh")
    coords = country_coords(entities)
    out["name"] = [labels.country(c) for c in out["country"]]
    out["lat"] = [coords.get(c, (math.nan, math.nan))[0] for c in out["country"]]
    out["lon"] = [coords.get(c, (math.nan, math.nan))[1] for c in out["country"]]
    out = out.sort_values(["mentions", "country"], ascending=[False, True], kind="stable")
    return out[COUNTRY_COLUMNS].reset_index(drop=True)


def _coded_co_mention_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """``_co_mention_rows`` for rows with integer keys (``article_pos``, ``sentence_code``;
    a run's tables): the same rows in the same order, paired in numpy instead of a pandas
    self-merge (which held several copies of a million rows at once)."""
    cols = ["article_id", "article_pos", "sentence_code", "published", "mention_row"]
    cols = [c for c in cols if c in rows]
    country_code, countries = pd.factorize(rows["country"].to_numpy(dtype=object), sort=True)
    # The article as the merge matched it: by id (two unknown articles share position -1).
    article = rows["article_id"] if "article_id" in rows else rows["article_pos"]
    if isinstance(article.dtype, pd.CategoricalDtype):
        pos = article.array.codes.astype(np.int64)
    else:
        pos = pd.factorize(article.to_numpy(dtype=object))[0].astype(np.int64)
    code = rows["sentence_code"].to_numpy().astype(np.int64) + 1  # -1 (no sentence) -> 0
    sentence = pos * (int(code.max(initial=0)) + 1) + code
    # One row per (sentence, country): its first mention, as drop_duplicates keeps it.
    _, first = np.unique(sentence * len(countries) + country_code, return_index=True)
    first = np.sort(first)
    key, country = sentence[first], country_code[first]
    # Rows of one sentence next to each other (kept in reading order inside it): every
    # pair of them is a row with the rows ``step`` places after it.
    order = np.argsort(key, kind="stable")
    k = key[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]) if len(k) else k[:0]
    size = np.diff(np.r_[starts, len(k)])
    left = np.repeat(size, size) - (np.arange(len(k)) - np.repeat(starts, size)) - 1
    xs, ys = [], []
    candidates, step = np.flatnonzero(left > 0), 1
    while len(candidates):
        i, j = order[candidates], order[candidates + step]
        lower = country[i] < country[j]  # the pair's first country carries the row
        xs += [i[lower], j[~lower & (country[j] < country[i])]]
        ys += [j[lower], i[~lower & (country[j] < country[i])]]
        step += 1
        candidates = candidates[left[candidates] >= step]
    x = np.concatenate(xs) if xs else np.zeros(0, dtype=np.int64)
    y = np.concatenate(ys) if ys else np.zeros(0, dtype=np.int64)
    # As a merge gives them: by the first country's row, then the second's.
    ranked = np.lexsort((y, x))
    x, y = first[x[ranked]], first[y[ranked]]
    if not len(x):
        return pd.DataFrame(columns=[*cols, "a", "b", "pair"])
    out = {c: rows[c].take(x).reset_index(drop=True) for c in cols}
    a = countries[country_code[x]].astype(object)
    b = countries[country_code[y]].astype(object)
    out |= {"a": a, "b": b, "pair": a + "-" + b}
    return pd.DataFrame(out)


def _co_mention_rows(country_rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, pair of different countries named in it), from country
    mention rows; keeps ``article_pos``, ``published`` and ``mention_row`` (a mention of the
    sentence, where its text is) when the rows have them."""
    sentence = "sentence_code" if "sentence_code" in country_rows else "sentence"
    keys = [c for c in ("article_id", "article_pos", sentence) if c in country_rows]
    extra = [c for c in ("published", "mention_row") if c in country_rows]
    cols = [*keys, *extra, "a", "b", "pair"]
    if country_rows.empty:
        return pd.DataFrame(columns=cols)
    per_sentence = country_rows[[*keys, "country"]].drop_duplicates()
    if extra:  # one article, one date, one text: carried along, not matched on
        per_sentence = per_sentence.join(country_rows[extra])
    merged = per_sentence.merge(per_sentence.drop(columns=extra), on=keys, suffixes=("_x", "_y"))
    merged = merged[merged["country_x"] < merged["country_y"]]
    if merged.empty:
        return pd.DataFrame(columns=cols)
    merged = merged.rename(columns={"country_x": "a", "country_y": "b"})
    merged["pair"] = merged["a"] + "-" + merged["b"]
    return merged[cols].reset_index(drop=True)


@dataclass(frozen=True)
class _CoBlocks:
    """The co-mention rows (``_country_products``' second) ordered by pair, then date
    (undated last), then row: a selection's rows of one pair are then a few positions in
    one block, and its count, first and last date three binary searches."""

    order: np.ndarray  # co-mention rows, in that order
    starts: np.ndarray  # per pair code: where its block starts in ``order``; one more at the end
    dated_end: np.ndarray  # per pair code: where its dated rows end
    when: np.ndarray  # per position in ``order``: the row's date (datetime64, NaT last)
    pairs: np.ndarray  # pair code -> pair key


def _co_blocks(mentions: pd.DataFrame, entities: pd.DataFrame) -> _CoBlocks:
    def build(m, e) -> _CoBlocks:
        co = _country_products(m, e)[1]
        pair = co["pair"].array
        code = pair.codes.astype(np.int64)
        when = co["when"].to_numpy()
        undated = np.isnat(when)
        order = np.lexsort((np.arange(len(co)), when.view(np.int64), undated, code))
        size = len(pair.categories)
        starts = np.concatenate([[0], np.cumsum(np.bincount(code, minlength=size))])
        dated = np.bincount(code[~undated], minlength=size)
        return _CoBlocks(
            order=order.astype(np.int32),
            starts=starts.astype(np.int64),
            dated_end=(starts[:-1] + dated).astype(np.int64),
            when=when[order],
            pairs=np.asarray(pair.categories, dtype=object),
        )

    return derived("relations.co_blocks", build, mentions, entities)


def _co_counts(
    mentions: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame
) -> pd.DataFrame | None:
    """Per pair over the co-mentions of ``articles``: co_mentions, first_c, last_c (as the
    groupby of the rows in view gives them), or None when the rows are not a run's (pairs
    not coded, no dates)."""
    co = _country_products(mentions, entities)[1]
    if not isinstance(co.get("pair", pd.Series()).dtype, pd.CategoricalDtype) or "when" not in co:
        return None
    blocks = _co_blocks(mentions, entities)
    rows = rows_in(co, articles) if len(co) else np.zeros(0, dtype=bool)
    at, lo, hi, dated_hi = chosen_in_blocks(blocks.order, blocks.starts, blocks.dated_end, rows)
    present = np.flatnonzero(hi > lo)
    dated = dated_hi[present] > lo[present]
    first = np.full(len(present), np.datetime64("NaT"), dtype=blocks.when.dtype)
    last = first.copy()
    first[dated] = blocks.when[at[lo[present][dated]]]
    last[dated] = blocks.when[at[dated_hi[present][dated] - 1]]
    return pd.DataFrame(
        {
            "co_mentions": (hi - lo)[present].astype(np.int64),
            "first_c": first,
            "last_c": last,
        },
        index=pd.Index(blocks.pairs[present], name="pair").astype(str),
    )


def _co_rows_in_view(
    mentions: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame
) -> pd.DataFrame:
    """Co-mention rows of the articles in view (per-corpus work done once, see above)."""
    if mentions is None or mentions.empty:
        return _co_mention_rows(_country_mentions_rows(mentions, entities))
    return in_view(_country_products(mentions, entities)[1], articles)


def country_pairs(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    events: pd.DataFrame,
) -> pd.DataFrame:
    """One row per unordered country pair (a < b): co-mentions, visits a->b and b->a,
    meetings, strength, first and last date. Sorted by strength, strongest first."""
    parts = []
    counted = (
        None if mentions is None or mentions.empty else _co_counts(mentions, entities, articles)
    )
    if counted is not None:
        if len(counted):
            parts.append(counted)
    else:
        co = _co_rows_in_view(mentions, entities, articles)
        if "when" not in co:
            if "published" not in co:
                published = articles.drop_duplicates("article_id").set_index("article_id")
                co = co.assign(published=co["article_id"].map(published["published"]))
            co = co.assign(when=pd.to_datetime(co["published"], errors="coerce"))
        if not co.empty:
            c = co.groupby("pair", observed=True).agg(
                co_mentions=("pair", "size"), first_c=("when", "min"), last_c=("when", "max")
            )
            c.index = c.index.astype(str)
            parts.append(c)
    if events is not None and "article_published" in events:  # as corpus.prepare leaves them
        codes = derived("relations.pair_event_codes", pair_event_codes, events)
        parts += event_parts(codes, articles)
    else:  # events given without their article's date (tables built by hand)
        parts += plain_event_parts(event_rows(events, articles))
    if not parts:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    out = pd.concat(parts, axis=1)
    for col in ("co_mentions", "visits_ab", "visits_ba", "meetings"):
        out[col] = out[col].fillna(0).astype(int) if col in out else 0
    for end, pick in (("first", "min"), ("last", "max")):
        spans = [out[c] for c in (f"{end}_c", f"{end}_e") if c in out]
        out[end] = getattr(pd.concat(spans, axis=1), pick)(axis=1)
        # An event's date, when it is the end, brings its precision; an article's is a day.
        if f"{end}_e" in out:
            by_event = out[f"{end}_e"].notna() & (out[end] == out[f"{end}_e"])
            if f"{end}_c" in out:  # a co-mention on the same day: the day is known
                by_event &= ~(out[f"{end}_c"] == out[end])
            out[f"{end}_precision"] = out[f"{end}_e_p"].where(by_event, "day")
            out[f"{end}_approximate"] = out[f"{end}_e_a"].where(by_event, False).astype(bool)
        else:
            out[f"{end}_precision"], out[f"{end}_approximate"] = "day", False
        out[f"{end}_precision"] = out[f"{end}_precision"].where(out[end].notna(), None)
        out[end] = out[end].dt.date
    out["events"] = out["visits_ab"] + out["visits_ba"] + out["meetings"]
    out["strength"] = out["co_mentions"] + out["events"]
    out.index.name = "pair"
    out = out.reset_index()
    out["a"] = out["pair"].str.split("-").str[0]
    out["b"] = out["pair"].str.split("-").str[1]
    out = out.sort_values(["strength", "pair"], ascending=[False, True], kind="stable")
    return out[PAIR_COLUMNS].reset_index(drop=True)


def rank_pairs(pairs: pd.DataFrame, measure: str = "events") -> pd.DataFrame:
    """The pairs by what the lines measure (``MEASURES``), strongest first (ties: strength,
    then the pair key); pairs without any of it last."""
    column = MEASURES.get(measure, "strength")
    if pairs.empty:
        return pairs
    return pairs.sort_values(
        [column, "strength", "pair"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)
