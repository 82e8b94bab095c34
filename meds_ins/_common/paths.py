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
