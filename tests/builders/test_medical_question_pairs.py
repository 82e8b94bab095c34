from __future__ import annotations

import csv
import json

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError


def rows(root):
    ds = meds_ins.load_dataset(root, task="task38")
    return ds["train"].to_list() + ds["test"].to_list()


def test_fixture(build_store):
    records = {r["id"]: r for r in rows(build_store(["medical_question_pairs"]).store.root)}
    assert len(records) == 8
    quoted = records["task38:line3"]
    assert quoted["input"] == (
        "Question 1: Why do my ankles swell when I fly, and should I worry?\n\n"
        "Question 2: Is ankle swelling on long flights something to be concerned about?"
    )
    assert quoted["output"] == ["Similar"] and json.loads(quoted["meta"]) == {"dr_id": "5"}
    assert 'Question 2: Which socks are called "compression socks"' in records["task38:line4"]["input"]
    assert records["task38:line4"]["output"] == ["Dissimilar"]


def test_both_rewrites_of_a_question_share_a_split(build_store):
    records = rows(build_store(["medical_question_pairs"]).store.root)
    by_question: dict[str, set[str]] = {}
    for r in records:
        by_question.setdefault(r["input"].split("\n\n")[0], set()).add(r["split"])
    assert all(len(splits) == 1 for splits in by_question.values())


def test_real_sample_labels(build_store):
    raw = real_corpus("medical_question_pairs")
    with open(raw / "mqp.csv", encoding="utf-8", newline="") as handle:
        source = list(csv.reader(handle))
    records = rows(build_store(["medical_question_pairs"], raw=raw).store.root)
    assert len(records) == len(source) == 400
    expected = {f"task38:line{n}": row for n, row in enumerate(source, start=1)}
    for r in records:
        dr_id, first, second, label = expected[r["id"]]
        assert r["output"] == [{"1": "Similar", "0": "Dissimilar"}[label]]
        assert r["input"] == f"Question 1: {first.strip()}\n\nQuestion 2: {second.strip()}"
    assert sum(r["output"] == ["Similar"] for r in records) == 200
    assert 20 <= sum(r["split"] == "test" for r in records) <= 70


def test_unknown_label_names_file_and_line(build_store, copy_fixture):
    raw = copy_fixture("medical_question_pairs")
    path = raw / "mqp.csv"
    path.write_bytes(path.read_bytes().replace(b"go up?,1", b"go up?,yes"))
    with pytest.raises(RawFormatError, match=r"mqp.csv, line 7: label 'yes' is not 1"):
        build_store(["medical_question_pairs"], raw=raw)
