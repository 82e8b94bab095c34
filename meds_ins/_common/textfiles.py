"""Reading the text and JSON files users hand us (raw corpus files, predictions, results, store metadata).

One way to open a file as UTF-8: a file that cannot be opened, is not UTF-8 (Latin-1, UTF-16, binary),
or holds JSON that Python cannot take in (nested too deeply, numbers of thousands of digits) raises a
RawFormatError naming the file, the line and byte offset, and what was expected, never a bare
UnicodeDecodeError, RecursionError or ValueError.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from meds_ins._common.errors import RawFormatError

BOMS = {codecs.BOM_UTF16_LE: "UTF-16", codecs.BOM_UTF16_BE: "UTF-16", codecs.BOM_UTF32_LE: "UTF-32"}


@contextmanager
def open_text(path: Path | str, *, newline: str | None = None) -> Iterator[TextIO]:
    """Open `path` as UTF-8 text (a BOM is dropped). A decoding failure while the block reads it becomes
    a RawFormatError with the line and byte offset of the first byte that is not UTF-8."""
    try:
        handle = open(path, encoding="utf-8-sig", newline=newline)  # noqa: SIM115
    except OSError as e:
        raise unreadable(path, e) from None
    with handle:
        try:
            yield handle
        except UnicodeDecodeError:
            raise not_utf8(path) from None


def read_text(path: Path | str, *, newline: str | None = None) -> str:
    """The whole file as text (UTF-8, with or without BOM); `newline=""` keeps line ends as they are."""
    with open_text(path, newline=newline) as handle:
        return handle.read()


def read_json(path: Path | str) -> Any:
    """Parse a whole JSON file."""
    return parse_json(read_text(path), path)


def parse_json(text: str, path: Path | str, where: str | None = None) -> Any:
    """Parse JSON text read from `path`; `where` (e.g. "line 12") places text that is part of the file."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        hint = " (the file holds several JSON values; is it JSON Lines?)" if e.msg.startswith("Extra") else ""
        place = where or f"line {e.lineno}, column {e.colno}"
        raise RawFormatError(path, place, f"invalid JSON: {e.msg}{hint}") from None
    except (RecursionError, ValueError) as e:
        raise RawFormatError(path, where, json_limit(e)) from None


def json_limit(error: RecursionError | ValueError) -> str:
    """What a JSON value exceeded, for the messages of the readers that decode JSON themselves."""
    if isinstance(error, RecursionError):
        return "invalid JSON: nested too deeply to read (arrays or objects thousands of levels deep)"
    if "digits" in str(error):
        return "invalid JSON: a number too long to read (more than 4300 digits)"
    return f"invalid JSON: {error}"


def not_utf8(path: Path | str) -> RawFormatError:
    """The error for a file that is not UTF-8, placed at its first offending byte."""
    found = first_invalid_byte(path)
    if found is None:  # the file changed since: say it without a place
        return RawFormatError(path, None, "not valid UTF-8 text; save it as UTF-8")
    offset, line, head = found
    encoding = next((name for bom, name in BOMS.items() if head.startswith(bom)), None)
    hint = f": it is {encoding} (it starts with a byte-order mark)" if encoding else " (is it Latin-1?)"
    return RawFormatError(path, f"line {line}, byte {offset}", f"not valid UTF-8{hint}; save it as UTF-8")


def first_invalid_byte(path: Path | str) -> tuple[int, int, bytes] | None:
    """(byte offset, line, the file's first bytes) of the first byte that is not UTF-8; None if all is."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            handle.seek(0)
            pending, base, line = b"", 0, 1
            while True:
                chunk = handle.read(1 << 20)
                data = pending + chunk
                try:
                    _, used = codecs.utf_8_decode(data, "strict", not chunk)
                except UnicodeDecodeError as e:
                    return base + e.start, line + data.count(b"\n", 0, e.start), head
                line += data.count(b"\n", 0, used)
                base += used
                pending = data[used:]
                if not chunk:
                    return None
    except OSError:
        return None


def unreadable(path: Path | str, error: OSError) -> RawFormatError:
    reason = "it is a folder, not a file" if isinstance(error, IsADirectoryError) else error.strerror
    return RawFormatError(path, None, f"cannot be read ({reason or error})")
