"""The catalog: every task and corpus of the collection, and which of them have a builder.

Builders (builders/<corpus_id>.py) are the authority for what they build. The roadmap
(meds_ins/roadmap/*.csv) indexes the whole MedS-Ins collection as the reference describes it, so that
tasks without a builder yet are listed too and builders can be checked against the reference.
"""

from __future__ import annotations

import csv
import importlib
import pkgutil
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import Any

from meds_ins._common import resources, schema
from meds_ins._common.errors import BuilderError, UnknownNameError
from meds_ins._common.languages import language_code
from meds_ins._common.names import unknown
from meds_ins.builder._api import Builder, Corpus, Task


@dataclass(frozen=True)
class TaskInfo:
    id: str
    name: str  # '' when the reference gives no file name and no builder has named it yet
    category: str
    source: str  # corpus id, '' when unknown
    languages: list[str]
    in_bench: bool | None  # None: unknown
    built: bool  # a builder produces it
    metadata: dict[str, Any] | None  # the builder's task metadata (schemas/task.json) when built
    note: str = ""  # from the index: what is uncertain about the task, or why it is not built

    @property
    def number(self) -> int:
        return int(self.id[4:])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "source": self.source,
            "languages": self.languages,
            "in_bench": self.in_bench,
            "built": self.built,
            **({"metadata": self.metadata} if self.metadata else {}),
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True)
class CorpusInfo:
    id: str
    name: str
    paper_names: list[str]
    tasks: list[str]
    built: bool
    metadata: dict[str, Any] | None  # the builder's corpus metadata (schemas/corpus.json) when built

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "paper_names": self.paper_names,
            "tasks": self.tasks,
            "built": self.built,
            **({"metadata": self.metadata} if self.metadata else {}),
        }


