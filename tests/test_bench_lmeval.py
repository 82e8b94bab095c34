"""`bench lm-eval`: the generated lm-evaluation-harness tasks hold `bench prompts`' prompts and `bench run`'s
decoding settings, and the real `lm_eval` (its dummy model, and its API models against the local
OpenAI-compatible server) reports the numbers `bench score` and `bench run` give.

The lm_eval tests need `lm-eval[api]` (in the [test] extra); without it they are skipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openai_server import ModelServer, answers_from_prompts, normalized

import meds_ins
from meds_ins._bench.generation import STOP, Decoding
from meds_ins._bench.lmeval import group_name, write_lm_eval_tasks
from meds_ins._bench.prompting import write_prompts
from meds_ins._bench.run import run_bench
from meds_ins._bench.score import score_files
from meds_ins._bench.tasks import CATEGORIES
from meds_ins._building.run import build
from meds_ins._cli import main
from meds_ins._common.errors import UnknownNameError
from meds_ins._store.layout import open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# every metric kind: choice, first-line, entity F1, hallmark P/R/F1, BLEU/ROUGE (en, zh, ja), substring,
# true/false; tasks outside every average (CT, MRI) and categories without one (NLI, fact verification)
CORPORA = [
    "medqa",
    "pubmedqa",
    "bc5cdr",
    "hoc",
    "mimic_iv_radiology",
    "mednli",
    "mmedbench",
    "ddxplus",
    "mimic4ed",
]


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor("!function", lambda loader, node: ("function", loader.construct_scalar(node)))


def read_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=_Loader)


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    root = tmp_path_factory.mktemp("lmeval")
    store = open_store(
        build(CORPORA, FIXTURES, root / "store", progress=False, arrow_copies=False).store.root
    )
    write_prompts(store, root / "prompts")
    prompts = [
        json.loads(line) for path in sorted((root / "prompts").glob("*.jsonl")) for line in path.open()
    ]
    write_lm_eval_tasks(store, root / "tasks")
    return store, root, prompts


def test_the_tasks_hold_the_prompts_of_bench_prompts_and_the_settings_of_bench_run(bench):
    store, root, prompts = bench
    folder = root / "tasks"
    rows = {
        row["id"]: row
        for path in (folder / "data").glob("*.jsonl")
        for row in map(json.loads, path.read_text().splitlines())
    }
    assert len(rows) == len(prompts)
    for prompt in prompts:  # lm-eval sends description "{{system}}\n\n" then the user part
        row = rows[prompt["id"]]
        assert row["system"] + "\n\n" + row["user"] == prompt["prompt"]
        assert [row["system"], row["user"]] == [m["content"] for m in prompt["messages"]]
        assert row["references"] == prompt["references"]
    decoding = Decoding()
    tasks = {p["id"].split(":")[0] for p in prompts}
    for task in tasks:
        config = read_yaml(folder / f"meds_bench_{task}.yaml")
        assert config["generation_kwargs"] == {
            "until": list(STOP),
            "max_gen_toks": decoding.max_tokens_for(task),
            "do_sample": False,
            "temperature": 0.0,
        }
        assert config["description"] == "{{system}}\n\n" and config["doc_to_text"] == "user"
        assert config["custom_dataset"] == ("function", "utils.load") and config["num_fewshot"] == 0

    groups = {p.stem: read_yaml(p) for p in folder.glob("*.yaml") if "group" in read_yaml(p)}
    members = [t for name, g in groups.items() if name != "meds_bench" for t in g["task"]]
    assert sorted(members) == sorted(f"meds_bench_{t}" for t in tasks)  # each task in one group
    assert sorted(groups["meds_bench"]["task"]) == sorted(g for g in groups if g != "meds_bench")
    assert "aggregate_metric_list" not in groups["meds_bench"]
    summarization = groups[group_name("Text summarization")]
    assert summarization["task"] == ["meds_bench_task78"]  # CT and MRI (83-94) are outside the average
    assert groups["meds_bench_unaveraged"]["task"] == [f"meds_bench_task{n}" for n in range(83, 95)]
    assert [m["metric"] for m in summarization["aggregate_metric_list"]] == ["bleu1", "rougeL"]
    assert all(not m["weight_by_size"] for m in summarization["aggregate_metric_list"])
    assert "aggregate_metric_list" not in groups[group_name("NLI")]  # no published average
    hoc = read_yaml(folder / "meds_bench_task106.yaml")
    assert [m["metric"] for m in hoc["metric_list"]] == ["precision", "recall", "f1"]
    assert hoc["process_results"] == ("function", "utils.hallmark_item")


def test_a_second_run_for_fewer_tasks_leaves_no_stale_task_behind(bench, tmp_path, capsys):
    store, _, _ = bench
    write_lm_eval_tasks(store, tmp_path)
    with pytest.raises(SystemExit) as done:
        main(
            [
                "bench",
                "lm-eval",
                "--out",
                str(tmp_path),
                "--store",
                str(store.root),
                "--category",
                "NER",
                "--json",
            ]
        )
    assert done.value.code == 0
    written = json.loads(capsys.readouterr().out)
    assert [t["lm_eval_task"] for t in written["tasks"]] == ["meds_bench_task126", "meds_bench_task127"]
    assert sorted(p.name for p in tmp_path.glob("*.yaml")) == [
        "meds_bench.yaml",
        "meds_bench_ner.yaml",
        "meds_bench_task126.yaml",
        "meds_bench_task127.yaml",
    ]
    assert len(list((tmp_path / "data").iterdir())) == 2


def test_score_outputs_gives_bench_scores_numbers(bench, tmp_path):
    store, root, prompts = bench
    said = {p["id"]: p["references"][0][: len(p["id"]) % 9] + " cisplatin, true" for p in prompts}
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("".join(json.dumps({"id": i, "output": o}) + "\n" for i, o in said.items()))
    expected = score_files([predictions], store, model="m")["tasks"]
    rows = [json.loads(line) for path in (root / "tasks" / "data").glob("*.jsonl") for line in path.open()]
    for task, result in expected.items():
        items = [{**row, "output": said[row["id"]]} for row in rows if row["task"] == task]
        scores = meds_ins.score_outputs(task, items)
        assert {k: round(v, 4) for k, v in scores.items()} == result["scores"], task
    assert meds_ins.score_outputs("task57_medqa_question_answering_en", [
        {"output": "B", "references": ["B. x"], "meta": {"options": {"A": "y", "B": "x"}, "answer": ["B"]}}
    ]) == {"accuracy": 100.0}  # fmt: skip
    with pytest.raises(UnknownNameError, match="unknown MedS-Bench task 'task5'"):
        meds_ins.score_outputs("task5", [])


# -- the real lm-evaluation-harness -------------------------------------------------------------


@pytest.fixture
def lm_eval():
    return pytest.importorskip("lm_eval", reason="lm-eval[api] is not installed (pip install -e '.[test]')")


def evaluate(folder: Path, model: str, model_args: str = "", **options) -> dict:
    from lm_eval import simple_evaluate
    from lm_eval.tasks import TaskManager

    manager = TaskManager(include_path=str(folder), include_defaults=False)  # skips indexing ~14k tasks
    done = simple_evaluate(
        model=model,
        model_args=model_args,
        tasks=["meds_bench"],
        task_manager=manager,
        bootstrap_iters=0,
        **options,
    )
    return done["results"]


def same_numbers(lm_eval_results: dict, ours: dict) -> None:
    """Every task's and every averaged category's scores of `bench score` in lm-eval's results."""
    for task, result in ours["tasks"].items():
        for metric, value in result["scores"].items():
            assert lm_eval_results[f"meds_bench_{task}"][f"{metric},none"] == pytest.approx(
                value, abs=1e-3
            ), task
    averaged = [c for c in CATEGORIES if ours["categories"].get(c.name, {}).get("scores")]
    assert averaged
    for category in averaged:
        for metric, value in ours["categories"][category.name]["scores"].items():
            got = lm_eval_results[group_name(category.name)][f"{metric},none"]
            assert got == pytest.approx(value, abs=1e-3), category.name


