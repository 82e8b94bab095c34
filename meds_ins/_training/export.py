"""Training exports: chat-format JSON Lines or parquet, for any selection, with per-task caps and mixing.

Mixing follows the usual temperature rule: task i contributes in proportion to min(n_i, cap)^(1/T).
T = 1 keeps the capped sizes; larger T flattens the mixture towards equal shares, repeating small tasks
when they need more records than they have. Everything is drawn from `seed`, so the same call gives the
same file.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meds_ins._common import paths
from meds_ins._common.errors import UsageError
from meds_ins._training.prompts import ShotPool, make_prompt

if TYPE_CHECKING:
    import datasets

    from meds_ins._store.layout import Store


@dataclass(frozen=True)
class Share:
    task: str
    available: int
    selected: int


def plan_mixture(
    sizes: Mapping[str, int], *, cap: int | None = None, temperature: float = 1.0, total: int | None = None
) -> dict[str, int]:
    """How many records each task contributes (largest-remainder rounding, so the counts add up)."""
    if not 0 < temperature < math.inf:  # also refuses nan, for which every comparison is false
        raise UsageError(f"the sampling temperature must be a positive finite number, not {temperature}")
    if cap is not None and cap < 1:
        raise UsageError("the per-task cap must be at least 1")
    capped = {t: min(n, cap) if cap else n for t, n in sizes.items() if n > 0}
    if not capped:
        return {}
    weights = {t: c ** (1 / temperature) for t, c in capped.items()}
    goal = total if total is not None else sum(capped.values())
    exact = {t: goal * w / sum(weights.values()) for t, w in weights.items()}
    counts = {t: int(x) for t, x in exact.items()}
    for t in sorted(exact, key=lambda t: (counts[t] - exact[t], t))[: goal - sum(counts.values())]:
        counts[t] += 1
    return counts


def _rng(seed: int, *parts: str):
    import numpy as np

    digest = hashlib.sha256("\x00".join([str(seed), *parts]).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _indices(n: int, k: int, seed: int, task: str) -> list[int]:
    """k indices of n records without repeats while possible, repeating whole shuffles beyond n."""
    rng = _rng(seed, "mixture", task)
    picked: list[int] = []
    while len(picked) < k:
        picked.extend(rng.permutation(n)[: k - len(picked)].tolist())
    return picked


def mixture(
    ds: datasets.Dataset,
    *,
    cap: int | None = None,
    temperature: float = 1.0,
    total: int | None = None,
    seed: int = 0,
) -> tuple[datasets.Dataset, list[Share]]:
    """A mixture of a dataset's tasks, shuffled, and how much each task contributed."""
    import datasets

    by_task = _rows_by_task(ds)
    counts = plan_mixture(
        {t: len(rows) for t, rows in by_task.items()}, cap=cap, temperature=temperature, total=total
    )
    chosen: list[int] = []
    for t, k in counts.items():
        rows = by_task[t]
        chosen.extend(rows[i] for i in _indices(len(rows), k, seed, t))
    order = _rng(seed, "order").permutation(len(chosen)).tolist()
    mixed = ds.select([chosen[i] for i in order]) if chosen else ds.select([])
    shares = [Share(t, len(by_task[t]), counts.get(t, 0)) for t in by_task]
    assert isinstance(mixed, datasets.Dataset)
    return mixed, shares


def _rows_by_task(ds: datasets.Dataset) -> dict[str, list[int]]:
    """Row numbers of each task, computed on the Arrow column (no Python object per row)."""
    import numpy as np
    import pyarrow.compute as pc

    column = ds.select_columns(["task"]).with_format("arrow")[:]["task"]
    encoded = pc.dictionary_encode(column).combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(encoded.dictionary) + 1))
    names = encoded.dictionary.to_pylist()
    from meds_ins._common.names import task_sort_key

    ordered = sorted(range(len(names)), key=lambda j: task_sort_key(names[j]))
    return {names[j]: order[bounds[j] : bounds[j + 1]].tolist() for j in ordered}


def to_messages(
    ds: datasets.Dataset,
    *,
    pools: Mapping[str, datasets.Dataset] | None = None,
    shots: int = 0,
    paraphrases: Mapping[str, Sequence[str]] | None = None,
    seed: int = 0,
) -> datasets.Dataset:
    """Add a chat `messages` column (system, user, assistant), the layout TRL's SFT trainer reads.

    `pools` maps task names to the datasets examples are drawn from (their train splits);
    `paraphrases` maps task names to paraphrased instructions, drawn per record from `seed`.
    """
    cached = {name: ShotPool(pool) for name, pool in (pools or {}).items()}

    def convert(record: dict[str, Any]) -> dict[str, Any]:
        prompt = make_prompt(
            record,
            paraphrases=(paraphrases or {}).get(record["task"], ()),
            pool=cached.get(record["task"]),
            shots=shots,
            seed=seed,
        )
        return {"messages": prompt.messages(with_answer=True)}

    return ds.map(convert, desc="formatting prompts", load_from_cache_file=False)


def export(
    store: str | Path | Store | None,
    out: Path,
    *,
    fmt: str = "jsonl",
    task: Any = None,
    category: Any = None,
    language: Any = None,
    split: str = "train",
    cap: int | None = None,
    temperature: float = 1.0,
    total: int | None = None,
    shots: int = 0,
    paraphrase: bool = False,
    seed: int = 0,
) -> list[Share]:
    """Write a training file of the selected tasks of `store` (a folder, the default local store when
    None, a Hub repository id, or an opened Store); returns each task's contribution."""
    from meds_ins._hub.reading import resolve_store
    from meds_ins._loading.loader import load_dataset
    from meds_ins._store.layout import read_paraphrases

    paths.check_output(out, folder=False)
    store = resolve_store(store)
    if fmt not in ("jsonl", "parquet"):
        raise UsageError(f"unknown format {fmt!r}: choose jsonl or parquet")
    ds = load_dataset(store, task=task, category=category, language=language, split=split)
    if ds.num_rows == 0:
        raise UsageError(f"the selection has no {split} records")
    mixed, shares = mixture(ds, cap=cap, temperature=temperature, total=total, seed=seed)
    pools = {}
    if shots:
        pools = {s.task: load_dataset(store, task=s.task, split="train") for s in shares if s.selected}
    rewrites = {n: e["paraphrases"] for n, e in read_paraphrases(store.root).items()} if paraphrase else {}
    chat = to_messages(mixed, pools=pools, shots=shots, paraphrases=rewrites, seed=seed)
    chat = chat.select_columns(["id", "task", "messages"])
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        chat.to_json(str(out), lines=True, force_ascii=False)
    else:
        chat.to_parquet(str(out))
    return shares
