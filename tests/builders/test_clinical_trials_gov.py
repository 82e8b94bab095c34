from __future__ import annotations

import json

import pytest
from conftest import real_corpus
from ner_reference import assert_spans

import meds_ins
from meds_ins.builder import NO_ENTITY, RawFormatError

CONCEPTS = {"Age", "Condition", "Drug", "Observation", "Procedure", "Language", "Study", "Allergy"}


def rows(root):
    ds = meds_ins.load_dataset(root, task="task77")
    return {r["id"]: r for split in ("train", "test") for r in ds[split]}


def test_fixture_criteria_and_typed_concepts(build_store):
    report = build_store(["clinical_trials_gov"])
    built = rows(report.store.root)
    assert len(built) == 8
    # 6_NCT90000002's tokens say "within 1 year", which its trial's text does not
    assert report.store.manifest["corpora"]["clinical_trials_gov"]["skipped"] == {
        "criterion whose tokens do not occur in the trial's text": 1
    }
    age = built["task77:1_NCT90000001"]
    # the text file gives back the spacing the tokens lost ("18-65", not "18 - 65")
    assert age["input"] == "- Adults aged 18-65 years"
    assert age["output"] == ["Age: aged"]
    # a criterion spanning two lines of the text becomes one line; -Name and Eq- spans are left out
    diabetes = built["task77:2_NCT90000001"]
    assert diabetes["input"] == "- Type 2 diabetes treated with metformin for at least 3 months"
    assert diabetes["output"] == ["Condition: Type 2 diabetes\nDrug: metformin"]
    meta = json.loads(diabetes["meta"])
    assert meta["entities"] == ["Condition: Type 2 diabetes", "Drug: metformin"]
    # offsets into the criterion as built, whose line break became a space
    assert meta["spans"] == [
        {"start": 2, "end": 17, "text": "Type 2 diabetes", "type": "Condition"},
        {"start": 31, "end": 40, "text": "metformin", "type": "Drug"},
    ]
    assert built["task77:5_NCT90000001"]["input"] == "- HbA1c ≥10%"
    assert built["task77:5_NCT90000001"]["split"] == "train"
    assert built["task77:0_NCT90000001"]["output"] == [NO_ENTITY]
    assert built["task77:2_NCT90000002"]["output"] == ["Language: English\nLanguage: Spanish"]
    assert built["task77:1_NCT90000002"]["split"] == "test"


def test_fullwidth_punctuation_in_the_text_is_matched_and_quoted_as_written(build_store):
    built = rows(build_store(["clinical_trials_gov"]).store.root)
    # the tokens say '<' and ',' where the text writes '＜' and '，'
    age = built["task77:5_NCT90000002"]
    assert age["input"] == "- Age＜18 years，or pregnant"
    assert age["output"] == ["Age: Age\nCondition: pregnant"]


def test_missing_criteria_text_names_the_entry(build_store, copy_fixture):
    raw = copy_fixture("clinical_trials_gov")
    (raw / "data/docs/brat/batch2/NCT90000002.txt").unlink()
    with pytest.raises(
        RawFormatError, match=r"test.json, entry 1 \(1_NCT90000002\): no criteria text NCT90000002.txt"
    ):
        build_store(["clinical_trials_gov"], raw=raw)


def test_an_entry_whose_tokens_are_not_in_the_text_is_skipped_and_counted(build_store, copy_fixture):
    raw = copy_fixture("clinical_trials_gov")
    path = raw / "data/docs/brat/batch1/NCT90000001.txt"
    path.write_text(path.read_text().replace("metformin", "insulin"))
    report = build_store(["clinical_trials_gov"], raw=raw)
    built = rows(report.store.root)
    assert "task77:2_NCT90000001" not in built and len(built) == 7
    skipped = report.store.manifest["corpora"]["clinical_trials_gov"]["skipped"]
    assert skipped == {"criterion whose tokens do not occur in the trial's text": 2}


def test_an_entry_of_an_undeclared_type_is_skipped_and_counted(build_store, copy_fixture):
    raw = copy_fixture("clinical_trials_gov")
    path = raw / "data/ner/spert/dev.json"
    (good,) = json.loads(path.read_text())
    bad = json.loads(json.dumps(good).replace('"Observation"', '"Symptom"'))
    path.write_text(json.dumps([bad, {**good, "orig_id": "6_NCT90000001"}]))
    report = build_store(["clinical_trials_gov"], raw=raw)
    built = rows(report.store.root)
    assert "task77:5_NCT90000001" not in built and "task77:6_NCT90000001" in built
    skipped = report.store.manifest["corpora"]["clinical_trials_gov"]["skipped"]
    assert skipped["SpERT entry with malformed fields, spans or types"] == 1


def test_a_file_none_of_whose_entries_can_be_read_stops_the_build(build_store, copy_fixture):
    raw = copy_fixture("clinical_trials_gov")
    path = raw / "data/ner/spert/dev.json"
    path.write_text(path.read_text().replace('"Observation"', '"Symptom"'))
    with pytest.raises(RawFormatError, match=r"dev.json, entry 1 .*no entry of the file can be read"):
        build_store(["clinical_trials_gov"], raw=raw)


def test_a_file_that_is_not_a_list_of_entries_stops_the_build(build_store, copy_fixture):
    raw = copy_fixture("clinical_trials_gov")
    (raw / "data/ner/spert/dev.json").write_text('{"orig_id": "5_NCT90000001"}')
    with pytest.raises(RawFormatError, match=r"dev.json, top level: expected a JSON list of entries"):
        build_store(["clinical_trials_gov"], raw=raw)


def test_real_sample_mentions_match_the_tokens(build_store):
    raw = real_corpus("clinical_trials_gov")
    report = build_store(["clinical_trials_gov"], raw=raw)
    built = rows(report.store.root)
    entries = json.loads((raw / "data/ner/spert/dev.json").read_text(encoding="utf-8"))
    # one of the 109 entries holds a line break only
    assert report.store.manifest["corpora"]["clinical_trials_gov"]["skipped"] == {
        "criterion without words": 1
    }
    entries = [e for e in entries if any(t.strip() for t in e["tokens"])]
    assert len(built) == len(entries) == 108
    assert {r["split"] for r in built.values()} == {"train"}
    for entry in entries:
        row = built[f"task77:{entry['orig_id']}"]
        words = [t for t in entry["tokens"] if t.strip()]
        # the criterion holds the words in order, only the spacing between them may differ
        assert row["input"].replace(" ", "") == "".join(words)
        expected = []
        for e in sorted(entry["entities"], key=lambda e: (e["start"], e["end"])):
            if "___" in e["type"] or e["type"].endswith("-Name") or e["type"].startswith("Eq-"):
                continue
            if e["type"] in {"Modifier", "Negation", "Assertion", "Coreference", "Other", "Exception"}:
                continue
            mention = "".join(t for t in entry["tokens"][e["start"] : e["end"]] if t.strip())
            expected.append((e["type"], mention))
        found = json.loads(row["meta"])["entities"]
        assert [(f.split(": ", 1)[0], f.split(": ", 1)[1].replace(" ", "")) for f in found] == list(
            dict.fromkeys(expected)
        )
        assert all(f.split(": ", 1)[1] in row["input"] for f in found)
        assert_spans(row)
