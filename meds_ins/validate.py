"""The validator engine behind `meds-ins validate`: task files, builders and stores, one list of findings.

- A task file (or a folder of them) is streamed (taskfile.py): its JSON, its structure, its instances
  (through the record checks compiled from schemas/record.json) and its data (audits.py).
- A builder is built on its fixture (or on --raw) and the store it makes is validated.
- A store is checked file by file against its manifest, the schemas, its task metadata, and audited.

Record checks and audits are vectorized and read data batch by batch; per-instance problems are counted
and shown with the first few locations. Audit findings a builder explains in `audit_exceptions` are
left out.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml
from tqdm import tqdm

from meds_ins import card, checks, resources, schema
from meds_ins.audits import TaskAudit, count_locations, cross_task_findings, resolve_deferred
from meds_ins.builder import Builder
from meds_ins.errors import BuilderError, MedsInsError, UsageError
from meds_ins.findings import AUDITS, Finding, Tally, finding, has_errors, shown, strict, to_json
from meds_ins.store import (
    DICTIONARY_COLUMNS,
    PARAPHRASES,
    Store,
    is_store,
    open_store,
    repeated_ids,
    sha256_file,
)
from meds_ins.taskfile import (
    InstanceBatch,
    TaskFileReader,
    TaskHeader,
    assign_splits,
    example_inputs,
    header_findings,
    locate,
    resolve_split,
    task_files,
    task_id,
)

__all__ = [
    "Finding",
    "Report",
    "has_errors",
    "to_json",
    "validate",
    "validate_builder",
    "validate_store",
    "validate_task_files",
]

# Columns whose value is fixed by the task metadata.
TASK_COLUMNS = {
    "task": "name",
    "category": "category",
    "source": "source",
    "instruction": "instruction",
    "instruction_language": "instruction_language",
}


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    explained: int = 0  # audit findings left out because a builder explains them

    def __iadd__(self, other: Report) -> Report:
        self.findings += other.findings
        self.explained += other.explained
        return self


def validate(
    targets: Iterable[str],
    *,
    raw: Path | None = None,
    default_split: str = "train",
    strict_mode: bool = False,
    workers: int = 1,
    audits: bool = True,
) -> Report:
    """Validate each target: a store folder, a builder module or corpus id, task files or folders of them.

    audits=False leaves out the data audits: the files, the metadata and every record against the
    schemas are still checked."""
    report = Report()
    files: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir() and is_store(path):
            report += validate_store(
                path, explain=True, unused_exceptions=strict_mode, workers=workers, audits=audits
            )
        elif path.is_dir() or path.suffix in (".json", ".jsonl"):
            found = task_files([path])
            if not found:
                raise UsageError(
                    f"{target} is not a meds-ins store and holds no task files (*.json, *.jsonl)"
                )
            files += found
        elif path.suffix == ".py" or (not path.exists() and "/" not in target and "\\" not in target):
            report += validate_builder(
                target, raw, explain=True, unused_exceptions=strict_mode, audits=audits
            )
        elif not path.exists():
            raise UsageError(f"no such file or folder: {target}")
        else:
            raise UsageError(
                f"{target}: not a store, a builder (.py or corpus id) or a task file (.json, .jsonl)"
            )
    if files:
        report.findings += validate_task_files(files, default_split=default_split, audits=audits)
    if strict_mode:
        report.findings = strict(report.findings)
    return report


# ---------------------------------------------------------------------------------------------
# Task files


def validate_task_files(
    paths: list[Path], *, default_split: str = "train", audits: bool = True
) -> list[Finding]:
    """Check released task files: JSON, structure, instances, and the data audits across all of them."""
    check = TaskFileCheck(default_split, audits=audits)
    for path in paths:
        for _ in check.read(path):
            pass
    return check.findings()


class TaskFileCheck:
    """Checks task files while they are read, so that the importer validates in the same single pass.

    `read(path)` yields (batch, splits) for each batch of instances; `findings()` gives everything found
    in the files read so far, including the audits across them.
    """

    def __init__(self, default_split: str = "train", *, audits: bool = True) -> None:
        from meds_ins.catalog import load_catalog

        self.default_split = default_split
        self.audit_data = audits
        self.catalog = load_catalog()
        self.record_checks = [c for c in checks.record_checks() if c.column in ("input", "output")]
        self.files: list[str] = []
        self.describe = locate(self.files)
        self.audits: dict[str, TaskAudit] = {}
        self.corpus_of: dict[str, str] = {}
        self.owners: dict[tuple[str, str], str] = {}
        self.headers: list[TaskHeader] = []
        self.ids: dict[str, list[pl.DataFrame]] = {}  # hashed instance ids and locations, per task
        self._findings: list[Finding] = []

    def read(self, path: Path) -> Iterator[tuple[InstanceBatch, list[str]]]:
        reader = TaskFileReader(path)
        index = len(self.files)
        self.files.append(reader.display)
        tally = Tally()
        for batch in reader.batches():
            header = batch.header
            if header.name and header.name == task_id(header.name):  # named by its instance ids
                known = next((t for t in self.catalog.tasks() if t.id == header.name and t.name), None)
                header.name = known.name if known else header.name
            name = header.name or f"{path.name}:{header.line}"
            splits = assign_splits(batch, resolve_split(header, self.default_split))
            table = batch.table(splits, index)
            for v in checks.check_columns(table, self.record_checks):
                sample = [table["loc"][row].as_py() for row in v.rows]
                count_locations(tally, v.code, v.rule, sample, v.count, self.describe)
            examples = example_inputs(header)
            if examples:
                leaked = pc.filter(table["loc"], pc.is_in(table["input"], value_set=pa.array(examples)))
                detail = "an input of Positive Examples"
                count_locations(
                    tally, "task.example-in-instances", detail, leaked.to_pylist(), len(leaked), self.describe
                )
            if self.audit_data:
                if name not in self.audits:
                    corpus, public = self._corpus(header)
                    self.audits[name] = TaskAudit(name, public=public, describe=self.describe)
                    self.corpus_of[name] = corpus
                self.audits[name].add(table)
            ids = pl.DataFrame({"h": pl.Series(batch.ids, dtype=pl.String).hash(), "loc": table["loc"]})
            self.ids.setdefault(name, []).append(ids.filter(pl.Series(batch.ids).is_not_null()))
            yield batch, splits
        self._findings += reader.findings() + tally.findings()
        for header in reader.headers:
            self.headers.append(header)
            self._findings += header_findings(header)
            key = (task_id(header.name or "") or "", resolve_split(header, self.default_split))
            if key[0] and key in self.owners and self.owners[key] != header.file:
                where, line = header.where()
                message = f"{key[0]} ({key[1]}) is also given by {self.owners[key]}"
                self._findings.append(
                    finding("task.duplicate-task", where, message, file=header.file, line=line)
                )
            self.owners.setdefault(key, header.file)

    def _corpus(self, header: TaskHeader) -> tuple[str, bool]:
        """The corpus of a task (for cross-task audits) and whether it is public.

        The catalog knows a task's corpus by its id; otherwise the task's Source names it. Released task
        files are public unless a builder says the corpus is not.
        """
        tid = task_id(header.name or "")
        info = next((t for t in self.catalog.tasks() if t.id == tid), None) if tid else None
        corpus = info.source if info and info.source else (header.text("Source") or "?")
        builder = self.catalog.builders.get(corpus)
        return corpus, builder is None or builder.corpus.access == "public"

    def findings(self) -> list[Finding]:
        found = list(self._findings)
        for name, parts in self.ids.items():
            repeated = (
                pl.concat(parts).group_by("h").agg(pl.len().alias("n"), pl.col("loc")).filter(pl.col("n") > 1)
            )
            if repeated.height:
                locs = repeated.sort("n", descending=True)["loc"][0].to_list()
                tally = Tally()
                detail = f"{repeated.height} id(s) of {name} repeat; the most: {len(locs)} times"
                count_locations(tally, "instance.duplicate-id", detail, locs[:5], len(locs), self.describe)
                found += tally.findings()
        for audit in self.audits.values():
            found += audit.findings()
        for corpus in sorted(set(self.corpus_of.values())):
            members = {n: a for n, a in self.audits.items() if self.corpus_of[n] == corpus}
            for extra in cross_task_findings(members).values():
                found += extra
        return found


# ---------------------------------------------------------------------------------------------
# Stores


def validate_store(
    path: Path,
    *,
    explain: bool = False,
    unused_exceptions: bool = False,
    workers: int = 1,
    progress: bool = True,
    audits: bool = True,
) -> Any:
    """Findings for a store (a list; with explain=True a Report that also counts explained audits).

    Corpus by corpus: the audits' per-record hashes are released before the next corpus, so memory is
    bounded by the largest corpus, not the store; with `workers` > 1, corpora run in parallel processes.
    """
    store = open_store(path)
    findings = list(_metadata(store))
    findings += _card(store)
    findings += _paraphrases(store)
    by_source: dict[str, list[str]] = {}
    for name, entry in store.manifest["tasks"].items():
        by_source.setdefault(entry["source"], []).append(name)
    # largest corpus first, so that parallel workers finish together
    size = {source: sum(_rows(store, n) for n in names) for source, names in by_source.items()}
    jobs = sorted(by_source, key=lambda source: -size[source])
    results: dict[str, tuple[list[Finding], dict[str, list[Finding]]]] = {}
    bar = tqdm(total=sum(size.values()), desc="validating", unit=" records", disable=not progress or None)
    with bar:
        if workers > 1 and len(jobs) > 1:
            with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
                running = {pool.submit(_corpus, store.root, s, by_source[s], audits): s for s in jobs}
                for done in as_completed(running):
                    results[running[done]] = done.result()
                    bar.update(size[running[done]])
        else:
            for source in jobs:
                results[source] = _corpus(store.root, source, by_source[source], audits)
                bar.update(size[source])
    audit_findings: dict[str, list[Finding]] = {}
    for source in sorted(results):
        findings += results[source][0]
        audit_findings.update(results[source][1])
    # without audits, no exception can explain anything: none is reported as unused
    kept, explained = _apply_exceptions(store, audit_findings, unused_exceptions and audits)
    report = Report(findings + kept, explained)
    return report if explain else report.findings


def _rows(store: Store, name: str) -> int:
    return sum(part["rows"] for part in store.manifest["tasks"][name]["splits"].values())


def _corpus(
    root: Path, source: str, names: list[str], audit_data: bool = True
) -> tuple[list[Finding], dict[str, list[Finding]]]:
    """The findings of one corpus's files, and the audit findings of each of its tasks."""
    store = open_store(root)
    compiled = checks.record_checks()
    public = store.corpora.get(source, {}).get("access") == "public"
    findings: list[Finding] = []
    audits: dict[str, TaskAudit] = {}
    for name in names:
        if name in store.tasks:
            audits[name] = TaskAudit(name, public=public, describe=_record_of(name), deferred=True)
        else:
            message = f"{name} is in the manifest but has no task metadata"
            findings.append(finding("store.task-metadata", "meta/tasks.json", message))
    # Test files first: the train inputs are then normalized only where a test input may match them.
    audited: dict[str, list[Path]] = {name: [] for name in audits}  # test files the audits read
    for train in (False, True):
        if train:
            keys = [audit.test_input_keys() for audit in audits.values()]
            for audit in audits.values():
                audit.test_keys = pl.concat(keys).unique()
        for name, audit in audits.items():
            for split, entry in _files(store, name, train):
                before = audit.rows
                findings += _file(
                    store, store.tasks[name], split, entry, compiled, audit if audit_data else None
                )
                if not train and audit.rows > before:
                    audited[name].append(store.root / entry["path"])
    resolve_deferred(audits, lambda name: _inputs(audited[name]))
    for name in audits:
        findings += _unique_ids(store, name)
        if store.tasks[name].get("in_bench") and "test" not in store.manifest["tasks"][name]["splits"]:
            message = f"{name} is in MedS-Bench but the store has no test split"
            findings.append(finding("store.bench-split", name, message))
    found = {name: audit.findings() for name, audit in audits.items()}
    for name, extra in cross_task_findings(audits).items():
        found[name] += extra
    return findings, found


