"""Scoring prediction files per task and per MedS-Bench category.

Each prediction becomes an item: its task, the model output, and its test record's references,
metadata (answer options, entity lists) and language, found as matching.py says; CSV rows and JSON
Lines predictions of the same answers therefore score the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

from meds_ins._bench import metrics
from meds_ins._bench.matching import Item, resolve
from meds_ins._bench.predictions import PredictionsError, read_predictions
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
from meds_ins._common import extras
from meds_ins._store.layout import Store
from meds_ins.builder._layouts import entity_key, read_entity_list

# Label words that belong together, so a task whose references are all one label still knows the others.
LABEL_FAMILIES = (
    {"yes", "no", "maybe"},
    {"true", "false", "mixture", "unproven"},
    {"entailment", "contradiction", "neutral"},
    {"да", "нет"},
    {"sí", "no"},
)


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
    paths: Sequence[Path],
    store: Store | None,
    *,
    model: str,
    allow_empty: bool = False,
    unmatched: str = "error",
) -> dict[str, Any]:
    """Score prediction files (CSV or JSON Lines) against the test records of `store`.

    Returns the results layout that `bench leaderboard` reads: `model`, `files`, `tasks` (per task id:
    name, category, metric, n, scores), `categories` (averages over the published tasks, with what is
    missing) and `matching` (how rows found their records; rows scored from their GT alone). A CSV
    row that matches no record raises PredictionsError naming it, unless `unmatched="gt"`.
    """
    extras.require("bench-scoring", "Scoring MedS-Bench predictions (`meds-ins bench score`)")
    predictions = [p for path in paths for p in read_predictions(path)]
    if not predictions:
        raise PredictionsError(f"no predictions in {', '.join(map(str, paths))}")
    items, matching = resolve(predictions, store, allow_empty=allow_empty, unmatched=unmatched)
    results = [
        score_task(task, task_items) for task, task_items in sorted(items.items(), key=lambda kv: _num(kv[0]))
    ]
    return {
        "model": model,
        "files": [str(p) for p in paths],
        "tasks": {r.task: r.to_dict() for r in results},
        "categories": summarize(results, store),
        "matching": matching.to_dict(),
    }


def _num(task_id: str) -> int:
    return int(task_id[4:])


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
            metrics.substring_correct(o, i.references, _entities(i)) for o, i in zip(outputs, items)
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
    from meds_ins._building.catalog import load_catalog

    return next((t.name for t in load_catalog().tasks() if t.id == task_id and t.name), task_id)


def _labels(references: list[str]) -> list[str]:
    labels = {r.strip().lower() for r in references}
    for family in LABEL_FAMILIES:
        if labels & family:
            labels |= family
    return sorted(labels, key=len, reverse=True)


def _entities(item: Item) -> list[str] | None:
    """The reference entities of an entity-list item (from its record's meta), else None."""
    return item.meta["entities"] if item.meta and "entities" in item.meta else None


def _micro_f1(items: list[Item]) -> float:
    tp = fp = fn = 0
    for item in items:
        reference = _entities(item)
        if reference is None:
            reference = read_entity_list(item.references[0])
        gold = {entity_key(e) for e in reference}
        said = {entity_key(e) for e in read_entity_list(item.prediction.output, known=gold)}
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
