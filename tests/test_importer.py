"""`meds-ins import`: every variant of the released task files into a store, and paraphrases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES
from taskfile_helpers import TOY, instances, task, write

from meds_ins import RawFormatError, UsageError
from meds_ins._cli import main
from meds_ins._store.layout import open_store
from meds_ins._store.paraphrases import draw_instruction, load_paraphrases
from meds_ins._validation.importer import import_files
from meds_ins._validation.stores import validate_store


def records(store: Path, name: str, split: str) -> list[dict]:
    return pq.read_table(next((store / "data" / name).glob(f"{split}-*.parquet"))).to_pylist()


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_clean_file_becomes_records_of_the_store(tmp_path: Path):
    path = write(tmp_path / "in", TOY, task())
    report = import_files([path], tmp_path / "store", progress=False)
    assert report.findings == [] and dict(report.tasks[TOY]) == {"train": 30}
    rows = records(tmp_path / "store", TOY, "train")
    first = rows[0]
    assert first["id"] == "task9001:0000" and first["task"] == TOY and first["split"] == "train"
    assert first["instruction"] == "Decide whether the evidence supports the claim. Answer yes or no."
    assert first["category"] == "Fact Verification" and first["source"] == "toy_source"
    assert (first["input_language"], first["output_language"], first["instruction_language"]) == ("en",) * 3
    assert first["output"] == ["no"] and first["input"].startswith("Claim 0:")
    store = open_store(tmp_path / "store")
    assert (
        store.tasks[TOY]["split_policy"] == "train-only"
        and not store.corpora["toy_source"]["redistributable"]
    )
    assert validate_store(tmp_path / "store") == []


def test_every_released_variant_is_imported_with_warnings(tmp_path: Path):
    rows = instances()
    for row in rows:
        del row["id"]
        row["output"] = row["output"][0]
    variant = task(
        Source="toy_source",
        URL="https://example.org/toy",
        Reasoning=None,
        **{"Positive Examples": None, "Negative Examples": None, "Split Type": "Train/Test"},
        Instances=rows,
        Input_language=["Chinese"],
        Output_language=["Chinese"],
        Definition=["Answer yes or no about the Chinese claim."],
    )
    path = write(tmp_path / "in", TOY, variant, suffix=".jsonl")
    report = import_files([path], tmp_path / "store", progress=False)
    codes = {f.code for f in report.findings}
    assert codes == {
        "variant.string-field",
        "variant.output-string",
        "variant.missing-id",
        "variant.contributor",
        "variant.jsonl-name",
    }
    counts = report.tasks[TOY]
    assert counts["train"] + counts["test"] == 30 and counts["test"] >= 1  # 9:1 by a hash of the input
    rows_out = records(tmp_path / "store", TOY, "train") + records(tmp_path / "store", TOY, "test")
    assert {r["input_language"] for r in rows_out} == {"zh"}
    assert all(r["id"].startswith("task9001:h") and isinstance(r["output"], list) for r in rows_out)
    # the same file gives the same split and ids again
    again = import_files([path], tmp_path / "again", progress=False)
    assert again.tasks[TOY] == counts
    assert open_store(tmp_path / "store").tasks[TOY]["split_policy"] == "official"


def test_multi_task_stream_and_records(tmp_path: Path):
    """One file holding several tasks (named by a key or by their ids), and a repacked file of records."""
    first = task(Task="task9001_toy_fact_verification")
    second = task(Instances=instances(25, 500, prefix="task57"), Categories=["Question Answering"])
    path = tmp_path / "all_tasks.json"
    path.write_text(json.dumps([first, second], indent=2))
    report = import_files([path], tmp_path / "store", progress=False)
    assert [str(f) for f in report.findings] == []
    assert sorted(report.tasks) == ["task57_medqa_question_answering_en", TOY]
    store = open_store(tmp_path / "store")
    assert store.tasks[TOY]["category"] == "Fact Verification"
    assert store.tasks["task57_medqa_question_answering_en"]["source"] == "medqa"

    repacked = tmp_path / "records.jsonl"
    fields = {"task": "task9004_toy_records", "instruction": "Answer.", "split": "test"}
    repacked.write_text("\n".join(json.dumps({**fields, **r}) for r in instances()))
    report = import_files([repacked], tmp_path / "store", progress=False)
    assert report.store is None and "cannot be imported" in str(report.findings)  # no category
    repacked.write_text("\n".join(json.dumps({**fields, "category": "QA", **r}) for r in instances()))
    report = import_files([repacked], tmp_path / "store", progress=False)
    assert {f.code for f in report.findings} == {"variant.record"}
    assert dict(report.tasks["task9004_toy_records"]) == {"test": 30}


def test_task_with_category_from_the_catalog_and_the_store_kept(tmp_path: Path, build_store):
    """A released PubMedQA task file goes into the store the pubmedqa builder wrote, replacing only itself."""
    store = build_store(["pubmedqa"], out=tmp_path / "store").store
    before = set(store.manifest["tasks"])
    rows = instances(40, prefix="task12")
    path = write(tmp_path / "bench", "task12_pubmedqa_classification", task(Instances=rows, Categories=["x"]))
    report = import_files([path], tmp_path / "store", default_split="test", allow_errors=True, progress=False)
    assert "task.category" in {f.code for f in report.findings}
    after = open_store(tmp_path / "store")
    assert set(after.manifest["tasks"]) == before | {"task12_pubmedqa_classification"}
    meta = after.tasks["task12_pubmedqa_classification"]
    assert meta["category"] == "Fact Verification" and meta["source"] == "pubmedqa" and meta["in_bench"]
    assert after.corpora["pubmedqa"]["license"] == "MIT"  # the builder's corpus metadata
    assert validate_store(tmp_path / "store") == []


def test_errors_refuse_the_import_unless_allowed(tmp_path: Path):
    rows = instances()
    rows[2]["input"] = "   "
    path = write(tmp_path / "in", TOY, task(Instances=rows))
    report = import_files([path], tmp_path / "store", progress=False)
    assert report.store is None and not (tmp_path / "store").exists()
    assert "record.blank" in {f.code for f in report.findings}
    report = import_files([path], tmp_path / "store", allow_errors=True, progress=False)
    assert report.tasks[TOY]["train"] == 29 and report.skipped["empty input or output"] == 1
    assert open_store(tmp_path / "store").manifest["corpora"]["toy_source"]["skipped"] == {
        "empty input or output": 1
    }


def test_repeated_instances_keep_distinct_ids(tmp_path: Path):
    rows = instances()
    rows.append(dict(rows[0]))
    path = write(tmp_path / "in", TOY, task(Instances=rows))
    report = import_files([path], tmp_path / "store", progress=False)
    assert report.store is None and "instance.duplicate-id" in {f.code for f in report.findings}
    report = import_files([path], tmp_path / "store", allow_errors=True, progress=False)
    assert report.tasks[TOY]["train"] == 31
    ids = [r["id"] for r in records(tmp_path / "store", TOY, "train")]
    assert "task9001:0000~2" in ids and len(set(ids)) == 31


def test_paraphrases_are_stored_and_drawn(tmp_path: Path):
    path = write(tmp_path / "in", TOY, task())
    import_files([path], tmp_path / "store", progress=False)
    rewrites = {
        "task9001": {
            "original_def": "Decide.",
            "auto_rewrite_def": ["Say yes or no.", "Judge the claim.", ""],
        },
        "task77": {"original_def": "x", "auto_rewrite_def": ["y"]},
    }
    paraphrase_file = tmp_path / "paraphrases.json"
    paraphrase_file.write_text(json.dumps(rewrites))
    report = import_files([], tmp_path / "store", paraphrases=paraphrase_file, progress=False)
    assert report.paraphrased == 1 and report.paraphrases_unmatched == ["task77"]
    store = open_store(tmp_path / "store")
    stored = load_paraphrases(store)
    assert stored == {TOY: {"original": "Decide.", "paraphrases": ["Say yes or no.", "Judge the claim."]}}
    assert validate_store(tmp_path / "store") == []
    drawn = {draw_instruction(f"task9001:{i}", "Decide.", stored[TOY]["paraphrases"]) for i in range(50)}
    assert drawn == {"Decide.", "Say yes or no.", "Judge the claim."}
    assert draw_instruction("task9001:1", "a", ["b", "c"]) == draw_instruction("task9001:1", "a", ["b", "c"])
    # a rebuild of the task keeps its paraphrases
    import_files([path], tmp_path / "store", progress=False)
    assert load_paraphrases(open_store(tmp_path / "store")) == stored


def test_bad_paraphrase_file_names_the_problem(tmp_path: Path):
    bad = tmp_path / "p.json"
    bad.write_text('{"task1": {"original_def": "x", "auto_rewrite_def": "not a list"}}')
    with pytest.raises(RawFormatError, match="key 'task1'"):
        import_files([], tmp_path / "store", paraphrases=bad, progress=False)
    bad.write_text('{"task1": {}, "task1": {}}')
    with pytest.raises(RawFormatError, match="line 1.*repeats"):
        import_files([], tmp_path / "store", paraphrases=bad, progress=False)
    with pytest.raises(UsageError, match="nothing to import"):
        import_files([], tmp_path / "store", progress=False)


def test_cli_import_and_refusal(capsys, tmp_path: Path):
    fixture = FIXTURES / "validator" / f"{TOY}.json"
    code, out, _ = run(capsys, "import", str(fixture), "--store", str(tmp_path / "store"), "--quiet")
    assert code == 0 and "Imported 1 task(s)" in out and TOY in out
    broken = write(tmp_path / "in", TOY, task(Categories=["Vibes"], Instances=instances(30, 200)))
    code, out, _ = run(capsys, "import", str(broken), "--store", str(tmp_path / "store"), "--quiet")
    assert code == 1 and "task.category" in out and "nothing was written" in out
    code, _, err = run(capsys, "import", str(tmp_path / "missing.json"), "--store", str(tmp_path / "store"))
    assert code == 2 and "no such file" in err


GENERATE = """
import json, sys
path, tasks, per_task, pad = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), "x" * int(sys.argv[4])
with open(path, "w") as out:
    out.write("[\\n")
    for t in range(tasks):
        head = {"Contributors": ["gen"], "Source": ["gen_corpus"], "URL": ["https://example.org"],
                "Categories": ["Question Answering"], "Reasoning": [], "Definition": ["Answer."],
                "Input_language": ["English"], "Output_language": ["English"],
                "Instruction_language": ["English"], "Domains": ["Medicine"], "Positive Examples": [],
                "Negative Examples": [], "Task": f"task{9100 + t}_generated"}
        text = json.dumps(head, indent=4)[:-2]
        out.write(("," if t else "") + text + ',\\n    "Instances": [\\n')
        for i in range(per_task):
            row = {"id": f"task{9100 + t}-{i}", "input": f"Question {t}-{i}: {pad}",
                   "output": [f"answer {i % 7}"]}
            out.write(("," if i else "") + "        " + json.dumps(row) + "\\n")
        out.write("    ]\\n}\\n")
    out.write("]\\n")
