from __future__ import annotations

import json

import pytest

import meds_ins
from meds_ins.builder import RawFormatError

DATASET = "question_driven_answer_summarization_primary_dataset.json"


def records(root) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task="task102")
    return {row["id"]: row for split in ds.values() for row in split.to_list()}


def test_fixture(build_store):
    report = build_store(["mediqa_ans"])
    assert report.store.manifest["corpora"]["mediqa_ans"]["skipped"] == {"question without a summary": 1}
    rows = records(report.store.root)
    assert set(rows) == {"task102:1", "task102:2"}
    first = rows["task102:1"]
    assert first["input"].startswith("What are the treatments for lorem fever?")
    assert first["output"][0].startswith("Lorem fever is treated with the antibiotic ipsumycin")
    assert first["output"][1].startswith("Doctors treat lorem fever with ipsumycin.")
    assert len(first["output"]) == 2 and json.loads(first["meta"]) == {
        "answer_ids": ["1_Answer1", "1_Answer2"]
    }
    # a single answer has no multi-document summary: its own summaries are the references
    assert rows["task102:2"]["output"] == [
        "No. A dolor rash does not spread from person to person, though plant oil left on clothes can cause "
        "new rashes.",
        "It is not contagious, but the plant oil can spread from clothes.",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["2"].pop("answers"), r"question 2: missing key\(s\) 'answers'"),
        (
            lambda d: d["1"]["answers"]["1_Answer2"].pop("article"),
            r"question 1, answer 1_Answer2: missing key",
        ),
        (lambda d: d["3"].update(answers=[]), "question 3: answers must be an object"),
    ],
)
def test_malformed_questions_name_file_and_record(build_store, copy_fixture, change, message):
    raw = copy_fixture("mediqa_ans")
    data = json.loads((raw / DATASET).read_text())
    change(data)
    (raw / DATASET).write_text(json.dumps(data))
    with pytest.raises(RawFormatError, match=f"{DATASET}, {message}"):
        build_store(["mediqa_ans"], raw=raw)
