"""Reading a store published on the Hub, for loads: meta/*.json first, then only the files of the
selected tasks and splits, through huggingface_hub's cache; the result reads like a local store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from meds_ins._common.errors import StoreNotFoundError
from meds_ins._hub.repo import REPO_TYPE, check_repo_id, client_info, endpoint, hub_errors
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
