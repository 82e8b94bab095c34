"""Publishing a store to the Hugging Face Hub, and loading stores published there.

Push (`push`, `meds-ins push`). The licence gate leaves out every corpus that may not be published
(not redistributable: credentialed or data-use-agreement data), whatever the options, and corpora
built from the demo miniatures unless asked. The rest replaces the same corpora in a Hub dataset
repository; the other corpora already there stay, as a rebuild of one corpus keeps the others in a
store. README.md and meta/*.json are regenerated for exactly what the repository holds afterwards, so
plain `datasets.load_dataset(repo, task)` works. Everything is planned and checked (file checksums,
record sources, the card against the Hub's own card classes) before anything is sent.

A push fits in one commit when it can; a larger one is split into commits of at most
MAX_COMMIT_FILES files and MAX_COMMIT_BYTES bytes (the Hub recommends under 100 files per commit).
Several commits always go through a pull request, merged after its last commit unless the push was
asked to stay a pull request, so `main` changes at once. A push that fails midway closes its pull
request with a comment saying why.

Load (`open_repo`): meta/*.json first, then only the files of the selected tasks and splits, through
`huggingface_hub`'s cache; the result is a Store that the loader reads like a local one.

The token comes from `huggingface_hub`'s usual sources (HF_TOKEN, `hf auth login`) and is never shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meds_ins import card
from meds_ins import store as stores
from meds_ins.errors import (
    HubError,
    MedsInsError,
    StoreError,
    StoreNotFoundError,
    UsageError,
    ValidationFailed,
    unknown,
)
from meds_ins.store import Store, open_store, sha256_file

if TYPE_CHECKING:
    from huggingface_hub import HfApi

REPO_TYPE = "dataset"
MAX_COMMIT_FILES = 100
MIN_COMMIT_FILES = 4  # the card and the metadata files always go in one commit (a fifth with paraphrases)
MAX_COMMIT_BYTES = 20 * 2**30
REPO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")


def looks_like_repo_id(text: str) -> bool:
    return REPO_ID.fullmatch(text) is not None and ".." not in text and not text.endswith((".", "-"))


def check_repo_id(repo_id: str) -> None:
    if not looks_like_repo_id(repo_id) or len(repo_id) > 96:
        raise UsageError(
            f"{repo_id!r} is not a Hub repository id: write ORG/NAME (letters, digits, '-', '_', '.'; "
            "at most 96 characters), e.g. meds-ins/meds-ins"
        )


# ---------------------------------------------------------------------------------------------
# The licence gate


@dataclass(frozen=True)
class Exclusion:
    """A corpus of the store that is not published, and why."""

    corpus: str
    name: str
    tasks: tuple[str, ...]
    reason: str
    restricted: bool  # its terms forbid publishing (as opposed to demo data)
    metadata: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # schemas/corpus.json


def restriction(corpus: dict[str, Any], built: dict[str, Any] | None) -> str | None:
    """Why a corpus may not be published, or None when it may.

    Every statement must allow it: the corpus metadata, the store manifest, and the builder installed
    with this package (so a store whose metadata was edited cannot unlock a credentialed corpus).
    """
    from meds_ins.catalog import load_catalog

    terms = f"{corpus['access']} access, licence {corpus['license']}"
    if not corpus["redistributable"] or corpus["access"] == "credentialed":
        return f"not redistributable ({terms})"
    if built is not None and not built["redistributable"]:
        return f"not redistributable according to the store manifest ({terms})"
    builder = load_catalog().builders.get(corpus["id"])
    if builder is not None and not builder.corpus.redistributable:
        c = builder.corpus
        return (
            f"not redistributable according to its meds-ins builder ({c.access} access, licence {c.license})"
        )
    return None


def gate(
    store: Store, corpora: Sequence[str] | None = None, include_demo: bool = False
) -> tuple[list[str], list[Exclusion]]:
    """The corpora of the store to publish, and the ones left out with the reason."""
    built = store.manifest["corpora"]
    for cid in corpora or ():
        if cid not in built:
            raise unknown(f"corpus in {store.root}", cid, set(built))
    published, excluded = [], []
    for cid in corpora or built:
        tasks = tuple(n for n, e in store.manifest["tasks"].items() if e["source"] == cid)
        name = store.corpora[cid]["name"]
        reason = restriction(store.corpora[cid], built[cid])
        if reason is not None:
            excluded.append(Exclusion(cid, name, tasks, reason, True, store.corpora[cid]))
        elif built[cid]["miniature"] and not include_demo:
            reason = "built from the demo miniature shipped with meds-ins (made-up records), not real data"
            excluded.append(Exclusion(cid, name, tasks, reason, False, store.corpora[cid]))
        elif tasks:
            published.append(cid)
    return published, excluded


def withheld_corpora(excluded: Sequence[Exclusion]) -> list[dict[str, Any]]:
    """Corpora never published, for the repository's card: the restricted ones the catalog knows and
    the ones the gate left out for their terms."""
    from meds_ins.catalog import load_catalog

    found = {}
    for builder in load_catalog().builders.values():
        if not builder.corpus.redistributable:
            found[builder.corpus.id] = builder.corpus.to_dict() | {"tasks": [t.name for t in builder.tasks]}
    for e in excluded:
        if e.restricted and e.corpus not in found:
            found[e.corpus] = e.metadata | {"tasks": list(e.tasks)}
    return [found[c] for c in sorted(found)]


# ---------------------------------------------------------------------------------------------
# What the repository holds


@dataclass(frozen=True)
class RemoteFile:
    size: int
    sha256: str | None  # content checksum of LFS files
    oid: str  # git blob id


@dataclass(frozen=True)
class Remote:
    """A Hub repository as it is before the push."""

    sha: str
    private: bool
    files: dict[str, RemoteFile]
    store: Store | None  # its meds-ins metadata (meta/*.json), if it holds a store


def read_remote(api: HfApi, repo_id: str) -> Remote | None:
    """The repository's head commit, files and meds-ins metadata; None when it does not exist."""
    from huggingface_hub import RepoFile, snapshot_download
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        info = api.dataset_info(repo_id)
    except RepositoryNotFoundError:
        return None
    assert info.sha is not None
    files = {
        f.path: RemoteFile(f.size, f.lfs.sha256 if f.lfs else None, f.blob_id)
        for f in api.list_repo_tree(repo_id, repo_type=REPO_TYPE, revision=info.sha, recursive=True)
        if isinstance(f, RepoFile)
    }
    held = None
    if stores.MANIFEST in files:
        folder = snapshot_download(
            repo_id,
            repo_type=REPO_TYPE,
            revision=info.sha,
            allow_patterns=["meta/*"],
            endpoint=api.endpoint,
            token=api.token,
            **_client(),
        )
        try:
            held = open_store(Path(folder))
            stores.validate_meta(held.manifest, list(held.tasks.values()), list(held.corpora.values()))
        except (StoreError, ValidationFailed) as e:
            raise HubError(f"{repo_id} holds meds-ins metadata that this version cannot read: {e}") from None
    return Remote(info.sha, bool(info.private), files, held)


