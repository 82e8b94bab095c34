"""The released paraphrase file: about 19,000 rewritten task definitions,
`{taskN: {original_def, auto_rewrite_def: [...]}}`, read for `meds-ins import --paraphrases`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from meds_ins._common.errors import RawFormatError, UsageError
from meds_ins._records.convert import clean_text
from meds_ins._validation.jsonstream import JsonStream, JsonSyntaxError
from meds_ins._validation.taskfile import task_id


def read_paraphrase_file(path: Path) -> dict[str, dict[str, Any]]:
    """{task id: {original, paraphrases}} from a file {taskN: {original_def, auto_rewrite_def: [...]}}."""
    if not path.is_file():
        raise UsageError(f"no paraphrase file at {path}")
    try:
        with JsonStream(path) as stream:
            value, _ = stream.value()
            duplicates = stream.duplicates
            not_utf8 = stream.not_utf8_lines
    except JsonSyntaxError as e:
        raise RawFormatError(path, f"line {e.line}, column {e.column}", e.message) from None
    if not_utf8:
        raise RawFormatError(path, f"line {not_utf8[0]}", "not valid UTF-8; save it as UTF-8")
    if duplicates:
        d = duplicates[0]
        raise RawFormatError(path, f"line {d.line}", f"key {d.key!r} repeats in its object")
    if not isinstance(value, dict):
        raise RawFormatError(path, None, "expected an object {taskN: {original_def, auto_rewrite_def}}")
    result = {}
    for key, entry in value.items():
        tid = task_id(key)
        rewrites = entry.get("auto_rewrite_def") if isinstance(entry, dict) else None
        if tid is None or not isinstance(rewrites, list) or not all(isinstance(r, str) for r in rewrites):
            raise RawFormatError(
                path, f"key {key!r}", "expected taskN: {original_def: str, auto_rewrite_def: [str]}"
            )
        kept = list(dict.fromkeys(clean_text(r) for r in rewrites if r.strip()))
        original = entry.get("original_def")
        if kept:
            result[tid] = {
                "original": clean_text(original) if isinstance(original, str) else "",
                "paraphrases": kept,
            }
    return result


def match_paraphrases(
    rewrites: dict[str, dict[str, Any]], names: set[str]
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Paraphrases by task name for the tasks of the store; the task ids that match none."""
    by_id = {task_id(n): n for n in names}
    matched = {by_id[tid]: entry for tid, entry in rewrites.items() if tid in by_id}
    return matched, sorted(set(rewrites) - set(by_id), key=lambda t: int(t[4:]))
