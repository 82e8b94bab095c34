"""Released task files in a Hub dataset repository: which are there, and fetching the ones asked for.

The original collection is published as `Henrychur/MedS-Ins`: one file per task at the top of the
repository, named as the task (`task124_pubmedqa_train_set.json`), with larger files through Git LFS;
its benchmark half, `Henrychur/MedS-Bench`, keeps the same kind of files in one folder per category
(`MCQA/task122_medmcqa_test_set.json`, some named `.jsonl`). Any file named `task<N>_<name>.json` or
`.jsonl`, at any depth, is taken for a task file; other files (the card, .gitattributes) are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from meds_ins._common.errors import UsageError
from meds_ins._common.names import unknown
from meds_ins._hub.repo import REPO_TYPE, check_repo_id, client_info, endpoint, hub_errors

TASK_FILE = re.compile(r"task[1-9][0-9]*_[^/]+\.jsonl?")


@dataclass(frozen=True)
class HubTaskFiles:
    repo_id: str
    revision: str  # the commit the files were read at
    files: list[str]  # their paths in the repository
    paths: list[Path]  # their local copies, in the Hugging Face cache


def fetch_task_files(
    repo_id: str, tasks: Sequence[str] | None = None, revision: str | None = None
) -> HubTaskFiles:
    """Download the task files of a Hub dataset repository (those of `tasks`, ids or names, when given),
    at one commit of `revision` (default: main), into the Hugging Face cache."""
    from huggingface_hub import HfApi, snapshot_download

    check_repo_id(repo_id)
    action = f"reading {repo_id}"
    with hub_errors(endpoint(), action, loading=True):
        info = HfApi(**client_info()).dataset_info(repo_id, revision=revision)
    available = sorted(
        s.rfilename for s in info.siblings or () if TASK_FILE.fullmatch(PurePosixPath(s.rfilename).name)
    )
    if not available:
        raise UsageError(f"{repo_id} holds no task files (task<N>_<name>.json or .jsonl)")
    files = select(available, tasks, repo_id) if tasks else available
    with hub_errors(endpoint(), f"downloading task files of {repo_id}", loading=True):
        folder = snapshot_download(
            repo_id, repo_type=REPO_TYPE, revision=info.sha, allow_patterns=files, **client_info()
        )
    return HubTaskFiles(repo_id, info.sha, files, [Path(folder) / f for f in files])


def select(available: list[str], tasks: Sequence[str], repo_id: str) -> list[str]:
    """The files of the tasks asked for: `task71` is any file task71_*; a name or file name matches itself."""
    stems = {f: PurePosixPath(f).name.rsplit(".", 1)[0] for f in available}
    chosen = []
    for wanted in tasks:
        hits = [
            f
            for f, stem in stems.items()
            if wanted in (stem, PurePosixPath(f).name, f) or stem.startswith(f"{wanted}_")
        ]
        if not hits:
            ids = {stem.split("_", 1)[0] for stem in stems.values()}
            raise unknown(f"task in {repo_id}", wanted, set(stems.values()) | ids)
        chosen += [f for f in hits if f not in chosen]
    return chosen
