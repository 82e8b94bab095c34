"""brat standoff and SpERT JSON readers: exact text, checked spans, errors that name file and record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import real_corpus

from meds_ins import RawFormatError
from meds_ins.formats import brat, spert

TEXT = "Exclusion Criteria:\r\n  -  Type 1 diabetes or\r\n     renal failure\r\n"


def test_brat_text_keeps_line_ends_and_text_bounds_match_it(tmp_path: Path):
    (tmp_path / "NCT1.txt").write_bytes(TEXT.encode())
    text = brat.read_text(tmp_path / "NCT1.txt")
    assert text == TEXT
    assert brat.lines(text)[:3] == ["Exclusion Criteria:", "  -  Type 1 diabetes or", "     renal failure"]
    start = text.index("Type")
    renal = text.index("renal")
    ann = tmp_path / "NCT1.ann"
    ann.write_text(
        f"T1\tCondition {start} {start + 15}\tType 1 diabetes\n"
        f"R1\tOr Arg1:T1 Arg2:T2\n#1\tAnnotatorNotes T1\tchecked\n"
        f"T2\tCondition {start} {start + 6};{renal} {renal + 13}\tType 1 renal failure\n"
    )
    bounds = list(brat.iter_text_bounds(ann, text))
    assert [(b.id, b.type, b.text) for b in bounds] == [
        ("T1", "Condition", "Type 1 diabetes"),
        ("T2", "Condition", "Type 1 renal failure"),
    ]
    assert bounds[1].spans == ((start, start + 6), (renal, renal + 13))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("T1\tCondition 0 9\tExclusio!\n", "line 1: annotation text 'Exclusio!' differs"),
        ("T1\tCondition 0 999\tExclusion\n", "line 1: span 0-999 lies outside the text"),
        ("T1\tCondition zero 9\tExclusion\n", "line 1: offsets 'zero 9' are not"),
        ("T1 Condition 0 9 Exclusion\n", "line 1: expected 'T<id><TAB>Type start end<TAB>text'"),
        ("X1\tfoo\n", "line 1: unknown annotation kind"),
    ],
)
def test_brat_errors_name_file_and_line(tmp_path: Path, line: str, message: str):
    ann = tmp_path / "NCT1.ann"
    ann.write_text(line)
    with pytest.raises(RawFormatError, match="NCT1.ann, " + message.replace("(", r"\(")):
        list(brat.iter_text_bounds(ann, TEXT))


ENTRY = {
    "orig_id": "1_NCT1",
    "tokens": ["\n  ", "-", " ", "Type", "1", "diabetes", "or", "renal", "failure"],
    "entities": [{"type": "Condition", "start": 3, "end": 6}, {"type": "Condition", "start": 7, "end": 9}],
    "relations": [{"type": "Or", "head": 0, "tail": 1}],
}


def test_spert_entries_types_and_token_location(tmp_path: Path):
    path = tmp_path / "dev.json"
    path.write_text(json.dumps([ENTRY]))
    types = tmp_path / "types.json"
    types.write_text(json.dumps({"entities": {"Condition": {}}, "relations": {"Or": {}}}))
    entity_types, relation_types = spert.read_types(types)
    (entry,) = spert.iter_entries(path, entity_types, relation_types)
    assert entry.orig_id == "1_NCT1" and entry.number == 1
    assert entry.entities[1] == spert.Entity("Condition", 7, 9)
    assert entry.relations == (spert.Relation("Or", 0, 1),)
    spans = spert.locate_tokens(entry.tokens, TEXT)
    assert spans[:3] == [None, (23, 24), None]
    assert TEXT[spans[3][0] : spans[5][1]] == "Type 1 diabetes"
    assert TEXT[spans[7][0] : spans[8][1]] == "renal failure"
    with pytest.raises(ValueError, match="do not occur"):
        spert.locate_tokens(["Type", "2"], TEXT)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tokens": "a b"}, "'tokens' must be a list of strings"),
        (
            {"entities": [{"type": "Condition", "start": 3, "end": 12}]},
            "entity span 3-12 is not within its 9 tokens",
        ),
        (
            {"entities": [{"type": "Drug", "start": 3, "end": 4}], "relations": []},
            "entity type 'Drug' is not declared",
        ),
        (
            {"relations": [{"type": "Or", "head": 0, "tail": 5}]},
            "relation 'Or' points outside the 2 entities",
        ),
        ({"relations": [{"type": "Has", "head": 0, "tail": 1}]}, "relation type 'Has' is not declared"),
        ({"entities": [{"type": "Condition", "start": 3}]}, "missing key\\(s\\) 'end'"),
    ],
)
def test_spert_errors_name_file_and_entry(tmp_path: Path, change: dict, message: str):
    path = tmp_path / "dev.json"
    path.write_text(json.dumps([ENTRY, {**ENTRY, "orig_id": "2_NCT1", **change}]))
    with pytest.raises(RawFormatError, match=r"dev.json, entry 2 \(2_NCT1\): " + message):
        list(spert.iter_entries(path, {"Condition"}, {"Or"}))


def test_spert_with_skip_counts_malformed_entries_and_reads_the_rest(tmp_path: Path):
    path = tmp_path / "dev.json"
    bad = {**ENTRY, "orig_id": "2_NCT1", "entities": [{"type": "Drug", "start": 3, "end": 4}]}
    path.write_text(json.dumps([ENTRY, bad, "not an entry", {**ENTRY, "orig_id": "4_NCT1"}]))
    counted: list[str] = []
    entries = list(spert.iter_entries(path, {"Condition"}, {"Or"}, counted.append))
    assert [e.orig_id for e in entries] == ["1_NCT1", "4_NCT1"]
    assert counted == [spert.MALFORMED_ENTRY] * 2


def test_fullwidth_and_compatibility_characters_are_matched_one_for_one():
    text = "  -  Age＜18 years，or BMI ≧ 30（obese）; pH˂5.8\n"
    assert spert.fold_characters(text) == "  -  Age<18 years,or BMI ≥ 30(obese); pH<5.8\n"
    tokens = [
        "-",
        "Age",
        "<",
        "18",
        "years",
        ",",
        "or",
        "BMI",
        "≥",
        "30",
        "(",
        "obese",
        "）",
        ";",
        "pH",
        "<",
        "5.8",
    ]
    spans = spert.locate_tokens(tokens, text)
    assert [b - a for a, b in spans] == [len(t) for t in tokens]
    assert "".join(text[a:b] for a, b in spans) == "-Age＜18years，orBMI≧30（obese）;pH˂5.8"  # as written
    # a character whose compatibility form is several characters is not folded: offsets must not move
    assert spert.fold_characters("ﬁ½") == "ﬁ½"
    with pytest.raises(ValueError, match="do not occur"):
        spert.locate_tokens(["Age", ">", "18"], text)


def test_real_spert_sample_locates_every_entry_in_its_trial_text():
    raw = real_corpus("clinical_trials_gov")
    texts = {p.stem: brat.read_text(p) for p in raw.glob("data/docs/brat/*/NCT*.txt")}
    entity_types, relation_types = spert.read_types(raw / "data/ner/spert/types.json")
    entries = list(spert.iter_entries(raw / "data/ner/spert/dev.json", entity_types, relation_types))
    assert len(entries) == 109 and len(texts) == 50
    for entry in entries:
        text = texts[entry.orig_id.split("_", 1)[1]]
        spans = spert.locate_tokens(entry.tokens, text)
        for token, span in zip(entry.tokens, spans):
            assert (span is None) == (not token.strip())
            assert span is None or text[span[0] : span[1]] == token
