from __future__ import annotations

import json

import pytest

import meds_ins
from meds_ins.builder import RawFormatError

TASKS = {"task51": "zh", "task52": "en", "task53": "fr", "task54": "ja", "task55": "ru", "task56": "es"}


def test_fixture_keeps_the_rationales_that_passed_the_check(build_store):
    report = build_store(["mmedbench"])
    root = report.store.root
    for task, language in TASKS.items():
        ds = meds_ins.load_dataset(root, task=task)
        assert (ds["train"].num_rows, ds["test"].num_rows) == (0, 1)
        assert set(ds["test"]["output_language"]) == {language}
    english = meds_ins.load_dataset(root, task="task52", split="test")[0]
    assert english["id"] == "task52:line-1"
    assert english["input"].endswith("D. Folic acid\n\nAnswer: A. Oral iron")
    assert english["output"][0].startswith("Low ferritin with anemia")
    french = json.loads(meds_ins.load_dataset(root, task="task53", split="test")[0]["meta"])
    assert french["answer"] == ["A", "C", "E"]
    assert report.store.manifest["corpora"]["mmedbench"]["skipped"] == {
        "rationale not checked by a person": 2,
        "rationale failed the human check": 1,
    }


def _append(raw, language, record):
    with open(raw / f"MMedBench/Test/{language}.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


GOOD = {
    "question": "q",
    "options": {"A": "x", "B": "y"},
    "answer_idx": "B",
    "rationale": "because",
    "human_checked": True,
    "human_check_passed": True,
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answer_idx": "C"}, "answer_idx 'C' does not name options among A, B"),
        ({"answer_idx": 2}, "answer_idx 2 must be a letter"),
        ({"human_checked": "yes"}, "human_checked must be true or false, found 'yes'"),
        ({"rationale": " "}, "a human-checked item must have a non-empty rationale"),
        ({"options": ["x", "y"]}, "options must be an object"),
    ],
)
def test_malformed_line_names_file_and_line(build_store, copy_fixture, change, message):
    raw = copy_fixture("mmedbench")
    _append(raw, "Russian", {**GOOD, **change})
    with pytest.raises(RawFormatError) as err:
        build_store(["mmedbench"], raw=raw)
    assert f"Russian.jsonl, line 2: {message}" in str(err.value)
