"""A streaming JSON reader that knows where it is.

Values are decoded one at a time by the standard library's C scanner (`JSONDecoder.raw_decode`) from a
sliding text buffer, so memory is bounded by the largest single value, not by the file, and every value
comes with its line number. The caller steps into containers it wants to stream (a task object, its
`Instances` array) and decodes everything else whole. Repeated keys are recorded with their lines
instead of being silently dropped, and bytes that are not UTF-8 are recorded with their lines too
(kept as surrogate escapes so reading can go on).

ijson streams too, but reports no positions; one pass here gives values, lines and duplicates.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from meds_ins._common.textfiles import json_limit

CHUNK = 1 << 20
# A single value larger than this is refused rather than buffered (no task file has one).
MAX_VALUE = 1 << 30
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes kept by the surrogateescape error handler


class JsonSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"line {line}, column {column}: {message}")
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Duplicate:
    key: str
    line: int


class JsonStream:
    """Sequential access to the JSON values of a file (or a string), with line numbers."""

    def __init__(self, source: Path | str, *, text: str | None = None, first_line: int = 1) -> None:
        self.name = str(source)
        self._file: BinaryIO | None = None if text is not None else open(source, "rb")  # noqa: SIM115
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        self.buf = text or ""
        self.pos = 0
        self.line = first_line  # the line of buf[pos]
        self.eof = text is not None
        self.started = text is not None
        self.bytes_read = 0
        self.duplicates: list[Duplicate] = []
        self.not_utf8_lines: list[int] = []
        self._repeated: list[str] = []
        self._decoder = json.JSONDecoder(object_pairs_hook=self._pairs)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> JsonStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- buffer ---------------------------------------------------------------------------------
    def _fill(self, size: int = CHUNK) -> bool:
        """Append the next `size` bytes of the file to the buffer; False at the end of the file."""
        if self.eof or self._file is None:
            return False
        data = self._file.read(size)
        self.bytes_read += len(data)
        text = self._utf8.decode(data, final=not data)
        self.eof = not data
        if self.pos:  # drop what has been consumed
            self.buf = self.buf[self.pos :]
            self.pos = 0
        if not self.started:
            self.started = True
            text = text.removeprefix("\ufeff")
        if text:
            for match in _NOT_UTF8.finditer(text):
                if len(self.not_utf8_lines) >= 5:
                    break
                self.not_utf8_lines.append(
                    self.line + self.buf.count("\n") + text.count("\n", 0, match.start())
                )
            self.buf += text
        return bool(data)

    def peek(self) -> str:
        """Skip whitespace; the next character, '' at the end of the input."""
        while True:
            end = _WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if end > self.pos:
                self.line += self.buf.count("\n", self.pos, end)
                self.pos = end
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            raise self.error(f"expected {char!r}, found {found or 'end of file'!r}")
        self.pos += 1

    def error(self, message: str, pos: int | None = None) -> JsonSyntaxError:
        pos = self.pos if pos is None else pos
        line = self.line + self.buf.count("\n", self.pos, pos)
        column = pos - self.buf.rfind("\n", 0, pos)
        return JsonSyntaxError(message, line, column)

    # -- values ---------------------------------------------------------------------------------
    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                self._repeated.append(key)
            result[key] = value  # JSON's rule: the last one wins; the repeat is reported
        return result

    def value(self) -> tuple[Any, int]:
        """Decode the next value whole; returns (value, line where it starts)."""
        if not self.peek():
            raise self.error("expected a value, found end of file")
        line = self.line
        while True:
            self._repeated.clear()
            try:
                value, end = self._decoder.raw_decode(self.buf, self.pos)
                break
            except json.JSONDecodeError as e:
                if self.eof or not self._maybe_incomplete(e):
                    raise self.error(e.msg, e.pos) from None
                if len(self.buf) - self.pos > MAX_VALUE:
                    raise self.error(f"a single value larger than {MAX_VALUE >> 20} MiB") from None
                self._fill(max(CHUNK, len(self.buf) - self.pos))  # doubling: no quadratic re-reads
            except (RecursionError, ValueError) as e:  # too deep, or a number of thousands of digits
                raise self.error(json_limit(e).removeprefix("invalid JSON: ")) from None
        if self._repeated:
            self._locate_duplicates(end, line)
        self.line += self.buf.count("\n", self.pos, end)
        self.pos = end
        return value, line

    def _maybe_incomplete(self, e: json.JSONDecodeError) -> bool:
        """Whether more input could make the value valid (the error is at the end of the buffer)."""
        if e.msg.startswith("Unterminated string"):
            return True
        rest = self.buf[e.pos : e.pos + 64]
        return len(rest) < 64 or not rest.strip()

    def _locate_duplicates(self, end: int, line: int) -> None:
        """Walk the value again with position tracking to find the line of each repeated key (rare)."""
        sub = JsonStream(self.name, text=self.buf[self.pos : end], first_line=line)
        with contextlib.suppress(RecursionError):  # deeper than Python's stack: what was found so far
            sub.walk()
        self.duplicates += sub.duplicates or [Duplicate(k, line) for k in dict.fromkeys(self._repeated)]

    def walk(self) -> None:
        """Step through the next value, recording repeated keys with their lines."""
        kind = self.peek()
        if kind == "{":
            for _ in self.members():
                self.walk()
        elif kind == "[":
            for _ in self.elements():
                self.walk()
        else:
            self.value()

    # -- containers, streamed -----------------------------------------------------------------
    def members(self) -> Iterator[tuple[str, int]]:
        """Step into the object that comes next: yields (key, line); the caller reads each value."""
        self.expect("{")
        seen: set[str] = set()
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self.error("expected a key in double quotes")
            key, line = self.value()
            if key in seen:
                self.duplicates.append(Duplicate(key, line))
            seen.add(key)
            self.expect(":")
            yield key, line
            following = self.peek()
            self.pos += 1
            if following == "}":
                return
            if following != ",":
                self.pos -= 1
                raise self.error("expected ',' or '}' after an object member")

    def elements(self) -> Iterator[int]:
        """Step into the array that comes next: yields each element's line; the caller reads it."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            self.peek()
            yield self.line
            following = self.peek()
            self.pos += 1
            if following == "]":
                return
            if following != ",":
                self.pos -= 1
                raise self.error("expected ',' or ']' after an array element")

    def skip(self) -> None:
        """Read past the next value without keeping it (streamed, so any size)."""
        kind = self.peek()
        if kind == "{":
            for _ in self.members():
                self.skip()
        elif kind == "[":
            for _ in self.elements():
                self.skip()
        else:
            self.value()
