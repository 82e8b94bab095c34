"""Where meds-ins keeps things on the user's machine."""

from __future__ import annotations

import os
from pathlib import Path

# `load_dataset()`, `load_dataset("meds_ins", ...)` and `load_dataset("meds-ins", ...)` mean the collection:
# the default local store, or the published collection on the Hub where that store lacks the selection.
COLLECTION_NAMES = ("meds_ins", "meds-ins")
# The Hugging Face Hub dataset repository of the published collection.
COLLECTION_REPO = "meds-ins/meds-ins"


def home() -> Path:
    """$MEDS_INS_HOME, else the user's cache directory (XDG_CACHE_HOME or ~/.cache) / meds_ins."""
    explicit = os.environ.get("MEDS_INS_HOME")
    if explicit:
        return Path(explicit).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache).expanduser() / "meds_ins"


def default_store() -> Path:
    return home() / "store"


def raw_folder() -> Path:
    """Where `meds-ins download` puts raw corpus files (one folder per corpus id) and where
    `meds-ins build` looks for them by default."""
    return home() / "raw"


def arrow_cache() -> Path:
    """Arrow copies of parquet files, named by content checksum, for memory-mapped loading."""
    return home() / "arrow"


def check_output(path: Path | str, *, folder: bool) -> Path:
    """Refuse, before any work, a place where an output file (or folder, with `folder`) cannot be written:
    a folder where a file belongs or the reverse, a device such as /dev/null, a path below a file, or a
    folder nobody may write in (/proc, read-only or not permitted). Returns the path."""
    from meds_ins._common.errors import UsageError

    path = Path(path).expanduser()
    kind = "folder" if folder else "file"
    if path.exists():
        if folder and not path.is_dir():
            raise UsageError(f"{path} is not a folder; give a folder to write into")
        if not folder and path.is_dir():
            raise UsageError(f"{path} is a folder; give the name of a file to write")
        if not folder and not path.is_file():
            raise UsageError(
                f"{path} is not a regular file (a device or pipe); give the name of a file to write"
            )
    existing = path if path.is_dir() else path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"cannot write the {kind} {path}: {existing} is a file, not a folder")
    import tempfile

    try:  # the one reliable test (permissions, read-only mounts, /proc, root's rights): try it
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as e:
        raise UsageError(
            f"cannot write the {kind} {path}: {existing} is not writable ({e.strerror})"
        ) from None
    return path
