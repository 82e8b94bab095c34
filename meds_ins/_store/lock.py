"""One writer at a time per store: builds, imports, pushes and card rewrites hold the store's lock.

The lock is a file beside the store (`.<store name>.lock`, locked with `filelock`, which the kernel
releases when its process ends, so a killed process never leaves the store locked). A build or import
holds it only while it merges its result with the store as it is at that moment and swaps the new
version in; the long work before (reading raw files, writing parquet into the staging folder) runs
unlocked, so two builds into one store run side by side and both results end up in it. A push holds
it while it reads and uploads the store's files, so no build swaps them away meanwhile. Whoever finds
the lock taken waits, saying so once, up to $MEDS_INS_LOCK_TIMEOUT seconds (default: no limit), then
refuses with a StoreError.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from meds_ins._common.errors import StoreError


def lock_path(root: Path) -> Path:
    root = Path(root).absolute()
    return root.parent / f".{root.name}.lock"


@contextmanager
def store_lock(root: Path, doing: str, *, required: bool = True) -> Iterator[None]:
    """Hold the lock of the store `root` for `doing` (e.g. "building pubmedqa"). A store whose folder
    cannot hold a lock file (read-only) needs none when the holder only reads (`required=False`)."""
    path = lock_path(root)
    lock = FileLock(path)
    try:
        _acquire(lock, root, doing)
    except OSError as e:
        if required:
            raise StoreError(f"cannot lock the store {root} for {doing}: {path}: {e.strerror}") from None
        yield
        return
    try:
        yield
    finally:
        lock.release()


def _acquire(lock: FileLock, root: Path, doing: str) -> None:
    try:
        lock.acquire(timeout=0)
        return
    except Timeout:
        pass
    limit = float(os.environ.get("MEDS_INS_LOCK_TIMEOUT") or -1)
    at_most = f" (at most {limit:g} s)" if limit >= 0 else ""
    # On stderr, like progress bars: a process that blocks says why, whether run from the CLI or Python.
    print(
        f"note: another process is writing or publishing the store {root} (it holds {lock.lock_file}); "
        f"{doing} waits for it{at_most}.",
        file=sys.stderr,
        flush=True,
    )
    try:
        lock.acquire(timeout=limit)
    except Timeout:
        raise StoreError(
            f"the store {root} is busy: another meds-ins process (a build, import or push) held "
            f"{lock.lock_file} for more than {limit:g} s; try again when it has finished"
        ) from None
