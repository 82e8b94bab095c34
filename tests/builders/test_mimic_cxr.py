from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES

import meds_ins
from meds_ins._validation.builders import validate_builder
from meds_ins.builder import RawFormatError, random_split

RAW = FIXTURES / "mimic_cxr"


def records(root: Path) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task="task112")
    return {r["id"].split(":", 1)[1]: r for split in ds for r in ds[split]}


def section(path: Path, header: str, following: tuple[str, ...]) -> list[str]:
    """The words of one section of a report, cut with plain string operations."""
    text = path.read_text()
    body = text[text.lower().index(header.lower()) + len(header) :]
    for end in following:
        body = body.split(end)[0]
    return body.split()


def test_fixture_pairs_and_official_split(build_store):
    report = build_store(["mimic_cxr"])
    found = records(report.store.root)
    assert report.store.corpora["mimic_cxr"]["redistributable"] is False
    assert {k: r["split"] for k, r in found.items()} == {
        "s50000101": "train",
        "s50000102": "train",  # validate counts as train
        "s50000201": "train",
        "s50000401": "test",
    }
    for key, record in found.items():
        path = next(RAW.glob(f"files/p*/p*/{key}.txt"))
        assert record["input"].split() == [
            "Findings:",
            *section(path, "FINDINGS:", ("IMPRESSION:", "Impression:")),
        ]
        assert record["output"][0].split() == section(path, "IMPRESSION:", ("NOTIFICATION:",))
    assert report.store.manifest["corpora"]["mimic_cxr"]["skipped"] == {
        "no FINDINGS section (or only de-identified placeholders)": 2,
        "study not in the official split file": 1,
    }


def test_the_distributed_zip_gives_the_same_records(build_store, tmp_path: Path):
    raw = tmp_path / "mimic_cxr"
    raw.mkdir()
    with zipfile.ZipFile(raw / "mimic-cxr-reports.zip", "w") as archive:
        for path in sorted(RAW.glob("files/**/*.txt")):
            archive.write(path, path.relative_to(RAW).as_posix())
    shutil.copy(RAW / "mimic-cxr-2.0.0-split.csv", raw)
    from_zip = records(build_store(["mimic_cxr"], raw=tmp_path).store.root)
    assert from_zip == records(build_store(["mimic_cxr"], out=tmp_path / "plain").store.root)


def test_without_the_split_file_studies_are_split_by_patient(build_store, tmp_path: Path):
    raw = tmp_path / "mimic_cxr"
    shutil.copytree(RAW / "files", raw / "files")
    found = records(build_store(["mimic_cxr"], raw=tmp_path).store.root)
    assert "s50000402" in found  # no longer left out for want of an official split
    for record in found.values():
        subject = next(RAW.glob(f"files/p*/p*/{record['id'].split(':')[1]}.txt")).parent.name[1:]
        assert record["split"] == random_split("mimic_cxr", subject)


def test_malformed_split_and_archive_name_the_file(build_store, copy_fixture, tmp_path: Path):
    raw = copy_fixture("mimic_cxr")
    split = raw / "mimic-cxr-2.0.0-split.csv"
    split.write_text(split.read_text().replace(",validate", ",valid"))
    with pytest.raises(
        RawFormatError, match=r"split.csv, line 4: split 'valid' is not train, validate or test"
    ):
        build_store(["mimic_cxr"], raw=raw.parent)
    bad = tmp_path / "bad" / "mimic_cxr"
    bad.mkdir(parents=True)
    with zipfile.ZipFile(bad / "mimic-cxr-reports.zip", "w") as archive:
        archive.writestr("files/p10/p10000025/report-1.txt", "FINDINGS: x\nIMPRESSION: y\n")
    with pytest.raises(
        RawFormatError, match=r"mimic-cxr-reports.zip/files/p10/p10000025/report-1.txt: a report"
    ):
        build_store(["mimic_cxr"], raw=bad.parent)


def test_validate_passes_on_the_fixture():
    assert validate_builder("mimic_cxr") == []
