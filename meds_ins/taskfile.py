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

from meds_ins import schema
from meds_ins.builder import random_split
from meds_ins.errors import UnknownNameError, UsageError
from meds_ins.findings import Finding, Tally, finding
from meds_ins.jsonstream import JsonStream, JsonSyntaxError

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
            input_array = pa.array([_scrub(t) for t in inputs], pa.string())
            output_array = pa.array([[_scrub(t) for t in o] for o in outputs], pa.list_(pa.string()))
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


def _scrub(text: str) -> str:
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


# ---------------------------------------------------------------------------------------------
# Task-level checks


def header_findings(header: TaskHeader) -> list[Finding]:
    """Keys present and typed, names, categories, domains, languages, split type, instance counts."""
    found: list[Finding] = []
    file = header.file

    def add(code: str, message: str, key: str | None = None) -> None:
        location, line = header.where(key)
        found.append(finding(code, location, message, file=file, line=line))

    label = header.name or "task"
    if header.name is None:
        add("task.name", f"{label} has no name: add a `Task` key naming it (task<N>_<words>)")
    elif not TASK_NAME.match(header.name):
        add("task.name", f"{header.name!r} is not a task name of the form task<N>_<words>")
    elif header.name != header.name.lower():
        add("task.name-case", f"{header.name!r} has upper-case letters")
    if header.kind == "records":
        _instance_count(header, add)
        return found

    fields = header.fields
    missing = [k for k in TASK_KEYS if k not in fields and k not in header.key_lines]
    omitted = [k for k in CONTRIBUTOR_OMITS if k in missing]
    if omitted or "Split Type" in fields:
        shown = ", ".join(omitted) or "none"
        add(
            "variant.contributor",
            f"missing {shown}; `Split Type` {'present' if 'Split Type' in fields else 'absent'}",
        )
    for key in missing:
        if key not in CONTRIBUTOR_OMITS:
            add("task.missing-key", f"no {key!r} key")
    known = set(TASK_KEYS) | {"Split Type"} | set(NAME_KEYS)
    for key in fields:
        if key not in known:
            from meds_ins.errors import closest

            hint = closest(key, known)
            add(
                "task.unknown-key",
                f"unknown key {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint else ""),
                key,
            )

    for key in TASK_KEYS:
        if key not in fields or key == "Instances":
            continue
        value = fields[key]
        if key in ("Positive Examples", "Negative Examples"):
            if not isinstance(value, list) or not all(_is_example(x) for x in value):
                add("task.type", f"{key} must be a list of {{input, output, explanation}} strings", key)
        elif isinstance(value, str) and key in STRING_VARIANT_KEYS:
            add("variant.string-field", f"{key} is the string {value[:60]!r}, not a list", key)
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            add("task.type", f"{key} must be a list of strings, found {type(value).__name__}", key)
    if "Definition" in fields and not header.text("Definition"):
        add("task.type", "Definition has no non-empty first string", "Definition")

    categories = set(schema.enum("category"))
    for category in header.strings("Categories"):
        if category not in categories:
            hint = suggest_category(category)
            tip = f"; did you mean {hint!r}?" if hint else ""
            add("task.category", f"category {category!r} is not one of the 19 categories{tip}", "Categories")
    if "Categories" in fields and not header.strings("Categories"):
        add("task.category", "no category given", "Categories")
    domains = set(schema.enum("domain"))
    for domain in header.strings("Domains"):
        if domain not in domains:
            add("task.domain", f"domain {domain!r} is not in the controlled list", "Domains")
    for key in ("Input_language", "Output_language", "Instruction_language"):
        for name in header.strings(key):
            if iso_language(name) is None:
                add("task.language", f"{key} {name!r} is not an ISO 639 language name or code", key)
    definition = header.text("Definition") or ""
    for name in header.strings("Input_language"):
        code = iso_language(name)
        if code and code != "en" and not _names_language(definition, name, code):
            add(
                "task.definition-language",
                f"the definition does not mention the input language {name!r}",
                "Definition",
            )
    split_type = fields.get("Split Type")
    if split_type is not None and split_type not in SPLIT_TYPES:
        add(
            "task.split-type",
            f"Split Type {split_type!r} is not one of {', '.join(SPLIT_TYPES)}",
            "Split Type",
        )
    if "Instances" in fields:
        add("task.type", "Instances must be a list of instance objects", "Instances")
    elif "Instances" in header.key_lines:
        _instance_count(header, add)
    return found


