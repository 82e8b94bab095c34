"""Shared input/output layouts: choices, explanations, entity and label sets, merged repeats."""

from __future__ import annotations

import pytest

from meds_ins.builder import (
    NO_ENTITY,
    answered_choice,
    entity_list,
    label_set,
    multiple_choice,
    typed_entity_list,
)

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
    assert entity_list([" IL - 2", "p53", "IL - 2", ""]) == ("IL - 2, p53", {"entities": ["IL - 2", "p53"]})
    assert entity_list([]) == (NO_ENTITY, {"entities": []})


def test_typed_entity_list_pairs_types_with_mentions():
    output, meta = typed_entity_list(
        [("Condition", "pain"), ("Drug", "pain "), ("Condition", "pain"), ("Age", " ")]
    )
    assert output == "Condition: pain\nDrug: pain"
    assert meta == {"entities": ["Condition: pain", "Drug: pain"]}
    assert typed_entity_list([]) == (NO_ENTITY, {"entities": []})


def test_entity_instruction_ends_with_the_empty_answer():
    from meds_ins.builder import entity_instruction

    text = entity_instruction("gene or protein")
    assert text.startswith("List every gene or protein mentioned in the sentence below.")
    assert text.endswith(f"reply: {NO_ENTITY}")
