from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest
from conftest import FIXTURES

import meds_ins
from meds_ins._validation.builders import validate_builder
from meds_ins.builder import RawFormatError

TABLE = FIXTURES / "pmc_patients" / "PMC-Patients.csv"


def rows() -> dict[str, dict]:
    with open(TABLE, newline="", encoding="utf-8") as handle:
        return {r["patient_uid"]: r for r in csv.DictReader(handle)}


def records(root: Path, task: str) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"].split(":", 1)[1]: r for split in ds for r in ds[split]}


def test_demographics_come_from_the_gender_and_age_columns(build_store):
    report = build_store(["pmc_patients"])
    assert report.store.corpora["pmc_patients"]["license"] == "CC-BY-NC-SA-4.0"
    found = records(report.store.root, "task74")
    source = rows()
    assert set(found) == {uid for uid, r in source.items() if r["age"] != "[]"}
    for uid, record in found.items():
        gender = {"M": "male", "F": "female"}[source[uid]["gender"]]
        years = ast.literal_eval(source[uid]["age"])
        assert record["output"][0].startswith(f"Gender: {gender}\nAge: {int(years[0][0])} {years[0][1]}")
        assert record["input"] == " ".join(source[uid]["patient"].split())
    assert found["31000005-1"]["output"] == ["Gender: female\nAge: 1 year 2 months"]
    assert found["31000003-1"]["output"] == ["Gender: male\nAge: 9 days"]


def test_completion_continues_the_summary_and_splits_by_article(build_store):
    root = build_store(["pmc_patients"]).store.root
    found = records(root, "task73")
    source = rows()
    assert set(found) == set(source) - {"31000008-1"}  # three sentences: too short
    for uid, record in found.items():
        assert f"{record['input']} {record['output'][0]}" == " ".join(source[uid]["patient"].split())
    first = found["31000001-1"]
    assert first["input"].endswith("performed by Dr. ___ and colleagues.")  # 'Dr.' does not end a sentence
    assert first["output"] == [
        "Histology confirmed a perforated appendix. She recovered and was discharged on day 12."
    ]
    by_article = {}
    for task in ("task73", "task74", "task75"):
        for uid, record in records(root, task).items():
            by_article.setdefault(source[uid]["PMID"], set()).add(record["split"])
    assert all(len(sides) == 1 for sides in by_article.values())


def test_retrieval_options_hold_the_relevant_source_articles(build_store):
    found = records(build_store(["pmc_patients"]).store.root, "task75")
    source = rows()
    titles = {r["PMID"]: r["title"] for r in source.values()}
    # not 31000003-1 (its relevant article is not a source article) nor 31000007-1 (none listed)
    assert set(found) == set(source) - {"31000003-1", "31000007-1"}
    for uid, record in found.items():
        relevant = [p for p in ast.literal_eval(source[uid]["relevant_articles"]) if p in titles]
        options = dict(line.split(". ", 1) for line in record["input"].split("Articles:\n")[1].splitlines())
        assert len(options) == 5 and len(set(options.values())) == 5
        chosen = [letter for letter, title in options.items() if title in {titles[p] for p in relevant}]
        assert record["output"][1] == ", ".join(chosen)
        assert titles[source[uid]["PMID"]] not in options.values()  # never the patient's own article


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "\"[[45.0, 'year']]\"",
            "\"[[45.0, 'years']]\"",
            "line 3: age must be a list of \\[value, unit\\] pairs",
        ),
        ("\"[[45.0, 'year']]\"", "\"[[45.0, 'year'\"", "line 3: age is not a Python literal"),
        (",M,{'31000001': 1},", ",X,{'31000001': 1},", "line 3: gender 'X' is not M or F"),
    ],
)
def test_malformed_fields_name_the_file_and_line(build_store, copy_fixture, old, new, message):
    raw = copy_fixture("pmc_patients")
    path = raw / "PMC-Patients.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RawFormatError, match=f"PMC-Patients.csv, {message}"):
        build_store(["pmc_patients"], raw=raw.parent)


def test_validate_passes_on_the_fixture():
    assert validate_builder("pmc_patients") == []
