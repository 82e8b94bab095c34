"""CSV/TSV and xlsx readers that check the header and report rows by their line number."""

from __future__ import annotations

import csv
import sys
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import IO

from meds_ins._common import textfiles
from meds_ins._common.errors import RawFormatError

# What reading a damaged zip archive raises besides BadZipFile: a stream cut short, bad compressed data,
# impossible offsets (OSError, ValueError), an unsupported compression method, an encrypted member.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


def iter_csv(
    path: Path,
    required: Sequence[str],
    *,
    delimiter: str = ",",
    handle: IO[str] | None = None,
    columns: Sequence[str] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row of a delimited file with a header.

    Quote-aware (fields may hold delimiters and line breaks); accepts LF and CRLF. `required` lists the
    columns the caller needs; extra columns are kept. `handle` lets callers read from an open stream
    (a member of a zip archive) while `path` still names it in messages. `columns` names the columns of
    a file that has no header line; every line is then data and must have exactly that many fields.
    """
    # Clinical notes can exceed the csv module's default field size limit of 128 KiB.
    csv.field_size_limit(sys.maxsize)
    opened = textfiles.open_text(path, newline="") if handle is None else nullcontext(handle)
    with opened as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        if columns is not None:
            header = list(columns)
        else:
            try:
                header = next(reader)
            except StopIteration:
                raise RawFormatError(
                    path, "line 1", f"empty file; expected a header with {', '.join(required)}"
                ) from None
        header = [h.strip() for h in header]
        absent = [c for c in required if c not in header]
        if absent:
            sep = "tab" if delimiter == "\t" else repr(delimiter)
            found = ", ".join(header) or "nothing"
            raise RawFormatError(
                path, "line 1", f"header lacks column(s) {', '.join(absent)}; found {found} (delimiter {sep})"
            )
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                raise RawFormatError(path, f"line {line}", f"malformed CSV: {e}") from None
            if not fields or not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise RawFormatError(
                    path,
                    f"line {line}",
                    f"{len(fields)} fields, expected {len(header)} ({', '.join(header)})",
                )
            yield line, dict(zip(header, fields))


def iter_zipped_csv(
    archive: Path, required: Sequence[str], *, delimiter: str = ","
) -> Iterator[tuple[Path, int, dict[str, str]]]:
    """Yield (member path, line number, row) for the one delimited file inside a zip archive.

    Several corpora ship each table zipped on its own (cMedQA2's question.zip, DDXPlus's patient files).
    The member path is `archive/member`, so messages name both the archive and the file inside it.
    """
    import io

    try:
        opened = zipfile.ZipFile(archive)
    except ZIP_ERRORS as e:
        raise RawFormatError(archive, None, f"not a readable zip archive ({e})") from None
    with opened:
        members = [m for m in opened.namelist() if not m.endswith("/") and not m.startswith("__MACOSX/")]
        if len(members) != 1:
            raise RawFormatError(archive, None, f"expected one table inside, found {members or 'none'}")
        path = archive / members[0]
        line = 1
        try:
            with (
                opened.open(members[0]) as raw,
                io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
            ):
                for line, row in iter_csv(path, required, delimiter=delimiter, handle=text):
                    yield path, line, row
        except UnicodeDecodeError:
            raise RawFormatError(path, f"after line {line}", "not valid UTF-8; save it as UTF-8") from None
        except ZIP_ERRORS as e:
            raise RawFormatError(archive, f"after line {line}", f"a damaged zip archive ({e})") from None


def iter_xlsx(path: Path, sheet: str, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, row) for each non-empty row of one worksheet, keyed by the header row.

    Cells are returned as stripped strings ('' for empty cells); columns without a header are ignored.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl fails on a damaged workbook with errors of many types
        raise _not_xlsx(path, e) from None
    try:
        if sheet not in book.sheetnames:
            raise RawFormatError(path, None, f"no worksheet {sheet!r}; found {', '.join(book.sheetnames)}")
        rows = _read_rows(path, book[sheet].iter_rows(values_only=True))
        header = [_cell(v) for v in next(rows, ())]
        absent = [c for c in required if c not in header]
        if absent:
            raise RawFormatError(
                path,
                f"sheet {sheet!r}, row 1",
                f"header lacks column(s) {', '.join(absent)}; found {', '.join(filter(None, header))}",
            )
        named = [(i, h) for i, h in enumerate(header) if h]
        for number, values in enumerate(rows, start=2):
            cells = {h: _cell(values[i]) if i < len(values) else "" for i, h in named}
            if any(cells.values()):
                yield number, cells
    finally:
        book.close()


def _read_rows(path: Path, rows: Iterator[tuple[object, ...]]) -> Iterator[tuple[object, ...]]:
    """openpyxl's rows, which it reads lazily from the archive: damage found on the way names the file."""
    try:
        yield from rows
    except Exception as e:
        raise _not_xlsx(path, e) from None


def _not_xlsx(path: Path, error: Exception) -> RawFormatError:
    return RawFormatError(path, None, f"not a readable .xlsx workbook ({type(error).__name__}: {error})")


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()
