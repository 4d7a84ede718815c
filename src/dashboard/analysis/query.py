"""Boolean queries over the articles, as Media Cloud takes them: words, "quoted phrases",
entities, AND / OR / NOT and parentheses.

    朝鲜 AND 俄罗斯        both words (a space between words means AND too: 朝鲜 俄罗斯)
    访问 NOT 取消          the first word without the second
    (普京 OR 拉夫罗夫) 平壤  either name, and the place
    "战略伙伴关系"          a phrase as written (quotes: "…", “…” or 「…」)
    entity:PRK            every article that names the entity, by any of its names (the
                          entities table's mentions: 朝鲜, 北韩, 朝鮮 ...); entity:普京 and
                          entity:"North Korea" work too, when no other entity has that name

Operators are written in capitals or not (AND, and); NOT binds tightest, then AND, then OR.
Words and phrases are found in the Simplified copy of title and text, so a Traditional query
finds Simplified articles and the other way round; Latin letters match in any case.

``parse_query`` turns the text into a ``Query`` (or raises ``QueryError`` with a reason the
page can say); ``query_mask`` says which articles of the corpus match (per corpus and query,
filter-independent; a filter change only indexes it).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..common.textnorm import to_simplified
from .corpus import Corpus
from .entities import mention_index
from .filters import article_positions, derived
from .search import term_mask

MAX_QUERY = 200  # characters of one query
MAX_ATOMS = 12  # words, phrases and entities in one query
ENTITY_PREFIX = "entity:"
OPERATORS = ("AND", "OR", "NOT")
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}


class QueryError(ValueError):
    """A query that cannot be read. ``reason``: empty, quote, paren, operator, entity,
    too_long; ``detail``: the part at fault (an unknown entity's id, say)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Query:
    """A parsed query. ``tree``: ("word", text) | ("entity", id) | ("not", node) |
    ("and", nodes) | ("or", nodes). ``words`` and ``entities``: those not under a NOT, the
    ones an article is marked for."""

    text: str
    tree: tuple
    words: tuple[str, ...]
    entities: tuple[str, ...]

    @property
    def key(self) -> str:
        """The query's meaning as text (the same for 朝鲜 AND 俄罗斯 and 朝鲜 and 俄罗斯)."""
        return repr(self.tree)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value): ("(", ""), (")", ""), ("op", "AND"), ("word", w), ("phrase", p)."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()（）":
            tokens.append(("(" if c in "(（" else ")", ""))
            i += 1
        elif c in _QUOTES:
            close = text.find(_QUOTES[c], i + 1)
            if close < 0:
                raise QueryError("quote", text[i:])
            phrase = text[i + 1 : close]
            if phrase.strip():
                tokens.append(("phrase", phrase))
            i = close + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "()（）" + "".join(_QUOTES):
                j += 1
            word = text[i:j]
            tokens.append(("op", word.upper()) if word.upper() in OPERATORS else ("word", word))
            i = j
    return tokens


