"""Reading a store published on the Hub, for loads: meta/*.json first, then only the files of the
selected tasks and splits, through huggingface_hub's cache; the result reads like a local store."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meds_ins._common import paths
from meds_ins._common.errors import StoreNotFoundError, UsageError
from meds_ins._hub.repo import REPO_TYPE, check_repo_id, client_info, endpoint, hub_errors, looks_like_repo_id
from meds_ins._store.layout import MANIFEST, Store, is_store, open_store


@dataclass(frozen=True)
class RepoStore(Store):
    """A store published on the Hub: metadata in the Hugging Face cache, data files fetched on demand."""

    repo_id: str = ""
    commit: str = ""
    # How to download (cache_dir, token, max_workers); never shown, the token is a secret.
    download: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

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
                **self.download,
                **client_info(),
            )


def open_repo(
    repo_id: str,
    revision: str | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    token: str | bool | None = None,
    max_workers: int | None = None,
) -> RepoStore:
    """The metadata of a store published as a Hub dataset repository (downloads meta/*.json only).

    `cache_dir` replaces the Hugging Face cache, `token` the token of the environment, `max_workers`
    the number of parallel downloads; the store's `fetch` uses them too."""
    from huggingface_hub import snapshot_download

    check_repo_id(repo_id)
    given = {"cache_dir": cache_dir and str(cache_dir), "token": token, "max_workers": max_workers}
    download = {k: v for k, v in given.items() if v is not None}
    with hub_errors(endpoint(), f"loading {repo_id}", loading=True):
        folder = Path(
            snapshot_download(
                repo_id,
                repo_type=REPO_TYPE,
                revision=revision,
                allow_patterns=["meta/*"],
                **download,
                **client_info(),
            )
        )
    if not is_store(folder):
        raise StoreNotFoundError(
            f"the dataset repository {repo_id} is not a meds-ins store (it has no {MANIFEST}); "
            "load it with `datasets.load_dataset` instead"
        )
    held = open_store(folder)
    return RepoStore(
        held.root,
        held.manifest,
        held.tasks,
        held.corpora,
        repo_id=repo_id,
        commit=folder.name,
        download=download,
    )


def resolve_store(
    source: str | os.PathLike[str] | Store | None, revision: str | None = None, **download: Any
) -> Store:
    """The store a source names: the default local store (None, "meds_ins" or "meds-ins"), a store
    folder, a Hub repository id (its metadata; data files are fetched on demand, with `download`: the
    options of `open_repo`), or a Store already opened."""
    if isinstance(source, Store):
        return source
    if revision is not None and not (isinstance(source, str) and looks_like_repo_id(source)):
        raise UsageError("`revision` applies to Hub repositories ('ORG/NAME') only")
    if source is None or str(source) in paths.COLLECTION_NAMES:
        location = paths.default_store()
        if not is_store(location):
            raise StoreNotFoundError(
                f"the default store ({location}) is empty. Run `meds-ins quickstart` for a demo, or "
                "`meds-ins download CORPUS` and `meds-ins build CORPUS` to build real corpora (set "
                "MEDS_INS_HOME to keep the store elsewhere); the published collection is read with the Hub "
                f"id {paths.COLLECTION_REPO}"
            )
        return open_store(location)
    location = Path(source).expanduser()
    if location.exists() and revision is None:
        return open_store(location)
    if isinstance(source, str) and looks_like_repo_id(source):
        try:
            return open_repo(source, revision, **download)
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
