"""From a builder's examples to records: ids, splits, languages, instruction and metadata filled in."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from meds_ins.builder import Builder, Example, Task, random_split
from meds_ins.errors import BuilderError


def clean_text(text: str) -> str:
    """One normal form for text fields: LF line ends, no surrounding whitespace."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def encode_meta(meta: Any) -> str | None:
    """Deterministic JSON for the `meta` column (sorted keys, so equal input gives equal bytes)."""
    if meta is None:
        return None
    return json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def to_records(builder: Builder, examples: Iterable[Example]) -> Iterator[dict[str, Any]]:
    tasks: dict[str, Task] = {}
    for example in examples:
        task = tasks.get(example.task)
        if task is None:
            task = tasks[example.task] = builder.task(example.task)
        yield make_record(builder.corpus.id, task, example)


def make_record(source: str, task: Task, ex: Example) -> dict[str, Any]:
    where = f"{source}: {task.id} example {ex.key!r}"
    outputs = [ex.output] if isinstance(ex.output, str) else list(ex.output)
    if any(not isinstance(o, str) for o in outputs):
        raise BuilderError(f"{where}: outputs must be strings, got {outputs!r}")
    input_language = ex.input_language or task.input_languages[0]
    output_language = ex.output_language or task.outputs[0]
    if input_language not in task.input_languages or output_language not in task.outputs:
        raise BuilderError(
            f"{where}: languages {input_language}->{output_language} are not declared by the task "
            f"({'/'.join(task.input_languages)}->{'/'.join(task.outputs)})"
        )
    return {
        "id": f"{task.id}:{ex.key}",
        "task": task.name,
        "split": _split(source, task, ex, where),
        "category": task.category,
        "source": source,
        "instruction": task.instruction,
        "input": clean_text(ex.input),
        "output": [clean_text(o) for o in outputs],
        "input_language": input_language,
        "output_language": output_language,
        "instruction_language": task.instruction_language,
        "meta": encode_meta(ex.meta),
    }


def _split(source: str, task: Task, ex: Example, where: str) -> str:
    policy = task.split_policy
    if policy == "official":
        if ex.split not in task.splits:
            raise BuilderError(f"{where}: split {ex.split!r} is not one of the task's splits {task.splits}")
        return ex.split
    if ex.split is not None:
        raise BuilderError(f"{where}: the task's split policy is {policy}; leave Example.split unset")
    if policy == "train-only":
        return "train"
    if policy == "test-only":
        return "test"
    return random_split(source, ex.group or ex.key)
