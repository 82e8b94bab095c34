from __future__ import annotations

import json

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins._records.convert import clean_text
from meds_ins.builder import RawFormatError

GOLDEN = "Task10BGoldenEnriched/10B1_golden.json"
TRAINING = "BioASQ-training10b/training10b.json"


def records(root) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task="task104")
    return {row["id"]: row for split in ds.values() for row in split.to_list()}


def test_fixture_official_split(build_store):
    report = build_store(["bioasq"])
    assert report.store.manifest["corpora"]["bioasq"]["skipped"] == {
        "no snippets to answer from": 1,
        "training question that is also in a golden test batch": 1,
    }
    rows = records(report.store.root)
    splits = {key.split(":")[1]: row["split"] for key, row in rows.items()}
    assert splits == {
        "6f0000000000000000000001": "test",
        "6f0000000000000000000002": "test",
        "6f0000000000000000000003": "test",
        "6f0000000000000000000004": "test",
        "5a0000000000000000000001": "train",
        "5a0000000000000000000002": "train",
    }
    factoid = rows["task104:6f0000000000000000000002"]
    assert factoid["input"] == (
        "Question: Which receptor does ipsumab target?\n\nSnippets:\n"
        "- Ipsumab is a monoclonal antibody that binds the receptor DOL-1.\n"
        "- Ipsumab, an anti-DOL-1 antibody, reduced flares by 40%."
    )
    assert factoid["output"] == [
        "Ipsumab targets the DOL-1 receptor.",
        "Ipsumab is an antibody against DOL-1.",
    ]
    meta = json.loads(factoid["meta"])
    assert meta["type"] == "factoid" and meta["exact_answer"] == [["DOL-1", "dolor receptor 1"]]
    assert "<liver>" in rows["task104:6f0000000000000000000004"]["input"]  # \u003c escapes decoded


def test_real_sample_ideal_answers(build_store):
    raw = real_corpus("bioasq")
    questions = json.loads((raw / GOLDEN).read_text())["questions"]
    rows = records(build_store(["bioasq"], raw=raw).store.root)
    assert len(rows) == len(questions) == 25
    for question in questions:
        row = rows[f"task104:{question['id']}"]
        assert row["split"] == "test"
        assert row["output"] == list(dict.fromkeys(a.strip() for a in question["ideal_answer"]))
        assert row["input"].startswith(f"Question: {question['body']}\n\nSnippets:\n- ")
        # records hold text in the package's normal form (one snippet has a Windows-1252 quote as U+0092)
        assert all(clean_text(s["text"]) in row["input"] for s in question["snippets"])
        meta = json.loads(row["meta"])
        assert meta["type"] == question["type"] and meta.get("exact_answer") == question.get("exact_answer")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda q: q[2].update(type="definition"),
            r"questions\[2\] \(id 6f0+3\): type 'definition' is not one of",
        ),
        (lambda q: q[0].pop("ideal_answer"), r"questions\[0\] \(id 6f0+1\): missing key\(s\) 'ideal_answer'"),
        (
            lambda q: q[1]["snippets"][0].pop("text"),
            r"questions\[1\] \(id 6f0+2\), snippets\[0\]: missing key",
        ),
    ],
)
def test_malformed_questions_name_file_and_record(build_store, copy_fixture, change, message):
    raw = copy_fixture("bioasq")
    data = json.loads((raw / GOLDEN).read_text())
    change(data["questions"])
    (raw / GOLDEN).write_text(json.dumps(data, indent=2))
    with pytest.raises(RawFormatError, match=f"10B1_golden.json, {message}"):
        build_store(["bioasq"], raw=raw)
