"""Multi-document summarization releases in the MSLR layout (MS^2; Wallace et al.'s Cochrane RCT summaries).

Each split is a set of CSV files keyed by the review id, written with a leading unnamed row-index column:

    <split>-inputs.csv        ,ReviewID,PMID,Title,Abstract   one row per study the review includes
    <split>-targets.csv       ,ReviewID,Target                one row per review: the summary to write
    <split>-reviews-info.csv  ,ReviewID,Background            (MS^2) the review's background text

The rows of one review are consecutive in the inputs file, so reviews are read as a stream. Titles or
abstracts can be empty (missing upstream).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from meds_ins._common.errors import RawFormatError
from meds_ins.formats.tables import iter_csv

INPUT_COLUMNS = ("ReviewID", "PMID", "Title", "Abstract")


@dataclass(frozen=True)
class Study:
    pmid: str
    title: str
    abstract: str

    @property
    def text(self) -> str:
        return "\n".join(part for part in (self.title, self.abstract) if part)


@dataclass
class Review:
    id: str
    line: int  # line of its first study in the inputs file
    studies: list[Study] = field(default_factory=list)


def iter_reviews(path: Path) -> Iterator[Review]:
    """The reviews of an inputs file with their studies in file order, one review at a time."""
    done: dict[str, int] = {}
    review: Review | None = None
    for line, row in iter_csv(path, INPUT_COLUMNS):
        review_id = row["ReviewID"].strip()
        if not review_id:
            raise RawFormatError(path, f"line {line}", "empty ReviewID")
        if review is None or review.id != review_id:
            if review_id in done:
                raise RawFormatError(
                    path,
                    f"line {line}",
                    f"rows of review {review_id} are not consecutive (it started at line {done[review_id]})",
                )
            if review is not None:
                yield review
            review = Review(review_id, line)
            done[review_id] = line
        review.studies.append(Study(row["PMID"].strip(), row["Title"].strip(), row["Abstract"].strip()))
    if review is not None:
        yield review


def review_texts(path: Path, column: str) -> dict[str, str]:
    """One text per review id from a targets or reviews-info file (`column` is Target or Background)."""
    texts: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, row in iter_csv(path, ("ReviewID", column)):
        review_id = row["ReviewID"].strip()
        if review_id in lines:
            raise RawFormatError(
                path,
                f"line {line}",
                f"review {review_id} repeats line {lines[review_id]}; expected one row each",
            )
        lines[review_id] = line
        texts[review_id] = row[column].strip()
    return texts
