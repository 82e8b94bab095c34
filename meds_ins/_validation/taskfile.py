"""Released MedS-Ins / natural-instructions task files: streamed, normalized, and checked for structure.

A file holds one task object, a list of task objects, JSON Lines of them, or records (objects with
`input` and `output` naming their task), in every variant of task-format.md. `TaskFileReader` streams
it (see jsonstream.py) into batches of instances with the line of each, while per-instance problems are
counted in a Tally. Task-level keys are checked by `header_findings` once the file has been read, since
a key may follow `Instances`. Both the validator and the importer read files through this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from meds_ins._common.errors import UsageError
from meds_ins._validation.findings import Finding, Tally, finding
from meds_ins._validation.jsonstream import JsonStream, JsonSyntaxError

# The natural-instructions key set, in its order.
TASK_KEYS = (
    "Contributors",
    "Source",
    "URL",
    "Categories",
    "Reasoning",
    "Definition",
    "Input_language",
    "Output_language",
    "Instruction_language",
    "Domains",
    "Positive Examples",
    "Negative Examples",
    "Instances",
)
CONTRIBUTOR_OMITS = ("Reasoning", "Positive Examples", "Negative Examples")
STRING_VARIANT_KEYS = ("Contributors", "Source", "URL")
SPLIT_TYPES = {"Train": "train", "Test": "test", "Train/Test": "9:1"}
# Keys that name a task inside a file holding several (the file name names a single task).
NAME_KEYS = ("Task", "Name", "task", "task_name", "name")
RECORD_TASK_KEYS = ("task", "task_name", "Task")
RECORD_INSTRUCTION_KEYS = ("instruction", "Definition", "definition")
RECORD_SPLIT_KEYS = ("split", "Split Type")
RECORD_CATEGORY_KEYS = ("category", "Categories")
INSTANCE_KEYS = {"id", "input", "output"}
TASK_NAME = re.compile(r"^task[1-9][0-9]*_[A-Za-z0-9_]+$")
TASK_ID_PREFIX = re.compile(r"^(task[1-9][0-9]*)(?![0-9])")
# A batch is handed over at whichever comes first; both keep memory flat whatever the file's size.
BATCH_ROWS = 5_000
BATCH_CHARS = 2 * 2**20
FEW_INSTANCES = 10


@dataclass
class TaskHeader:
    """The task-level keys of one task object (or of the records of one task), with their lines."""

    file: str
    line: int
    name: str | None
    kind: str  # "task" or "records"
    fields: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    instances: int = 0
    split_override: str | None = None  # records may carry their own split

    def text(self, key: str) -> str | None:
        """The first string of a list-of-strings key (or the string itself, in the variants)."""
        value = self.fields.get(key)
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str)), None)
        return value if isinstance(value, str) and value.strip() else None

    def strings(self, key: str) -> list[str]:
        value = self.fields.get(key)
        if isinstance(value, str):
            return [value]
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def where(self, key: str | None = None) -> tuple[str, int]:
        line = self.key_lines.get(key, self.line) if key else self.line
        return f"{self.file}:{line}", line


@dataclass
class InstanceBatch:
    header: TaskHeader
    ids: list[str | None] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    outputs: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    splits: list[str | None] = field(default_factory=list)  # per-record splits (records variant)
    chars: int = 0  # characters of input held
    # Lines of instances holding a lone surrogate escape (\ud800): half a character, which UTF-8 cannot store.
    surrogate_lines: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.inputs)

    def table(self, splits: list[str], file_index: int = 0) -> pa.Table:
        """The batch as an Arrow table (split, loc, input, output) for the record checks and audits.

        `loc` packs the file's index and the instance's line into one integer (see `locate`), so
        that audits keep 8 bytes per instance rather than a path.
        """
        inputs, outputs = self.inputs, self.outputs
        try:
            input_array = pa.array(inputs, pa.string())
            output_array = pa.array(outputs, pa.list_(pa.string()))
        except (UnicodeEncodeError, pa.ArrowInvalid):  # lone surrogates from \ud8xx escapes
            self.surrogate_lines = [
                line
                for line, text, outs in zip(self.lines, inputs, outputs)
                if _LONE_SURROGATE.search(text) or any(map(_LONE_SURROGATE.search, outs))
            ]
            input_array = pa.array([scrub(t) for t in inputs], pa.string())
            output_array = pa.array([[scrub(t) for t in o] for o in outputs], pa.list_(pa.string()))
        return pa.table(
            {
                "split": pa.array(splits, pa.string()),
                "loc": pa.array([(file_index << 32) | line for line in self.lines], pa.int64()),
                "input": input_array,
                "output": output_array,
            }
        )


def locate(files: list[str]):
    """The `describe` function of audits for locations packed by InstanceBatch.table."""

    def describe(loc: int) -> tuple[str, str, int]:
        file, line = files[loc >> 32], loc & 0xFFFFFFFF
        return f"{file}:{line}", file, line

    return describe


# Surrogates other than those that stand for bytes that were not UTF-8 (reported as such by the stream).
_LONE_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


def scrub(text: str) -> str:
    """Replace surrogates (not encodable as UTF-8) by U+FFFD, which the encoding audit reports."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


