from __future__ import annotations

import json
import re

import pytest

import meds_ins
from meds_ins.builder import MissingRawFilesError, RawFormatError


def test_fixture_reviews(build_store):
    report = build_store(["ms2"])
    assert report.store.manifest["corpora"]["ms2"]["skipped"] == {
        "review without a target summary": 1,
        "study without title and abstract": 1,
        "target summary without any study": 1,
    }
    ds = meds_ins.load_dataset(report.store.root, task="task109")
    assert (ds["train"].num_rows, ds["test"].num_rows) == (2, 1)
    first = ds["train"][0]
    assert first["id"] == "task109:31000001"
    assert first["input"].startswith(
        "Background: Knee osteoarthritis is common, and exercise is often advised.\n"
    )
    assert (
        "\n\nStudy 1: Walking program for knee pain in older adults\nBACKGROUND: Knee pain" in first["input"]
    )
    assert "Study 3" not in first["input"]  # the study with neither title nor abstract
    assert json.loads(first["meta"])["pmids"] == ["21000001", "21000002"]
    dev = ds["test"][0]  # the dev part; no reviews-info file for it, so no background
    assert dev["input"].startswith("Study 1: Vitamin D and falls in care homes")
    assert dev["output"] == [
        "Vitamin D may reduce falls in care homes; evidence in people living at home is mixed."
    ]


def test_malformed_and_missing_files(build_store, copy_fixture):
    raw = copy_fixture("ms2")
    path = raw / "train-inputs.csv"
    path.write_text(path.read_text().replace("1,31000001,21000002,", "1,31000001,", 1))
    with pytest.raises(RawFormatError, match=re.escape("train-inputs.csv, line 5: 4 fields, expected 5")):
        build_store(["ms2"], raw=raw)
    (raw / "dev-targets.csv").unlink()
    with pytest.raises(MissingRawFilesError, match="ms2/dev-targets.csv"):
        build_store(["ms2"], raw=raw)