"""

PEAK = """
import resource, sys
from pathlib import Path
import polars as pl, pyarrow as pa
from meds_ins import catalog as load_catalog, import_task_files as import_files
from meds_ins._common.languages import iso_language
load_catalog(), iso_language("English"), pa.array(["x" * 2000] * 5000), pl.Series(["x"]).hash()  # warm up
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = import_files([Path(sys.argv[1])], Path(sys.argv[2]), progress=False)
assert report.store is not None, [str(f) for f in report.findings]
rows = sum(sum(c.values()) for c in report.tasks.values())
print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, rows)
"""


def peak_growth(tmp_path: Path, tasks: int) -> tuple[float, float]:
    """(file size, peak memory growth while importing it) in MB, for a file of `tasks` tasks."""
    path = tmp_path / f"all-{tasks}.json"
    subprocess.run([sys.executable, "-c", GENERATE, str(path), str(tasks), "2000", "1900"], check=True)
    command = [sys.executable, "-c", PEAK, str(path), str(tmp_path / f"store-{tasks}")]
    base, peak, rows = map(
        int, subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
    )
    assert rows == tasks * 2000
    return path.stat().st_size / 2**20, (peak - base) / 1024


def test_large_stream_is_imported_with_bounded_memory(tmp_path: Path):
    """One file of many tasks: peak memory does not follow the file's size (it is read as a stream).

    Tripling the file (from ~30 MB to ~90 MB of 2 KB instances) adds far less memory than the added
    megabytes; loading the file whole would add several times them.
    """
    small_mb, small_growth = peak_growth(tmp_path, 8)
    large_mb, large_growth = peak_growth(tmp_path, 24)
    per_mb = (large_growth - small_growth) / (large_mb - small_mb)
    assert large_mb > 85 and per_mb < 0.5, (small_mb, small_growth, large_mb, large_growth)


def test_loader_draws_paraphrased_instructions(tmp_path: Path):
    import meds_ins

    path = write(tmp_path / "in", TOY, task())
    rewrites = {"task9001": {"original_def": "Decide.", "auto_rewrite_def": ["Say yes or no.", "Judge it."]}}
    (tmp_path / "p.json").write_text(json.dumps(rewrites))
    import_files([path], tmp_path / "store", paraphrases=tmp_path / "p.json", progress=False)
    plain = meds_ins.load_dataset(tmp_path / "store", split="train")
    assert set(plain["instruction"]) == {task()["Definition"][0]}
    varied = meds_ins.load_dataset(tmp_path / "store", split="train", paraphrase_seed=1)
    assert set(varied["instruction"]) == {task()["Definition"][0], "Say yes or no.", "Judge it."}
    assert (
        varied["instruction"]
        == meds_ins.load_dataset(tmp_path / "store", split="train", paraphrase_seed=1)["instruction"]
    )
    assert varied.features == plain.features and varied["id"] == plain["id"]
    streamed = meds_ins.load_dataset(tmp_path / "store", split="train", streaming=True, paraphrase_seed=1)
    assert [r["instruction"] for r in streamed] == varied["instruction"]


def test_train_and_benchmark_files_imported_one_after_the_other(tmp_path: Path):
    """`import MedS-Ins/` then `import MedS-Bench/ --split test`: the task keeps both splits."""
    train = write(tmp_path / "MedS-Ins", TOY, task())
    bench = write(tmp_path / "MedS-Bench", TOY, task(Instances=instances(30, 300)))
    import_files([train], tmp_path / "store", progress=False)
    import_files([bench], tmp_path / "store", default_split="test", progress=False)
    store = open_store(tmp_path / "store")
    assert {s: store.rows(TOY, s) for s in ("train", "test")} == {"train": 30, "test": 30}
    assert store.tasks[TOY]["splits"] == ["train", "test"] and store.tasks[TOY]["split_policy"] == "official"
    assert validate_store(tmp_path / "store") == []
    import_files([bench], tmp_path / "store", default_split="test", progress=False)  # again: replaces test
    assert open_store(tmp_path / "store").rows(TOY, "test") == 30
