from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError


def records(root: Path, task: str) -> list[dict]:
    ds = meds_ins.load_dataset(root, task=task)
    return ds["train"].to_list() + ds["test"].to_list()


def test_fixture_tasks_and_splits(build_store):
    root = build_store(["pubmedqa"]).store.root
    qa_test = records(root, "task123")
    assert {r["id"] for r in qa_test} == {"task123:90000002", "task123:90000003", "task123:90000005"}
    assert {r["split"] for r in qa_test} == {"test"}
    train = records(root, "task124")
    assert {r["id"] for r in train} == {
        "task124:90000001",
        "task124:90000004",
        "task124:90000006",
        "task124:pqaa-91000001",
    }
    verification = records(root, "task12")
    assert Counter(r["output"][0] for r in verification) == {"yes": 7, "no": 7}  # balanced by construction
    sections = {r["output"][0] for r in records(root, "task14")}
    assert {"BACKGROUND", "METHODS", "RESULTS", "PATIENTS AND METHODS"} <= sections
    generated = records(root, "task11")
    assert all(r["output"][0].endswith("?") and "Context" not in r["input"] for r in generated)


def test_real_sample_answers_equal_the_final_decisions(build_store):
    raw = real_corpus("pubmedqa")
    source = json.loads((raw / "ori_pqal.json").read_text())
    truth = json.loads((raw / "test_ground_truth.json").read_text())
    root = build_store(["pubmedqa"], raw=raw).store.root
    test = meds_ins.load_dataset(root, task="task123_pubmedqa_test_set", split="test")
    train = meds_ins.load_dataset(root, task="task124_pubmedqa_train_set", split="train")
    assert test.num_rows == len(truth) == 49 and train.num_rows == len(source) - len(truth) == 51
    for row in test.to_list() + train.to_list():
        pmid = row["id"].split(":")[1]
        assert row["output"] == [source[pmid]["final_decision"]]
        assert source[pmid]["QUESTION"] in row["input"]
    assert {r["id"].split(":")[1] for r in test} == set(truth)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda q, t: t.update({"90000001": "no"}),
            "decision 'no' differs from ori_pqal.json's final_decision 'yes'",
        ),
        (
            lambda q, t: t.update({"123": "yes"}),
            "test_ground_truth.json, PMID 123: listed as a test question but absent",
        ),
        (
            lambda q, t: q["90000004"].update({"final_decision": "perhaps"}),
            "final_decision 'perhaps' is not one of",
        ),
        (lambda q, t: q["90000004"]["LABELS"].pop(), "2 CONTEXTS but 1 LABELS"),
        (lambda q, t: q["90000004"].pop("QUESTION"), "PMID 90000004: missing key(s) 'QUESTION'"),
    ],
)
def test_malformed_input_names_file_and_record(build_store, copy_fixture, change, message):
    raw = copy_fixture("pubmedqa")
    questions = json.loads((raw / "ori_pqal.json").read_text())
    truth = json.loads((raw / "test_ground_truth.json").read_text())
    change(questions, truth)
    (raw / "ori_pqal.json").write_text(json.dumps(questions))
    (raw / "test_ground_truth.json").write_text(json.dumps(truth))
    with pytest.raises(RawFormatError) as err:
        build_store(["pubmedqa"], raw=raw)
    assert message in str(err.value)
