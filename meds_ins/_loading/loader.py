"""`meds_ins.load_dataset`: select tasks from a store and return memory-mapped `datasets` objects.

Only the files of the selected tasks are read. Each parquet file is converted once into an Arrow file
in the cache (named by the file's checksum) and memory-mapped from there on, so a warm load costs
milliseconds and almost no memory, however large the store.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from meds_ins._common import schema
from meds_ins._common.errors import StoreError, UnknownNameError, UsageError
from meds_ins._common.languages import language_code
from meds_ins._common.names import task_sort_key, unknown
from meds_ins._hub.reading import RepoStore, resolve_store
from meds_ins._store import arrowcache
from meds_ins._store.layout import Store

if TYPE_CHECKING:
    import datasets

Names = str | Sequence[str] | None
SPLITS = ("train", "test")
STREAM_BATCH = 10_000  # records decoded at a time when streaming: the first record comes 2-3x sooner


def load_dataset(
    source: str | os.PathLike[str] | None = None,
    *,
    task: Names = None,
    category: Names = None,
    language: Names = None,
    split: str | None = None,
    streaming: bool = False,
    revision: str | None = None,
    paraphrase_seed: int | None = None,
) -> datasets.DatasetDict | datasets.Dataset | datasets.IterableDatasetDict | datasets.IterableDataset:
    """Load tasks of MedS-Ins as Hugging Face `datasets` objects.

    Args:
        source: the default local store when None or "meds_ins"; else the path of a store, or the id
            of a Hub dataset repository holding a published store ("ORG/NAME"), from which only the
            files of the selected tasks and splits are downloaded (into the Hugging Face cache).
        task: task name(s) (``task124_pubmedqa_train_set``) or id(s) (``task124``).
        category: task category name(s), e.g. "Question Answering".
        language: ISO 639-1 code(s) or English language name(s); a record matches when its input or
            output is in one of them.
        split: "train" (MedS-Ins) or "test" (MedS-Bench). Without it a DatasetDict with both.
        streaming: return an IterableDataset(Dict) that reads the parquet files lazily.
        revision: for a Hub repository, a branch, tag, commit or pull request ("refs/pr/1").
        paraphrase_seed: draw each record's instruction among its task's instruction and paraphrases
            (meta/paraphrases.json, from `meds-ins import --paraphrases`), by a hash of the record id
            and this seed; None keeps the task's instruction. Map-style results are then held in memory.

    Filters combine: a record must satisfy all of them. Unknown names raise UnknownNameError with the
    closest valid names.
    """
    if split is not None and split not in SPLITS:
        raise unknown("split", str(split), set(SPLITS))
    store = resolve_store(source, revision)
    selection = select(store, task=task, category=category, language=language)
    splits = [split] if split else list(SPLITS)
    if isinstance(store, RepoStore):
        store.fetch(
            e["path"] for name in selection.tasks for s in splits for e in store.file_entries(name, s)
        )
    if streaming:
        streamed = _streaming(store, selection, splits, split is not None)
        return _paraphrased(streamed, store, paraphrase_seed) if paraphrase_seed is not None else streamed
    import datasets

    loaded = {s: _split_dataset(store, selection, s) for s in splits}
    result = loaded[split] if split else datasets.DatasetDict(loaded)
    return _paraphrased(result, store, paraphrase_seed) if paraphrase_seed is not None else result


def _paraphrased(ds: Any, store: Store, seed: int) -> Any:
    """Records with their instruction drawn among the task's instruction and its paraphrases."""
    from meds_ins._store.paraphrases import draw_instruction, load_paraphrases

    choices = {name: entry["paraphrases"] for name, entry in load_paraphrases(store).items()}

    def draw(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        rows = zip(batch["id"], batch["task"], batch["instruction"])
        drawn = [draw_instruction(i, text, choices[t], seed) if t in choices else text for i, t, text in rows]
        return {"instruction": drawn}

    import datasets

    if isinstance(ds, (datasets.IterableDataset, datasets.IterableDatasetDict)):
        return ds.map(draw, batched=True)
    return ds.map(draw, batched=True, keep_in_memory=True, desc="drawing paraphrased instructions")


@dataclass(frozen=True)
class Selection:
    tasks: list[str]  # task names, in task order
    languages: frozenset[str] | None  # row filter for tasks that mix languages; None: no filter
    row_filtered: frozenset[str]  # tasks whose records need the language filter


def select(store: Store, *, task: Names = None, category: Names = None, language: Names = None) -> Selection:
    names = list(store.tasks)
    chosen = set(names)
    if task is not None:
        by_id = {store.tasks[n]["id"]: n for n in names}
        wanted = set()
        for t in _as_list(task):
            if t in store.tasks:
                wanted.add(t)
            elif t in by_id:
                wanted.add(by_id[t])
            else:
                raise UnknownNameError(_unknown_task_message(t, names, by_id))
        chosen &= wanted
    if category is not None:
        allowed = {c.lower(): c for c in schema.enum("category")}
        wanted_categories = set()
        for c in _as_list(category):
            if c.lower() not in allowed:
                raise unknown("category", c, set(allowed.values()))
            wanted_categories.add(allowed[c.lower()])
        chosen = {n for n in chosen if store.tasks[n]["category"] in wanted_categories}
    languages = None
    filtered: set[str] = set()
    if language is not None:
        languages = frozenset(language_code(lang) for lang in _as_list(language))
        kept = set()
        for n in chosen:
            meta = store.tasks[n]
            inputs, outputs = set(meta["input_languages"]), set(meta["output_languages"])
            if not (inputs | outputs) & languages:
                continue
            kept.add(n)
            if not (inputs <= languages or outputs <= languages):
                filtered.add(n)
        chosen = kept
    if not chosen:
        raise UsageError(_nothing_selected(store, task, category, language))
    return Selection(sorted(chosen, key=task_sort_key), languages, frozenset(filtered))


def _unknown_task_message(name: str, names: list[str], by_id: dict[str, str]) -> str:
    from meds_ins._common.names import closest

    hints = closest(name, set(names) | set(by_id))
    hint = f" Did you mean: {', '.join(hints)}?" if hints else ""
    return f"unknown task {name!r} in this store.{hint} (`meds-ins info --store STORE` lists its tasks)"


def _nothing_selected(store: Store, task: Names, category: Names, language: Names) -> str:
    asked = ", ".join(
        f"{k}={v!r}"
        for k, v in (("task", task), ("category", category), ("language", language))
        if v is not None
    )
    cats = sorted({t["category"] for t in store.tasks.values()})
    langs = sorted({x for t in store.tasks.values() for x in t["input_languages"] + t["output_languages"]})
    return (
        f"no task in {store.root} matches {asked}. The store has categories: {', '.join(cats)}; "
        f"languages: {', '.join(langs)}"
    )


def _as_list(value: Names) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


# ---------------------------------------------------------------------------------------------
# Map-style datasets


def _split_dataset(store: Store, selection: Selection, split: str) -> datasets.Dataset:
    import datasets

    parts = []
    files = {name: store.file_entries(name, split) for name in selection.tasks}
    arrowcache.ensure_all([(store.path(e["path"]), e["sha256"]) for es in files.values() for e in es])
    for name in selection.tasks:
        entries = files[name]
        if not entries:
            continue
        tables = [_mapped(store.path(e["path"]), e["sha256"], split) for e in entries]
        ds = tables[0] if len(tables) == 1 else datasets.concatenate_datasets(tables)
        if name in selection.row_filtered:
            ds = _filter_languages(ds, selection.languages)
        parts.append(ds)
    if not parts:
        return datasets.Dataset.from_dict(
            {c: [] for c in schema.record_columns()},
            features=schema.record_features(),
            split=datasets.Split(split),
        )
    return parts[0] if len(parts) == 1 else datasets.concatenate_datasets(parts, split=datasets.Split(split))


def _mapped(parquet: Path, sha256: str, split: str) -> datasets.Dataset:
    import datasets

    arrow = arrowcache.path_for(sha256)
    if not arrow.exists():
        if not parquet.is_file():
            raise StoreError(f"{parquet} is listed in the manifest but missing; rebuild the store")
        arrow = arrowcache.ensure(parquet, sha256)
    from datasets.table import MemoryMappedTable

    info = datasets.DatasetInfo(features=schema.record_features(), description="MedS-Ins records")
    # Fingerprinted by content: `datasets` would otherwise hash its own state (a third of a warm
    # load), and its caches of `map` results now survive a move of the store.
    return datasets.Dataset(
        MemoryMappedTable.from_file(str(arrow)),
        info=info,
        split=datasets.Split(split),
        fingerprint=f"meds-ins-{sha256[:40]}",
    )


def _filter_languages(ds: datasets.Dataset, languages: frozenset[str] | None) -> datasets.Dataset:
    assert languages is not None
    table = ds.data.table
    wanted = pa.array(sorted(languages))
    mask = pc.or_(
        pc.is_in(table.column("input_language"), value_set=wanted),
        pc.is_in(table.column("output_language"), value_set=wanted),
    )
    return ds.select(pc.indices_nonzero(mask).to_pylist())


# ---------------------------------------------------------------------------------------------
# Streaming


def _streaming(store: Store, selection: Selection, splits: list[str], single: bool) -> Any:
    import datasets

    result = {}
    for split in splits:
        files = [str(p) for name in selection.tasks for p in store.files(name, split)]
        if files:
            # The parquet files carry the record schema; passing features would add a cast per batch.
            # datasets decodes a whole row group (up to 64 MB) per step unless given a batch size.
            ds = datasets.load_dataset(
                "parquet", data_files={split: files}, split=split, streaming=True, batch_size=STREAM_BATCH
            )
        else:
            ds = datasets.IterableDataset.from_generator(_no_rows, features=schema.record_features())
        if selection.row_filtered:
            ds = ds.filter(_row_filter(selection))
        result[split] = ds
    return result[splits[0]] if single else datasets.IterableDatasetDict(result)


def _no_rows():
    yield from ()


def _row_filter(selection: Selection):
    tasks, languages = selection.row_filtered, selection.languages or frozenset()

    def keep(row: dict[str, Any]) -> bool:
        return (
            row["task"] not in tasks
            or row["input_language"] in languages
            or row["output_language"] in languages
        )

    return keep
