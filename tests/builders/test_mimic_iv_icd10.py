from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

import meds_ins
from meds_ins._validation.builders import validate_builder
from meds_ins.builder import RawFormatError

RAW = FIXTURES / "mimic_iv_icd10"
SPLITS = RAW / "mimicdata" / "mimic4_icd10"


def records(root: Path) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task="task116")
    return {r["id"].split(":", 1)[1]: r for split in ds for r in ds[split]}


def source() -> dict[str, tuple[dict, str]]:
    rows = {}
    for name, split in (("train", "train"), ("dev", "train"), ("test", "test")):
        with open(SPLITS / f"disch_{name}_split.csv", newline="") as handle:
            rows |= {r["hadm_id"]: (r, split) for r in csv.DictReader(handle)}
    return rows


def test_codes_descriptions_and_the_benchmark_split(build_store):
    report = build_store(["mimic_iv_icd10"])
    assert report.store.corpora["mimic_iv_icd10"]["redistributable"] is False
    found = records(report.store.root)
    rows = source()
    assert set(found) == {h for h, (r, _) in rows.items() if r["labels"]}  # one admission has no codes
    for hadm, record in found.items():
        row, split = rows[hadm]
        assert record["split"] == split and record["input"] == row["text"]
        assert record["output"][-1] == "; ".join(row["labels"].split(";"))  # the codes alone, in source order
    assert found["20000011"]["output"][0].startswith(
        "J189: Pneumonia caused by an organism that is not specified; "
    )
    assert (
        found["20000021"]["output"][0]
        == "K3580; 0DTJ4ZZ: Removal of the appendix, endoscopic approach through the skin"
    )
    assert found["20000041"]["output"] == [
        "S72001A; 0SR9019; Z7901"
    ]  # no description known: codes only, once
    assert report.store.manifest["corpora"]["mimic_iv_icd10"]["skipped"] == {"admission without codes": 1}


def test_without_code_tables_the_answer_is_the_codes(build_store, tmp_path: Path):
    shutil.copytree(SPLITS, tmp_path / "mimic_iv_icd10" / "mimic4_icd10")
    found = records(build_store(["mimic_iv_icd10"], raw=tmp_path).store.root)
    assert found["20000011"]["output"] == ["J189; E119; I10"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "10000009,20000091,some text,J18.9;not a code\n",
            "line 5: labels hold 'NOT A CODE', not ICD-10 codes",
        ),
        ("10000009,20000011,some text,J189\n", "line 5: hadm_id 20000011 appears again"),
        ("10000009,20000091,some, text,J189\n", "line 5: 5 fields, expected 4"),
    ],
)
def test_malformed_rows_name_the_file_and_line(build_store, copy_fixture, line, message):
    raw = copy_fixture("mimic_iv_icd10")
    path = raw / "mimicdata" / "mimic4_icd10" / "disch_train_split.csv"
    path.write_text(path.read_text() + line)
    with pytest.raises(RawFormatError, match=f"disch_train_split.csv, {message}"):
        build_store(["mimic_iv_icd10"], raw=raw.parent)


def test_validate_passes_on_the_fixture():
    assert validate_builder("mimic_iv_icd10") == []
