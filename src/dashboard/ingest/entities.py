"""The entity stage: gazetteer matching, country abbreviations and a fallback for unknown names.

Three passes per article, all on ``text_simplified`` (same length as ``text``, so offsets hold):

1. One Aho-Corasick automaton (leftmost-longest) over every gazetteer alias *and* every outlet
   alias, run on a copy with spaces and name separators removed (阿列克谢 • 克里沃鲁奇科), offsets
   mapped back. Outlet hits only mask text: 朝中社 is KCNA, not a mention of the DPRK.
   Aliases of two characters must start on a word boundary of the tokenizer (小李强调 holds no
   李强, 其中国家 no 中国).
2. One-character country abbreviations (朝, 俄, 中 ...) count only inside compounds: runs of
   abbreviations (朝俄, 美日韩), after a verb of travel or stance (访朝, 赴俄, 驻韩, 对美) or
   before a compound suffix (俄方, 朝媒, 俄代表团, 俄副防长). 中央, 其中, 中期 stay words.
3. Fallback for names missing from the gazetteer: the tokenizer's POS tags (nr, nrt, nrfg, ns,
   nt), filtered hard, plus a "title + name" rule (校长金琴铁). Names that sound the same
   (same toneless pinyin) are one entity; a short name joins its full form (克里沃鲁奇科 after
   阿列克谢•克里沃鲁奇科). They are marked unverified: ``unverified:<name>``.

Only entities that are mentioned go into the ``entities`` table; the gazetteer stays the
reference for everything else (coordinates of unmentioned countries included).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs
import numpy as np
import pandas as pd

from ..common.textnorm import HAN, NAME_SEPARATORS, to_simplified
from ..tables.paths import GAZETTEER_CSV
from ..tables.schema import COLUMNS
from .cache import ResultCache, key_of, version_of
from .engine import Engine
from .gazetteer import (
    GAZETTEER_COLUMNS,
    SKIP_RE,
    TITLES_PATTERN,
    Gazetteer,
    Matcher,
    Mention,
    toneless_pinyin,
)
from .names import (
    GOVERNMENT_BODY_RE,
    NAMED_INSTITUTION_RE,
    fallback_candidates,
    pos_tag,
    short_forms,
)

UNVERIFIED = "unverified:"
_SENTENCE_END_RE = re.compile(r"[。！？!?\n]")
# A correspondent's posting in a byline (环球时报驻俄罗斯、德国特派特约记者): the countries there
# are where the reporters sit, not what the report is about.
_CORRESPONDENT_RE = re.compile(
    f"驻((?:[{HAN}]{{2,10}}?[、和及与])*[{HAN}]{{2,10}}?)(?:特派|特约|首席|常驻)*记者"
)


@dataclass(slots=True)
class _ArticleResult:
    article_id: str
    text: str
    simplified: str
    mentions: list[Mention]
    unverified: list[tuple[int, int, str, str]]  # start, end, type, name
    covered: bytearray  # characters taken by a mention or an outlet name
    boundaries: Positions  # token starts
    # start -> the gazetteer person a name there is not (匈牙利总统诺瓦克: not Russia's Novak)
    not_known: dict[int, str]


def _sentence_spans(text: str) -> tuple[list[int], list[int]]:
    starts, ends = [0], []
    for m in _SENTENCE_END_RE.finditer(text):
        ends.append(m.end())
        starts.append(m.end())
    ends.append(len(text))
    return starts, ends


def _nickname_shaped(text: str, s: int, e: int) -> bool:
    return e - s == 3 and text[e - 1] == "会"


# A country's one-character form that is a place's too: 澳 is Australia (中澳, 访澳) and Macau
# (澳葡关系, 港澳). In an article that names the place and not the country, it is the place.
SHARED_ABBREVIATIONS = {"AUS": "place:macau"}


def _shared_abbreviations(abbreviations: list[Mention], mentions: list[Mention]) -> list[Mention]:
    named = {m.entity_id for m in mentions}
    return [
        Mention(m.start, m.end, place, "place")
        if (place := SHARED_ABBREVIATIONS.get(m.entity_id)) in named and m.entity_id not in named
        else m
        for m in abbreviations
    ]


@lru_cache(maxsize=4)
def load_matcher(path: str | None = None) -> Matcher:
    """The automaton over the gazetteer at ``path``, built once per process."""
    from .outlets import load_registry

    gazetteer_path = Path(path) if path else GAZETTEER_CSV
    gazetteer = Gazetteer.load(gazetteer_path) if gazetteer_path.exists() else Gazetteer([])
    outlet_aliases = []
    for outlet in load_registry().outlets.values():
        outlet_aliases.extend([outlet.name_zh, *outlet.aliases])
    return Matcher(gazetteer, outlet_aliases)


_NAME_TAGS = frozenset({"nr", "nrt", "nrfg"})
_GLUED_PREPOSITIONS = frozenset("同与和跟及向对给被把让")


class Positions:
    """A set of character positions (token starts) as a bitmap: ``i in positions``."""

    __slots__ = ("bits",)

    def __init__(self, positions: list[int], size: int):
        self.bits = bytearray(size + 1)
        for i in positions:
            self.bits[i] = 1

    def __contains__(self, i: int) -> bool:
        return 0 <= i < len(self.bits) and self.bits[i] == 1


# 匈牙利总统诺瓦克 is not Russia's Novak: a name known for one country, announced by another
# country's office, is someone else of the same name (found again as an unverified name).
_OFFICE_BETWEEN = re.compile(f"(?:前|新任|副|代理|时任)?(?:{TITLES_PATTERN})")


def _not_of_another_country(
    mentions: list[Mention], text: str, matcher: Matcher
) -> tuple[list[Mention], dict[int, str]]:
    entities = matcher.gazetteer.entities
    countries = [m for m in mentions if m.type == "country"]
    kept, not_known = [], {}
    for m in mentions:
        if m.type == "person":
            own = entities[m.entity_id].country
            before = next((c for c in reversed(countries) if c.end <= m.start), None)
            if (
                before is not None
                and own
                and before.entity_id != own
                and _OFFICE_BETWEEN.fullmatch(text, before.end, m.start)
                and text[max(0, before.start - 1) : before.start] != "驻"  # 驻美国大使: a posting
            ):
                not_known[m.start] = m.entity_id
                continue
        kept.append(m)
    return kept, not_known


def analyse_article(
    matcher: Matcher, article_id: str, text: str, simplified: str
) -> _ArticleResult:
    tokens, starts = pos_tag(simplified)
    token_starts = starts.copy()
    token_starts[-1] = len(simplified)  # the text's end closes the last token
    # The tagger glues a preposition that is also a family name to the name after it (同莫迪,
    # 与普京 read as one name): a known name may start after it too.
    glued = [
        start + 1
        for (word, tag), start in zip(tokens, starts, strict=False)
        if tag in _NAME_TAGS and len(word) >= 3 and word[0] in _GLUED_PREPOSITIONS
    ]
    boundaries = Positions(token_starts + glued, len(simplified))
    mentions, masks = matcher.find(simplified, boundaries, token_starts)
    if "记者" in simplified:
        for posting in _CORRESPONDENT_RE.finditer(simplified):
            s, e = posting.span(1)
            masks.append((s, e))
            mentions = [m for m in mentions if not (m.type == "country" and s <= m.start < e)]
    mentions, not_known = _not_of_another_country(mentions, simplified, matcher)
    institutions: list[tuple[int, int, str]] = []
    bodies: list[Mention] = []
    for m in list(mentions):
        if m.type == "person" and (inst := NAMED_INSTITUTION_RE.match(simplified, m.end)):
            # 金日成 in 金日成军事综合大学 names the university, not the man.
            mentions.remove(m)
            institutions.append((m.start, inst.end(), simplified[m.start : inst.end()]))
        elif m.type == "country" and (body := GOVERNMENT_BODY_RE.match(simplified, m.end)):
            mentions.remove(m)
            # One name per body whichever form of the country precedes it (俄罗斯联邦国防部).
            canonical = matcher.gazetteer.entities[m.entity_id].name_zh + body.group(1)
            known = matcher.gazetteer.alias_to_id.get(canonical)
            if known is not None:
                bodies.append(
                    Mention(m.start, body.end(), known, matcher.gazetteer.entities[known].type)
                )
            else:
                institutions.append((m.start, body.end(), canonical))
    mentions.extend(bodies)
    # One byte per character (a list of bools costs eight): kept for every article until
    # names are resolved across the corpus.
    covered = bytearray(len(simplified) + 1)
    for s, e in masks:
        covered[s:e] = [True] * (e - s)
    for m in mentions:
        covered[m.start : m.end] = [True] * (m.end - m.start)
    mentions.extend(short_forms(simplified, mentions, covered, boundaries, token_starts))
    abbreviations = _shared_abbreviations(
        matcher.find_abbreviations(simplified, boundaries, covered), mentions
    )
    for m in abbreviations:
        covered[m.start] = True
    mentions.extend(abbreviations)
    unverified = []
    for s, e, name in institutions:
        covered[s:e] = [True] * (e - s)
        unverified.append((s, e, "org", name))
    fragments = matcher.gazetteer.fragments
    candidates = fallback_candidates(simplified, tokens, starts, covered, fragments)
    # The first characters of the persons named: a summit's nickname is two of them and 会
    # (胡奥会 of 胡锦涛 and 奥巴马, 金特会, 川金会), not a person.
    initials = {simplified[m.start] for m in mentions if m.type == "person"}
    # (奥巴马 may be tagged a place; a nickname-shaped candidate gives no initial of its own)
    initials |= {simplified[s] for s, e, _ in candidates if not _nickname_shaped(simplified, s, e)}
    for s, e, kind in candidates:
        if any(covered[s:e]):
            continue
        if _nickname_shaped(simplified, s, e) and {*simplified[s : e - 1]} <= initials:
            continue
        covered[s:e] = [True] * (e - s)
        name = simplified[s:e]
        # Latin names keep one space between words (Don Farrell); Chinese ones lose it.
        name = " ".join(name.split()) if name.isascii() else SKIP_RE.sub("", name)
        unverified.append((s, e, kind, name))
    return _ArticleResult(
        article_id, text, simplified, mentions, unverified, covered, boundaries, not_known
    )


def _resolve_unverified(results: list[_ArticleResult], matcher: Matcher) -> None:
    """Give every fallback name an id: a gazetteer entity that sounds the same, or one shared
    ``unverified:`` id per sound; short names join their full form in the same article."""
    sound_index = matcher.gazetteer.sound_index if any(r.unverified for r in results) else {}
    # Names found anywhere in the corpus are mentions wherever else they occur, too.
    names = sorted({name for r in results for *_, name in r.unverified if len(name) >= 2})
    # A name cut short by the tagger (金琴 of 金琴铁) takes the longer name found elsewhere.
    by_prefix = sorted(names, key=len, reverse=True)
    for r in results:
        for k, (s, e, kind, name) in enumerate(r.unverified):
            for longer in by_prefix:
                if len(longer) <= len(name):
                    break
                if longer.startswith(name) and r.simplified.startswith(longer, s):
                    end = s + len(longer)
                    if not any(r.covered[e:end]):
                        r.unverified[k] = (s, end, kind, longer)
                        r.covered[e:end] = [True] * (end - e)
                    break
    if names:
        extra = ahocorasick_rs.AhoCorasick(
            names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        kinds: dict[str, str] = {}
        for r in results:
            for _, _, kind, name in r.unverified:
                kinds.setdefault(name, kind)
        for r in results:
            for index, s, e in extra.find_matches_as_indexes(r.simplified):
                # Same rule as for gazetteer aliases: a short name must start a word.
                if any(r.covered[s:e]) or (e - s <= 2 and s not in r.boundaries):
                    continue
                r.unverified.append((s, e, kinds[names[index]], names[index]))
                r.covered[s:e] = [True] * (e - s)

    sound_groups: dict[str, str] = {}  # toneless pinyin -> canonical name

    def by_sound(name: str) -> str:
        return sound_groups.setdefault(toneless_pinyin(name), name)

    # Full names (阿列克谢•克里沃鲁奇科) first, keyed by the sound of their last part.
    local_fulls: list[dict[str, str]] = []
    corpus_fulls: dict[str, set[str]] = defaultdict(set)
    for r in results:
        local: dict[str, str] = {}
        for s, e, _kind, name in r.unverified:
            piece = r.simplified[s:e]
            if any(c in NAME_SEPARATORS for c in piece):
                last = toneless_pinyin(re.split(f"[{re.escape(NAME_SEPARATORS)}]", piece)[-1])
                canonical = by_sound(name)
                local.setdefault(last, canonical)
                corpus_fulls[last].add(canonical)
        local_fulls.append(local)

    for r, local in zip(results, local_fulls, strict=True):
        groups: dict[str, str] = {}
        for *_, name in r.unverified:
            sound = toneless_pinyin(name)
            if sound in local:  # the short form of a full name in the same article
                groups[name] = local[sound]
            elif len(corpus_fulls.get(sound, ())) == 1:  # ... or of the only such name anywhere
                groups[name] = next(iter(corpus_fulls[sound]))
            else:
                groups[name] = by_sound(name)
        for s, e, kind, name in r.unverified:
            canonical = groups[name]
            known = sound_index.get(toneless_pinyin(canonical))
            if known is None and canonical != name:
                known = sound_index.get(toneless_pinyin(name))
            if known is None and name.isascii():  # Don Farrell after a title
                known = matcher.gazetteer.latin_index.get(re.sub(r"[\s.-]", "", name).lower())
            if known is not None and r.not_known.get(s) == known:
                known = None  # another country's office named someone else of that name
            if known is not None:
                r.mentions.append(Mention(s, e, known, matcher.gazetteer.entities[known].type))
            else:
                r.mentions.append(Mention(s, e, UNVERIFIED + canonical, kind, verified=False))


def _analysis_key(_matcher: Matcher, row: tuple[str, str, str]) -> str:
    """An article's analysis depends on its text only, not on its id."""
    _article_id, text, simplified = row
    return key_of(text, simplified)


