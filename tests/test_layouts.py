"""Shared input/output layouts: choices, explanations, entity and label sets, merged repeats."""

from __future__ import annotations

import pytest

from meds_ins.builder import (
    NO_ENTITY,
    answered_choice,
    entity_list,
    label_set,
    located_entity_list,
    multiple_choice,
    read_entity_list,
    typed_entity_list,
)
from meds_ins.builder._layouts import entity_key

OPTIONS = {"A": "Aspirin", "B": " Heparin ", "C": "Warfarin"}


def test_multiple_choice_with_several_answers():
    text, outputs, meta = multiple_choice("Which are anticoagulants?", OPTIONS, ["B", "C"])
    assert text == "Which are anticoagulants?\n\nOptions:\nA. Aspirin\nB. Heparin\nC. Warfarin"
    assert outputs == ["B. Heparin; C. Warfarin", "B, C"]
    assert meta == {"options": OPTIONS, "answer": ["B", "C"]}
    with pytest.raises(ValueError, match="not among options"):
        multiple_choice("q", OPTIONS, ["D"])


def test_answered_choice_ends_with_the_answer():
    text, meta = answered_choice("Antiplatelet drug?", OPTIONS, ["A"], answer_label="Correct answer")
    assert text.endswith("C. Warfarin\n\nCorrect answer: A. Aspirin")
    assert meta == {"options": OPTIONS, "answer": ["A"]}


LABEL_ORDER = ("Treatment", "Diagnosis", "Analytical, Diagnostic and Therapeutic Techniques [E]")


def test_label_set_orders_dedupes_and_names_the_empty_set():
    output, meta = label_set(["Diagnosis", LABEL_ORDER[2], "Diagnosis"], LABEL_ORDER, "none")
    assert output == "Diagnosis; Analytical, Diagnostic and Therapeutic Techniques [E]"
    assert meta == {"labels": ["Diagnosis", LABEL_ORDER[2]]}
    assert label_set([], LABEL_ORDER, "No label.") == ("No label.", {"labels": []})


def test_label_set_refuses_unknown_labels():
    with pytest.raises(ValueError, match="'Prognosis'"):
        label_set(["Prognosis"], LABEL_ORDER, "none")


def test_entity_list_deduplicates_strips_and_marks_the_empty_set():
    assert entity_list([" IL - 2", "p53", "IL - 2", ""]) == ("IL - 2\np53", {"entities": ["IL - 2", "p53"]})
    assert entity_list([]) == (NO_ENTITY, {"entities": []})


def test_typed_entity_list_pairs_types_with_mentions():
    output, meta = typed_entity_list(
        [("Condition", "pain"), ("Drug", "pain "), ("Condition", "pain"), ("Age", " ")]
    )
    assert output == "Condition: pain\nDrug: pain"
    assert meta == {"entities": ["Condition: pain", "Drug: pain"]}
    assert typed_entity_list([]) == (NO_ENTITY, {"entities": []})


TEXT = "Ureteral cancer of the renal pelvis, ureter or bladder after phenacetin ."


def test_located_entity_list_keeps_offsets_in_text_order():
    disease = (9, TEXT.index(" after"))
    output, meta = located_entity_list(TEXT, [(61, 72), disease, (61, 71), disease])
    assert output == "cancer of the renal pelvis, ureter or bladder\nphenacetin"
    assert meta["entities"] == ["cancer of the renal pelvis, ureter or bladder", "phenacetin"]
    # (61, 72) ends in a space: trimmed to the mention, and then the same span as (61, 71)
    assert meta["spans"] == [
        {"start": 9, "end": 54, "text": "cancer of the renal pelvis, ureter or bladder"},
        {"start": 61, "end": 71, "text": "phenacetin"},
        {"start": 61, "end": 71, "text": "phenacetin"},
    ]
    typed_output, typed = located_entity_list(TEXT, [(61, 71, "Drug"), (*disease, "Condition")])
    assert typed_output.splitlines() == [
        "Condition: cancer of the renal pelvis, ureter or bladder",
        "Drug: phenacetin",
    ]
    assert typed["spans"][1] == {"start": 61, "end": 71, "text": "phenacetin", "type": "Drug"}
    assert located_entity_list(TEXT, []) == (NO_ENTITY, {"entities": [], "spans": []})
    with pytest.raises(ValueError, match="outside the text"):
        located_entity_list(TEXT, [(70, 99)])


COMMA = "cancer of the renal pelvis, ureter or bladder"


@pytest.mark.parametrize(
    ("answer", "entities"),
    [
        (f"{COMMA}\nphenacetin", [COMMA, "phenacetin"]),  # the layout entity_list writes
        ("aspirin, heparin; warfarin", ["aspirin", "heparin", "warfarin"]),  # one line: commas, semicolons
        ("2,4-dinitrophenol, aspirin", ["2,4-dinitrophenol", "aspirin"]),  # a comma without space stays
        ("Chemicals:\n- aspirin,\n- 5-fluorouracil", ["aspirin", "5-fluorouracil"]),  # header, bullets
        ("1. aspirin\n2) heparin.", ["aspirin", "heparin."]),  # numbering; dots are ignored in comparison
        ('["aspirin", "a, b"]', ["aspirin", "a, b"]),  # a JSON list
        (f"  {NO_ENTITY}  ", []),
        ("\n\n", []),
    ],
)
def test_read_entity_list_reads_the_layout_and_usual_model_answers(answer, entities):
    assert read_entity_list(answer) == entities


def test_read_entity_list_never_splits_a_known_entity():
    assert read_entity_list(COMMA) == ["cancer of the renal pelvis", "ureter or bladder"]
    known = [COMMA.upper(), "gout"]
    assert read_entity_list(COMMA, known) == [COMMA]
    assert read_entity_list(f"gout, {COMMA}; x, y", known) == ["gout", COMMA, "x", "y"]
    assert read_entity_list("- 1 , 4 - dihydropyridine", ["- 1 , 4 - dihydropyridine"]) == [
        "- 1 , 4 - dihydropyridine"
    ]
    assert entity_key("  Cancer of the  renal pelvis. ") == "cancer of the renal pelvis"
