from __future__ import annotations

import json

import pytest

import meds_ins
from meds_ins.builder import RawFormatError


def records(root, task):
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"].split(":")[1]: r for split in ds for r in ds[split].to_list()}


def test_fixture_textbook_and_patient_information(build_store):
    report = build_store(["wikidoc"])
    textbook = records(report.store.root, "task69")
    assert sorted(textbook) == ["record1", "record2"]
    assert textbook["record1"]["input"] == "What is the pathophysiology of gout?"
    assert textbook["record1"]["output"][0].startswith("Gout develops when uric acid in the blood stays high")
    patients = records(report.store.root, "task70")
    assert sorted(patients) == ["record1", "record2", "record3"]
    assert patients["record3"]["output"][0].startswith("People over 60, those with a family history")
    assert report.store.manifest["corpora"]["wikidoc"]["skipped"] == {
        "medical_meadow_wikidoc.json: question or answer empty": 1,
        "medical_meadow_wikidoc.json: question-answer pair repeated word for word": 1,
    }


def test_json_lines_copy_is_read_too(build_store, copy_fixture):
    raw = copy_fixture("wikidoc")
    path = raw / "medical_meadow_wikidoc_patient_info.json"
    data = json.loads(path.read_text())
    path.write_text("\n".join(json.dumps(item) for item in data) + "\n")
    assert sorted(records(build_store(["wikidoc"], raw=raw).store.root, "task70")) == [
        "line1",
        "line2",
        "line3",
    ]


def test_record_without_output_names_file_and_record(build_store, copy_fixture):
    raw = copy_fixture("wikidoc")
    path = raw / "medical_meadow_wikidoc.json"
    data = json.loads(path.read_text())
    del data[1]["output"]
    path.write_text(json.dumps(data))
    with pytest.raises(
        RawFormatError, match=r"medical_meadow_wikidoc.json, record 2: missing key\(s\) 'output'"
    ):
        build_store(["wikidoc"], raw=raw)
