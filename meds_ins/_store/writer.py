"""Writing a corpus's records into a staging folder: parquet shards per task and split, row group by
row group, each with its Arrow copy for the loader; record ids proven unique by 64-bit hashes."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from meds_ins._common import schema
from meds_ins._common.errors import ValidationFailed
from meds_ins._common.hashing import hash_strings
from meds_ins._records import checks
from meds_ins._store import arrowcache
from meds_ins._store.layout import sha256_file

# A row group is flushed at whichever comes first; both keep memory flat for multi-GB inputs.
ROW_GROUP_ROWS = 50_000
ROW_GROUP_BYTES = 64 * 2**20
# What one corpus may hold in buffers across all its task/split writers: a corpus with many tasks (MIMIC-IV
# radiology has 19, so 38 writers) would otherwise hold up to 38 row groups at once.
CORPUS_BUFFER_BYTES = 256 * 2**20
SHARD_ROWS = 1_000_000
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
        """Stop, and remove what was written, so that a failed corpus leaves nothing in the staging folder."""
        for writer in self._writers.values():
            writer.abort()
            shutil.rmtree(writer.directory, ignore_errors=True)


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
                hashed = hash_strings(batch.column(0))
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
            ids = batch.column(0)
            for value in ids.filter(pa.array(np.isin(hash_strings(ids), suspects))).to_pylist():
                counts[value] = counts.get(value, 0) + 1
    return sorted(((i, n) for i, n in counts.items() if n > 1), key=lambda x: (-x[1], x[0]))
