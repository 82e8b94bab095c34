from __future__ import annotations

import json
import re

import pytest

import meds_ins
from meds_ins.builder import RawFormatError

FILE = "PubMed Multi Label Text Classification Dataset Processed.csv"


def test_fixture_categories(build_store):
    report = build_store(["pubmed_mesh"])
    assert report.store.manifest["corpora"]["pubmed_mesh"]["skipped"] == {
        "article without any MeSH category": 1,
        "repeated pmid": 1,
    }
    ds = meds_ins.load_dataset(report.store.root, task="task107")
    rows = {r["id"]: r for split in ds for r in ds[split]}
    assert set(rows) == {"task107:38000001", "task107:38000002", "task107:38000014"}
    runners = rows["task107:38000001"]
    assert runners["output"] == [
        "Anatomy [A]; Organisms [B]; Anthropology, Education, Sociology, and Social Phenomena [I]; "
        "Named Groups [M]"
    ]
    assert len(json.loads(runners["meta"])["labels"]) == 4  # commas inside a category name do not split it
    assert rows["task107:38000002"]["input"].startswith("Abstract: A title-less record")
    assert {r["split"] for r in rows.values()} == {"train", "test"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            ",[],0,0,0,0,0,0,0,0,0,0,0,0,0,0\n",
            ",[],0,0,0,0,0,0,0,0,0,0,0,0,0,yes\n",
            "line 5: category columns must",
        ),
        ("pmid,meshid", "PMID,meshid", "line 1: header lacks column(s) pmid"),
    ],
)
def test_malformed_input_names_file_and_line(build_store, copy_fixture, old, new, message):
    raw = copy_fixture("pubmed_mesh")
    path = raw / FILE
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    with pytest.raises(RawFormatError, match=re.escape(f"{FILE}, {message}")):
        build_store(["pubmed_mesh"], raw=raw)