class Catalog:
    def __init__(
        self,
        builders: dict[str, Builder],
        roadmap_tasks: list[dict[str, str]],
        roadmap_corpora: list[dict[str, str]],
    ) -> None:
        self.builders = builders
        self._roadmap_tasks = roadmap_tasks
        self._roadmap_corpora = roadmap_corpora

    # -- lookups -----------------------------------------------------------------------------
    def builder(self, corpus_id: str) -> Builder:
        if corpus_id not in self.builders:
            planned = {c["id"] for c in self._roadmap_corpora}
            if corpus_id in planned:
                raise UnknownNameError(
                    f"corpus {corpus_id!r} is part of MedS-Ins but has no builder in the installed "
                    f"meds-ins.{unseen_builder_hint(corpus_id)} Corpora with builders: "
                    f"{', '.join(sorted(self.builders))}"
                )
            known = set(self.builders) | planned
            raise UnknownNameError(f"{unknown('corpus', corpus_id, known)}{unseen_builder_hint(corpus_id)}")
        return self.builders[corpus_id]

    def absent_task(self, id_or_name: str, *, published: bool = False) -> str | None:
        """Why a task of the collection is not in a store, and how to get it; None when the collection
        has no task of that id or name. `published`: the store is a Hub repository."""
        found = next((t for t in self.tasks() if id_or_name in (t.id, t.name)), None)
        if found is None:
            return None
        label = f"{found.id} ({found.name})" if found.name else found.id
        holder = "this repository" if published else "this store"
        if not found.built:
            why = found.note or "no builder yet"
            return (
                f"task {label} is part of MedS-Ins but has no builder ({why}), so it is not in {holder}: "
                "import its released task file with `meds-ins import FILE --store STORE`"
            )
        corpus = self.builders[found.source].corpus
        source = f"{corpus.name} (`{corpus.id}`)"
        build = f"`meds-ins build {corpus.id} --raw DIR` (raw files: {corpus.download})"
        reason = corpus.redistribution.reason if not corpus.redistributable else ""  # type: ignore[union-attr]
        if published and reason:
            return (
                f"task {label} comes from {source}, which is never published on the Hub ({reason}); "
                f"if you hold its raw files, build it locally with {build}"
            )
        if reason:
            return (
                f"task {label} from {source} is not built in {holder}; it is recipe-only ({reason}): "
                f"build it from files you hold with {build}"
            )
        if published:
            return f"task {label} from {source} is not published in {holder}: build it locally with {build}"
        return f"task {label} from {source} is not built in {holder}: build it with {build}"

    def built_task(self, id_or_name: str) -> tuple[Builder, Task]:
        for builder in self.builders.values():
            for task in builder.tasks:
                if id_or_name in (task.id, task.name):
                    return builder, task
        raise unknown("task", id_or_name, {t.name or t.id for t in self.tasks(built=True)})

    # -- listings ----------------------------------------------------------------------------
    def tasks(
        self,
        *,
        category: str | None = None,
        language: str | None = None,
        source: str | None = None,
        built: bool | None = None,
    ) -> list[TaskInfo]:
        """The tasks of the collection, filtered; unknown category, language or corpus names are refused
        with the closest valid ones (a language is an ISO 639-1 code or an English name)."""
        if category is not None:
            categories = {c.lower(): c for c in schema.enum("category")}
            if category.lower() not in categories:
                raise unknown("category", category, set(categories.values()))
        if source is not None and source not in {c.id for c in self.corpora()}:
            raise unknown("corpus", source, {c.id for c in self.corpora()})
        if language is not None:
            language = language_code(language)
        built_tasks = {t.id: (b, t) for b in self.builders.values() for t in b.tasks}
        infos = []
        for row in self._roadmap_tasks:
            pair = built_tasks.pop(row["id"], None)
            infos.append(_task_info(row, pair))
        infos += [
            _task_info(None, pair) for pair in built_tasks.values()
        ]  # tasks the reference does not list
        infos.sort(key=lambda t: t.number)
        return [
            t
            for t in infos
            if (category is None or t.category.lower() == category.lower())
            and (language is None or language in t.languages)
            and (source is None or t.source == source)
            and (built is None or t.built == built)
        ]

    def corpora(self, *, built: bool | None = None) -> list[CorpusInfo]:
        infos = {}
        for row in self._roadmap_corpora:
            b = self.builders.get(row["id"])
            infos[row["id"]] = CorpusInfo(
                id=row["id"],
                name=b.corpus.name if b else row["paper_names"].split(";")[0],
                paper_names=row["paper_names"].split(";"),
                tasks=[t.id for t in b.tasks] if b else [t for t in row["tasks"].split(";") if t],
                built=b is not None,
                metadata=b.corpus.to_dict() if b else None,
            )
        for cid, b in self.builders.items():
            if cid not in infos:
                infos[cid] = CorpusInfo(
                    cid,
                    b.corpus.name,
                    list(b.corpus.paper_names),
                    [t.id for t in b.tasks],
                    True,
                    b.corpus.to_dict(),
                )
        return [infos[c] for c in sorted(infos) if built is None or infos[c].built == built]


def _task_info(row: dict[str, str] | None, pair: tuple[Builder, Task] | None) -> TaskInfo:
    if pair is not None:
        builder, task = pair
        meta = task.to_dict(builder.corpus.id)
        languages = sorted(set(meta["input_languages"]) | set(meta["output_languages"]))
        return TaskInfo(
            task.id, task.name, task.category, builder.corpus.id, languages, task.in_bench, True, meta
        )
    assert row is not None
    languages = sorted(
        {code for part in row["languages"].replace(">", ";").split(";") if (code := part.strip())}
    )
    in_bench = {"yes": True, "no": False}.get(row["in_bench"])
    return TaskInfo(
        row["id"], row["name"], row["category"], row["corpus"], languages, in_bench, False, None, row["note"]
    )


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.roadmap().joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def builders_folder() -> Path:
    """The folder the installed package loads builder modules from."""
    return Path(next(iter(importlib.import_module("meds_ins.builders").__path__))).resolve()


