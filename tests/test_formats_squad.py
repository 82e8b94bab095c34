"""The shared SQuAD-format reader and the answer locator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meds_ins import RawFormatError
from meds_ins.formats.squad import iter_squad, locate_answer

CONTEXT = "Alpha beta gamma. Beta again."


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "qa.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def squad(qas: list) -> dict:
    return {"data": [{"title": "t", "paragraphs": [{"context": CONTEXT, "qas": qas}]}]}


def test_questions_in_file_order_with_their_paragraph(tmp_path: Path):
    qas = [
        {"id": 7, "question": "Which?", "answers": [{"text": "beta", "answer_start": 6}]},
        {"id": "q8", "question": "None?", "answers": [], "is_impossible": True},
    ]
    found = list(iter_squad(write(tmp_path, squad(qas))))
    assert [q.id for q in found] == ["7", "q8"]
    assert found[0].context == CONTEXT and found[0].answers[0].text == "beta"
    assert found[0].article["title"] == "t" and not found[0].is_impossible and found[1].is_impossible
    assert found[1].where == "data[0].paragraphs[0].qas[1] (id q8)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], r'expected a JSON object \{"data": \[articles\]\}'),
        ({"data": [{"paragraphs": [{"qas": []}]}]}, r"data\[0\].paragraphs\[0\]: missing key\(s\) 'context'"),
        (squad([{"id": 3, "question": "Q?"}]), r"qas\[0\] \(id 3\): missing key\(s\) 'answers'"),
        (
            squad([{"id": 3, "question": "Q?", "answers": [{"text": "x", "answer_start": "4"}]}]),
            "integer answer_start",
        ),
        ({"data": [{"paragraphs": {}}]}, r"data\[0\].paragraphs: expected a JSON array"),
    ],
)
def test_malformed_files_name_the_question(tmp_path: Path, data, message):
    with pytest.raises(RawFormatError, match=message):
        list(iter_squad(write(tmp_path, data)))


def test_locate_answer_repairs_offsets_that_are_slightly_off():
    assert locate_answer(CONTEXT, "beta", 6) == 6
    assert locate_answer(CONTEXT, " beta", 6) == 5  # released one character too far
    assert locate_answer(CONTEXT, "Beta", 0) == 18
    assert locate_answer(CONTEXT, "beta", None) == 6
    assert locate_answer(CONTEXT, "delta", 3) is None
