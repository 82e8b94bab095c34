"""The builder API: how a corpus module declares itself and turns raw files into examples.

A builder module `builders/<corpus_id>.py` defines one object, `BUILDER = Builder(corpus, tasks, generate)`:

- `corpus` (`Corpus`): who made the data, under what licence and access terms, which raw files
  (`RawFile`) the builder reads, in the corpus's native layout, and, for a public corpus, where
  `meds-ins download` fetches them (`Download`);
- `tasks` (`Task`): the MedS-Ins tasks the corpus feeds, with category, instruction (in our own words),
  languages and split policy;
- `generate(ctx)`: a generator of `Example`s, reading files only through `ctx` (a `BuildContext`).

The framework turns examples into records (ids, splits, languages, metadata), checks them and writes
the store; builders never download anything and never write files.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from meds_ins._common.errors import BuilderError, MissingRawFilesError

Split = Literal["train", "test"]
SPLITS: tuple[Split, ...] = ("train", "test")


@dataclass(frozen=True)
class RawFile:
    """A file (or glob pattern) of the corpus's native release, relative to the corpus folder."""

    path: str
    description: str
    required: bool = True

    @property
    def is_pattern(self) -> bool:
        return any(ch in self.path for ch in "*?[")


UNPACK_FORMATS = ("zip", "tar.gz", "tar")


@dataclass(frozen=True)
class Download:
    """Where `meds-ins download` fetches a file of a public corpus, and how it lands in the native layout.

    `url` is pinned to a release or a commit: `https://...` (a GitHub raw or codeload address at a
    40-hex commit, a versioned release file), or `hf://datasets/ORG/NAME@REVISION/PATH` for a file of a
    Hugging Face Hub dataset repository. `mirrors` are tried in order when `url` fails.

    Checksums, where known, are verified after the download: `size` in bytes, `sha256`, and `git_blob`
    (the git object id of the file at its commit, itself a SHA-1 checksum of the content). A file is
    placed at `target` (a path in the corpus folder; default: the URL's file name). An archive
    (`unpack`: zip, tar.gz or tar) is unpacked instead: `strip` is a leading folder removed from every
    member name, `members` are glob patterns choosing the members to keep (all when empty; each
    pattern must match at least one), and they go under the folder `into`. For archives built on
    request (GitHub codeload), whose bytes are not stable, `content_sha256` checks what was unpacked:
    the sha256 of the `sha256sum`-style listing (`<sha256>  <path>` lines sorted by path, paths
    relative to the corpus folder) of the files written.

    `manual` marks a file that cannot be fetched automatically (Google Drive confirmation pages, forms,
    dated file names): the text says what to do, and `url` is the page to visit. `optional` files are
    not needed for a build. `note` says whose copy it is (the authors', a third party's).
    """

    url: str
    target: str = ""
    size: int | None = None
    sha256: str | None = None
    git_blob: str | None = None
    mirrors: tuple[str, ...] = ()
    unpack: Literal["zip", "tar.gz", "tar"] | None = None
    strip: str = ""
    members: tuple[str, ...] = ()
    into: str = ""
    content_sha256: str | None = None
    manual: str = ""
    optional: bool = False
    note: str = ""

    @property
    def name(self) -> str:
        """What the download is called in messages and where a file goes: its target, else the last part
        of its URL (`REPO@COMMIT` for an archive GitHub builds for a commit)."""
        if self.target:
            return self.target
        segments = self.url.split("?")[0].rstrip("/").split("/")
        if re.fullmatch("[0-9a-f]{40}", segments[-1]) and len(segments) >= 4:
            return f"{segments[-3]}@{segments[-1][:7]}.{segments[-2]}"
        return segments[-1]

    @property
    def automatic(self) -> bool:
        return not self.manual

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "mirrors": list(self.mirrors),
            "target": self.target or (None if self.unpack else self.name),
            "size": self.size,
            "sha256": self.sha256,
            "git_blob": self.git_blob,
            "unpack": self.unpack,
            "strip": self.strip,
            "members": list(self.members),
            "into": self.into,
            "content_sha256": self.content_sha256,
            "manual": self.manual,
            "optional": self.optional,
            "note": self.note,
        }

    def problems(self) -> list[str]:
        """What is wrong with the declaration itself (checked when builders are loaded)."""
        found = []
        for url in (self.url, *self.mirrors):
            if not re.match(r"(https?://|hf://datasets/[^/@]+/[^/@]+@[^/]+/.)", url):
                found.append(
                    f"download URL {url!r} must be http(s):// or hf://datasets/ORG/NAME@REVISION/PATH"
                )
        for label, value, length in (
            ("sha256", self.sha256, 64),
            ("git_blob", self.git_blob, 40),
            ("content_sha256", self.content_sha256, 64),
        ):
            if value is not None and not re.fullmatch(f"[0-9a-f]{{{length}}}", value):
                found.append(f"{self.name}: {label} must be {length} lower-case hex digits")
        if self.unpack is not None and self.unpack not in UNPACK_FORMATS:
            found.append(f"{self.name}: unpack must be one of {', '.join(UNPACK_FORMATS)}")
        if self.unpack is None and (self.strip or self.members or self.into or self.content_sha256):
            found.append(f"{self.name}: strip, members, into and content_sha256 apply to archives (unpack)")
        if self.unpack is not None and self.target:
            found.append(f"{self.name}: an unpacked archive has no target; use into and members")
        for path in (self.target, self.into, *self.members):
            if path.startswith("/") or ".." in path.split("/"):
                found.append(f"{self.name}: {path!r} must be a relative path inside the corpus folder")
        return found


