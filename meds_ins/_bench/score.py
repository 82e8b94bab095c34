"""Scoring prediction files per task and per MedS-Bench category.

Each prediction becomes an item: its task, the model output, the references and, when the record is
found in a store, the record's metadata (answer options, entity lists) and language. CSV rows carry
their own reference (GT), so they can be scored without a store; JSONL rows name record ids and need one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from meds_ins._bench import extra, metrics
from meds_ins._bench.predictions import Prediction, PredictionsError, read_predictions
from meds_ins._bench.tasks import (
    CATEGORIES,
    CHOICE,
    ENTITY_F1,
    FIRST_LINE,
    HALLMARK_F1,
    OVERLAP,
    SUBSTRING,
    TRUE_FALSE,
    bench_task,
    category_of,
)
from meds_ins._common.names import closest
from meds_ins._store.layout import Store

# Label words that belong together, so a task whose references are all one label still knows the others.
LABEL_FAMILIES = (
    {"yes", "no", "maybe"},
    {"true", "false", "mixture", "unproven"},
    {"entailment", "contradiction", "neutral"},
    {"да", "нет"},
    {"sí", "no"},
)
# Languages of the rationale tasks, for scoring without a store.
LANGUAGES = {"task51": "zh", "task52": "en", "task53": "fr", "task54": "ja", "task55": "ru", "task56": "es"}


@dataclass
class Item:
    prediction: Prediction
    references: list[str]
    meta: dict[str, Any] | None = None
    language: str = "en"


@dataclass
class TaskResult:
    task: str  # task id
    name: str
    category: str
    metric: str
    n: int
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "category": self.category,
            "metric": self.metric,
            "n": self.n,
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
        }


def score_files(
    paths: Sequence[Path], store: Store | None, *, model: str, allow_empty: bool = False
) -> dict[str, Any]:
    extra.require(extra.SCORING, "Scoring MedS-Bench predictions (`meds-ins bench score`)")
    predictions = [p for path in paths for p in read_predictions(path)]
    if not predictions:
        raise PredictionsError(f"no predictions in {', '.join(map(str, paths))}")
    items = resolve(predictions, store, allow_empty=allow_empty)
    results = [
        score_task(task, task_items) for task, task_items in sorted(items.items(), key=lambda kv: _num(kv[0]))
    ]
    return {
        "model": model,
        "files": [str(p) for p in paths],
        "tasks": {r.task: r.to_dict() for r in results},
        "categories": summarize(results, store),
    }


def _num(task_id: str) -> int:
    return int(task_id[4:])


def resolve(
    predictions: Iterable[Prediction], store: Store | None, *, allow_empty: bool
) -> dict[str, list[Item]]:
    """Items grouped by task id, each with its references; malformed rows raise naming the row."""
    names = _task_names(store)
    records = _RecordIndex(store)
    items: dict[str, list[Item]] = defaultdict(list)
    seen: dict[tuple[str, ...], Prediction] = {}
    for p in predictions:
        task_id = names.get(p.task) or (p.task if bench_task(p.task) else None)
        if task_id is None or bench_task(task_id) is None:
            hints = closest(p.task, set(names) | {t.id for c in CATEGORIES for t in c.tasks})
            hint = f" (did you mean {', '.join(hints)}?)" if hints else ""
            raise PredictionsError(f"{p.where}: {p.task!r} is not a MedS-Bench task{hint}")
        if not p.output.strip() and not allow_empty:
            raise PredictionsError(
                f"{p.where}: empty output; give the model's answer, or pass --allow-empty to "
                "score empty outputs as wrong"
            )
        key = (
            (task_id, p.id)
            if p.id is not None
            else (task_id, " ".join((p.input or "").split()), p.reference or "")
        )
        if key in seen:
            raise PredictionsError(
                f"{p.where}: duplicate of {seen[key].where} (same "
                f"{'record id' if p.id is not None else 'task, input and GT'})"
            )
        seen[key] = p
        items[task_id].append(records.item(task_id, p))
    return items


def _task_names(store: Store | None) -> dict[str, str]:
    """Full task names (and ids) -> task id, from the store and the catalog."""
    from meds_ins._build.catalog import load_catalog

    names = {t.name: t.id for t in load_catalog().tasks() if t.name}
    if store is not None:
        names |= {name: meta["id"] for name, meta in store.tasks.items()}
    return names | {v: v for v in set(names.values())}


class _RecordIndex:
    """The store's test records of the tasks asked for, by id and by input."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._tasks: dict[str, tuple[dict[str, dict], dict[str, list[dict]]]] = {}

    def _load(self, task_id: str) -> tuple[dict[str, dict], dict[str, list[dict]]]:
        if task_id not in self._tasks:
            by_id: dict[str, dict] = {}
            by_input: dict[str, list[dict]] = defaultdict(list)
            name = next(
                (n for n, m in (self.store.tasks.items() if self.store else []) if m["id"] == task_id), None
            )
            if name and "test" in self.store.splits(name):
                from meds_ins._loading.loader import load_dataset

                for record in load_dataset(self.store, task=name, split="test"):
                    by_id[record["id"]] = record
                    by_input[" ".join(record["input"].split())].append(record)
            self._tasks[task_id] = (by_id, by_input)
        return self._tasks[task_id]

    def item(self, task_id: str, p: Prediction) -> Item:
        by_id, by_input = self._load(task_id)
        if p.id is not None:
            if self.store is None:
                raise PredictionsError(
                    f"{p.where}: JSONL predictions name record ids; give --store to look them up"
                )
            record = by_id.get(p.id)
            if record is None:
                raise PredictionsError(
                    f"{p.where}: record {p.id!r} is not in the test split of {self.store.root}"
                )
            return _from_record(p, record)
        candidates = by_input.get(" ".join((p.input or "").split()), [])
        match = next((r for r in candidates if r["output"][0] == (p.reference or "").strip()), None)
        if match is not None:
            return _from_record(p, match)
        return Item(p, [p.reference or ""], None, LANGUAGES.get(task_id, "en"))


