from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from conftest import FIXTURES

import meds_ins
from meds_ins._validation.builders import validate_builder
from meds_ins.builder import RawFormatError

RAW = FIXTURES / "mimic_iv_discharge"
COLUMNS = ["note_id", "subject_id", "hadm_id", "note_type", "note_seq", "charttime", "storetime", "text"]


def records(root: Path) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task="task76")
    return {r["id"].split(":", 1)[1]: r for split in ds for r in ds[split]}


def test_fixture_is_cut_at_the_discharge_instructions(build_store):
    report = build_store(["mimic_iv_discharge"])
    assert report.store.corpora["mimic_iv_discharge"]["redistributable"] is False
    found = records(report.store.root)
    with open(RAW / "note" / "discharge.csv", newline="") as handle:
        source = {r["note_id"]: r["text"] for r in csv.DictReader(handle)}
    assert set(found) == {"10000001-DS-4", "10000002-DS-7", "10000003-DS-2"}
    for note_id, record in found.items():
        text = source[note_id]
        cut = text.lower().index("discharge instructions")
        expected = text[cut:].split("\n", 1)[1].split("Followup Instructions:")[0]
        assert record["output"][0].split() == expected.split()  # same words, wrapped lines joined
        assert record["input"].split() == text[:cut].split()
        assert "Discharge Condition:" in record["input"] and "Followup" not in record["output"][0]
    assert found["10000001-DS-4"]["split"] == "test"  # 9:1 by patient
    skipped = report.store.manifest["corpora"]["mimic_iv_discharge"]["skipped"]
    assert skipped == {
        "no Discharge Instructions section": 1,
        "Discharge Instructions empty or only de-identified placeholders": 1,
    }


def test_gzip_table_and_a_very_long_note(build_store, tmp_path: Path):
    raw = tmp_path / "mimic_iv_discharge" / "note"
    raw.mkdir(parents=True)
    labs = "".join(
        f"___ 07:{i % 60:02d}AM BLOOD WBC-{i % 12}.{i % 10} RBC-4.1 Hgb-12.{i % 10} Hct-38\n"
        for i in range(20_000)
    )
    long_note = f"Pertinent Results:\n{labs}\nDischarge Instructions:\nKeep taking your medicines.\n"
    with gzip.open(raw / "discharge.csv.gz", "wt", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow(["10000009-DS-1", "10000009", "20000091", "DS", "1", "", "", long_note])
    found = records(build_store(["mimic_iv_discharge"], raw=tmp_path).store.root)
    record = found["10000009-DS-1"]
    assert len(record["input"]) > 1_000_000 and record["output"] == ["Keep taking your medicines."]


def test_malformed_rows_name_the_file_and_line(build_store, tmp_path: Path):
    raw = tmp_path / "mimic_iv_discharge" / "note"
    raw.mkdir(parents=True)
    with open(raw / "discharge.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerow(
            ["10000009-DS-1", "10000009", "1", "DS", "1", "", "", "Discharge Instructions:\nRest."]
        )
        writer.writerow(["", "10000009", "2", "DS", "2", "", "", "Discharge Instructions:\nRest."])
    with pytest.raises(
        RawFormatError, match=r"discharge.csv, line 4: note_id and subject_id must not be empty"
    ):
        build_store(["mimic_iv_discharge"], raw=tmp_path)
    (raw / "discharge.csv").write_text("note_id,subject_id,text\n1,2,x\n")
    with pytest.raises(RawFormatError, match=r"line 1: header lacks column\(s\) hadm_id"):
        build_store(["mimic_iv_discharge"], raw=tmp_path)


def test_validate_passes_on_the_fixture():
    assert validate_builder("mimic_iv_discharge") == []
