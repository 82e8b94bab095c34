"""meds_ins.load_dataset: selection, memory mapping, streaming, errors with suggestions."""

from __future__ import annotations

from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest
from builders_test_helpers import toy_builder, write_toy_raw

import meds_ins
from meds_ins import StoreNotFoundError, UnknownNameError, UsageError
from meds_ins._common import paths


@pytest.fixture
def store(build_store) -> Path:
    return build_store(["pubmedqa", "medqa", "bc5cdr"]).store.root


def test_one_task_as_dataset_dict_and_as_split(store: Path):
    both = meds_ins.load_dataset(store, task="task57_medqa_question_answering_en")
    assert isinstance(both, datasets.DatasetDict) and set(both) == {"train", "test"}
    assert (both["train"].num_rows, both["test"].num_rows) == (2, 2)
    test = meds_ins.load_dataset(store, task="task57", split="test")
    assert isinstance(test, datasets.Dataset) and test.split == "test"
    assert test.to_list() == both["test"].to_list()
    expected = pq.read_table(
        store / "data/task57_medqa_question_answering_en/test-00000-of-00001.parquet"
    ).to_pylist()
    assert test.to_list() == expected


def test_test_only_task_has_an_empty_train_split(store: Path):
    ds = meds_ins.load_dataset(store, task="task123")
    assert ds["train"].num_rows == 0 and ds["test"].num_rows == 3
    assert ds["train"].features == ds["test"].features


def test_records_are_memory_mapped_from_the_copies_the_build_wrote(store: Path):
    from meds_ins._store.layout import open_store

    manifest = open_store(store).manifest
    shas = {f["sha256"] for t in manifest["tasks"].values() for s in t["splits"].values() for f in s["files"]}
    assert {p.stem for p in paths.arrow_cache().glob("*.arrow")} == shas  # one copy per file, no temporaries
    before = {p: p.stat().st_mtime_ns for p in paths.arrow_cache().iterdir()}
    ds = meds_ins.load_dataset(store, task=["task57", "task124"], split="train")
    assert ds.cache_files and all(Path(f["filename"]).parent == paths.arrow_cache() for f in ds.cache_files)
    assert {p: p.stat().st_mtime_ns for p in paths.arrow_cache().iterdir()} == before  # nothing converted
    assert sorted(set(ds["task"])) == ["task124_pubmedqa_train_set", "task57_medqa_question_answering_en"]


def test_without_copies_only_the_selected_files_are_converted(build_store, store: Path, tmp_path: Path):
    from meds_ins._store import arrowcache

    expected = meds_ins.load_dataset(store, task=["task57", "task124"], split="train").to_list()
    assert arrowcache.clear().bytes > 0
    plain = build_store(
        ["pubmedqa", "medqa", "bc5cdr"], out=tmp_path / "plain", arrow_copies=False
    ).store.root
    assert not paths.arrow_cache().exists() or not list(paths.arrow_cache().iterdir())
    ds = meds_ins.load_dataset(plain, task=["task57", "task124"], split="train")
    assert len(list(paths.arrow_cache().glob("*.arrow"))) == 2  # only the two selected files
    assert ds.to_list() == expected


def test_filters_combine(store: Path):
    qa = meds_ins.load_dataset(store, category="question answering")
    assert {r["category"] for r in qa["train"]} == {"Question Answering"}
    assert set(qa["test"]["task"]) == {
        "task123_pubmedqa_test_set",
        "task15_pubmedqa_answer_generation",
        "task57_medqa_question_answering_en",
        "task58_medqa_question_answering_zh",
    }
    zh = meds_ins.load_dataset(store, language="Chinese", split="test")
    assert set(zh["task"]) == {"task58_medqa_question_answering_zh"}
    both = meds_ins.load_dataset(
        store, category=["Named Entity Recognition"], language="en", task=["task28", "task57"]
    )
    assert set(both["train"]["task"]) == {"task28_disease_entity_extraction_bc5cdr_dataset"}


def test_rows_of_mixed_language_tasks_are_filtered(tmp_path: Path, build_store):
    raw = tmp_path / "toy"
    write_toy_raw(raw, [(str(i), "es" if i % 3 == 0 else "en", f"Q{i}", f"A{i}") for i in range(60)])
    root = build_store([toy_builder()], raw=raw).store.root
    spanish = meds_ins.load_dataset(root, language="es")
    assert spanish["train"].num_rows + spanish["test"].num_rows == 20
    assert set(spanish["train"]["input_language"]) == {"es"}
    english = meds_ins.load_dataset(root, language="en", streaming=True, split="train")
    assert {r["input_language"] for r in english} == {"en"}


def test_streaming_yields_the_same_records(store: Path):
    eager = meds_ins.load_dataset(store, task=["task124", "task57"], split="train")
    lazy = meds_ins.load_dataset(store, task=["task124", "task57"], split="train", streaming=True)
    assert isinstance(lazy, datasets.IterableDataset)
    assert sorted(r["id"] for r in lazy) == sorted(eager["id"])
    both = meds_ins.load_dataset(store, task="task123", streaming=True)
    assert isinstance(both, datasets.IterableDatasetDict) and list(both["train"]) == []


def test_default_store_and_collection_name(build_store):
    failed = "empty, and reading the published collection failed.*quickstart"
    with pytest.raises(meds_ins.HubError, match=failed):
        meds_ins.load_dataset(task="task124")
    build_store(["pubmedqa"], out=paths.default_store())
    assert meds_ins.load_dataset("meds_ins", task="task124", split="train").num_rows == 4
    assert meds_ins.load_dataset(task="task124", split="train").num_rows == 4


def test_unknown_names_suggest_the_closest(store: Path):
    with pytest.raises(UnknownNameError, match="Did you mean: task124_pubmedqa_train_set"):
        meds_ins.load_dataset(store, task="task124_pubmedqa_train")
    with pytest.raises(UnknownNameError, match="Did you mean: Question Answering"):
        meds_ins.load_dataset(store, category="Question Answer")
    with pytest.raises(UnknownNameError, match="unknown split 'validation'"):
        meds_ins.load_dataset(store, split="validation")
    with pytest.raises(UnknownNameError, match="unknown language 'Klingonese'"):
        meds_ins.load_dataset(store, language="Klingonese")
    with pytest.raises(UsageError, match="no task in .* matches category='Diagnosis'.*Question Answering"):
        meds_ins.load_dataset(store, category="Diagnosis")
    with pytest.raises(StoreNotFoundError, match="no store at"):
        meds_ins.load_dataset(store / "nope")