def _files(store: Store, name: str, train: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    """(split, manifest entry) of a task's train files, or of its other files."""
    for split, part in store.manifest["tasks"][name]["splits"].items():
        if (split == "train") == train:
            for entry in part["files"]:
                yield split, entry


def _inputs(paths: list[Path]) -> Iterator[pa.Array]:
    """The inputs of these files again, batch by batch as `_file` gave them to the audit."""
    for path in paths:
        parquet = pq.ParquetFile(path)
        for group in range(parquet.num_row_groups):
            yield parquet.read_row_group(group, columns=["input"]).column(0).combine_chunks()


def _record_of(task: str) -> Any:
    """How an audit names a record of `task` (its locations are record ids)."""

    def describe(record_id: Any) -> tuple[str, str | None, int | None]:
        return f"{task}, record {record_id}", None, None

    return describe


def _apply_exceptions(
    store: Store, audit_findings: dict[str, list[Finding]], report_unused: bool = True
) -> tuple[list[Finding], int]:
    """Leave out the audit findings a task's metadata explains; report exceptions that explain nothing
    (unless `report_unused` is false: a miniature fixture need not show what the real corpus does)."""
    kept: list[Finding] = []
    explained = 0
    for name, found in audit_findings.items():
        declared = {e["code"]: e["reason"] for e in store.tasks[name].get("audit_exceptions", [])}
        used = set()
        for f in found:
            if f.code in declared:
                explained += 1
                used.add(f.code)
            else:
                kept.append(f)
        for code in sorted(declared):
            if code not in AUDITS:
                kept.append(
                    finding(
                        "exception.unknown-code", f"meta/tasks.json, {name}", f"{code!r} is not an audit code"
                    )
                )
            elif code not in used and report_unused:
                kept.append(
                    finding(
                        "exception.unused",
                        f"meta/tasks.json, {name}",
                        f"{code} is declared but does not fire",
                    )
                )
    return kept, explained


def _metadata(store: Store) -> Iterator[Finding]:
    for e in schema.validator("manifest").iter_errors(store.manifest):
        yield finding("store.manifest", "meta/manifest.json" + _pointer(e), e.message)
    for name, meta in store.tasks.items():
        for e in schema.validator("task").iter_errors(meta):
            yield finding(
                "store.task-metadata",
                f"meta/tasks.json, {name}" + _pointer(e),
                e.message,
                fix="fix the task declaration in its builder and rebuild",
            )
    for cid, meta in store.corpora.items():
        for e in schema.validator("corpus").iter_errors(meta):
            yield finding(
                "store.corpus-metadata",
                f"meta/corpora.json, {cid}" + _pointer(e),
                e.message,
                fix="fix the corpus declaration in its builder and rebuild",
            )
    listed = set(store.manifest["tasks"])
    for name in sorted(set(store.tasks) - listed):
        yield finding(
            "store.task-metadata", f"meta/tasks.json, {name}", "task metadata without data in the manifest"
        )


def _pointer(error: Any) -> str:
    return f" at /{'/'.join(map(str, error.absolute_path))}" if error.absolute_path else ""


def _paraphrases(store: Store) -> list[Finding]:
    path = store.root / PARAPHRASES
    if not path.is_file():
        return []
    import json

    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return [finding("store.paraphrases", PARAPHRASES, f"unreadable: {e}")]
    found = [
        finding("store.paraphrases", PARAPHRASES + _pointer(e), e.message)
        for e in schema.validator("paraphrases").iter_errors(value)
    ]
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(store.manifest["tasks"]))
        if unknown:
            found.append(
                finding(
                    "store.paraphrases",
                    PARAPHRASES,
                    f"paraphrases of tasks not in the store: {', '.join(unknown[:5])}",
                )
            )
    return found


