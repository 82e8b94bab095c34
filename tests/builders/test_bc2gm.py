from __future__ import annotations

import json

import pytest
from conftest import real_corpus
from ner_reference import assert_entity_records, iob_release

import meds_ins
from meds_ins.builder import NO_ENTITY, RawFormatError


def rows(root, task="task31"):
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"]: r for split in ("train", "test") for r in ds[split]}


def test_fixture_sentences_and_entity_sets(build_store):
    built = rows(build_store(["bc2gm"]).store.root)
    assert len(built) == 7
    first = built["task31:train-1"]
    assert first["input"].startswith("Expression of TNF - alpha and IL - 6 rose")
    assert first["output"] == ["TNF - alpha\nIL - 6"]
    meta = json.loads(first["meta"])
    assert meta["entities"] == ["TNF - alpha", "IL - 6"]
    # every mention keeps its offsets, the repeated "TNF - alpha" too
    assert [(s["start"], s["end"]) for s in meta["spans"]] == [(14, 25), (30, 36), (48, 59)]
    assert built["task31:train-28"]["output"] == ["p53\nMDM2"]
    assert built["task31:train-26"]["input"] == "Methods"
    assert built["task31:train-26"]["output"] == [NO_ENTITY]
    assert built["task31:devel-1"]["split"] == "train"
    assert {r["split"] for k, r in built.items() if k.startswith("task31:test")} == {"test"}


def test_unknown_entity_type_names_file_and_line(build_store, copy_fixture):
    raw = copy_fixture("bc2gm")
    path = raw / "BC2GM-IOB/test.tsv"
    path.write_text(path.read_text().replace("insulin\tB-GENE", "insulin\tB-Chemical"))
    with pytest.raises(RawFormatError, match=r"test.tsv, line 5: entity type 'Chemical' is not one of"):
        build_store(["bc2gm"], raw=raw)


def test_real_sample_entity_sets(build_store):
    raw = real_corpus("bc2gm_iob")
    built = rows(build_store(["bc2gm"], raw=raw).store.root)
    expected = iob_release(raw, "task31")
    assert len(built) == len(expected) == 700
    assert sum(r["split"] == "test" for r in built.values()) == 150
    assert_entity_records(built, expected)
