from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

import meds_ins
from meds_ins._store.layout import open_store
from meds_ins._validation.builders import validate_builder
from meds_ins.builder import MissingRawFilesError, RawFormatError

RAW = FIXTURES / "mimic_iv_radiology"


def load(root: Path, task: str) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"].split(":", 1)[1]: r for split in ds for r in ds[split]}


def source_rows() -> dict[str, dict]:
    with open(RAW / "note" / "radiology.csv", newline="") as handle:
        return {r["note_id"]: r for r in csv.DictReader(handle)}


def test_fixture_builds_every_task_with_the_reports_own_impressions(build_store):
    report = build_store(["mimic_iv_radiology"])
    root = report.store.root
    corpus = report.store.corpora["mimic_iv_radiology"]
    assert corpus["access"] == "credentialed" and corpus["redistributable"] is False
    expected = {
        "task78": "10000058-RR-3",  # US ABD
        "task79": "10000058-RR-4",  # CTA head and neck: angiography ...
        "task84": "10000058-RR-4",  # ... and CT head and neck
        "task80": "10000002-RR-1",
        "task81": "10000002-RR-2",
        "task82": "10000003-RR-7",
        "task83": "10000066-RR-8",  # CT chest + abdomen/pelvis: the first region named
        "task85": "10000016-RR-1",  # CT HEAD: brain
        "task86": "10000016-RR-2",
        "task87": "10000071-RR-1",
        "task88": "10000071-RR-2",  # C-SPINE
        "task89": "10000088-RR-1",
        "task90": "10000088-RR-2",
        "task91": "10000045-RR-1",
        "task92": "10000045-RR-2",  # MRCP
        "task93": "10000090-RR-1",
        "task94": "10000090-RR-2",  # MR L SPINE
    }
    rows = source_rows()
    for task, note_id in expected.items():
        records = load(root, task)
        assert list(records) == [note_id], task
        text = rows[note_id]["text"]
        impression = text.split("IMPRESSION:" if "IMPRESSION:" in text else "Impression:")[1]
        output = records[note_id]["output"]
        assert len(output) == 1 and output[0].split() == impression.split("NOTIFICATION:")[0].split()
        assert "Examination: " in records[note_id]["input"] and "IMPRESSION" not in records[note_id]["input"]
    skipped = open_store(root).manifest["corpora"]["mimic_iv_radiology"]["skipped"]
    assert skipped == {
        "findings and impression written as one section": 1,
        "no FINDINGS and no IMPRESSION section": 1,  # the addendum
        "no IMPRESSION section (or only de-identified placeholders)": 1,
        "task96: the exam is outside the six body regions": 4,
    }


def test_classification_labels_and_patient_split(build_store):
    root = build_store(["mimic_iv_radiology"]).store.root
    modality = load(root, "task95")
    assert modality["10000058-RR-4"]["output"] == ["CT, Angiography"]
    assert modality["10000009-RR-1"]["output"] == ["X-ray"]  # not in the detail table: EXAMINATION line
    assert modality["10000002-RR-1"]["output"] == ["Mammography"]
    assert len(modality) == 18  # 21 reports, 3 without a findings/impression pair
    anatomy = load(root, "task96")
    assert anatomy["10000066-RR-8"]["output"] == ["Chest, Abdomen, Pelvis"]
    assert anatomy["10000016-RR-1"]["output"] == ["Brain"]
    assert "10000011-RR-1" not in anatomy  # a hand radiograph
    assert all("Examination" not in r["input"] for r in anatomy.values())
    rows = source_rows()
    sides: dict[str, set] = {}
    for record in modality.values():
        sides.setdefault(rows[record["id"].split(":", 1)[1]]["subject_id"], set()).add(record["split"])
    assert all(len(s) == 1 for s in sides.values()) and {"train", "test"} == set().union(*sides.values())


def test_gzip_tables_as_distributed_give_the_same_records(build_store, tmp_path: Path):
    raw = tmp_path / "mimic_iv_radiology" / "mimic-iv-note" / "2.2" / "note"
    raw.mkdir(parents=True)
    for name in ("radiology.csv", "radiology_detail.csv"):
        with open(RAW / "note" / name, "rb") as src, gzip.open(raw / f"{name}.gz", "wb") as dst:
            shutil.copyfileobj(src, dst)
    plain = build_store(["mimic_iv_radiology"], out=tmp_path / "plain").store.root
    zipped = build_store(["mimic_iv_radiology"], raw=tmp_path, out=tmp_path / "gz").store.root
    for task in ("task85", "task95", "task96"):
        assert load(plain, task) == load(zipped, task)