def merged_view(
    store: Store, published: Sequence[str], held: Store | None
) -> tuple[Store, list[str], list[Exclusion]]:
    """The metadata of what the repository holds after the push: the published corpora of the store,
    plus the corpora already there that are not replaced. Held corpora that fail the gate are dropped.

    Returns the view, the ids of the corpora kept as they are, and the held corpora dropped.
    """
    manifest_corpora, entries, task_meta, corpora = {}, {}, {}, {}
    kept, dropped = [], []
    if held is not None:
        for cid, corpus in held.corpora.items():
            if cid in published:
                continue
            tasks = tuple(n for n, e in held.manifest["tasks"].items() if e["source"] == cid)
            reason = restriction(corpus, held.manifest["corpora"][cid])
            if reason is not None:
                dropped.append(Exclusion(cid, corpus["name"], tasks, reason, True, corpus))
                continue
            kept.append(cid)
            corpora[cid], manifest_corpora[cid] = corpus, held.manifest["corpora"][cid]
            for name in tasks:
                entries[name], task_meta[name] = held.manifest["tasks"][name], held.tasks[name]
        if kept and held.manifest["schema_version"] != store.manifest["schema_version"]:
            raise UsageError(
                f"the repository holds records of schema {held.manifest['schema_version']} and this store "
                f"has schema {store.manifest['schema_version']}; they cannot be mixed. Rebuild and push "
                f"the corpora the repository holds ({', '.join(kept)}) together with these."
            )
    for cid in published:
        corpora[cid], manifest_corpora[cid] = store.corpora[cid], store.manifest["corpora"][cid]
        for name, entry in store.manifest["tasks"].items():
            if entry["source"] == cid:
                entries[name], task_meta[name] = entry, store.tasks[name]
    view = stores.assemble(store.root, manifest_corpora, entries, task_meta, corpora)
    return view, kept, dropped


# ---------------------------------------------------------------------------------------------
# The plan


@dataclass(frozen=True)
class Upload:
    path: str  # in the repository
    size: int
    sha256: str
    source: Path | bytes  # a store file, or generated content (card, metadata)


