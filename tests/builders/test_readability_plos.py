from __future__ import annotations

import json
import re

import pytest

import meds_ins
from meds_ins.builder import RawFormatError


def test_fixture_lay_summaries(build_store):
    report = build_store(["readability_plos"])
    assert report.store.manifest["corpora"]["readability_plos"]["skipped"] == {
        "article or plain-language summary empty": 1
    }
    ds = meds_ins.load_dataset(report.store.root, task="task113")
    train = {r["id"]: r for r in ds["train"]}
    assert set(train) == {"task113:train-1", "task113:train-3"}
    first = train["task113:train-1"]
    assert first["output"][0].startswith("Mosquitoes pick up a parasite when they bite infected people.")
    assert first["output"][0] not in first["input"]  # the lay summary is cut out of the article text
    assert first["input"].startswith(
        "Title: A plant compound limits parasite growth in mosquitoes\n\nArticle: "
    )
    assert train["task113:train-3"]["input"].startswith("Article: Introduction")  # no title upstream
    assert [r["id"] for r in ds["test"]] == ["task113:test-1"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: (d / "extra_plos.jsonl").write_text("{}\n"), "extra_plos.jsonl: unknown part 'extra'"),
        (
            lambda d: (d / "test_plos.jsonl").write_text('{"article": "x"\n'),
            "test_plos.jsonl, line 1: invalid JSON",
        ),
        (
            lambda d: (d / "test_plos.jsonl").write_text('{"title": "t", "article": "x"}\n'),
            "test_plos.jsonl, line 1: missing key(s) 'plain language summary'",
        ),
        (
            lambda d: (d / "test_plos.jsonl").write_text(
                json.dumps({"article": ["a", "b"], "plain language summary": "s"}) + "\n"
            ),
            "test_plos.jsonl, line 1: 'article' must be a string, found list",
        ),
    ],
)
def test_malformed_input_names_file_and_line(build_store, copy_fixture, change, message):
    raw = copy_fixture("readability_plos")
    change(raw / "plos_corpus")
    with pytest.raises(RawFormatError, match=re.escape(message)):
        build_store(["readability_plos"], raw=raw)
