"""Shared answer layouts: entity sets are distinct, in first-seen order, and empty sets read NO_ENTITY."""

from __future__ import annotations

from meds_ins.layouts import NO_ENTITY, entity_list, typed_entity_list


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
