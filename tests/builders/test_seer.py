from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import FIXTURES

import meds_ins
from meds_ins._validation.builders import validate_builder
from meds_ins.builder import RawFormatError

TABLE = FIXTURES / "seer" / "Query_5_years.csv"


def test_plans_come_from_the_target_column_and_leaks_stay_out(build_store):
    report = build_store(["seer"])
    corpus = report.store.corpora["seer"]
    assert corpus["access"] == "credentialed" and corpus["redistributable"] is False
    with open(TABLE, newline="") as handle:
        rows = {f"row{n}": r for n, r in enumerate(csv.DictReader(handle), start=2)}
    ds = meds_ins.load_dataset(report.store.root, task="task131")
    found = {r["id"].split(":")[1]: r for split in ds for r in ds[split]}
    known = {
        k: r
        for k, r in rows.items()
        if not r["Radiation sequence with surgery"].startswith("Sequence unknown")
    }
    assert set(found) == set(known) - {"row13"} and len(found) == 10  # row 13 repeats row 5
    for key, record in found.items():
        assert record["output"] == [rows[key]["Radiation sequence with surgery"]]
        text = record["input"]
        assert f"Age at diagnosis: {rows[key]['Age at diagnosis']}" in text
        for leak in ("Radiation recode", "Vital status", "COD to site", "Last_fu", "interva_years", "stutus"):
            assert leak not in text
    assert "CS tumor size" not in found["row12"]["input"]  # empty value: no line
    assert "Race recode: Other (American Indian/AK Native, Asian/Pacific Islander)" in found["row4"]["input"]
    assert {r["split"] for r in found.values()} == {"train", "test"}
    assert report.store.manifest["corpora"]["seer"]["skipped"] == {
        "radiation and surgery both given, sequence unknown": 1,
        "same characteristics and plan as an earlier row": 1,
    }


def test_same_characteristics_with_other_plans_stay_on_one_side(build_store, tmp_path: Path):
    raw = tmp_path / "seer"
    raw.mkdir()
    header = "Age at diagnosis,Sex,Radiation sequence with surgery\n"
    plans = ["Radiation after surgery", "No radiation and/or cancer-directed surgery"] * 50
    rows = "".join(f"{50 + i // 2},Female,{plan}\n" for i, plan in enumerate(plans))
    (raw / "Query_5_years.csv").write_text(header + rows)
    ds = meds_ins.load_dataset(build_store(["seer"], raw=tmp_path).store.root, task="task131")
    sides: dict[str, set] = {}
    for record in (r for split in ds for r in ds[split]):
        sides.setdefault(record["input"], set()).add(record["split"])
    assert len(sides) == 50 and all(len(s) == 1 for s in sides.values())


def test_unknown_plan_names_the_line(build_store, copy_fixture):
    raw = copy_fixture("seer")
    path = raw / "Query_5_years.csv"
    path.write_text(path.read_text().replace("Intraoperative radiation", "Radiation during surgery"))
    with pytest.raises(RawFormatError, match=r"Query_5_years.csv, line 7: .* is 'Radiation during surgery'"):
        build_store(["seer"], raw=raw.parent)
    path.write_text("Age at diagnosis,Sex\n50,Female\n")
    with pytest.raises(
        RawFormatError, match=r"line 1: header lacks column\(s\) Radiation sequence with surgery"
    ):
        build_store(["seer"], raw=raw.parent)


def test_validate_passes_on_the_fixture():
    assert validate_builder("seer") == []