def _from_record(p: Prediction, record: dict) -> Item:
    return Item(
        p,
        list(record["output"]),
        json.loads(record["meta"]) if record["meta"] else None,
        record["output_language"],
    )


def score_task(task_id: str, items: list[Item]) -> TaskResult:
    bench = bench_task(task_id)
    category = category_of(task_id)
    assert bench is not None and category is not None
    result = TaskResult(task_id, _display_name(task_id), category.name, bench.metric, len(items))
    outputs = [i.prediction.output for i in items]
    primary = [i.references[0] for i in items]
    if bench.metric == OVERLAP:
        result.scores["bleu1"] = 100 * mean(
            metrics.bleu1(o, r, i.language) for o, r, i in zip(outputs, primary, items)
        )
        result.scores["rougeL"] = 100 * mean(
            metrics.rouge_l(o, r, i.language) for o, r, i in zip(outputs, primary, items)
        )
    elif bench.metric == CHOICE:
        labels = _labels(primary)
        correct = [metrics.choice_correct(o, r, i.meta, labels) for o, r, i in zip(outputs, primary, items)]
        result.scores["accuracy"] = 100 * mean(correct)
    elif bench.metric == FIRST_LINE:
        labels = _labels(primary)
        result.scores["accuracy"] = 100 * mean(
            metrics.first_line_correct(o, r, labels) for o, r in zip(outputs, primary)
        )
    elif bench.metric == SUBSTRING:
        result.scores["accuracy"] = 100 * mean(
            metrics.substring_correct(o, i.references) for o, i in zip(outputs, items)
        )
    elif bench.metric == TRUE_FALSE:
        result.scores["accuracy"] = 100 * mean(
            metrics.true_false_correct(o, r) for o, r in zip(outputs, primary)
        )
    elif bench.metric == ENTITY_F1:
        result.scores["f1"] = 100 * _micro_f1(items)
    elif bench.metric == HALLMARK_F1:
        result.scores.update({k: 100 * v for k, v in _hallmark_macro(items).items()})
    return result


def _display_name(task_id: str) -> str:
    from meds_ins._build.catalog import load_catalog

    return next((t.name for t in load_catalog().tasks() if t.id == task_id and t.name), task_id)


def _labels(references: list[str]) -> list[str]:
    labels = {r.strip().lower() for r in references}
    for family in LABEL_FAMILIES:
        if labels & family:
            labels |= family
    return sorted(labels, key=len, reverse=True)


def _micro_f1(items: list[Item]) -> float:
    tp = fp = fn = 0
    for item in items:
        if item.meta and "entities" in item.meta:
            gold = {metrics.normalize(e).strip(" .") for e in item.meta["entities"]}
        else:
            gold = metrics.entity_set(item.references[0])
        said = metrics.entity_set(item.prediction.output)
        tp += len(gold & said)
        fp += len(said - gold)
        fn += len(gold - said)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def _hallmark_macro(items: list[Item]) -> dict[str, float]:
    """Precision, recall and F1 per hallmark over all items, averaged over the hallmarks that occur."""
    per_label = []
    for hallmark in metrics.HALLMARKS:
        gold = [hallmark in metrics.hallmarks(i.references[0]) for i in items]
        said = [hallmark in metrics.hallmarks(i.prediction.output) for i in items]
        tp = sum(g and s for g, s in zip(gold, said))
        if not any(gold) and not any(said):
            continue
        precision = tp / sum(said) if any(said) else 0.0
        recall = tp / sum(gold) if any(gold) else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label.append((precision, recall, f1))
    if not per_label:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    return {
        "precision": mean(p for p, _, _ in per_label),
        "recall": mean(r for _, r, _ in per_label),
        "f1": mean(f for _, _, f in per_label),
    }


def summarize(results: list[TaskResult], store: Store | None) -> dict[str, Any]:
    """Category averages over the tasks the published averages use, with what is missing."""
    by_id = {r.task: r for r in results}
    summary = {}
    for category in CATEGORIES:
        present = [t.id for t in category.tasks if t.id in by_id]
        if not present:
            continue
        averaged = [t for t in category.averaged if t in by_id]
        scores: dict[str, float] = {}
        if averaged:
            keys = by_id[averaged[0]].scores.keys()
            scores = {k: mean(by_id[t].scores[k] for t in averaged) for k in keys}
        summary[category.name] = {
            "tasks": present,
            "average_over": averaged,
            "missing_from_average": [t for t in category.averaged if t not in by_id],
            "scores": {k: round(v, 4) for k, v in scores.items()},
        }
    return summary
