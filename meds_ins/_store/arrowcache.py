"""Arrow copies of a store's parquet files, which the loader memory-maps.

A copy is named by its parquet file's sha256, so it is shared by every store that holds the same file and
can never be stale. Builds write the copy while they write the parquet file (the records are in memory
then anyway), so a store loads without any conversion; a file whose copy is missing (a store from the
Hub, a cleared cache) is converted row group by row group on first use.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from meds_ins._common import paths, schema
from meds_ins._common.errors import StoreError


def path_for(sha256: str, folder: Path | None = None) -> Path:
    """The copy of the parquet file with this checksum, in `folder` (default: $MEDS_INS_HOME/arrow)."""
    return (folder or paths.arrow_cache()) / f"{sha256}.arrow"


@cache
def _arrow_schema() -> pa.Schema:
    """The schema `datasets` gives the record features (nullable fields, with its metadata)."""
    return schema.record_features().arrow_schema


class CopyWriter:
    """Writes one parquet file's Arrow copy alongside it; `finish` names it by the parquet's checksum."""

    def __init__(self) -> None:
        folder = paths.arrow_cache()
        folder.mkdir(parents=True, exist_ok=True)
        self.temporary = folder / f".build-{os.getpid()}-{secrets.token_hex(6)}.arrow"
        self._sink = pa.OSFile(str(self.temporary), "wb")
        self._writer = pa.ipc.new_stream(self._sink, _arrow_schema())

    def write(self, table: pa.Table) -> None:
        self._writer.write_table(table.cast(_arrow_schema()))

    def finish(self, sha256: str) -> None:
        self._close()
        os.replace(self.temporary, path_for(sha256))

    def discard(self) -> None:
        self._close()
        self.temporary.unlink(missing_ok=True)

    def _close(self) -> None:
        if not self._sink.closed:
            self._writer.close()
            self._sink.close()


def ensure(parquet: Path, sha256: str, folder: Path | None = None) -> Path:
    """The Arrow copy of a parquet file, converted now when the cache lacks it."""
    ensure_all([(parquet, sha256)], folder)
    return path_for(sha256, folder)


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def ensure_all(files: list[tuple[Path, str]], folder: Path | None = None, workers: int | None = None) -> None:
    """Convert the files (parquet path, sha256) whose copy is missing, into `folder` (default: the cache
    in $MEDS_INS_HOME), with `workers` threads (default: one per core). A damaged file, or one that does
    not hold meds-ins records, is a StoreError naming it.

    Row groups are decoded in parallel, one per core, and each thread writes the group it decoded as
    soon as the groups before it are written. Converting file by file left cores idle when a selection
    has fewer files than cores (one 1M-row file: median 3.4 s instead of 4.3 s on two shared cores); a thread
    that writes what it decoded also frees it (freed by another thread, it stayed in the allocator's
    per-thread heap: +200 MB).
    """
    missing = [(p, sha) for p, sha in files if p.is_file() and not path_for(sha, folder).exists()]
    if not missing:
        return
    copies = [_Copy(parquet, sha256, folder) for parquet, sha256 in missing]
    turn = _Turns()
    groups = [(copy, group) for copy in copies for group in range(copy.groups)]
    try:
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            # In order: a task starts only once every earlier one has, so waiting for its turn cannot
            # deadlock, and each thread holds at most the one row group it decoded.
            done = [
                pool.submit(_convert_group, copy, group, number, turn)
                for number, (copy, group) in enumerate(groups)
            ]
            for future in done:
                future.result()
        for copy in copies:
            copy.finish()
    finally:
        for copy in copies:
            copy.discard()


class _Turns:
    """Lets row groups be written one after the other in their order, by whichever thread decoded them."""

    def __init__(self) -> None:
        self.next = 0
        self.failed = False
        self.condition = threading.Condition()

    def wait(self, number: int) -> None:
        with self.condition:
            self.condition.wait_for(lambda: self.next == number or self.failed)
            if self.failed:
                raise RuntimeError("an earlier row group failed to convert")

    def done(self, failed: bool = False) -> None:
        with self.condition:
            self.next += 1
            self.failed |= failed
            self.condition.notify_all()


def _convert_group(copy: _Copy, group: int, number: int, turn: _Turns) -> None:
    try:
        table = copy.read(group)
    except BaseException:
        turn.wait(number)
        turn.done(failed=True)
        raise
    turn.wait(number)
    try:
        copy.write(table)
    except BaseException:
        turn.done(failed=True)
        raise
    turn.done()


class _Copy:
    """One parquet file's Arrow copy being written: a temporary file renamed by `finish`."""

    def __init__(self, parquet: Path, sha256: str, folder: Path | None) -> None:
        self.parquet = parquet
        with self._reading():
            self.metadata = pq.read_metadata(parquet)
        self.groups = self.metadata.num_row_groups
        self.target = path_for(sha256, folder)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.temporary = self.target.with_name(f".{self.target.name}.{os.getpid()}-{secrets.token_hex(4)}")
        self._sink: pa.NativeFile | None = None
        self._writer: pa.ipc.RecordBatchStreamWriter | None = None
        self._descriptor = -1

    def read(self, group: int) -> pa.Table:
        # A reader per row group (readers are not shared between threads) over the footer parsed once;
        # no column threads of its own: the row groups keep the cores busy.
        with self._reading():
            reader = pq.ParquetFile(self.parquet, metadata=self.metadata)
            return reader.read_row_group(group, use_threads=False).cast(_arrow_schema())

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        try:
            yield
        except (pa.ArrowException, OSError, ValueError, KeyError) as e:  # damaged, or not our records
            problem = _first_line(e)
            raise StoreError(
                f"{self.parquet}: not a parquet file of meds-ins records ({problem}); rebuild the store"
            ) from None

    def write(self, table: pa.Table) -> None:
        if self._writer is None:
            self._open()
        assert self._sink is not None and self._writer is not None
        _reserve(self._descriptor, self._sink.tell(), table.nbytes + RESERVE_SLACK)
        self._writer.write_table(table)

    def _open(self) -> None:
        self._sink = pa.OSFile(str(self.temporary), "wb")
        self._descriptor = os.open(self.temporary, os.O_WRONLY)
        self._writer = pa.ipc.new_stream(self._sink, _arrow_schema())

    def finish(self) -> None:
        if self._writer is None:
            self._open()  # a file without row groups: a copy with the schema only
        assert self._sink is not None and self._writer is not None
        self._writer.close()
        os.ftruncate(self._descriptor, self._sink.tell())  # give back what was reserved but not written
        self._close()
        os.replace(self.temporary, self.target)

    def discard(self) -> None:
        self._close()
        self.temporary.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._sink is not None and not self._sink.closed:
            self._sink.close()
        if self._descriptor >= 0:
            os.close(self._descriptor)
            self._descriptor = -1