def unseen_builder_hint(corpus_id: str) -> str:
    """Why a builder written with `meds-ins new-corpus` is not found, and how to make it found."""
    written = Path.cwd() / "builders" / f"{corpus_id}.py"
    installed = builders_folder()
    if written.is_file() and written.parent.resolve() != installed:
        return (
            f" {written} exists, but the installed meds-ins loads builders from {installed}: install "
            f"this checkout with `pip install -e {Path.cwd()}` so that it sees the builder "
            f"(`meds-ins validate {written}` checks it meanwhile)."
        )
    return (
        f" The installed meds-ins loads builders from {installed}; a builder written with "
        "`meds-ins new-corpus` is found once its repository checkout is installed with "
        "`pip install -e CHECKOUT`."
    )


def discover_builders() -> dict[str, Builder]:
    """Import every module in meds_ins.builders and check what it declares against the schemas."""
    # Discovered at run time: the builder modules are whatever the installed package holds.
    package = importlib.import_module("meds_ins.builders")
    builders: dict[str, Builder] = {}
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{package.__name__}.{module.name}")
        builder = getattr(loaded, "BUILDER", None)
        if not isinstance(builder, Builder):
            raise BuilderError(f"builders/{module.name}.py defines no BUILDER = Builder(...)")
        check_builder(builder, module.name)
        builders[builder.corpus.id] = builder
    _check_unique_tasks(builders)
    return builders


def check_builder(builder: Builder, module_name: str) -> None:
    """A builder's declarations must satisfy schemas/corpus.json and task.json and agree with each other."""
    corpus = builder.corpus
    where = f"builders/{module_name}.py"
    problems = []
    if corpus.id != module_name:
        problems.append(f"corpus id {corpus.id!r} must equal the module name {module_name!r}")
    problems += [f"corpus: {e.message}" for e in schema.validator("corpus").iter_errors(corpus.to_dict())]
    problems += source_problems(corpus)
    problems += [f"corpus: {p}" for p in corpus.terms_problems()]
    if not builder.tasks:
        problems.append("declares no tasks")
    for task in builder.tasks:
        problems += [
            f"{task.id}: {e.message}" for e in schema.validator("task").iter_errors(task.to_dict(corpus.id))
        ]
        if not task.name.startswith(task.id + "_"):
            problems.append(f"{task.id}: name {task.name!r} must start with {task.id + '_'!r}")
        policy_splits = {"train-only": ("train",), "test-only": ("test",)}.get(task.split_policy)
        if policy_splits and tuple(task.splits) != policy_splits:
            problems.append(f"{task.id}: split policy {task.split_policy} means splits {policy_splits}")
        if task.split_policy == "random-9:1" and tuple(task.splits) != ("train", "test"):
            problems.append(f"{task.id}: a random 9:1 split produces both train and test")
    if problems:
        raise BuilderError(f"{where} is not a valid builder:\n  " + "\n  ".join(problems))


def source_problems(corpus: Corpus) -> list[str]:
    """Download declarations must be well formed, land on declared raw files, and never fetch the files
    of a corpus that needs registration or credentials."""
    problems = [f"sources: {p}" for d in corpus.sources for p in d.problems()]
    if corpus.access != "public" and any(d.automatic for d in corpus.sources):
        problems.append(
            f"sources: {corpus.access} corpora are never downloaded; declare no automatic sources"
        )
    declared = [f.path for f in corpus.raw_files]
    for d in corpus.sources:  # a manual one names the file the user fetches, which may be an archive
        if (
            d.automatic
            and d.unpack is None
            and not any(d.name == p or fnmatchcase(d.name, p) for p in declared)
        ):
            problems.append(f"sources: {d.name} is not one of the declared raw_files")
    return problems


def _check_unique_tasks(builders: dict[str, Builder]) -> None:
    seen: dict[str, str] = {}
    for cid, builder in builders.items():
        for task in builder.tasks:
            for key in (task.id, task.name):
                if key in seen and seen[key] != cid:
                    raise BuilderError(f"{key} is declared by both {seen[key]} and {cid}")
                seen[key] = cid


@cache
def load_catalog() -> Catalog:
    return Catalog(discover_builders(), _read_csv("tasks.csv"), _read_csv("corpora.csv"))
