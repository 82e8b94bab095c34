from __future__ import annotations

import json
import re

import pytest

import meds_ins
from meds_ins.builder import RawFormatError


def test_fixture_articles_and_abstracts(build_store):
    report = build_store(["pubmed_summarization"])
    assert report.store.manifest["corpora"]["pubmed_summarization"]["skipped"] == {
        "article without an abstract": 1,
        "abstract without article text": 1,
        "repeated article_id": 1,
    }
    ds = meds_ins.load_dataset(report.store.root, task="task111")
    assert sorted(r["id"] for r in ds["train"]) == [
        "task111:PMC9000001",
        "task111:PMC9000003",
        "task111:PMC9000005",
    ]
    first = next(r for r in ds["train"] if r["id"] == "task111:PMC9000001")
    assert first["input"].split("\n")[1] == "we observed compliance on four wards for @xmath0 weeks ."
    assert first["output"] == [
        "hand hygiene reminders at the bedside raised compliance on four hospital wards . "
        "simple reminders may help infection control ."
    ]
    assert [r["id"] for r in ds["test"]] == ["task111:PMC9000006"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda lines: lines.insert(1, '{"article_id": "PMC1", "article_text": ['),
            "val.txt, line 2: invalid JSON",
        ),
        (
            lambda lines: lines.__setitem__(
                0, json.dumps({**json.loads(lines[0]), "abstract_text": "one string"})
            ),
            "val.txt, line 1: abstract_text must be a list of strings",
        ),
        (
            lambda lines: lines.__setitem__(1, json.dumps({"article_id": "PMC2", "article_text": []})),
            "val.txt, line 2: missing key(s) 'abstract_text'",
        ),
    ],
)
def test_malformed_lines_name_file_and_line(build_store, copy_fixture, change, message):
    raw = copy_fixture("pubmed_summarization")
    path = raw / "pubmed-dataset" / "val.txt"
    lines = path.read_text().splitlines()
    change(lines)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RawFormatError, match=re.escape(message)):
        build_store(["pubmed_summarization"], raw=raw)
