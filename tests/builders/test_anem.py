from __future__ import annotations

import json
import shutil

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import NO_ENTITY, MissingRawFilesError, RawFormatError


def rows(root, task):
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"]: r for split in ("train", "test") for r in ds[split]}


def test_fixture_cells_and_organism_substances(build_store):
    root = build_store(["anem"]).store.root
    cells, substances = rows(root, "task35"), rows(root, "task36")
    assert set(cells) == {
        f"task35:{k}" for k in ("train-1", "train-14", "train-24", "train-33", "test-1", "test-13")
    }
    assert len(substances) == 6
    # offsets restore the spacing: no space inside "T-cells" or before the final full stop
    assert cells["task35:test-1"]["input"] == "T-cells and B-cells infiltrated the liver."
    assert cells["task35:test-1"]["output"] == ["T-cells\nB-cells"]
    spans = json.loads(cells["task35:test-1"]["meta"])["spans"]
    assert [(s["start"], s["end"], s["text"]) for s in spans] == [(0, 7, "T-cells"), (12, 19, "B-cells")]
    assert cells["task35:test-1"]["split"] == "test"
    assert substances["task36:test-1"]["output"] == [NO_ENTITY]
    assert cells["task35:train-14"]["output"] == ["Renal tubular epithelial cells"]
    assert substances["task36:train-1"]["output"] == ["Blood"]
    assert json.loads(substances["task36:train-33"]["meta"])["entities"] == ["Serum", "urine", "serum"]
    assert cells["task35:train-24"]["input"] == "Co-operation between staff was good."


def test_unknown_type_names_file_and_line(build_store, copy_fixture):
    raw = copy_fixture("anem")
    path = raw / "AnEM-1.0.4/test/AnEM.test"
    path.write_text(path.read_text().replace("B-Organ\n", "B-Anatomy\n"))
    with pytest.raises(RawFormatError, match=r"AnEM.test, line 10: entity type 'Anatomy' is not one of"):
        build_store(["anem"], raw=raw)


def test_anatem_sample_cannot_build_anem(build_store, tmp_path):
    """AnatEM's IOB files are not AnEM's release, and their single Anatomy type is refused."""
    raw = real_corpus("anatem_iob")
    with pytest.raises(MissingRawFilesError, match="AnEM.train"):
        build_store(["anem"], raw=raw)
    posed = tmp_path / "anem"
    posed.mkdir()
    shutil.copy(raw / "train.tsv", posed / "AnEM.train")
    shutil.copy(raw / "test.tsv", posed / "AnEM.test")
    first_anatomy = next(
        n
        for n, line in enumerate((raw / "train.tsv").read_text().split("\n"), 1)
        if line.endswith("-Anatomy")
    )
    with pytest.raises(RawFormatError, match=rf"AnEM.train, line {first_anatomy}: entity type 'Anatomy'"):
        build_store(["anem"], raw=tmp_path)
