"""The OBO parser: header, stanzas, quoted values with escapes, comments, modifiers and continuations."""

from __future__ import annotations

from pathlib import Path

import pytest

from meds_ins import RawFormatError
from meds_ins.formats.obo import definition, read_obo, synonyms, target

OLD_LAYOUT = (
    "format-version: 1.2\n"
    "default-namespace: toy_ontology\n"
    "remark: made up for a test\n"
    "\n"
    "[Term]\n"
    "id: TOY:1\n"
    "name: wobbly knee\n"
    'def: "A joint disorder with \\"wobble\\" and a\\nsecond line." [url:http\\://example.org/a!b]\n'
    'synonym: "knee wobble" EXACT []\n'
    'synonym: "WK" EXACT ABBREVIATION [TOY:curator]\n'
    'synonym: "loose knee" RELATED []\n'
    "is_a: TOY:0 ! joint disorder\n"
    'xref: MESH:D000001 {source="TOY:1"}\n'
    "\n"
    "! a comment line between stanzas\n"
    "[Term]\r\n"
    "id: TOY:2\r\n"
    "name: a name that goes on \\\n"
    "and on\r\n"
    "is_obsolete: true\r\n"
    "\n"
    "[Typedef]\n"
    "id: part_of\n"
    "name: part of\n"
)

NEW_LAYOUT = (
    "format-version: 1.2\n"
    "idspace: dc http://purl.org/dc/elements/1.1/ \n"
    "ontology: toy\n"
    "\n"
    "[Term]\n"
    "id: TOY:3\n"
    "name: stiff elbow\n"
    "namespace: toy_ontology\n"
    'def: "An elbow disorder." []\n'
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "toy.obo"
    path.write_bytes(text.encode())
    return path


def test_both_header_layouts_and_stanzas(tmp_path: Path):
    old = read_obo(write(tmp_path, OLD_LAYOUT))
    assert old.header["default-namespace"] == ["toy_ontology"]
    assert [(s.kind, s.id) for s in old.stanzas] == [
        ("Term", "TOY:1"),
        ("Term", "TOY:2"),
        ("Typedef", "part_of"),
    ]
    assert [t.id for t in old.terms()] == ["TOY:1", "TOY:2"]
    new = read_obo(write(tmp_path, NEW_LAYOUT))
    assert new.header["idspace"] == ["dc http://purl.org/dc/elements/1.1/"]
    assert new.terms()[0].first("namespace") == "toy_ontology"


def test_values_escapes_comments_modifiers_and_continuations(tmp_path: Path):
    path = write(tmp_path, OLD_LAYOUT)
    first, second, _ = read_obo(path).stanzas
    assert definition(first, path) == 'A joint disorder with "wobble" and a\nsecond line.'
    assert [(s.text, s.scope, s.type) for s in synonyms(first, path)] == [
        ("knee wobble", "EXACT", ""),
        ("WK", "EXACT", "ABBREVIATION"),
        ("loose knee", "RELATED", ""),
    ]
    assert [target(v) for v in first.values("is_a")] == ["TOY:0"]
    assert first.first("xref") == "MESH:D000001"
    assert second.first("name") == "a name that goes on and on"
    assert second.obsolete and not first.obsolete
    assert definition(second, path) == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[Term]\nid: X:1\nname x\n", "line 3: expected 'tag: value'"),
        ("[Term]\nid: X:1\n[Termz]\nid: X:2\n", "line 3: unknown stanza header '[Termz]'"),
        ("[Term]\nname: no id\n", "line 1: [Term] stanza without an id"),
    ],
)
def test_structural_errors_name_the_line(tmp_path: Path, text: str, message: str):
    with pytest.raises(RawFormatError, match=message.replace("[", "\\[").replace("]", "\\]")):
        read_obo(write(tmp_path, text))


def test_broken_quoted_values_name_the_line(tmp_path: Path):
    path = write(tmp_path, '[Term]\nid: X:1\ndef: "never closed []\nsynonym: bare EXACT []\n')
    stanza = read_obo(path).terms()[0]
    with pytest.raises(RawFormatError, match="line 3: quoted string is not closed"):
        definition(stanza, path)
    with pytest.raises(RawFormatError, match="line 4: expected a quoted string"):
        synonyms(stanza, path)
    path = write(tmp_path, '[Term]\nid: X:1\ndef: "one" []\ndef: "two" []\n')
    with pytest.raises(RawFormatError, match="line 4: X:1 has more than one def"):
        definition(read_obo(path).terms()[0], path)
