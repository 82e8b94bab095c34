"""Store transactions: a new version of the store is staged beside it and swapped in atomically.

Everything goes into a staging folder beside the store, unchanged files of the old store are
hard-linked in, and the staging folder is swapped with the store in one atomic rename. A build that
fails or is killed leaves the previous store untouched; the next write removes its staging folder.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meds_ins._common import paths
from meds_ins._common.errors import StoreError, StoreNotFoundError
from meds_ins._store import arrowcache, card
from meds_ins._store.layout import Store, assemble, is_store, metadata_files, open_store, read_paraphrases
from meds_ins._store.lock import store_lock


@dataclass
class CorpusResult:
    """What building one corpus produced, ready to enter the manifest."""

    corpus: dict[str, Any]  # corpus metadata (schemas/corpus.json)
    tasks: list[dict[str, Any]]  # metadata of every task the builder declares
    written: dict[str, dict[str, Any]]  # manifest entries of the tasks that got records
    raw_files: dict[str, int]
    skipped: dict[str, int]
    miniature: bool
    normalized: dict[str, int] = field(default_factory=dict)  # text fields repaired, by repair
    # An import replaces only the tasks it brings; a build replaces every task of its corpus.
    keep_other_tasks: bool = False


def _add_counts(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {k: a.get(k, 0) + b.get(k, 0) for k in a | b}


class Transaction:
    """Stage a new version of the store and swap it in atomically on commit.

    Use as a context manager: an exception inside the block (or a kill) leaves the old store as it was.
    """

    def __init__(self, root: Path) -> None:
        self.root = paths.check_output(Path(root).absolute(), folder=True)
        if self.root.exists() and not is_store(self.root) and any(self.root.iterdir()):
            raise StoreNotFoundError(
                f"{self.root} exists and is not a meds-ins store; choose an empty or new folder"
            )
        self.root.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(self.root)
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
        # Merged with the store as it is now, under its lock: a build that finished meanwhile is kept.
        with store_lock(self.root, "this build or import"):
            return self._merge_and_swap(results, paraphrases)

    def _merge_and_swap(
        self, results: list[CorpusResult], paraphrases: dict[str, dict[str, Any]] | None
    ) -> Store:
        old = open_store(self.root) if is_store(self.root) else None
        # An import replaces the (task, split) pairs it brings; a build replaces its whole corpus.
        imports = [r for r in results if r.keep_other_tasks]
        replaced = {(n, s) for r in imports for n, e in r.written.items() for s in e["splits"]}
        imported = {t["name"]: t for r in imports for t in r.tasks if t["name"] in r.written}
        rebuilt = {r.corpus["id"] for r in results if not r.keep_other_tasks}
        declared = {t["name"] for r in results if not r.keep_other_tasks for t in r.tasks}
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
                # A rebuild replaces its corpus's tasks, but not tasks imported into it that it cannot build.
                if entry["source"] in rebuilt and (name in declared or "imported" not in entry):
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
            raw_files, skipped, normalized = dict(r.raw_files), dict(r.skipped), dict(r.normalized)
            if before:  # an import into a corpus the store has: keep the record of earlier inputs
                raw_files = before["raw_files"] | raw_files
                skipped = _add_counts(before["skipped"], skipped)
                normalized = _add_counts(before.get("normalized", {}), normalized)
            manifest_corpora[cid] = {
                "builder_version": r.corpus["version"],
                "redistributable": r.corpus["redistributable"],
                "miniature": r.miniature or bool(before and before["miniature"]),
                "raw_files": dict(sorted(raw_files.items())),
                "skipped": dict(sorted(skipped.items())),
                "normalized": dict(sorted(normalized.items())),
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


def staging_folders(root: Path) -> list[tuple[Path, bool]]:
    """The staging folders beside a store, each with whether its build or import is still running (a
    folder whose process is gone was left by a killed one; the next build or import removes it)."""
    root = Path(root).absolute()
    found = []
    for folder in sorted(root.parent.glob(f".{root.name}.staging-*")):
        pid = folder.name.rsplit("staging-", 1)[1].split("-", 1)[0]
        if pid.isdigit():
            found.append((folder, arrowcache.process_alive(int(pid))))
    return found


def remove_stale_staging(root: Path) -> None:
    """Staging folders of builds that were killed: their process no longer exists."""
    for folder, running in staging_folders(root):
        if not running:
            shutil.rmtree(folder, ignore_errors=True)