def _instance_count(header: TaskHeader, add: Any) -> None:
    if header.instances == 0:
        add("task.no-instances", f"{header.name or 'the task'} has no instances", "Instances")
    elif header.instances < FEW_INSTANCES:
        add(
            "task.few-instances",
            f"{header.instances} instance(s); a task needs at least {FEW_INSTANCES}",
            "Instances",
        )


def _is_example(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k), str) for k in ("input", "output"))


def _names_language(definition: str, name: str, code: str) -> bool:
    import pycountry

    lowered = definition.lower()
    names = {name.lower()}
    language = pycountry.languages.get(alpha_2=code)
    if language is not None:
        names.add(language.name.lower())
    return any(n in lowered for n in names)


def example_inputs(header: TaskHeader) -> list[str]:
    examples = header.fields.get("Positive Examples")
    if not isinstance(examples, list):
        return []
    return [x["input"] for x in examples if _is_example(x)]


# ---------------------------------------------------------------------------------------------
# Mapping released values to ours (shared by the validator's hints and the importer)

CATEGORY_SYNONYMS = {
    "qa": "Question Answering",
    "question answering": "Question Answering",
    "multiple choice question answering": "Question Answering",
    "summarization": "Text Summarization",
    "summary": "Text Summarization",
    "ner": "Named Entity Recognition",
    "entity recognition": "Named Entity Recognition",
    "textual entailment": "Natural Language Inference",
    "nli": "Natural Language Inference",
    "text categorization": "Text Classification",
    "classification": "Text Classification",
    "fact checking": "Fact Verification",
    "diagnosis prediction": "Diagnosis",
    "treatment recommendation": "Treatment Planning",
    "outcome prediction": "Clinical Outcome Prediction",
    "machine translation": "Translation",
    "relation classification": "Word Relation Classification",
    "intent classification": "Intent Identification",
    "information retrieval": "Text Retrieval",
    "question generation": "Text Completion",
    "concept explanation": "Explanation",
}


def suggest_category(name: str) -> str | None:
    """Our category for a released category name: case-insensitive match, then known synonyms."""
    ours = {c.lower(): c for c in schema.enum("category")}
    lowered = " ".join(name.lower().replace("_", " ").split())
    return ours.get(lowered) or CATEGORY_SYNONYMS.get(lowered)


def iso_language(name: str) -> str | None:
    """The ISO 639-1 code of a language name or code, None if it is not one."""
    from meds_ins.loader import language_code

    try:
        return language_code(name)
    except UnknownNameError:
        return None


def resolve_split(header: TaskHeader, default: str) -> str:
    """'train', 'test', or '9:1' (deterministic split by input) for the task's instances."""
    split_type = header.fields.get("Split Type")
    if isinstance(split_type, str) and split_type in SPLIT_TYPES:
        return SPLIT_TYPES[split_type]
    return default


def assign_splits(batch: InstanceBatch, split: str) -> list[str]:
    """One split per instance; '9:1' hashes the task name and input, so repeated inputs stay together."""
    name = batch.header.name or ""
    result = []
    for own, text in zip(batch.splits, batch.inputs):
        chosen = own or split
        result.append(random_split(name, text) if chosen == "9:1" else chosen)
    return result


def task_files(paths: list[Path]) -> list[Path]:
    """The task files among `paths`: files as given; folders searched for *.json and *.jsonl (sorted),
    leaving out hidden folders and stores (whose meta/*.json are not task files)."""
    import os

    found = []
    for path in paths:
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(
                    d
                    for d in subfolders
                    if not d.startswith(".") and not (Path(folder, d, "meta", "manifest.json")).is_file()
                )
                found += sorted(Path(folder, n) for n in names if n.endswith((".json", ".jsonl")))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    return found
