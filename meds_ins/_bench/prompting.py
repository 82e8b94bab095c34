"""`meds-ins bench prompts`: the MedS-Bench prompts of a store's test split, one JSON Lines file per task.

Multiple-choice QA is zero-shot, every other category 3-shot. Examples come from the task's train
split; a benchmark task without one (task123, task127 ...) takes them from the train split of the task
of the same corpus with the same instruction (task124, task28 ...), and a task with no training data at
all (the MMedBench rationale tasks) from its other test items, never the item itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from meds_ins._bench.tasks import bench_task, category_of, shots_for
from meds_ins._common import paths
from meds_ins._common.errors import UsageError
from meds_ins._store.layout import Store
from meds_ins._training.prompts import ShotPool, make_prompt


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


def write_prompts(
    store: Store, out: Path, *, tasks: Sequence[str] | None = None, seed: int = 0
) -> list[dict[str, Any]]:
    from meds_ins._loading.loader import load_dataset

    paths.check_output(out, folder=True)
    names = [n for n, m in store.tasks.items() if bench_task(m["id"]) and "test" in store.splits(n)]
    if tasks:
        wanted = set(tasks)
        names = [n for n in names if n in wanted or store.tasks[n]["id"] in wanted]
    if not names:
        raise UsageError(
            f"{store.root} holds no MedS-Bench task with a test split"
            + (f" among {', '.join(tasks)}" if tasks else "")
        )
    out.mkdir(parents=True, exist_ok=True)
    summary = []
    for name in names:
        task_id = store.tasks[name]["id"]
        k = shots_for(task_id)
        test = load_dataset(store, task=name, split="test")
        source = shot_source(store, name) if k else None
        pool = ShotPool(load_dataset(store, task=source[0], split=source[1])) if source else None
        path = out / f"{name}.jsonl"
        with open(path, "w", encoding="utf-8") as handle:
            for record in test:
                prompt = make_prompt(record, pool=pool, shots=k, seed=seed)
                handle.write(
                    json.dumps(
                        {
                            "id": record["id"],
                            "task": name,
                            "category": category_of(task_id).name,
                            "prompt": prompt.text(),
                            "messages": prompt.messages(),
                            "references": record["output"],
                            "shots": [s["id"] for s in prompt.shots],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        summary.append(
            {
                "task": name,
                "category": category_of(task_id).name,
                "items": test.num_rows,
                "shots": k,
                "examples_from": f"{source[0]} ({source[1]})" if source else "-",
                "file": path.name,
            }
        )
    (out / "manifest.json").write_text(json.dumps({"seed": seed, "tasks": summary}, indent=2) + "\n")
    return summary
