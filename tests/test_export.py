"""Training export: mixture arithmetic, chat JSONL and parquet files, determinism, the CLI summary."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from meds_ins import UsageError
from meds_ins._training.export import export, mixture, plan_mixture


def test_plan_mixture_by_hand():
    sizes = {"a": 100, "b": 10}
    assert plan_mixture(sizes) == {"a": 100, "b": 10}
    assert plan_mixture(sizes, cap=20) == {"a": 20, "b": 10}
    # T=2: weights sqrt(20)=4.472 and sqrt(10)=3.162 share 30 records: 17.57 and 12.43 -> 18 and 12
    assert plan_mixture(sizes, cap=20, temperature=2) == {"a": 18, "b": 12}
    assert plan_mixture(sizes, total=11) == {"a": 10, "b": 1}
    assert plan_mixture({"a": 0}) == {}
    with pytest.raises(UsageError):
        plan_mixture(sizes, temperature=0)


@pytest.fixture
def store(build_store) -> Path:
    return build_store(["pubmedqa", "medqa", "meqsum"]).store.root


def test_mixture_repeats_small_tasks_only_when_asked_for_more(store: Path):
    import meds_ins

    ds = meds_ins.load_dataset(store, task=["task57", "task12"], split="train")
    mixed, shares = mixture(ds, total=30, temperature=100, seed=1)
    counts = {s.task: s.selected for s in shares}
    assert counts == {"task12_pubmedqa_classification": 15, "task57_medqa_question_answering_en": 15}
    task57 = [r["id"] for r in mixed if r["task"].startswith("task57")]
    assert len(task57) == 15 and len(set(task57)) == 2  # two records, repeated
    again, _ = mixture(ds, total=30, temperature=100, seed=1)
    assert again["id"] == mixed["id"]


def test_chat_jsonl_export(store: Path, tmp_path: Path):
    out = tmp_path / "train.jsonl"
    shares = export(store, out, category="Question Answering", cap=3, shots=1, seed=5)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(lines) == sum(s.selected for s in shares) == 3 + 3 + 2  # task15, task124, task57
    for line in lines:
        roles = [m["role"] for m in line["messages"]]
        assert roles == ["system", "user", "assistant"]
        assert line["messages"][1]["content"].startswith("Input:\n")
        assert line["messages"][0]["content"].count("\nOutput:\n") == 1  # one worked example
    again = tmp_path / "again.jsonl"
    export(store, again, category="Question Answering", cap=3, shots=1, seed=5)
    assert again.read_bytes() == out.read_bytes()


def test_parquet_export_and_cli_summary(store: Path, tmp_path: Path, capsys):
    from meds_ins._cli import main

    out = tmp_path / "mix.parquet"
    with pytest.raises(SystemExit) as done:
        main(
            [
                "export",
                "--store",
                str(store),
                "--out",
                str(out),
                "--format",
                "parquet",
                "--task",
                "task114",
                "--task",
                "task57",
            ]
        )
    assert done.value.code == 0
    table = pq.read_table(out)
    assert table.column_names == ["id", "task", "messages"] and table.num_rows == 5 + 2
    printed = capsys.readouterr().out
    assert "task114_medqsum_text_summurization" in printed and "Wrote 7 records from 2 task(s)" in printed


def test_paraphrased_instructions_are_drawn_per_record(store: Path, tmp_path: Path):
    rewrites = ["Pick the right option and give its letter and text.", "Which option is correct?"]
    paraphrases = {"task57_medqa_question_answering_en": {"original": "", "paraphrases": rewrites}}
    (store / "meta" / "paraphrases.json").write_text(json.dumps(paraphrases))
    out = tmp_path / "p.jsonl"
    export(store, out, task="task57", total=40, temperature=1, paraphrase=True, seed=2)
    systems = {json.loads(line)["messages"][0]["content"] for line in out.read_text().splitlines()}
    assert set(rewrites) <= systems  # 40 draws over 2 records repeat; both rewrites appear
    export(store, out, task="task57", paraphrase=False)
    systems = {json.loads(line)["messages"][0]["content"] for line in out.read_text().splitlines()}
    assert not systems & set(rewrites)
