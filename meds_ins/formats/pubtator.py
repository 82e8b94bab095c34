"""PubTator text format (BioCreative V CDR, NCBI Disease): title and abstract lines, then mentions.

    PMID|t|title
    PMID|a|abstract
    PMID<TAB>start<TAB>end<TAB>mention<TAB>type<TAB>ids[<TAB>individual mentions]
    PMID<TAB>relation<TAB>id<TAB>id

Offsets index the text `title + " " + abstract`, end exclusive. Documents are separated by blank lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from meds_ins._common import textfiles
from meds_ins._common.errors import RawFormatError


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    type: str
    ids: tuple[str, ...]


@dataclass
class Document:
    pmid: str
    title: str
    abstract: str
    line: int  # line of the title, for messages
    mentions: list[Mention] = field(default_factory=list)
    relations: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return f"{self.title} {self.abstract}"

    def entities(self, *types: str) -> list[str]:
        """Distinct mention strings of the given types, in order of first appearance in the text."""
        seen: dict[str, None] = {}
        for m in sorted(self.mentions, key=lambda m: (m.start, m.end)):
            if not types or m.type in types:
                seen.setdefault(m.text, None)
        return list(seen)

    def stripped_text_and_spans(self, *types: str) -> tuple[str, list[tuple[int, int]]]:
        """The text without surrounding whitespace (a record's input) and the (start, end) offsets into
        it of the mentions of the given types (all when none are given)."""
        lead = len(self.text) - len(self.text.lstrip())
        spans = [(m.start - lead, m.end - lead) for m in self.mentions if not types or m.type in types]
        return self.text.strip(), spans


# What a builder counts when it passes `skip` (see iter_documents).
PADDED_MENTION = (
    "mention whose text differs from its offsets only by surrounding spaces (text at the offsets used)"
)
BAD_MENTION = "document with a mention that does not match the text at its offsets"
BAD_LINE = "document with a line that is neither a mention nor a relation"


def iter_documents(path: Path, skip: Callable[[str, int], None] | None = None) -> Iterator[Document]:
    """Parse a PubTator file document by document, checking that every mention matches its offsets.

    Without `skip` every problem raises RawFormatError. With `skip` (a builder passes `ctx.skip`), a
    document with a defect (a mention that does not match the text at its offsets, bad offsets, a line
    that is neither a mention nor a relation) is left out and counted by `skip(reason, 1)`, and a mention
    whose text differs from the text at its offsets only by surrounding whitespace takes the text at its
    offsets (counted as PADDED_MENTION). What breaks the file's structure (annotations before a title
    line, a document running into the next) raises either way.
    """
    parsed = _Parsed(skip)
    with textfiles.open_text(path) as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            doc = parsed.doc
            if not line.strip():
                yield from parsed.finish()
            elif "|t|" in line[:40] and "\t" not in line.split("|t|", 1)[0]:
                yield from parsed.finish()
                pmid, _, title = line.partition("|t|")
                parsed.doc = Document(pmid=pmid, title=title, abstract="", line=number)
            elif doc is None:
                raise RawFormatError(
                    path, f"line {number}", "expected a title line 'PMID|t|title' to start a document"
                )
            elif line.startswith(f"{doc.pmid}|a|"):
                doc.abstract = line.split("|a|", 1)[1]
            else:
                try:
                    parsed.annotation(line.split("\t"))
                except _Defect as e:
                    if skip is None:
                        raise RawFormatError(path, f"line {number}", str(e)) from None
                    parsed.defect = parsed.defect or e.reason
                except _Broken as e:
                    raise RawFormatError(path, f"line {number}", str(e)) from None
    yield from parsed.finish()


class _Defect(Exception):
    """A defect of one document; `reason` is what a builder counts."""

    def __init__(self, reason: str, problem: str) -> None:
        super().__init__(problem)
        self.reason = reason


class _Broken(Exception):
    """A line that breaks the file's structure."""


class _Parsed:
    """The document being read, its first defect and its repaired mentions."""

    def __init__(self, skip: Callable[[str, int], None] | None) -> None:
        self.skip = skip
        self.doc: Document | None = None
        self.defect: str | None = None
        self.repaired = 0

    def finish(self) -> Iterator[Document]:
        doc, defect, repaired = self.doc, self.defect, self.repaired
        self.doc, self.defect, self.repaired = None, None, 0
        if doc is None:
            return
        if defect is None:
            if repaired and self.skip is not None:
                self.skip(PADDED_MENTION, repaired)
            yield doc
        elif self.skip is not None:
            self.skip(defect, 1)

    def annotation(self, fields: list[str]) -> None:
        doc = self.doc
        assert doc is not None
        if fields[0] != doc.pmid:
            raise _Broken(
                f"annotation for PMID {fields[0]} inside document {doc.pmid} "
                "(missing blank line between documents?)"
            )
        if len(fields) in (6, 7) and fields[1].isdigit():
            doc.mentions.append(self.mention(doc, fields))
        elif len(fields) == 4:
            doc.relations.append(tuple(fields[1:]))
        else:
            raise _Defect(
                BAD_LINE,
                f"{len(fields)} tab-separated fields; expected a mention "
                "(PMID, start, end, text, type, ids) or a relation (PMID, type, id, id)",
            )

    def mention(self, doc: Document, fields: list[str]) -> Mention:
        if not fields[2].isdigit():
            raise _Defect(BAD_MENTION, f"mention end offset {fields[2]!r} is not an integer")
        start, end, written = int(fields[1]), int(fields[2]), fields[3]
        text = doc.text
        at_offsets = text[start:end] if 0 <= start < end <= len(text) else None
        if at_offsets != written:
            padded = at_offsets is not None and at_offsets.strip() == written.strip()
            if not padded or self.skip is None:
                found = f"the text at offsets {start}-{end} ({text[start:end]!r})"
                raise _Defect(BAD_MENTION, f"mention {written!r} does not match {found}")
            self.repaired += 1
        ids = tuple(i for i in fields[5].split("|") if i) if len(fields) > 5 else ()
        return Mention(start, end, at_offsets, fields[4], ids)
