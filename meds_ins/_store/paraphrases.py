"""Paraphrased instructions in a store (meta/paraphrases.json) and the draw that gives each record one.

A store keeps them per task name apart from meta/tasks.json (which every load reads); a record's
instruction is drawn among the task's instruction and its paraphrases by a hash of the record id and a
seed, so a run is reproducible and every record keeps its draw whatever else is loaded.
"""

from __future__ import annotations

import hashlib
from typing import Any

from meds_ins._store.layout import Store, read_paraphrases


def load_paraphrases(store: Store) -> dict[str, dict[str, Any]]:
    """The paraphrases a store holds, by task name ({} when it has none)."""
    return read_paraphrases(store.root)


def draw_instruction(record_id: str, instruction: str, paraphrases: list[str], seed: int = 0) -> str:
    """The instruction for one record: the task's or one of its paraphrases, chosen by a hash of the
    record id and `seed`, so the same record gets the same instruction on every run."""
    choices = [instruction, *paraphrases]
    digest = hashlib.sha256(f"{seed}\x00{record_id}".encode()).digest()
    return choices[int.from_bytes(digest[:8], "big") % len(choices)]
