"""Finding the test record each prediction answers, so that every file format is scored alike.

A JSON Lines prediction names its record id. A CSV row is matched, in this order:
1. by record id, when the file has an `id` column and the row fills it;
2. by its `input` as the record's input;
3. by its `input` as the prompt `meds-ins bench prompts` wrote for the record (the whole prompt, or the
   user turn `Input: ... Output:`): the instance is the text after one of its `Input:` lines, up to the
   final `Output:`, whatever the instruction and examples before it;
inputs compared after Unicode NFKC normalization, case folding and with whitespace collapsed. Where
several records of the task have that input, the row's GT (one of a record's references) tells them
apart. A matched row is scored exactly as the JSON Lines prediction of its record: the record's
references, answer options, entity lists and language.

A row that matches no record is an error naming the row; with `unmatched="gt"` it is scored from its
own GT column alone (without options or entity lists), and counted in the results.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from meds_ins._bench.predictions import Prediction, PredictionsError
from meds_ins._bench.tasks import CATEGORIES, bench_task
from meds_ins._common.names import closest
from meds_ins._store.layout import Store

UNMATCHED = ("error", "gt")  # what to do with a CSV row that matches no record
# Languages of the rationale tasks, for rows scored without their record.
LANGUAGES = {"task51": "zh", "task52": "en", "task53": "fr", "task54": "ja", "task55": "ru", "task56": "es"}
_INPUT_LINE = re.compile(r"(?m)^Input:")
_OUTPUT_END = "Output:"


@dataclass
class Item:
    prediction: Prediction
    references: list[str]
    meta: dict[str, Any] | None = None
    language: str = "en"


@dataclass
class Matching:
    """How the predictions found their records: counts per way, and the rows scored without one."""

    by: Counter = field(default_factory=Counter)  # "record id", "input", "prompt", "GT only"
    unmatched: list[str] = field(default_factory=list)  # where each row scored from its GT alone is

    def to_dict(self) -> dict[str, Any]:
        return {"matched_by": dict(sorted(self.by.items())), "unmatched_rows": self.unmatched}


def match_key(text: str) -> str:
    """The form in which inputs are compared: NFKC, case folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def instance_of_prompt(text: str) -> list[str]:
    """The texts that may be the instance of a prompt ending in `Output:`, last `Input:` block first."""
    body = text.rstrip()
    if not body.endswith(_OUTPUT_END):
        return []
    body = body[: -len(_OUTPUT_END)]
    return [body[m.end() :] for m in reversed(list(_INPUT_LINE.finditer(body)))]


def resolve(
    predictions: Iterable[Prediction], store: Store | None, *, allow_empty: bool, unmatched: str = "error"
) -> tuple[dict[str, list[Item]], Matching]:
    """Items grouped by task id, each with its record's references; bad or unmatched rows raise naming
    the row (with `unmatched="gt"`, unmatched CSV rows are scored from their GT and listed)."""
    if unmatched not in UNMATCHED:
        raise PredictionsError(f"unmatched must be one of {', '.join(UNMATCHED)}, not {unmatched!r}")
    names = _task_names(store)
    records = _RecordIndex(store)
    items: dict[str, list[Item]] = defaultdict(list)
    matching = Matching()
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
        candidates, how = records.find(task_id, p)
        if not candidates and (unmatched == "error" or not p.is_csv):  # JSON Lines rows have no GT
            raise PredictionsError(f"{p.where}: {how}")
        if candidates:
            # records alike in input and reference are taken in turn, so each row gets its own
            record = next((r for r in candidates if (task_id, r["id"]) not in seen), candidates[0])
            key: tuple[str, ...] = (task_id, record["id"])
            item = _from_record(p, record)
        else:
            key = (task_id, match_key(p.input or ""), p.reference or "")
            item = Item(p, [p.reference or ""], None, LANGUAGES.get(task_id, "en"))
            how = "GT only"
            matching.unmatched.append(p.where)
        if key in seen:
            what = "record" if candidates else "task, input and GT"
            raise PredictionsError(f"{p.where}: duplicate of {seen[key].where} (same {what})")
        seen[key] = p
        matching.by[how] += 1
        items[task_id].append(item)
    return items, matching


def _task_names(store: Store | None) -> dict[str, str]:
    """Full task names (and ids) -> task id, from the store and the catalog."""
    from meds_ins._building.catalog import load_catalog

    names = {t.name: t.id for t in load_catalog().tasks() if t.name}
    if store is not None:
        names |= {name: meta["id"] for name, meta in store.tasks.items()}
    return names | {v: v for v in set(names.values())}


def _from_record(p: Prediction, record: dict) -> Item:
    return Item(
        p,
        list(record["output"]),
        json.loads(record["meta"]) if record["meta"] else None,
        record["output_language"],
    )


class _RecordIndex:
    """The store's test records of the tasks asked for, by id and by input, loaded once per task."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._tasks: dict[str, tuple[dict[str, dict], dict[str, list[dict]]]] = {}

    def _load(self, task_id: str) -> tuple[dict[str, dict], dict[str, list[dict]]]:
        if task_id not in self._tasks:
            by_id: dict[str, dict] = {}
            by_input: dict[str, list[dict]] = defaultdict(list)
            name = self._name(task_id)
            if name and "test" in self.store.splits(name):
                from meds_ins._loading.loader import load_dataset

                for record in load_dataset(self.store, task=name, split="test"):
                    by_id[record["id"]] = record
                    by_input[match_key(record["input"])].append(record)
            self._tasks[task_id] = (by_id, by_input)
        return self._tasks[task_id]

    def _name(self, task_id: str) -> str | None:
        tasks = self.store.tasks.items() if self.store is not None else []
        return next((n for n, m in tasks if m["id"] == task_id), None)

    def find(self, task_id: str, p: Prediction) -> tuple[list[dict], str]:
        """(records the prediction may answer, how they were found), or ([], why none was found)."""
        if self.store is None:
            if p.is_csv:
                return [], (
                    "no store to find the row's test record in (its answer options, entity lists); "
                    "give --store, or --unmatched gt to score rows from their GT column alone"
                )
            return [], "JSONL predictions name record ids; give --store to look them up"
        by_id, by_input = self._load(task_id)
        if not by_id:
            return [], (
                f"{self.store.root} holds no test records of {task_id}; give the store that does"
                + (", or --unmatched gt to score rows from their GT column alone" if p.is_csv else "")
            )
        if p.id is not None:
            record = by_id.get(p.id)
            if record is None:
                return [], f"record {p.id!r} is not in the test split of {task_id} in {self.store.root}"
            return [record], "record id"
        text = p.input or ""
        for how, candidates in (("input", [text]), ("prompt", instance_of_prompt(text))):
            for candidate in candidates:
                found = by_input.get(match_key(candidate))
                if found and not _by_reference(found, p.reference):
                    return [], (
                        f"its input is that of {len(found)} test records of {task_id} with different "
                        "references, and its GT is none of them; add an id column with record ids"
                    )
                if found:
                    return _by_reference(found, p.reference), how
        return [], (
            f"its input matches no test record of {task_id} in {self.store.root}, neither as the "
            "record's input nor as the prompt `bench prompts` wrote; add an id column with record ids, "
            "or pass --unmatched gt to score such rows from their GT column alone"
        )


def _by_reference(found: list[dict], reference: str | None) -> list[dict]:
    """The records of one input that the row's GT points to: all of them when their references are alike,
    else those whose references hold the GT."""
    if len({tuple(r["output"]) for r in found}) == 1:
        return found
    gt = match_key(reference or "")
    return [r for r in found if gt in {match_key(o) for o in r["output"]}]
