"""IOB/CoNLL token-per-line NER files (the MTL-Bioinformatics-2016 and BioBERT sets, AnEM's CoNLL release).

    token<TAB>tag                          token<TAB>start<TAB>end<TAB>tag
    token<TAB>tag                          token<TAB>start<TAB>end<TAB>tag
    <blank line ends the sentence>         <blank line ends the sentence>

Tags are IOB2: `O`, `B-Type`, `I-Type`, or bare `B` / `I` where a corpus has one type only (the BioBERT
copies). `-DOCSTART-` lines and blank lines end a sentence. The files keep no whitespace, so a sentence's
text joins its tokens with single spaces, except where character offsets (AnEM's four-column layout) show
that two tokens touch. A mention's text is built the same way, so it is always a substring of the
sentence text, at the character offsets `Mention.start` and `Mention.end`. An `I-` tag that does
not continue a mention of its type starts a new one, as the conlleval script reads it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from meds_ins._common import textfiles
from meds_ins._common.errors import RawFormatError


@dataclass(frozen=True)
class Token:
    text: str
    tag: str
    start: int | None = None  # character offsets, when the file gives them
    end: int | None = None


@dataclass(frozen=True)
class Mention:
    first: int  # index of the first token
    last: int  # index of the last token (inclusive)
    type: str | None  # None for bare B / I tags
    text: str
    start: int  # character offsets into the sentence's text, end exclusive
    end: int


@dataclass
class Sentence:
    line: int  # line of the first token, for keys and messages
    tokens: list[Token] = field(default_factory=list)

    @property
    def text(self) -> str:
        return _join(self.tokens)

    @property
    def mentions(self) -> list[Mention]:
        offsets = _offsets(self.tokens)
        found: list[Mention] = []
        first, kind = None, None
        for i, token in enumerate([*self.tokens, Token("", "O")]):
            prefix, _, tag_type = token.tag.partition("-")
            continues = prefix == "I" and first is not None and (tag_type or None) == kind
            if first is not None and not continues:
                start, end = offsets[first], offsets[i - 1] + len(self.tokens[i - 1].text)
                found.append(Mention(first, i - 1, kind, _join(self.tokens[first:i]), start, end))
                first = None
            if prefix in ("B", "I") and not continues:
                first, kind = i, tag_type or None
        return found

    def entities(self, *types: str | None) -> list[str]:
        """Mention strings of the given types (all when none are given), in order of appearance."""
        return [m.text for m in self.mentions if not types or m.type in types]

    def spans(self, *types: str | None) -> list[tuple[int, int]]:
        """(start, end) character offsets into `text` of the mentions of the given types (all when none)."""
        return [(m.start, m.end) for m in self.mentions if not types or m.type in types]


def iter_sentences(path: Path, types: Collection[str | None] | None = None) -> Iterator[Sentence]:
    """Parse an IOB file sentence by sentence. `types` lists the entity types allowed (None: bare tags)."""
    sentence = Sentence(line=0)
    with textfiles.open_text(path) as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.startswith("-DOCSTART-"):
                if sentence.tokens:
                    yield sentence
                sentence = Sentence(line=0)
                continue
            token = _token(path, number, line, types)
            if sentence.tokens:
                _check_order(path, number, sentence.tokens[-1], token)
            else:
                sentence.line = number
            sentence.tokens.append(token)
    if sentence.tokens:
        yield sentence


def _token(path: Path, number: int, line: str, types: Collection[str | None] | None) -> Token:
    fields = line.split("\t") if "\t" in line else line.split()
    if len(fields) < 2 or not fields[0].strip():
        raise RawFormatError(path, f"line {number}", f"expected 'token<TAB>tag', found {line!r}")
    text, tag = fields[0], fields[-1].strip()
    prefix, dash, tag_type = tag.partition("-")
    if tag != "O" and (prefix not in ("B", "I") or (dash and not tag_type)):
        raise RawFormatError(path, f"line {number}", f"tag {tag!r} is not an IOB2 tag (O, B-Type, I-Type)")
    if tag != "O" and types is not None and (tag_type or None) not in types:
        allowed = ", ".join(sorted(t or "(bare B/I)" for t in types))
        raise RawFormatError(
            path, f"line {number}", f"entity type {tag_type or '(bare B/I)'!r} is not one of: {allowed}"
        )
    if len(fields) == 4 and fields[1].isdigit() and fields[2].isdigit():
        start, end = int(fields[1]), int(fields[2])
        if end - start != len(text):
            raise RawFormatError(
                path, f"line {number}", f"offsets {start}-{end} do not span the token {text!r}"
            )
        return Token(text, tag, start, end)
    return Token(text, tag)


def _check_order(path: Path, number: int, previous: Token, token: Token) -> None:
    if previous.end is not None and token.start is not None and token.start < previous.end:
        raise RawFormatError(
            path,
            f"line {number}",
            f"token starts at {token.start}, before the previous token ends ({previous.end}); "
            "missing blank line between sentences?",
        )


def _join(tokens: list[Token]) -> str:
    parts: list[str] = []
    for i, token in enumerate(tokens):
        if _spaced(tokens, i):
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)


def _spaced(tokens: list[Token], i: int) -> bool:
    """Whether a space stands before token i when tokens are joined (not before the first, nor where
    character offsets show that two tokens touch)."""
    return i > 0 and not (tokens[i].start is not None and tokens[i - 1].end == tokens[i].start)


def _offsets(tokens: list[Token]) -> list[int]:
    """Where each token starts in the joined text."""
    starts, position = [], 0
    for i, token in enumerate(tokens):
        position += _spaced(tokens, i)
        starts.append(position)
        position += len(token.text)
    return starts
