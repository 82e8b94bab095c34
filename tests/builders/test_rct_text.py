from __future__ import annotations

import re

import pytest

import meds_ins
from meds_ins.builder import RawFormatError


def test_fixture_reviews_and_official_split(build_store):
    report = build_store(["rct_text"])
    assert report.store.manifest["corpora"]["rct_text"]["skipped"] == {
        "trial without title and abstract": 1,
        "review without any trial text": 1,
    }
    ds = meds_ins.load_dataset(report.store.root, task="task110")
    assert sorted(r["id"] for r in ds["train"]) == [
        "task110:CD900001",
        "task110:CD900002",
        "task110:CD900003",
    ]
    test = ds["test"][0]
    assert test["id"] == "task110:CD900004"
    assert test["input"] == (
        "Trial 1: Nurse-led clinics for heart failure\nReadmissions fell from 30% to 22% (p=0.04).\n\n"
        "Trial 2: Heart failure clinics run by nurses: one-year results\n"
        "Fewer deaths, 8% versus 11%, not significant."
    )
    assert test["output"] == [
        "Nurse-led clinics probably reduce readmissions for heart failure; effects on death are uncertain."
    ]
    title_only = next(r for r in ds["train"] if r["id"] == "task110:CD900001")
    assert title_only["input"].endswith("Trial 2: Day-one walking after hip replacement")


def test_repeated_target_names_file_and_line(build_store, copy_fixture):
    raw = copy_fixture("rct_text")
    path = raw / "test-targets.csv"
    path.write_text(path.read_text() + "2,CD900004,Again.\n")
    with pytest.raises(
        RawFormatError, match=re.escape("test-targets.csv, line 4: review CD900004 repeats line 2")
    ):
        build_store(["rct_text"], raw=raw)
