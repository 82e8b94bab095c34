"""`meds_ins.load_dataset`: select tasks from a store and return memory-mapped `datasets` objects.

Only the files of the selected tasks are read. Each parquet file is converted once into an Arrow file
in the cache (named by the file's checksum) and memory-mapped from there on, so a warm load costs
milliseconds and almost no memory, however large the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from meds_ins._common import paths, schema
from meds_ins._common.errors import HubError, StoreError, StoreNotFoundError, UnknownNameError, UsageError
from meds_ins._common.languages import language_code
from meds_ins._common.names import task_sort_key, unknown
from meds_ins._hub.reading import RepoStore, open_repo, resolve_store
from meds_ins._loading.request import (
    SPLITS,
    Names,
    SplitRequest,
    TaskNames,
    check_options,
    names,
    refuse_unsupported,
    requested_tasks,
    split_requests,
)
from meds_ins._store import arrowcache
from meds_ins._store.layout import Store, is_store, open_store

if TYPE_CHECKING:
    import datasets

STREAM_BATCH = 10_000  # records decoded at a time when streaming: the first record comes 2-3x sooner


def load_dataset(
    path: str | os.PathLike[str] | Store | None = None,
    name: str | int | None = None,
    *,
    task: TaskNames = None,
    category: Names = None,
    language: Names = None,
    split: str | datasets.ReadInstruction | Sequence[str | datasets.ReadInstruction] | None = None,
    streaming: bool = False,
    revision: str | None = None,
    token: str | bool | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    num_proc: int | None = None,
    keep_in_memory: bool = False,
    paraphrase_seed: int | None = None,
    decode_meta: bool = False,
    **unsupported: Any,
) -> Any:
    """Load tasks of MedS-Ins as Hugging Face `datasets` objects, as `datasets.load_dataset` would.

    Args:
        path: the collection when None, "meds_ins" or "meds-ins": the default local store (in
            $MEDS_INS_HOME) when it holds the selection, else the published collection on the Hub
            (``meds-ins/meds-ins``). Else the path of a store folder, or the id of a Hub dataset
            repository holding a published store ("ORG/NAME"; a local folder of that name wins), from
            which only the files of the selected tasks and splits are downloaded.
        name: the configuration, as in the store's card: one task (as for `task`), or "default" for
            every task.
        task: task name(s) (``task124_pubmedqa_train_set``), id(s) (``task124``) or number(s) (124).
        category: task category name(s), e.g. "Question Answering".
        language: ISO 639-1 code(s) or English language name(s); a record matches when its input or
            output is in one of them.
        split: "train" (MedS-Ins) or "test" (MedS-Bench), or a split instruction as in `datasets`:
            slices ("train[:100]", "test[10:20]", "train[:10%]", "train[-5:]") and concatenations
            ("train+test"), applied to the selected records; a list of them gives a list of datasets.
            Without it a DatasetDict with both splits.
        streaming: return an IterableDataset(Dict) that reads the parquet files lazily.
        revision: for a Hub repository, a branch, tag, commit or pull request ("refs/pr/1").
        token: the Hub token (default: HF_TOKEN or `hf auth login`), for private repositories.
        cache_dir: a folder for what the load caches: the Arrow copies (cache_dir/arrow, instead of
            $MEDS_INS_HOME/arrow) and files downloaded from the Hub (cache_dir/hub, instead of the
            Hugging Face cache).
        num_proc: parallel conversions of parquet files to Arrow copies and parallel Hub downloads
            (default: one conversion per core, 8 downloads).
        keep_in_memory: read the records into memory instead of memory-mapping them.
        paraphrase_seed: draw each record's instruction among its task's instruction and paraphrases
            (meta/paraphrases.json, from `meds-ins import --paraphrases`), by a hash of the record id
            and this seed; None keeps the task's instruction. Map-style results are then held in memory.
        decode_meta: return `meta` as a typed struct column instead of JSON text (see `decode_meta`).

    Filters combine: a record must satisfy all of them. Unknown names raise UnknownNameError with the
    closest valid names; arguments of `datasets.load_dataset` that mean nothing here raise UsageError
    saying what to do instead.
    """
    refuse_unsupported(unsupported)
    check_options(
        streaming=streaming,
        keep_in_memory=keep_in_memory,
        decode_meta=decode_meta,
        num_proc=num_proc,
        paraphrase_seed=paraphrase_seed,
    )
    tasks = requested_tasks(task, name)
    wanted = {"task": tasks, "category": names("category", category), "language": names("language", language)}
    requests, as_list = split_requests(split)
    splits = list(SPLITS) if requests is None else [s for s in SPLITS if any(s in r.splits for r in requests)]
    caches = Path(cache_dir).expanduser() if cache_dir is not None else None
    hub = {"cache_dir": caches and caches / "hub", "token": token, "max_workers": num_proc}
    store, selection = _open(path, revision, hub, wanted)
    if isinstance(store, RepoStore):
        store.fetch(e["path"] for t in selection.tasks for s in splits for e in store.file_entries(t, s))
    if streaming:
        parts = {s: _streamed_split(store, selection, s) for s in splits}
        lengths = _streamed_lengths(store, selection, splits, requests)
    else:
        folder = caches / "arrow" if caches else None
        parts = {s: _split_dataset(store, selection, s, folder, num_proc, keep_in_memory) for s in splits}
        lengths = {s: ds.num_rows for s, ds in parts.items()}
    result = _assemble(parts, requests, as_list, lengths, streaming)
    if decode_meta:
        from meds_ins._loading import meta

        result = meta.decode_loaded(result, _meta_files(store, selection, splits) if streaming else None)
    if paraphrase_seed is not None:
        result = _each(result, lambda ds: _paraphrased(ds, store, paraphrase_seed))
    return result


# ---------------------------------------------------------------------------------------------
# Which store: a folder, a Hub repository, or the collection (local store, else the Hub)


def _open(
    path: str | os.PathLike[str] | Store | None,
    revision: str | None,
    hub: dict[str, Any],
    wanted: dict[str, Any],
) -> tuple[Store, Selection]:
    if path is None or (isinstance(path, str) and path in paths.COLLECTION_NAMES):
        return _open_collection(revision, hub, wanted)
    store = resolve_store(path, revision, **hub)
    return store, select(store, **wanted)


def _open_collection(
    revision: str | None, hub: dict[str, Any], wanted: dict[str, Any]
) -> tuple[Store, Selection]:
    """The default local store when it holds the selection, else the published collection on the Hub."""
    for check, value in ((_categories, wanted["category"]), (_languages, wanted["language"])):
        if value is not None:
            check(value)  # a misspelt name is refused here, without asking the Hub
    local = paths.default_store()
    if revision is not None:
        reason = f"revision {revision!r} is asked for"
    elif is_store(local):
        store = open_store(local)
        try:
            return store, select(store, **wanted)
        except UsageError as e:
            reason = f"the local store ({local}) does not hold this selection ({e})"
    else:
        reason = f"the local store ({local}) is empty"
    try:
        repo = open_repo(paths.COLLECTION_REPO, revision, **hub)
    except (HubError, StoreNotFoundError) as e:
        raise type(e)(
            f"{reason}, and reading the published collection failed: {e}. Build the tasks into the "
            "local store instead (`meds-ins quickstart` for a demo, `meds-ins build CORPUS --raw DIR` "
            "for real corpora)."
        ) from None
    try:
        return repo, select(repo, **wanted)
    except UsageError as e:
        lacks = f"the published collection {paths.COLLECTION_REPO} lacks it too"
        raise type(e)(f"{e} ({reason}; {lacks})") from None


# ---------------------------------------------------------------------------------------------
# Splits and split instructions


def _assemble(
    parts: dict[str, Any],
    requests: list[SplitRequest] | None,
    as_list: bool,
    lengths: dict[str, int],
    streaming: bool,
) -> Any:
    import datasets

    if requests is None:
        return datasets.IterableDatasetDict(parts) if streaming else datasets.DatasetDict(parts)
    results = [_instructed(parts, request, lengths, streaming) for request in requests]
    return results if as_list else results[0]


def _instructed(
    parts: dict[str, Any], request: SplitRequest, lengths: dict[str, int], streaming: bool
) -> Any:
    """The records a split instruction names, concatenated in its order (named by the instruction)."""
    import datasets

    if request.whole:
        return parts[request.splits[0]]
    pieces = []
    ranges = request.ranges(lengths)
    if all(start >= stop for _, start, stop in ranges):  # as datasets does
        counts = ", ".join(f"{n} in {s}" for s, n in lengths.items())
        raise UsageError(f"split {request.label!r} selects no records (the selection has {counts})")
    for split, start, stop in ranges:
        whole = parts[split]
        if (start, stop) == (0, lengths[split]):
            pieces.append(whole)
        elif streaming:
            pieces.append(whole.skip(start).take(stop - start))
        else:
            pieces.append(whole.select(range(start, stop)))
    if streaming:
        return pieces[0] if len(pieces) == 1 else datasets.concatenate_datasets(pieces)
    return datasets.concatenate_datasets(pieces, split=datasets.Split(request.label))


def _streamed_lengths(
    store: Store, selection: Selection, splits: list[str], requests: list[SplitRequest] | None
) -> dict[str, int]:
    """The rows of each streamed split, from the manifest; slicing needs them."""
    sliced = [r.label for r in requests or () if r.sliced]
    if sliced and selection.row_filtered:
        raise UsageError(
            f"split {sliced[0]!r}: slicing a streamed selection needs its number of records, which a "
            "filter on the language of mixed-language tasks only knows after reading them all; load "
            "without streaming=True, or slice the stream with .skip(n) and .take(n)"
        )
    return {s: sum(store.rows(name, s) for name in selection.tasks) for s in splits}


def _each(result: Any, change: Callable[[Any], Any]) -> Any:
    """Apply a change to a loaded result, or to each of a list of them."""
    return [change(r) for r in result] if isinstance(result, list) else change(result)


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
                raise UnknownNameError(_unknown_task_message(store, t, names, by_id))
        chosen &= wanted
    if category is not None:
        wanted_categories = _categories(category)
        chosen = {n for n in chosen if store.tasks[n]["category"] in wanted_categories}
    languages = None
    filtered: set[str] = set()
    if language is not None:
        languages = _languages(language)
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


def _categories(category: Names) -> set[str]:
    """Category names as the schema spells them (any case); unknown ones fail with the closest."""
    allowed = {c.lower(): c for c in schema.enum("category")}
    for c in _as_list(category):
        if c.lower() not in allowed:
            raise unknown("category", c, set(allowed.values()))
    return {allowed[c.lower()] for c in _as_list(category)}


def _languages(language: Names) -> frozenset[str]:
    return frozenset(language_code(lang) for lang in _as_list(language))


def _unknown_task_message(store: Store, name: str, names: list[str], by_id: dict[str, str]) -> str:
    """A task of the collection that the store lacks is explained (how to get it); any other name
    gets the closest names of the store."""
    from meds_ins._building.catalog import load_catalog  # read only to explain a task the store lacks
    from meds_ins._common.names import closest

    absent = load_catalog().absent_task(name, published=isinstance(store, RepoStore))
    if absent is not None:
        return f"{absent}. (`meds-ins info --store STORE` lists the tasks it has)"
    hints = closest(name, set(names) | set(by_id))
    hint = f" Did you mean: {', '.join(hints)}?" if hints else ""
    return f"unknown task {name!r} in this store.{hint} (`meds-ins info --store STORE` lists its tasks)"


def _nothing_selected(store: Store, task: Names, category: Names, language: Names) -> str:
    asked = ", ".join(
        f"{k}={v[0] if isinstance(v, list) and len(v) == 1 else v!r}"
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


def _split_dataset(
    store: Store,
    selection: Selection,
    split: str,
    folder: Path | None = None,
    workers: int | None = None,
    in_memory: bool = False,
) -> datasets.Dataset:
    """The selected records of one split, from the Arrow copies in `folder` (default: the cache in
    $MEDS_INS_HOME), converting missing copies `workers` at a time; read into memory if `in_memory`."""
    import datasets

    parts = []
    files = {name: store.file_entries(name, split) for name in selection.tasks}
    copies = [(store.path(e["path"]), e["sha256"]) for es in files.values() for e in es]
    arrowcache.ensure_all(copies, folder, workers)
    for name in selection.tasks:
        entries = files[name]
        if not entries:
            continue
        tables = [_mapped(store.path(e["path"]), e["sha256"], split, folder, in_memory) for e in entries]
        ds = tables[0] if len(tables) == 1 else datasets.concatenate_datasets(tables)
        if name in selection.row_filtered:
            ds = _filter_languages(ds, selection.languages)
        parts.append(ds)
    if not parts:
        return _empty(split)
    return parts[0] if len(parts) == 1 else datasets.concatenate_datasets(parts, split=datasets.Split(split))


def _empty(split: str) -> datasets.Dataset:
    import datasets

    columns = {c: [] for c in schema.record_columns()}
    return datasets.Dataset.from_dict(columns, features=schema.record_features(), split=datasets.Split(split))


def _mapped(
    parquet: Path, sha256: str, split: str, folder: Path | None = None, in_memory: bool = False
) -> datasets.Dataset:
    import datasets

    arrow = arrowcache.path_for(sha256, folder)
    if not arrow.exists():
        if not parquet.is_file():
            raise StoreError(f"{parquet} is listed in the manifest but missing; rebuild the store")
        arrow = arrowcache.ensure(parquet, sha256, folder)
    from datasets.table import InMemoryTable, MemoryMappedTable

    info = datasets.DatasetInfo(features=schema.record_features(), description="MedS-Ins records")
    table = (InMemoryTable if in_memory else MemoryMappedTable).from_file(str(arrow))
    # Fingerprinted by content: `datasets` would otherwise hash its own state (a third of a warm
    # load), and its caches of `map` results now survive a move of the store.
    return datasets.Dataset(
        table,
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


def _streamed_split(store: Store, selection: Selection, split: str) -> datasets.IterableDataset:
    import datasets

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
    return ds


def _meta_files(store: Store, selection: Selection, splits: list[str]) -> list[Path]:
    """The parquet files of a streamed selection, whose `meta` column gives the type to decode it to."""
    return [p for name in selection.tasks for s in splits for p in store.files(name, s)]


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
