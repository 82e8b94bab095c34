from __future__ import annotations

import json

import pytest
from conftest import real_corpus
from ner_reference import assert_entity_records, assert_spans, iob_release

import meds_ins
from meds_ins.builder import NO_ENTITY, RawFormatError


def rows(root):
    ds = meds_ins.load_dataset(root, task="task33")
    return {r["id"]: r for split in ("train", "test") for r in ds[split]}


def test_fixture_species_sets(build_store):
    built = rows(build_store(["linnaeus"]).store.root)
    assert len(built) == 6
    first = built["task33:train-1"]
    assert first["input"] == "Strains of E . coli and Bacillus subtilis were grown overnight ."
    assert json.loads(first["meta"])["entities"] == ["E . coli", "Bacillus subtilis"]
    assert_spans(first)
    assert built["task33:train-17"]["output"] == ["E . coli\nhuman"]
    assert built["task33:train-14"]["output"] == [NO_ENTITY]
    assert built["task33:test-10"]["output"] == ["zebrafish"]
    assert built["task33:test-10"]["split"] == "test"


def test_broken_line_names_file_and_line(build_store, copy_fixture):
    raw = copy_fixture("linnaeus")
    path = raw / "linnaeus-IOB/devel.tsv"
    path.write_text(path.read_text().replace("housed\tO", "housed"))
    with pytest.raises(RawFormatError, match=r"devel.tsv, line 3: expected 'token<TAB>tag'"):
        build_store(["linnaeus"], raw=raw)


def test_real_sample_entity_sets(build_store):
    raw = real_corpus("linnaeus_iob")
    built = rows(build_store(["linnaeus"], raw=raw).store.root)
    expected = iob_release(raw, "task33")
    assert len(built) == len(expected) == 700
    assert sum(r["split"] == "test" for r in built.values()) == 150
    assert sum(bool(m) for _, _, m in expected.values()) > 50
    assert_entity_records(built, expected)