def test_without_the_detail_table_the_examination_line_names_the_exam(build_store, tmp_path: Path):
    raw = tmp_path / "mimic_iv_radiology" / "note"
    raw.mkdir(parents=True)
    shutil.copy(RAW / "note" / "radiology.csv", raw)
    root = build_store(["mimic_iv_radiology"], raw=tmp_path).store.root
    full = build_store(["mimic_iv_radiology"], out=tmp_path / "full").store.root
    assert {k: r["output"] for k, r in load(root, "task95").items()} == {
        k: r["output"] for k, r in load(full, "task95").items()
    }


def test_validate_passes_on_the_fixture():
    assert validate_builder("mimic_iv_radiology") == []


def test_malformed_tables_name_the_file_and_line(build_store, copy_fixture):
    raw = copy_fixture("mimic_iv_radiology")
    detail = raw / "note" / "radiology_detail.csv"
    lines = detail.read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace(",1\n", ",first\n")
    detail.write_text("".join(lines))
    with pytest.raises(RawFormatError, match=r"radiology_detail.csv, line 3: field_ordinal 'first'"):
        build_store(["mimic_iv_radiology"], raw=raw.parent)
    shutil.copy(RAW / "note" / "radiology_detail.csv", detail)
    reports = raw / "note" / "radiology.csv"
    reports.write_text(reports.read_text().replace("storetime,text", "storetime,body", 1))
    with pytest.raises(RawFormatError, match=r"radiology.csv, line 1: header lacks column\(s\) text"):
        build_store(["mimic_iv_radiology"], raw=raw.parent)
    reports.unlink()
    with pytest.raises(MissingRawFilesError, match="radiology.csv.gz"):
        build_store(["mimic_iv_radiology"], raw=raw.parent)


@pytest.mark.parametrize(
    ("exam", "modalities", "anatomies"),
    [
        ("CHEST (PORTABLE AP)", ("X-ray",), ("Chest",)),
        ("CT HEAD W/O CONTRAST", ("CT",), ("Brain",)),
        ("CTA HEAD & NECK", ("CT", "Angiography"), ("Head and neck",)),
        ("CT ABD & PELVIS WITH CONTRAST", ("CT",), ("Abdomen", "Pelvis")),
        ("MR THORACIC SPINE W/O CONTRAST", ("MRI",), ("Spine",)),
        ("CTA CHEST W&W/O C&RECONS, NON-CORONARY", ("CT", "Angiography"), ("Chest",)),
        ("DUPLEX DOPP ABD/PEL", ("Ultrasound",), ("Abdomen", "Pelvis")),
        ("MAMMO DIAGNOSTIC UNILAT", ("Mammography",), ()),
        ("VIDEO OROPHARYNGEAL SWALLOW FLUOROSCOPY", ("Fluoroscopy",), ()),
        ("KNEE (AP, LAT AND OBLIQUE) RIGHT", ("X-ray",), ()),
        ("BONE SCAN", (), ()),
    ],
)
def test_exam_names_map_to_modalities_and_regions(exam, modalities, anatomies):
    from meds_ins.builders.mimic_iv_radiology import classify_exam

    found = classify_exam(exam)
    assert (found.modalities, found.anatomies) == (modalities, anatomies)


def test_exam_name_index_keeps_ordinals_and_odd_ids():
    from meds_ins.builders.mimic_iv_radiology import ExamNames

    index = ExamNames()
    index.add("10000058-RR-12", 2, "CT ABD & PELVIS")
    index.add("10000058-RR-12", 1, "CT CHEST")
    index.add("10000058-RR-1", 1, "CHEST (PA AND LAT)")
    index.add("legacy-7", 1, "MR HEAD")
    index.freeze()
    assert index.get("10000058-RR-12") == ["CT CHEST", "CT ABD & PELVIS"]
    assert index.get("10000058-RR-1") == ["CHEST (PA AND LAT)"]
    assert index.get("legacy-7") == ["MR HEAD"]
    assert index.get("10000058-RR-2") == [] and index.get("10000001-XX-1") == []
