"""`meds-ins bench lm-eval`: lm-evaluation-harness tasks for the MedS-Bench tasks of a store.

The folder it writes is flat, so that lm-eval's `!function utils.x` finds utils.py beside each YAML:

    meds_bench.yaml               group of every category group (no average: the metrics differ)
    meds_bench_<category>.yaml    group over the tasks of the published category average, averaging
                                  each metric over those tasks without weighting (as `bench score` does)
    meds_bench_unaveraged.yaml    tasks outside every published average (MIMIC-IV CT and MRI summaries)
    meds_bench_task<N>.yaml       one task: prompt = system part, a blank line, user part; the same stop
                                  sequence and token budget as `bench run`; greedy
    utils.py                      loads data/<task>.jsonl; scores with `meds_ins.score_outputs`
    data/<task>.jsonl             the prompts of `bench prompts` (same examples, same seed) as system and
                                  user parts, with the references, metadata and output language

A group averages over all the tasks below it, so a category group holds only averaged tasks. Every
metric is computed over the whole task by meds-ins (micro F1, macro P/R/F1 and the label set of label
tasks need all items), so lm-eval shows no standard error for them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from meds_ins._bench.generation import Decoding
from meds_ins._bench.prompting import bench_task_names, task_prompts
from meds_ins._bench.tasks import CATEGORIES, ENTITY_F1, HALLMARK_F1, OVERLAP, bench_task, category_of
from meds_ins._common import resources
from meds_ins._common.errors import UsageError
from meds_ins._common.names import unknown
from meds_ins._common.version import VERSION
from meds_ins._store.layout import Store

TOP = "meds_bench"
UNAVERAGED = "meds_bench_unaveraged"
# metric names per metric kind, and the process_results function of utils.py that fills them
METRICS = {
    OVERLAP: (("bleu1", "rougeL"), "overlap_item"),
    ENTITY_F1: (("f1",), "f1_item"),
    HALLMARK_F1: (("precision", "recall", "f1"), "hallmark_item"),
}
ACCURACY = (("accuracy",), "accuracy_item")


class _Function(str):
    """A `!function module.name` value of lm-eval's YAML."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Function, lambda dumper, value: dumper.represent_scalar("!function", str(value)))
_Dumper.add_representer(  # "{{system}}\n\n" on one line, not folded over three
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, '"' if "\n" in value else None
    ),
)


def lm_eval_name(task_id: str) -> str:
    return f"{TOP}_{task_id}"


def group_name(category: str) -> str:
    return f"{TOP}_{re.sub(r'[^a-z0-9]+', '_', category.lower()).strip('_')}"


def metrics_of(task_id: str) -> tuple[str, ...]:
    return METRICS.get(bench_task(task_id).metric, ACCURACY)[0]


def task_config(task_id: str, name: str, decoding: Decoding) -> dict[str, Any]:
    names, process = METRICS.get(bench_task(task_id).metric, ACCURACY)
    return {
        "task": lm_eval_name(task_id),
        "task_alias": f"{bench_task(task_id).column} ({task_id})",
        "custom_dataset": _Function("utils.load"),
        "test_split": "test",
        "output_type": "generate_until",
        "description": "{{system}}\n\n",  # lm-eval joins description and text with nothing between
        "doc_to_text": "user",
        "doc_to_target": "{{references[0]}}",
        "num_fewshot": 0,  # the examples are in the prompt already
        "process_results": _Function(f"utils.{process}"),
        "metric_list": [
            {"metric": m, "aggregation": _Function(f"utils.{m}"), "higher_is_better": True} for m in names
        ],
        "generation_kwargs": {
            "until": list(decoding.stop),
            "max_gen_toks": decoding.max_tokens_for(task_id),
            "do_sample": False,
            "temperature": decoding.temperature,
        },
        "metadata": {"version": 1, "meds_task": name, "meds_ins": VERSION},
    }


