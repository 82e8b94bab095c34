"""The validator engine: one list of findings for a store or a builder, shown by `meds-ins validate`.

Each finding has a severity, a stable code, a location precise enough to act on (file, task, record
id) and a one-line fix. Record checks are vectorized (see checks.py) and read the store batch by batch.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

from meds_ins import card, checks, resources, schema
from meds_ins.builder import Builder
from meds_ins.errors import BuilderError, MedsInsError, UsageError
from meds_ins.store import Store, open_store, sha256_file

Severity = Literal["error", "warning"]
BATCH_ROWS = 262_144
# Columns whose value is fixed by the task metadata.
TASK_COLUMNS = {
    "task": "name",
    "category": "category",
    "source": "source",
    "instruction": "instruction",
    "instruction_language": "instruction_language",
}


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    location: str
    message: str
    fix: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        head = f"{self.severity.upper():7} {self.code:24} {self.location}: {self.message}"
        return f"{head}\n{'':33}fix: {self.fix}"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


# ---------------------------------------------------------------------------------------------
# Stores


def validate_store(path: Path) -> list[Finding]:
    store = open_store(path)
    findings = list(_metadata(store))
    findings += _card(store)
    for name, entry in store.manifest["tasks"].items():
        meta = store.tasks.get(name)
        if meta is None:
            findings.append(
                Finding(
                    "error",
                    "store.task-metadata",
                    "meta/tasks.json",
                    f"{name} is in the manifest but has no task metadata",
                    "rebuild the store",
                )
            )
            continue
        for split, part in entry["splits"].items():
            for f in part["files"]:
                findings += _file(store, meta, split, f)
        findings += _unique_ids(store, name)
    return findings


def _metadata(store: Store) -> Iterator[Finding]:
    for e in schema.validator("manifest").iter_errors(store.manifest):
        yield Finding(
            "error",
            "store.manifest",
            "meta/manifest.json" + _pointer(e),
            e.message,
            "rebuild the store with `meds-ins build`",
        )
    for name, meta in store.tasks.items():
        for e in schema.validator("task").iter_errors(meta):
            yield Finding(
                "error",
                "store.task-metadata",
                f"meta/tasks.json, {name}" + _pointer(e),
                e.message,
                "fix the task declaration in its builder and rebuild",
            )
    for cid, meta in store.corpora.items():
        for e in schema.validator("corpus").iter_errors(meta):
            yield Finding(
                "error",
                "store.corpus-metadata",
                f"meta/corpora.json, {cid}" + _pointer(e),
                e.message,
                "fix the corpus declaration in its builder and rebuild",
            )
    listed = set(store.manifest["tasks"])
    for name in sorted(set(store.tasks) - listed):
        yield Finding(
            "error",
            "store.task-metadata",
            f"meta/tasks.json, {name}",
            "task metadata without data in the manifest",
            "rebuild the store",
        )


def _pointer(error: Any) -> str:
    return f" at /{'/'.join(map(str, error.absolute_path))}" if error.absolute_path else ""


def _card(store: Store) -> list[Finding]:
    readme = store.root / "README.md"
    if not readme.is_file():
        return [
            Finding(
                "error",
                "store.card",
                "README.md",
                "the store has no dataset card",
                "rebuild the store; the card is generated on every build",
            )
        ]
    text = readme.read_text(encoding="utf-8")
    try:
        _, front, _ = text.split("---\n", 2)
        configs = yaml.safe_load(front).get("configs")
    except (ValueError, AttributeError, yaml.YAMLError):
        return [
            Finding(
                "error",
                "store.card",
                "README.md",
                "the card has no readable YAML front matter",
                "rebuild the store; the card is generated on every build",
            )
        ]
    if configs != card.configs(store):
        return [
            Finding(
                "error",
                "store.card-configs",
                "README.md",
                "the card's `configs:` do not match the files in the manifest, so plain "
                "`datasets.load_dataset` would load the wrong files",
                "rebuild the store",
            )
        ]
    return []


def _file(store: Store, meta: dict[str, Any], split: str, entry: dict[str, Any]) -> list[Finding]:
    rel = entry["path"]
    path = store.root / rel
    if not path.is_file():
        return [
            Finding(
                "error", "store.missing-file", rel, "listed in the manifest but absent", "rebuild the store"
            )
        ]
    findings = []
    if sha256_file(path) != entry["sha256"]:
        findings.append(
            Finding(
                "error",
                "store.checksum",
                rel,
                "content differs from the manifest's sha256",
                "the file was changed after the build; rebuild the store",
            )
        )
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as e:
        return findings + [
            Finding(
                "error", "store.unreadable", rel, f"not a readable parquet file ({e})", "rebuild the store"
            )
        ]
    if parquet.metadata.num_rows != entry["rows"]:
        findings.append(
            Finding(
                "error",
                "store.row-count",
                rel,
                f"{parquet.metadata.num_rows} rows, manifest says {entry['rows']}",
                "rebuild the store",
            )
        )
    if not parquet.schema_arrow.equals(schema.record_arrow_schema()):
        return findings + [
            Finding(
                "error",
                "store.arrow-schema",
                rel,
                "columns or types differ from the schema derived from schemas/record.json",
                "rebuild the store with this version of meds-ins",
            )
        ]
    compiled = checks.compile_record_checks()
    expected = {column: meta[key] for column, key in TASK_COLUMNS.items()} | {"split": split}
    languages = {"input_language": meta["input_languages"], "output_language": meta["output_languages"]}
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
        table = pa.Table.from_batches([batch])
        ids = table.column("id")
        for v in checks.check_table(table, compiled):
            findings.append(
                Finding("error", v.code, _records(meta["name"], ids, v.rows, v.count, rel), v.rule, v.fix)
            )
        for column, value in expected.items():
            bad = pc.not_equal(table.column(column), pa.scalar(value))
            findings += _mismatch(meta["name"], rel, ids, bad, f"{column} differs from the task's {value!r}")
        for column, allowed in languages.items():
            bad = pc.invert(pc.is_in(table.column(column), value_set=pa.array(allowed)))
            findings += _mismatch(meta["name"], rel, ids, bad, f"{column} is not one of the task's {allowed}")
    return findings


def _mismatch(
    task: str, rel: str, ids: pa.ChunkedArray, mask: pa.ChunkedArray, message: str
) -> list[Finding]:
    mask = pc.fill_null(mask, True)
    count = pc.sum(pc.cast(mask, pa.int64())).as_py() or 0
    if not count:
        return []
    rows = pc.indices_nonzero(mask)[: checks.SAMPLE_ROWS].to_pylist()
    return [
        Finding(
            "error",
            "store.task-consistency",
            _records(task, ids, rows, count, rel),
            message,
            "records must carry their task's metadata; rebuild the store",
        )
    ]


def _records(task: str, ids: pa.ChunkedArray, rows: list[int], count: int, rel: str) -> str:
    shown = ", ".join(str(ids[i].as_py()) for i in rows)
    more = f" and {count - len(rows)} more" if count > len(rows) else ""
    return f"{rel} ({task}), record {shown}{more}"


def _unique_ids(store: Store, name: str) -> list[Finding]:
    columns = []
    for split in store.splits(name):
        for path in store.files(name, split):
            try:
                columns.append(pq.read_table(path, columns=["id"]).column("id").combine_chunks())
            except (OSError, pa.ArrowInvalid, KeyError):
                continue  # missing or unreadable files are reported by _file
    if not columns:
        return []
    ids = pa.chunked_array(columns)
    counts = ids.value_counts()
    dup = counts.filter(pc.greater(counts.field("counts"), 1)).to_pylist()
    if not dup:
        return []
    shown = ", ".join(f"{d['values']} ({d['counts']}x)" for d in dup[:5])
    return [
        Finding(
            "error",
            "store.duplicate-id",
            f"{name}",
            f"{len(dup)} record id(s) repeat: {shown}",
            "give every example a distinct key within its task",
        )
    ]


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


def validate_builder(target: str, raw: Path | None = None) -> list[Finding]:
    """Check a builder's declarations, build it on its fixture (or on `raw`), and validate the result."""
    from meds_ins.build import build

    try:
        builder = load_builder(target)
    except BuilderError as e:
        return [
            Finding("error", "builder.declaration", target, str(e), "fix the declarations the message names")
        ]
    source = raw or fixture_dir(builder, Path(target) if target.endswith(".py") else None)
    with tempfile.TemporaryDirectory(prefix="meds-ins-validate-") as tmp:
        try:
            report = build([builder], source, Path(tmp) / "store", progress=False)
        except MedsInsError as e:
            return [
                Finding(
                    "error",
                    "builder.build",
                    f"{builder.corpus.id} on {source}",
                    str(e),
                    "make the builder read its fixture without errors",
                )
            ]
        findings = validate_store(report.store.root)
        declared = {t.name for t in builder.tasks}
        produced = set(report.store.manifest["tasks"])
        for name in sorted(declared - produced):
            findings.append(
                Finding(
                    "warning",
                    "builder.empty-task",
                    f"{builder.corpus.id}: {name}",
                    f"no records from {source}",
                    "extend the fixture so every task gets records",
                )
            )
        return findings


def to_json(findings: list[Finding]) -> str:
    errors = sum(f.severity == "error" for f in findings)
    return json.dumps(
        {"errors": errors, "warnings": len(findings) - errors, "findings": [f.to_dict() for f in findings]},
        indent=2,
        ensure_ascii=False,
    )
