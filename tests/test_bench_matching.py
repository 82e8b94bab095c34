"""CSV rows find their test records as JSON Lines predictions do, so both formats score alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bench_helpers import CSV_HEADER, write_csv
from conftest import real_corpus
from taskfile_helpers import instances, task, write

import meds_ins
from meds_ins._bench.matching import instance_of_prompt, match_key
from meds_ins._bench.predictions import PredictionsError
from meds_ins._bench.prompting import write_prompts
from meds_ins._bench.score import score_files
from meds_ins._cli import main
from meds_ins._store.layout import open_store


def answer(i: int, meta: dict) -> str:
    """Answer i of the 40 of the issue's case: 7 in 10 right, in the forms models write."""
    options, right = meta["options"], meta["answer"][0]
    letter = right if i % 10 < 7 else next(k for k in options if k != right)
    forms = (letter, f"({letter}) {options[letter]}", options[letter], f"Answer: {letter}. {options[letter]}")
    return forms[i % 4]


@pytest.fixture
def medqa(build_store, tmp_path: Path):
    """The real MedQA sample's store, its first 40 test records, their prompts, and 40 answers."""
    store = open_store(build_store(["medqa"], raw=real_corpus("medqa")).store.root)
    write_prompts(store, tmp_path / "prompts", tasks=["task57"])
    prompts = [
        json.loads(line)
        for line in (tmp_path / "prompts/task57_medqa_question_answering_en.jsonl").read_text().splitlines()
    ][:40]
    records = meds_ins.load_dataset(store.root, task="task57", split="test").select(range(40))
    answers = [answer(i, json.loads(r["meta"])) for i, r in enumerate(records)]
    assert [p["id"] for p in prompts] == records["id"]
    return store, records, prompts, answers


def test_csv_and_jsonl_of_the_same_answers_score_alike(medqa, tmp_path: Path):
    """The issue's task57 case: 40 answers scored 30.00 from a CSV of prompts and 70.00 from JSON Lines."""
    store, records, prompts, answers = medqa
    jsonl = tmp_path / "answers.jsonl"
    jsonl.write_text(
        "".join(json.dumps({"id": r, "output": a}) + "\n" for r, a in zip(records["id"], answers))
    )
    gt = [r["output"][0] for r in records]
    files = {
        "prompts": [[p["task"], p["prompt"], g, a] for p, g, a in zip(prompts, gt, answers)],
        "user turns": [
            ["task57", p["messages"][1]["content"], g, a] for p, g, a in zip(prompts, gt, answers)
        ],
        "raw inputs": [["task57", r["input"], g, a] for r, g, a in zip(records, gt, answers)],
        # spacing, line ends and case as a spreadsheet may leave them
        "untidy inputs": [
            ["task57", "  " + r["input"].upper().replace("\n", "\r\n  "), g, a]
            for r, g, a in zip(records, gt, answers)
        ],
    }
    expected = score_files([jsonl], store, model="m")
    assert expected["tasks"]["task57"]["scores"] == {"accuracy": 70.0}
    assert expected["matching"] == {"matched_by": {"record id": 40}, "unmatched_rows": []}
    for kind, rows in files.items():
        path = write_csv(tmp_path / f"{kind}.csv", rows)
        results = score_files([path], store, model="m")
        assert results["tasks"] == expected["tasks"], kind
        assert results["categories"] == expected["categories"], kind
        how = "prompt" if kind in ("prompts", "user turns") else "input"
        assert results["matching"]["matched_by"] == {how: 40}, kind
    # an id column wins over the input, which may then be anything
    rows = [[r, "task57", "see id", g, a] for r, g, a in zip(records["id"], gt, answers)]
    path = write_csv(tmp_path / "ids.csv", rows, ["id", *CSV_HEADER])
    results = score_files([path], store, model="m")
    assert results["tasks"] == expected["tasks"] and results["matching"]["matched_by"] == {"record id": 40}