class _Parser:
    """or := and (OR and)* ; and := not ((AND)? not)* ; not := NOT not | atom ;
    atom := word | phrase | entity | ( or )"""

    def __init__(self, tokens, resolve):
        self.tokens, self.at, self.resolve, self.atoms = tokens, 0, resolve, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def parse(self) -> tuple:
        if not self.tokens:
            raise QueryError("empty")
        node = self.or_()
        if self.peek() is not None:
            kind, value = self.peek()
            raise QueryError("paren" if kind == ")" else "operator", value or kind)
        return node

    def or_(self) -> tuple:
        nodes = [self.and_()]
        while self.peek() == ("op", "OR"):
            self.at += 1
            nodes.append(self.and_())
        return nodes[0] if len(nodes) == 1 else ("or", tuple(nodes))

    def and_(self) -> tuple:
        nodes = [self.not_()]
        while (token := self.peek()) is not None and token[0] != ")" and token != ("op", "OR"):
            if token == ("op", "AND"):
                self.at += 1
            nodes.append(self.not_())
        return nodes[0] if len(nodes) == 1 else ("and", tuple(nodes))

    def not_(self) -> tuple:
        if self.peek() == ("op", "NOT"):
            self.at += 1
            return ("not", self.not_())
        return self.atom()

    def atom(self) -> tuple:
        token = self.peek()
        if token is None:
            raise QueryError("operator", self.tokens[-1][1] if self.tokens else "")
        kind, value = token
        self.at += 1
        if kind == "(":
            node = self.or_()
            if self.peek() != (")", ""):
                raise QueryError("paren", "(")
            self.at += 1
            return node
        if kind in (")", "op"):
            raise QueryError("paren" if kind == ")" else "operator", value or kind)
        self.atoms += 1
        if self.atoms > MAX_ATOMS:
            raise QueryError("too_long", str(MAX_ATOMS))
        if kind == "word" and value.casefold().startswith(ENTITY_PREFIX):
            name = value[len(ENTITY_PREFIX) :]
            following = self.peek()
            if not name and following is not None and following[0] == "phrase":
                name = following[1]  # entity:"North Korea"
                self.at += 1
            return ("entity", self.resolve(name.strip()))
        return ("word", to_simplified(value).casefold())


def _positive(node: tuple, kind: str, negated: bool = False) -> list[str]:
    if node[0] == kind:
        return [] if negated else [node[1]]
    if node[0] == "not":
        return _positive(node[1], kind, not negated)
    if node[0] in ("and", "or"):
        return [v for child in node[1] for v in _positive(child, kind, negated)]
    return []


def parse_query(text: str, entity_names: Mapping[str, str] | None = None) -> Query:
    """Read one query (see the module docstring). ``entity_names``: every entity id and
    name the corpus knows -> its id (``entity_lookup``); without it an entity:… is taken
    as an id as written."""
    text = str(text or "").strip()
    if len(text) > MAX_QUERY:
        raise QueryError("too_long", str(MAX_QUERY))

    def resolve(name: str) -> str:
        if entity_names is None:
            if not name:
                raise QueryError("entity", name)
            return name
        found = entity_names.get(name) or entity_names.get(to_simplified(name).casefold())
        if not found:
            raise QueryError("entity", name)
        return found

    tree = _Parser(_tokens(text), resolve).parse()
    words = tuple(dict.fromkeys(_positive(tree, "word")))
    entities = tuple(dict.fromkeys(_positive(tree, "entity")))
    return Query(text, tree, words, entities)


def entity_lookup(corpus: Corpus) -> dict[str, str]:
    """Entity id -> id, and each Chinese or English name (Simplified, any case) -> id when
    only one entity goes by it: what an ``entity:…`` may name. Once per corpus."""

    def build(entities) -> dict[str, str]:
        lookup: dict[str, str] = {}
        by_name: dict[str, set[str]] = {}
        for eid, zh, en in zip(
            entities["entity_id"], entities["name_zh"], entities["name_en"], strict=True
        ):
            if not isinstance(eid, str) or not eid:
                continue
            lookup[eid] = eid
            by_name.setdefault(eid.casefold(), set()).add(eid)
            for name in (zh, en):
                if isinstance(name, str) and name.strip():
                    by_name.setdefault(to_simplified(name.strip()).casefold(), set()).add(eid)
        for name, ids in by_name.items():
            if len(ids) == 1:
                lookup.setdefault(name, next(iter(ids)))
        return lookup

    return derived("query.entity_lookup", build, corpus.entities)


# ---------------------------------------------------------------- matching

_MASKS: dict[tuple, tuple[weakref.ref, np.ndarray]] = {}


def entity_mask(corpus: Corpus, entity_id: str) -> np.ndarray:
    """Boolean array over ``corpus.articles``: the article mentions the entity (any name)."""
    index = mention_index(corpus)
    codes = np.flatnonzero(index.entity_ids == entity_id)
    found = np.zeros(len(corpus.articles), dtype=bool)
    if len(codes):
        rows = np.isin(index.entity, codes) & index.has_entity
        positions = article_positions(corpus, "mentions")[rows]
        found[positions[positions >= 0]] = True
    return found


