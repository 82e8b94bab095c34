"""Shared layouts: merging repeated inputs into one record."""

from __future__ import annotations

from meds_ins.builder import Example
from meds_ins.layouts import merge_same_input


def test_repeated_inputs_become_one_example_with_all_answers():
    examples = [
        Example("task1", "a", "What is X?", "X is a thing.", meta={"row": 2}),
        Example("task1", "b", "what is  x?", ["X is a thing. ", "X is an object."]),
        Example("task2", "a", "What is X?", "other task"),
        Example("task1", "c", "What is Y?", "Y."),
        Example("task1", "d", "What is X?", "X, in a third way.", split="test"),
    ]
    merged = merge_same_input(examples)
    keys = [(e.task, e.key) for e in merged]
    assert keys == [("task1", "a"), ("task2", "a"), ("task1", "c"), ("task1", "d")]
    first = merged[0]
    assert first.output == ["X is a thing.", "X is an object."]
    assert first.meta == {"row": 2, "merged_keys": ["b"]}
    assert merged[2].output == "Y." and merged[2].meta is None
