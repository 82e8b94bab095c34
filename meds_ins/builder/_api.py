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
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from meds_ins._common.errors import BuilderError, MissingRawFilesError
from meds_ins.builder._sources import Download
from meds_ins.builder._terms import OPEN_LICENCES, ByLicence, Redistribution, Withheld

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
