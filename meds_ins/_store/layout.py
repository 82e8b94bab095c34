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

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meds_ins._common import paths, schema, textfiles
from meds_ins._common.errors import RawFormatError, StoreError, StoreNotFoundError, ValidationFailed
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
        return [self.path(f["path"]) for f in entry["files"]] if entry else []

    def path(self, relative: str) -> Path:
        """A file of the store by its path in the manifest; a symbolic link leaving the store is refused."""
        return inside(self.root, relative)

    def file_entries(self, task: str, split: str) -> list[dict[str, Any]]:
        entry = self.manifest["tasks"][task]["splits"].get(split)
        return list(entry["files"]) if entry else []

    def rows(self, task: str, split: str) -> int:
        entry = self.manifest["tasks"][task]["splits"].get(split)
        return entry["rows"] if entry else 0


def is_store(path: Path) -> bool:
    return (Path(path) / MANIFEST).is_file()


def open_store(path: Path) -> Store:
    """Read a store's metadata, checked against the schemas before anything uses it: a damaged store
    raises StoreError naming the file and what is wrong, never a bare library exception."""
    root = Path(path)
    if not root.exists():
        raise StoreNotFoundError(f"no store at {root}")
    if not root.is_dir():
        raise StoreNotFoundError(f"{root} is not a store folder (it is a file)")
    if not is_store(root):
        raise StoreNotFoundError(f"{root} is not a meds-ins store (it has no {MANIFEST})")
    manifest = _read_meta(root, MANIFEST, "manifest")
    tasks = _read_meta(root, TASKS, "task", listed=True)
    corpora = _read_meta(root, CORPORA, "corpus", listed=True)
    store = Store(root, manifest, {t["name"]: t for t in tasks}, {c["id"]: c for c in corpora})
    _check_consistent(store)
    return store


class StoreMetadataError(StoreError):
    """Store metadata that breaks its schema; `problems` lists each (schema, location in the store,
    message), e.g. ("task", "meta/tasks.json, task124_x at /category", "'Vibes' is not one of ...")."""

    def __init__(self, root: Path, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        _, location, message = problems[0]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(f"{root}/{location}: {_short(message)}{more}; the store is damaged: rebuild it")


def _read_meta(root: Path, name: str, schema_name: str, listed: bool = False) -> Any:
    """A metadata file, parsed and checked against its schema (`listed`: each item of a list)."""
    path = inside(root, name)
    try:
        data = path.read_bytes()
        value = textfiles.parse_json(data.decode("utf-8-sig"), path)
    except OSError as e:
        raise StoreError(f"{textfiles.unreadable(path, e)}; the store is damaged: rebuild it") from None
    except UnicodeDecodeError:
        raise StoreError(f"{textfiles.not_utf8(path)}; the store is damaged: rebuild it") from None
    except RawFormatError as e:
        raise StoreError(f"{e}; the store is damaged: rebuild it") from None
    mark = checked_mark(schema_name, data)
    if mark.exists():
        return value
    if listed and not isinstance(value, list):
        raise StoreMetadataError(
            root, [(schema_name, name, f"expected a JSON list of {schema_name} objects")]
        )
    check = schema.validator(schema_name)
    problems = []
    for item in value if listed else [value]:
        label = item.get("name") or item.get("id") if listed and isinstance(item, dict) else None
        for error in check.iter_errors(item):
            at = "/".join(map(str, error.absolute_path))
            where = name + (f", {label}" if label else "") + (f" at /{at}" if at else "")
            problems.append((schema_name, where, error.message))
    if problems:
        raise StoreMetadataError(root, problems)
    with contextlib.suppress(OSError):  # a read-only home: checked again next time
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.touch()
    return value


def checked_mark(schema_name: str, data: bytes) -> Path:
    """The mark left for metadata content that passed its schema, so that a load checks a store's
    metadata once (the check takes a quarter of a second for a store of 122 tasks), not on every load."""
    digest = hashlib.sha256(data).hexdigest()
    return paths.home() / "checked" / f"{schema_name}-{schema.SCHEMA_VERSION}-{digest}"


def _short(message: str) -> str:
    return message if len(message) <= 200 else message[:200] + "..."


def _check_consistent(store: Store) -> None:
    """Every task and corpus the manifest lists is described, and each data file lies in its task's
    folder (names were checked by the schema, so none can climb out of the store)."""
    for name, entry in store.manifest["tasks"].items():
        if name not in store.tasks or entry["source"] not in store.corpora:
            missing = TASKS if name not in store.tasks else CORPORA
            raise StoreError(
                f"{store.root / missing}: {name} is in the manifest but not here; rebuild the store"
            )
        for split, part in entry["splits"].items():
            for f in part["files"]:
                if not f["path"].startswith(f"data/{name}/{split}-"):
                    raise StoreError(
                        f"{store.root / MANIFEST}: {f['path']} is not a file of {name} ({split}); "
                        "the store is damaged: rebuild it"
                    )


def inside(root: Path, relative: str) -> Path:
    """The store's file `relative` (a path in the manifest), refused when a symbolic link on its way
    leads out of the store `root`. Checked where files are read, with one lstat per part of the path,
    so a load pays only for the files of its tasks. A store in the Hugging Face cache
    (…/snapshots/<commit>) may link into its repository's blobs folder."""
    current = str(root)
    for part in relative.split("/"):
        current = os.path.join(current, part)
        if os.path.islink(current):
            real, base = os.path.realpath(os.path.join(root, relative)), os.path.realpath(root)
            blobs = (
                os.path.realpath(root.parent.parent / "blobs") if root.parent.name == "snapshots" else base
            )
            if os.path.commonpath([real, base]) != base and os.path.commonpath([real, blobs]) != blobs:
                raise StoreError(f"{current} is a symbolic link to {real}, outside the store {root}; refused")
            break
    return root / relative


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()  # reads into one reused buffer


def read_paraphrases(root: Path) -> dict[str, dict[str, Any]]:
    """The paraphrased instructions a store holds, by task name ({} when it has none)."""
    path = root / PARAPHRASES
    if not path.is_file():
        return {}
    return _read_meta(root, PARAPHRASES, "paraphrases")


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
