"""The ICD-10-CM (diagnoses) and ICD-10-PCS (procedures) code files that CMS and NCHS publish each year.

Two layouts, the same for CM and PCS; codes are written without a dot:

- order files (icd10cm_order_2025.txt, icd10pcs_order_2025.txt; from 2026 also spelt with hyphens,
  icd10cm-order-2026.txt), fixed width: order number (5 digits),
  space, code (7 characters, padded with spaces), space, 1 for a billable code or 0 for a header
  (category), space, short description (60 characters, padded), space, long description;
- code files (icd10cm_codes_2025.txt, icd10pcs_codes_2025.txt): billable codes only, the code, spaces,
  then the long description.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from meds_ins._common.errors import MissingRawFilesError, RawFormatError

CODE = re.compile(r"^[A-Z0-9]{3,7}$")
# The file names of one release, as CMS and NCHS have spelt them: icd10cm_order_2025.txt, and from
# fiscal year 2026 icd10cm-order-2026.txt, with April updates as icd10cm-order-April-1-2026.txt. The
# patterns find the candidates; `one_release` keeps those named like a release (not the addenda, which
# list only the changes, such as icd10cm-order-addenda-2026.txt).
ORDER_FILES = {"cm": "**/icd10cm[-_]order[-_]*.txt", "pcs": "**/icd10pcs[-_]order[-_]*.txt"}
CODE_FILES = {"cm": "**/icd10cm[-_]codes[-_]*.txt", "pcs": "**/icd10pcs[-_]codes[-_]*.txt"}
RELEASE_FILE = re.compile(r"icd10(cm|pcs)[-_](order|codes)[-_](April[-_](1[-_])?)?[0-9]{4}\.txt")


@dataclass(frozen=True)
class Code:
    code: str  # without a dot, as in the files
    billable: bool  # False for headers (categories that have sub-codes)
    short: str
    long: str


def iter_order_file(path: Path) -> Iterator[tuple[int, Code]]:
    """(line, Code) for each entry of an order file."""
    for number, line in _lines(path):
        code, flag = line[6:13].strip(), line[14:15]
        if not (line[:5].isdigit() and line[5:6] == " " and CODE.match(code) and flag in ("0", "1")):
            raise RawFormatError(
                path,
                f"line {number}",
                "expected the fixed-width order layout: 5-digit order number, code in columns 7-13, "
                f"flag 0/1 in column 15, descriptions from column 17; found {line[:40]!r}",
            )
        short = line[16:76].strip()
        long = line[77:].strip() or short
        if not short:
            raise RawFormatError(path, f"line {number}", f"code {code} has no description")
        yield number, Code(code, flag == "1", short, long)


def iter_code_file(path: Path) -> Iterator[tuple[int, Code]]:
    """(line, Code) for each entry of a code file (billable codes, long descriptions only)."""
    for number, line in _lines(path):
        code, _, description = line.partition(" ")
        description = description.strip()
        if not CODE.match(code) or not description:
            raise RawFormatError(
                path, f"line {number}", f"expected a code, spaces and its description; found {line[:40]!r}"
            )
        yield number, Code(code, True, description, description)


def read_descriptions(paths: Iterable[Path]) -> dict[str, str]:
    """code -> long description from order or code files; the first file wins for a code in several."""
    descriptions: dict[str, str] = {}
    for path in paths:
        is_order = re.search(r"[-_]order[-_]", Path(path).name)
        entries = iter_order_file(path) if is_order else iter_code_file(path)
        for _, entry in entries:
            descriptions.setdefault(entry.code, entry.long)
    return descriptions


def one_release(paths: list[Path], what: str) -> Path | None:
    """The single file of one yearly release among `paths` (addenda and other files left aside);
    several releases side by side are refused."""
    releases = [p for p in paths if RELEASE_FILE.fullmatch(Path(p).name)]
    if len(releases) > 1:
        shown = ", ".join(p.name for p in releases)
        raise MissingRawFilesError(f"several {what} releases found ({shown}); keep the files of one release")
    return releases[0] if releases else None


def dotted(code: str) -> str:
    """The usual display of an ICD-10-CM code: a dot after the category (E119 -> E11.9)."""
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 else code


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Non-blank lines without their line ends; decoded one by one so that errors give the right line."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
            except UnicodeDecodeError:
                raise RawFormatError(path, f"line {number}", "not valid UTF-8") from None
            if line.strip():
                yield number, line
