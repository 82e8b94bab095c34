"""Record checks compiled from schemas/record.json into vectorized Arrow operations.

Each JSON Schema keyword of a property becomes one column-wide Arrow compute call, so checking a
million records costs a handful of passes over the columns instead of a million Python calls.
Compiling refuses keywords it does not know, so the schema cannot grow a rule that goes unchecked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from meds_ins._common import schema

# Keywords that only document, or that the table layout already enforces.
_DESCRIPTIVE = {"description", "title", "contentMediaType", "type", "$comment"}
Mask = Callable[[pa.Array], pa.Array]
SAMPLE_ROWS = 5


@dataclass(frozen=True)
class ColumnCheck:
    """One rule on one column: `failing(column)` gives a boolean mask of the rows that break it."""

    code: str
    column: str
    rule: str
    fix: str
    failing: Mask


def _scalar_rules(node: dict[str, Any], column: str, where: str) -> Iterator[tuple[str, str, str, Mask]]:
    """(code, rule, fix, mask-function) for the keywords of a string/scalar subschema."""
    node = schema.resolve(node)
    for key, value in node.items():
        if key in _DESCRIPTIVE:
            continue
        if key == "minLength":
            yield (
                "record.too-short",
                f"{where} must have at least {value} character(s)",
                f"give every record a non-empty {column}",
                lambda a, n=value: _shorter(a, n),
            )
        elif key == "pattern" and value == r"\S":
            yield (
                "record.blank",
                f"{where} must not be empty or whitespace-only",
                f"give every record a non-blank {column}",
                _blank,
            )
        elif key == "pattern":
            yield (
                "record.pattern",
                f"{where} must match /{value}/",
                f"make {column} match /{value}/",
                lambda a, p=value: pc.invert(pc.match_substring_regex(a, p)),
            )
        elif key == "enum":
            allowed = pa.array(value)
            shown = ", ".join(map(str, value[:8])) + (" ..." if len(value) > 8 else "")
            yield (
                "record.not-allowed",
                f"{where} must be one of: {shown}",
                f"use one of the allowed values for {column}",
                lambda a, s=allowed: pc.invert(pc.is_in(a, value_set=s)),
            )
        elif key not in ("items", "minItems"):
            raise NotImplementedError(f"record.json keyword {key!r} on {where} has no vectorized check")


def compile_record_checks() -> list[ColumnCheck]:
    """All checks of a record's columns, in schema order. Null checks come from `required`."""
    record = schema.load("record")
    required = set(record["required"])
    checks: list[ColumnCheck] = []
    for column, node in record["properties"].items():
        _, nullable = schema._types(node)
        if column in required and not nullable:
            checks.append(
                ColumnCheck(
                    "record.missing",
                    column,
                    f"{column} is required",
                    f"set {column} on every record",
                    pc.is_null,
                )
            )
        resolved = schema.resolve(node)
        if "array" in schema._types(resolved)[0]:
            if "minItems" in resolved:
                n = resolved["minItems"]
                checks.append(
                    ColumnCheck(
                        "record.too-few-items",
                        column,
                        f"{column} needs at least {n} item(s)",
                        f"give every record at least {n} {column} value(s)",
                        lambda a, n=n: pc.less(pc.fill_null(pc.list_value_length(a), 0), n),
                    )
                )
            for code, rule, fix, mask in _scalar_rules(resolved["items"], column, f"each item of {column}"):
                checks.append(ColumnCheck(code, column, rule, fix, _per_row(mask)))
        else:
            for code, rule, fix, mask in _scalar_rules(resolved, column, column):
                checks.append(ColumnCheck(code, column, rule, fix, _skip_nulls(mask)))
    return checks


@cache
def record_checks() -> tuple[ColumnCheck, ...]:
    """The compiled checks, compiled once per process."""
    return tuple(compile_record_checks())