def test_lm_eval_dummy_model_scores_as_bench_score_scores_its_answers(lm_eval, bench, tmp_path):
    store, root, prompts = bench
    moved = shutil.copytree(root / "tasks", tmp_path / "elsewhere")  # the folder works wherever it is
    results = evaluate(moved, "dummy")
    lol = tmp_path / "lol.jsonl"  # the dummy model answers "lol" to every prompt
    lol.write_text("".join(json.dumps({"id": p["id"], "output": "lol"}) + "\n" for p in prompts))
    same_numbers(results, score_files([lol], store, model="dummy"))


@pytest.mark.parametrize("api", ["completions", "chat"])
def test_lm_eval_against_a_server_scores_and_asks_as_bench_run(lm_eval, bench, tmp_path, api):
    store, root, _ = bench
    with ModelServer(answers_from_prompts(root / "prompts")) as server:
        server.reply = lambda prompt: server.answers[prompt][: 3 + len(prompt) % 40] + " heparin, True"
        ours = run_bench(
            server.url, "echo", store=store, out=tmp_path, api=api, progress=False, leaderboard=False
        )
        sent = server.received[:]
        server.received.clear()
        if api == "completions":
            url = f"{server.url}/completions"
            args = f"model=echo,base_url={url},tokenizer_backend=None,tokenized_requests=False"
            results = evaluate(root / "tasks", "local-completions", args)
        else:
            args = f"model=echo,base_url={server.url}/chat/completions,num_concurrent=4"
            results = evaluate(root / "tasks", "local-chat-completions", args, apply_chat_template=True)
    same_numbers(results, ours["results"])
    asked = server.received
    if api == "chat":  # lm-eval keeps the blank line that separates the parts in a text prompt
        assert all(body["messages"][0]["content"].endswith("\n\n") for body in asked)
        for body in asked:
            body["messages"][0]["content"] = body["messages"][0]["content"][:-2]
    assert sorted(json.dumps(b, sort_keys=True) for b in asked) == sorted(
        json.dumps(b, sort_keys=True) for b in sent
    )


