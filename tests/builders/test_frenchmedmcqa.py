from __future__ import annotations

import json

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError


def test_fixture_split_and_multiple_answers(build_store):
    report = build_store(["frenchmedmcqa"])
    ds = meds_ins.load_dataset(report.store.root, task="task60")
    assert (ds["train"].num_rows, ds["test"].num_rows) == (3, 2)  # train + dev; test
    warfarin = ds["test"][1]
    assert warfarin["output"] == [
        "A. C'est un anti-vitamine K; B. Son effet est surveillé par l'INR; E. Elle traverse le placenta",
        "A, B, E",
    ]
    assert json.loads(warfarin["meta"])["answer"] == ["A", "B", "E"] and warfarin["input_language"] == "fr"
    assert report.store.manifest["corpora"]["frenchmedmcqa"]["skipped"] == {
        "question (same id) repeated identically (kept once)": 1
    }


def test_real_sample_answers_equal_correct_answers(build_store):
    raw = real_corpus("frenchmedmcqa")
    root = build_store(["frenchmedmcqa"], raw=raw).store.root
    ds = meds_ins.load_dataset(root, task="task60")
    for split, files in (("train", ("train", "dev")), ("test", ("test",))):
        source = [item for f in files for item in json.loads((raw / f"corpus/{f}.json").read_text())]
        rows = ds[split].to_list()
        assert len(rows) == len(source)
        for row, item in zip(rows, source):
            assert row["id"] == f"task60:{item['id']}"
            assert json.loads(row["meta"])["answer"] == sorted(a.upper() for a in item["correct_answers"])
            assert row["input"].startswith(item["question"].strip())
    assert (ds["train"].num_rows, ds["test"].num_rows) == (250, 100)


def _rewrite_test_file(raw, change):
    path = raw / "corpus/test.json"
    items = json.loads(path.read_text())
    change(items)
    path.write_text(json.dumps(items, indent=4))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda item: item.update(correct_answers=["f"]), "correct_answers ['f'] must be a non-empty list"),
        (lambda item: item.update(nbr_correct_answers=2), "1 correct_answers but nbr_correct_answers is 2"),
        (lambda item: item["answers"].pop("e"), "answers must be an object with the keys a, b, c, d and e"),
        (lambda item: item.pop("id"), "missing key(s) 'id'"),
    ],
)
def test_malformed_question_names_file_and_question(build_store, copy_fixture, change, message):
    raw = copy_fixture("frenchmedmcqa")
    _rewrite_test_file(raw, lambda items: change(items[0]))
    with pytest.raises(RawFormatError) as err:
        build_store(["frenchmedmcqa"], raw=raw)
    assert f"test.json, question 1: {message}" in str(err.value)


def test_an_id_reused_for_another_question_leaves_out_every_copy(build_store, copy_fixture):
    raw = copy_fixture("frenchmedmcqa")
    _rewrite_test_file(raw, lambda items: items.append({**items[0], "question": "Autre question ?"}))
    report = build_store(["frenchmedmcqa"], raw=raw)
    ds = meds_ins.load_dataset(report.store.root, task="task60")
    reused = json.loads((raw / "corpus/test.json").read_text())[0]["id"]
    assert f"task60:{reused}" not in ds["test"]["id"] and ds["test"].num_rows == 1
    assert report.store.manifest["corpora"]["frenchmedmcqa"]["skipped"] == {
        "question (same id) repeated identically (kept once)": 1,
        "question (same id) repeated with different content (every copy left out)": 2,
    }
