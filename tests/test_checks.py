"""Every check of the validator: a file that triggers it, and clean files that pass all of them.

TRIGGERS maps each code of meds_ins.findings.CHECKS to a function that writes something breaking
exactly that rule and returns the findings of validating it; `test_every_check_has_a_trigger` keeps
the table complete.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES
from taskfile_helpers import TOY, instances, line_of, task, write

from meds_ins._common import schema
from meds_ins._records import checks
from meds_ins._store.writer import PARQUET_OPTIONS
from meds_ins._validation.builders import validate_builder
from meds_ins._validation.engine import validate
from meds_ins._validation.findings import CHECKS, Finding
from meds_ins._validation.stores import validate_store
from meds_ins._validation.task_files import validate_task_files

Trigger = Callable[[Path], list[Finding]]
TRIGGERS: dict[str, Trigger] = {}


def trigger(code: str) -> Callable[[Trigger], Trigger]:
    def register(fn: Trigger) -> Trigger:
        TRIGGERS[code] = fn
        return fn

    return register


def files(tmp: Path, *values: tuple[str, object], suffix: str = ".json") -> list[Finding]:
    paths = [write(tmp, name, value, suffix=suffix) for name, value in values]
    return validate_task_files(paths)


def one(tmp: Path, **changes) -> list[Finding]:
    return files(tmp, (TOY, task(**changes)))


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


# ---------------------------------------------------------------------------------------------
# Clean inputs pass every check


def test_clean_task_file_has_no_findings(tmp_path: Path):
    assert [str(f) for f in one(tmp_path)] == []


def test_hand_written_fixture_passes():
    found = validate_task_files([FIXTURES / "validator" / f"{TOY}.json"])
    assert [str(f) for f in found] == []


def test_clean_store_and_builders_have_no_findings(build_store):
    store = build_store(["medqa", "pubmedqa", "bc5cdr"]).store.root
    assert validate_store(store) == []
    assert validate_builder("meqsum") == []


# ---------------------------------------------------------------------------------------------
# JSON


@trigger("json.syntax")
def _syntax(tmp: Path) -> list[Finding]:
    path = write(tmp, TOY, task())
    text = path.read_text()
    path.write_text(text.replace('"no"', '"no', 1))
    found = validate_task_files([path])
    assert next(f for f in found if f.code == "json.syntax").line == line_of(path, '"no')
    return found


@trigger("json.duplicate-key")
def _duplicate_key(tmp: Path) -> list[Finding]:
    path = write(tmp, TOY, task())
    text = (
        path.read_text()
        .replace('"Domains": [', '"Definition": ["Answer."],\n    "Domains": [', 1)
        .replace('"input": "Claim 7:', '"input": "x",\n            "input": "Claim 7:', 1)
    )
    path.write_text(text)
    found = [f for f in validate_task_files([path]) if f.code == "json.duplicate-key"]
    assert [(f.line, "Definition" in f.message) for f in found] == [
        (line_of(path, '"Definition"', 2), True),
        (line_of(path, '"input": "Claim 7:'), False),
    ]
    return found


@trigger("json.encoding")
def _encoding(tmp: Path) -> list[Finding]:
    path = write(tmp, TOY, task())
    line = line_of(path, "Claim 3:")
    path.write_bytes(path.read_bytes().replace(b"Claim 3:", b"Claim \xff3:"))
    found = validate_task_files([path])
    assert next(f for f in found if f.code == "json.encoding").line == line
    return found


# ---------------------------------------------------------------------------------------------
# Task structure


@trigger("task.not-a-task")
def _not_a_task(tmp: Path) -> list[Finding]:
    return files(tmp, (TOY, [task(Task=TOY), 42]))


@trigger("task.missing-key")
def _missing_key(tmp: Path) -> list[Finding]:
    found = one(tmp, Definition=None)
    assert any("'Definition'" in f.message for f in found if f.code == "task.missing-key")
    return found


@trigger("task.unknown-key")
def _unknown_key(tmp: Path) -> list[Finding]:
    found = one(tmp, Defintion=["x"])
    assert "did you mean 'Definition'" in next(f.message for f in found if f.code == "task.unknown-key")
    return found


@trigger("task.type")
def _type(tmp: Path) -> list[Finding]:
    return one(tmp, Categories=7)


@trigger("task.name")
def _name(tmp: Path) -> list[Finding]:
    return files(tmp, ("my-task", task()))


@trigger("task.name-case")
def _name_case(tmp: Path) -> list[Finding]:
    return files(tmp, ("task9001_Toy_Fact_Verification", task()))


@trigger("task.duplicate-task")
def _duplicate_task(tmp: Path) -> list[Finding]:
    return files(tmp, (TOY, task()), ("task9001_other_name", task(Instances=instances(30, 100))))


@trigger("task.category")
def _category(tmp: Path) -> list[Finding]:
    found = one(tmp, Categories=["fact verification"])  # exact match only
    assert "did you mean 'Fact Verification'" in next(f.message for f in found if f.code == "task.category")
    return found


@trigger("task.domain")
def _domain(tmp: Path) -> list[Finding]:
    return one(tmp, Domains=["Medicine and more"])  # no substring matching


@trigger("task.language")
def _language(tmp: Path) -> list[Finding]:
    return one(tmp, Input_language=["Klingonese"])


@trigger("task.definition-language")
def _definition_language(tmp: Path) -> list[Finding]:
    found = one(tmp, Input_language=["Chinese"], Output_language=["Chinese"])
    named = one(tmp / "ok", Input_language=["Chinese"], Definition=["Chinese text."])
    assert "task.definition-language" not in codes(named)
    return found


@trigger("task.split-type")
def _split_type(tmp: Path) -> list[Finding]:
    return one(tmp, **{"Split Type": "Dev", "Reasoning": None})


@trigger("task.no-instances")
def _no_instances(tmp: Path) -> list[Finding]:
    return one(tmp, Instances=[])


@trigger("task.few-instances")
def _few_instances(tmp: Path) -> list[Finding]:
    found = one(tmp, Instances=instances(5))
    assert "at least 10" in next(f.message for f in found if f.code == "task.few-instances")
    return found


@trigger("task.example-in-instances")
def _example_in_instances(tmp: Path) -> list[Finding]:
    example = {"input": instances()[4]["input"], "output": "no", "explanation": "The trial found no benefit."}
    return one(tmp, **{"Positive Examples": [example]})


@trigger("instance.not-object")
def _instance_not_object(tmp: Path) -> list[Finding]:
    return one(tmp, Instances=[*instances(), "oops"])


@trigger("instance.missing-key")
def _instance_missing_key(tmp: Path) -> list[Finding]:
    return one(tmp, Instances=[*instances(), {"id": "task9001-x", "input": "no answer here"}])


@trigger("instance.type")
def _instance_type(tmp: Path) -> list[Finding]:
    return one(tmp, Instances=[*instances(), {"id": "task9001-x", "input": 5, "output": ["no"]}])


@trigger("instance.unknown-key")
def _instance_unknown_key(tmp: Path) -> list[Finding]:
    rows = instances()
    rows[0]["explanation"] = "because"
    return one(tmp, Instances=rows)


@trigger("instance.duplicate-id")
def _instance_duplicate_id(tmp: Path) -> list[Finding]:
    rows = instances()
    rows[9]["id"] = rows[2]["id"]
    path = write(tmp, TOY, task(Instances=rows))
    found = validate_task_files([path])
    assert next(f for f in found if f.code == "instance.duplicate-id").line in (
        line_of(path, "Claim 2:") - 2,
        line_of(path, "Claim 9:") - 2,
    )
    return found


# ---------------------------------------------------------------------------------------------
# Variants of the released format


@trigger("variant.string-field")
def _string_field(tmp: Path) -> list[Finding]:
    return one(tmp, Source="toy_source", URL="https://example.org/toy")


@trigger("variant.output-string")
def _output_string(tmp: Path) -> list[Finding]:
    rows = instances()
    for row in rows:
        row["output"] = row["output"][0]
    return one(tmp, Instances=rows)


@trigger("variant.missing-id")
def _missing_id(tmp: Path) -> list[Finding]:
    rows = instances()
    for row in rows:
        del row["id"]
    return one(tmp, Instances=rows)


@trigger("variant.contributor")
def _contributor(tmp: Path) -> list[Finding]:
    omitted = dict.fromkeys(("Reasoning", "Positive Examples", "Negative Examples"))
    return one(tmp, **omitted, **{"Split Type": "Train"})


@trigger("variant.jsonl-name")
def _jsonl_name(tmp: Path) -> list[Finding]:
    return files(tmp, (TOY, task()), suffix=".jsonl")


@trigger("variant.record")
def _record(tmp: Path) -> list[Finding]:
    records = [{"task": TOY, "instruction": "Decide.", **row} for row in instances()]
    path = tmp / "repacked.jsonl"
    tmp.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return validate_task_files([path])


# ---------------------------------------------------------------------------------------------
# Record rules (compiled from schemas/record.json), on task files and on stores


@trigger("record.blank")
def _blank(tmp: Path) -> list[Finding]:
    rows = instances()
    rows[3]["output"] = ["   "]
    return one(tmp, Instances=rows)


@trigger("record.too-short")
def _too_short(tmp: Path) -> list[Finding]:
    rows = instances()
    rows[3]["input"] = ""
    return one(tmp, Instances=rows)


@trigger("record.too-few-items")
def _too_few_items(tmp: Path) -> list[Finding]:
    rows = instances()
    rows[3]["output"] = []
    return one(tmp, Instances=rows)


def _store(tmp: Path) -> Path:
    target = tmp / "store"
    shutil.copytree(_store.cache, target)  # type: ignore[attr-defined]
    return target


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    from meds_ins._building.run import build

    root = tmp_path_factory.mktemp("built") / "store"
    build(["medqa", "pubmedqa"], FIXTURES, root, progress=False)
    _store.cache = root  # type: ignore[attr-defined]
    return root


TASK = "task57_medqa_question_answering_en"
FILE = f"data/{TASK}/test-00000-of-00001.parquet"


def rewrite(store: Path, change, arrow_schema=None) -> list[Finding]:
    path = store / FILE
    rows = pq.read_table(path).to_pylist()
    change(rows)
    table = pa.Table.from_pylist(rows, schema=arrow_schema or schema.record_arrow_schema())
    pq.write_table(table, path, **PARQUET_OPTIONS)
    return validate_store(store)


def edit_json(store: Path, rel: str, change) -> list[Finding]:
    path = store / rel
    value = json.loads(path.read_text())
    change(value)
    path.write_text(json.dumps(value))
    return validate_store(store)


@trigger("record.columns")
def _columns(tmp: Path) -> list[Finding]:
    table = pa.table({"id": ["task1:a"], "input": ["x"]})
    found = [v for v in checks.check_table(table) if v.code == "record.columns"]
    assert found and "missing" in found[0].rule
    return [Finding("error", v.code, "table", v.rule, v.fix) for v in found]


@trigger("record.missing")
def _missing(tmp: Path) -> list[Finding]:
    def null_input(rows):
        rows[0]["input"] = None

    nullable = pa.schema([f.with_nullable(True) for f in schema.record_arrow_schema()])
    found = rewrite(_store(tmp), null_input, nullable)
    assert "store.arrow-schema" in codes(found)  # a nullable column is itself a schema change
    table = pq.read_table(tmp / "store" / FILE)
    violations = checks.check_columns(table, checks.compile_record_checks())
    return [Finding("error", v.code, "table", v.rule, v.fix) for v in violations]


@trigger("record.pattern")
def _pattern(tmp: Path) -> list[Finding]:
    return rewrite(_store(tmp), lambda rows: rows[0].update(id="not an id"))


@trigger("record.not-allowed")
def _not_allowed(tmp: Path) -> list[Finding]:
    return rewrite(_store(tmp), lambda rows: rows[0].update(input_language="xx"))


# ---------------------------------------------------------------------------------------------
# Stores


@trigger("store.manifest")
def _manifest(tmp: Path) -> list[Finding]:
    return edit_json(_store(tmp), "meta/manifest.json", lambda m: m.update(format_version=9))


@trigger("store.task-metadata")
def _task_metadata(tmp: Path) -> list[Finding]:
    return edit_json(_store(tmp), "meta/tasks.json", lambda t: t[0].update(category="Vibes"))


@trigger("store.corpus-metadata")
def _corpus_metadata(tmp: Path) -> list[Finding]:
    return edit_json(_store(tmp), "meta/corpora.json", lambda c: c[0].update(homepage="ftp://x"))


@trigger("store.paraphrases")
def _paraphrases(tmp: Path) -> list[Finding]:
    store = _store(tmp)
    entry = {"original": "Answer.", "paraphrases": ["Give the answer."]}
    (store / "meta" / "paraphrases.json").write_text(json.dumps({"task999_missing": entry}))
    return validate_store(store)


@trigger("store.card")
def _card(tmp: Path) -> list[Finding]:
    store = _store(tmp)
    (store / "README.md").unlink()
    return validate_store(store)


@trigger("store.card-configs")
def _card_configs(tmp: Path) -> list[Finding]:
    store = _store(tmp)
    readme = store / "README.md"
    readme.write_text(readme.read_text().replace(f"data/{TASK}/test-*", f"data/{TASK}/other-*"))
    return validate_store(store)


@trigger("store.missing-file")
def _missing_file(tmp: Path) -> list[Finding]:
    store = _store(tmp)
    (store / FILE).unlink()
    return validate_store(store)


@trigger("store.checksum")
def _checksum(tmp: Path) -> list[Finding]:
    return rewrite(_store(tmp), lambda rows: rows[0].update(input=rows[0]["input"] + " (edited)"))


@trigger("store.unreadable")
def _unreadable(tmp: Path) -> list[Finding]:
    store = _store(tmp)
    (store / FILE).write_bytes(b"not parquet")
    return validate_store(store)


@trigger("store.row-count")
def _row_count(tmp: Path) -> list[Finding]:
    return rewrite(_store(tmp), lambda rows: rows.pop())


@trigger("store.arrow-schema")
def _arrow_schema(tmp: Path) -> list[Finding]:
    store = _store(tmp)
    pq.write_table(pa.table({"id": ["task57:x"]}), store / FILE)
    return validate_store(store)


@trigger("store.task-consistency")
def _task_consistency(tmp: Path) -> list[Finding]:
    return rewrite(_store(tmp), lambda rows: rows[0].update(category="Diagnosis"))


@trigger("store.duplicate-id")
def _duplicate_id(tmp: Path) -> list[Finding]:
    return rewrite(_store(tmp), lambda rows: rows.append(dict(rows[0])))


@trigger("store.bench-split")
def _bench_split(tmp: Path) -> list[Finding]:
    def mark(tasks):
        next(t for t in tasks if t["name"] == "task124_pubmedqa_train_set")["in_bench"] = True

    return edit_json(_store(tmp), "meta/tasks.json", mark)


@trigger("exception.unknown-code")
def _exception_unknown(tmp: Path) -> list[Finding]:
    def declare(tasks):
        tasks[0]["audit_exceptions"] = [{"code": "audit.vibes", "reason": "none"}]

    return edit_json(_store(tmp), "meta/tasks.json", declare)


@trigger("exception.unused")
def _exception_unused(tmp: Path) -> list[Finding]:
    def declare(tasks):
        tasks[0]["audit_exceptions"] = [{"code": "audit.label-skew", "reason": "labels are skewed upstream"}]

    store = _store(tmp)
    edit_json(store, "meta/tasks.json", declare)
    assert not [f for f in validate_store(store) if f.code == "exception.unused"]  # reported on request only
    return validate_store(store, unused_exceptions=True)


@trigger("setup.audits-not-run")
def _audits_not_run(tmp: Path) -> list[Finding]:
    from meds_ins._common import extras

    with pytest.MonkeyPatch.context() as patch:  # as in the core install, without polars
        patch.setattr(extras, "find_spec", lambda module: None if module == "polars" else object())
        return one(tmp)


# ---------------------------------------------------------------------------------------------
# Builders


TOY_MODULE = """
from builders_test_helpers import make_corpus, TOY_TASK, toy_generate
from meds_ins.builder import Builder, Task
SECOND = Task("task9002", "task9002_toy_second", "Question Answering", "Answer.", split_policy="train-only",
              splits=("train",))
