from __future__ import annotations

import json
import re

import pytest

import meds_ins
from meds_ins.builder import RawFormatError


def test_fixture_topics_and_split(build_store):
    report = build_store(["litcovid"])
    assert report.store.manifest["corpora"]["litcovid"]["skipped"] == {
        "article without an abstract": 1,
        "repeated pmid": 1,
    }
    ds = meds_ins.load_dataset(report.store.root, task="task108")
    train = {r["id"]: r for r in ds["train"]}
    assert set(train) == {"task108:39000001", "task108:39000002", "task108:39000004"}
    assert train["task108:39000001"]["output"] == ["Treatment; Mechanism"]
    assert json.loads(train["task108:39000002"]["meta"])["labels"] == ["Prevention", "Transmission"]
    masks = train["task108:39000002"]["input"]
    assert masks.startswith("Title: Masks in schools and classroom outbreaks\n\nAbstract: We compared")
    assert "two terms.\nOutbreaks were" in masks  # a quoted field with a line break
    assert [(r["id"], r["output"]) for r in ds["test"]] == [("task108:39000005", ["Diagnosis"])]


def test_unknown_topic_names_file_and_line(build_store, copy_fixture):
    raw = copy_fixture("litcovid")
    path = raw / "BC7-LitCovid-Dev.csv"
    path.write_text(path.read_text().replace("Epidemic Forecasting", "General Info;Epidemic Forecasting", 1))
    with pytest.raises(
        RawFormatError, match=re.escape("BC7-LitCovid-Dev.csv, line 2: unknown topic(s) 'General Info'")
    ):
        build_store(["litcovid"], raw=raw)