@dataclass(frozen=True)
class Batch:
    """The operations of one commit."""

    uploads: tuple[Upload, ...]
    deletions: tuple[str, ...]

    @property
    def size(self) -> int:
        return sum(u.size for u in self.uploads)


@dataclass
class Plan:
    repo_id: str
    endpoint: str
    remote: Remote | None
    view: Store
    excluded: list[Exclusion]  # corpora of the store left out
    dropped: list[Exclusion]  # corpora on the repository removed because they may not be published
    kept: list[str]  # corpora on the repository left as they are
    uploads: list[Upload]
    deletions: list[str]
    unchanged: list[str]
    batches: list[Batch]
    card_text: str

    @property
    def published(self) -> list[str]:
        return [c for c in self.view.manifest["corpora"] if c not in self.kept]

    def notes(self) -> list[str]:
        """What the push leaves out, removes and keeps, and why: said before anything is sent."""
        lines = [
            f"Left out {e.corpus} ({', '.join(e.tasks) or 'no tasks'}): {e.reason}." for e in self.excluded
        ]
        lines += [
            f"Removing {e.corpus} from the repository ({', '.join(e.tasks)}): {e.reason}."
            for e in self.dropped
        ]
        if self.kept:
            lines.append(f"Kept as they are on the repository: {', '.join(self.kept)}.")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "repo_id": self.repo_id,
            "endpoint": self.endpoint,
            "repo_exists": self.remote is not None,
            "published": self.published,
            "kept": self.kept,
            "excluded": [_exclusion_dict(e) for e in self.excluded],
            "dropped": [_exclusion_dict(e) for e in self.dropped],
            "uploads": [{"path": u.path, "bytes": u.size, "sha256": u.sha256} for u in self.uploads],
            "deletions": self.deletions,
            "unchanged": self.unchanged,
            "commits": [
                {"uploads": [u.path for u in b.uploads], "deletions": list(b.deletions)} for b in self.batches
            ],
        }


def _exclusion_dict(e: Exclusion) -> dict[str, Any]:
    return {"corpus": e.corpus, "name": e.name, "tasks": list(e.tasks), "reason": e.reason}


def plan_push(
    store: Store,
    repo_id: str,
    remote: Remote | None,
    *,
    corpora: Sequence[str] | None = None,
    include_demo: bool = False,
    max_files: int = MAX_COMMIT_FILES,
    max_bytes: int = MAX_COMMIT_BYTES,
    endpoint: str = "",
) -> Plan:
    """Everything a push will do, decided without sending anything."""
    published, excluded = gate(store, corpora, include_demo)
    if not published:
        reasons = "".join(f"\n  {e.corpus}: {e.reason}" for e in excluded) or " the store has no tasks"
        hint = (
            "\nBuild corpora from their real raw files (`meds-ins build CORPUS --raw DIR`), or pass "
            "--include-demo to try publishing on a scratch repository."
            if any(not e.restricted for e in excluded)
            else ""
        )
        raise UsageError(f"nothing to publish from {store.root}:{reasons}{hint}")
    view, kept, dropped = merged_view(store, published, remote.store if remote else None)
    remote_files = remote.files if remote else {}
    view_paths: dict[str, dict[str, Any]] = {}
    for entry in view.manifest["tasks"].values():
        for split in entry["splits"].values():
            for f in split["files"]:
                view_paths[f["path"]] = f | {"source": entry["source"]}
    uploads, unchanged = [], []
    for path, f in view_paths.items():
        there = remote_files.get(path)
        if f["source"] in kept:
            if there is None or there.sha256 != f["sha256"]:
                raise HubError(
                    f"{repo_id} lists {path} in its manifest but the file there is missing or differs; "
                    f"the repository is inconsistent: push {f['source']} again from a store that holds it"
                )
            unchanged.append(path)
        elif there is not None and there.sha256 == f["sha256"]:
            unchanged.append(path)
        else:
            uploads.append(Upload(path, f["bytes"], f["sha256"], store.root / path))
    deletions = sorted(p for p in remote_files if p.startswith("data/") and p not in view_paths)
    card_text = card.render(view, repo_id, withheld=withheld_corpora(excluded + dropped))
    card.check(card_text, view_paths)
    generated = {"README.md": card_text} | stores.metadata_files(view, stores.read_paraphrases(store.root))
    meta_uploads = []
    for path, text in generated.items():
        data = text.encode("utf-8")
        there = remote_files.get(path)
        if there is not None and there.oid == _git_oid(data):
            unchanged.append(path)
        else:
            meta_uploads.append(Upload(path, len(data), _sha256(data), data))
    uploads.sort(key=lambda u: (stores.task_sort_key(u.path.split("/")[1]), u.path))
    batches = split_commits(uploads, deletions, meta_uploads, max_files, max_bytes)
    return Plan(
        repo_id=repo_id,
        endpoint=endpoint,
        remote=remote,
        view=view,
        excluded=excluded,
        dropped=dropped,
        kept=kept,
        uploads=uploads + meta_uploads,
        deletions=deletions,
        unchanged=sorted(unchanged),
        batches=batches,
        card_text=card_text,
    )