# Licences that allow anyone to copy and share the data (with their conditions: attribution, share-alike,
# non-commercial use), named as builders state them. A corpus under one of them may rest on its licence.
OPEN_LICENCES = frozenset(
    {
        "AFL-3.0",
        "Apache-2.0",
        "CC-BY-3.0",
        "CC-BY-4.0",
        "CC-BY-NC-4.0",
        "CC-BY-NC-SA-4.0",
        "CC-BY-SA-3.0",
        "CC-BY-SA-4.0",
        "CC0-1.0",
        "GPL-3.0",
        "MIT",
        "public-domain",
    }
)


@dataclass(frozen=True)
class ByLicence:
    """The corpus's licence (`Corpus.license`, read where `license_source` says) allows publishing its
    records. Only for the licences in OPEN_LICENCES."""

    def to_dict(self, corpus: Corpus) -> dict[str, str]:
        return {"basis": "licence", "terms": corpus.license, "source": corpus.license_source}


BY_LICENCE = ByLicence()


@dataclass(frozen=True)
class ReleaseStatement:
    """The words by which the authors or rights holders let anyone use and share a corpus that has no
    standard licence ("allows the redistribution of the exams ..."), quoted, and where they were read:
    the repository file, page or paper. A description of the data, a download link or a request to be
    cited is not such a statement."""

    quote: str
    source: str

    def to_dict(self, corpus: Corpus) -> dict[str, str]:
        return {"basis": "release statement", "terms": self.quote, "source": self.source}


@dataclass(frozen=True)
class Withheld:
    """No record of the corpus may be published, and why: credentialed access, a data use agreement,
    terms that forbid it, or no licence or statement found that allows it."""

    reason: str

    def to_dict(self, corpus: Corpus) -> dict[str, str]:
        return {"withheld": self.reason}


Redistribution = ByLicence | ReleaseStatement | Withheld