def _evaluate(corpus: Corpus, node: tuple) -> np.ndarray:
    kind = node[0]
    if kind == "word":
        return term_mask(corpus, node[1])
    if kind == "entity":
        return entity_mask(corpus, node[1])
    if kind == "not":
        return ~_evaluate(corpus, node[1])
    parts = [_evaluate(corpus, child) for child in node[1]]
    combine = np.logical_and if kind == "and" else np.logical_or
    return combine.reduce(parts)


def query_mask(corpus: Corpus, query: Query) -> np.ndarray:
    """Boolean array over ``corpus.articles``: the articles that match ``query`` (whatever
    the filters). Once per corpus and query meaning; each word once per corpus."""
    key = (id(corpus), query.key)
    hit = _MASKS.get(key)
    if hit is not None and hit[0]() is corpus:
        return hit[1]
    mask = _evaluate(corpus, query.tree)
    mask.flags.writeable = False
    if len(_MASKS) >= 32:
        _MASKS.pop(next(iter(_MASKS)))
    _MASKS[key] = (weakref.ref(corpus), mask)
    return mask


def entity_surfaces(corpus: Corpus, entity_id: str) -> tuple[str, ...]:
    """Every name the entity was found under in the corpus, in Simplified, longest first:
    the words to mark in an article matched by ``entity:…``."""

    def build(mentions) -> dict[str, tuple[str, ...]]:
        pairs = mentions[["entity_id", "surface"]].astype(object).drop_duplicates()
        names: dict[str, set[str]] = {}
        for eid, surface in pairs.itertuples(index=False, name=None):
            if isinstance(eid, str) and isinstance(surface, str) and surface:
                names.setdefault(eid, set()).add(to_simplified(surface))
        return {e: tuple(sorted(s, key=lambda x: (-len(x), x))) for e, s in names.items()}

    return derived("query.entity_surfaces", build, corpus.mentions).get(entity_id, ())


def mark_words(corpus: Corpus, query: Query) -> tuple[str, ...]:
    """The words to mark in an article that matches ``query``: its words and phrases, and
    every name of its entities (none of those under a NOT)."""
    words = list(query.words)
    for entity in query.entities:
        words += entity_surfaces(corpus, entity)
    return tuple(dict.fromkeys(w for w in words if w))


def entity_choices(corpus: Corpus, n: int = 300) -> list[str]:
    """The ``n`` entities mentioned most in the whole corpus (ids, most first, unverified
    names left out): what a page offers to add as ``entity:…``. Once per corpus."""

    def build(mentions, _articles) -> list[str]:
        index = mention_index(corpus)
        counts = np.bincount(index.entity[index.has_entity], minlength=len(index.entity_ids))
        ranked = np.argsort(-counts, kind="stable")
        ids = [str(index.entity_ids[i]) for i in ranked if counts[i] > 0]
        return [e for e in ids if not e.startswith("unverified:")]

    return derived("query.entity_choices", build, corpus.mentions, corpus.articles)[:n]


def entity_type(entity_id: str) -> str:
    """person, org, place or country, read from an entity id (PRK, person:vladimir_putin)."""
    kind = str(entity_id).split(":", 1)[0] if ":" in str(entity_id) else "country"
    return kind if kind in ("person", "org", "place", "country") else "org"


def as_phrase(text: str) -> str:
    """``text`` as a query that finds exactly it: quoted when it holds a space, a bracket, a
    quote mark, or reads as an operator or an entity (a term from the keywords page, say)."""
    text = str(text or "").strip()
    special = any(c.isspace() or c in "()（）" or c in _QUOTES for c in text)
    if not (special or text.upper() in OPERATORS or text.casefold().startswith(ENTITY_PREFIX)):
        return text
    for opening, closing in _QUOTES.items():
        if opening not in text and closing not in text:
            return f"{opening}{text}{closing}"
    return " ".join(text.split())  # every quote mark in it: its words, all of them


def words_query(words: str) -> str:
    """A search box's words (every one must occur) as a query: each word as itself."""
    return " ".join(as_phrase(w) for w in str(words or "").split())