BUILDER = Builder(make_corpus(id="{cid}"), (TOY_TASK, SECOND), toy_generate)
"""


@trigger("builder.declaration")
def _declaration(tmp: Path) -> list[Finding]:
    tmp.mkdir(parents=True, exist_ok=True)
    module = tmp / "wrong_name.py"
    module.write_text(TOY_MODULE.format(cid="toy"))
    return validate_builder(str(module))


@trigger("builder.build")
def _build(tmp: Path) -> list[Finding]:
    tmp.mkdir(parents=True, exist_ok=True)
    module = tmp / "toy.py"
    module.write_text(TOY_MODULE.format(cid="toy"))
    raw = tmp / "raw"
    raw.mkdir()
    (raw / "items.txt").write_text("only one field\n")
    return validate_builder(str(module), raw=raw)


@trigger("builder.empty-task")
def _empty_task(tmp: Path) -> list[Finding]:
    tmp.mkdir(parents=True, exist_ok=True)
    module = tmp / "toy.py"
    module.write_text(TOY_MODULE.format(cid="toy"))
    raw = tmp / "raw"
    raw.mkdir()
    (raw / "items.txt").write_text("".join(f"k{i}\ten\tQuestion {i}?\tAnswer {i}\n" for i in range(30)))
    found = validate_builder(str(module), raw=raw)
    assert "task9002_toy_second" in next(f.location for f in found if f.code == "builder.empty-task")
    return found


# ---------------------------------------------------------------------------------------------
# Data audits (the released defects of medsbench.md among them)


@trigger("audit.constant-output")
def _constant_output(tmp: Path) -> list[Finding]:
    """task12 of MedS-Bench: all 650 references are 'no'."""
    rows = instances(650, prefix="task12")
    for row in rows:
        row["output"] = ["no"]
    found = files(tmp, ("task12_pubmedqa_classification", task(Instances=rows, Source=["PubMedQA"])))
    hit = next(f for f in found if f.code == "audit.constant-output")
    assert "all 650" in hit.message and "'no'" in hit.message and hit.severity == "error"
    return found


@trigger("audit.label-skew")
def _label_skew(tmp: Path) -> list[Finding]:
    rows = instances(40)
    for i, row in enumerate(rows):
        row["output"] = ["yes" if i < 4 else "no"]
    found = one(tmp, Instances=rows)
    message = next(f.message for f in found if f.code == "audit.label-skew")
    assert "0.469 < 0.8" in message and "'no' is 90% of 40" in message
    return found


@trigger("audit.duplicate-input")
def _duplicate_input(tmp: Path) -> list[Finding]:
    rows = instances()
    rows[5] = {**rows[4], "id": "task9001-dup"}
    return one(tmp, Instances=rows)


@trigger("audit.conflicting-references")
def _conflicting(tmp: Path) -> list[Finding]:
    """task100 of MedS-Bench: 304 instances over 110 inputs; one input 36 times with 36 references."""
    claims = [f"Claim {i}: the review supports treatment T{i}." for i in range(110)]
    rows = [{"id": f"task100-a{j}", "input": claims[0], "output": [f"Justification {j}."]} for j in range(36)]
    rows += [
        {"id": f"task100-b{n}", "input": claims[1 + n % 109], "output": [f"Because of study {n}."]}
        for n in range(304 - 36)
    ]
    found = files(tmp, ("task100_ebms_justification", task(Instances=rows, Source=["EBMS"])))
    message = next(f.message for f in found if f.code == "audit.conflicting-references")
    assert "110 input(s)" in message and "one input 36 times with 36 different references" in message
    return found


def train_and_test(tmp: Path, test_rows: list[dict]) -> list[Finding]:
    """A task's training file and its benchmark file: same name, in two folders."""
    train = write(tmp / "MedS-Ins", TOY, task(**{"Split Type": "Train"}))
    test = write(tmp / "MedS-Bench", TOY, task(Instances=test_rows, **{"Split Type": "Test"}))
    return validate_task_files([train, test])


