"""ICD-10-CM/PCS code files (meds_ins.formats.icd10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from meds_ins import MissingRawFilesError, RawFormatError
from meds_ins.formats.icd10 import dotted, iter_code_file, iter_order_file, one_release, read_descriptions


def order_line(number: int, code: str, billable: bool, short: str, long: str) -> str:
    return f"{number:05d} {code:<7} {int(billable)} {short:<60} {long}"


def test_order_file_fixed_width_fields(tmp_path: Path):
    path = tmp_path / "icd10cm_order_2025.txt"
    lines = [
        order_line(1, "Q99", False, "Made-up category", "Made-up category of conditions"),
        order_line(
            2, "Q991", True, "Made-up condition, left", "Made-up condition of the left side, first visit"
        ),
        order_line(3, "Q992", True, "Short only", ""),
    ]
    path.write_text("\r\n".join(lines) + "\r\n")
    entries = [entry for _, entry in iter_order_file(path)]
    assert [(e.code, e.billable) for e in entries] == [("Q99", False), ("Q991", True), ("Q992", True)]
    assert entries[1].short == "Made-up condition, left"
    assert entries[1].long == "Made-up condition of the left side, first visit"
    assert entries[2].long == "Short only"  # no long description: the short one stands in


def test_code_file_and_descriptions(tmp_path: Path):
    codes = tmp_path / "icd10pcs_codes_2025.txt"
    codes.write_text(
        "0ZZ00ZZ Made-up procedure on the head, open approach\n0ZZ03ZZ Made-up procedure, percutaneous\n"
    )
    order = tmp_path / "icd10cm_order_2025.txt"
    order.write_text(order_line(1, "Q991", True, "Made-up", "Made-up condition") + "\n")
    assert [e.code for _, e in iter_code_file(codes)] == ["0ZZ00ZZ", "0ZZ03ZZ"]
    assert read_descriptions([order, codes]) == {
        "Q991": "Made-up condition",
        "0ZZ00ZZ": "Made-up procedure on the head, open approach",
        "0ZZ03ZZ": "Made-up procedure, percutaneous",
    }


def test_malformed_lines_name_the_file_and_line(tmp_path: Path):
    path = tmp_path / "icd10cm_order_2025.txt"
    path.write_text(order_line(1, "Q991", True, "Fine", "Fine") + "\nQ992 Made-up, wrong layout\n")
    with pytest.raises(
        RawFormatError, match=r"icd10cm_order_2025.txt, line 2: expected the fixed-width order"
    ):
        list(iter_order_file(path))
    codes = tmp_path / "icd10cm_codes_2025.txt"
    codes.write_text("Q991 Fine\nq99.2 lower case and a dot\n")
    with pytest.raises(RawFormatError, match=r"icd10cm_codes_2025.txt, line 2: expected a code"):
        list(iter_code_file(codes))
    codes.write_bytes(b"Q991 Fine\nQ992 Caf\xe9\n")
    with pytest.raises(RawFormatError, match="line 2: not valid UTF-8"):
        list(iter_code_file(codes))


def test_one_release_and_dotted_codes(tmp_path: Path):
    a, b = tmp_path / "icd10cm_order_2024.txt", tmp_path / "icd10cm_order_2025.txt"
    assert one_release([a], "ICD-10-CM") == a and one_release([], "ICD-10-CM") is None
    with pytest.raises(MissingRawFilesError, match="several ICD-10-CM releases found"):
        one_release([a, b], "ICD-10-CM")
    # the names of current releases have hyphens; the addenda (changes only) are not a release
    current, april = tmp_path / "icd10cm-order-2026.txt", tmp_path / "icd10cm-order-April-1-2026.txt"
    addenda = [tmp_path / "icd10cm-order-addenda-2026.txt", tmp_path / "icd10cm_order_addenda_2024.txt"]
    assert one_release([*addenda, current], "ICD-10-CM") == current
    assert one_release([april, addenda[0]], "ICD-10-CM") == april
    assert one_release(addenda, "ICD-10-CM") is None
    assert (dotted("E119"), dotted("S52521A"), dotted("I10")) == ("E11.9", "S52.521A", "I10")
