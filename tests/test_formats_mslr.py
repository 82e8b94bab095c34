"""The MSLR multi-document summarization layout: studies grouped by review, one text per review."""

from __future__ import annotations

from pathlib import Path

import pytest

from meds_ins import RawFormatError
from meds_ins.formats.mslr import iter_reviews, review_texts


def test_reviews_group_consecutive_rows_and_keep_empty_fields(tmp_path: Path):
    path = tmp_path / "train-inputs.csv"
    path.write_text(
        ",ReviewID,PMID,Title,Abstract\n"
        '0,R1,11,First title,"An abstract, with a comma\nand a line break."\n'
        "1,R1,12,Second title,\n"
        "2,R2,13,,Only an abstract.\n"
    )
    reviews = list(iter_reviews(path))
    assert [(r.id, r.line, [s.pmid for s in r.studies]) for r in reviews] == [
        ("R1", 2, ["11", "12"]),
        ("R2", 5, ["13"]),
    ]
    assert reviews[0].studies[0].text == "First title\nAn abstract, with a comma\nand a line break."
    assert reviews[0].studies[1].text == "Second title" and reviews[1].studies[0].text == "Only an abstract."


def test_scattered_reviews_and_repeated_targets_are_errors(tmp_path: Path):
    path = tmp_path / "dev-inputs.csv"
    path.write_text(",ReviewID,PMID,Title,Abstract\n0,R1,1,a,b\n1,R2,2,c,d\n2,R1,3,e,f\n")
    with pytest.raises(RawFormatError, match="dev-inputs.csv, line 4: rows of review R1 are not consecutive"):
        list(iter_reviews(path))
    targets = tmp_path / "dev-targets.csv"
    targets.write_text(",ReviewID,Target\n0,R1,one\n1,R1,two\n")
    with pytest.raises(RawFormatError, match="dev-targets.csv, line 3: review R1 repeats line 2"):
        review_texts(targets, "Target")
    targets.write_text(",ReviewID,Summary\n0,R1,one\n")
    with pytest.raises(RawFormatError, match="header lacks column\\(s\\) Target"):
        review_texts(targets, "Target")
