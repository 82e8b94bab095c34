"""SpERT JSON (entities and relations over tokens), as the UW clinical-trials corpus releases it.

    [{"orig_id": "3_NCT01234567", "tokens": ["\\n  ", "-", " ", "Chronic", "pain"],
      "entities": [{"type": "Condition", "start": 4, "end": 5}],
      "relations": [{"type": "Modifies", "head": 0, "tail": 1}]}, ...]

Entity spans index `tokens`, end exclusive; relations index the entry's `entities`. `types.json` lists
the allowed types: `{"entities": {name: {...}}, "relations": {name: {...}}}`. The tokens keep some
whitespace runs as tokens but drop the spaces between words, so `locate_tokens` finds each token in
the source text to recover exact substrings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from meds_ins._common.errors import RawFormatError
from meds_ins.formats.jsonfiles import read_json, require


@dataclass(frozen=True)
class Entity:
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Relation:
    type: str
    head: int
    tail: int


@dataclass(frozen=True)
class Entry:
    number: int  # position in the file, from 1, for messages
    orig_id: str
    tokens: tuple[str, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]


def read_types(path: Path) -> tuple[set[str], set[str]]:
    """(entity types, relation types) declared in a SpERT types.json."""
    data = require(read_json(path), ("entities", "relations"), path, "top level")
    if not isinstance(data["entities"], dict) or not isinstance(data["relations"], dict):
        raise RawFormatError(path, "top level", "'entities' and 'relations' must be objects keyed by type")
    return set(data["entities"]), set(data["relations"])


# What a builder counts when it passes `skip` to iter_entries.
MALFORMED_ENTRY = "SpERT entry with malformed fields, spans or types"


def iter_entries(
    path: Path,
    entity_types: Collection[str] | None = None,
    relation_types: Collection[str] | None = None,
    skip: Callable[[str], None] | None = None,
) -> Iterator[Entry]:
    """The entries of a SpERT file, with spans and indices checked (and types, when given).

    A malformed entry raises RawFormatError; with `skip` (a builder passes `ctx.skip`) it is left out
    and counted as MALFORMED_ENTRY instead. A file that is not a JSON list, or none of whose entries
    can be read, raises either way: it is not a SpERT file.
    """
    data = read_json(path)
    if not isinstance(data, list):
        raise RawFormatError(path, "top level", "expected a JSON list of entries")
    first_problem: RawFormatError | None = None
    read = 0
    for number, item in enumerate(data, start=1):
        try:
            entry = _entry(path, number, item, entity_types, relation_types)
        except RawFormatError as e:
            if skip is None:
                raise
            first_problem = first_problem or e
            skip(MALFORMED_ENTRY)
            continue
        read += 1
        yield entry
    if first_problem is not None and not read:
        raise RawFormatError(
            path, first_problem.where, f"{first_problem.problem} (and no entry of the file can be read)"
        )


def _entry(
    path: Path,
    number: int,
    item: object,
    entity_types: Collection[str] | None,
    relation_types: Collection[str] | None,
) -> Entry:
    where = f"entry {number}"
    item = require(item, ("orig_id", "tokens", "entities", "relations"), path, where)
    where = f"entry {number} ({item['orig_id']})"
    tokens = item["tokens"]
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise RawFormatError(path, where, "'tokens' must be a list of strings")
    if not isinstance(item["entities"], list) or not isinstance(item["relations"], list):
        raise RawFormatError(path, where, "'entities' and 'relations' must be lists")
    entities = tuple(_entity(path, where, e, len(tokens), entity_types) for e in item["entities"])
    relations = tuple(_relation(path, where, r, len(entities), relation_types) for r in item["relations"])
    return Entry(number, str(item["orig_id"]), tuple(tokens), entities, relations)


def _entity(path: Path, where: str, raw: object, n_tokens: int, types: Collection[str] | None) -> Entity:
    e = require(raw, ("type", "start", "end"), path, where)
    if not (
        isinstance(e["start"], int) and isinstance(e["end"], int) and 0 <= e["start"] < e["end"] <= n_tokens
    ):
        raise RawFormatError(
            path, where, f"entity span {e['start']}-{e['end']} is not within its {n_tokens} tokens"
        )
    if types is not None and e["type"] not in types:
        raise RawFormatError(path, where, f"entity type {e['type']!r} is not declared in types.json")
    return Entity(e["type"], e["start"], e["end"])


def _relation(
    path: Path, where: str, raw: object, n_entities: int, types: Collection[str] | None
) -> Relation:
    r = require(raw, ("type", "head", "tail"), path, where)
    if not all(isinstance(r[k], int) and 0 <= r[k] < n_entities for k in ("head", "tail")):
        raise RawFormatError(path, where, f"relation {r['type']!r} points outside the {n_entities} entities")
    if types is not None and r["type"] not in types:
        raise RawFormatError(path, where, f"relation type {r['type']!r} is not declared in types.json")
    return Relation(r["type"], r["head"], r["tail"])


def locate_tokens(tokens: Sequence[str], text: str) -> list[tuple[int, int] | None]:
    """Character spans of an entry's tokens in the source `text`; None for whitespace tokens.

    The entry is found where its first word occurs and every following token comes next, separated from
    the previous one by nothing but whitespace. Where the text writes a character in a fullwidth or
    compatibility form and the tokens in the plain one (or the reverse: 'Age＜18' against the token '<'),
    both are compared character for character in their folded form (`fold_characters`); the spans still
    index the text as written. Raises ValueError when no such place exists, i.e. the text is not the one
    the tokens came from.
    """
    words = [t for t in tokens if t.strip()]
    if not words:
        return [None] * len(tokens)
    spans = _find(tokens, text, words[0])
    if spans is None:
        spans = _find([fold_characters(t) for t in tokens], fold_characters(text), fold_characters(words[0]))
    if spans is None:
        raise ValueError(f"tokens {' '.join(words)[:60]!r} do not occur in the text")
    return spans


# Look-alikes that compatibility normalization leaves apart: ≧ (U+2267) and ≥, the arrowheads ˂ ˃ and < >.
_LOOK_ALIKES = {"\u2267": "\u2265", "\u02c2": "<", "\u02c3": ">"}


def fold_characters(text: str) -> str:
    """`text` with each character replaced by its compatibility form (NFKC) where that is one character
    (fullwidth punctuation '，' -> ','), and a few look-alikes by the plain sign. One character for one,
    so an offset in the folded text is the same offset in `text`."""
    folded = []
    for char in text:
        char = _LOOK_ALIKES.get(char, char)
        normal = unicodedata.normalize("NFKC", char)
        folded.append(normal if len(normal) == 1 else char)
    return "".join(folded)


def _find(tokens: Sequence[str], text: str, first: str) -> list[tuple[int, int] | None] | None:
    start = text.find(first)
    while start >= 0:
        spans = _align(tokens, text, start)
        if spans is not None:
            return spans
        start = text.find(first, start + 1)
    return None


def _align(tokens: Sequence[str], text: str, start: int) -> list[tuple[int, int] | None] | None:
    spans: list[tuple[int, int] | None] = []
    cursor = start
    for token in tokens:
        if not token.strip():
            spans.append(None)
            continue
        while cursor < len(text) and text[cursor].isspace() and cursor > start:
            cursor += 1
        if not text.startswith(token, cursor):
            return None
        spans.append((cursor, cursor + len(token)))
        cursor += len(token)
    return spans
