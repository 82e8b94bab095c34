"""Validating a store: every file against its manifest (checksums, row counts, schema), the metadata
against the schemas, the card, the paraphrases, unique ids, and the data audits, corpus by corpus.

Record checks and audits are vectorized and read data batch by batch; per-record problems are counted
and shown with the first few locations. Audit findings a builder explains in `audit_exceptions` are
left out (and counted as explained). Audits compare tasks only within a corpus, so corpora are validated
one at a time (memory follows the largest corpus), or in parallel worker processes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml
from tqdm import tqdm

from meds_ins._common import schema, textfiles
from meds_ins._common.errors import RawFormatError
from meds_ins._records import checks
from meds_ins._store import card
from meds_ins._store.layout import PARAPHRASES, Store, StoreMetadataError, open_store, sha256_file
from meds_ins._store.writer import DICTIONARY_COLUMNS, repeated_ids
from meds_ins._validation.findings import (
    AUDITS,
    Finding,
    Report,
    audits_available,
    finding,
    shown,
)

if TYPE_CHECKING:
    from meds_ins._validation.audits import TaskAudit

# Columns whose value is fixed by the task metadata.
TASK_COLUMNS = {
    "task": "name",
    "category": "category",
    "source": "source",
    "instruction": "instruction",
    "instruction_language": "instruction_language",
}


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
    try:
        store = open_store(path)
    except StoreMetadataError as e:  # every problem, as findings; nothing more can be read
        found = [finding(METADATA_CODES[kind], where, message) for kind, where, message in e.problems]
        return Report(found, 0) if explain else found
    findings: list[Finding] = []
    if audits:
        audits, findings = audits_available()
    findings += _metadata(store)
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


METADATA_CODES = {
    "manifest": "store.manifest",
    "task": "store.task-metadata",
    "corpus": "store.corpus-metadata",
    "paraphrases": "store.paraphrases",
}


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
    known = []
    for name in names:
        if name in store.tasks:
            known.append(name)
        else:
            message = f"{name} is in the manifest but has no task metadata"
            findings.append(finding("store.task-metadata", "meta/tasks.json", message))
    audits: dict[str, TaskAudit] = {}
    if audit_data:  # imported here: the audits' extra (polars) may not be installed
        from meds_ins._validation.audits import (
            TaskAudit,
            cross_task_findings,
            resolve_deferred,
            share_test_keys,
        )

        for name in known:
            audits[name] = TaskAudit(name, public=public, describe=_record_of(name), deferred=True)
    # Test files first: the train inputs are then normalized only where a test input may match them.
    audited: dict[str, list[Path]] = {name: [] for name in audits}  # test files the audits read
    for train in (False, True):
        if train and audits:
            share_test_keys(audits)
        for name in known:
            audit = audits.get(name)
            for split, entry in _files(store, name, train):
                before = audit.rows if audit else 0
                findings += _file(store, store.tasks[name], split, entry, compiled, audit)
                if audit and not train and audit.rows > before:
                    audited[name].append(store.path(entry["path"]))
    for name in known:
        findings += _unique_ids(store, name)
        if store.tasks[name].get("in_bench") and "test" not in store.manifest["tasks"][name]["splits"]:
            message = f"{name} is in MedS-Bench but the store has no test split"
            findings.append(finding("store.bench-split", name, message))
    found: dict[str, list[Finding]] = {name: [] for name in known}
    if audits:
        resolve_deferred(audits, lambda name: _inputs(audited[name]))
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
    path = store.path(PARAPHRASES)
    if not path.is_file():
        return []
    try:
        value = textfiles.read_json(path)
    except RawFormatError as e:
        return [finding("store.paraphrases", PARAPHRASES, f"unreadable: {e.problem}")]
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
    readme = store.path("README.md")
    if not readme.is_file():
        return [finding("store.card", "README.md", "the store has no dataset card")]
    try:
        text = textfiles.read_text(readme)
    except RawFormatError as e:
        return [finding("store.card", "README.md", f"unreadable: {e.where or ''} {e.problem}".strip())]
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
    path = store.path(rel)
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
