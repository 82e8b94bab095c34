"""`meds-ins bench prompts`: the MedS-Bench prompts of a store's test split, one JSON Lines file per task.

Multiple-choice QA is zero-shot, every other category 3-shot. Examples come from the task's train
split; a benchmark task without one (task123, task127 ...) takes them from the train split of the task
of the same corpus with the same instruction (task124, task28 ...), and a task with no training data at
all (the MMedBench rationale tasks) from its other test items, never the item itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meds_ins._bench.tasks import CATEGORIES, bench_task, category_of, shots_for
from meds_ins._common import paths
from meds_ins._common.errors import UsageError
from meds_ins._common.names import unknown
from meds_ins._store.layout import Store
from meds_ins._training.prompts import Prompt, ShotPool, make_prompt


def shot_source(store: Store, name: str) -> tuple[str, str] | None:
    """(task name, split) the examples of `name` are drawn from."""
    meta = store.tasks[name]
    if "train" in store.splits(name):
        return name, "train"
    for other, other_meta in store.tasks.items():
        if (
            other != name
            and other_meta["source"] == meta["source"]
            and "train" in store.splits(other)
            and other_meta["instruction"] == meta["instruction"]
        ):
            return other, "train"
    return (name, "test") if "test" in store.splits(name) else None


@dataclass(frozen=True)
class TaskPrompts:
    """The prompts of one benchmark task's test split, and where their examples come from."""

    name: str
    task_id: str
    category: str
    shots: int
    source: tuple[str, str] | None  # (task name, split) of the examples
    prompts: tuple[Prompt, ...]

    @property
    def examples_from(self) -> str:
        return f"{self.source[0]} ({self.source[1]})" if self.source else "-"


def bench_task_names(
    store: Store, tasks: Sequence[str] | None = None, categories: Sequence[str] | None = None
) -> list[str]:
    """The store's MedS-Bench tasks with a test split, in store order: all, or those named (by name or id)
    and those of the named categories."""
    names = [n for n, m in store.tasks.items() if bench_task(m["id"]) and "test" in store.splits(n)]
    known = {c.name.lower(): c for c in CATEGORIES}
    for category in categories or ():
        if category.lower() not in known:
            raise unknown("MedS-Bench category", category, [c.name for c in CATEGORIES])
    if tasks or categories:
        wanted: set[str] = set()
        if tasks:
            from meds_ins._loading.loader import select

            wanted = set(select(store, task=list(tasks)).tasks)  # names the store lacks are explained there
            others = sorted(wanted - set(names))
            if others:
                raise UsageError(
                    f"not MedS-Bench tasks with a test split in {store.root}: {', '.join(others)}; "
                    f"its benchmark tasks: {', '.join(names) or 'none'}"
                )
        ids = {t.id for c in (categories or ()) for t in known[c.lower()].tasks}
        names = [n for n in names if n in wanted or store.tasks[n]["id"] in ids]
    if not names:
        chosen = [*(tasks or ()), *(categories or ())]
        raise UsageError(
            f"{store.root} holds no MedS-Bench task with a test split"
            + (f" among {', '.join(chosen)}" if chosen else "")
        )
    return names


def task_prompts(store: Store, name: str, *, shots: int | None = None, seed: int = 0) -> TaskPrompts:
    """The prompts of a task's test records: `shots` examples each (default: the published protocol)."""
    from meds_ins._loading.loader import load_dataset

    task_id = store.tasks[name]["id"]
    k = shots_for(task_id) if shots is None else shots
    test = load_dataset(store, task=name, split="test")
    source = shot_source(store, name) if k else None
    pool = ShotPool(load_dataset(store, task=source[0], split=source[1])) if source else None
    prompts = tuple(make_prompt(record, pool=pool, shots=k, seed=seed) for record in test)
    return TaskPrompts(name, task_id, category_of(task_id).name, k, source, prompts)


def write_prompts(
    store: Store, out: Path, *, tasks: Sequence[str] | None = None, seed: int = 0
) -> list[dict[str, Any]]:
    paths.check_output(out, folder=True)
    names = bench_task_names(store, tasks)
    out.mkdir(parents=True, exist_ok=True)
    summary = []
    for name in names:
        task = task_prompts(store, name, seed=seed)
        path = out / f"{name}.jsonl"
        with open(path, "w", encoding="utf-8") as handle:
            for prompt in task.prompts:
                handle.write(
                    json.dumps(
                        {
                            "id": prompt.record["id"],
                            "task": name,
                            "category": task.category,
                            "prompt": prompt.text(),
                            "messages": prompt.messages(),
                            "references": prompt.record["output"],
                            "shots": [s["id"] for s in prompt.shots],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        summary.append(
            {
                "task": name,
                "category": task.category,
                "items": len(task.prompts),
                "shots": task.shots,
                "examples_from": task.examples_from,
                "file": path.name,
            }
        )
    (out / "manifest.json").write_text(json.dumps({"seed": seed, "tasks": summary}, indent=2) + "\n")
    return summary