def per_value(mask: Mask, column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """`mask(column)`, computed once per distinct value when the column is dictionary-encoded.

    Categorical columns (task, split, category, instruction, languages) repeat a handful of values over
    millions of rows: checking the dictionary and spreading the answers by index is far cheaper than
    checking every row. A null row gets what `mask` answers for a null value.
    """
    if not pa.types.is_dictionary(column.type):
        return mask(column)
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    null = mask(pa.nulls(1, column.type.value_type))[0]
    return pa.chunked_array(
        [pc.fill_null(pc.take(mask(c.dictionary), c.indices), null) for c in chunks], type=pa.bool_()
    )


# What RE2's \s matches (the schema's pattern \S is checked with RE2), and the empty string.
_SPACE_OR_EMPTY = pa.array(["\t", "\n", "\f", "\r", " ", ""])


def _blank(a: pa.Array) -> pa.Array:
    """Strings without a non-space character. Nearly every string starts with one, which settles it;
    only when some string starts with a space (or is empty) are the strings searched (a regular
    expression call per string was about 6% of a corpus's record checks)."""
    first = pc.utf8_slice_codeunits(a, 0, 1)
    if not pc.any(pc.is_in(first, value_set=_SPACE_OR_EMPTY)).as_py():
        return pc.not_equal(first, first)  # false for every string, null for null (as the regex gives)
    return pc.invert(pc.match_substring_regex(a, r"\S"))


def _shorter(a: pa.Array, n: int) -> pa.Array:
    """Strings of fewer than n characters. A character takes at most 4 bytes, so strings of 4n bytes or
    more pass without counting their characters (a pass over all the text)."""
    maybe = pc.less(pc.binary_length(a), 4 * n)
    return pc.less(pc.utf8_length(a), n) if pc.any(maybe).as_py() else maybe


def _skip_nulls(mask: Mask) -> Mask:
    """Nulls are the `required` rule's business; other rules pass them."""
    return lambda a: pc.fill_null(mask(a), False)


def _per_row(item_mask: Mask) -> Mask:
    """Lift a check on list items to a mask over rows: a row fails when any of its items fails."""

    def rows(a: pa.Array) -> pa.Array:
        if isinstance(a, pa.ChunkedArray):
            a = a.combine_chunks()
        flat = pc.list_flatten(a)
        bad = pc.fill_null(item_mask(flat), False)
        failing = np.zeros(len(a), dtype=bool)
        failing[pc.filter(pc.list_parent_indices(a), bad).to_numpy()] = True
        return pa.array(failing)

    return rows


@dataclass(frozen=True)
class Violation:
    code: str
    column: str
    rule: str
    fix: str
    count: int  # how many rows break the rule
    rows: list[int]  # the first few of them, as row numbers in the table checked


def check_table(table: pa.Table, checks: Sequence[ColumnCheck] | None = None) -> list[Violation]:
    """Run the compiled checks over a table of records; one Violation per broken rule."""
    checks = record_checks() if checks is None else checks
    expected = schema.record_columns()
    found: list[Violation] = []
    if table.column_names != expected:
        missing = [c for c in expected if c not in table.column_names]
        extra = [c for c in table.column_names if c not in expected]
        rule = f"columns must be exactly {expected}" + (f"; missing {missing}" if missing else "")
        rule += f"; unexpected {extra}" if extra else ""
        found.append(
            Violation(
                "record.columns",
                "*",
                rule,
                "write records through meds_ins so the layout matches",
                table.num_rows,
                list(range(min(table.num_rows, SAMPLE_ROWS))),
            )
        )
        return found
    return found + check_columns(table, checks)


def check_columns(table: pa.Table, checks: Sequence[ColumnCheck]) -> list[Violation]:
    """Run the checks of the columns `table` has (task files have only input and output)."""
    found: list[Violation] = []
    for check in checks:
        if check.column not in table.column_names:
            continue
        mask = per_value(check.failing, table.column(check.column))
        count = pc.sum(pc.cast(mask, pa.int64())).as_py() or 0
        if count:
            rows = pc.indices_nonzero(mask)[:SAMPLE_ROWS].to_pylist()
            found.append(Violation(check.code, check.column, check.rule, check.fix, count, rows))
    return found
