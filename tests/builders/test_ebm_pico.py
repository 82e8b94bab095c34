from __future__ import annotations

import json

import pytest
from ner_reference import assert_spans

import meds_ins
from meds_ins.builder import NO_ENTITY, RawFormatError

ANN = "ebm_nlp_2_00/annotations/aggregated/starting_spans/{}/{}/{}.AGGREGATED.ann"


def rows(root, task):
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"]: r for split in ("train", "test") for r in ds[split]}


def test_fixture_sentences_and_spans(build_store):
    report = build_store(["ebm_pico"])
    root = report.store.root
    participants, interventions, outcomes = (rows(root, t) for t in ("task1", "task2", "task3"))
    assert set(participants) == {
        f"task1:{k}"
        for k in (
            "91000001-1",
            "91000001-2",
            "91000001-3",
            "91000002-1",
            "91000002-2",
            "91000002-3",
            "91000003-1",
            "91000003-2",
        )
    }
    first = participants["task1:91000001-1"]
    assert first["input"] == (
        "Effect of daily walking on blood pressure in 60 older adults with hypertension : "
        "a randomised trial ."
    )
    assert first["output"] == ["60 older adults with hypertension"] and first["split"] == "train"
    assert participants["task1:91000001-2"]["output"] == [NO_ENTITY]
    assert interventions["task2:91000001-2"]["output"] == ["walked for 30 minutes a day\nusual care"]
    # sentences end at '?' and '!' too; a document with gold labels is a test document only
    assert participants["task1:91000002-1"]["input"] == "Does zinc shorten colds in children ?"
    assert participants["task1:91000002-1"]["split"] == "test"
    acupuncture = interventions["task2:91000003-2"]
    assert json.loads(acupuncture["meta"])["entities"] == ["acupuncture", "sham needling"]
    assert_spans(acupuncture)
    assert outcomes["task3:91000002-3"]["output"] == ["duration of symptoms"]
    assert "task3:91000001-1" not in outcomes
    assert report.store.manifest["corpora"]["ebm_pico"]["skipped"] == {
        "crowd labels of a document in the gold test set": 1,
        "document without outcomes labels": 1,
    }


def test_space_separated_tokens_and_comma_separated_labels_of_release_1(build_store, copy_fixture):
    raw = copy_fixture("ebm_pico")
    tokens = raw / "ebm_nlp_2_00/documents/91000003.tokens"
    tokens.write_text(" ".join(tokens.read_text().split("\n")).strip())
    for element in ("participants", "interventions", "outcomes"):
        path = raw / ANN.format(element, "test/gold", "91000003")
        path.write_text(",".join(path.read_text().split()))
    built = rows(build_store(["ebm_pico"], raw=raw).store.root, "task2")
    assert built["task2:91000003-1"]["output"] == ["Acupuncture"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda text: text.replace("0\n", "2\n", 1),
            r"91000003.AGGREGATED.ann, label 1: label '2' is not 0 or 1",
        ),
        (lambda text: text + "0\n", r"91000003.AGGREGATED.ann: 21 labels for the 20 tokens of the document"),
    ],
)
def test_bad_labels_name_the_file(build_store, copy_fixture, change, message):
    raw = copy_fixture("ebm_pico")
    path = raw / ANN.format("outcomes", "test/gold", "91000003")
    path.write_text(change(path.read_text()))
    with pytest.raises(RawFormatError, match=message):
        build_store(["ebm_pico"], raw=raw)


def test_missing_tokens_file_is_an_error(build_store, copy_fixture):
    raw = copy_fixture("ebm_pico")
    (raw / "ebm_nlp_2_00/documents/91000001.tokens").unlink()
    with pytest.raises(RawFormatError, match=r"no tokens file 91000001.tokens"):
        build_store(["ebm_pico"], raw=raw)
