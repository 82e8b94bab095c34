"""Additions to the shared parsers: JSON files of either layout, and delimited files without a header."""

from __future__ import annotations

from pathlib import Path

import pytest

from meds_ins import RawFormatError
from meds_ins.formats.jsonfiles import iter_json_records, iter_text_records
from meds_ins.formats.tables import iter_csv


def test_json_records_read_an_array_and_name_positions(tmp_path: Path):
    path = tmp_path / "a.json"
    path.write_text('\n  [{"a": 1},\n   {"a": 2}]\n')
    assert list(iter_json_records(path)) == [("record 1", {"a": 1}), ("record 2", {"a": 2})]


def test_json_records_read_json_lines_named_json(tmp_path: Path):
    path = tmp_path / "a.json"
    path.write_text('{"a": 1}\n\n{"a": 2}\n{"a": \n')
    seen = []
    with pytest.raises(RawFormatError, match=r"a.json, line 4: invalid JSON Lines record"):
        for where, record in iter_json_records(path):
            seen.append((where, record))
    assert seen == [("line 1", {"a": 1}), ("line 3", {"a": 2})]


def test_json_records_refuse_other_content(tmp_path: Path):
    path = tmp_path / "a.json"
    path.write_text('"just a string"')
    with pytest.raises(RawFormatError, match="expected a JSON array of records or JSON Lines"):
        list(iter_json_records(path))
    path.write_text("")
    with pytest.raises(RawFormatError, match="expected a JSON array"):
        list(iter_json_records(path))


def test_csv_without_header_uses_the_given_columns(tmp_path: Path):
    path = tmp_path / "pairs.csv"
    path.write_bytes(b'1,"What is it, then?",Other,1\r\n2,Second,"Multi\r\nline",0\r\n')
    rows = list(iter_csv(path, ("q1", "label"), columns=("dr", "q1", "q2", "label")))
    assert rows == [
        (1, {"dr": "1", "q1": "What is it, then?", "q2": "Other", "label": "1"}),
        (2, {"dr": "2", "q1": "Second", "q2": "Multi\r\nline", "label": "0"}),
    ]
    path.write_bytes(b"1,a,b,1\r\n2,a,b\r\n")
    with pytest.raises(RawFormatError, match=r"pairs.csv, line 2: 3 fields, expected 4"):
        list(iter_csv(path, ("q1",), columns=("dr", "q1", "q2", "label")))


def test_text_records_strip_texts_and_check_types(tmp_path: Path):
    path = tmp_path / "a.json"
    path.write_text('[{"input": " Q? ", "output": null, "extra": 1}, {"input": "Q2", "output": 3}]')
    records = iter_text_records(path, ("input", "output"))
    assert next(records) == ("record 1", {"input": "Q?", "output": ""})
    with pytest.raises(RawFormatError, match=r"a.json, record 2: output must be a string, found int"):
        next(records)
    path.write_text('{"input": "Q"}\n')
    with pytest.raises(RawFormatError, match=r"a.json, line 1: missing key\(s\) 'output'"):
        list(iter_text_records(path, ("input", "output")))
