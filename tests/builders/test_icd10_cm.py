from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

import meds_ins
from meds_ins._validation.builders import validate_builder
from meds_ins.builder import MissingRawFilesError, RawFormatError

FOLDER = FIXTURES / "icd10_cm" / "Code Descriptions"


def records(root: Path) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task="task115")
    return {r["id"].split(":", 1)[1]: r for split in ds for r in ds[split]}


def order_entries(name: str) -> dict[str, tuple[str, str]]:
    """code -> (short, long), read with a pattern on runs of spaces rather than by column."""
    entries = {}
    for line in (FOLDER / name).read_text().splitlines():
        code, _, short, long = re.match(r"^\d{5} (\S+) +([01]) (.+?) {2,}(.+)$", line).groups()
        entries[code] = (short, long)
    return entries


def test_every_code_of_both_systems_with_its_descriptions(build_store):
    report = build_store(["icd10_cm"])
    assert report.store.corpora["icd10_cm"]["redistributable"] is False  # no statement allowing it found
    found = records(report.store.root)
    cm, pcs = order_entries("icd10cm_order_2025.txt"), order_entries("icd10pcs_order_2025.txt")
    assert set(found) == {f"cm-{c}" for c in cm} | {f"pcs-{c}" for c in pcs}
    for system, entries in (("cm", cm), ("pcs", pcs)):
        for code, (short, long) in entries.items():
            record = found[f"{system}-{code}"]
            assert record["output"][0] == long and record["output"][-1] == short
    assert found["cm-E119"]["input"] == "ICD-10-CM code: E11.9"
    assert found["cm-I10"]["output"] == ["Primary high blood pressure"]  # short equals long: listed once
    assert found["pcs-0DTJ4ZZ"]["input"] == "ICD-10-PCS code: 0DTJ4ZZ"
    assert found["cm-E11"]["split"] == found["cm-E119"]["split"]  # a category stays on one side


def test_code_files_stand_in_for_order_files(build_store, tmp_path: Path):
    raw = tmp_path / "icd10_cm"
    raw.mkdir()
    (raw / "icd10cm_codes_2025.txt").write_text(
        "Q991    Made-up condition of the left side\nQ992    Another one\n"
    )
    found = records(build_store(["icd10_cm"], raw=tmp_path).store.root)
    assert found["cm-Q991"]["output"] == ["Made-up condition of the left side"]
    assert set(found) == {"cm-Q991", "cm-Q992"}


def test_current_file_names_with_hyphens_are_read_and_addenda_left_aside(build_store, tmp_path: Path):
    before = records(build_store(["icd10_cm"], out=tmp_path / "before").store.root)
    raw = tmp_path / "icd10_cm"
    (raw / "icd10cm-Code-Descriptions-2026").mkdir(parents=True)
    (raw / "pcs").mkdir()
    shutil.copy(
        FOLDER / "icd10cm_order_2025.txt", raw / "icd10cm-Code-Descriptions-2026/icd10cm-order-2026.txt"
    )
    shutil.copy(FOLDER / "icd10pcs_order_2025.txt", raw / "pcs/icd10pcs_order_2026.txt")
    # the addenda list only what changed: one line, not a release
    lines = (FOLDER / "icd10cm_order_2025.txt").read_text().splitlines(keepends=True)
    (raw / "icd10cm-Code-Descriptions-2026/icd10cm-order-addenda-2026.txt").write_text(lines[0])
    after = records(build_store(["icd10_cm"], raw=raw, out=tmp_path / "after").store.root)
    assert after == before


def test_malformed_or_ambiguous_files(build_store, copy_fixture):
    raw = copy_fixture("icd10_cm")
    folder = raw / "Code Descriptions"
    shutil.copy(folder / "icd10cm_order_2025.txt", folder / "icd10cm_order_2024.txt")
    with pytest.raises(MissingRawFilesError, match="several ICD-10-CM order file releases"):
        build_store(["icd10_cm"], raw=raw.parent)
    (folder / "icd10cm_order_2024.txt").unlink()
    lines = (folder / "icd10pcs_order_2025.txt").read_text().splitlines(keepends=True)
    (folder / "icd10pcs_order_2025.txt").write_text("".join(lines + [lines[1].replace("00002", "00005")]))
    with pytest.raises(RawFormatError, match=r"icd10pcs_order_2025.txt, line 5: code 0SR9019 repeats line 2"):
        build_store(["icd10_cm"], raw=raw.parent)
    (folder / "icd10pcs_order_2025.txt").write_text("".join(lines[:2]) + "0SR9019 no order number\n")
    with pytest.raises(RawFormatError, match=r"icd10pcs_order_2025.txt, line 3: expected the fixed-width"):
        build_store(["icd10_cm"], raw=raw.parent)


def test_validate_passes_on_the_fixture():
    assert validate_builder("icd10_cm") == []