def group_configs(task_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Group name -> config: one per category present, the unaveraged tasks, and the top group."""
    groups: dict[str, dict[str, Any]] = {}
    outside: list[str] = []
    for category in CATEGORIES:
        present = [t.id for t in category.tasks if t.id in task_ids]
        if not present:
            continue
        averaged = [t for t in present if t in category.averaged]
        members = averaged if category.averaged else present
        outside += [t for t in present if t not in members]
        config: dict[str, Any] = {
            "group": group_name(category.name),
            "group_alias": category.name,
            "task": [lm_eval_name(t) for t in members],
        }
        if category.averaged and members:
            config["aggregate_metric_list"] = [
                {"metric": m, "aggregation": "mean", "weight_by_size": False} for m in metrics_of(members[0])
            ]
        config["metadata"] = {"version": 1}
        if members:
            groups[config["group"]] = config
    if outside:
        groups[UNAVERAGED] = {
            "group": UNAVERAGED,
            "group_alias": "Outside the published averages",
            "task": [lm_eval_name(t) for t in outside],
            "metadata": {"version": 1},
        }
    groups[TOP] = {
        "group": TOP,
        "group_alias": "MedS-Bench",
        "task": list(groups),
        "metadata": {"version": 1},
    }
    return groups


def write_lm_eval_tasks(
    store: str | os.PathLike[str] | Store | None,
    out: str | os.PathLike[str],
    *,
    tasks: Sequence[str] = (),
    categories: Sequence[str] = (),
    shots: int | None = None,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Write lm-evaluation-harness task configs for the store's MedS-Bench tasks into `out`; returns what
    was written per task. `store` is a store folder, a Hub repository id, an opened Store, or None for
    the local store. Run the tasks with `lm_eval --tasks meds_bench --include_path out`."""
    from meds_ins._hub.reading import resolve_store

    store = resolve_store(store)
    out = Path(out)
    decoding = Decoding()
    selected = [
        task_prompts(store, n, shots=shots, seed=seed) for n in bench_task_names(store, tasks, categories)
    ]
    (out / "data").mkdir(parents=True, exist_ok=True)
    written: dict[Path, str] = {}
    summary = []
    for task in selected:
        rows = [
            {
                "id": p.record["id"],
                "task": task.task_id,
                "system": p.system,
                "user": p.user,
                "references": list(p.record["output"]),
                "meta": p.record["meta"],
                "language": p.record["output_language"],
            }
            for p in task.prompts
        ]
        written[out / "data" / f"{task.name}.jsonl"] = "".join(
            json.dumps(r, ensure_ascii=False) + "\n" for r in rows
        )
        written[out / f"{lm_eval_name(task.task_id)}.yaml"] = _yaml(
            task_config(task.task_id, task.name, decoding)
        )
        summary.append(
            {
                "task": task.name,
                "lm_eval_task": lm_eval_name(task.task_id),
                "category": task.category,
                "items": len(rows),
                "shots": task.shots,
                "max_tokens": decoding.max_tokens_for(task.task_id),
            }
        )
    groups = group_configs([t.task_id for t in selected])
    for name, config in groups.items():
        written[out / f"{name}.yaml"] = _yaml(config)
    for task in summary:
        task["group"] = next(g for g, c in groups.items() if task["lm_eval_task"] in c["task"])
    written[out / "utils.py"] = (
        resources.templates().joinpath("lm_eval_utils.py.tmpl").read_text(encoding="utf-8")
    )
    _remove_stale(out, set(written))
    for path, text in written.items():
        path.write_text(text, encoding="utf-8")
    return summary


def _yaml(config: dict[str, Any]) -> str:
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def _remove_stale(out: Path, keep: set[Path]) -> None:
    """Files an earlier run wrote for tasks not written now (lm-eval would still index them)."""
    for path in [*out.glob(f"{TOP}*.yaml"), *(out / "data").glob("task*.jsonl")]:
        if path not in keep:
            path.unlink()


def score_outputs(task: str, items: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """The scores of one MedS-Bench task for model outputs, as `bench score` computes them (×100).

    `task` is a task id (task57) or full name; each item has `output` (the model's text), `references`
    (the record's outputs, first primary), and optionally `meta` (the record's meta, a dict or its JSON
    text) and `language` (the output language, default "en"). Metrics over the whole task (micro F1,
    the label set of label tasks) use all the items given.
    """
    from meds_ins._bench.predictions import Prediction
    from meds_ins._bench.score import Item, score_task

    task_id = task.split("_", 1)[0]
    if category_of(task_id) is None:
        raise unknown("MedS-Bench task", task, [t.id for c in CATEGORIES for t in c.tasks])
    scored = []
    for row, item in enumerate(items, start=1):
        meta = item.get("meta")
        if isinstance(meta, str):
            meta = json.loads(meta) if meta else None
        references = list(item["references"])
        if not references:
            raise UsageError(f"item {row} of {task}: no references")
        prediction = Prediction(Path("<outputs>"), row, task_id, item["output"])
        scored.append(Item(prediction, references, meta, item.get("language") or "en"))
    if not scored:
        raise UsageError(f"no outputs to score for {task}")
    return score_task(task_id, scored).scores
