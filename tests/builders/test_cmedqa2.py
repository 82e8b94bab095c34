from __future__ import annotations

import json
import zipfile

import pytest

import meds_ins
from meds_ins.builder import MissingRawFilesError, RawFormatError


def records(root):
    ds = meds_ins.load_dataset(root, task="task120_cmedqa2_question_answering")
    return {r["id"]: r for split in ds for r in ds[split].to_list()}


def test_fixture_questions_with_their_right_answers(build_store):
    report = build_store(["cmedqa2"])
    rows = records(report.store.root)
    assert {k: r["split"] for k, r in rows.items()} == {
        "task120:10000001": "train",
        "task120:10000003": "train",  # dev questions are training data
        "task120:10000004": "test",
        "task120:10000002": "test",  # also in the train candidates: kept on the test side only
    }
    assert json.loads(rows["task120:10000001"]["meta"]) == {"answer_ids": ["20001", "20002"]}
    assert len(rows["task120:10000004"]["output"]) == 2
    assert '"一周后"' in rows["task120:10000004"]["output"][1]  # a quoted CSV field
    assert report.store.manifest["corpora"]["cmedqa2"]["skipped"] == {
        "no candidate answer marked right (label 1)": 1,
        "question already used by an earlier split (train_candidates copy left out)": 1,
    }


def test_extracted_files_give_the_same_records(build_store, copy_fixture, tmp_path):
    raw = copy_fixture("cmedqa2")
    zipped = records(build_store(["cmedqa2"], raw=raw, out=tmp_path / "zipped").store.root)
    for archive in sorted(raw.glob("*.zip")):
        with zipfile.ZipFile(archive) as z:
            z.extractall(raw)
        archive.unlink()
    assert sorted(p.name for p in raw.iterdir())[:2] == ["answer.csv", "dev_candidates.txt"]
    assert records(build_store(["cmedqa2"], raw=raw, out=tmp_path / "extracted").store.root) == zipped


def _replace_member(archive, text):
    with zipfile.ZipFile(archive) as z:
        (member,) = z.namelist()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(member, text)


@pytest.mark.parametrize(
    ("archive", "text", "reason"),
    [
        (
            "test_candidates.zip",
            "question_id,ans_id,cnt,label\n10000004,20005,0,yes\n10000004,20006,1,1\n",
            "candidate row with a label other than 0 or 1",
        ),
        (
            "dev_candidates.zip",
            "question_id,ans_id,cnt,label\n10000009,20004,0,1\n10000003,20004,1,1\n",
            "question whose question_id is not in the question table",
        ),
        (
            "dev_candidates.zip",
            "question_id,ans_id,cnt,label\n10000003,29999,0,1\n10000003,20004,1,1\n",
            "question with a right answer id that is not in the answer table",
        ),
    ],
)
def test_a_defective_candidate_row_or_question_is_skipped_and_counted(
    build_store, copy_fixture, archive, text, reason
):
    raw = copy_fixture("cmedqa2")
    _replace_member(raw / archive, text)
    report = build_store(["cmedqa2"], raw=raw)
    assert report.store.manifest["corpora"]["cmedqa2"]["skipped"][reason] == 1
    assert records(report.store.root)  # the rest of the corpus is built


def test_a_table_without_its_columns_stops_the_build(build_store, copy_fixture):
    raw = copy_fixture("cmedqa2")
    _replace_member(raw / "answer.zip", "ans_id,content\n1,x\n")
    with pytest.raises(RawFormatError, match="answer.csv, line 1: header lacks column.s. question_id"):
        build_store(["cmedqa2"], raw=raw)


def test_every_missing_table_is_named_before_the_candidates_are_read(build_store, copy_fixture):
    raw = copy_fixture("cmedqa2")
    (raw / "question.zip").unlink()
    (raw / "answer.zip").unlink()
    _replace_member(raw / "test_candidates.zip", "not,a,candidate,file\n")  # never read
    with pytest.raises(MissingRawFilesError) as err:
        build_store(["cmedqa2"], raw=raw)
    message = str(err.value)
    assert "question.zip (or the extracted question.csv): every question" in message
    assert "answer.zip (or the extracted answer.csv): every answer" in message
