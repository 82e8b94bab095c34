from __future__ import annotations

import json

import pytest

import meds_ins
from meds_ins.builder import MissingRawFilesError, RawFormatError


def test_fixture_flashcards(build_store):
    report = build_store(["medalpaca"])
    ds = meds_ins.load_dataset(report.store.root, task="task40")
    rows = {r["id"]: r for split in ds for r in ds[split].to_list()}
    assert len(rows) == 4
    assert (
        rows["task40:record1"]["input"]
        == "Which electrolyte abnormality is typical of a loop diuretic overdose?"
    )
    assert rows["task40:record1"]["output"] == ["Hypokalemia."]
    assert report.store.manifest["corpora"]["medalpaca"]["skipped"] == {
        "medical_meadow_wikidoc_medical_flashcards.json: question or answer empty": 1
    }


def test_non_string_answer_names_the_record(build_store, copy_fixture):
    raw = copy_fixture("medalpaca")
    path = raw / "medical_meadow_wikidoc_medical_flashcards.json"
    data = json.loads(path.read_text())
    data[2]["output"] = ["an", "array"]
    path.write_text(json.dumps(data))
    with pytest.raises(
        RawFormatError, match=r"flashcards.json, record 3: output must be a string, found list"
    ):
        build_store(["medalpaca"], raw=raw)


def test_missing_file_says_where_to_get_it(build_store, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(MissingRawFilesError, match="medical_meadow_medical_flashcards"):
        build_store(["medalpaca"], raw=tmp_path / "empty")
