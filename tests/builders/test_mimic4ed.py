from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import FIXTURES

import meds_ins
from meds_ins.builder import RawFormatError


def rows() -> list[dict]:
    with open(FIXTURES / "mimic4ed" / "master_dataset.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def all_records(root: Path, task: str) -> list[dict]:
    ds = meds_ins.load_dataset(root, task=task)
    return ds["train"].to_list() + ds["test"].to_list()


def test_fixture_outcomes_cohort_and_patient_split(build_store):
    report = build_store(["mimic4ed"])
    root = report.store.root
    source = {r["stay_id"]: r for r in rows() if int(r["age"]) >= 18}
    assert report.store.corpora["mimic4ed"]["redistributable"] is False
    for task, column in (("task117", "outcome_hospitalization"), ("task119", "outcome_critical")):
        found = all_records(root, task)
        assert len(found) == len(source)  # the one patient under 18 is left out
        for record in found:
            assert record["output"] == [source[record["id"].split(":")[1]][column]]
    revisits = all_records(root, "task118")
    assert len(revisits) == sum(r["outcome_hospitalization"] == "False" for r in source.values())
    assert all("Last ED heart rate" in r["input"] for r in revisits)
    sides: dict[str, set] = {}
    for record in all_records(root, "task117"):
        sides.setdefault(source[record["id"].split(":")[1]]["subject_id"], set()).add(record["split"])
    assert all(len(s) == 1 for s in sides.values()), "a patient's stays must stay on one side of the split"
    text = all_records(root, "task117")[0]["input"]
    assert "Triage acuity (ESI, 1 = most urgent):" in text and "nan" not in text.lower()


def test_benchmark_train_and_test_files_give_the_official_split(build_store, tmp_path: Path):
    raw = tmp_path / "mimic4ed"
    raw.mkdir()
    lines = (FIXTURES / "mimic4ed" / "master_dataset.csv").read_text().splitlines(keepends=True)
    (raw / "train.csv").write_text("".join(lines[:9]))
    (raw / "test.csv").write_text("".join(lines[:1] + lines[9:]))
    root = build_store(["mimic4ed"], raw=raw).store.root
    ds = meds_ins.load_dataset(root, task="task119")
    assert (ds["train"].num_rows, ds["test"].num_rows) == (7, 6)  # row 6 (age 16) is in train.csv


def test_bad_outcome_value_names_the_line(build_store, tmp_path: Path):
    raw = tmp_path / "mimic4ed"
    raw.mkdir()
    text = (FIXTURES / "mimic4ed" / "master_dataset.csv").read_text().splitlines(keepends=True)
    fields = text[3].split(",")
    header = text[0].strip().split(",")
    fields[header.index("outcome_critical")] = "maybe"
    text[3] = ",".join(fields)
    (raw / "master_dataset.csv").write_text("".join(text))
    with pytest.raises(RawFormatError, match=r"master_dataset.csv, line 4: outcome_critical is 'maybe'"):
        build_store(["mimic4ed"], raw=raw)
