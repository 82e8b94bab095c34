"""Shared input/output layouts: what multiple-choice and explanation records look like."""

from __future__ import annotations

import pytest

from meds_ins.layouts import answered_choice, multiple_choice

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
