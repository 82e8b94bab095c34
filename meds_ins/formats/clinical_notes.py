"""Clinical notes: streaming note tables and cutting notes into their sections.

MIMIC note tables (radiology.csv.gz, discharge.csv.gz of MIMIC-IV-Note) are multi-GB CSV files with one
note per row, often distributed gzip-compressed; `iter_note_table` streams them row by row, compressed or
not, so memory does not grow with the table.

Notes are semi-structured: a section starts with a header at the start of a line (`FINDINGS:`,
`Discharge Instructions:`), spelt in several ways and cases, sometimes without its colon when it stands
alone on its line. A `SectionSplitter` is built from a vocabulary (canonical name -> spellings); a section
runs from its header to the next header of the vocabulary, so the vocabulary should list every header
that can follow a section of interest (not only the sections a builder wants).

De-identified notes replace names, dates and places with `___`; `is_blank` treats a section holding
nothing else as empty.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from meds_ins._common.errors import RawFormatError
from meds_ins.formats.tables import iter_csv

PLACEHOLDER = "___"

# Headers of radiology reports (MIMIC-IV-Note radiology, MIMIC-CXR). "combined" and "other" are listed so
# that they end the sections before them; "FINAL REPORT" stands alone on its line in MIMIC-CXR reports.
RADIOLOGY_SECTIONS: dict[str, tuple[str, ...]] = {
    "examination": ("EXAMINATION", "EXAM", "EXAMINATIONS", "TYPE OF EXAMINATION", "STUDY"),
    "indication": (
        "INDICATION",
        "INDICATIONS",
        "CLINICAL INDICATION",
        "HISTORY",
        "CLINICAL HISTORY",
        "CLINICAL INFORMATION",
        "REASON FOR EXAM",
        "REASON FOR EXAMINATION",
        "REASON FOR STUDY",
    ),
    "technique": ("TECHNIQUE", "PROCEDURE", "DOSE", "CONTRAST"),
    "comparison": ("COMPARISON", "COMPARISONS"),
    "findings": ("FINDINGS", "FINDING"),
    "impression": ("IMPRESSION", "IMPRESSIONS", "CONCLUSION", "CONCLUSIONS"),
    "combined": ("FINDINGS AND IMPRESSION", "FINDINGS/IMPRESSION", "IMPRESSION AND FINDINGS"),
    "other": (
        "NOTIFICATION",
        "RECOMMENDATION",
        "RECOMMENDATIONS",
        "RECOMMENDATION(S)",
        "ADDENDUM",
        "WET READ",
        "FINAL REPORT",
    ),
}

# Headers of MIMIC-IV discharge summaries, in the order they usually appear.
DISCHARGE_SECTIONS: dict[str, tuple[str, ...]] = {
    "name": ("Name",),
    "admission date": ("Admission Date",),
    "date of birth": ("Date of Birth",),
    "service": ("Service",),
    "allergies": ("Allergies",),
    "attending": ("Attending",),
    "chief complaint": ("Chief Complaint",),
    "procedure": ("Major Surgical or Invasive Procedure",),
    "history of present illness": ("History of Present Illness",),
    "past medical history": ("Past Medical History",),
    "social history": ("Social History",),
    "family history": ("Family History",),
    "physical exam": ("Physical Exam", "Physical Examination"),
    "pertinent results": ("Pertinent Results",),
    "hospital course": ("Brief Hospital Course", "Hospital Course"),
    "medications on admission": ("Medications on Admission",),
    "discharge medications": ("Discharge Medications",),
    "discharge disposition": ("Discharge Disposition",),
    "facility": ("Facility",),
    "discharge diagnosis": ("Discharge Diagnosis", "Discharge Diagnoses"),
    "discharge condition": ("Discharge Condition",),
    "discharge instructions": ("Discharge Instructions",),
    "followup instructions": ("Followup Instructions", "Follow-up Instructions", "Follow up Instructions"),
}


class Section(NamedTuple):
    name: str  # canonical name from the vocabulary
    header: str  # the header as the note spells it
    start: int  # offset of the header's line in the (LF-normalised) note
    end: int  # offset where the next known section starts, or the end of the note
    body: str  # the text between the header and `end`, stripped


class SectionSplitter:
    """Finds the sections of a note, given the vocabulary of headers that can occur in it."""

    def __init__(self, vocabulary: Mapping[str, Iterable[str]]) -> None:
        self._names: dict[str, str] = {}
        for name, spellings in vocabulary.items():
            for spelling in spellings:
                self._names[_key(spelling)] = name
        # Longest spellings first, so "FINDINGS AND IMPRESSION" wins over "FINDINGS".
        alternatives = sorted(self._names, key=len, reverse=True)
        words = "|".join(r"[ \t]+".join(map(re.escape, a.split(" "))) for a in alternatives)
        # A header starts a line and ends with a colon, or stands alone on its line.
        self._pattern = re.compile(
            rf"^[ \t]*(?P<header>{words})[ \t]*(?::|(?=[ \t]*$))", re.IGNORECASE | re.MULTILINE
        )

    def split(self, text: str) -> list[Section]:
        text = normalise_newlines(text)
        hits = list(self._pattern.finditer(text))
        sections = []
        for hit, after in zip(hits, [*hits[1:], None]):
            end = after.start() if after is not None else len(text)
            header = hit.group("header")
            name = self._names.get(header.upper()) or self._names[_key(header)]
            sections.append(Section(name, header, hit.start(), end, text[hit.end() : end].strip()))
        return sections

    def bodies(self, text: str, name: str) -> list[str]:
        """The bodies of every section called `name`, in note order."""
        return [s.body for s in self.split(text) if s.name == name]


def _key(spelling: str) -> str:
    return " ".join(spelling.split()).upper()


RADIOLOGY = SectionSplitter(RADIOLOGY_SECTIONS)
DISCHARGE = SectionSplitter(DISCHARGE_SECTIONS)


def findings_and_impression(report: str | Sequence[Section]) -> tuple[str, str] | str:
    """(findings, impression) of a radiology report, tidied; or, when it has no usable pair, the reason.

    `report` is the note's text or its sections from `RADIOLOGY.split`. Several sections of one kind (a
    report covering two exams) are joined in note order.
    """
    sections = RADIOLOGY.split(report) if isinstance(report, str) else report
    findings = "\n\n".join(tidy(s.body) for s in sections if s.name == "findings" and not is_blank(s.body))
    impression = "\n\n".join(
        tidy(s.body) for s in sections if s.name == "impression" and not is_blank(s.body)
    )
    if not findings and not impression:
        if any(s.name == "combined" for s in sections):
            return "findings and impression written as one section"
        return "no FINDINGS and no IMPRESSION section"
    if not findings:
        return "no FINDINGS section (or only de-identified placeholders)"
    if not impression:
        return "no IMPRESSION section (or only de-identified placeholders)"
    return findings, impression


# ---------------------------------------------------------------------------------------------
# Text helpers

_CONTENT = re.compile(r"[^\W_]")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_blank(text: str) -> bool:
    """True when `text` holds nothing but whitespace, punctuation and `___` placeholders."""
    return _CONTENT.search(text) is None


def tidy(text: str) -> str:
    """One readable layout for note text, keeping its structure.

    Line ends become LF, runs of spaces one space, and a line that continues the sentence of the line
    before (it starts with a lower-case letter or `,;)`) is joined to it: notes are hard-wrapped at
    about 80 characters. Lists, headed lines and paragraphs keep their own lines; runs of blank lines
    become one blank line. Linear in the length of the note.
    """
    lines: list[str] = []  # finished lines
    current: list[str] = []  # pieces of the line being joined
    blank = False  # a blank line is due before the next line
    for raw in normalise_newlines(text).split("\n"):
        line = " ".join(raw.split())
        if not line:
            if current:
                lines.append(" ".join(current))
                current = []
            blank = bool(lines)
        elif current and (line[0].islower() or line[0] in ",;)"):
            current.append(line)
        else:
            if current:
                lines.append(" ".join(current))
            if blank:
                lines.append("")
                blank = False
            current = [line]
    if current:
        lines.append(" ".join(current))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Note tables


def iter_note_table(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) for each row of a note table, `.csv` or `.csv.gz`, streaming.

    Rows are read one at a time (notes may hold line breaks and run to hundreds of KB); a truncated or
    corrupt gzip stream is reported with the file and the line reached.
    """
    if not Path(path).name.endswith(".gz"):
        yield from iter_csv(path, required)
        return
    line = 1
    try:
        with gzip.open(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
            for line, row in iter_csv(path, required, handle=text):
                yield line, row
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise RawFormatError(path, f"after line {line}", f"not a readable gzip file ({e})") from None
    except UnicodeDecodeError:
        raise RawFormatError(path, f"after line {line}", "not valid UTF-8; save it as UTF-8") from None