@dataclass(frozen=True)
class Corpus:
    """Who made the data and under what terms. `redistribution` is the one statement of whether its
    records may be published: the basis that allows it (BY_LICENCE, a ReleaseStatement) or Withheld."""

    id: str
    name: str
    homepage: str
    download: str
    citation: str
    license: str
    license_source: str
    redistribution: Redistribution
    access: Literal["public", "registration", "credentialed"]
    languages: tuple[str, ...]
    text_source: str
    raw_files: tuple[RawFile, ...]
    # Where `meds-ins download` fetches the raw files of a public corpus (empty: get them by hand).
    sources: tuple[Download, ...] = ()
    paper_names: tuple[str, ...] = ()
    version: str = "1.0.0"
    notes: str = ""
    # "html": the source's texts carry HTML tags and character references (<br>, &gt;), which the
    # record conversion removes and decodes (counted in the build report).
    markup: Literal["none", "html"] = "none"

    @property
    def redistributable(self) -> bool:
        return not isinstance(self.redistribution, Withheld)

    def terms_problems(self) -> list[str]:
        """What is wrong with the declared terms (empty when they hold together)."""
        problems = []
        if isinstance(self.redistribution, ByLicence) and self.license not in OPEN_LICENCES:
            problems.append(
                f"redistribution=BY_LICENCE needs a licence that allows sharing "
                f"({', '.join(sorted(OPEN_LICENCES))}); {self.license!r} is not one: quote the statement "
                "that allows it (ReleaseStatement) or declare Withheld(reason)"
            )
        if self.access == "credentialed" and self.redistributable:
            problems.append("a credentialed corpus is never published: declare Withheld(reason)")
        return problems

    @property
    def downloadable(self) -> bool:
        """Whether `meds-ins download` fetches (some of) its files: public, with automatic sources."""
        return self.access == "public" and any(d.automatic for d in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "paper_names": list(self.paper_names or (self.name,)),
            "version": self.version,
            "homepage": self.homepage,
            "download": self.download,
            "citation": self.citation,
            "license": self.license,
            "license_source": self.license_source,
            "access": self.access,
            "redistributable": self.redistributable,
            "redistribution": self.redistribution.to_dict(self),
            "languages": list(self.languages),
            "text_source": self.text_source,
            "raw_files": [
                {"path": f.path, "description": f.description, "required": f.required} for f in self.raw_files
            ],
            "sources": [d.to_dict() for d in self.sources],
            "markup": self.markup,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Task:
    """One MedS-Ins task. `id` is the task number (task124), `name` the task file name without extension."""

    id: str
    name: str
    category: str
    instruction: str
    splits: tuple[Split, ...] = SPLITS
    split_policy: Literal["official", "random-9:1", "train-only", "test-only"] = "official"
    input_languages: tuple[str, ...] = ("en",)
    output_languages: tuple[str, ...] = ()  # empty: same as input_languages
    instruction_language: str = "en"
    in_bench: bool = False
    notes: str = ""
    # Audit findings that are known properties of the real data, explained: {audit code: reason}.
    # The validator leaves them out (and warns when one no longer matches anything).
    audit_exceptions: Mapping[str, str] = field(default_factory=dict)

    @property
    def outputs(self) -> tuple[str, ...]:
        return self.output_languages or self.input_languages

    def to_dict(self, source: str) -> dict[str, Any]:
        explained = [{"code": c, "reason": r} for c, r in sorted(self.audit_exceptions.items())]
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "source": source,
            "instruction": self.instruction,
            "input_languages": list(self.input_languages),
            "output_languages": list(self.outputs),
            "instruction_language": self.instruction_language,
            "splits": list(self.splits),
            "split_policy": self.split_policy,
            "in_bench": self.in_bench,
            "notes": self.notes,
        } | ({"audit_exceptions": explained} if explained else {})


@dataclass(slots=True)
class Example:
    """What a builder yields: one instance of one task.

    `key` identifies the instance within its task from the source's own identifiers (a PMID, a
    question id, a row number), so record ids stay stable across rebuilds. `output` is one answer
    or a list of acceptable answers, the first one primary. `split` is required for tasks with the
    official split policy and must be left unset otherwise. `group` keeps related instances (same
    patient, same abstract) on the same side of a random split. Languages default to the task's.
    """

    task: str
    key: str
    input: str
    output: str | Sequence[str]
    split: Split | None = None
    group: str | None = None
    meta: Mapping[str, Any] | None = None
    input_language: str | None = None
    output_language: str | None = None


def random_split(corpus_id: str, group: str) -> Split:
    """The deterministic 9:1 split: a hash of the corpus and the group key, so it never depends on order."""
    digest = hashlib.sha256(f"{corpus_id}\x00{group}".encode()).digest()
    return "test" if int.from_bytes(digest[:8], "big") % 10 == 0 else "train"


