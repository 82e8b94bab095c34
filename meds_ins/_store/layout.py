"""The store's layout and metadata: a folder that is a Hugging Face dataset repository.

    README.md                                   dataset card; its YAML `configs:` make plain `datasets` work
    data/<task>/<split>-NNNNN-of-NNNNN.parquet  one file (or a few shards) per task and split
    meta/manifest.json                          counts, checksums, builder and schema versions
    meta/tasks.json, meta/corpora.json          task and corpus metadata (schemas/task.json, corpus.json)
    meta/paraphrases.json                       optional: paraphrased instructions per task (paraphrases.json)

This module reads a store (`open_store`) and assembles and checks its metadata; writer.py writes the
data files and transaction.py swaps a new version in atomically.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meds_ins._common import schema
from meds_ins._common.errors import StoreError, StoreNotFoundError, ValidationFailed
from meds_ins._common.names import task_sort_key
from meds_ins._common.version import VERSION

MANIFEST = "meta/manifest.json"
TASKS = "meta/tasks.json"
CORPORA = "meta/corpora.json"
# Kept apart from tasks.json, which every load reads: ~19,000 paraphrases would make that 5 MB.
PARAPHRASES = "meta/paraphrases.json"


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


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()  # reads into one reused buffer


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
        "package_version": VERSION,
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
