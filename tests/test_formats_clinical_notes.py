"""Clinical note sections and note tables (meds_ins.formats.clinical_notes)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from meds_ins import RawFormatError
from meds_ins.formats.clinical_notes import (
    DISCHARGE,
    RADIOLOGY,
    findings_and_impression,
    is_blank,
    iter_note_table,
    tidy,
)

REPORT = (
    " FINAL REPORT\r\n"
    " EXAMINATION:  CT HEAD W/O CONTRAST\r\n \r\n"
    " INDICATION:  ___ year old man with a fall.\r\n \r\n"
    " Findings:\r\n There is no intracranial hemorrhage. The ventricles are\r\n normal in size.\r\n \r\n"
    " IMPRESSION: No acute intracranial abnormality.\r\n \r\n"
    " NOTIFICATION:  The findings were discussed with Dr. ___ at 10:00.\r\n"
)


def test_sections_are_found_whatever_the_case_and_line_ends():
    sections = RADIOLOGY.split(REPORT)
    names = ["other", "examination", "indication", "findings", "impression", "other"]
    assert [s.name for s in sections] == names
    assert sections[1].body == "CT HEAD W/O CONTRAST"
    assert sections[3].header == "Findings"
    assert sections[4].body == "No acute intracranial abnormality."  # ends where NOTIFICATION begins


def test_findings_and_impression_are_tidied_and_unwrapped():
    findings, impression = findings_and_impression(REPORT)
    assert findings == "There is no intracranial hemorrhage. The ventricles are normal in size."
    assert impression == "No acute intracranial abnormality."


@pytest.mark.parametrize(
    ("report", "reason"),
    [
        ("FINDINGS: Lungs are clear.\n", "no IMPRESSION section"),
        ("IMPRESSION: Normal.\n", "no FINDINGS section"),
        ("FINDINGS:\n___\nIMPRESSION: Normal.\n", "no FINDINGS section"),
        ("FINDINGS AND IMPRESSION: Normal study.\n", "written as one section"),
        ("Lungs are clear. No effusion.", "no FINDINGS and no IMPRESSION"),
    ],
)
def test_reports_without_a_usable_pair_say_why(report, reason):
    result = findings_and_impression(report)
    assert isinstance(result, str) and reason in result


def test_a_header_must_start_its_line_and_end_with_a_colon_or_the_line():
    sections = RADIOLOGY.split("FINDINGS: no change in findings: stable.\nIMPRESSION\nStable.\n")
    assert [(s.name, s.body) for s in sections] == [
        ("findings", "no change in findings: stable."),
        ("impression", "Stable."),
    ]
    assert RADIOLOGY.split("Impressionable finding.\n") == []


def test_several_sections_of_one_kind_are_joined():
    text = (
        "FINDINGS: Chest clear.\nIMPRESSION: Normal chest.\nFINDINGS: Abdomen normal.\nIMPRESSION: Normal.\n"
    )
    assert findings_and_impression(text) == ("Chest clear.\n\nAbdomen normal.", "Normal chest.\n\nNormal.")


def test_discharge_sections_and_placeholders():
    note = (
        "Name:  ___                     Unit No:   ___\n \nService: MEDICINE\n \n"
        "Discharge Instructions:\nDear Mr. ___,\n\nYou were admitted for pneumonia.\n \n"
        "Followup Instructions:\n___\n"
    )
    bodies = {s.name: s.body for s in DISCHARGE.split(note)}
    assert bodies["discharge instructions"] == "Dear Mr. ___,\n\nYou were admitted for pneumonia."
    assert is_blank(bodies["followup instructions"]) and is_blank(" ___ , ___.\n")
    assert not is_blank(bodies["discharge instructions"])


def test_tidy_keeps_lists_and_joins_wrapped_lines():
    text = "1. Aspirin 81 mg PO\n2. Metoprolol   25 mg\n\n\n\nTake your pills\nevery day , and\n(as directed)"
    assert tidy(text) == (
        "1. Aspirin 81 mg PO\n2. Metoprolol 25 mg\n\nTake your pills every day , and\n(as directed)"
    )


def test_very_long_notes_are_split_in_linear_time():
    body = "There is a small nodule in the left lower lobe, unchanged.\n" * 40_000  # ~2.4 MB
    findings, impression = findings_and_impression(f"FINDINGS:\n{body}IMPRESSION:\nStable nodule.\n")
    assert len(findings) > 2_000_000 and impression == "Stable nodule."
    wrapped = "There is a nodule\n" + "and the text goes on\n" * 100_000  # one sentence hard-wrapped
    assert tidy(wrapped).count("\n") == 0 and len(tidy(wrapped)) == len(wrapped) - 1


def test_note_tables_stream_plain_and_gzip(tmp_path: Path):
    content = 'note_id,text\n1-RR-1,"FINDINGS: a\nIMPRESSION: b"\n1-RR-2,plain\n'
    (tmp_path / "n.csv").write_text(content)
    with gzip.open(tmp_path / "n.csv.gz", "wt") as handle:
        handle.write(content)
    for name in ("n.csv", "n.csv.gz"):
        rows = list(iter_note_table(tmp_path / name, ("note_id", "text")))
        assert [(line, row["note_id"]) for line, row in rows] == [(2, "1-RR-1"), (4, "1-RR-2")]


def test_truncated_gzip_names_the_file_and_the_line_reached(tmp_path: Path):
    rows = "".join(f"{i}-RR-1,some text of note {i}\n" for i in range(5000))
    data = gzip.compress(("note_id,text\n" + rows).encode())
    (tmp_path / "n.csv.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(RawFormatError, match=r"n.csv.gz, after line \d+: not a readable gzip file"):
        list(iter_note_table(tmp_path / "n.csv.gz", ("note_id", "text")))
    (tmp_path / "bad.csv.gz").write_bytes(b"not gzip at all")
    with pytest.raises(RawFormatError, match="bad.csv.gz, after line 1: not a readable gzip"):
        list(iter_note_table(tmp_path / "bad.csv.gz", ("note_id", "text")))
