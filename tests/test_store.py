"""The store: layout, determinism, atomic writes, partial rebuilds, compatibility with plain `datasets`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from builders_test_helpers import toy_builder, write_toy_raw

from meds_ins import RawFormatError, StoreNotFoundError
from meds_ins._store import writer as store_module
from meds_ins._store.layout import open_store
from meds_ins._validation.stores import validate_store


def parquet_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}


def test_layout_is_a_dataset_repository(build_store):
    report = build_store(["pubmedqa", "bc5cdr"])
    root = report.store.root
    assert (root / "README.md").is_file() and (root / "meta" / "manifest.json").is_file()
    assert (root / "data" / "task124_pubmedqa_train_set" / "train-00000-of-00001.parquet").is_file()
    assert not (root / "data" / "task124_pubmedqa_train_set" / "test-00000-of-00001.parquet").exists()
    assert report.store.manifest["tasks"]["task126_bc5chem_named_enetity_recognition"]["source"] == "bc5cdr"
    assert validate_store(root) == []


def test_same_input_gives_byte_identical_files(build_store, tmp_path: Path):
    first = build_store(["pubmedqa", "medqa", "bc5cdr", "meqsum", "ddxplus", "mimic4ed"], out=tmp_path / "a")
    second = build_store(["mimic4ed", "ddxplus", "meqsum", "bc5cdr", "medqa", "pubmedqa"], out=tmp_path / "b")
    assert parquet_bytes(first.store.root) == parquet_bytes(second.store.root)
    for name in ("manifest.json", "tasks.json", "corpora.json"):
        assert (first.store.root / "meta" / name).read_bytes() == (
            second.store.root / "meta" / name
        ).read_bytes()
    assert (first.store.root / "README.md").read_bytes() == (second.store.root / "README.md").read_bytes()


def test_failed_build_leaves_the_previous_store_untouched(build_store, tmp_path: Path):
    report = build_store(["pubmedqa"])
    before = parquet_bytes(report.store.root)
    manifest = (report.store.root / "meta" / "manifest.json").read_bytes()
    raw = tmp_path / "broken"
    write_toy_raw(raw, [("a", "en", "Q", "A"), ("b", "en")])  # second line has too few fields
    with pytest.raises(ValueError):
        build_store([toy_builder()], raw=raw)
    assert parquet_bytes(report.store.root) == before
    assert (report.store.root / "meta" / "manifest.json").read_bytes() == manifest
    assert not list(report.store.root.parent.glob(".store.staging-*"))


def test_raw_format_error_leaves_the_store_untouched(build_store, copy_fixture):
    report = build_store(["pubmedqa"])
    before = parquet_bytes(report.store.root)
    raw = copy_fixture("medqa")
    path = raw / "data_clean/questions/US/4_options/phrases_no_exclude_test.jsonl"
    path.write_text(path.read_text() + '{"question": "x", "options": {"A": "a"}, "answer_idx": "B"}\n')
    with pytest.raises(RawFormatError, match="line 3: answer_idx 'B' is not one of the options A"):
        build_store(["medqa"], raw=raw)
    assert parquet_bytes(report.store.root) == before
    assert "medqa" not in open_store(report.store.root).manifest["corpora"]


SLOW_BUILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from builders_test_helpers import toy_builder
from meds_ins.builder import Builder, Example
from meds_ins import build

def slow(ctx):
    for i in range(10_000_000):
        yield Example("task9001", str(i), "question %d" % i, "answer")
        if i == 200_000:
            print("halfway", flush=True)

base = toy_builder()
build([Builder(base.corpus, base.tasks, slow)], Path({raw!r}), Path({out!r}), progress=False)
"""


def test_killed_build_leaves_the_previous_store_untouched(build_store, tmp_path: Path):
    report = build_store(["pubmedqa"])
    before = parquet_bytes(report.store.root)
    raw = tmp_path / "toy"
    write_toy_raw(raw, [("a", "en", "Q", "A")])
    script = SLOW_BUILD.format(tests=str(Path(__file__).parent), raw=str(raw), out=str(report.store.root))
    process = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)},
    )
    assert process.stdout.readline().strip() == "halfway"
    staging = list(report.store.root.parent.glob(".store.staging-*"))
    assert staging and list(staging[0].rglob("*.parquet.part")), "the build should be writing into staging"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert parquet_bytes(report.store.root) == before
    assert validate_store(report.store.root) == []
    # the next build clears what the killed one left behind
    build_store(["medqa"])
    assert not list(report.store.root.parent.glob(".store.staging-*"))


