"""Sending a planned push: commits, pull requests, merges, and clean-up when a commit fails midway.

A push fits in one commit when it can; a larger one is split into commits of at most MAX_COMMIT_FILES
files and MAX_COMMIT_BYTES bytes (the Hub recommends under 100 files per commit). Several commits always
go through a pull request, merged after its last commit unless the push was asked to stay a pull
request, so `main` changes at once. A push that fails midway closes its pull request with a comment
saying why. The token comes from huggingface_hub's usual sources (HF_TOKEN, `hf auth login`) and is
never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meds_ins._common.errors import HubError, StoreNotFoundError, UsageError
from meds_ins._common.version import VERSION
from meds_ins._hub.repo import REPO_TYPE, check_repo_id, client_info, explain, hub_errors
from meds_ins._publish.plan import (
    MAX_COMMIT_BYTES,
    MAX_COMMIT_FILES,
    MIN_COMMIT_FILES,
    Batch,
    Plan,
    plan_push,
    read_remote,
    verify_files,
)
from meds_ins._store.layout import Store, open_store
from meds_ins._store.lock import store_lock

if TYPE_CHECKING:
    from huggingface_hub import HfApi


@dataclass
class PushResult:
    plan: Plan
    dry_run: bool
    created: bool = False
    commit_urls: list[str] = field(default_factory=list)
    pr_url: str | None = None
    merged: bool = False

    def to_dict(self) -> dict[str, Any]:
        return self.plan.to_dict() | {
            "dry_run": self.dry_run,
            "created": self.created,
            "commit_urls": self.commit_urls,
            "pr_url": self.pr_url,
            "merged": self.merged,
        }


def push(
    store_path: Path,
    repo_id: str,
    *,
    create_pr: bool = False,
    private: bool = False,
    dry_run: bool = False,
    corpora: Sequence[str] | None = None,
    include_demo: bool = False,
    max_files: int = MAX_COMMIT_FILES,
    max_bytes: int = MAX_COMMIT_BYTES,
    progress: bool = True,
    echo: Callable[[str], None] = print,
) -> PushResult:
    """Publish the publishable part of a store to the dataset repository `repo_id` (see the module doc)."""
    check_repo_id(repo_id)
    if max_files < MIN_COMMIT_FILES:
        raise UsageError(f"a commit must hold at least {MIN_COMMIT_FILES} files (the card and meta/*.json)")
    open_store(store_path)  # a store that is not there needs no lock (and gets no lock file)
    # Under the store's lock: no build or import swaps the files away while they are read and sent.
    with store_lock(store_path, f"pushing to {repo_id}", required=False):
        return _push(
            open_store(store_path),
            repo_id,
            create_pr,
            private,
            dry_run,
            corpora,
            include_demo,
            max_files,
            max_bytes,
            progress,
            echo,
        )


def _push(
    store: Store,
    repo_id: str,
    create_pr: bool,
    private: bool,
    dry_run: bool,
    corpora: Sequence[str] | None,
    include_demo: bool,
    max_files: int,
    max_bytes: int,
    progress: bool,
    echo: Callable[[str], None],
) -> PushResult:
    from huggingface_hub import HfApi, get_token

    token = get_token()
    if token is None and not dry_run:
        raise UsageError(
            "no Hugging Face token found: log in with `hf auth login` or set HF_TOKEN to a token with "
            "write access (or, to propose changes, any token with `--create-pr`)"
        )
    api = HfApi(token=token, **client_info())
    endpoint = api.endpoint
    with hub_errors(endpoint, f"reading {repo_id}"), _progress_bars(progress):
        remote = read_remote(api, repo_id)
    if remote is None and create_pr:
        raise StoreNotFoundError(
            f"there is no dataset repository {repo_id} on {endpoint} (or your token cannot see it); a "
            "pull request needs an existing repository. Push without --create-pr to create it."
        )
    if private and remote is not None and not remote.private:
        raise UsageError(
            f"{repo_id} already exists and is public; --private only creates a new private repository. "
            "Change its visibility on the Hub, or push without --private."
        )
    plan = plan_push(
        store,
        repo_id,
        remote,
        corpora=corpora,
        include_demo=include_demo,
        max_files=max_files,
        max_bytes=max_bytes,
        endpoint=endpoint,
    )
    verify_files(plan, progress)
    for line in plan.notes():
        echo(line)
    result = PushResult(plan, dry_run)
    if dry_run or not plan.batches:
        return result
    with _progress_bars(progress):
        _send(api, plan, result, create_pr, private, echo)
    return result


def _send(
    api: HfApi, plan: Plan, result: PushResult, create_pr: bool, private: bool, echo: Callable[[str], None]
) -> None:
    repo_id, endpoint, remote = plan.repo_id, plan.endpoint, plan.remote
    if remote is None:
        with hub_errors(endpoint, f"creating {repo_id}"):
            api.create_repo(repo_id, repo_type=REPO_TYPE, private=private)
        result.created = True
        echo(f"Created the {'private' if private else 'public'} dataset repository {repo_id}.")
    try:
        _commit(api, plan, result, create_pr, echo)
    except HubError as e:
        if result.created and not result.commit_urls:
            raise HubError(f"{e}\nThe repository {repo_id} was created and is still empty.") from None
        raise


@contextmanager
def _progress_bars(enabled: bool) -> Iterator[None]:
    """huggingface_hub's upload bars follow --quiet; the switch is global, so it is restored after."""
    from huggingface_hub.utils import are_progress_bars_disabled, disable_progress_bars, enable_progress_bars

    was_disabled = are_progress_bars_disabled()
    if not enabled:
        disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            enable_progress_bars()


