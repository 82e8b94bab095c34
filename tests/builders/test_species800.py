from __future__ import annotations

import json

import pytest

import meds_ins
from meds_ins.builder import NO_ENTITY, MissingRawFilesError, RawFormatError


def test_fixture_bare_tags_and_missing_final_blank_line(build_store):
    ds = meds_ins.load_dataset(build_store(["species800"]).store.root, task="task128")
    built = {r["id"]: r for split in ("train", "test") for r in ds[split]}
    assert (ds["train"].num_rows, ds["test"].num_rows) == (3, 2)
    devel = built["task128:devel-1"]
    assert devel["split"] == "train"
    assert json.loads(devel["meta"])["entities"] == ["Aedes aegypti", "Ae . albopictus", "mice"]
    assert [s["start"] for s in json.loads(devel["meta"])["spans"]] == [10, 28, 51]
    assert built["task128:test-1"]["output"] == ["Sus scrofa"]
    assert built["task128:test-1"]["input"] == "Wild boar ( Sus scrofa ) carry the virus ."
    assert built["task128:test-12"]["output"] == [NO_ENTITY]


def test_missing_files_are_reported(build_store, tmp_path):
    (tmp_path / "species800").mkdir()
    (tmp_path / "species800" / "README").write_text("nothing here")
    with pytest.raises(MissingRawFilesError, match="s800/test.tsv"):
        build_store(["species800"], raw=tmp_path)


def test_typed_tag_of_another_corpus_is_refused(build_store, copy_fixture):
    raw = copy_fixture("species800")
    path = raw / "s800/train.tsv"
    path.write_text(path.read_text().replace("Candida\tB", "Candida\tB-Chemical"))
    with pytest.raises(RawFormatError, match=r"train.tsv, line 3: entity type 'Chemical' is not one of"):
        build_store(["species800"], raw=raw)
