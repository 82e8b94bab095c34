from __future__ import annotations

import json

import pytest

import meds_ins
from meds_ins.builder import RawFormatError

TRAIN = "mashqa_data/train_webmd_squad_v2_full.json"


def records(root) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task="task101")
    return {row["id"]: row for split in ds.values() for row in split.to_list()}


def test_fixture_official_split_and_multi_span_answers(build_store):
    report = build_store(["mashqa"])
    assert report.store.manifest["corpora"]["mashqa"]["skipped"] == {
        "question repeated (answers merged into one record)": 1,
        "question without an answer": 1,
    }
    rows = records(report.store.root)
    assert {key: row["split"] for key, row in rows.items()} == {
        "task101:train-101": "train",
        "task101:train-102": "train",
        "task101:train-103": "train",
        "task101:val-201": "train",
        "task101:test-301": "test",
        "task101:test-302": "test",
    }
    # two sentences that are not next to each other in the article
    assert rows["task101:train-103"]["output"] == [
        "Lorem fever is an infection spread by ticks. "
        "You can lower your risk by checking for ticks after walks."
    ]
    # question 104 repeats 101 (case and spacing aside): one record, both answers
    assert rows["task101:train-101"]["output"] == [
        "Most people get a fever, a headache and a rash. The rash usually starts on the wrists and ankles.",
        "Most people get a fever, a headache and a rash.",
    ]
    test = rows["task101:test-301"]
    assert test["input"].startswith("Article: Sitametine is a medicine for high blood pressure.")
    assert test["input"].endswith("\n\nQuestion: How should I take sitametine?")
    assert json.loads(test["meta"]) == {"url": "https://www.example.org/health/sitametine-drug", "spans": 2}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda qa: qa["answers"][0].update(answer_starts=[[0, 44], [900, 20]]),
            "answer span \\[900, 20\\] lies outside",
        ),
        (
            lambda qa: qa["answers"][0].update(answer_starts=[[0, 44, 1]]),
            r"answer span \[0, 44, 1\] is not \[start, length\]",
        ),
        (lambda qa: qa.pop("question"), r"missing key\(s\) 'question'"),
    ],
)
def test_malformed_answers_name_file_and_question(build_store, copy_fixture, change, message):
    raw = copy_fixture("mashqa")
    data = json.loads((raw / TRAIN).read_text())
    change(data["data"][0]["paragraphs"][0]["qas"][1])
    (raw / TRAIN).write_text(json.dumps(data))
    with pytest.raises(
        RawFormatError,
        match=rf"train_webmd_squad_v2_full.json, data\[0\].paragraphs\[0\].qas\[1\] \(id 102\): {message}",
    ):
        build_store(["mashqa"], raw=raw)