@trigger("audit.train-test-overlap")
def _train_test(tmp: Path) -> list[Finding]:
    test_rows = instances(30, 100)
    test_rows[0]["input"] = instances()[0]["input"]
    return train_and_test(tmp, test_rows)


@trigger("audit.train-test-near-duplicate")
def _near_duplicate(tmp: Path) -> list[Finding]:
    test_rows = instances(30, 100)
    test_rows[0]["input"] = instances()[0]["input"].upper().replace(".", " !")
    return train_and_test(tmp, test_rows)


@trigger("audit.cross-task-overlap")
def _cross_task(tmp: Path) -> list[Finding]:
    """Two PubMedQA tasks (the catalog knows their corpus): task12's test inputs in task11's train."""
    shared = instances(30, prefix="task12")
    generation = [{**row, "id": f"task11-{i}", "output": [f"Question {i}?"]} for i, row in enumerate(shared)]
    return files(
        tmp,
        ("task11_pubmedqa_question_generation", task(Instances=generation, **{"Split Type": "Train"})),
        ("task12_pubmedqa_classification", task(Instances=shared, **{"Split Type": "Test"})),
    )


@trigger("audit.truncated-reference")
def _truncated(tmp: Path) -> list[Finding]:
    rows = instances()
    rows[1]["output"] = ["drug D1 lowers blood pres"]  # stops inside a word of the input
    rows[2]["output"] = ["The trial found..."]
    found = one(tmp, Instances=rows)
    details = {f.message.split(" (")[0] for f in found if f.code == "audit.truncated-reference"}
    assert details == {
        "the reference stops inside a word of the input",
        "the reference ends with an ellipsis",
    }
    capped = instances()
    for i, row in enumerate(capped):
        row["output"] = [(f"Summary {i}: " + "the evidence is described at length " * 10)[:200]]
    found_cap = one(tmp / "cap", Instances=capped)
    capped_message = next(f.message for f in found_cap if f.code == "audit.truncated-reference")
    assert "exactly the maximum length, 200" in capped_message
    return found


