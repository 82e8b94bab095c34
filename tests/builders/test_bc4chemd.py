from __future__ import annotations

import json

import pytest

import meds_ins
from meds_ins.builder import NO_ENTITY, RawFormatError


def test_fixture_chemical_sets(build_store):
    report = build_store(["bc4chemd"])
    ds = meds_ins.load_dataset(report.store.root, task="task125")
    built = {r["id"]: r for split in ("train", "test") for r in ds[split]}
    assert (ds["train"].num_rows, ds["test"].num_rows) == (4, 2)
    first = built["task125:train-1"]
    assert first["input"] == "Treatment with 5 - fluorouracil and cisplatin reduced tumour growth ."
    assert first["output"] == ["5 - fluorouracil\ncisplatin"]
    # a repeated mention is listed once, in order of first appearance
    meta = json.loads(built["task125:train-13"]["meta"])
    assert meta["entities"] == ["nitric oxide", "NO"] and len(meta["spans"]) > 2
    assert built["task125:train-27"]["output"] == [NO_ENTITY]
    assert built["task125:test-8"]["output"] == ["Glucose\nmetformin"]
    assert report.store.manifest["corpora"]["bc4chemd"]["redistributable"] is False


def test_iobes_tag_is_refused(build_store, copy_fixture):
    raw = copy_fixture("bc4chemd")
    path = raw / "BC4CHEMD/devel.tsv"
    path.write_text(path.read_text().replace("Ethanol\tB-Chemical", "Ethanol\tS-Chemical"))
    with pytest.raises(RawFormatError, match=r"devel.tsv, line 1: tag 'S-Chemical' is not an IOB2 tag"):
        build_store(["bc4chemd"], raw=raw)
