from __future__ import annotations

import json

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError


def test_fixture_en_and_zh(build_store):
    root = build_store(["medqa"]).store.root
    en = meds_ins.load_dataset(root, task="task57")
    assert (en["train"].num_rows, en["test"].num_rows) == (2, 2)
    row = en["test"][0]
    assert row["output"] == ["B. Streptococcus pyogenes", "B"]
    assert json.loads(row["meta"]) == {
        "answer": ["B"],
        "exam": "step1",
        "options": {
            "A": "Staphylococcus aureus",
            "B": "Streptococcus pyogenes",
            "C": "Epstein-Barr virus",
            "D": "Measles virus",
        },
    }
    assert "\nOptions:\nA. Staphylococcus aureus\n" in row["input"]
    zh = meds_ins.load_dataset(root, task="task58", split="test")
    assert zh.num_rows == 2 and set(zh["input_language"]) == {"zh"} and zh[1]["output"][1] == "B"


def test_real_sample(build_store):
    raw = real_corpus("medqa")
    path = raw / "data_clean/questions/US/4_options/phrases_no_exclude_test.jsonl"
    source = [json.loads(line) for line in path.read_text().splitlines()]
    report = build_store(["medqa"], raw=raw)
    test = meds_ins.load_dataset(report.store.root, task="task57", split="test")
    assert test.num_rows == len(source) == 100
    for row, item in zip(test, source):
        meta = json.loads(row["meta"])
        assert meta["answer"] == [item["answer_idx"]] and meta["options"] == item["options"]
        assert row["output"][0] == f"{item['answer_idx']}. {item['answer']}"
    assert "task58_medqa_question_answering_zh" not in report.store.manifest["tasks"]


def test_answer_text_must_match_its_option(build_store, copy_fixture):
    raw = copy_fixture("medqa")
    path = raw / "data_clean/questions/Mainland/test.jsonl"
    path.write_text(path.read_text().replace('"answer": "慢性失血"', '"answer": "吸收障碍"'))
    with pytest.raises(
        RawFormatError, match=r"test.jsonl, line 2: answer text '吸收障碍' differs from option B"
    ):
        build_store(["medqa"], raw=raw)
