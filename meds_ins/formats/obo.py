"""OBO flat-file ontologies (format 1.2 and 1.4: Disease Ontology, HPO, GO, ...).

    format-version: 1.2                      header: `tag: value` lines up to the first stanza
    default-namespace: disease_ontology

    [Term]                                   stanzas, separated by blank lines
    id: DOID:0001816
    name: angiosarcoma
    def: "A malignant \\"vascular\\" tumor ..." [url:http\\://example.org]
    synonym: "hemangiosarcoma" EXACT []
    is_a: DOID:1115 ! sarcoma                `!` starts a comment outside quoted text
    is_obsolete: true

Values keep their raw text except for comments and trailing `{...}` modifiers; `quoted()` reads the
leading quoted string of `def` and `synonym` values (with the escapes `\\"`, `\\\\`, `\\n`, `\\t`, ...).
A backslash at the very end of a line continues the value on the next line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from meds_ins._common import textfiles
from meds_ins._common.errors import RawFormatError

STANZA_TYPES = ("Term", "Typedef", "Instance")
ESCAPES = {"n": "\n", "t": "\t", "W": " "}  # any other escaped character stands for itself


@dataclass
class Stanza:
    """One `[Term]`, `[Typedef]` or `[Instance]` block; `tags` maps a tag to its values in file order."""

    kind: str
    line: int  # line of the `[Kind]` header, for messages
    tags: dict[str, list[str]] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)  # line number of each value

    @property
    def id(self) -> str:
        return self.first("id")

    def first(self, tag: str, default: str = "") -> str:
        values = self.tags.get(tag)
        return values[0] if values else default

    def values(self, tag: str) -> list[str]:
        return list(self.tags.get(tag, ()))

    @property
    def obsolete(self) -> bool:
        return self.first("is_obsolete").lower() == "true"


@dataclass
class Ontology:
    path: Path
    header: dict[str, list[str]]
    stanzas: list[Stanza]

    def terms(self) -> list[Stanza]:
        return [s for s in self.stanzas if s.kind == "Term"]


@dataclass(frozen=True)
class Synonym:
    text: str
    scope: str  # EXACT, BROAD, NARROW, RELATED ('' when the line gives none)
    type: str  # synonym type name, '' when absent


def read_obo(path: Path) -> Ontology:
    """Parse a whole OBO file. Every stanza must have an `id`."""
    header: dict[str, list[str]] = {}
    stanzas: list[Stanza] = []
    current: Stanza | None = None
    for number, line in _logical_lines(path):
        stripped = line.strip()
        if not stripped or stripped.startswith("!"):
            continue
        if stripped.startswith("["):
            current = _open_stanza(path, number, stripped)
            stanzas.append(current)
            continue
        tag, sep, value = stripped.partition(":")
        if not sep or not tag.strip():
            raise RawFormatError(path, f"line {number}", f"expected 'tag: value', found {stripped[:60]!r}")
        value = _strip_comment(value.strip())
        if current is None:
            header.setdefault(tag.strip(), []).append(value)
        else:
            current.tags.setdefault(tag.strip(), []).append(value)
            current.lines.setdefault(tag.strip(), []).append(number)
    for stanza in stanzas:
        if not stanza.id:
            raise RawFormatError(path, f"line {stanza.line}", f"[{stanza.kind}] stanza without an id")
    return Ontology(Path(path), header, stanzas)


def quoted(value: str, path: Path, where: str) -> tuple[str, str]:
    """Split `"text" rest` into (unescaped text, rest); used for `def`, `synonym` and similar tags."""
    if not value.startswith('"'):
        raise RawFormatError(path, where, f"expected a quoted string, found {value[:60]!r}")
    text: list[str] = []
    i = 1
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            text.append(ESCAPES.get(value[i + 1], value[i + 1]))
            i += 2
            continue
        if ch == '"':
            return "".join(text), value[i + 1 :].strip()
        text.append(ch)
        i += 1
    raise RawFormatError(path, where, "quoted string is not closed")


def definition(stanza: Stanza, path: Path) -> str:
    """The text of the stanza's `def` ('' when it has none), without its bracketed references."""
    values = stanza.values("def")
    if not values:
        return ""
    if len(values) > 1:
        raise RawFormatError(path, f"line {stanza.lines['def'][1]}", f"{stanza.id} has more than one def")
    text, _refs = quoted(values[0], path, f"line {stanza.lines['def'][0]}")
    return text.strip()


def synonyms(stanza: Stanza, path: Path) -> list[Synonym]:
    """The stanza's synonyms: text, scope and synonym type, in file order."""
    found = []
    for value, number in zip(stanza.values("synonym"), stanza.lines.get("synonym", ())):
        text, rest = quoted(value, path, f"line {number}")
        words = rest.split("[", 1)[0].split()
        scope = words[0] if words else ""
        found.append(Synonym(text.strip(), scope, words[1] if len(words) > 1 else ""))
    return found


def target(value: str) -> str:
    """The identifier an `is_a` (or `alt_id`, `replaced_by`) value points to, without its comment."""
    return value.split()[0] if value.split() else ""


def _open_stanza(path: Path, number: int, text: str) -> Stanza:
    kind = text[1:].split("]", 1)[0].strip()
    if not text.endswith("]") or kind not in STANZA_TYPES:
        raise RawFormatError(
            path, f"line {number}", f"unknown stanza header {text!r}; expected {', '.join(STANZA_TYPES)}"
        )
    return Stanza(kind, number)


def _logical_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(number of the first physical line, text) with backslash-continued lines joined; LF or CRLF."""
    pending: list[str] = []
    start = 0
    with textfiles.open_text(path, newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not pending:
                start = number
            if _continues(line):
                pending.append(line[:-1])
                continue
            pending.append(line)
            yield start, "".join(pending)
            pending = []
    if pending:
        yield start, "".join(pending)


def _continues(line: str) -> bool:
    """A line ending in an odd number of backslashes continues on the next one."""
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _strip_comment(value: str) -> str:
    """Drop a `! comment` and a trailing `{modifier}` that are outside quotes and not escaped."""
    in_quotes = False
    brace = None  # where the last unquoted `{` opens
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            in_quotes = not in_quotes
        elif not in_quotes and ch == "{":
            brace = i
        elif not in_quotes and ch == "!":
            value = value[:i]
            break
        i += 1
    value = value.rstrip()
    if brace is not None and brace < len(value) and value.endswith("}"):
        value = value[:brace].rstrip()
    return value
