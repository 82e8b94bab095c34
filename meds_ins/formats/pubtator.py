"""PubTator text format (BioCreative V CDR, NCBI Disease): title and abstract lines, then mentions.

    PMID|t|title
    PMID|a|abstract
    PMID<TAB>start<TAB>end<TAB>mention<TAB>type<TAB>ids[<TAB>individual mentions]
    PMID<TAB>relation<TAB>id<TAB>id

Offsets index the text `title + " " + abstract`, end exclusive. Documents are separated by blank lines.
"""

from __future__ import annotations

from collections.abc import Iterator
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


def iter_documents(path: Path) -> Iterator[Document]:
    """Parse a PubTator file document by document, checking that every mention matches its offsets."""
    doc: Document | None = None
    with textfiles.open_text(path) as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                if doc is not None:
                    yield doc
                    doc = None
                continue
            if "|t|" in line[:40] and "\t" not in line.split("|t|", 1)[0]:
                if doc is not None:
                    yield doc
                pmid, _, title = line.partition("|t|")
                doc = Document(pmid=pmid, title=title, abstract="", line=number)
                continue
            if doc is None:
                raise RawFormatError(
                    path, f"line {number}", "expected a title line 'PMID|t|title' to start a document"
                )
            if line.startswith(f"{doc.pmid}|a|"):
                doc.abstract = line.split("|a|", 1)[1]
                continue
            fields = line.split("\t")
            if fields[0] != doc.pmid:
                raise RawFormatError(
                    path,
                    f"line {number}",
                    f"annotation for PMID {fields[0]} inside document {doc.pmid} "
                    "(missing blank line between documents?)",
                )
            if len(fields) in (6, 7) and fields[1].isdigit():
                doc.mentions.append(_mention(path, number, doc, fields))
            elif len(fields) == 4:
                doc.relations.append(tuple(fields[1:]))
            else:
                raise RawFormatError(
                    path,
                    f"line {number}",
                    f"{len(fields)} tab-separated fields; expected a mention "
                    "(PMID, start, end, text, type, ids) or a relation (PMID, type, id, id)",
                )
    if doc is not None:
        yield doc


def _mention(path: Path, number: int, doc: Document, fields: list[str]) -> Mention:
    try:
        start, end = int(fields[1]), int(fields[2])
    except ValueError:
        raise RawFormatError(path, f"line {number}", "mention offsets must be integers") from None
    text = doc.text
    if not 0 <= start < end <= len(text) or text[start:end] != fields[3]:
        raise RawFormatError(
            path,
            f"line {number}",
            f"mention {fields[3]!r} does not match the text at offsets {start}-{end} ({text[start:end]!r})",
        )
    ids = tuple(i for i in fields[5].split("|") if i) if len(fields) > 5 else ()
    return Mention(start, end, fields[3], fields[4], ids)