def _card(store: Store) -> list[Finding]:
    readme = store.root / "README.md"
    if not readme.is_file():
        return [finding("store.card", "README.md", "the store has no dataset card")]
    text = readme.read_text(encoding="utf-8")
    try:
        _, front, _ = text.split("---\n", 2)
        configs = yaml.safe_load(front).get("configs")
    except (ValueError, AttributeError, yaml.YAMLError):
        return [finding("store.card", "README.md", "the card has no readable YAML front matter")]
    if configs != card.configs(store):
        return [
            finding(
                "store.card-configs",
                "README.md",
                "the card's `configs:` do not match the files in the manifest, so plain "
                "`datasets.load_dataset` would load the wrong files",
            )
        ]
    return []


def _file(
    store: Store,
    meta: dict[str, Any],
    split: str,
    entry: dict[str, Any],
    compiled: Sequence[checks.ColumnCheck],
    audit: TaskAudit | None,
) -> list[Finding]:
    rel = entry["path"]
    path = store.root / rel
    if not path.is_file():
        return [finding("store.missing-file", rel, "listed in the manifest but absent")]
    findings = []
    if sha256_file(path) != entry["sha256"]:
        findings.append(
            finding(
                "store.checksum",
                rel,
                "content differs from the manifest's sha256",
                fix="the file was changed after the build; rebuild the store",
            )
        )
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as e:
        return findings + [finding("store.unreadable", rel, f"not a readable parquet file ({e})")]
    if parquet.metadata.num_rows != entry["rows"]:
        findings.append(
            finding(
                "store.row-count", rel, f"{parquet.metadata.num_rows} rows, manifest says {entry['rows']}"
            )
        )
    if not parquet.schema_arrow.equals(schema.record_arrow_schema()):
        return findings + [
            finding(
                "store.arrow-schema",
                rel,
                "columns or types differ from the schema derived from schemas/record.json",
                fix="rebuild the store with this version of meds-ins",
            )
        ]
    # categorical columns as dictionaries: their checks then look at each distinct value once
    parquet = pq.ParquetFile(path, read_dictionary=DICTIONARY_COLUMNS)
    expected = {column: meta[key] for column, key in TASK_COLUMNS.items()} | {"split": split}
    languages = {"input_language": meta["input_languages"], "output_language": meta["output_languages"]}
    for group in range(parquet.num_row_groups):  # bounded by the writer; faster than re-batching
        table = parquet.read_row_group(group)
        ids = table.column("id")
        for v in checks.check_table(table, compiled):
            findings.append(
                finding(v.code, _records(meta["name"], ids, v.rows, v.count, rel), v.rule, fix=v.fix)
            )
        for column, value in expected.items():
            bad = checks.per_value(lambda a, v=value: pc.not_equal(a, pa.scalar(v)), table.column(column))
            findings += _mismatch(meta["name"], rel, ids, bad, f"{column} differs from the task's {value!r}")
        for column, allowed in languages.items():
            outside = pa.array(allowed)
            bad = checks.per_value(
                lambda a, s=outside: pc.invert(pc.is_in(a, value_set=s)), table.column(column)
            )
            findings += _mismatch(meta["name"], rel, ids, bad, f"{column} is not one of the task's {allowed}")
        if audit is None:
            continue
        audit.add(
            pa.table(
                {
                    "split": pc.cast(table["split"], pa.string()),
                    "loc": pc.fill_null(ids, "?"),  # the audit's `describe` names the task
                    "input": pc.fill_null(table["input"], ""),
                    "output": table["output"],
                }
            )
        )
    return findings


