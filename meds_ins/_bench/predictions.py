"""Reading prediction files: the published submission CSV, or JSON Lines keyed by record id.

CSV: columns `task_id,input,GT,output`, one row per test item; `task_id` is a bare id (`task126`) or a
full task name; an optional `id` column holds record ids (see matching.py for how rows find their
records). JSONL: one object per line with `id` (a record id such as `task126:80000004`) and `output`.
Errors name the file and the row.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meds_ins._common import textfiles
from meds_ins._common.errors import RawFormatError, UsageError

CSV_COLUMNS = ("task_id", "input", "GT", "output")


class PredictionsError(UsageError):
    """A prediction file that cannot be scored as it is."""


@dataclass(frozen=True)
class Prediction:
    file: Path
    row: int  # CSV row (the header is row 1) or JSONL line
    task: str  # task id or name as written
    output: str
    input: str | None = None  # CSV
    reference: str | None = None  # CSV's GT
    id: str | None = None  # record id: JSONL's, or the CSV's optional id column

    @property
    def is_csv(self) -> bool:
        return self.file.suffix.lower() == ".csv"

    @property
    def where(self) -> str:
        return f"{self.file}, {'row' if self.is_csv else 'line'} {self.row}"


def read_predictions(path: Path) -> list[Prediction]:
    path = Path(path)
    if not path.is_file():
        raise PredictionsError(f"no prediction file at {path}")
    try:
        if path.suffix.lower() == ".csv":
            return _read_csv(path)
        if path.suffix.lower() in (".jsonl", ".json"):
            return _read_jsonl(path)
    except RawFormatError as e:  # not UTF-8, JSON too deep or with endless numbers, unreadable
        raise PredictionsError(str(e)) from None
    raise PredictionsError(
        f"{path}: expected a .csv (task_id,input,GT,output) or a .jsonl ({{id, output}}) file"
    )


def _read_csv(path: Path) -> list[Prediction]:
    csv.field_size_limit(sys.maxsize)  # model outputs and clinical inputs can be long
    with textfiles.open_text(path, newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CSV_COLUMNS if c not in (_csv_header(reader, path) or [])]
        if missing:
            raise PredictionsError(
                f"{path}, row 1: missing column(s) {', '.join(missing)}; the header must hold "
                f"{','.join(CSV_COLUMNS)} (found {','.join(reader.fieldnames or []) or 'nothing'})"
            )
        rows = []
        # rows are counted as a spreadsheet does (the header is row 1): a quoted prompt spans several lines
        for line, row in enumerate(_csv_rows(reader, path), start=2):
            if any(row[c] is None for c in CSV_COLUMNS):
                raise PredictionsError(
                    f"{path}, row {line}: fewer fields than the header's {len(CSV_COLUMNS)}"
                )
            rows.append(
                Prediction(
                    path,
                    line,
                    row["task_id"].strip(),
                    row["output"],
                    input=row["input"],
                    reference=row["GT"],
                    id=(row.get("id") or "").strip() or None,
                )
            )
        return rows


def _csv_header(reader: csv.DictReader, path: Path) -> Sequence[str] | None:
    try:
        return reader.fieldnames
    except csv.Error as e:
        raise PredictionsError(f"{path}, row 1: malformed CSV ({e})") from None


def _csv_rows(reader: csv.DictReader, path: Path) -> Iterator[dict[str, Any]]:
    """The rows, with a malformed one (a NUL byte, an unclosed quote) named by its row."""
    try:
        yield from reader
    except csv.Error as e:
        raise PredictionsError(f"{path}, row {reader.line_num}: malformed CSV ({e})") from None


def _read_jsonl(path: Path) -> list[Prediction]:
    rows = []
    with textfiles.open_text(path) as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            item = textfiles.parse_json(text, path, f"line {line}")
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or "output" not in item:
                raise PredictionsError(
                    f"{path}, line {line}: expected an object with a string 'id' (record id) and an 'output'"
                )
            if not isinstance(item["output"], str):
                raise PredictionsError(f"{path}, line {line}: 'output' must be a string")
            task = item["id"].split(":", 1)[0]
            rows.append(Prediction(path, line, task, item["output"], id=item["id"]))
    return rows
