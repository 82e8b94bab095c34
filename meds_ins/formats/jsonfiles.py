"""JSON and JSON Lines readers whose errors name the file, the line and what was expected."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from meds_ins._common import textfiles
from meds_ins._common.errors import RawFormatError


def read_json(path: Path) -> Any:
    """Parse a whole JSON file (UTF-8, with or without BOM)."""
    return textfiles.read_json(path)


def iter_json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, value) for each non-blank line of a JSON Lines file."""
    with textfiles.open_text(path, newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as e:
                raise RawFormatError(path, f"line {number}", f"invalid JSON Lines record: {e.msg}") from None
            except (RecursionError, ValueError) as e:
                raise RawFormatError(path, f"line {number}", textfiles.json_limit(e)) from None
            yield number, value


def iter_json_records(path: Path) -> Iterator[tuple[str, Any]]:
    """Yield (where, record) for a file that holds a JSON array of records or JSON Lines.

    Releases of instruction data name both layouts `.json`; the first non-blank character tells them
    apart. `where` is "record N" (1-based position in the array) or "line N", ready for error messages.
    """
    with textfiles.open_text(path) as handle:
        start = next((ch for line in handle for ch in line if not ch.isspace()), "")
    if start == "[":
        for number, record in enumerate(read_json(path), start=1):
            yield f"record {number}", record
    elif start == "{":
        for number, record in iter_json_lines(path):
            yield f"line {number}", record
    else:
        raise RawFormatError(
            path, "line 1", "expected a JSON array of records or JSON Lines (one object a line)"
        )


def iter_text_records(path: Path, keys: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (where, {key: text}) for records whose `keys` hold strings (instruction data, dialogues).

    Reads a JSON array or JSON Lines (see iter_json_records). Texts are stripped; null counts as empty.
    A missing key or a value that is not a string is a RawFormatError naming the record.
    """
    for where, record in iter_json_records(path):
        require(record, keys, path, where)
        texts = {}
        for key in keys:
            value = record[key]
            if value is not None and not isinstance(value, str):
                raise RawFormatError(path, where, f"{key} must be a string, found {type(value).__name__}")
            texts[key] = (value or "").strip()
        yield where, texts


def require(record: Any, keys: tuple[str, ...], path: Path, where: str) -> Mapping[str, Any]:
    """Check that `record` is an object with every key in `keys`; return it."""
    if not isinstance(record, Mapping):
        raise RawFormatError(path, where, f"expected a JSON object, found {type(record).__name__}")
    absent = [k for k in keys if k not in record]
    if absent:
        raise RawFormatError(
            path, where, f"missing key(s) {', '.join(map(repr, absent))}; expected {', '.join(keys)}"
        )
    return record