def _analyse_chunk(matcher: Matcher, rows: list[tuple[str, str, str]]) -> list[_ArticleResult]:
    # Returned without the texts (the caller has them): smaller to pass back and to cache.
    return [
        dataclasses.replace(analyse_article(matcher, aid, text, simplified), text="", simplified="")
        for aid, text, simplified in rows
    ]


def extract(
    articles: pd.DataFrame,
    matcher: Matcher,
    progress=None,
    engine: Engine | None = None,
    cache: ResultCache | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``mentions`` and ``entities`` tables of ``articles`` (article_id, text, text_simplified).

    Articles are analysed independently (by ``engine``); names are then resolved across the
    whole corpus in this process, so the output does not depend on the engine.
    """
    rows = list(
        zip(
            articles["article_id"].tolist(),
            [t or "" for t in articles["text"].tolist()],
            [t or "" for t in articles["text_simplified"].tolist()],
            strict=True,
        )
    )
    if progress is not None:
        progress("entities", 0, len(rows))
    cache = cache or ResultCache(None, "")
    results = cache.map(_analyse_chunk, rows, _analysis_key, engine, matcher)
    # The texts go back in; a cached result may be the same text under another id.
    results = [
        dataclasses.replace(r, article_id=aid, text=text, simplified=simplified)
        for r, (aid, text, simplified) in zip(results, rows, strict=True)
    ]
    _resolve_unverified(results, matcher)
    return build_tables(results, matcher.gazetteer)


def run(ctx) -> None:
    path = ctx.options.get("gazetteer")
    matcher = load_matcher(str(path) if path else None)
    if not matcher.gazetteer.entities:
        ctx.report.notices.append(
            f"gazetteer {path or GAZETTEER_CSV} missing or empty: only the fallback found names"
        )
    version = version_of(
        "ingest/entities.py",
        "ingest/gazetteer.py",
        "ingest/names.py",
        "common/textnorm.py",
        "ingest/outlets.py",
        "outlets.csv",
        path or GAZETTEER_CSV,
    )
    mentions, entities = extract(
        ctx.tables["articles"],
        matcher,
        ctx.progress,
        ctx.options.get("engine"),
        ctx.caches.stage("entities", version),
    )
    ctx.tables["mentions"] = mentions
    ctx.tables["entities"] = entities
    ctx.report.counts["unverified entities"] = int((~entities["verified"]).sum())
    ctx.report.counts["unverified mentions"] = int(
        mentions["entity_id"].str.startswith(UNVERIFIED).sum()
    )


def build_tables(
    results: list[_ArticleResult], gazetteer: Gazetteer
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mentions and entities tables. Empties ``results`` as it goes (each article's
    result is freed once its rows are taken): at 100,000 articles they hold 600 MB."""
    # Column lists, one string object per distinct surface and per sentence: a tuple and a
    # fresh sentence copy per mention took most of the stage's memory at 100,000 articles.
    # Positions go into int64 arrays, not lists of Python ints.
    ids, entity_ids, surface_col, types_col, sentence_col = ([] for _ in range(5))
    starts_col, ends_col = array("q"), array("q")
    shared: dict[str, str] = {}
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for i, r in enumerate(results):
        results[i] = None
        starts, ends = _sentence_spans(r.text)
        sentences: dict[int, str] = {}
        for m in sorted(r.mentions, key=lambda m: m.start):
            k = bisect.bisect_right(starts, m.start) - 1
            if k not in sentences:
                sentences[k] = r.text[starts[k] : ends[k]].strip()
            surface = r.text[m.start : m.end]
            surface = shared.setdefault(surface, surface)
            ids.append(r.article_id)
            entity_ids.append(m.entity_id)
            surface_col.append(surface)
            types_col.append(m.type)
            starts_col.append(m.start)
            ends_col.append(m.end)
            sentence_col.append(sentences[k])
            surfaces[m.entity_id][surface] += 1
    columns = (
        ids,
        entity_ids,
        surface_col,
        types_col,
        np.frombuffer(starts_col, dtype=np.int64),
        np.frombuffer(ends_col, dtype=np.int64),
        sentence_col,
    )
    mentions = (
        pd.DataFrame(dict(zip(COLUMNS["mentions"], columns, strict=True)))
        if ids
        else pd.DataFrame([], columns=COLUMNS["mentions"])
    )
    mentions["start"] = mentions["start"].astype("int64")
    mentions["end"] = mentions["end"].astype("int64")

    entity_rows = []
    # .tolist(): iterating an Arrow-backed column item by item is slow.
    types = dict(zip(mentions["entity_id"].tolist(), mentions["type"].tolist(), strict=False))
    for entity_id, counter in surfaces.items():
        e = gazetteer.entities.get(entity_id)
        if e is not None:
            aliases = list(dict.fromkeys([*e.aliases, *counter]))
            entity_rows.append(
                (e.entity_id, e.type, e.name_zh, e.name_en, aliases, e.country, e.lat, e.lon, True)
            )
        else:
            name = entity_id[len(UNVERIFIED) :]
            aliases = list(dict.fromkeys(SKIP_RE.sub("", s) for s in counter))
            entity_rows.append(
                (entity_id, types[entity_id], name, "", aliases, "", None, None, False)
            )
    entities = pd.DataFrame(entity_rows, columns=COLUMNS["entities"])
    entities["lat"] = entities["lat"].astype("float64")
    entities["lon"] = entities["lon"].astype("float64")
    entities["verified"] = entities["verified"].astype("bool")
    return mentions, entities


def suggest_rows(tables: dict[str, pd.DataFrame], limit: int = 50) -> pd.DataFrame:
    """The most frequent unverified names, as gazetteer rows ready to paste (ids to be edited)."""
    mentions = tables["mentions"]
    unverified = mentions[mentions["entity_id"].str.startswith(UNVERIFIED)]
    if unverified.empty:
        return pd.DataFrame(columns=[*GAZETTEER_COLUMNS, "mentions"])
    counts = unverified.groupby("entity_id").agg(
        type=("type", "first"), mentions=("surface", "size"), surfaces=("surface", list)
    )
    counts = counts.sort_values("mentions", ascending=False).head(limit)
    rows = []
    for entity_id, row in counts.iterrows():
        name = entity_id[len(UNVERIFIED) :]
        variants = Counter(SKIP_RE.sub("", s) for s in row["surfaces"])
        full_forms = [s for s in row["surfaces"] if any(c in NAME_SEPARATORS for c in s)]
        aliases = list(
            dict.fromkeys([*full_forms, *variants, *(to_simplified(s) for s in row["surfaces"])])
        )
        slug = "_".join(toneless_pinyin(name).split())
        rows.append(
            {
                "entity_id": f"{row['type']}:{slug}",
                "type": row["type"],
                "name_zh": name,
                "name_en": "",
                "aliases": "|".join(a for a in aliases if a != name),
                "country": "",
                "lat": "",
                "lon": "",
                "abbrev": "",
                "mentions": int(row["mentions"]),
            }
        )
    return pd.DataFrame(rows, columns=[*GAZETTEER_COLUMNS, "mentions"])
