from __future__ import annotations

import re
from pathlib import Path

import pytest

import meds_ins
from meds_ins.builder import MissingRawFilesError, RawFormatError


def records(root: Path, task: str) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"].split(":")[1]: r for split in ds for r in ds[split]}


def test_fixture_tasks_splits_and_skips(build_store):
    report = build_store(["healthfact"])
    assert report.store.manifest["corpora"]["healthfact"]["skipped"] == {
        "label not one of true, false, mixture, unproven (tasks 16 and 18)": 2,  # '' and 'snopes'
        "no explanation (tasks 17 and 18)": 1,  # 'nan'
        "no main text (task 16)": 1,  # 'nan'
        "repeated claim_id": 1,
    }
    root = report.store.root
    verdicts = records(root, "task16")
    assert {k: (r["output"][0], r["split"]) for k, r in verdicts.items()} == {
        "10001": ("false", "train"),
        "10002": ("true", "train"),
        "20001": ("unproven", "train"),
        "20003": ("mixture", "train"),
        "30001": ("true", "test"),
        "30002": ("false", "test"),
    }
    article = verdicts["10001"]["input"]
    assert article.startswith("Claim: Drinking two glasses of water before meals halves the risk of the flu.")
    assert 'said that "pre-meal water" protects' in article and "but\tnone knew" in article  # quoted cell
    claims = records(root, "task17")
    assert set(claims) == {"10001", "10002", "10003", "10004", "20001", "30001", "30002", "30003"}
    assert (
        claims["30003"]["input"] == "The app's claims have not been tested."
        and claims["30003"]["split"] == "test"
    )
    explanations = records(root, "task18")
    assert (
        explanations["10003"]["input"]
        == "Claim: Eating an apple a day keeps every doctor away.\n\nVerdict: mixture"
    )
    assert explanations["10003"]["output"] == [
        "Apples are healthy, but no food prevents all illness, so the saying is only partly right."
    ]
    assert "20003" not in explanations and "30003" not in explanations


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("dev.tsv", "\tlabel\t", "\tverdict\t", "dev.tsv, line 1: header lacks column(s) label"),
        ("train.tsv", "\tHealth, Viral claims", "", "train.tsv, line 2: 8 fields, expected 9"),
        # a quote that never closes swallows the rest of the file into one cell
        ("test.tsv", "\tAn app maker", '\t"An app maker', "test.tsv, line 4: 7 fields, expected 10"),
    ],
)
def test_malformed_input_names_file_and_line(build_store, copy_fixture, name, old, new, message):
    raw = copy_fixture("healthfact")
    path = raw / "PUBHEALTH" / name
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(RawFormatError, match=re.escape(message)):
        build_store(["healthfact"], raw=raw)


def test_missing_file_is_named(build_store, copy_fixture):
    raw = copy_fixture("healthfact")
    (raw / "PUBHEALTH" / "test.tsv").unlink()
    with pytest.raises(MissingRawFilesError, match="PUBHEALTH/test.tsv"):
        build_store(["healthfact"], raw=raw)