def test_the_lm_eval_command_runs_meds_bench_against_a_server_answering_the_references(
    lm_eval, bench, tmp_path
):
    _, root, prompts = bench
    command = Path(sys.executable).parent / "lm_eval"
    with ModelServer(answers_from_prompts(root / "prompts")) as server:
        done = subprocess.run(
            [str(command), "--model", "local-completions", "--tasks", "meds_bench", "--include_path",
             str(root / "tasks"), "--output_path", str(tmp_path / "out"), "--model_args",
             f"model=echo,base_url={server.url}/completions,tokenizer_backend=None,tokenized_requests=False"],
            capture_output=True, text=True, timeout=900, cwd=tmp_path,
        )  # fmt: skip
        asked = {normalized(b["prompt"]) for b in server.received}
    assert done.returncode == 0, done.stderr[-3000:]
    assert asked == {normalized(p["prompt"]) for p in prompts}
    (results_file,) = (tmp_path / "out").rglob("results_*.json")
    results = json.loads(results_file.read_text())["results"]
    tasks = {p["id"].split(":")[0] for p in prompts}
    for task in tasks:
        scores = {
            k: v
            for k, v in results[f"meds_bench_{task}"].items()
            if k.endswith(",none") and "_stderr" not in k
        }
        assert scores and all(v == 100 for v in scores.values()), (task, scores)
    assert "MedQA (task57)" in done.stdout and "Multiple-choice QA" in done.stdout
