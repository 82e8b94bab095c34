"""Scoring predictions: perfect outputs score 100, hand-made ones hand-computed numbers, bad files fail."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from bench_helpers import write_csv

from meds_ins._bench.predictions import PredictionsError
from meds_ins._bench.prompting import write_prompts
from meds_ins._bench.score import score_files
from meds_ins._cli import main
from meds_ins._store.layout import open_store


@pytest.fixture
def store(build_store):
    return open_store(
        build_store(["pubmedqa", "medqa", "bc5cdr", "ddxplus", "mimic4ed", "meqsum"]).store.root
    )


def test_prompt_files_and_perfect_predictions_score_100(store, tmp_path: Path):
    summary = write_prompts(store, tmp_path / "prompts")
    shots = {s["task"]: s["shots"] for s in summary}
    assert (
        shots["task57_medqa_question_answering_en"] == 0
        and shots["task126_bc5chem_named_enetity_recognition"] == 3
    )
    lines = []
    for path in sorted((tmp_path / "prompts").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            item = json.loads(line)
            assert item["id"] not in item["shots"]
            lines.append(json.dumps({"id": item["id"], "output": item["references"][0]}))
    predictions = tmp_path / "perfect.jsonl"
    predictions.write_text("\n".join(lines) + "\n")
    results = score_files([predictions], store, model="perfect")
    assert len(results["tasks"]) == 11
    for task in results["tasks"].values():
        assert all(v == 100 for v in task["scores"].values()), task


def test_gt_only_csv_scoring_of_every_metric_without_a_store(tmp_path: Path):
    rows = [
        (
            "task106",
            "abstract 1",
            "Inducing angiogenesis, Resisting cell death",
            "Inducing angiogenesis, Resisting cell death",
        ),
        ("task106", "abstract 2", "Evading growth suppressors", "Evading growth suppressors"),
        ("task51", "问题", "患者突发胸痛，考虑心肌梗死", "患者突发胸痛，考虑心肌梗死"),
        ("task54", "質問", "胸痛を訴えた", "胸痛を訴えた"),
        ("task29_drug_dose_extraction", "sentence", "10 mg", "10 mg"),
        ("task16", "claim", "mixture", "mixture"),
        ("task41", "premise", "entailment", "entailment"),
        ("task125", "text", "There is no related entity.", "There is no related entity."),
    ]
    path = write_csv(tmp_path / "p.csv", rows)
    with pytest.raises(PredictionsError, match="row 2: no store to find the row's test record in"):
        score_files([path], None, model="m")
    results = score_files([path], None, model="m", unmatched="gt")
    for task in results["tasks"].values():
        assert all(v == 100 for v in task["scores"].values()), task
    assert results["matching"] == {
        "matched_by": {"GT only": len(rows)},
        "unmatched_rows": [f"{path}, row {n}" for n in range(2, len(rows) + 2)],
    }


def test_hand_made_predictions_give_hand_computed_numbers(store, tmp_path: Path):
    import meds_ins

    qa = meds_ins.load_dataset(store.root, task="task57", split="test")  # two questions: answers B and C
    ner = meds_ins.load_dataset(
        store.root, task="task126", split="test"
    )  # {ACE inhibitor, enalapril, losartan}, {}
    lines = [
        {"id": qa[0]["id"], "output": "(B) Streptococcus pyogenes"},  # right
        {"id": qa[1]["id"], "output": "A. Central diabetes insipidus"},  # wrong
        {"id": ner[0]["id"], "output": "enalapril, losartan, aspirin"},  # TP 2, FP 1, FN 1
        {"id": ner[1]["id"], "output": "exercise"},  # FP 1
    ]
    path = tmp_path / "hand.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    results = score_files([path], store, model="hand")
    assert results["tasks"]["task57"]["scores"] == {"accuracy": 50.0}
    # micro F1 = 2*2 / (2*2 + 2 + 1) = 4/7
    assert results["tasks"]["task126"]["scores"]["f1"] == pytest.approx(100 * 4 / 7, abs=1e-3)
    mcqa = results["categories"]["Multiple-choice QA"]
    assert mcqa["average_over"] == ["task57"] and "task122" in mcqa["missing_from_average"]


def test_hallmark_macro_by_hand(tmp_path: Path):
    rows = [
        ("task106", "a1", "Inducing angiogenesis", "Inducing angiogenesis"),
        ("task106", "a2", "Inducing angiogenesis, Resisting cell death", "Resisting cell death"),
        ("task106", "a3", "Evading growth suppressors", "Inducing angiogenesis"),
    ]
    scores = score_files([write_csv(tmp_path / "h.csv", rows)], None, model="m", unmatched="gt")["tasks"][
        "task106"
    ]["scores"]
    # angiogenesis: P 1/2 R 1/2 F 1/2; cell death: P 1 R 1 F 1; growth suppressors: P 0 R 0 F 0
    assert scores["precision"] == pytest.approx(100 * 1.5 / 3, abs=1e-3)
    assert scores["recall"] == pytest.approx(100 * 1.5 / 3, abs=1e-3)
    assert scores["f1"] == pytest.approx(100 * 1.5 / 3, abs=1e-3)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("task_id,input,output\ntask57,q,a\n", "row 1: missing column(s) GT"),
        ("task_id,input,GT,output\ntask7,q,a,a\n", "row 2: 'task7' is not a MedS-Bench task"),
        ("task_id,input,GT,output\ntask57,q,A,A\ntask57,q,A,B\n", "row 3: duplicate of"),
        ("task_id,input,GT,output\ntask57,q,A,\n", "row 2: empty output"),
        ("task_id,input,GT,output\ntask57,q\n", "row 2: fewer fields"),
    ],
)
def test_malformed_csv_names_the_row(tmp_path: Path, content: str, message: str):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(PredictionsError, match=re.escape(message)):
        score_files([path], None, model="m", unmatched="gt")


def test_jsonl_needs_known_ids_and_the_cli_reports_without_traceback(store, tmp_path: Path, capsys):
    path = tmp_path / "p.jsonl"
    path.write_text('{"id": "task57:test-999", "output": "B"}\n')
    with pytest.raises(SystemExit) as done:
        main(["bench", "score", str(path), "--store", str(store.root)])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "line 1: record 'task57:test-999' is not in the test split" in err
    assert "Traceback" not in err
    path.write_text('{"id": "task57:test-1", "output": ""}\n')
    with pytest.raises(SystemExit) as done:
        main(
            [
                "bench",
                "score",
                str(path),
                "--store",
                str(store.root),
                "--allow-empty",
                "--out",
                str(tmp_path / "r.json"),
            ]
        )
    assert done.value.code == 0
    assert json.loads((tmp_path / "r.json").read_text())["tasks"]["task57"]["scores"]["accuracy"] == 0


def test_perfect_predictions_score_100_on_every_benchmark_task_of_every_builder(build_store, tmp_path: Path):
    from meds_ins._bench.tasks import bench_task
    from meds_ins._building.catalog import load_catalog

    catalog = load_catalog()
    store = open_store(build_store(sorted(catalog.builders)).store.root)
    summary = write_prompts(store, tmp_path / "prompts")
    built_bench = {t.id for b in catalog.builders.values() for t in b.tasks if bench_task(t.id)}
    assert {store.tasks[s["task"]]["id"] for s in summary} == built_bench  # every fixture has test items
    lines = [
        json.dumps({"id": item["id"], "output": item["references"][0]})
        for path in sorted((tmp_path / "prompts").glob("*.jsonl"))
        for item in map(json.loads, path.read_text().splitlines())
    ]
    (tmp_path / "perfect.jsonl").write_text("\n".join(lines) + "\n")
    results = score_files([tmp_path / "perfect.jsonl"], store, model="perfect")
    assert set(results["tasks"]) == built_bench
    for task, result in results["tasks"].items():
        assert all(v == 100 for v in result["scores"].values()), (task, result)


@pytest.mark.parametrize("missing", ["janome", "matplotlib"])
def test_bench_commands_without_the_extra_say_what_to_install(capsys, tmp_path, monkeypatch, missing):
    monkeypatch.setitem(sys.modules, missing, None)  # as if `meds-ins[bench]` were not installed
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text('{"id": "task57:x", "output": "A"}\n')
    command = ["score", str(predictions)] if missing == "janome" else ["leaderboard", str(predictions)]
    with pytest.raises(SystemExit) as exit_info:
        main(["bench", *command, *(["--out", str(tmp_path / "o")] if missing == "matplotlib" else [])])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and f"(missing: {missing})" in err
    assert "install it with `pip install 'meds-ins[bench]'`" in err
