"""The store: a folder that is a Hugging Face dataset repository.

    README.md                                   dataset card; its YAML `configs:` make plain `datasets` work
    data/<task>/<split>-NNNNN-of-NNNNN.parquet  one file (or a few shards) per task and split
    meta/manifest.json                          counts, checksums, builder and schema versions
    meta/tasks.json, meta/corpora.json          task and corpus metadata (schemas/task.json, corpus.json)
    meta/paraphrases.json                       optional: paraphrased instructions per task (paraphrases.json)

Writes are transactions: everything goes into a staging folder beside the store, unchanged files of
the old store are hard-linked in, and the staging folder is swapped with the store in one atomic
rename. A build that fails or is killed leaves the previous store untouched.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from meds_ins import __version__, arrowcache, checks, schema
from meds_ins.errors import StoreError, StoreNotFoundError, ValidationFailed

MANIFEST = "meta/manifest.json"
TASKS = "meta/tasks.json"
CORPORA = "meta/corpora.json"
# Kept apart from tasks.json, which every load reads: ~19,000 paraphrases would make that 5 MB.
PARAPHRASES = "meta/paraphrases.json"

# A row group is flushed at whichever comes first; both keep memory flat for multi-GB inputs.
ROW_GROUP_ROWS = 50_000
ROW_GROUP_BYTES = 64 * 2**20
# What one corpus may hold in buffers across all its task/split writers: a corpus with many tasks (MIMIC-IV
# radiology has 19, so 38 writers) would otherwise hold up to 38 row groups at once.
CORPUS_BUFFER_BYTES = 256 * 2**20
SHARD_ROWS = 1_000_000
ID_HASH_SEED = 20240821
ID_BATCH = 2**16  # ids hashed at a time: a few MB, whatever the size of the task
# Dictionary encoding only where values repeat (per-task constants); trying it on free text costs time
# for nothing. zstd level 1 compresses text about as well as the default level, faster.
DICTIONARY_COLUMNS = [
    "task",
    "split",
    "category",
    "source",
    "instruction",
    "input_language",
    "output_language",
    "instruction_language",
]
PARQUET_OPTIONS = {
    "compression": "zstd",
    "compression_level": 1,
    "use_dictionary": DICTIONARY_COLUMNS,
    "write_statistics": True,
}


def task_number(name: str) -> int:
    return int(name[4:].split("_", 1)[0])


def task_sort_key(name: str) -> tuple[int, str]:
    return task_number(name), name


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class Store:
    root: Path
    manifest: dict[str, Any]
    tasks: dict[str, dict[str, Any]]  # task metadata by task name
    corpora: dict[str, dict[str, Any]]  # corpus metadata by corpus id

    def splits(self, task: str) -> list[str]:
        return list(self.manifest["tasks"][task]["splits"])

    def files(self, task: str, split: str) -> list[Path]:
        entry = self.manifest["tasks"][task]["splits"].get(split)
        return [self.root / f["path"] for f in entry["files"]] if entry else []

    def file_entries(self, task: str, split: str) -> list[dict[str, Any]]:
        entry = self.manifest["tasks"][task]["splits"].get(split)
        return list(entry["files"]) if entry else []

    def rows(self, task: str, split: str) -> int:
        entry = self.manifest["tasks"][task]["splits"].get(split)
        return entry["rows"] if entry else 0


def is_store(path: Path) -> bool:
    return (Path(path) / MANIFEST).is_file()


def open_store(path: Path) -> Store:
    root = Path(path)
    if not root.exists():
        raise StoreNotFoundError(f"no store at {root}")
    if not is_store(root):
        raise StoreNotFoundError(f"{root} is not a meds-ins store (it has no {MANIFEST})")
    try:
        manifest = _read_json(root / MANIFEST)
        tasks = {t["name"]: t for t in _read_json(root / TASKS)}
        corpora = {c["id"]: c for c in _read_json(root / CORPORA)}
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise StoreError(f"{root}: store metadata is unreadable ({e}); rebuild the store") from None
    return Store(root, manifest, tasks, corpora)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass
class _SplitWriter:
    """Writes one task's split as parquet shards, gathering record tables into row groups."""

    directory: Path
    split: str
    arrow_copies: bool = True  # also write each shard's Arrow copy for the loader (see arrowcache.py)
    pending: list[pa.Table] = field(default_factory=list)
    pending_rows: int = 0
    pending_bytes: int = 0
    shards: list[Path] = field(default_factory=list)
    shard_rows: list[int] = field(default_factory=list)
    copies: list[arrowcache.CopyWriter] = field(default_factory=list)
    writer: pq.ParquetWriter | None = None

    def append(self, table: pa.Table) -> None:
        self.pending.append(table)
        self.pending_rows += table.num_rows
        self.pending_bytes += table.nbytes
        if self.pending_rows >= ROW_GROUP_ROWS or self.pending_bytes >= ROW_GROUP_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self.pending_rows:
            return
        table = pa.concat_tables(self.pending)
        self.pending, self.pending_rows, self.pending_bytes = [], 0, 0
        if self.writer is None or self.shard_rows[-1] >= SHARD_ROWS:
            self._next_shard()
        assert self.writer is not None
        self.writer.write_table(table, row_group_size=table.num_rows)
        if self.arrow_copies:
            self.copies[-1].write(table)
        self.shard_rows[-1] += table.num_rows

    def _next_shard(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{self.split}-{len(self.shards):05d}.parquet.part"
        self.writer = pq.ParquetWriter(path, schema.record_arrow_schema(), **PARQUET_OPTIONS)
        self.shards.append(path)
        self.shard_rows.append(0)
        if self.arrow_copies:
            self.copies.append(arrowcache.CopyWriter())

    def close(self) -> list[tuple[Path, int, str]]:
        """Flush, close and give the shards their final names; returns (path, rows, sha256) per shard."""
        self.flush()
        if self.writer is not None:
            self.writer.close()
        final = []
        for i, (part, rows) in enumerate(zip(self.shards, self.shard_rows)):
            path = part.with_name(f"{self.split}-{i:05d}-of-{len(self.shards):05d}.parquet")
            part.rename(path)
            sha = sha256_file(path)
            if self.arrow_copies:
                self.copies[i].finish(sha)
            final.append((path, rows, sha))
        return final

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.close()
        for copy in self.copies:
            copy.discard()


def _check(table: pa.Table) -> None:
    violations = checks.check_table(table)
    if violations:
        ids = table.column("id")
        lines = []
        for v in violations:
            shown = ", ".join(str(ids[i].as_py()) for i in v.rows[:3])
            lines.append(f"  {v.code}: {v.rule} ({v.count} record(s), e.g. {shown}); fix: {v.fix}")
        raise ValidationFailed("records break schemas/record.json:\n" + "\n".join(lines))


class CorpusWriter:
    """Collects one corpus's records into its task folders inside a staging folder."""

    def __init__(self, staging: Path, arrow_copies: bool = True) -> None:
        self.staging = Path(staging)
        self.arrow_copies = arrow_copies
        self._writers: dict[tuple[str, str], _SplitWriter] = {}
        self._buffered = 0  # bytes buffered by all writers

    def add(self, table: pa.Table) -> None:
        """Check a table of records and route its rows to their task and split files."""
        _check(table)
        tasks, splits = table.column("task"), table.column("split")
        pairs = table.select(["task", "split"]).group_by(["task", "split"], use_threads=False).aggregate([])
        for task, split in zip(pairs.column("task").to_pylist(), pairs.column("split").to_pylist()):
            part = (
                table
                if pairs.num_rows == 1
                else table.filter(
                    pa.compute.and_(pa.compute.equal(tasks, task), pa.compute.equal(splits, split))
                )
            )
            writer = self._writers.get((task, split))
            if writer is None:
                writer = self._writers[task, split] = _SplitWriter(
                    self.staging / "data" / task, split, self.arrow_copies
                )
            before = writer.pending_bytes
            writer.append(part)
            self._buffered += writer.pending_bytes - before  # negative when the writer flushed itself
        if self._buffered >= CORPUS_BUFFER_BYTES:
            # Flush the fullest buffer; the choice depends only on the records, so builds stay reproducible.
            fullest = max(self._writers.values(), key=lambda w: w.pending_bytes)
            self._buffered -= fullest.pending_bytes
            fullest.flush()

    def flush(self) -> None:
        """Write what is buffered (an importer calls this between tasks to keep memory flat)."""
        for writer in self._writers.values():
            writer.flush()
        self._buffered = 0

    def close(self) -> dict[str, dict[str, Any]]:
        """Finish every file; returns the manifest `tasks` entries of what was written."""
        tasks: dict[str, dict[str, Any]] = {}
        for (task, split), writer in sorted(self._writers.items()):
            files = []
            for path, rows, sha in writer.close():
                files.append(
                    {
                        "path": path.relative_to(self.staging).as_posix(),
                        "rows": rows,
                        "bytes": path.stat().st_size,
                        "sha256": sha,
                    }
                )
            tasks.setdefault(task, {"splits": {}})["splits"][split] = {
                "rows": sum(f["rows"] for f in files),
                "files": files,
            }
            _check_unique_ids(self.staging, task, split, files)
        return tasks

    def abort(self) -> None:
        for writer in self._writers.values():
            writer.abort()


def _check_unique_ids(root: Path, task: str, split: str, files: list[dict[str, Any]]) -> None:
    repeated = repeated_ids(root / f["path"] for f in files)
    if repeated:
        shown = ", ".join(f"{i} ({n}x)" for i, n in repeated[:5])
        raise ValidationFailed(
            f"{task} {split}: {len(repeated)} record id(s) occur more than once: {shown}; "
            "each example needs a distinct key within its task"
        )


def repeated_ids(paths: Iterable[Path]) -> list[tuple[str, int]]:
    """Record ids that occur more than once in these parquet files, with their counts.

    Ids are reduced to 64-bit hashes as they are read (8 bytes per record, whatever their length);
    only ids whose hash repeats are read a second time, as text. Unreadable files are passed over.
    """
    import numpy as np
    import polars as pl

    parquets = []
    for path in paths:
        try:
            parquets.append((path, pq.ParquetFile(path)))
        except (OSError, pa.ArrowInvalid):
            continue
    # One preallocated array, sorted in place: 8 bytes per record at the peak, not three copies.
    hashes = np.empty(sum(p.metadata.num_rows for _, p in parquets), dtype=np.uint64)
    filled = 0
    readable = []
    for path, parquet in parquets:
        start = filled
        try:
            for batch in parquet.iter_batches(columns=["id"], batch_size=ID_BATCH):
                hashed = pl.from_arrow(batch.column(0)).hash(ID_HASH_SEED).to_numpy()
                hashes[filled : filled + len(hashed)] = hashed
                filled += len(hashed)
        except (OSError, pa.ArrowInvalid, KeyError):
            filled = start
            continue
        readable.append(path)
    ordered = hashes[:filled]
    ordered.sort()
    suspects = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(suspects):
        return []
    counts: dict[str, int] = {}
    for path in readable:
        for batch in pq.ParquetFile(path).iter_batches(columns=["id"], batch_size=ID_BATCH):
            ids = pl.from_arrow(batch.column(0))
            for value in ids.filter(np.isin(ids.hash(ID_HASH_SEED).to_numpy(), suspects)).to_list():
                counts[value] = counts.get(value, 0) + 1
    return sorted(((i, n) for i, n in counts.items() if n > 1), key=lambda x: (-x[1], x[0]))


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()  # reads into one reused buffer


@dataclass
class CorpusResult:
    """What building one corpus produced, ready to enter the manifest."""

    corpus: dict[str, Any]  # corpus metadata (schemas/corpus.json)
    tasks: list[dict[str, Any]]  # metadata of every task the builder declares
    written: dict[str, dict[str, Any]]  # manifest entries of the tasks that got records
    raw_files: dict[str, int]
    skipped: dict[str, int]
    miniature: bool
    # An import replaces only the tasks it brings; a build replaces every task of its corpus.
    keep_other_tasks: bool = False


class Transaction:
    """Stage a new version of the store and swap it in atomically on commit.

    Use as a context manager: an exception inside the block (or a kill) leaves the old store as it was.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root).absolute()
        if self.root.exists() and not is_store(self.root) and any(self.root.iterdir()):
            raise StoreError(f"{self.root} exists and is not a meds-ins store; choose an empty or new folder")
        self.root.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(self.root)
        self.staging = self.root.parent / f".{self.root.name}.staging-{os.getpid()}-{secrets.token_hex(4)}"
        self.staging.mkdir()

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)

    def commit(
        self, results: Iterable[CorpusResult], paraphrases: dict[str, dict[str, Any]] | None = None
    ) -> Store:
        """Merge the rebuilt corpora with the untouched part of the old store, then swap.

        `paraphrases` (task name -> {original, paraphrases}) are added to those the store has.
        """
        results = list(results)
        old = open_store(self.root) if is_store(self.root) else None
        # An import replaces the (task, split) pairs it brings; a build replaces its whole corpus.
        imports = [r for r in results if r.keep_other_tasks]
        replaced = {(n, s) for r in imports for n, e in r.written.items() for s in e["splits"]}
        imported = {t["name"]: t for r in imports for t in r.tasks if t["name"] in r.written}
        rebuilt = {r.corpus["id"] for r in results if not r.keep_other_tasks}
        kept_splits: dict[str, dict[str, Any]] = {}
        corpora: dict[str, dict[str, Any]] = {}
        entries: dict[str, dict[str, Any]] = {}
        task_meta: dict[str, dict[str, Any]] = {}
        manifest_corpora: dict[str, dict[str, Any]] = {}
        if old is not None:
            for cid, corpus in old.corpora.items():
                if cid in rebuilt:
                    continue
                corpora[cid] = corpus
                manifest_corpora[cid] = old.manifest["corpora"][cid]
            for name, entry in old.manifest["tasks"].items():
                if entry["source"] in rebuilt:
                    continue
                if name in imported:
                    # Keep the splits an import does not bring, if they are records of the same task.
                    kept = {s: part for s, part in entry["splits"].items() if (name, s) not in replaced}
                    if not kept or not _same_task(old.tasks[name], imported[name]):
                        continue
                    kept_splits[name] = kept
                else:
                    kept = entry["splits"]
                    entries[name] = entry
                    task_meta[name] = old.tasks[name]
                for part in kept.values():
                    for f in part["files"]:
                        _link(old.root / f["path"], self.staging / f["path"])
        for r in results:
            cid = r.corpus["id"]
            corpora[cid] = r.corpus
            before = manifest_corpora.get(cid) if r.keep_other_tasks else None
            raw_files, skipped = dict(r.raw_files), dict(r.skipped)
            if before:  # an import into a corpus the store has: keep the record of earlier inputs
                raw_files = before["raw_files"] | raw_files
                skipped = {
                    k: before["skipped"].get(k, 0) + skipped.get(k, 0) for k in before["skipped"] | skipped
                }
            manifest_corpora[cid] = {
                "builder_version": r.corpus["version"],
                "redistributable": r.corpus["redistributable"],
                "miniature": r.miniature or bool(before and before["miniature"]),
                "raw_files": dict(sorted(raw_files.items())),
                "skipped": dict(sorted(skipped.items())),
            }
            for meta in r.tasks:
                if meta["name"] in r.written:
                    entries[meta["name"]] = {"source": cid, **r.written[meta["name"]]}
                    task_meta[meta["name"]] = meta
        for name, kept in kept_splits.items():
            if name in entries and kept:
                merged = kept | entries[name]["splits"]
                entries[name]["splits"] = {s: merged[s] for s in ("train", "test") if s in merged}
                meta = task_meta[name] = dict(task_meta[name])
                meta["splits"] = list(entries[name]["splits"])
                if len(meta["splits"]) == 2:
                    meta["split_policy"] = "official"
        new = assemble(self.staging, manifest_corpora, entries, task_meta, corpora)
        kept_paraphrases = {**(read_paraphrases(old.root) if old else {}), **(paraphrases or {})}
        files = metadata_files(new, kept_paraphrases)
        for name, value in files.items():
            (self.staging / name).parent.mkdir(parents=True, exist_ok=True)
            (self.staging / name).write_text(value, encoding="utf-8")
        from meds_ins import card

        (self.staging / "README.md").write_text(card.render(new), encoding="utf-8")
        _swap(self.staging, self.root)
        return open_store(self.root)


# Task metadata that every record of the task repeats: splits can only be merged when they agree.
RECORD_FIELDS = (
    "category",
    "source",
    "instruction",
    "instruction_language",
    "input_languages",
    "output_languages",
)


def _same_task(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(k) == b.get(k) for k in RECORD_FIELDS)


def read_paraphrases(root: Path) -> dict[str, dict[str, Any]]:
    """The paraphrased instructions a store holds, by task name ({} when it has none)."""
    path = root / PARAPHRASES
    return _read_json(path) if path.is_file() else {}


def assemble(
    root: Path,
    manifest_corpora: dict[str, dict[str, Any]],
    entries: dict[str, dict[str, Any]],
    task_meta: dict[str, dict[str, Any]],
    corpora: dict[str, dict[str, Any]],
) -> Store:
    """A store's metadata from its parts (manifest entries and task and corpus metadata), in canonical
    order and checked against the schemas. Builds and Hub pushes both describe a store this way."""
    names = sorted(entries, key=task_sort_key)
    manifest = {
        "format_version": 1,
        "schema_version": schema.SCHEMA_VERSION,
        "package_version": __version__,
        "corpora": {cid: manifest_corpora[cid] for cid in sorted(manifest_corpora)},
        "tasks": {name: entries[name] for name in names},
        "totals": {
            "corpora": len(corpora),
            "tasks": len(names),
            "rows": sum(s["rows"] for e in entries.values() for s in e["splits"].values()),
        },
    }
    tasks_list = [task_meta[n] for n in names]
    corpora_list = [corpora[c] for c in sorted(corpora)]
    validate_meta(manifest, tasks_list, corpora_list)
    return Store(root, manifest, {t["name"]: t for t in tasks_list}, {c["id"]: c for c in corpora_list})


def metadata_files(store: Store, paraphrases: dict[str, Any] | None = None) -> dict[str, str]:
    """The text of meta/manifest.json, tasks.json and corpora.json for a store's metadata, and of
    meta/paraphrases.json when some of its tasks have paraphrases (those of other tasks are dropped)."""
    files = {
        MANIFEST: _json_text(store.manifest),
        TASKS: _json_text(list(store.tasks.values())),
        CORPORA: _json_text(list(store.corpora.values())),
    }
    kept = {name: entry for name, entry in (paraphrases or {}).items() if name in store.tasks}
    if kept:
        problems = [e.message for e in schema.validator("paraphrases").iter_errors(kept)]
        if problems:
            raise ValidationFailed(
                "paraphrases break schemas/paraphrases.json:\n  " + "\n  ".join(problems[:20])
            )
        files[PARAPHRASES] = _json_text(dict(sorted(kept.items(), key=lambda kv: task_sort_key(kv[0]))))
    return files


def validate_meta(
    manifest: dict[str, Any], tasks: list[dict[str, Any]], corpora: list[dict[str, Any]]
) -> None:
    problems = [f"manifest: {e.message}" for e in schema.validator("manifest").iter_errors(manifest)]
    problems += [
        f"task {t.get('name')}: {e.message}" for t in tasks for e in schema.validator("task").iter_errors(t)
    ]
    problems += [
        f"corpus {c.get('id')}: {e.message}"
        for c in corpora
        for e in schema.validator("corpus").iter_errors(c)
    ]
    if problems:
        raise ValidationFailed("store metadata breaks the schemas:\n  " + "\n  ".join(problems[:20]))


def _json_text(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap(staging: Path, root: Path) -> None:
    """Put `staging` in place of `root` atomically; the old version is deleted afterwards."""
    if not root.exists():
        staging.rename(root)
        return
    if _rename_exchange(staging, root):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old store
        return
    # No atomic exchange (non-Linux, some filesystems): two renames; the old stays until the new is in.
    old = root.parent / f".{root.name}.old-{secrets.token_hex(4)}"
    root.rename(old)
    try:
        staging.rename(root)
    except OSError:
        old.rename(root)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _rename_exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise StoreError(f"could not swap {a} into {b}: {os.strerror(code)}")


def _remove_stale_staging(root: Path) -> None:
    """Staging folders of builds that were killed: their process no longer exists."""
    for stale in root.parent.glob(f".{root.name}.staging-*"):
        pid = stale.name.rsplit("staging-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and not arrowcache.process_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