def _mismatch(
    task: str, rel: str, ids: pa.ChunkedArray, mask: pa.ChunkedArray, message: str
) -> list[Finding]:
    mask = pc.fill_null(mask, True)
    count = pc.sum(pc.cast(mask, pa.int64())).as_py() or 0
    if not count:
        return []
    rows = pc.indices_nonzero(mask)[: checks.SAMPLE_ROWS].to_pylist()
    return [finding("store.task-consistency", _records(task, ids, rows, count, rel), message)]


def _records(task: str, ids: pa.ChunkedArray, rows: list[int], count: int, rel: str) -> str:
    return f"{rel} ({task}), record {shown([str(ids[i].as_py()) for i in rows], count)}"


def _unique_ids(store: Store, name: str) -> list[Finding]:
    repeated = repeated_ids(path for split in store.splits(name) for path in store.files(name, split))
    if not repeated:
        return []
    listed = ", ".join(f"{i} ({n}x)" for i, n in repeated[:5])
    return [finding("store.duplicate-id", name, f"{len(repeated)} record id(s) repeat: {listed}")]


# ---------------------------------------------------------------------------------------------
# Builders


def load_builder(target: str) -> Builder:
    """A builder by corpus id, or from a builder module file (which may not be installed yet)."""
    path = Path(target)
    if path.suffix == ".py":
        if not path.is_file():
            raise UsageError(f"no builder module at {path}")
        spec = importlib.util.spec_from_file_location(f"meds_ins_builder_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        builder = getattr(module, "BUILDER", None)
        if not isinstance(builder, Builder):
            raise BuilderError(f"{path} defines no BUILDER = Builder(...)")
        from meds_ins.catalog import check_builder

        check_builder(builder, path.stem)
        return builder
    from meds_ins.catalog import load_catalog

    return load_catalog().builder(target)


def fixture_dir(builder: Builder, module_path: Path | None = None) -> Path:
    """tests/fixtures/<corpus id> next to the builder's repository, else the copy inside the package."""
    if module_path is not None:
        beside = module_path.resolve().parent.parent / "tests" / "fixtures" / builder.corpus.id
        if beside.is_dir():
            return beside
    packaged = Path(str(resources.fixtures().joinpath(builder.corpus.id)))
    if packaged.is_dir():
        return packaged
    raise UsageError(
        f"{builder.corpus.id} has no fixture: add tests/fixtures/{builder.corpus.id}/ with a miniature "
        "of the raw files in their native format"
    )


def validate_builder(
    target: str,
    raw: Path | None = None,
    *,
    explain: bool = False,
    unused_exceptions: bool = False,
    audits: bool = True,
) -> Any:
    """Check a builder's declarations, build it on its fixture (or on `raw`), and validate the result."""
    from meds_ins.build import build

    try:
        builder = load_builder(target)
    except BuilderError as e:
        found = [finding("builder.declaration", target, str(e))]
        return Report(found) if explain else found
    source = raw or fixture_dir(builder, Path(target) if target.endswith(".py") else None)
    with tempfile.TemporaryDirectory(prefix="meds-ins-validate-") as tmp:
        try:
            built = build([builder], source, Path(tmp) / "store", progress=False, arrow_copies=False)
        except MedsInsError as e:
            found = [finding("builder.build", f"{builder.corpus.id} on {source}", str(e))]
            return Report(found) if explain else found
        except Exception as e:  # a bug in the builder's own code: report it, do not crash
            message = f"the builder raised {type(e).__name__}: {e}"
            found = [finding("builder.build", f"{builder.corpus.id} on {source}", message)]
            return Report(found) if explain else found
        # Audit exceptions explain properties of the real corpus; a fixture need not reproduce them.
        report = validate_store(
            built.store.root,
            explain=True,
            unused_exceptions=unused_exceptions and raw is not None,
            audits=audits,
        )
        declared = {t.name for t in builder.tasks}
        produced = set(built.store.manifest["tasks"])
        for name in sorted(declared - produced):
            report.findings.append(
                finding("builder.empty-task", f"{builder.corpus.id}: {name}", f"no records from {source}")
            )
    return report if explain else report.findings


TASK_FILE = re.compile(r"^task[1-9][0-9]*_[^/]*\.jsonl?$")


def targets_from_changes(paths: Iterable[str]) -> list[str]:
    """What to validate for a list of changed files (as git, pre-commit and CI give them).

    A builder module is validated; a fixture file validates the builder of its corpus; a task file
    (task<N>_*.json or .jsonl) is validated; everything else (code, schemas, deleted files) is left to
    the tests.
    """
    targets: list[str] = []
    for changed in paths:
        path = Path(changed)
        parts = path.parts
        target = ""
        builder = path.suffix == ".py" and parts[-2:-1] == ("builders",) and not path.name.startswith("_")
        if builder or TASK_FILE.match(path.name):
            target = str(path)
        elif "fixtures" in parts[:-2]:  # <repo>/tests/fixtures/<corpus>/<file>
            i = parts.index("fixtures")
            builder = Path(*parts[: max(i - 1, 0)]) / "builders" / f"{parts[i + 1]}.py"
            target = str(builder)
        if target and Path(target).is_file() and target not in targets:
            targets.append(target)
    return targets


def list_checks() -> str:
    """The table of every check: code, severity, what it finds."""
    from meds_ins.findings import CHECKS

    width = max(map(len, CHECKS))
    lines = []
    for check in CHECKS.values():
        severity = "warning*" if check.variant else check.severity
        lines.append(f"{check.code:{width}}  {severity:8}  {check.summary}")
    lines.append("\n* a variant of the released format: an error with --strict")
    return "\n".join(lines)
