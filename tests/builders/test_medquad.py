from __future__ import annotations

import re
from collections import defaultdict
from xml.etree import ElementTree as ET

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError


def records(root) -> list[dict]:
    ds = meds_ins.load_dataset(root, task="task103")
    return [row for split in ds.values() for row in split.to_list()]


def test_fixture(build_store):
    report = build_store(["medquad"])
    skipped = report.store.manifest["corpora"]["medquad"]["skipped"]
    assert skipped == {"answer removed upstream (MedlinePlus copyright)": 3}
    rows = {r["id"]: r for r in records(report.store.root)}
    # The GARD and MedlinePlus documents ask the same symptoms question: one record, both answers.
    assert set(rows) == {
        "task103:2_GARD_QA/0000101-1",
        "task103:2_GARD_QA/0000101-2",
        "task103:4_MPlus_Health_Topics_QA/0000001-1",
        "task103:5_NIDDK_QA/0000017-1",
        "task103:5_NIDDK_QA/0000017-2",
    }
    symptoms = rows["task103:2_GARD_QA/0000101-1"]
    assert symptoms["input"] == "What are the symptoms of Lorem syndrome ?"
    assert len(symptoms["output"]) == 2 and symptoms["output"][1].startswith(
        "The main signs are very dry skin"
    )
    info = rows["task103:4_MPlus_Health_Topics_QA/0000001-1"]
    assert info["output"] == [
        "Lorem syndrome is a rare condition of the skin and the inner ear. It isn't contagious.\n\n"
        "Treatment focuses on the symptoms:\n- moisturizing creams\n- hearing aids"
    ]


def test_real_sample_answers_match_the_xml(build_store):
    raw = real_corpus("medquad")
    expected: dict[str, list[str]] = defaultdict(list)
    empty = 0
    for path in sorted(raw.glob("*/*.xml")):
        for pair in ET.parse(path).getroot().iter("QAPair"):
            question = " ".join(pair.find("Question").text.split())
            answer = (pair.find("Answer").text or "").strip()
            if not answer:
                empty += 1
            elif answer not in expected[question]:
                expected[question].append(answer)
    report = build_store(["medquad"], raw=raw)
    assert report.store.manifest["corpora"]["medquad"]["skipped"] == {
        "answer removed upstream (MedlinePlus copyright)": empty
    }
    rows = records(report.store.root)
    assert empty == 8 and len(rows) == len(expected)
    squash = lambda text: re.sub(r"\s+", " ", text).strip()  # noqa: E731
    for row in rows:
        answers = expected[row["input"]]
        assert [squash(o) for o in row["output"]] == [squash(a) for a in answers]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("</QAPairs>", ""), "2_GARD_QA/0000101.xml, line 2[0-9], column"),
        (
            lambda t: t.replace('qid="0000101-2" ', ""),
            "Document 0000101, QAPair 2: <Question> lacks the attribute 'qid'",
        ),
        (lambda t: t.replace("<Answer>Lorem", "<Reply>x</Reply><Answer>Lorem"), None),
        (lambda t: t.replace("<Answer>Lorem", "<Answer>x</Answer><Answer>Lorem"), "2 <Answer> elements"),
        (
            lambda t: t.replace("<QAPairs>", "<Pairs>").replace("</QAPairs>", "</Pairs>"),
            "no <QAPairs> element",
        ),
    ],
)
def test_malformed_documents_name_file_and_record(build_store, copy_fixture, change, message):
    raw = copy_fixture("medquad")
    path = raw / "2_GARD_QA" / "0000101.xml"
    path.write_text(change(path.read_text()))
    if message is None:  # unknown extra elements are tolerated
        build_store(["medquad"], raw=raw)
        return
    with pytest.raises(RawFormatError, match=message):
        build_store(["medquad"], raw=raw)
