"""The builder API: raw-file lookup, split policies, record conversion, skip counting."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders_test_helpers import TOY_TASK, make_corpus, toy_builder, write_toy_raw

from meds_ins import BuilderError, MissingRawFilesError
from meds_ins._records.convert import make_record
from meds_ins.builder import (
    BuildContext,
    Example,
    RawFile,
    Task,
    merge_same_input,
    random_split,
    settle_repeats,
)
from meds_ins.builder._api import check_raw_files, locate


def test_locate_prefers_native_path_then_longest_shared_tail(tmp_path: Path):
    for rel in ("rel/questions/US/train.jsonl", "rel/questions/Mainland/train.jsonl", "other/test.jsonl"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}\n")
    assert (
        locate(tmp_path, "questions/Mainland/train.jsonl") == tmp_path / "rel/questions/Mainland/train.jsonl"
    )
    assert (
        locate(tmp_path, "data_clean/questions/US/train.jsonl") == tmp_path / "rel/questions/US/train.jsonl"
    )
    # only the file name in common, and below the top level: not the same file
    assert locate(tmp_path, "questions/Taiwan/test.jsonl") is None
    with pytest.raises(MissingRawFilesError, match="ambiguous"):
        locate(tmp_path, "train.jsonl")


def test_missing_raw_files_are_all_named_with_where_to_get_them(tmp_path: Path):
    corpus = make_corpus(
        raw_files=(
            RawFile("a.json", "the first file"),
            RawFile("b.json", "the second file"),
            RawFile("c.json", "optional", required=False),
        )
    )
    (tmp_path / "c.json").write_text("{}")
    with pytest.raises(MissingRawFilesError) as err:
        check_raw_files(corpus, tmp_path)
    message = str(err.value)
    assert "a.json: the first file" in message and "b.json: the second file" in message
    assert "https://example.org/toy/files" in message and "c.json" not in message


def test_at_least_one_optional_file_is_needed(tmp_path: Path):
    corpus = make_corpus(
        raw_files=(RawFile("x.json", "x", required=False), RawFile("y.json", "y", required=False))
    )
    with pytest.raises(MissingRawFilesError, match="x.json"):
        check_raw_files(corpus, tmp_path)
    (tmp_path / "y.json").write_text("{}")
    check_raw_files(corpus, tmp_path)
    with pytest.raises(MissingRawFilesError, match="does not exist"):
        check_raw_files(corpus, tmp_path / "nowhere")


def test_random_split_is_deterministic_and_about_one_in_ten():
    splits = [random_split("toy", str(i)) for i in range(20_000)]
    assert splits == [random_split("toy", str(i)) for i in range(20_000)]
    share = splits.count("test") / len(splits)
    assert 0.09 < share < 0.11
    assert random_split("toy", "7") != random_split("other", "7") or random_split("toy", "8") != random_split(
        "other", "8"
    )


def record(task: Task, **changes) -> dict:
    fields = dict(task=task.id, key="k1", input=" Q?\r\n", output="A ")
    fields.update(changes)
    return make_record("toy", task, Example(**fields))


def test_record_fields_are_filled_from_the_task():
    row = record(TOY_TASK, input_language="es", output_language="es")
    assert row["id"] == "task9001:k1" and row["task"] == TOY_TASK.name
    assert row["input"] == "Q?" and row["output"] == ["A"]  # LF line ends, no surrounding whitespace
    assert row["category"] == "Question Answering" and row["instruction"] == TOY_TASK.instruction
    assert (row["input_language"], row["output_language"], row["instruction_language"]) == ("es", "es", "en")
    assert row["split"] == random_split("toy", "q")  # no group: the input, normalized, decides
    assert record(TOY_TASK, group="g", meta={"b": 1, "a": "é"})["meta"] == '{"a":"é","b":1}'


def test_split_policies_are_enforced():
    official = Task("task9002", "task9002_x", "Diagnosis", "Do it.")
    assert record(official, split="test")["split"] == "test"
    with pytest.raises(BuilderError, match="split None"):
        record(official)
    with pytest.raises(BuilderError, match="leave Example.split unset"):
        record(TOY_TASK, split="train")
    train_only = Task(
        "task9003", "task9003_x", "Diagnosis", "Do it.", splits=("train",), split_policy="train-only"
    )
    assert record(train_only)["split"] == "train"


def test_undeclared_language_and_task_are_refused():
    with pytest.raises(BuilderError, match="not declared"):
        record(TOY_TASK, input_language="fr")
    with pytest.raises(BuilderError, match="does not declare"):
        toy_builder().task("task1")


def test_skips_are_counted_in_the_manifest(tmp_path: Path, build_store):
    write_toy_raw(tmp_path / "raw", [("a", "en", "Q1", "A1"), ("b", "en", "Q2", ""), ("c", "es", "P3", "R3")])
    report = build_store([toy_builder()], raw=tmp_path / "raw")
    assert report.store.manifest["corpora"]["toy"]["skipped"] == {"no answer": 1}
    assert report.store.manifest["totals"]["rows"] == 2


def test_builder_cannot_open_undeclared_files(tmp_path: Path, build_store):
    def sneaky(ctx):
        ctx.optional("secret.txt")
        yield from ()

    from meds_ins.builder import Builder

    write_toy_raw(tmp_path / "raw", [("a", "en", "Q", "A")])
    with pytest.raises(BuilderError, match="not declared"):
        build_store([Builder(make_corpus(), (TOY_TASK,), sneaky)], raw=tmp_path / "raw")


def test_near_identical_inputs_share_a_split_and_text_is_cleaned():
    from meds_ins._records.convert import clean_text, near_duplicate_key

    assert clean_text(" a\x00b\x1b[0m\tc\r\nd ") == "ab[0m\tc\nd"
    assert (
        clean_text("it\x92s \x93quoted\x94\x81") == "it\u2019s \u201cquoted\u201d"
    )  # cp1252 read as Latin-1
    assert near_duplicate_key("What is IT?") == near_duplicate_key("what is it") == "whatisit"
    splits = {
        record(TOY_TASK, key=f"k{i}", input=text)["split"]
        for i, text in enumerate(
            [
                "Is aspirin safe in pregnancy?",
                "is aspirin safe in pregnancy",
                "IS ASPIRIN SAFE IN PREGNANCY ?!",
            ]
        )
    }
    assert len(splits) == 1
    explicit = {record(TOY_TASK, key=f"k{i}", group=f"g{i}")["split"] for i in range(40)}
    assert explicit == {"train", "test"}  # an explicit group still decides


def test_repeated_inputs_become_one_example_with_all_answers_and_are_counted(tmp_path: Path):
    ctx = BuildContext(make_corpus(), tmp_path)
    examples = [
        Example("task1", "a", "What is X?", "X is a thing.", meta={"row": 2}),
        Example("task1", "b", "what is  x?", ["X is a thing. ", "X is an object."]),
        Example("task2", "a", "What is X?", "other task"),
        Example("task1", "c", "What is Y?", "Y."),
        Example("task1", "d", "What is X?", "X, in a third way.", split="test"),
        Example("task1", "e", "WHAT IS X?", "X is an object."),
    ]
    merged = merge_same_input(ctx, examples)
    keys = [(e.task, e.key) for e in merged]
    assert keys == [("task1", "a"), ("task2", "a"), ("task1", "c"), ("task1", "d")]
    first = merged[0]
    assert first.output == ["X is a thing.", "X is an object."]
    assert first.meta == {"row": 2, "merged_keys": ["b", "e"]}
    assert merged[2].output == "Y." and merged[2].meta is None
    assert ctx.skipped == {
        "question repeated (answers merged into one record)": 1,  # b brings a new answer
        "question repeated with the same answers (kept once)": 1,  # e does not
    }


def test_repeats_of_one_item_are_kept_once_when_alike_and_left_out_when_not(tmp_path: Path):
    ctx = BuildContext(make_corpus(), tmp_path)
    examples = [
        Example("task1", "1", "Abstract one.", "flu", split="train"),
        Example("task1", "2", "Abstract two.", ["cold", "fever"], split="train"),
        Example("task1", "3", "Abstract three.", "none", split="train"),
        Example("task1", "2", "Abstract two.", ("cold", "fever"), split="train"),  # identical
        Example("task1", "3", "Abstract three.", "cough", split="train"),  # conflicting
        Example("task1", "1", "Abstract one.", "flu", split="test"),  # identical, on the test side
        Example("task2", "3", "Abstract three.", "none"),  # another task: another item
    ]
    kept = list(settle_repeats(ctx, examples, "abstract"))
    assert [(e.task, e.key, e.split) for e in kept] == [
        ("task1", "2", "train"),
        ("task1", "1", "test"),
        ("task2", "3", None),
    ]
    assert ctx.skipped == {
        "abstract repeated identically (kept once)": 2,
        "abstract repeated with different content (every copy left out)": 2,
    }


def test_repeats_can_be_told_by_their_text(tmp_path: Path):
    ctx = BuildContext(make_corpus(), tmp_path)
    examples = [
        Example("task1", "ca-1", "Votem!", "FAVOR", split="train"),
        Example("task1", "es-7", "Votem!", "FAVOR", split="test"),
    ]
    kept = list(settle_repeats(ctx, examples, "tweet", lambda ex: ex.input))
    assert [e.key for e in kept] == ["es-7"] and ctx.skipped == {"tweet repeated identically (kept once)": 1}
