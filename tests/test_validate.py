"""The validator: findings with code, location and fix for broken stores and builders."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from meds_ins._building.catalog import load_catalog
from meds_ins._common import schema
from meds_ins._store.writer import PARQUET_OPTIONS
from meds_ins._validation.audits import HEAD_CHARS
from meds_ins._validation.builders import validate_builder
from meds_ins._validation.findings import Finding
from meds_ins._validation.stores import validate_store

TASK = "task57_medqa_question_answering_en"
FILE = f"data/{TASK}/test-00000-of-00001.parquet"


@pytest.fixture
def store(build_store) -> Path:
    return build_store(["medqa", "pubmedqa"]).store.root


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def rewrite(store: Path, change, file: str = FILE) -> None:
    """Rewrite a file with changed records, keeping the manifest's checksum out of date on purpose."""
    path = store / file
    rows = pq.read_table(path).to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema.record_arrow_schema()), path, **PARQUET_OPTIONS)


def test_clean_store_has_no_findings(store: Path):
    assert validate_store(store) == []


def test_record_rules_and_task_consistency(store: Path):
    def break_records(rows):
        rows[0]["output"] = ["  "]
        rows[1]["category"] = "Diagnosis"
        rows[1]["input_language"] = "fr"

    rewrite(store, break_records)
    findings = validate_store(store)
    assert {"store.checksum", "record.blank", "store.task-consistency"} <= codes(findings)
    blank = next(f for f in findings if f.code == "record.blank")
    assert blank.location.startswith(f"{FILE} ({TASK}), record task57:test-1") and "output" in blank.message
    mismatch = [f for f in findings if f.code == "store.task-consistency"]
    assert any("category differs from the task's 'Question Answering'" in f.message for f in mismatch)
    assert any("input_language is not one of the task's ['en']" in f.message for f in mismatch)
    assert all(f.fix for f in findings)


def test_duplicate_ids_and_row_counts(store: Path):
    rewrite(store, lambda rows: rows.append(dict(rows[0])))
    found = codes(validate_store(store))
    assert {"store.duplicate-id", "store.row-count", "store.checksum"} <= found


def test_missing_file_and_card_drift(store: Path):
    (store / FILE).unlink()
    readme = store / "README.md"
    readme.write_text(readme.read_text().replace(f"data/{TASK}/test-*", f"data/{TASK}/other-*"))
    found = codes(validate_store(store))
    assert {"store.missing-file", "store.card-configs"} <= found


def test_metadata_against_schemas(store: Path):
    path = store / "meta" / "tasks.json"
    tasks = json.loads(path.read_text())
    tasks[0]["category"] = "Vibes"
    path.write_text(json.dumps(tasks))
    findings = [f for f in validate_store(store) if f.code == "store.task-metadata"]
    assert findings and "Vibes" in findings[0].message and "/category" in findings[0].location


@pytest.mark.parametrize("corpus", sorted(load_catalog().builders))
def test_every_builder_passes_on_its_fixture(corpus: str):
    findings = validate_builder(corpus)
    assert [str(f) for f in findings] == []


def test_builder_module_with_broken_declarations(tmp_path: Path):
    module = tmp_path / "bad_corpus.py"
    module.write_text(
        "from meds_ins.builder import BY_LICENCE, Builder, Corpus, RawFile, Task\n"
        "CORPUS = Corpus(id='other_name', name='Bad', homepage='ftp://x', download='x', citation='x',\n"
        "    license='x',\n"
        "    license_source='x', redistribution=BY_LICENCE, access='credentialed', languages=('english',),\n"
        "    text_source='Exam', raw_files=(RawFile('a.txt', 'a'),))\n"
        "BUILDER = Builder(CORPUS, (Task('task9', 'task10_x', 'Vibes', 'Do.'),), lambda ctx: iter(()))\n"
    )
    findings = validate_builder(str(module))
    assert codes(findings) == {"builder.declaration"}
    message = findings[0].message
    for problem in (
        "must equal the module name",
        "ftp://x",
        "'english' is not one of",
        "False was expected",
        "a credentialed corpus is never published",
        "BY_LICENCE needs a licence that allows sharing",
        "'Vibes' is not one of",
        "must start with 'task9_'",
    ):
        assert problem in message


def test_builder_that_fails_on_its_fixture(tmp_path: Path):
    module = tmp_path / "toy.py"
    module.write_text(
        "from builders_test_helpers import make_corpus, TOY_TASK\n"
        "from meds_ins.builder import Builder\n"
        "from meds_ins.builder import RawFormatError\n"
        "def generate(ctx):\n"
        "    raise RawFormatError(ctx.file('items.txt'), 'line 1', 'expected four tab-separated fields')\n"
        "    yield\n"
        "BUILDER = Builder(make_corpus(), (TOY_TASK,), generate)\n"
    )
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "items.txt").write_text("x\n")
    findings = validate_builder(str(module), raw=raw)
    assert codes(findings) == {"builder.build"}
    assert "items.txt, line 1: expected four tab-separated fields" in findings[0].message


def test_near_duplicate_across_splits_and_parallel_workers(store: Path):
    """A test input that is a train input with its case and spacing changed is found, by one process
    or two (the store's test files are read first, the train inputs normalized only where needed)."""
    long = "A long case history that runs on; " * 10
    assert len(long) > HEAD_CHARS  # long enough for the key to matter
    rewrite(store, lambda rows: rows[0].update(input=long), file=FILE.replace("test-", "train-"))
    rewrite(store, lambda rows: rows[0].update(input=long.upper().replace(";", ",")))
    one, two = validate_store(store), validate_store(store, workers=2)
    assert [str(f) for f in one] == [str(f) for f in two]
    near = next(f for f in one if f.code == "audit.train-test-near-duplicate")
    assert near.location == f"{TASK}, record task57:test-1"


def test_without_audits_records_are_still_checked(store: Path, capsys):
    """--no-audits leaves out the audit.* checks only: files, metadata and records are still checked."""

    def change(rows: list[dict]) -> None:
        rows[0]["input_language"] = "xx"  # a record breaking the schema
        rows[1]["input"] += " Call (555) 123-4567."  # personal data: an audit finding

    rewrite(store, change)
    full, quick = codes(validate_store(store)), codes(validate_store(store, audits=False, workers=2))
    assert {"record.not-allowed", "store.checksum", "audit.personal-data"} <= full
    assert quick == full - {c for c in full if c.startswith("audit.")}
    from meds_ins._cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(store), "--no-audits", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert exit_info.value.code == 1 and {f["code"] for f in report["findings"]} == quick
