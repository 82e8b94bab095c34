from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES

import meds_ins
from meds_ins._validation.builders import validate_builder
from meds_ins.builder import RawFormatError

RAW = FIXTURES / "mednli"


def source(name: str) -> list[dict]:
    return [json.loads(line) for line in (RAW / name).read_text().splitlines() if line.strip()]


def records(root: Path, task: str) -> list[dict]:
    ds = meds_ins.load_dataset(root, task=task)
    return [r for split in ds for r in ds[split]]


def test_discriminative_labels_and_official_split(build_store):
    report = build_store(["mednli"])
    assert report.store.corpora["mednli"]["redistributable"] is False
    pairs = {p["pairID"]: (p, "train") for n in ("mli_train_v1.jsonl", "mli_dev_v1.jsonl") for p in source(n)}
    pairs |= {p["pairID"]: (p, "test") for p in source("mli_test_v1.jsonl")}
    found = records(report.store.root, "task41")
    assert len(found) == len(pairs) == 17
    for record in found:
        pair, split = pairs[record["id"].split(":", 1)[1]]
        assert record["output"] == [pair["gold_label"]] and record["split"] == split
        assert record["input"] == f"Premise: {pair['sentence1']}\n\nHypothesis: {pair['sentence2']}"


def test_generative_tasks_give_the_hypotheses_of_each_premise(build_store):
    root = build_store(["mednli"]).store.root
    every = [p for n in ("mli_train_v1.jsonl", "mli_dev_v1.jsonl", "mli_test_v1.jsonl") for p in source(n)]
    for task, label in (("task42", "entailment"), ("task43", "contradiction")):
        expected = {p["sentence1"]: [p["sentence2"]] for p in every if p["gold_label"] == label}
        assert {r["input"]: r["output"] for r in records(root, task)} == expected
    three_way = records(root, "task44")
    assert len(three_way) == 6  # every premise has at least two hypotheses
    labels = {(p["sentence1"], p["sentence2"]): p["gold_label"] for p in every}
    for record in three_way:
        premise = record["input"].split("\n\n")[0].removeprefix("Premise: ")
        hypotheses = [block.split(": ", 1)[1] for block in record["input"].split("\n\n")[1:]]
        answers = [line.split(": ", 1)[1] for line in record["output"][0].splitlines()]
        assert answers == [labels[(premise, h)] for h in hypotheses]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: rows[1].update(gold_label="entails"), "line 2: gold_label 'entails' is not one of"),
        (lambda rows: rows[2].pop("sentence2"), "line 3: missing key\\(s\\) 'sentence2'"),
        (lambda rows: rows[2].update(pairID=rows[0]["pairID"]), "line 3: pairID .* repeats line 1"),
    ],
)
def test_malformed_lines_name_the_file_and_line(build_store, copy_fixture, change, message):
    raw = copy_fixture("mednli")
    rows = source("mli_test_v1.jsonl")
    change(rows)
    (raw / "mli_test_v1.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(RawFormatError, match=f"mli_test_v1.jsonl, {message}"):
        build_store(["mednli"], raw=raw.parent)


def test_validate_passes_on_the_fixture():
    assert validate_builder("mednli") == []