class BuildContext:
    """What a builder's `generate` receives: access to the raw files, and a place to count skips."""

    def __init__(self, corpus: Corpus, raw_root: Path) -> None:
        self.corpus = corpus
        self.raw_root = Path(raw_root)
        self.skipped: Counter[str] = Counter()
        self.files_read: dict[str, int] = {}
        self._declared = {f.path: f for f in corpus.raw_files}

    # -- raw files ---------------------------------------------------------------------------
    def file(self, path: str) -> Path:
        """The declared raw file `path`; raises MissingRawFilesError when it is absent."""
        found = self.optional(path)
        if found is None:
            raise MissingRawFilesError(missing_message(self.corpus, self.raw_root, [self._declared[path]]))
        return found

    def optional(self, path: str) -> Path | None:
        """The declared raw file `path`, or None when the user does not have it."""
        spec = self._spec(path)
        if spec.is_pattern:
            raise BuilderError(f"{self.corpus.id}: {path!r} is a pattern; use ctx.files()")
        found = locate(self.raw_root, path)
        if found is not None:
            self.files_read[path] = found.stat().st_size
        return found

    def files(self, pattern: str) -> list[Path]:
        """All files matching a declared glob pattern, sorted by relative path (deterministic order)."""
        self._spec(pattern)
        matches = sorted(p for p in self.raw_root.glob(pattern) if p.is_file())
        for p in matches:
            self.files_read[str(p.relative_to(self.raw_root))] = p.stat().st_size
        return matches

    def _spec(self, path: str) -> RawFile:
        if path not in self._declared:
            raise BuilderError(
                f"{self.corpus.id}: raw file {path!r} is not declared in the corpus's raw_files"
            )
        return self._declared[path]

    # -- bookkeeping -------------------------------------------------------------------------
    def skip(self, reason: str, count: int = 1) -> None:
        """Count source items left out on purpose; the build report and the manifest show the counts."""
        self.skipped[reason] += count


# -- items a release repeats -------------------------------------------------------------------


def settle_repeats(
    ctx: BuildContext,
    examples: Iterable[Example],
    what: str,
    same_item: Callable[[Example], Hashable] | None = None,
) -> Iterator[Example]:
    """The examples with each repeated source item settled: kept once if its copies agree, else left out.

    `same_item` says which examples are copies of one item (default: the same task and key, i.e. the
    source's own id). Copies that agree in input and outputs are an identical repeat: one is kept (a
    test copy when the copies straddle the split, so the test set keeps the item and training does not
    see it) and the others are counted as "<what> repeated identically (kept once)". Copies that
    disagree are a conflicting repeat: no copy can be trusted, so every one is left out and counted as
    "<what> repeated with different content (every copy left out)". Examples come out in source order.
    Every example is held until the end, since a conflicting copy may come last.
    """
    identify = same_item or (lambda ex: (ex.task, ex.key))
    items = list(examples)
    copies: dict[Hashable, list[int]] = {}
    for index, ex in enumerate(items):
        copies.setdefault(identify(ex), []).append(index)
    kept = set()
    for indices in copies.values():
        if len(indices) > 1 and len({(items[i].input, _outputs(items[i])) for i in indices}) > 1:
            ctx.skip(f"{what} repeated with different content (every copy left out)", len(indices))
            continue
        if len(indices) > 1:
            ctx.skip(f"{what} repeated identically (kept once)", len(indices) - 1)
        kept.add(next((i for i in indices if items[i].split == "test"), indices[0]))
    return (ex for index, ex in enumerate(items) if index in kept)


def merge_same_input(ctx: BuildContext, examples: Iterable[Example], what: str = "question") -> list[Example]:
    """One example per task, split and input: repeats of an input add their outputs to the first one.

    Some corpora ask one question several times with different answers (MedQuAD, MedicationQA, the
    EBM Summariser corpus); a task file with repeated inputs teaches contradictory targets and lets
    benchmark items leak into few-shot prompts. Inputs are compared with whitespace collapsed and case
    folded. The first occurrence keeps its key, group and meta; its outputs are extended with the
    repeats' distinct outputs, and `meta["merged_keys"]` lists the keys folded into it. Each repeat is
    counted: "<what> repeated with the same answers (kept once)" when it brings no new output, else
    "<what> repeated (answers merged into one record)".
    """
    merged: dict[tuple[str, str | None, str], Example] = {}
    for ex in examples:
        slot = (ex.task, ex.split, " ".join(ex.input.split()).casefold())
        first = merged.get(slot)
        if first is None:
            merged[slot] = ex
            continue
        before = [o.strip() for o in _outputs(first)]
        outputs = list(dict.fromkeys(before + [o.strip() for o in _outputs(ex)]))
        if len(outputs) == len(dict.fromkeys(before)):
            ctx.skip(f"{what} repeated with the same answers (kept once)")
        else:
            ctx.skip(f"{what} repeated (answers merged into one record)")
        first.output = outputs
        meta = dict(first.meta or {})
        meta["merged_keys"] = [*meta.get("merged_keys", []), ex.key]
        first.meta = meta
    return list(merged.values())


