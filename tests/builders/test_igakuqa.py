from __future__ import annotations

import json

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError


def all_rows(root):
    ds = meds_ins.load_dataset(root, task="task59_igakuqa_question_answering")
    return [r for split in ds for r in ds[split].to_list()]


def test_fixture_answers_and_skips(build_store):
    report = build_store(["igakuqa"])
    rows = {r["id"]: r for r in all_rows(report.store.root)}
    assert set(rows) == {"task59:112A1", "task59:112A2", "task59:113F1", "task59:113F2", "task59:113F3"}
    two = rows["task59:112A2"]
    assert two["output"] == ["C. 手指振戦; E. 発汗過多", "C, E"]
    assert json.loads(two["meta"])["area"] == "内分泌" and two["input_language"] == "ja"
    assert rows["task59:113F2"]["output"][1] == "A, B, D"
    assert "area" not in json.loads(rows["task59:113F1"]["meta"])  # no metadata file for that block
    assert report.store.manifest["corpora"]["igakuqa"]["skipped"] == {
        "question needs an image that the release does not include (text_only false)": 1,
        "numeric-entry question without options": 1,
        "answer accepts alternatives ('a or d')": 1,
        "question worth 0 points (excluded from scoring)": 1,
    }


def test_real_sample_keeps_the_text_only_questions(build_store):
    raw = real_corpus("igakuqa")
    lines = (raw / "data/2018/112-A.jsonl").read_text(encoding="utf-8").splitlines()
    source = {item["problem_id"]: item for item in map(json.loads, lines)}
    text_only = {pid for pid, item in source.items() if item["text_only"]}
    rows = all_rows(build_store(["igakuqa"], raw=raw).store.root)
    assert len(rows) == len(text_only) == 38
    for row in rows:
        item = source[row["id"].split(":")[1]]
        meta = json.loads(row["meta"])
        assert meta["answer"] == [a.upper() for a in item["answer"]]
        assert list(meta["options"].values()) == item["choices"]
        assert row["input"].startswith(item["problem_text"].strip())
    assert {r["split"] for r in rows} == {"train", "test"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda item: item.update(answer=["f"]),
            "112-A.jsonl, line 1: answer f is not one of the letters a-e",
        ),
        (lambda item: item.pop("choices"), "112-A.jsonl, line 1: missing key(s) 'choices'"),
        (lambda item: item.update(answer=[]), "line 1: choices must be a list and answer a non-empty list"),
    ],
)
def test_malformed_question_names_file_and_line(build_store, copy_fixture, change, message):
    raw = copy_fixture("igakuqa")
    path = raw / "data/2018/112-A.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    change(first)
    path.write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(RawFormatError) as err:
        build_store(["igakuqa"], raw=raw)
    assert message in str(err.value)