@trigger("audit.control-characters")
def _control(tmp: Path) -> list[Finding]:
    rows = instances()
    rows[6]["input"] += "\u0007"
    return one(tmp, Instances=rows)


@trigger("audit.broken-encoding")
def _broken(tmp: Path) -> list[Finding]:
    rows = instances()
    rows[6]["input"] += " caf\u00c3\u00a9"  # 'café' encoded as UTF-8, read as Latin-1
    return one(tmp, Instances=rows)


@trigger("audit.personal-data")
def _personal(tmp: Path) -> list[Finding]:
    rows = instances()
    rows[6]["input"] += " Contact: jane.doe@example.com"
    rows[7]["input"] += " Call (555) 123-4567."
    rows[8]["input"] += " DOB: 1961-02-03"
    rows[9]["input"] += " MRN: 00123456"
    found = one(tmp, Instances=rows)
    kinds = {f.message.split(" in a public")[0] for f in found if f.code == "audit.personal-data"}
    assert kinds == {
        "an e-mail address",
        "a phone number",
        "a date of birth",
        "a record or social security number",
    }
    return found


# ---------------------------------------------------------------------------------------------


def test_every_check_has_a_trigger():
    assert set(TRIGGERS) == set(CHECKS)


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_trigger(code: str, tmp_path: Path, built_store: Path):
    found = TRIGGERS[code](tmp_path)
    hits = [f for f in found if f.code == code]
    assert hits, f"{code} did not fire; found {sorted(codes(found))}"
    check = CHECKS[code]
    assert all(f.severity == check.severity and f.fix and f.location for f in hits)


