"""brat standoff: a document's text in `NAME.txt`, its annotations in `NAME.ann` beside it.

    T1<TAB>Type start end<TAB>covered text
    T2<TAB>Type start end;start end<TAB>covered text      (a discontinuous span)
    R1<TAB>Relation Arg1:T1 Arg2:T2
    A1<TAB>Attribute T1 [value]     E1, N1, *, #1 ...

Offsets count characters of the text file read as is (line ends included), end exclusive. Only
text-bound annotations (T) are parsed; other lines are checked to name a known kind and kept raw.
The UW clinical-trials, AnEM and S800-revision releases ship their documents this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from meds_ins._common import textfiles
from meds_ins._common.errors import RawFormatError

KINDS = "TRAENM*#"  # first character of an annotation id: text-bound, relation, attribute, event, ...


@dataclass(frozen=True)
class TextBound:
    id: str
    type: str
    spans: tuple[tuple[int, int], ...]
    text: str  # the fragments joined by single spaces, as brat writes them


def read_text(path: Path) -> str:
    """A document's text exactly as stored (no newline translation), so offsets stay right."""
    return textfiles.read_text(path, newline="")


def lines(text: str) -> list[str]:
    """The lines of a document text without their line ends (LF or CRLF)."""
    return [line.rstrip("\r") for line in text.split("\n")]


def iter_text_bounds(ann_path: Path, text: str) -> Iterator[TextBound]:
    """The T annotations of an .ann file, each checked against the document text."""
    with textfiles.open_text(ann_path, newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            if line[0] not in KINDS:
                raise RawFormatError(ann_path, f"line {number}", f"unknown annotation kind in {line[:20]!r}")
            if line[0] == "T":
                yield _text_bound(ann_path, number, line, text)


def _text_bound(path: Path, number: int, line: str, text: str) -> TextBound:
    fields = line.split("\t")
    if len(fields) != 3 or " " not in fields[1]:
        raise RawFormatError(
            path, f"line {number}", "expected 'T<id><TAB>Type start end<TAB>text' for a text-bound annotation"
        )
    kind, _, offsets = fields[1].partition(" ")
    spans = []
    for fragment in offsets.split(";"):
        bounds = fragment.split()
        if len(bounds) != 2 or not all(b.isdigit() for b in bounds):
            raise RawFormatError(
                path, f"line {number}", f"offsets {offsets!r} are not 'start end[;start end]'"
            )
        start, end = int(bounds[0]), int(bounds[1])
        if not 0 <= start <= end <= len(text):
            raise RawFormatError(path, f"line {number}", f"span {start}-{end} lies outside the text")
        spans.append((start, end))
    covered = " ".join(text[s:e] for s, e in spans)
    if covered != fields[2]:
        raise RawFormatError(
            path,
            f"line {number}",
            f"annotation text {fields[2]!r} differs from the text at {offsets} ({covered!r})",
        )
    return TextBound(fields[0], kind, tuple(spans), covered)
