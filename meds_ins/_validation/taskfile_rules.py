"""What a released task file must hold (the task-level checks, run once a file has been read, since a
key may follow `Instances`), and how its values map to ours (categories, languages, splits). Shared by
the validator and the importer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from meds_ins._common import schema
from meds_ins._common.errors import UsageError
from meds_ins._common.languages import iso_language
from meds_ins._validation.findings import Finding, finding
from meds_ins._validation.taskfile import (
    CONTRIBUTOR_OMITS,
    FEW_INSTANCES,
    NAME_KEYS,
    SPLIT_TYPES,
    STRING_VARIANT_KEYS,
    TASK_KEYS,
    TASK_NAME,
    InstanceBatch,
    TaskHeader,
)
from meds_ins.builder._api import random_split


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
            from meds_ins._common.names import closest

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
    if split_type is not None and not (isinstance(split_type, str) and split_type in SPLIT_TYPES):
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