def _commit(api: HfApi, plan: Plan, result: PushResult, create_pr: bool, echo: Callable[[str], None]) -> None:
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    def operations(batch: Batch) -> list[Any]:
        ops: list[Any] = []
        for u in batch.uploads:
            op = CommitOperationAdd(u.path, u.source if isinstance(u.source, bytes) else str(u.source))
            op.upload_info.sha256 = bytes.fromhex(u.sha256)  # verified already; spares a second read
            ops.append(op)
        return ops + [CommitOperationDelete(p) for p in batch.deletions]

    repo_id, endpoint, batches = plan.repo_id, plan.endpoint, plan.batches
    title, description = commit_message(plan)
    parent = plan.remote.sha if plan.remote else None
    common = {"repo_id": repo_id, "repo_type": REPO_TYPE, "commit_description": description}
    if len(batches) == 1:
        with hub_errors(endpoint, f"uploading to {repo_id}", nothing_changed=True):
            info = api.create_commit(
                operations=operations(batches[0]),
                commit_message=title,
                create_pr=create_pr,
                parent_commit=parent,
                **common,
            )
        result.commit_urls.append(info.commit_url)
        result.pr_url = info.pr_url
        return
    n = len(batches)
    echo(f"Uploading in {n} commits through a pull request" + ("." if create_pr else ", merged at the end."))
    with hub_errors(endpoint, f"uploading to {repo_id} (commit 1 of {n})", nothing_changed=True):
        first = api.create_commit(
            operations=operations(batches[0]),
            commit_message=title,
            create_pr=True,
            parent_commit=parent,
            **common,
        )
    result.commit_urls.append(first.commit_url)
    result.pr_url = first.pr_url
    assert first.pr_num is not None and first.pr_revision is not None
    done = 1
    try:
        for i, batch in enumerate(batches[1:], 2):
            echo(f"  commit {i}/{n}: {len(batch.uploads)} upload(s), {len(batch.deletions)} deletion(s)")
            info = api.create_commit(
                operations=operations(batch),
                commit_message=f"{title} (part {i} of {n})",
                revision=first.pr_revision,
                **common,
            )
            result.commit_urls.append(info.commit_url)
            done = i
    except BaseException as e:
        reason = explain(e, endpoint) or f"{type(e).__name__}: {e}"
        note = _close_incomplete(api, plan, first.pr_num, done, n, reason)
        message = (
            f"uploading to {repo_id} failed at commit {done + 1} of {n}: {reason}\n"
            f"{note} Nothing changed on main; run the push again."
        )
        if isinstance(e, KeyboardInterrupt):
            echo(message)
            raise
        raise HubError(message) from None
    if not create_pr:
        pr = f"pull request #{first.pr_num} ({first.pr_url}), which holds all {n} commits and stays open,"
        with hub_errors(endpoint, f"merging {pr}"):
            api.merge_pull_request(
                repo_id, first.pr_num, repo_type=REPO_TYPE, comment=f"All {n} commits uploaded; merging."
            )
        result.merged = True


def _close_incomplete(api: HfApi, plan: Plan, num: int, done: int, total: int, reason: str) -> str:
    """Close a pull request whose push failed midway, with a comment saying why; returns what happened."""
    url = f"pull request #{num} ({plan.endpoint}/datasets/{plan.repo_id}/discussions/{num})"
    comment = (
        f"This push stopped after {done} of {total} commits ({reason}), so this pull request is incomplete "
        "and was closed by meds-ins. Run `meds-ins push` again to open a complete one."
    )
    try:
        api.change_discussion_status(plan.repo_id, num, "closed", comment=comment, repo_type=REPO_TYPE)
    except Exception as e:  # the Hub may be unreachable now; say so rather than hide the first error
        why = explain(e, plan.endpoint) or f"{type(e).__name__}: {e}"
        return (
            f"The incomplete {url} holds {done} of {total} commits and could not be closed ({why}); "
            "close it on the Hub."
        )
    return f"The incomplete {url} was closed with a comment explaining this."


def commit_message(plan: Plan) -> tuple[str, str]:
    view = plan.view
    published = plan.published
    tasks = [n for n, e in view.manifest["tasks"].items() if e["source"] in published]
    title = f"Publish {', '.join(published)} ({len(tasks)} tasks) with meds-ins {VERSION}"
    lines = [f"Tasks published: {', '.join(tasks)}."]
    if len(plan.batches) > 1:
        lines.append(
            f"Uploaded in {len(plan.batches)} commits; the card and metadata come with the last one."
        )
    if plan.kept:
        lines.append(f"Corpora already in the repository and kept as they are: {', '.join(plan.kept)}.")
    for e in plan.excluded + plan.dropped:
        lines.append(f"Left out {e.corpus} ({', '.join(e.tasks) or 'no tasks'}): {e.reason}.")
    return title, "\n\n".join(lines)