RESERVE_SLACK = 2**16  # beyond a table's buffers: the batch's metadata and padding


def _reserve(descriptor: int, offset: int, length: int) -> None:
    """Allocate disk space for the next write: on the ext4 of the development machine, 1 GB was
    written in 0.3-0.4 CPU-s into reserved space against 0.4-1.8 s appended (block by block); a file
    system without the call just appends."""
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no such call (macOS)
        os.posix_fallocate(descriptor, offset, length)


def remove_stale(folder: Path | None = None) -> None:
    """Copies a killed build was writing (their process is gone)."""
    folder = folder or paths.arrow_cache()
    for stale in folder.glob(".build-*.arrow") if folder.is_dir() else ():
        pid = stale.name.split("-")[1]
        if pid.isdigit() and not process_alive(int(pid)):
            stale.unlink(missing_ok=True)


@dataclass(frozen=True)
class CacheSummary:
    """The Arrow copies in a cache folder: how many and their size in bytes (or what `clear` removed)."""

    folder: str
    files: int
    bytes: int


def info(folder: Path | None = None) -> CacheSummary:
    """How many Arrow copies the cache holds and their size (`meds-ins cache info`)."""
    folder = folder or paths.arrow_cache()
    copies = _copies(folder)
    return CacheSummary(str(folder), len(copies), sum(p.stat().st_size for p in copies))


def clear(folder: Path | None = None) -> CacheSummary:
    """Delete the Arrow copies and the leftovers of killed builds; returns what was removed. Copies are
    made again on the next load (or build). A build running now keeps its temporary files."""
    folder = folder or paths.arrow_cache()
    remove_stale(folder)
    removed = _copies(folder)
    size = 0
    for path in removed:
        size += path.stat().st_size
        path.unlink(missing_ok=True)
    return CacheSummary(str(folder), len(removed), size)


def _copies(folder: Path) -> list[Path]:
    """The finished copies (temporary files start with a dot)."""
    return sorted(p for p in folder.glob("*.arrow") if not p.name.startswith(".")) if folder.is_dir() else []


def process_alive(pid: int) -> bool:
    """Whether a process exists (the owner of a temporary file or staging folder)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