def test_a_row_that_matches_no_record_is_named_or_counted(medqa, tmp_path: Path, capsys):
    store, records, _, answers = medqa
    rows = [["task57", r["input"], r["output"][0], a] for r, a in zip(records, answers)]
    rows[5][1] = "A question that is not in the benchmark."
    path = write_csv(tmp_path / "p.csv", rows)
    with pytest.raises(PredictionsError, match=re.escape(f"{path}, row 7: its input matches no test record")):
        score_files([path], store, model="m")
    results = score_files([path], store, model="m", unmatched="gt")
    assert results["matching"] == {
        "matched_by": {"GT only": 1, "input": 39},
        "unmatched_rows": [f"{path}, row 7"],
    }
    assert results["tasks"]["task57"]["n"] == 40
    # a JSON Lines prediction has no GT to fall back on: an unknown record id stays an error
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text('{"id": "task57:no-such-record", "output": "B"}\n')
    with pytest.raises(
        PredictionsError, match="line 1: record 'task57:no-such-record' is not in the test split"
    ):
        score_files([jsonl], store, model="m", unmatched="gt")
    # the command line says the same, without a traceback
    with pytest.raises(SystemExit) as done:
        main(["bench", "score", str(path), "--store", str(store.root)])
    assert done.value.code == 2 and "row 7: its input matches no test record" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["bench", "score", str(path), "--store", str(store.root), "--unmatched", "gt"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert "matched by GT only: 1, input: 39" in out and f"first {path}, row 7" in out


def test_a_record_answered_twice_is_refused_across_formats(medqa, tmp_path: Path):
    store, records, prompts, answers = medqa
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"id": records[3]["id"], "output": "B"}) + "\n")
    path = write_csv(tmp_path / "b.csv", [["task57", prompts[3]["prompt"], "", "C"]])
    with pytest.raises(
        PredictionsError, match=re.escape(f"{path}, row 2: duplicate of {jsonl}, line 1 (same record)")
    ):
        score_files([jsonl, path], store, model="m")


def test_records_sharing_an_input_are_told_apart_by_gt(tmp_path: Path):
    rows = instances(4, prefix="task16")
    rows[1]["input"] = rows[0]["input"]  # one claim, two records: references "no" and "yes"
    rows[2].update(input=rows[3]["input"], output=rows[3]["output"])  # two alike records: "yes" and "yes"
    path = write(tmp_path / "files", "task16_healthfact_classification", task(Instances=rows))
    meds_ins.import_task_files([path], tmp_path / "store", default_split="test")
    store = open_store(tmp_path / "store")
    told = [
        ["task16", rows[0]["input"], "yes", "yes"],
        ["task16", rows[0]["input"], "no", "yes"],
        ["task16", rows[3]["input"], "yes", "yes"],
        ["task16", rows[3]["input"], "yes", "yes"],  # alike records are taken in turn
    ]
    results = score_files([write_csv(tmp_path / "a.csv", told)], store, model="m")
    assert results["tasks"]["task16"]["scores"] == {"accuracy": 75.0}
    unknown = write_csv(tmp_path / "b.csv", [["task16", rows[0]["input"], "maybe", "yes"]])
    with pytest.raises(
        PredictionsError, match="row 2: its input is that of 2 test records of task16 with different"
    ):
        score_files([unknown], store, model="m")


def test_the_instance_of_a_prompt():
    """Candidates from the last `Input:` line back, so an instance may itself hold such a line."""
    prompt = "Say yes or no.\n\nInput:\nIs it?\nOutput:\nyes\n\nInput:\nQuote:\nInput: x\nOutput:\n"
    assert instance_of_prompt(prompt) == [
        " x\n",
        "\nQuote:\nInput: x\n",
        "\nIs it?\nOutput:\nyes\n\nInput:\nQuote:\nInput: x\n",
    ]
    assert instance_of_prompt("no prompt here") == []
    assert match_key(" Ｑuote:\r\n  'INPUT:' ") == "quote: 'input:'"
