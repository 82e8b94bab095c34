from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError

SUMMARIES = "TestDataset/TREC-2017-LiveQA-Medical-Test-Questions-w-summaries.xml"
PLAIN = "TestDataset/TREC-2017-LiveQA-Medical-Test.xml"


def records(root) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task="task62")
    return {row["id"]: row for split in ds.values() for row in split.to_list()}


def test_fixture(build_store):
    report = build_store(["liveqa_medical"])
    assert report.store.manifest["corpora"]["liveqa_medical"]["skipped"] == {
        "empty reference answer": 1,
        "question without a reference answer": 1,
    }
    rows = records(report.store.root)
    assert set(rows) == {"task62:TQ1", "task62:TQ2", "task62:TQ3"}
    first = rows["task62:TQ1"]
    assert first["input"] == (
        "Subject: Lorem syndrome and hearing\n\n"
        "Message: My son has lorem syndrome, will he lose his hearing completely"
    )
    # <RefAnswer> and <ReferenceAnswer> both count; hard line breaks and padding are removed
    assert first["output"] == [
        "Hearing loss in Lorem syndrome usually begins in childhood and progresses slowly. "
        "Most adults keep some hearing, and hearing aids help the majority of them.",
        "Complete deafness is uncommon in Lorem syndrome.",
    ]
    assert rows["task62:TQ3"]["input"] == "Subject: dolor rash"
    assert '"qfile":"1-2345678.xml.txt"' in rows["task62:TQ2"]["meta"]


def test_the_release_without_summaries_is_read_when_alone(build_store, copy_fixture):
    raw = copy_fixture("liveqa_medical")
    (raw / SUMMARIES).rename(raw / PLAIN)
    assert set(records(build_store(["liveqa_medical"], raw=raw).store.root)) == {
        "task62:TQ1",
        "task62:TQ2",
        "task62:TQ3",
    }


def test_real_sample_reference_answers(build_store):
    raw = real_corpus("liveqa_medical")
    expected = {}
    for question in ET.parse(raw / SUMMARIES).getroot():
        answers = [a for a in question.find("ReferenceAnswers") if a.tag in ("ReferenceAnswer", "RefAnswer")]
        expected[question.get("qid")] = [
            " ".join("".join(a.find("ANSWER").itertext()).split()) for a in answers
        ]
    rows = records(build_store(["liveqa_medical"], raw=raw).store.root)
    assert len(rows) == len(expected) == 30
    assert sum(len(v) for v in expected.values()) == 56  # 53 <ReferenceAnswer> and 3 <RefAnswer>
    for qid, answers in expected.items():
        assert rows[f"task62:{qid}"]["output"] == answers


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace('<RefAnswer aid="TQ1A1">', '<Answer aid="TQ1A1">').replace(
                "</RefAnswer>", "</Answer>"
            ),
            "NLM-QUESTION TQ1: <Answer> inside <ReferenceAnswers>",
        ),
        (
            lambda t: t.replace("Original-Question qFile", "Question qFile").replace(
                "</Original-Question>\n\t\t<NIST-PARAPHRASE>Do ipsumol",
                "</Question>\n\t\t<NIST-PARAPHRASE>Do ipsumol",
            ),
            "NLM-QUESTION TQ2: no <Original-Question> element",
        ),
        (lambda t: t.replace("</ANSWER>", "", 1), r"line \d+, column \d+: malformed XML"),
    ],
)
def test_malformed_questions_name_file_and_record(build_store, copy_fixture, change, message):
    raw = copy_fixture("liveqa_medical")
    path = raw / SUMMARIES
    path.write_text(change(path.read_text()))
    with pytest.raises(RawFormatError, match=message):
        build_store(["liveqa_medical"], raw=raw)
