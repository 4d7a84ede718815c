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
- Strength of a pair = co-mentions + visits (both directions) + meetings.
- Dates: a co-mention is dated by its article's publication date, an event by its own date
  (the article's date when the event has none).
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .paths import STATIC_DIR
from .queries import codes_of, derived, rows_in

TOPOJSON_DIR = STATIC_DIR / "topojson"
WORLD_TOPOJSON = TOPOJSON_DIR / "world_110m.json"

# A departure with a destination is the start of a trip; the events stage gives it the same
# story_id as the arrival, so a trip reported both ways counts once.
VISIT_KINDS = ("visit", "departure")
MEETING_KINDS = ("meeting", "summit")

PAIR_COLUMNS = [
    "pair",
    "a",
    "b",
    "co_mentions",
    "visits_ab",
    "visits_ba",
    "meetings",
    "strength",
    "first",
    "last",
]
COUNTRY_COLUMNS = ["country", "mentions", "direct", "indirect", "articles", "name", "lat", "lon"]
EVIDENCE_COLUMNS = [
    "pair",
    "kind",
    "from_country",
    "to_country",
    "article_id",
    "source",
    "published",
    "date",
    "sentence",
]

_TEXT = {
    "zh": {
        "country_hover": "<b>%{customdata[1]}</b> (%{location})<br>"
        "提及 %{z} 次（含其人物、机构、地点）<br>"
        "直接提到国名 %{customdata[2]} 次，经其人物/机构/地点 %{customdata[3]} 次<br>"
        "见于 %{customdata[4]} 篇文章<extra></extra>",
        "colorbar": "提及次数",
        "co": "同句共现 {n} 句",
        "visit": "访问 {a}→{b}：{n} 次",
        "meet": "会见/会谈 {n} 次",
        "span": "{first} 至 {last}",
        "strength": "关联强度 {n}（共现 + 访问 + 会见）",
        "visits_trace": "访问方向",
        "pairs_trace": "国家对",
        "countries_trace": "提及",
    },
    "en": {
        "country_hover": "<b>%{customdata[1]}</b> (%{location})<br>"
        "%{z} mentions (incl. its people, organizations, places)<br>"
        "country named %{customdata[2]}, via its people/orgs/places %{customdata[3]}<br>"
        "in %{customdata[4]} articles<extra></extra>",
        "colorbar": "mentions",
        "co": "named in the same sentence: {n} sentences",
        "visit": "visits {a}→{b}: {n}",
        "meet": "meetings: {n}",
        "span": "{first} to {last}",
        "strength": "strength {n} (co-mentions + visits + meetings)",
        "visits_trace": "visit direction",
        "pairs_trace": "country pairs",
        "countries_trace": "mentions",
    },
}


def pair_key(a: str, b: str) -> str:
    """The key of an unordered pair: the two ISO-3 codes sorted, joined by a hyphen."""
    x, y = sorted((a, b))
    return f"{x}-{y}"


def map_config() -> dict:
    """Config for st.plotly_chart: the base map comes from the app's static folder.

    Relative, so it keeps working when the app is served under a URL prefix. Plotly asks for
    ``<topojsonURL><scope>_<resolution>m.json``, i.e. ``world_110m.json`` for our layout.
    """
    return {"topojsonURL": "app/static/topojson/", "displaylogo": False}


@lru_cache(maxsize=1)
def topojson_centroids() -> dict[str, tuple[float, float]]:
    """ISO-3 -> (lat, lon) of each country's largest polygon, from the shipped base map.

    Fallback for countries the entities table has no coordinates for.
    """
    try:
        data = json.loads(Path(WORLD_TOPOJSON).read_text(encoding="utf-8"))
    except OSError:
        return {}
    out = {}
    for geom in data["objects"]["countries"]["geometries"]:
        ct = (geom.get("properties") or {}).get("ct")
        if geom.get("id") and ct:
            out[geom["id"]] = (float(ct[1]), float(ct[0]))
    return out


# ---------------------------------------------------------------- queries


def _in_view(frame: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Rows of frame whose article passed the filters (is in ``articles``)."""
    if frame is None or frame.empty:
        return frame.iloc[0:0] if frame is not None else pd.DataFrame()
    return frame[rows_in(frame, articles)]


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
    mapped = mentions["entity_id"].map(countries).astype(object)
    # A mention whose entity is missing from the table but typed "country" is its own ISO code.
    own = mapped.isna() & (mentions["type"] == "country")
    rows = mentions.assign(country=mapped.where(~own, mentions["entity_id"]))
    rows = rows[rows["country"].notna()].copy()
    rows["direct"] = rows["type"] == "country"
    return rows


_MENTION_COLUMNS = ["article_id", "article_pos", "entity_id", "type", "sentence", "published"]


def _all_country_rows(mentions: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """The country mention rows of every article, worked out once per corpus (``derived``):
    the per-filter queries below only pick their share."""

    def build(m, e):
        rows = _country_mentions_rows(m[[c for c in _MENTION_COLUMNS if c in m]], e)
        if len(rows) and not isinstance(rows["sentence"].dtype, pd.CategoricalDtype):
            # Joined on for co-mentions: integer codes, and one copy of each sentence.
            codes, sentences = pd.factorize(rows["sentence"])
            rows["sentence"] = pd.Categorical.from_codes(codes, categories=sentences)
        return rows

    return derived("relations.country_rows", build, mentions, entities)


def _country_rows_in_view(
    mentions: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame
) -> pd.DataFrame:
    """The country mention rows of the articles in view, ready to count."""
    if mentions is None or mentions.empty:
        return _country_mentions_rows(mentions, entities)

    def for_counting(rows):
        # Counted per filter change: a category groups faster than strings, and the flag
        # makes "articles per country" a sum instead of a distinct count.
        rows = rows.drop(columns=["published", "sentence"], errors="ignore")
        rows["first_in_article"] = ~rows.duplicated(["article_id", "country"]).to_numpy()
        rows["country"] = rows["country"].astype("category")
        return rows

    counted = derived(
        "relations.country_counts", for_counting, _all_country_rows(mentions, entities)
    )
    return _in_view(counted, articles)


def _names(entities: pd.DataFrame, lang: str) -> dict[str, str]:
    names: dict[str, str] = {}
    if entities is not None and not entities.empty:
        col = "name_zh" if lang == "zh" else "name_en"
        for row in entities[entities["type"] == "country"].itertuples(index=False):
            value = getattr(row, col)
            if isinstance(value, str) and value:
                names[row.entity_id] = value
    return names


def country_name(code: str, names: dict[str, str], lang: str = "zh") -> str:
    if code in names:
        return names[code]
    if lang == "en":
        import pycountry

        found = pycountry.countries.get(alpha_3=code)
        if found is not None:
            return getattr(found, "common_name", None) or found.name
    return code


def _coords(entities: pd.DataFrame) -> dict[str, tuple[float, float]]:
    coords = dict(topojson_centroids())
    if entities is not None and not entities.empty:
        ent = entities[(entities["type"] == "country") & entities["lat"].notna()]
        ent = ent[ent["lon"].notna()]
        for row in ent.itertuples(index=False):
            coords[row.entity_id] = (float(row.lat), float(row.lon))
    return coords


def country_mentions(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    lang: str = "zh",
) -> pd.DataFrame:
    """One row per country: mentions (direct + indirect), articles, display name, centroid.

    Sorted by mentions, most first.
    """
    rows = _country_rows_in_view(mentions, entities, articles)
    if rows.empty:
        return pd.DataFrame(columns=COUNTRY_COLUMNS)
    grouped = rows.groupby("country", observed=True)
    out = pd.DataFrame(
        {
            "mentions": grouped.size(),
            "direct": grouped["direct"].sum().astype(int),
            "articles": (
                grouped["first_in_article"].sum().astype(int)
                if "first_in_article" in rows
                else grouped["article_id"].nunique()
            ),
        }
    )
    out["indirect"] = out["mentions"] - out["direct"]
    out.index = out.index.astype(str)
    out = out.reset_index()
    names = _names(entities, lang)
    coords = _coords(entities)
    out["name"] = [country_name(c, names, lang) for c in out["country"]]
    out["lat"] = [coords.get(c, (math.nan, math.nan))[0] for c in out["country"]]
    out["lon"] = [coords.get(c, (math.nan, math.nan))[1] for c in out["country"]]
    out = out.sort_values(["mentions", "country"], ascending=[False, True], kind="stable")
    return out[COUNTRY_COLUMNS].reset_index(drop=True)


def _co_mention_rows(country_rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, pair of different countries named in it), from country
    mention rows; keeps ``article_pos`` and ``published`` when the rows have them."""
    keys = [c for c in ("article_id", "article_pos", "sentence") if c in country_rows]
    extra = ["published"] if "published" in country_rows else []
    cols = [*keys, *extra, "a", "b", "pair"]
    if country_rows.empty:
        return pd.DataFrame(columns=cols)
    per_sentence = country_rows[[*keys, "country"]].drop_duplicates()
    if extra:  # one article, one date: carried along, not matched on
        per_sentence = per_sentence.join(country_rows["published"])
    merged = per_sentence.merge(per_sentence.drop(columns=extra), on=keys, suffixes=("_x", "_y"))
    merged = merged[merged["country_x"] < merged["country_y"]]
    if merged.empty:
        return pd.DataFrame(columns=cols)
    merged = merged.rename(columns={"country_x": "a", "country_y": "b"})
    merged["pair"] = merged["a"] + "-" + merged["b"]
    return merged[cols].reset_index(drop=True)


def _co_rows_in_view(
    mentions: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame
) -> pd.DataFrame:
    """Co-mention rows of the articles in view (per-corpus work done once, see above)."""
    if mentions is None or mentions.empty:
        return _co_mention_rows(_country_mentions_rows(mentions, entities))

    def build(rows):
        co = _co_mention_rows(rows)
        if "published" in co:
            co["when"] = pd.to_datetime(co["published"], errors="coerce")
            co = co.drop(columns=["published"])
        for column in ("a", "b", "pair"):  # grouped on every filter change; few values
            co[column] = co[column].astype("category")
        return co

    return _in_view(
        derived("relations.co_rows", build, _all_country_rows(mentions, entities)), articles
    )


def _pair_events(events: pd.DataFrame) -> pd.DataFrame:
    """Visits and meetings between two different known countries, with their pair and
    story; ``when`` is the event date, else the article date when the events carry it."""
    ev = events[events["kind"].isin(VISIT_KINDS + MEETING_KINDS)]
    ev = ev[ev["from_country"].notna() & ev["to_country"].notna()]
    ev = ev[(ev["from_country"] != "") & (ev["to_country"] != "")]
    ev = ev[ev["from_country"] != ev["to_country"]].copy()
    ev["a"] = ev[["from_country", "to_country"]].min(axis=1)
    ev["b"] = ev[["from_country", "to_country"]].max(axis=1)
    ev["pair"] = ev["a"] + "-" + ev["b"]
    if "story_id" in ev.columns:
        ev["story"] = ev["story_id"].where(ev["story_id"].notna(), ev["event_id"])
    else:
        ev["story"] = ev["event_id"]
    ev["when"] = pd.to_datetime(ev["date"], errors="coerce")
    if "article_published" in ev:
        ev["when"] = ev["when"].fillna(pd.to_datetime(ev["article_published"], errors="coerce"))
    return ev


def _event_rows(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Visits and meetings between two different known countries in the articles in view,
    dated (event date, else article date), with their pair."""
    cols = ["event_id", "article_id", "kind", "from_country", "to_country", "date", "evidence"]
    if events is None or events.empty:
        return pd.DataFrame(columns=[*cols, "a", "b", "pair", "story", "when"])
    ev = _in_view(derived("relations.pair_events", _pair_events, events), articles)
    if "article_published" not in ev and not ev.empty:
        published = ev["article_id"].map(
            articles.drop_duplicates("article_id").set_index("article_id")["published"]
        )
        ev = ev.assign(when=ev["when"].fillna(pd.to_datetime(published, errors="coerce")))
    return ev


@dataclass(frozen=True)
class _PairEventCodes:
    """The pair events (see _pair_events) as integer codes, built once per events table."""

    frame: pd.DataFrame  # the pair events, to find the rows of a selection
    pair: np.ndarray  # code into ``pairs``
    pairs: np.ndarray
    story: np.ndarray
    visit: np.ndarray
    meeting: np.ndarray
    a_to_b: np.ndarray  # from_country is the pair's first country
    when: pd.Series  # event date, else article date


def _pair_event_codes(events: pd.DataFrame) -> _PairEventCodes:
    ev = _pair_events(events)
    pair, pairs = codes_of(ev["pair"])
    story, _ = codes_of(ev["story"])
    kind = ev["kind"].to_numpy(dtype=object)
    return _PairEventCodes(
        frame=ev,
        pair=pair,
        pairs=pairs,
        story=story,
        visit=np.isin(kind, VISIT_KINDS),
        meeting=np.isin(kind, MEETING_KINDS),
        a_to_b=(ev["from_country"] == ev["a"]).to_numpy(dtype=bool),
        when=ev["when"].reset_index(drop=True),
    )


def _event_parts(codes: _PairEventCodes, articles: pd.DataFrame) -> list[pd.DataFrame]:
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
    rows = np.flatnonzero(chosen)
    span = (
        pd.DataFrame({"pair": codes.pair[rows], "when": codes.when.iloc[rows].to_numpy()})
        .groupby("pair")
        .agg(first_e=("when", "min"), last_e=("when", "max"))
    )
    span.index = pd.Index(codes.pairs[span.index.to_numpy()].astype(str), name="pair")
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


def _plain_event_parts(ev: pd.DataFrame) -> list[pd.DataFrame]:
    """What _event_parts gives, from the event rows in view with pandas."""
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
    span = ev.groupby("pair").agg(first_e=("when", "min"), last_e=("when", "max"))
    return [pd.DataFrame({"visits_ab": ab, "visits_ba": ba, "meetings": meets}), span]


def country_pairs(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    events: pd.DataFrame,
) -> pd.DataFrame:
    """One row per unordered country pair (a < b): co-mentions, visits a->b and b->a,
    meetings, strength, first and last date. Sorted by strength, strongest first."""
    co = _co_rows_in_view(mentions, entities, articles)
    if "when" not in co:
        if "published" not in co:
            published = articles.drop_duplicates("article_id").set_index("article_id")
            co = co.assign(published=co["article_id"].map(published["published"]))
        co = co.assign(when=pd.to_datetime(co["published"], errors="coerce"))
    parts = []
    if not co.empty:
        c = co.groupby("pair", observed=True).agg(
            co_mentions=("pair", "size"), first_c=("when", "min"), last_c=("when", "max")
        )
        c.index = c.index.astype(str)
        parts.append(c)
    if events is not None and "article_published" in events:  # as corpus.prepare leaves them
        codes = derived("relations.pair_event_codes", _pair_event_codes, events)
        parts += _event_parts(codes, articles)
    else:  # events given without their article's date (tables built by hand)
        parts += _plain_event_parts(_event_rows(events, articles))
    if not parts:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    out = pd.concat(parts, axis=1)
    for col in ("co_mentions", "visits_ab", "visits_ba", "meetings"):
        out[col] = out[col].fillna(0).astype(int) if col in out else 0
    firsts = [out[c] for c in ("first_c", "first_e") if c in out]
    lasts = [out[c] for c in ("last_c", "last_e") if c in out]
    out["first"] = pd.concat(firsts, axis=1).min(axis=1)
    out["last"] = pd.concat(lasts, axis=1).max(axis=1)
    out["first"] = out["first"].dt.date
    out["last"] = out["last"].dt.date
    out["strength"] = out["co_mentions"] + out["visits_ab"] + out["visits_ba"] + out["meetings"]
    out.index.name = "pair"
    out = out.reset_index()
    out["a"] = out["pair"].str.split("-").str[0]
    out["b"] = out["pair"].str.split("-").str[1]
    out = out.sort_values(["strength", "pair"], ascending=[False, True], kind="stable")
    return out[PAIR_COLUMNS].reset_index(drop=True)


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
    meeting, with article_id, outlet (source), publication date, the event date, the kind
    (``co-mention``, ``visit``, ``departure``, ``meeting``; summits count as meetings) and,
    for events, from_country/to_country. Oldest first.
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
                "article_id": co["article_id"],
                "date": pd.NaT,
                "sentence": co["sentence"],
            }
        )
    ]
    ev = _event_rows(events, articles)
    ev = ev[ev["pair"] == key]
    if not ev.empty:
        kind = ev["kind"].where(~ev["kind"].isin(MEETING_KINDS), "meeting")
        rows.append(
            pd.DataFrame(
                {
                    "pair": key,
                    "kind": kind,
                    "from_country": ev["from_country"],
                    "to_country": ev["to_country"],
                    "article_id": ev["article_id"],
                    "date": ev["when"],
                    "sentence": ev["evidence"],
                }
            )
        )
    out = pd.concat([r for r in rows if not r.empty] or [rows[0]], ignore_index=True)
    out["source"] = out["article_id"].map(art["source"])
    out["published"] = out["article_id"].map(art["published"])
    out["date"] = pd.to_datetime(out["date"], errors="coerce").fillna(
        pd.to_datetime(out["published"], errors="coerce")
    )
    out["date"] = out["date"].dt.date
    out = out.sort_values(["date", "article_id", "kind"], kind="stable", na_position="last")
    return out[EVIDENCE_COLUMNS].reset_index(drop=True)


def pair_strength_over_time(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    entities: pd.DataFrame,
    events: pd.DataFrame,
    pair,
    freq: str = "W",
) -> pd.DataFrame:
    """Counts per period (``W`` weeks starting Monday, ``M`` months) for one pair:
    period (start date), co_mentions, visits, meetings, strength. Empty periods in between
    are kept as zeros so a line chart does not join distant points."""
    ev = pair_evidence(articles, mentions, entities, events, pair)
    cols = ["period", "co_mentions", "visits", "meetings", "strength"]
    ev = ev[ev["date"].notna()]
    if ev.empty:
        return pd.DataFrame(columns=cols)
    when = pd.to_datetime(ev["date"])
    period = when.dt.to_period("W-SUN" if freq == "W" else "M").dt.start_time
    kind = ev["kind"].map(
        lambda k: (
            "co_mentions" if k == "co-mention" else ("meetings" if k == "meeting" else "visits")
        )
    )
    table = pd.crosstab(period, kind)
    full = pd.date_range(
        table.index.min(), table.index.max(), freq="W-MON" if freq == "W" else "MS"
    )
    table = table.reindex(full, fill_value=0)
    for col in ("co_mentions", "visits", "meetings"):
        if col not in table:
            table[col] = 0
    table["strength"] = table["co_mentions"] + table["visits"] + table["meetings"]
    table.index.name = "period"
    out = table.reset_index()[cols]
    out["period"] = out["period"].dt.date
    for col in cols[1:]:
        out[col] = out[col].astype(int)
    return out


# ---------------------------------------------------------------- figures


def _to_xyz(lat: float, lon: float) -> tuple[float, float, float]:
    la, lo = math.radians(lat), math.radians(lon)
    return (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la))


def great_circle_point(
    start: tuple[float, float], end: tuple[float, float], fraction: float
) -> tuple[float, float]:
    """(lat, lon) at ``fraction`` of the way along the great circle from start to end —
    the path plotly draws a geo line along."""
    p, q = _to_xyz(*start), _to_xyz(*end)
    dot = max(-1.0, min(1.0, sum(a * b for a, b in zip(p, q, strict=True))))
    omega = math.acos(dot)
    if omega < 1e-9:
        return start
    s = math.sin(omega)
    w1, w2 = math.sin((1 - fraction) * omega) / s, math.sin(fraction * omega) / s
    x, y, z = (w1 * a + w2 * b for a, b in zip(p, q, strict=True))
    return (math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x)))


def bearing(start: tuple[float, float], end: tuple[float, float]) -> float:
    """Initial compass bearing (degrees clockwise from north) from start toward end."""
    la1, la2 = math.radians(start[0]), math.radians(end[0])
    dlon = math.radians(end[1] - start[1])
    x = math.sin(dlon) * math.cos(la2)
    y = math.cos(la1) * math.sin(la2) - math.sin(la1) * math.cos(la2) * math.cos(dlon)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


def destination_point(
    start: tuple[float, float], heading: float, arc: float
) -> tuple[float, float]:
    """(lat, lon) reached from start going ``arc`` radians of great circle at ``heading``."""
    la1, lo1, th = math.radians(start[0]), math.radians(start[1]), math.radians(heading)
    la2 = math.asin(math.sin(la1) * math.cos(arc) + math.cos(la1) * math.sin(arc) * math.cos(th))
    lo2 = lo1 + math.atan2(
        math.sin(th) * math.sin(arc) * math.cos(la1),
        math.cos(arc) - math.sin(la1) * math.sin(la2),
    )
    return (math.degrees(la2), (math.degrees(lo2) + 540) % 360 - 180)


def arrowhead(
    src: tuple[float, float], dst: tuple[float, float], at: float = 0.85
) -> list[tuple[float, float]]:
    """A closed triangle (lat, lon) on the src->dst great circle whose tip, at fraction
    ``at``, points at dst: [wing, tip, other wing, wing].

    Drawn as a filled geo polygon rather than a rotated marker symbol: plotly.js 3 turns
    north-referenced markers correctly only on a geo subplot's first trace (its plot loop
    sets ``_geo`` on ``e[0][0].trace`` only; the others fall back to 90 degrees, measured
    in chromium), so marker arrows behind a choropleth all point east.
    """
    p, q = _to_xyz(*src), _to_xyz(*dst)
    omega = math.acos(max(-1.0, min(1.0, sum(a * b for a, b in zip(p, q, strict=True)))))
    if omega < 1e-9:
        return [src]
    length = min(0.14 * omega, math.radians(6))
    tip = great_circle_point(src, dst, at)
    base = great_circle_point(src, dst, at - length / omega)
    heading = bearing(base, tip)
    wing1 = destination_point(base, heading - 90, 0.55 * length)
    wing2 = destination_point(base, heading + 90, 0.55 * length)
    return [wing1, tip, wing2, wing1]


def _pair_hover(row, names: dict[str, str], lang: str) -> str:
    t = _TEXT[lang]
    a_name, b_name = names.get(row.a, row.a), names.get(row.b, row.b)
    lines = [
        f"<b>{a_name} – {b_name}</b>",
        t["strength"].format(n=row.strength),
        t["co"].format(n=row.co_mentions),
    ]
    lines.append(t["visit"].format(a=a_name, b=b_name, n=row.visits_ab))
    lines.append(t["visit"].format(a=b_name, b=a_name, n=row.visits_ba))
    lines.append(t["meet"].format(n=row.meetings))
    if pd.notna(row.first):
        lines.append(t["span"].format(first=row.first, last=row.last))
    return "<br>".join(lines)


def relations_map(
    country_counts: pd.DataFrame, pairs: pd.DataFrame, lang: str = "zh", max_width: float = 10.0
) -> go.Figure:
    """The relations map.

    - choropleth (first trace): countries shaded by mentions, hover splits direct/indirect;
    - one line trace per pair, width by strength (name ``pair:<key>``, customdata = key);
    - a marker trace at each line's midpoint carrying the full explanation (customdata = key);
    - per visit direction a filled arrowhead on the line near the destination (name
      ``visit:<from>-><to>``, customdata = key), hover giving the number of visits.
    Framed on the countries in view (``fitbounds="locations"``). Country names and
    coordinates come from ``country_counts`` (columns of :func:`country_mentions`).
    """
    lang = lang if lang in _TEXT else "zh"
    t = _TEXT[lang]
    fig = go.Figure()
    counts = country_counts if country_counts is not None else pd.DataFrame(columns=COUNTRY_COLUMNS)
    # Names end up in hover HTML: escape them (plotly renders a subset of tags).
    names = {c: html.escape(str(n)) for c, n in zip(counts["country"], counts["name"], strict=True)}
    coords = {
        r.country: (float(r.lat), float(r.lon))
        for r in counts.itertuples(index=False)
        if pd.notna(r.lat) and pd.notna(r.lon)
    }
    for code, latlon in topojson_centroids().items():
        coords.setdefault(code, latlon)

    fig.add_trace(
        go.Choropleth(
            locations=list(counts["country"]),
            z=[int(v) for v in counts["mentions"]],
            locationmode="ISO-3",
            colorscale="Blues",
            zmin=0,
            zmax=max([int(v) for v in counts["mentions"]] or [1]),
            customdata=[
                [r.country, names[r.country], int(r.direct), int(r.indirect), int(r.articles)]
                for r in counts.itertuples(index=False)
            ],
            hovertemplate=t["country_hover"],
            colorbar={"title": {"text": t["colorbar"]}, "thickness": 12, "len": 0.6},
            marker={"line": {"color": "#555", "width": 0.5}},
            # Picking a pair must not fade the shading (plotly dims unselected points).
            selected={"marker": {"opacity": 1}},
            unselected={"marker": {"opacity": 1}},
            name=t["countries_trace"],
        )
    )

    pairs = pairs if pairs is not None else pd.DataFrame(columns=PAIR_COLUMNS)
    pairs = pairs[pairs["a"].isin(coords) & pairs["b"].isin(coords)]
    top = max([int(s) for s in pairs["strength"]] or [1])
    mid_lat, mid_lon, mid_key, mid_text, mid_size = [], [], [], [], []
    arrows = []
    for row in pairs.itertuples(index=False):
        a, b = coords[row.a], coords[row.b]
        width = 1.5 + (max_width - 1.5) * (int(row.strength) / top)
        path = [great_circle_point(a, b, f / 20) for f in range(21)]
        fig.add_trace(
            go.Scattergeo(
                lat=[p[0] for p in path],
                lon=[p[1] for p in path],
                mode="lines",
                line={"width": width, "color": "rgba(200, 60, 40, 0.7)"},
                customdata=[row.pair] * len(path),
                hoverinfo="skip",
                showlegend=False,
                name=f"pair:{row.pair}",
            )
        )
        mid = great_circle_point(a, b, 0.5)
        mid_lat.append(mid[0])
        mid_lon.append(mid[1])
        mid_key.append(row.pair)
        mid_text.append(_pair_hover(row, names, lang))
        mid_size.append(8 + 10 * int(row.strength) / top)
        for src, dst, (s_code, d_code), n in (
            (a, b, (row.a, row.b), int(row.visits_ab)),
            (b, a, (row.b, row.a), int(row.visits_ba)),
        ):
            if n <= 0:
                continue
            text = t["visit"].format(a=names.get(s_code, s_code), b=names.get(d_code, d_code), n=n)
            triangle = arrowhead(src, dst)
            arrows.append(
                go.Scattergeo(
                    lat=[v[0] for v in triangle],
                    lon=[v[1] for v in triangle],
                    mode="lines",
                    fill="toself",
                    fillcolor="rgb(130, 20, 10)",
                    line={"color": "white", "width": 1},
                    customdata=[row.pair] * len(triangle),
                    hovertext=[text] * len(triangle),
                    hoverinfo="text",
                    showlegend=False,
                    name=f"visit:{s_code}->{d_code}",
                )
            )
    fig.add_trace(
        go.Scattergeo(
            lat=mid_lat,
            lon=mid_lon,
            mode="markers",
            marker={
                "size": mid_size,
                "color": "rgb(200, 60, 40)",
                "line": {"color": "white", "width": 1},
            },
            customdata=mid_key,
            hovertext=mid_text,
            hoverinfo="text",
            name=t["pairs_trace"],
            showlegend=False,
        )
    )
    for arrow in arrows:  # on top of the lines
        fig.add_trace(arrow)
    fig.update_geos(
        scope="world",
        resolution=110,
        projection_type="natural earth",
        fitbounds="locations" if len(counts) else False,
        showcountries=True,
        countrycolor="#999",
        showland=True,
        landcolor="#f2f2f2",
        showocean=True,
        oceancolor="#e8f1f8",
        showframe=False,
    )
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=520, clickmode="event+select")
    return fig


def selected_pair(fig: go.Figure, selection) -> str | None:
    """The pair key a map selection points at (None when it points at no pair).

    ``selection`` is the ``selection`` part of st.plotly_chart's on_select event (a dict with
    ``points``); each point carries customdata or curve_number/point_index.
    """
    points = (selection or {}).get("points") or []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, str) and "-" in data:
            return data
        curve, index = point.get("curve_number"), point.get("point_index")
        if curve is None or index is None or not (0 <= curve < len(fig.data)):
            continue
        custom = fig.data[curve].customdata
        if custom is not None and index < len(custom) and isinstance(custom[index], str):
            return custom[index]
    return None


def strength_figure(over_time: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Stacked bars per period: co-mentions, visits, meetings (the pair's strength)."""
    labels = {
        "zh": {"co_mentions": "同句共现", "visits": "访问", "meetings": "会见/会谈"},
        "en": {"co_mentions": "co-mentions", "visits": "visits", "meetings": "meetings"},
    }[lang if lang in _TEXT else "zh"]
    colors = {"co_mentions": "#d98c7a", "visits": "#822014", "meetings": "#3b6fa0"}
    fig = go.Figure()
    for column, label in labels.items():
        fig.add_trace(
            go.Bar(
                x=list(over_time["period"]),
                y=[int(v) for v in over_time[column]],
                name=label,
                marker_color=colors[column],
                hovertemplate=f"%{{x}}: {label} %{{y}}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "y": -0.2},
        xaxis={"type": "date"},
    )
    return fig


def pairs_display(
    pairs: pd.DataFrame, country_counts: pd.DataFrame, lang: str = "zh"
) -> pd.DataFrame:
    """The pair table as shown: country names, then the numbers (same row order as pairs)."""
    names = dict(zip(country_counts["country"], country_counts["name"], strict=True))
    out = pd.DataFrame(
        {
            "pair": pairs["pair"],
            "a": [country_name(c, names, lang) for c in pairs["a"]],
            "b": [country_name(c, names, lang) for c in pairs["b"]],
        }
    )
    for column in PAIR_COLUMNS[3:]:  # the counts and dates, after pair, a, b
        out[column] = pairs[column].to_numpy()
    return out.reset_index(drop=True)


_KIND_LABELS = {
    "zh": {
        "co-mention": "同句共现",
        "visit": "访问",
        "departure": "启程前往",
        "meeting": "会见/会谈",
    },
    "en": {
        "co-mention": "co-mention",
        "visit": "visit",
        "departure": "departure",
        "meeting": "meeting",
    },
}


def kind_label(row: dict, names: dict[str, str], lang: str = "zh") -> str:
    """``访问 朝鲜→俄罗斯`` for a visit, ``同句共现`` for a co-mention (display text)."""
    labels = _KIND_LABELS[lang if lang in _KIND_LABELS else "zh"]
    text = labels.get(row["kind"], str(row["kind"]))
    if row["kind"] in VISIT_KINDS and row.get("from_country") and row.get("to_country"):
        a = country_name(row["from_country"], names, lang)
        b = country_name(row["to_country"], names, lang)
        text += f" {a}→{b}"
    return text