def test_json_locations_are_file_and_line(tmp_path: Path):
    rows = instances()
    rows[3]["output"] = ["   "]
    path = write(tmp_path, TOY, task(Instances=rows))
    hit = next(f for f in validate_task_files([path]) if f.code == "record.blank")
    assert hit.file == str(path) and hit.line == line_of(path, "Claim 3:") - 2
    assert hit.location == f"{path}:{hit.line}"


def test_store_locations_are_task_and_record(tmp_path: Path, built_store: Path):
    found = rewrite(_store(tmp_path), lambda rows: rows[0].update(output=[" "]))
    hit = next(f for f in found if f.code == "record.blank")
    assert f"({TASK}), record task57:" in hit.location


def test_strict_turns_variants_into_errors(tmp_path: Path):
    path = write(tmp_path, TOY, task(Source="toy_source"))
    assert validate([str(path)]).findings[0].severity == "warning"
    assert validate([str(path)], strict_mode=True).findings[0].severity == "error"


def test_builder_exceptions_explain_audit_findings(tmp_path: Path, built_store: Path):
    store = _store(tmp_path)
    rewrite(store, lambda rows: rows.append({**rows[0], "id": "task57:copy"}))
    report = validate([str(store)])
    assert "audit.duplicate-input" in codes(report.findings) and report.explained == 0

    def explain(tasks):
        task57 = next(t for t in tasks if t["name"] == TASK)
        reason = "the exam repeats a question"
        task57["audit_exceptions"] = [{"code": "audit.duplicate-input", "reason": reason}]

    edit_json(store, "meta/tasks.json", explain)
    report = validate([str(store)])
    assert "audit.duplicate-input" not in codes(report.findings) and report.explained == 1


