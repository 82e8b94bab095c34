from __future__ import annotations

import pytest

import meds_ins
from meds_ins.builder import RawFormatError, random_split

XML = "ClinicalInquiries.xml"


def records(root, task: str) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task=task)
    return {row["id"]: row for split in ds.values() for row in split.to_list()}


def test_fixture_questions_and_justifications(build_store):
    report = build_store(["ebm_summariser"])
    assert report.store.manifest["corpora"]["ebm_summariser"]["skipped"] == {
        "answer statement without a justification": 1,
        "empty justification (longtext)": 1,
        "question repeated (answers merged into one record)": 2,
        "question without an answer": 1,
    }
    answers = records(report.store.root, "task99")
    # record 9004 asks 9001's question again: its answer joins 9001's record as an alternative
    assert set(answers) == {"task99:9001", "task99:9002", "task99:9014"}
    assert answers["task99:9014"]["split"] == "test"  # 9014 falls on the test side of the 9:1 split
    assert answers["task99:9001"]["output"] == [
        "Ipsumycin shortens lorem fever by about 2 days compared with placebo. "
        "Evidence is insufficient to recommend one option over another.",
        "Ipsumycin shortens lorem fever by about 2 days compared with placebo.",
    ]
    verification = records(report.store.root, "task100")
    assert set(verification) == {"task100:9001-1", "task100:9001-2", "task100:9002-1", "task100:9014-1"}
    first = verification["task100:9001-1"]
    assert first["input"] == (
        "Question: What is the most effective treatment for lorem fever in adults?\n\n"
        "Answer statement: Ipsumycin shortens lorem fever by about 2 days compared with placebo."
    )
    assert [o[:24] for o in first["output"]] == [
        "A meta-analysis of 6 ran",
        "A later trial of 300 out",
        "A Cochrane-style review ",
    ]
    # The same statement in two records stays two records: the question tells them apart.
    same = [r for r in verification.values() if r["input"].endswith("one option over another.")]
    assert len(same) == 2 and len({r["input"] for r in same}) == 2
    assert verification["task100:9002-1"]["output"][0].endswith("time to healing & itching scores.")


def test_a_question_and_its_justifications_share_a_split(build_store):
    root = build_store(["ebm_summariser"]).store.root
    questions = {r["id"].split(":")[1]: r["split"] for r in records(root, "task99").values()}
    for row in records(root, "task100").values():
        record = row["id"].split(":")[1].split("-")[0]
        assert row["split"] == questions[record] == random_split("ebm_summariser", record)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace('<record id="9002">', "<record>"),
            "record number 2: <record> lacks the attribute 'id'",
        ),
        (
            lambda t: t.replace("<question>Which cream", "<query>Which cream").replace(
                "children?</question>", "children?</query>"
            ),
            "record 9002: no <question> element",
        ),
        (
            lambda t: t.replace("<sniptext>Avoiding", "<text>Avoiding").replace(
                "recurrences.</sniptext>", "recurrences.</text>"
            ),
            "record 9002, snip 2: no <sniptext> element",
        ),
        (lambda t: t.replace("</records>", ""), "line 86, column 0: malformed XML"),
    ],
)
def test_malformed_records_name_file_and_record(build_store, copy_fixture, change, message):
    raw = copy_fixture("ebm_summariser")
    (raw / XML).write_text(change((raw / XML).read_text()))
    with pytest.raises(RawFormatError, match=f"{XML}, {message}"):
        build_store(["ebm_summariser"], raw=raw)
