"""Shared input/output layouts."""

from __future__ import annotations

import pytest

from meds_ins.layouts import label_set

ORDER = ("Treatment", "Diagnosis", "Analytical, Diagnostic and Therapeutic Techniques [E]")


def test_label_set_orders_dedupes_and_names_the_empty_set():
    output, meta = label_set(["Diagnosis", ORDER[2], "Diagnosis"], ORDER, "none")
    assert output == "Diagnosis; Analytical, Diagnostic and Therapeutic Techniques [E]"
    assert meta == {"labels": ["Diagnosis", ORDER[2]]}
    assert label_set([], ORDER, "No label.") == ("No label.", {"labels": []})


def test_label_set_refuses_unknown_labels():
    with pytest.raises(ValueError, match="'Prognosis'"):
        label_set(["Prognosis"], ORDER, "none")
