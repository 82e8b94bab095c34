from __future__ import annotations

import json

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError


def test_fixture_yes_no_in_russian(build_store):
    report = build_store(["rumedbench"])
    ds = meds_ins.load_dataset(report.store.root, task="task61")
    assert (ds["train"].num_rows, ds["test"].num_rows) == (3, 2)
    row = ds["test"][0]
    assert row["id"] == "task61:b2e1d4c3f5a6b7089923456700000001"
    assert row["output"] == ["нет"] and row["input_language"] == "ru"
    assert row["input"].startswith("Context: Ветряная оспа") and "\n\nQuestion: Ветряную оспу" in row["input"]
    assert report.store.manifest["corpora"]["rumedbench"]["skipped"] == {
        "RuMedDaNet test_v1 item (kept out of training and test)": 1
    }


def test_real_sample_dev_is_the_test_split(build_store):
    raw = real_corpus("rumedbench")
    lines = (raw / "data/RuMedDaNet/dev_v1.jsonl").read_text(encoding="utf-8").splitlines()
    source = [json.loads(line) for line in lines]
    test = meds_ins.load_dataset(build_store(["rumedbench"], raw=raw).store.root, task="task61", split="test")
    assert test.num_rows == len(source) == 100
    assert [r["output"] for r in test] == [[item["answer"]] for item in source]
    assert [r["id"] for r in test] == [f"task61:{item['pairID']}" for item in source]
    assert sum(r["output"] == ["да"] for r in test) == 50


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '{"context": "c", "question": "q", "answer": "yes", "pairID": "x"}',
            "answer 'yes' is not one of да, нет",
        ),
        ('{"context": "c", "question": "q", "pairID": "x"}', "missing key(s) 'answer'"),
        ('{"context": "c", "question": ', "invalid JSON Lines record"),
    ],
)
def test_malformed_line_names_file_and_line(build_store, copy_fixture, line, message):
    raw = copy_fixture("rumedbench")
    with open(raw / "data/RuMedDaNet/dev_v1.jsonl", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    with pytest.raises(RawFormatError) as err:
        build_store(["rumedbench"], raw=raw)
    assert f"dev_v1.jsonl, line 3: {message}" in str(err.value)
