from __future__ import annotations

import json

import pytest

import meds_ins
from meds_ins.builder import RawFormatError


def records(root, task):
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"].split(":")[1]: r for split in ds for r in ds[split].to_list()}


def test_fixture_three_releases(build_store):
    report = build_store(["chatdoctor"])
    root = report.store.root
    hcm = records(root, "task66")
    assert sorted(hcm) == ["record1", "record2", "record5"]
    assert hcm["record5"]["output"][0].startswith("Hi, a single fasting value of 130 mg/dl")
    icliniq = records(root, "task67")
    assert sorted(icliniq) == ["record1", "record2"]
    first = icliniq["record1"]
    assert first["input"].startswith("Hello doctor,\nI have small itchy bumps")
    assert first["output"][0].startswith("Hi. This looks like contact dermatitis from the new soap.")
    assert first["output"][0].endswith("Consult a dermatologist if it spreads.") and len(first["output"]) == 1
    assert len(records(root, "task68")) == 2
    assert report.store.manifest["corpora"]["chatdoctor"]["skipped"] == {
        "HealthCareMagic-100k.json: conversation repeated word for word": 1,
        "HealthCareMagic-100k.json: empty patient message or doctor reply": 1,
    }


def test_genmedgpt_file_name_of_the_drive_release_is_preferred(build_store, copy_fixture):
    raw = copy_fixture("chatdoctor")
    data = json.loads((raw / "chatdoctor5k.json").read_text())
    (raw / "GenMedGPT-5k.json").write_text(json.dumps(data[:1]))
    assert sorted(records(build_store(["chatdoctor"], raw=raw).store.root, "task68")) == ["record1"]


def test_missing_reply_key_names_file_and_record(build_store, copy_fixture):
    raw = copy_fixture("chatdoctor")
    path = raw / "iCliniq.json"
    data = json.loads(path.read_text())
    del data[1]["answer_icliniq"]
    path.write_text(json.dumps(data))
    with pytest.raises(RawFormatError, match=r"iCliniq.json, record 2: missing key\(s\) 'answer_icliniq'"):
        build_store(["chatdoctor"], raw=raw)
