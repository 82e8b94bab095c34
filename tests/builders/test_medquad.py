from __future__ import annotations

import json
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
    assert skipped == {
        "answer removed upstream (MedlinePlus copyright)": 3,
        "question repeated (answers merged into one record)": 1,
    }
    rows = {r["id"]: r for r in records(report.store.root)}
    # The GARD and MedlinePlus documents ask the same symptoms question: one record, both answers.
    assert set(rows) == {
        "task103:1_CancerGov_QA/0000013_2-1",
        "task103:1_CancerGov_QA/0000013_2_1/0000013_2-1",
        "task103:1_CancerGov_QA/0000013_2_1/0000013_2-2",
        "task103:2_GARD_QA/0000101-1",
        "task103:2_GARD_QA/0000101-2",
        "task103:4_MPlus_Health_Topics_QA/0000001-1",
        "task103:5_NIDDK_QA/0000017-1",
        "task103:5_NIDDK_QA/0000017-2",
        "task103:6_NINDS_QA/0000007-1",
        "task103:6_NINDS_QA/0000007-2",
        "task103:9_CDC_QA/0000397-1",
        "task103:9_CDC_QA/0000397-5",
    }
    symptoms = rows["task103:2_GARD_QA/0000101-1"]
    assert symptoms["input"] == "What are the symptoms of Lorem syndrome ?"
    assert len(symptoms["output"]) == 2 and symptoms["output"][1].startswith(
        "The main signs are very dry skin"
    )
    assert json.loads(symptoms["meta"])["merged_keys"] == ["4_MPlus_Health_Topics_QA/0000001-2"]
    info = rows["task103:4_MPlus_Health_Topics_QA/0000001-1"]
    assert info["output"] == [
        "Lorem syndrome is a rare condition of the skin and the inner ear. It isn't contagious.\n\n"
        "Treatment focuses on the symptoms:\n- moisturizing creams\n- hearing aids"
    ]


def test_the_lower_case_schema_and_the_disease_file_root_are_read(build_store):
    rows = {r["id"]: r for r in records(build_store(["medquad"]).store.root)}
    ninds = rows["task103:6_NINDS_QA/0000007-1"]
    assert ninds["input"] == "what is ipsum tremor ?"
    assert ninds["output"] == [
        "Ipsum tremor is a shaking of the hands that starts in middle age and grows slowly worse.  It is not "
        "caused by another disease."
    ]
    assert json.loads(ninds["meta"]) == {
        "file": "6_NINDS_QA/0000007.xml",
        "focus": "Ipsum tremor",
        "qid": "0000007-1",
        "qtype": "information",
        "source": "NINDS",
        "url": "https://example.org/ninds/ipsum-tremor",
    }
    cdc = json.loads(rows["task103:9_CDC_QA/0000397-5"]["meta"])
    assert (cdc["source"], cdc["focus"], cdc["qid"]) == ("CDC", "Parasites - Dolorworm", "0000397-5")


def test_sub_topic_files_that_reuse_their_parent_ids_get_keys_of_their_own(build_store):
    rows = {r["id"]: r for r in records(build_store(["medquad"]).store.root)}
    parent = rows["task103:1_CancerGov_QA/0000013_2-1"]
    sub = rows["task103:1_CancerGov_QA/0000013_2_1/0000013_2-1"]
    assert parent["input"] == "What is (are) Sit Amet Neoplasms ?"
    assert sub["input"] == "What is (are) Sit Amet Vera ?"
    assert json.loads(sub["meta"])["qid"] == "0000013_2-1"  # the source's id, unchanged
    assert parent["split"] == sub["split"]  # a sub-topic stays with its parent page


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
        (lambda t: t.replace("<Document ", "<Page ").replace("</Document>", "</Page>"), "found <Page>"),
    ],
)
def test_a_file_that_is_not_a_medquad_document_stops_the_build(build_store, copy_fixture, change, message):
    raw = copy_fixture("medquad")
    path = raw / "2_GARD_QA" / "0000101.xml"
    path.write_text(change(path.read_text()))
    with pytest.raises(RawFormatError, match=message):
        build_store(["medquad"], raw=raw)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda t: t.replace('qid="0000101-2" ', ""), "question-answer pair without a question or its id"),
        (
            lambda t: t.replace("<Answer>Lorem", "<Answer>x</Answer><Answer>Lorem"),
            "question-answer pair with several questions or answers",
        ),
        (
            lambda t: t.replace("<QAPairs>", "<Pairs>").replace("</QAPairs>", "</Pairs>"),
            "document without question-answer pairs",
        ),
        (lambda t: t.replace("<Answer>Lorem", "<Reply>x</Reply><Answer>Lorem"), None),
    ],
)
def test_a_defective_pair_or_document_is_skipped_and_counted(build_store, copy_fixture, change, reason):
    raw = copy_fixture("medquad")
    path = raw / "2_GARD_QA" / "0000101.xml"
    path.write_text(change(path.read_text()))
    report = build_store(["medquad"], raw=raw)
    skipped = report.store.manifest["corpora"]["medquad"]["skipped"]
    if reason is None:  # unknown extra elements are tolerated
        assert set(skipped) == {
            "answer removed upstream (MedlinePlus copyright)",
            "question repeated (answers merged into one record)",
        }
    else:
        assert skipped[reason] >= 1
    assert len(records(report.store.root)) >= 9
