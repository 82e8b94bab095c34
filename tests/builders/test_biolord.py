from __future__ import annotations

import json

import pytest
from meds_ins.builders import biolord

import meds_ins
from meds_ins.builder import RawFormatError


def records(root, task):
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"].split(":")[1]: r for split in ds for r in ds[split].to_list()}


def test_fixture_three_tasks_from_each_pair(build_store):
    report = build_store(["biolord"])
    root = report.store.root
    explain = records(root, "task50")
    assert sorted(explain) == ["line2", "line3", "line4", "line5", "line6", "line8", "line9"]
    assert explain["line5"]["input"] == "Stethoscope"
    assert explain["line5"]["output"] == [
        "An acoustic instrument used to listen to internal body sounds, such as the heart and lungs; its "
        'name means "chest viewer".'
    ]
    assert records(root, "task49")["line4"]["output"] == ["appendectomy"]
    assert report.store.manifest["corpora"]["biolord"]["skipped"] == {"concept name or definition empty": 1}


def test_retrieval_candidates(build_store):
    retrieval = records(build_store(["biolord"]).store.root, "task48")
    assert len(retrieval) == 7
    letters = set()
    for record in retrieval.values():
        meta = json.loads(record["meta"])
        (answer,) = meta["answer"]
        letters.add(answer)
        options = meta["options"]
        assert sorted(options) == ["A", "B", "C", "D"]
        assert len({o.casefold() for o in options.values()}) == 4
        assert record["output"] == [f"{answer}. {options[answer]}", answer]
        assert record["input"].startswith(record_definition(record))
    tachy = json.loads(retrieval["line9"]["meta"])["options"]
    assert [o for o in tachy.values() if o.casefold() == "tachycardia"] == ["Tachycardia"]
    assert len(letters) > 1


def record_definition(record):
    return record["input"].split("\n\nCandidate concepts:")[0]


def test_descriptions_of_one_concept_share_a_split(build_store):
    explain = records(build_store(["biolord"]).store.root, "task50")
    assert explain["line2"]["split"] == explain["line3"]["split"]
    assert explain["line6"]["split"] == explain["line9"]["split"]


def test_small_windows_skip_retrieval_without_enough_candidates(build_store, monkeypatch):
    monkeypatch.setattr(biolord, "WINDOW", 2)
    report = build_store([biolord.BUILDER])
    skipped = report.store.manifest["corpora"]["biolord"]["skipped"]
    assert skipped["fewer than three other concepts nearby for the retrieval candidates"] == 7
    assert len(records(report.store.root, "task50")) == 7


def test_other_layout_is_named(build_store, copy_fixture):
    raw = copy_fixture("biolord")
    path = raw / "BioLORD-Dataset.csv"
    path.write_text(path.read_text().replace("name,definition", "concept,description", 1))
    with pytest.raises(RawFormatError, match=r"BioLORD-Dataset.csv, line 1: header lacks column\(s\) name"):
        build_store(["biolord"], raw=raw)
