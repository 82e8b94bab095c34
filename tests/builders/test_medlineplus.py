from __future__ import annotations

import json
import shutil

import pytest

import meds_ins
from meds_ins.builder import MissingRawFilesError, RawFormatError

RELEASE = "mplus_topics_2024-05-14.xml"


def records(root, task):
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"].split(":")[1]: r for split in ds for r in ds[split].to_list()}


def test_fixture_questions_titles_and_plain_text(build_store):
    report = build_store(["medlineplus"])
    qa = records(report.store.root, "task97")
    assert sorted(qa) == ["9001", "9002"]
    heart = qa["9001"]
    assert heart["input"] == "What should I know about Heart Attack?"
    assert heart["output"] == [
        "A heart attack happens when blood flow to part of the heart muscle is blocked, most often by a "
        "blood clot in a narrowed coronary artery.\nWarning signs include:\n- Chest pain or pressure\n"
        "- Pain in the arms, back, neck or jaw\n- Shortness of breath\n"
        "If you think you are having a heart attack, call 911 right away."
    ]
    assert json.loads(heart["meta"])["groups"] == ["Blood, Heart and Circulation"]
    titles = records(report.store.root, "task98")
    assert titles["9001"]["output"] == ["Heart Attack", "Myocardial infarction", "MI"]
    assert titles["9002"]["input"].endswith("Read the label & take no more than the recommended dose.")
    assert titles["9002"]["output"] == ["Pain Relievers", "Analgesics"]
    assert {qa["9001"]["split"], titles["9001"]["split"]} == {heart["split"]}
    assert report.store.manifest["corpora"]["medlineplus"]["skipped"] == {
        "Spanish health topic (the tasks are English)": 1,
        "health topic without a summary": 1,
    }


def test_only_the_newest_release_is_read(build_store, copy_fixture):
    raw = copy_fixture("medlineplus")
    older = raw / "mplus_topics_2023-12-01.xml"
    shutil.copy(raw / RELEASE, older)
    older.write_text(older.read_text().replace('title="Heart Attack"', 'title="Old Title"'))
    report = build_store(["medlineplus"], raw=raw)
    assert records(report.store.root, "task98")["9001"]["output"][0] == "Heart Attack"
    assert (
        report.store.manifest["corpora"]["medlineplus"]["skipped"]["older mplus_topics release file not read"]
        == 1
    )


def test_topic_without_title_is_named(build_store, copy_fixture):
    raw = copy_fixture("medlineplus")
    path = raw / RELEASE
    path.write_text(path.read_text().replace('title="Pain Relievers" ', ""))
    with pytest.raises(
        RawFormatError, match=r"mplus_topics_2024-05-14.xml, health-topic 2: attribute\(s\) title"
    ):
        build_store(["medlineplus"], raw=raw)


def test_other_xml_is_refused(build_store, copy_fixture):
    raw = copy_fixture("medlineplus")
    (raw / RELEASE).write_text('<?xml version="1.0"?>\n<groups><group id="1">Drug Therapy</group></groups>\n')
    with pytest.raises(RawFormatError, match="no <health-topic> elements"):
        build_store(["medlineplus"], raw=raw)


def test_no_release_file(build_store, tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "mplus_topic_groups_2024-05-14.xml").write_text("<groups/>")
    with pytest.raises(MissingRawFilesError, match=r"mplus_topics_\*\.xml"):
        build_store(["medlineplus"], raw=tmp_path / "raw")