class TaskFileReader:
    """Stream one file: `batches()` yields InstanceBatch; afterwards `headers`, `tally`, `findings()`."""

    def __init__(self, path: Path, *, display: str | None = None, batch_rows: int = BATCH_ROWS) -> None:
        self.path = Path(path)
        self.display = display or str(path)
        self.batch_rows = batch_rows
        self.headers: list[TaskHeader] = []
        self.tally = Tally()
        self.syntax_error: JsonSyntaxError | None = None
        self.top_values = 0
        self.bytes_read = 0
        self._records: dict[str, TaskHeader] = {}
        self._pending: dict[str, InstanceBatch] = {}
        self._pending_rows = 0
        self._stream: JsonStream | None = None

    # -- reading ----------------------------------------------------------------------------------
    def batches(self) -> Iterator[InstanceBatch]:
        try:
            stream = JsonStream(self.path)
        except OSError as e:
            raise UsageError(f"cannot read {self.display}: {e.strerror}") from None
        self._stream = stream
        with stream:
            try:
                if not stream.peek():
                    raise stream.error("the file is empty")
                while stream.peek():
                    self.top_values += 1
                    if stream.peek() == "[":
                        for line in stream.elements():
                            yield from self._value(stream, line, multi=True)
                    else:
                        yield from self._value(stream, stream.line, multi=False)
            except JsonSyntaxError as e:
                self.syntax_error = e
            self.bytes_read = stream.bytes_read
        for batch in self._pending.values():
            if len(batch):
                yield batch
        self._pending.clear()

    def _value(self, stream: JsonStream, line: int, multi: bool) -> Iterator[InstanceBatch]:
        if stream.peek() != "{":
            value, line = stream.value()
            self.tally.add(
                "task.not-a-task", f"found a JSON {type(value).__name__}", f"{self.display}:{line}", line
            )
            return
        header = TaskHeader(self.display, line, None, "task")
        for key, key_line in stream.members():
            header.key_lines[key] = key_line
            if key == "Instances" and stream.peek() == "[":
                if header.name is None:
                    header.name = self._task_name(header, multi)
                self.headers.append(header)
                yield from self._instances(stream, header)
            else:
                header.fields[key], _ = stream.value()
        if "Instances" in header.key_lines:
            if "Instances" in header.fields:  # not an array: reported by header_findings
                header.name = header.name or self._task_name(header, multi)
                self.headers.append(header)
            return
        if "input" in header.fields or "output" in header.fields:
            yield from self._record(header)
        elif header.fields.keys() & set(TASK_KEYS):
            header.name = self._task_name(header, multi)
            self.headers.append(header)  # a task without Instances: reported by header_findings
        else:
            self.tally.add(
                "task.not-a-task",
                "an object with neither Instances nor input/output",
                f"{self.display}:{line}",
                line,
            )

    def _task_name(self, header: TaskHeader, multi: bool) -> str | None:
        for key in NAME_KEYS:
            value = header.fields.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip().removesuffix(".json")
        return None if multi else _stem(self.path)

    def _instances(self, stream: JsonStream, header: TaskHeader) -> Iterator[InstanceBatch]:
        batch = InstanceBatch(header)
        for line in stream.elements():
            raw, line = stream.value()
            header.instances += 1
            row = self._normalize(raw, f"{self.display}:{line}", line)
            if row is None:
                continue
            if header.name is None:  # a task in a multi-task file without a name key
                header.name = _name_from_id(row[0])
            batch.ids.append(row[0])
            batch.inputs.append(row[1])
            batch.outputs.append(row[2])
            batch.lines.append(line)
            batch.splits.append(None)
            batch.chars += len(row[1])
            if len(batch) >= self.batch_rows or batch.chars >= BATCH_CHARS:
                yield batch
                batch = InstanceBatch(header)
        if len(batch):
            yield batch

    def _normalize(self, raw: Any, where: str, line: int) -> tuple[str | None, str, list[str]] | None:
        """(id, input, outputs) of an instance, tallying what is wrong or a variant; None if unusable."""
        if not isinstance(raw, dict):
            self.tally.add("instance.not-object", f"found a JSON {type(raw).__name__}", where, line)
            return None
        extra = raw.keys() - INSTANCE_KEYS
        if extra:
            self.tally.add("instance.unknown-key", f"unknown key(s) {sorted(extra)}", where, line)
        ident = raw.get("id")
        if ident is None:
            self.tally.add("variant.missing-id", "instance without id", where, line)
        elif not isinstance(ident, str):
            self.tally.add("instance.type", "id is not a string", where, line)
            ident = str(ident)
        text, outputs = raw.get("input"), raw.get("output")
        missing = [k for k in ("input", "output") if k not in raw]
        if missing:
            self.tally.add("instance.missing-key", f"no {' and no '.join(missing)}", where, line)
            return None
        if not isinstance(text, str):
            self.tally.add("instance.type", "input is not a string", where, line)
            return None
        if isinstance(outputs, str):
            self.tally.add("variant.output-string", "output is a string, not a list", where, line)
            outputs = [outputs]
        elif not isinstance(outputs, list) or not all(isinstance(o, str) for o in outputs):
            self.tally.add("instance.type", "output is not a list of strings", where, line)
            return None
        return ident, text, outputs

    def _record(self, fields_header: TaskHeader) -> Iterator[InstanceBatch]:
        """One record of a repacked file: grouped by task into batches."""
        fields, line = fields_header.fields, fields_header.line
        where = f"{self.display}:{line}"
        name = next((fields[k] for k in RECORD_TASK_KEYS if isinstance(fields.get(k), str)), None)
        if name is None:
            self.tally.add("task.not-a-task", "a record without a `task` key naming its task", where, line)
            return
        name = name.strip().removesuffix(".json")
        header = self._records.get(name)
        if header is None:
            header = self._records[name] = TaskHeader(self.display, line, name, "records")
            instruction = next((fields[k] for k in RECORD_INSTRUCTION_KEYS if k in fields), None)
            if instruction is not None:
                header.fields["Definition"] = instruction if isinstance(instruction, list) else [instruction]
            category = next((fields[k] for k in RECORD_CATEGORY_KEYS if k in fields), None)
            if category is not None:
                header.fields["Categories"] = category if isinstance(category, list) else [category]
            self.headers.append(header)
            self.tally.add("variant.record", f"records of {name}", where, line)
        header.instances += 1
        instance = {k: fields[k] for k in INSTANCE_KEYS if k in fields}
        row = self._normalize(instance, where, line)
        if row is None:
            return
        split = next((fields[k] for k in RECORD_SPLIT_KEYS if isinstance(fields.get(k), str)), None)
        batch = self._pending.setdefault(name, InstanceBatch(header))
        batch.ids.append(row[0])
        batch.inputs.append(row[1])
        batch.outputs.append(row[2])
        batch.lines.append(line)
        batch.splits.append(_record_split(split))
        self._pending_rows += 1
        if self._pending_rows >= self.batch_rows:  # interleaved tasks: hand over what is held
            yield from self._pending.values()
            self._pending.clear()
            self._pending_rows = 0

    # -- what was found ---------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        """Problems of the file itself: syntax, encoding, repeated keys, per-instance problems."""
        found: list[Finding] = []
        stream = self._stream
        if self.syntax_error is not None:
            e = self.syntax_error
            found.append(
                finding(
                    "json.syntax",
                    f"{self.display}:{e.line}",
                    f"column {e.column}: {e.message}; the rest of the file was not read",
                    file=self.display,
                    line=e.line,
                )
            )
        if stream is not None:
            for line in stream.not_utf8_lines:
                found.append(
                    finding(
                        "json.encoding",
                        f"{self.display}:{line}",
                        "bytes that are not valid UTF-8",
                        file=self.display,
                        line=line,
                    )
                )
            for dup in stream.duplicates:
                found.append(
                    finding(
                        "json.duplicate-key",
                        f"{self.display}:{dup.line}",
                        f"key {dup.key!r} repeats in its object; JSON readers keep only the last value",
                        file=self.display,
                        line=dup.line,
                    )
                )
        single_object = self.top_values == 1 and len(self.headers) == 1 and self.headers[0].kind == "task"
        if self.path.suffix == ".jsonl" and single_object and self.syntax_error is None:
            found.append(
                finding(
                    "variant.jsonl-name",
                    f"{self.display}:1",
                    "named .jsonl but holds one JSON document",
                    file=self.display,
                    line=1,
                )
            )
        return found + self.tally.findings()


def _stem(path: Path) -> str:
    return path.name.removesuffix(".jsonl").removesuffix(".json")


def _name_from_id(ident: str | None) -> str | None:
    match = TASK_ID_PREFIX.match(ident or "")
    return match.group(1) if match else None


def _record_split(value: str | None) -> str | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    return lowered if lowered in ("train", "test") else SPLIT_TYPES.get(value.strip())


def task_id(name: str) -> str | None:
    match = TASK_ID_PREFIX.match(name)
    return match.group(1) if match else None