def _outputs(ex: Example) -> tuple[str, ...]:
    return (ex.output,) if isinstance(ex.output, str) else tuple(ex.output)


def locate(root: Path, path: str) -> Path | None:
    """Find the declared file `path` under `root`, tolerating how users unpack releases.

    First at its native relative location; else anywhere below `root`, preferring the file whose
    path shares the longest tail with the declared one (so `questions/Mainland/train.jsonl` is told
    apart from `questions/US/train.jsonl`). Below the top level a file must share its folder name as
    well as its file name with the declared path. A tie between several files is refused as ambiguous.
    """
    direct = root / path
    if direct.is_file():
        return direct
    if not root.is_dir():
        return None
    wanted = Path(path).parts
    scored: dict[int, list[Path]] = {}
    for hit in root.rglob(wanted[-1]):
        if hit.is_file():
            parts = hit.relative_to(root).parts
            shared = next((n for n in range(len(wanted), 0, -1) if parts[-n:] == wanted[-n:]), 0)
            if len(parts) == 1 or shared >= min(2, len(wanted)):
                scored.setdefault(shared, []).append(hit)
    if not scored:
        return None
    best = sorted(scored[max(scored)])
    if len(best) > 1:
        shown = ", ".join(str(h.relative_to(root)) for h in best[:5])
        raise MissingRawFilesError(
            f"{path} is ambiguous under {root}: {shown}; point --raw at the folder of one corpus release"
        )
    return best[0]


def present(root: Path, spec: RawFile) -> bool:
    if spec.is_pattern:
        return root.is_dir() and any(p.is_file() for p in root.glob(spec.path))
    return locate(root, spec.path) is not None


def missing_message(corpus: Corpus, root: Path, missing: Iterable[RawFile]) -> str:
    lines = [f"{corpus.name} ({corpus.id}): raw files not found under {root}:"]
    lines += [f"  - {f.path}: {f.description}" for f in missing]
    return "\n".join(lines) + "\n" + how_to_get(corpus)


def how_to_get(corpus: Corpus) -> str:
    text = f"Get them from: {corpus.download}"
    if corpus.downloadable:
        text += f"\nOr let meds-ins fetch them: meds-ins download {corpus.id}"
    return text


def missing_files(corpus: Corpus, root: Path) -> list[RawFile]:
    """The declared files a build needs and does not find under `root`: every required file, and at
    least one declared file at all."""
    if not root.is_dir():
        return [f for f in corpus.raw_files if f.required] or list(corpus.raw_files)
    missing = [f for f in corpus.raw_files if f.required and not present(root, f)]
    if not missing and not any(present(root, f) for f in corpus.raw_files):
        missing = list(corpus.raw_files)
    return missing


def check_raw_files(corpus: Corpus, root: Path) -> None:
    """Before building: every required file must be there, and at least one declared file at all."""
    if not root.is_dir():
        raise MissingRawFilesError(
            f"{corpus.name} ({corpus.id}): raw folder {root} does not exist.\n{how_to_get(corpus)}"
        )
    missing = missing_files(corpus, root)
    if missing:
        raise MissingRawFilesError(missing_message(corpus, root, missing))


@dataclass(frozen=True)
class Builder:
    corpus: Corpus
    tasks: tuple[Task, ...]
    generate: Callable[[BuildContext], Iterable[Example]] = field(repr=False)

    def task(self, id_or_name: str) -> Task:
        for t in self.tasks:
            if id_or_name in (t.id, t.name):
                return t
        raise BuilderError(
            f"{self.corpus.id}: yields an example for task {id_or_name!r}, "
            f"which it does not declare (declared: {', '.join(t.id for t in self.tasks)})"
        )
