"""The shared XML reader: parse errors with line and column, alternative spellings, text layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from meds_ins import RawFormatError
from meds_ins.formats.xmlfiles import attribute, child, children, read_xml, text_of

DOC = """<?xml version="1.0" encoding="UTF-8"?>
<Set>
\t<Item id="a1" qfile="1.txt">
\t\t<Text>  first line
\t\t\t  second line


\t\t\tthird &amp; last  </Text>
\t\t<Answers><RefAnswer aid="x"/><ReferenceAnswer aid="y"/><Note/></Answers>
\t</Item>
\t<Item id="a2" qFile="2.txt"><Text/></Item>
</Set>
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_error_names_line_and_column(tmp_path: Path):
    path = write(tmp_path, "<a>\n  <b>text</c>\n</a>\n")
    with pytest.raises(RawFormatError, match=r"doc.xml, line 2, column \d+: malformed XML: mismatched tag"):
        read_xml(path)


def test_children_accept_two_spellings_of_one_element(tmp_path: Path):
    path = write(tmp_path, DOC)
    first, second = read_xml(path).findall("Item")
    answers = child(first, "Answers", path, "Item a1")
    assert [a.get("aid") for a in children(answers, ("ReferenceAnswer", "RefAnswer"))] == ["x", "y"]
    assert attribute(first, ("qfile", "qFile"), path, "Item a1") == "1.txt"
    assert attribute(second, ("qfile", "qFile"), path, "Item a2") == "2.txt"
    assert child(second, "Answers", path, "Item a2", required=False) is None
    with pytest.raises(RawFormatError, match=r"doc.xml, Item a2: no <Answers> element inside <Item>"):
        child(second, "Answers", path, "Item a2")
    with pytest.raises(RawFormatError, match="lacks the attribute 'aid'"):
        attribute(second, "aid", path, "Item a2")


def test_text_layouts(tmp_path: Path):
    path = write(tmp_path, DOC)
    first, second = read_xml(path).findall("Item")
    text = first.find("Text")
    assert text_of(text) == "first line\nsecond line\n\nthird & last"
    assert text_of(text, flat=True) == "first line second line third & last"
    assert text_of(second.find("Text")) == "" and text_of(None) == ""
