"""XML documents (MedQuAD, TREC LiveQA Medical, the EBM Summariser corpus), read with the standard library.

Parse errors name the file, line and column; the helpers below name the file and the record (an
element's id) when an expected element is missing, and accept the alternative spellings some releases
use for one element or attribute (LiveQA writes both <ReferenceAnswer> and <RefAnswer>).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from meds_ins._common.errors import RawFormatError

Names = str | Sequence[str]


def read_xml(path: Path) -> ET.Element:
    """The root element of an XML file."""
    try:
        return ET.parse(path).getroot()
    except XML_ERRORS as e:
        raise xml_error(path, e) from None


# What a parser of ElementTree raises on a malformed file: a syntax error, or an unknown encoding.
XML_ERRORS = (ET.ParseError, LookupError)


def xml_error(path: Path, error: Exception, kind: str = "XML") -> RawFormatError:
    """The RawFormatError for one of XML_ERRORS, placed at its line and column when it has them."""
    if isinstance(error, ET.ParseError):
        line, column = error.position
        problem = str(error).rsplit(": line ", 1)[0]
        return RawFormatError(path, f"line {line}, column {column}", f"malformed {kind}: {problem}")
    return RawFormatError(path, "line 1", f"malformed {kind}: {error} (in the XML declaration)")


def children(parent: ET.Element, names: Names) -> list[ET.Element]:
    """The direct children whose tag is one of `names`, in document order."""
    wanted = _names(names)
    return [c for c in parent if c.tag in wanted]


def child(
    parent: ET.Element, names: Names, path: Path, where: str, *, required: bool = True
) -> ET.Element | None:
    """The one direct child spelled as one of `names`; None when absent and not required."""
    found = children(parent, names)
    wanted = _names(names)
    if len(found) > 1:
        raise RawFormatError(path, where, f"{len(found)} <{wanted[0]}> elements; expected one")
    if not found:
        if required:
            spelled = " or ".join(f"<{n}>" for n in wanted)
            raise RawFormatError(path, where, f"no {spelled} element inside <{parent.tag}>")
        return None
    return found[0]


def attribute(
    element: ET.Element, names: Names, path: Path, where: str, *, required: bool = True
) -> str | None:
    """The value of the first attribute present among `names` (alternative spellings of one attribute)."""
    for name in _names(names):
        if name in element.attrib:
            return element.attrib[name]
    if required:
        raise RawFormatError(path, where, f"<{element.tag}> lacks the attribute {_names(names)[0]!r}")
    return None


def text_of(element: ET.Element | None, *, flat: bool = False) -> str:
    """All text inside `element` (children included), '' for None.

    Default: each line stripped of its indentation and runs of blank lines reduced to one, which keeps
    list-like layouts readable. `flat=True` joins everything into one line, for texts whose line breaks
    are only hard wrapping.
    """
    if element is None:
        return ""
    raw = "".join(element.itertext())
    if flat:
        return " ".join(raw.split())
    lines = [line.strip() for line in raw.splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


def _names(names: Names) -> tuple[str, ...]:
    return (names,) if isinstance(names, str) else tuple(names)
