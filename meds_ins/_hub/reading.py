"""Reading a store published on the Hub, for loads: meta/*.json first, then only the files of the
selected tasks and splits, through huggingface_hub's cache; the result reads like a local store."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from meds_ins._common import paths
from meds_ins._common.errors import StoreNotFoundError, UsageError
from meds_ins._hub.repo import REPO_TYPE, check_repo_id, client_info, endpoint, hub_errors, looks_like_repo_id
from meds_ins._store.layout import MANIFEST, Store, is_store, open_store


@dataclass(frozen=True)
class RepoStore(Store):
    """A store published on the Hub: metadata in the Hugging Face cache, data files fetched on demand."""

    repo_id: str = ""
    commit: str = ""

    def fetch(self, paths: Iterable[str]) -> None:
        """Download these files of the store (at its commit) into the cache, unless they are there."""
        from huggingface_hub import snapshot_download

        wanted = [p for p in paths if not (self.root / p).is_file()]
        if not wanted:
            return
        with hub_errors(endpoint(), f"downloading {self.repo_id}", loading=True):
            snapshot_download(
                self.repo_id,
                repo_type=REPO_TYPE,
                revision=self.commit,
                allow_patterns=wanted,
                **client_info(),
            )


def open_repo(repo_id: str, revision: str | None = None) -> RepoStore:
    """The metadata of a store published as a Hub dataset repository (downloads meta/*.json only)."""
    from huggingface_hub import snapshot_download

    check_repo_id(repo_id)
    with hub_errors(endpoint(), f"loading {repo_id}", loading=True):
        folder = Path(
            snapshot_download(
                repo_id, repo_type=REPO_TYPE, revision=revision, allow_patterns=["meta/*"], **client_info()
            )
        )
    if not is_store(folder):
        raise StoreNotFoundError(
            f"the dataset repository {repo_id} is not a meds-ins store (it has no {MANIFEST}); "
            "load it with `datasets.load_dataset` instead"
        )
    held = open_store(folder)
    return RepoStore(held.root, held.manifest, held.tasks, held.corpora, repo_id=repo_id, commit=folder.name)


def resolve_store(source: str | os.PathLike[str] | Store | None, revision: str | None = None) -> Store:
    """The store a source names: the default local store (None or "meds_ins"), a store folder, a Hub
    repository id (its metadata; data files are fetched on demand), or a Store already opened."""
    if isinstance(source, Store):
        return source
    if revision is not None and not (isinstance(source, str) and looks_like_repo_id(source)):
        raise UsageError("`revision` applies to Hub repositories (source 'ORG/NAME') only")
    if source is None or str(source) == paths.COLLECTION_NAME:
        location = paths.default_store()
        if not is_store(location):
            raise StoreNotFoundError(
                f"the default store ({location}) is empty. Run `meds-ins quickstart` for a "
                "demo, or `meds-ins build CORPUS --raw DIR` to build real corpora; set "
                "MEDS_INS_HOME to keep it elsewhere."
            )
        return open_store(location)
    location = Path(source).expanduser()
    if location.exists() and revision is None:
        return open_store(location)
    if isinstance(source, str) and looks_like_repo_id(source):
        try:
            return open_repo(source, revision)
        except StoreNotFoundError as e:
            raise StoreNotFoundError(f"no store at {location}, and {e}") from None
    raise StoreNotFoundError(f"no store at {location}")


def download_store(repo_id: str, revision: str | None = None) -> Path:
    """Every file of a store published on the Hub, in the Hugging Face cache; returns its folder (for
    checks that read the whole store, such as `meds-ins validate ORG/NAME`)."""
    from huggingface_hub import snapshot_download

    repo = open_repo(repo_id, revision)  # refuses repositories that are not meds-ins stores
    with hub_errors(endpoint(), f"downloading {repo_id}", loading=True):
        folder = snapshot_download(repo_id, repo_type=REPO_TYPE, revision=repo.commit, **client_info())
    return Path(folder)
