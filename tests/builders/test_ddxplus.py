from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError


def test_fixture_patients_from_csv_and_zip(build_store):
    ds = meds_ins.load_dataset(build_store(["ddxplus"]).store.root, task="task130")
    assert (ds["train"].num_rows, ds["test"].num_rows) == (4, 2)
    first = ds["train"][0]
    assert first["id"] == "task130:train-2" and first["output"] == ["Bronchitis"]
    assert "Patient: male, age 49." in first["input"]
    assert "- Where do you feel pain? chest, throat" in first["input"]
    assert "Medical history:\n- Do you smoke cigarettes? Yes" in first["input"]
    assert first["input"].endswith("Possible diagnoses: Allergic sinusitis; Bronchitis; Pneumonia")
    assert json.loads(first["meta"])["differential"] == [["Bronchitis", 0.61], ["Pneumonia", 0.39]]
    numeric = next(r for r in ds["test"] if r["id"] == "task130:test-2")
    assert "- How intense is the pain (0-10)? 5" in numeric["input"]


def test_unknown_evidence_is_an_error(build_store, copy_fixture):
    raw = copy_fixture("ddxplus")
    path = raw / "release_test_patients.csv"
    path.write_text(path.read_text().replace("'E_50_@_5'", "'E_999'"))
    with pytest.raises(
        RawFormatError, match=r"release_test_patients.csv, line 2: evidence 'E_999' is not in"
    ):
        build_store(["ddxplus"], raw=raw)


def test_real_metadata_with_patients_written_from_it(build_store, tmp_path: Path):
    real = real_corpus("ddxplus")
    raw = tmp_path / "ddxplus"
    raw.mkdir()
    for name in ("release_conditions.json", "release_evidences.json"):
        shutil.copy(real / name, raw / name)
    conditions = json.loads((real / "release_conditions.json").read_text())
    evidences = json.loads((real / "release_evidences.json").read_text())
    rows = []
    for name, condition in list(conditions.items())[:10]:
        codes = list(condition["symptoms"])[:3]
        tokens = [
            c if not evidences[c]["value_meaning"] else f"{c}_@_{next(iter(evidences[c]['value_meaning']))}"
            for c in codes
        ]
        rows.append(
            {
                "AGE": "40",
                "SEX": "F",
                "PATHOLOGY": name,
                "EVIDENCES": str(tokens),
                "INITIAL_EVIDENCE": codes[0],
                "DIFFERENTIAL_DIAGNOSIS": str([[name, 1.0]]),
            }
        )
    with open(raw / "release_test_patients.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    ds = meds_ins.load_dataset(build_store(["ddxplus"], raw=raw).store.root, task="task130", split="test")
    assert ds.num_rows == 10
    for record, condition in zip(ds, list(conditions.values())[:10]):
        assert record["output"] == [condition["cond-name-eng"]]
        first = evidences[list(condition["symptoms"])[0]]["question_en"].strip()
        assert f"First complaint: {first}" in record["input"]
        assert record["input"].count(";") == len({c["cond-name-eng"] for c in conditions.values()}) - 1


def test_list_literals_with_apostrophes_are_read(build_store, copy_fixture):
    raw = copy_fixture("ddxplus")
    path = raw / "release_test_patients.csv"
    text = path.read_text().replace(
        "[['Pneumonie', 0.8], ['Bronchite', 0.2]]", """[['Pneumonie', 0.8], [""Crohn's disease"", 0.2]]"""
    )
    path.write_text(text)
    ds = meds_ins.load_dataset(build_store(["ddxplus"], raw=raw).store.root, task="task130", split="test")
    assert json.loads(ds[0]["meta"])["differential"] == [["Pneumonia", 0.8], ["Crohn's disease", 0.2]]