def split_commits(
    data: Sequence[Upload],
    deletions: Sequence[str],
    metadata: Sequence[Upload],
    max_files: int,
    max_bytes: int,
) -> list[Batch]:
    """Data files and deletions in commits of at most `max_files` operations and `max_bytes` bytes; the
    card and metadata go into the last commit, so the repository describes its data only once it has it."""
    batches: list[Batch] = []
    ups: list[Upload] = []
    dels: list[str] = []

    def flush() -> None:
        if ups or dels:
            batches.append(Batch(tuple(ups), tuple(dels)))
            ups.clear()
            dels.clear()

    for item in [*data, *deletions]:
        size = item.size if isinstance(item, Upload) else 0
        if (ups or dels) and (
            len(ups) + len(dels) + 1 > max_files or sum(u.size for u in ups) + size > max_bytes
        ):
            flush()
        if isinstance(item, Upload):
            ups.append(item)
        else:
            dels.append(item)
    if metadata and (len(ups) + len(dels) + len(metadata) > max_files):
        flush()
    ups.extend(metadata)
    flush()
    return batches


def _git_oid(data: bytes) -> str:
    from huggingface_hub.utils.sha import git_hash

    return git_hash(data)


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def verify_files(plan: Plan, progress: bool = True) -> None:
    """Each file to upload must match its manifest checksum and hold only records of its own task and
    corpus: the licence gate holds even if a store's files were moved or edited after the build."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from tqdm import tqdm

    files = [u for u in plan.uploads if isinstance(u.source, Path)]
    sources = {
        f["path"]: (name, e["source"])
        for name, e in plan.view.manifest["tasks"].items()
        for s in e["splits"].values()
        for f in s["files"]
    }
    problems = []
    for upload in tqdm(files, desc="checking files", unit=" files", disable=not progress or None):
        assert isinstance(upload.source, Path)
        if not upload.source.is_file():
            problems.append(f"{upload.path}: missing")
            continue
        if sha256_file(upload.source) != upload.sha256:
            problems.append(f"{upload.path}: content differs from the manifest's sha256")
            continue
        task, corpus = sources[upload.path]
        table = pq.read_table(upload.source, columns=["task", "source"])
        found = {
            (t, s)
            for t in pc.unique(table["task"]).to_pylist()
            for s in pc.unique(table["source"]).to_pylist()
        }
        if found != {(task, corpus)}:
            problems.append(
                f"{upload.path}: holds records of {sorted(found)}, expected only {task} from {corpus}"
            )
    if problems:
        raise ValidationFailed(
            f"{plan.view.root}: files changed after the build, nothing was uploaded:\n  "
            + "\n  ".join(problems)
            + "\nRebuild the store (`meds-ins build`) and push again."
        )


# ---------------------------------------------------------------------------------------------
# Push


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
    from huggingface_hub import HfApi, get_token

    check_repo_id(repo_id)
    if max_files < MIN_COMMIT_FILES:
        raise UsageError(f"a commit must hold at least {MIN_COMMIT_FILES} files (the card and meta/*.json)")
    store = open_store(store_path)
    token = get_token()
    if token is None and not dry_run:
        raise UsageError(
            "no Hugging Face token found: log in with `hf auth login` or set HF_TOKEN to a token with "
            "write access (or, to propose changes, any token with `--create-pr`)"
        )
    api = HfApi(token=token, **_client())
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
    from meds_ins import __version__

    view = plan.view
    published = plan.published
    tasks = [n for n, e in view.manifest["tasks"].items() if e["source"] in published]
    title = f"Publish {', '.join(published)} ({len(tasks)} tasks) with meds-ins {__version__}"
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


# ---------------------------------------------------------------------------------------------
# Load


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
        with hub_errors(_endpoint(), f"downloading {self.repo_id}", loading=True):
            snapshot_download(
                self.repo_id, repo_type=REPO_TYPE, revision=self.commit, allow_patterns=wanted, **_client()
            )


def open_repo(repo_id: str, revision: str | None = None) -> RepoStore:
    """The metadata of a store published as a Hub dataset repository (downloads meta/*.json only)."""
    from huggingface_hub import snapshot_download

    check_repo_id(repo_id)
    with hub_errors(_endpoint(), f"loading {repo_id}", loading=True):
        folder = Path(
            snapshot_download(
                repo_id, repo_type=REPO_TYPE, revision=revision, allow_patterns=["meta/*"], **_client()
            )
        )
    if not stores.is_store(folder):
        raise StoreNotFoundError(
            f"the dataset repository {repo_id} is not a meds-ins store (it has no {stores.MANIFEST}); "
            "load it with `datasets.load_dataset` instead"
        )
    held = open_store(folder)
    return RepoStore(held.root, held.manifest, held.tasks, held.corpora, repo_id=repo_id, commit=folder.name)


def _client() -> dict[str, str]:
    """How meds-ins names itself in the Hub client's user agent."""
    from meds_ins import __version__

    return {"library_name": "meds-ins", "library_version": __version__}


def _endpoint() -> str:
    from huggingface_hub import constants

    return constants.ENDPOINT


# ---------------------------------------------------------------------------------------------
# Errors


@contextmanager
def hub_errors(
    endpoint: str, action: str, *, nothing_changed: bool = False, loading: bool = False
) -> Iterator[None]:
    """Turn the client's exceptions into the package's errors, with what failed and what to do."""
    try:
        yield
    except MedsInsError:
        raise
    except Exception as e:
        from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

        reason = explain(e, endpoint)
        if reason is None:
            raise
        suffix = " Nothing was changed on the Hub." if nothing_changed else ""
        cause = _cause(e)
        if loading and isinstance(cause, (RepositoryNotFoundError, RevisionNotFoundError)):
            raise StoreNotFoundError(f"{action}: {reason}") from None
        raise HubError(f"{action} failed: {reason}{suffix}") from None


def _cause(exc: BaseException) -> BaseException:
    """The Hub or network error behind an exception (the client wraps upload errors in RuntimeError)."""
    import httpx2
    from huggingface_hub.errors import LocalEntryNotFoundError, OfflineModeIsEnabled

    seen = exc
    while seen is not None:
        if isinstance(seen, (httpx2.HTTPError, OfflineModeIsEnabled)):
            return seen
        if isinstance(seen, LocalEntryNotFoundError) and seen.__cause__ is None:
            return seen
        seen = seen.__cause__ or seen.__context__
    return exc


def explain(exc: BaseException, endpoint: str) -> str | None:
    """A one-line reason for a Hub or network error, or None for other exceptions. Never shows the token."""
    import httpx2
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(exc, ValueError) and "Invalid metadata in README.md" in str(exc):
        return "the Hub rejected the dataset card: " + " ".join(str(exc).split("\n")[1:]).strip()
    e = _cause(exc)
    if isinstance(e, GatedRepoError):
        return "the repository is gated; accept its conditions on the Hub with the account of your token"
    if isinstance(e, RepositoryNotFoundError):
        return f"no such dataset repository on {endpoint} (or it is private and your token cannot see it)"
    if isinstance(e, RevisionNotFoundError):
        return "no such revision in the repository"
    if isinstance(e, HfHubHTTPError):
        status = e.response.status_code
        said = (e.server_message or "").strip().splitlines()
        detail = f": {said[0]}" if said else ""
        if status == 401:
            return (
                f"the Hub rejected the token (401{detail}); log in again with `hf auth login` or set HF_TOKEN"
            )
        if status == 403:
            return (
                f"permission denied (403{detail}); your token needs write access to the repository's "
                "namespace, or propose the change with --create-pr"
            )
        if status == 413:
            return f"the Hub refused the upload as too large (413{detail})"
        if status == 412:
            return f"the repository changed while pushing (412{detail}); run the push again"
        if status >= 500:
            return f"the Hub failed ({status}{detail}); try again later"
        return f"the Hub answered {status}{detail}"
    uncached = (
        " and the files are not in the local Hugging Face cache"
        if isinstance(exc, LocalEntryNotFoundError)
        else ""
    )
    if isinstance(e, OfflineModeIsEnabled):
        return f"HF_HUB_OFFLINE=1 is set, so the Hub cannot be reached{uncached}"
    if isinstance(e, httpx2.HTTPError):
        return f"could not reach {endpoint} ({type(e).__name__}){uncached}; check the network and HF_ENDPOINT"
    if isinstance(e, LocalEntryNotFoundError):
        return f"could not reach {endpoint}{uncached}"
    return None
