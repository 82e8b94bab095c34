"""From a builder's examples to records: ids, splits, languages, instruction and metadata filled in.

Examples are converted in batches into Arrow tables (one tuple per record, transposed into columns at
C speed), which is what the store writer and the vectorized checks consume.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

from meds_ins._common import schema
from meds_ins._common.errors import BuilderError
from meds_ins.builder._api import Builder, Example, Task, random_split

# A batch is converted to Arrow at whichever comes first; it bounds memory for very long texts.
BATCH_ROWS = 8192
BATCH_CHARS = 16 * 2**20
INPUT, OUTPUT = 6, 7  # positions of input and output in a row (tests check them against the schema)


# Control characters other than tab and line feed: invisible, and they break tokenizers and viewers
# (the same class as the validator's control-character audit).
# Control characters, and surrogates: half characters that UTF-8 cannot store (a lone \ud800 escape in
# JSON, a byte that was not UTF-8 kept by a lenient reader).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# What near-identical texts differ in: case, punctuation, spacing (the validator's near-duplicate rule).
_NOT_WORD = re.compile(r"[\W_]+")
_ASCII_NOISE = str.maketrans("", "", string.punctuation + string.whitespace)
NEAR_DUPLICATE_PREFIX = 2000


def clean_text(text: str) -> str:
    """One normal form for text fields: LF line ends, no control characters, no surrounding whitespace;
    a surrogate (half a character) becomes U+FFFD, which the encoding audit reports."""
    if "\r" in text:  # rare; the check is far cheaper than two replacements
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub(_repair_control, text)
    return text.strip()


def _repair_control(match: re.Match[str]) -> str:
    """C1 'controls' are almost always Windows-1252 punctuation read as Latin-1 (U+0092 for a right
    quote): give back the intended character; drop every other control character."""
    char = match.group()
    if char >= "\ud800":
        return "\ufffd"
    if "\x80" <= char <= "\x9f":
        try:
            return char.encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            return ""
    return ""


def near_duplicate_key(text: str) -> str:
    """Texts that differ only in case, punctuation and spacing share this key (their first 2,000
    characters are compared: enough to tell real instances apart, cheap for long notes)."""
    head = text[:NEAR_DUPLICATE_PREFIX].casefold()
    if head.isascii():  # str.translate has a fast path for ASCII, ten times the Unicode regex's speed
        return head.translate(_ASCII_NOISE)
    return _NOT_WORD.sub("", head)


def encode_meta(meta: Any) -> str | None:
    """Deterministic JSON for the `meta` column (sorted keys, so equal input gives equal bytes)."""
    if meta is None:
        return None
    return json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_tables(builder: Builder, examples: Iterable[Example]) -> Iterator[pa.Table]:
    """The builder's examples as record tables of at most BATCH_ROWS rows (or BATCH_CHARS of text)."""
    tasks: dict[str, Task] = {}
    rows: list[tuple[Any, ...]] = []
    chars = 0
    for example in examples:
        task = tasks.get(example.task)
        if task is None:
            task = tasks[example.task] = builder.task(example.task)
        row = make_row(builder.corpus.id, task, example)
        rows.append(row)
        chars += len(row[INPUT]) + sum(map(len, row[OUTPUT]))
        if len(rows) >= BATCH_ROWS or chars >= BATCH_CHARS:
            yield to_table(rows)
            rows, chars = [], 0
    if rows:
        yield to_table(rows)


def to_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    arrow = schema.record_arrow_schema()
    columns = zip(*rows)
    return pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, arrow)], schema=arrow)


def make_record(source: str, task: Task, ex: Example) -> dict[str, Any]:
    """One record as a dict (column name -> value)."""
    return dict(zip(schema.record_columns(), make_row(source, task, ex)))


def make_row(source: str, task: Task, ex: Example) -> tuple[Any, ...]:
    """One record as a tuple in the column order of schemas/record.json."""
    outputs = [ex.output] if isinstance(ex.output, str) else list(ex.output)
    if any(not isinstance(o, str) for o in outputs):
        raise BuilderError(f"{_where(source, task, ex)}: outputs must be strings, got {outputs!r}")
    input_language = ex.input_language or task.input_languages[0]
    output_language = ex.output_language or task.outputs[0]
    if input_language not in task.input_languages or output_language not in task.outputs:
        raise BuilderError(
            f"{_where(source, task, ex)}: languages {input_language}->{output_language} are not declared by "
            f"the task ({'/'.join(task.input_languages)}->{'/'.join(task.outputs)})"
        )
    return (
        f"{task.id}:{ex.key}",
        task.name,
        _split(source, task, ex),
        task.category,
        source,
        task.instruction,
        clean_text(ex.input),
        [clean_text(o) for o in outputs],
        input_language,
        output_language,
        task.instruction_language,
        encode_meta(ex.meta),
    )


def _where(source: str, task: Task, ex: Example) -> str:
    return f"{source}: {task.id} example {ex.key!r}"


def _split(source: str, task: Task, ex: Example) -> str:
    policy = task.split_policy
    if policy == "official":
        if ex.split not in task.splits:
            splits = task.splits
            raise BuilderError(
                f"{_where(source, task, ex)}: split {ex.split!r} is not one of the task's {splits}"
            )
        return ex.split
    if ex.split is not None:
        raise BuilderError(
            f"{_where(source, task, ex)}: the task's split policy is {policy}; leave Example.split unset"
        )
    if policy == "train-only":
        return "train"
    if policy == "test-only":
        return "test"
    # Without a group, near-identical inputs share a split, so that none leaks from train into test.
    group = ex.group if ex.group is not None else (near_duplicate_key(ex.input) or ex.key)
    return random_split(source, group)