def test_rebuilding_one_corpus_replaces_only_its_tasks(build_store, copy_fixture):
    first = build_store(["pubmedqa", "medqa"])
    pubmedqa = {k: v for k, v in parquet_bytes(first.store.root).items() if "pubmedqa" in k}
    raw = copy_fixture("medqa")
    (raw / "data_clean/questions/US/4_options/phrases_no_exclude_train.jsonl").unlink()
    (raw / "data_clean/questions/Mainland/test.jsonl").unlink()
    second = build_store(["medqa"], raw=raw)
    names = set(second.store.manifest["tasks"])
    assert "task58_medqa_question_answering_zh" not in names
    assert second.store.splits("task57_medqa_question_answering_en") == ["test"]
    after = parquet_bytes(second.store.root)
    assert {k: v for k, v in after.items() if "pubmedqa" in k} == pubmedqa
    assert validate_store(second.store.root) == []


def test_refuses_to_write_over_a_folder_that_is_not_a_store(tmp_path: Path, build_store):
    target = tmp_path / "documents"
    target.mkdir()
    (target / "thesis.txt").write_text("precious")
    with pytest.raises(StoreNotFoundError, match="not a meds-ins store"):
        build_store(["pubmedqa"], out=target)
    assert (target / "thesis.txt").read_text() == "precious"


def test_large_tasks_are_sharded(build_store, monkeypatch):
    from meds_ins._records import convert as records

    monkeypatch.setattr(records, "BATCH_ROWS", 1)
    monkeypatch.setattr(store_module, "ROW_GROUP_ROWS", 3)
    monkeypatch.setattr(store_module, "SHARD_ROWS", 5)
    report = build_store(["pubmedqa"])
    entry = report.store.manifest["tasks"]["task14_pubmedqa_classification"]["splits"]["train"]
    # row groups of 3; a new shard starts once a shard holds 5 or more rows, so shards hold 6
    shards = -(-entry["rows"] // 6)
    assert shards >= 2
    assert [f["path"].rsplit("/", 1)[1] for f in entry["files"]] == [
        f"train-{i:05d}-of-{shards:05d}.parquet" for i in range(shards)
    ]
    assert [f["rows"] for f in entry["files"][:-1]] == [6] * (shards - 1)
    assert validate_store(report.store.root) == []
    import meds_ins

    assert meds_ins.load_dataset(report.store.root, task="task14", split="train").num_rows == entry["rows"]


def test_a_corpus_buffer_budget_flushes_the_fullest_writer(build_store, monkeypatch, tmp_path: Path):
    import pyarrow.parquet as pq

    plain = build_store(["mimic_iv_radiology"], out=tmp_path / "plain").store
    from meds_ins._records import convert as records

    monkeypatch.setattr(records, "BATCH_ROWS", 1)  # records arrive one by one, as from a large table
    monkeypatch.setattr(store_module, "CORPUS_BUFFER_BYTES", 1_000)  # a few reports' worth
    small = build_store(["mimic_iv_radiology"], out=tmp_path / "small").store
    again = build_store(["mimic_iv_radiology"], out=tmp_path / "again").store
    groups = [pq.ParquetFile(p).num_row_groups for p in sorted(small.root.rglob("*.parquet"))]
    assert max(groups) > 1  # buffers were flushed before their own limits
    assert parquet_bytes(small.root) == parquet_bytes(again.root)  # still reproducible
    files = sorted(p.relative_to(plain.root) for p in plain.root.rglob("*.parquet"))
    assert files == sorted(p.relative_to(small.root) for p in small.root.rglob("*.parquet"))
    for name in files:  # the same records, only cut into more row groups
        assert pq.read_table(small.root / name).to_pylist() == pq.read_table(plain.root / name).to_pylist()
    assert validate_store(small.root) == []


def test_plain_datasets_load_the_store(build_store):
    import datasets

    report = build_store(["pubmedqa", "medqa"])
    root = str(report.store.root)
    one = datasets.load_dataset(root, "task57_medqa_question_answering_en")
    assert set(one) == {"train", "test"} and one["test"].num_rows == 2
    test_only = datasets.load_dataset(root, "task123_pubmedqa_test_set")
    assert set(test_only) == {"test"}
    everything = datasets.load_dataset(root)
    assert (
        everything["train"].num_rows + everything["test"].num_rows == report.store.manifest["totals"]["rows"]
    )


def test_timestamps_do_not_leak_into_data(build_store, tmp_path: Path):
    first = build_store(["meqsum"], out=tmp_path / "a")
    time.sleep(1.1)
    second = build_store(["meqsum"], out=tmp_path / "b")
    assert parquet_bytes(first.store.root) == parquet_bytes(second.store.root)


def test_dictionary_columns_exist_in_the_record_schema():
    from meds_ins._common import schema

    assert set(store_module.DICTIONARY_COLUMNS) < set(schema.record_columns())
