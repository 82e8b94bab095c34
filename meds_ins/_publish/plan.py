"""Planning a push: what to upload, delete and keep, decided and checked before anything is sent.

The licence gate leaves out every corpus that may not be published (one that states no basis of
redistribution: credentialed or data-use-agreement data, terms that forbid it, no licence or statement
found that allows it), whatever the options, and corpora built from the demo miniatures unless
asked. The rest replaces the same corpora in a Hub dataset repository; the other corpora already there
stay, as a rebuild of one corpus keeps the others in a store. README.md and meta/*.json are regenerated
for exactly what the repository holds afterwards, so plain `datasets.load_dataset(repo, task)` works.
Every file is checked (checksums, record sources) and the card passes the Hub's own card classes before
transport.py sends anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meds_ins._building.catalog import load_catalog
from meds_ins._common.errors import HubError, StoreError, UsageError, ValidationFailed
from meds_ins._common.names import unknown
from meds_ins._hub.repo import REPO_TYPE, client_info
from meds_ins._store import card, terms
from meds_ins._store import layout as stores
from meds_ins._store.layout import Store, open_store, sha256_file

if TYPE_CHECKING:
    from huggingface_hub import HfApi

MAX_COMMIT_FILES = 100
MIN_COMMIT_FILES = 4  # the card and the metadata files always go in one commit (a fifth with paraphrases)
MAX_COMMIT_BYTES = 20 * 2**30


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

    Every statement must allow it: the corpus metadata (which must state the basis of redistribution),
    the store manifest, and the builder installed with this package (so a store whose metadata was
    edited cannot unlock a withheld corpus).
    """
    reason = terms.withheld_reason(corpus)
    if reason is not None:
        return f"not redistributable: {reason}"
    if built is not None and not built["redistributable"]:
        return "not redistributable according to the store manifest"
    builder = load_catalog().builders.get(corpus["id"])
    if builder is not None and not builder.corpus.redistributable:
        reason = terms.withheld_reason(builder.corpus.to_dict())
        return f"not redistributable according to its meds-ins builder: {reason}"
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

    found = {}
    for builder in load_catalog().builders.values():
        if not builder.corpus.redistributable:
            found[builder.corpus.id] = builder.corpus.to_dict() | {"tasks": [t.name for t in builder.tasks]}
    for e in excluded:
        if e.restricted and e.corpus not in found:
            found[e.corpus] = e.metadata | {"tasks": list(e.tasks)}
    return [found[c] for c in sorted(found)]


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
            **client_info(),
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
            uploads.append(Upload(path, f["bytes"], f["sha256"], store.path(path)))
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
