from __future__ import annotations

import json

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError

GOOD = '{"id": "x", "question": "q", "opa": "a", "opb": "b", "opc": "c", "opd": "d", "cop": 1}'


def test_fixture_tasks_splits_and_answers(build_store):
    report = build_store(["medmcqa"])
    root = report.store.root
    train = meds_ins.load_dataset(root, task="task64", split="train")
    test = meds_ins.load_dataset(root, task="task122_medmcqa_test_set", split="test")
    assert (train.num_rows, test.num_rows) == (4, 3)
    row = test[1]
    assert row["id"] == "task122:7d0e5a90-2222-4c3b-8e1f-000000000002"
    assert row["output"] == ["C. Hypertension with red cell casts", "C"]
    assert "A. Proteinuria > 3.5 g/day" in row["input"]  # the escaped slash is read back
    assert json.loads(row["meta"])["answer"] == ["C"] and json.loads(row["meta"])["subject"] == "Medicine"
    explained = meds_ins.load_dataset(root, task="task63")
    # null and empty explanations upstream are counted as skips, not written
    assert (explained["train"].num_rows, explained["test"].num_rows) == (2, 2)
    skipped = report.store.manifest["corpora"]["medmcqa"]["skipped"]
    assert skipped == {"no explanation (exp) upstream, so no task63 record": 3}
    first = explained["train"][0]
    assert first["input"].endswith("Answer: B. Vitamin A")
    assert first["output"][0].startswith("Vitamin A is needed to form rhodopsin")


def test_real_sample_dev_set_is_the_test_set(build_store):
    raw = real_corpus("medmcqa")
    source = [json.loads(line) for line in (raw / "data/dev.json").read_text().splitlines()]
    root = build_store(["medmcqa"], raw=raw).store.root
    test = meds_ins.load_dataset(root, task="task122", split="test")
    assert test.num_rows == len(source) == 300
    for row, item in zip(test, source):
        letter = "ABCD"[item["cop"] - 1]
        meta = json.loads(row["meta"])
        assert row["id"] == f"task122:{item['id']}"
        assert meta["answer"] == [letter] and row["output"][1] == letter
        assert row["output"][0] == f"{letter}. {item['op' + letter.lower()].strip()}"
    explained = meds_ins.load_dataset(root, task="task63", split="test")
    with_exp = [item for item in source if (item["exp"] or "").strip()]
    assert explained.num_rows == len(with_exp) == 173
    assert [r["output"][0] for r in explained] == [item["exp"].strip() for item in with_exp]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (GOOD.replace('"cop": 1', '"cop": 5'), "cop 5 is not"),
        (GOOD.replace(', "opd": "d"', ""), "missing key(s) 'opd'"),
        ('{"id": "x", "question": "q", "opa"', "invalid JSON Lines record"),
    ],
)
def test_malformed_line_names_file_and_line(build_store, copy_fixture, line, message):
    raw = copy_fixture("medmcqa")
    with open(raw / "dev.json", "a") as handle:
        handle.write(line + "\n")
    with pytest.raises(RawFormatError) as err:
        build_store(["medmcqa"], raw=raw)
    assert "dev.json, line 4" in str(err.value) and message in str(err.value)
