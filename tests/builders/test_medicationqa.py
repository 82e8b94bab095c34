from __future__ import annotations

from collections import defaultdict

import pytest
from conftest import real_corpus
from openpyxl import Workbook, load_workbook

import meds_ins
from meds_ins.builder import RawFormatError

WORKBOOK = "MedInfo2019-QA-Medications.xlsx"


def records(root) -> list[dict]:
    ds = meds_ins.load_dataset(root, task="task65")
    return [row for split in ds.values() for row in split.to_list()]


def test_fixture(build_store):
    report = build_store(["medicationqa"])
    assert report.store.manifest["corpora"]["medicationqa"]["skipped"] == {
        "no answer (the question was marked unanswerable)": 2,
        "question repeated (answers joined into one record)": 1,
    }
    rows = {r["id"]: r for r in records(report.store.root)}
    assert set(rows) == {"task65:row2", "task65:row3", "task65:row4", "task65:row7"}
    looks = rows["task65:row4"]  # asked twice, differing in case and spacing: one record, both answers
    assert looks["input"] == "what does dolorex look like"
    assert looks["output"] == ["WHITE, ROUND (imprint D10)\n\nYELLOW, OVAL (imprint D20)"]
    steps = rows["task65:row7"]["output"][0]
    assert steps.startswith("To use the inhaler, follow these steps:\n\t1\tTake off")


def test_real_sample_joins_the_answers_of_each_question(build_store):
    raw = real_corpus("medicationqa")
    sheet = load_workbook(raw / WORKBOOK, read_only=True)["DrugQA"]
    header, *body = list(sheet.iter_rows(values_only=True))
    question, answer = header.index("Question"), header.index("Answer")
    expected: dict[str, list[str]] = defaultdict(list)
    placeholders = 0
    for values in body:
        text = str(values[answer]).strip()
        if text in ("No answers", "No Answers", "Unanswerable", "n/a"):
            placeholders += 1
        else:
            expected[" ".join(str(values[question]).split()).lower()].append(text)
    rows = records(build_store(["medicationqa"], raw=raw).store.root)
    assert len(body) == 690 and placeholders == 13
    assert len(rows) == len(expected) == 638
    for row in rows:
        answers = list(dict.fromkeys(expected[" ".join(row["input"].split()).lower()]))
        # zero-width spaces ('Hu·\u200bmi·\u200bra') are removed from records
        assert row["output"] == ["\n\n".join(answers).replace("\r\n", "\n").replace("\u200b", "")]


def write(path, header, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "DrugQA"
    for values in [header, *rows]:
        sheet.append(values)
    book.save(path)


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        (["Question", "Focus (Drug)", "Reply"], [["q", "d", "a"]], r"row 1: header lacks column\(s\) Answer"),
        (["Question", "Answer"], [["q1", "a1"], ["", "a2"]], "row 3: an answer without a question"),
    ],
)
def test_malformed_workbook_names_file_and_row(build_store, copy_fixture, header, rows, message):
    raw = copy_fixture("medicationqa")
    write(raw / WORKBOOK, header, rows)
    with pytest.raises(RawFormatError, match=f"{WORKBOOK}, sheet 'DrugQA', {message}"):
        build_store(["medicationqa"], raw=raw)