def test_audits_on_real_corpus_samples(tmp_path: Path):
    """On the real PubMedQA and MeQSum samples the audits find only true properties of the data, which
    the builders explain (audit_exceptions): counted, not shown; without the explanations they show."""
    import dataclasses

    from conftest import real_corpus

    from meds_ins._building.catalog import load_catalog
    from meds_ins._building.run import build

    for corpus in ("pubmedqa", "meqsum"):
        report = validate_builder(corpus, raw=real_corpus(corpus), explain=True)
        assert report.findings == [] and report.explained == 1
    builder = load_catalog().builder("meqsum")
    bare = dataclasses.replace(
        builder, tasks=tuple(dataclasses.replace(t, audit_exceptions={}) for t in builder.tasks)
    )
    store = build([bare], real_corpus("meqsum"), tmp_path / "store", progress=False).store.root
    found = validate_store(store)
    assert [f.code for f in found] == ["audit.personal-data"]  # 'Date of Birth : 1964' in a question
    assert "a date of birth" in found[0].message


def test_task_files_without_audits(tmp_path: Path):
    rows = instances()
    rows[6]["input"] += " Contact: jane.doe@example.com"
    rows[7]["id"] = rows[8]["id"]  # instance.duplicate-id: not an audit
    path = write(tmp_path, TOY, task(Instances=rows))
    full, quick = codes(validate_task_files([path])), codes(validate_task_files([path], audits=False))
    assert {"audit.personal-data", "instance.duplicate-id"} <= full
    assert quick == {c for c in full if not c.startswith("audit.")}
