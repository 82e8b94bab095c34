"""Names that resolve to nothing in a store: a task of the collection the store lacks is explained with
how to get it (build, import, or why it is withheld); unknown names get the closest valid ones, and
short lists of valid names (categories, splits) are given in full. The same everywhere names are
resolved: load_dataset, export, bench prompts, the tasks and corpora commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import meds_ins
from meds_ins import UnknownNameError
from meds_ins._bench.prompting import write_prompts
from meds_ins._building.catalog import load_catalog
from meds_ins._cli import main


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import FIXTURES

    from meds_ins._building.run import build

    out = tmp_path_factory.mktemp("names") / "store"
    build(["pubmedqa", "medqa"], FIXTURES, out, progress=False, arrow_copies=False)
    return out


def load_error(store: Path, **selection) -> str:
    with pytest.raises(UnknownNameError) as caught:
        meds_ins.load_dataset(store, **selection)
    return str(caught.value)


def test_a_task_the_store_lacks_says_how_to_build_it(store: Path):
    message = load_error(store, task="task16")
    assert message.startswith(
        "task task16 (task16_healthfact_classification) from PUBHEALTH (HealthFact) (`healthfact`) is not "
        "built in this store: build it with `meds-ins build healthfact --raw DIR` (raw files: "
    )
    assert "Did you mean" not in message
    by_name = load_error(store, task="task16_healthfact_classification")
    assert by_name == message


def test_a_withheld_or_credentialed_task_says_it_is_recipe_only_and_why(store: Path):
    message = load_error(store, task="task117")
    assert "from MIMIC-IV-ED benchmark (`mimic4ed`) is not built in this store; it is recipe-only" in message
    assert "(credentialed access: the PhysioNet Credentialed Health Data License 1.5.0" in message
    assert "build it from files you hold with `meds-ins build mimic4ed --raw DIR`" in message
    withheld = load_error(store, task="task28")
    assert "recipe-only (no licence or statement allowing redistribution found" in withheld


def test_a_task_without_a_builder_says_to_import_its_task_file(store: Path):
    message = load_error(store, task="task4")
    assert message.startswith("task task4 is part of MedS-Ins but has no builder (")
    assert "`meds-ins import FILE --store STORE`" in message


def test_a_name_of_no_task_gets_the_closest_names_of_the_store(store: Path):
    message = load_error(store, task="task124_pubmedqa_train")
    assert message.startswith("unknown task 'task124_pubmedqa_train' in this store. Did you mean:")
    assert "task124_pubmedqa_train_set" in message


def test_unknown_splits_and_categories_list_every_valid_one(store: Path):
    assert load_error(store, split="dev").startswith("unknown split 'dev'. Valid: test, train.")
    message = load_error(store, category="QA")
    assert message.startswith("unknown category 'QA'. Valid: Clinical Outcome Prediction, Diagnosis,")
    assert "Question Answering" in message and "Wrong Candidate Generation." in message


def test_export_and_bench_prompts_explain_missing_tasks_the_same_way(store: Path, tmp_path: Path):
    with pytest.raises(UnknownNameError, match=r"^task task16 \(task16_healthfact_classification\) from"):
        meds_ins.export(store, tmp_path / "out.jsonl", task="task16")
    from meds_ins._store.layout import open_store

    opened = open_store(store)
    with pytest.raises(UnknownNameError, match="recipe-only"):
        write_prompts(opened, tmp_path / "prompts", tasks=["task117"])
    with pytest.raises(meds_ins.UsageError, match="not MedS-Bench tasks with a test split.*task124_pubmedqa"):
        write_prompts(opened, tmp_path / "prompts", tasks=["task124"])
    written = write_prompts(opened, tmp_path / "prompts", tasks=["task57"])
    assert [w["task"] for w in written] == ["task57_medqa_question_answering_en"]


def test_the_catalog_explains_every_task_of_the_collection():
    catalog = load_catalog()
    for task in catalog.tasks():
        for published in (False, True):
            message = catalog.absent_task(task.id, published=published)
            assert message and message.startswith(f"task {task.id}"), task.id
            assert "meds-ins build" in message or "meds-ins import" in message
    assert catalog.absent_task("task0") is None


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_tasks_and_corpora_commands_list_valid_names(capsys):
    code, _, err = run(capsys, "tasks", "--category", "QA")
    assert code == 2 and "Valid: Clinical Outcome Prediction" in err and "Traceback" not in err
    code, _, err = run(capsys, "tasks", "--source", "pubmed_qa")
    assert code == 2 and "Did you mean: pubmedqa" in err
    code, out, _ = run(capsys, "tasks", "--source", "headqa", "--json")
    assert code == 0 and {t["id"] for t in json.loads(out)} >= {"task22", "task129"}
    code, _, err = run(
        capsys, "bench", "prompts", "--store", "/nonexistent", "--out", "/tmp/x", "--task", "x"
    )
    assert code != 0 and "Traceback" not in err
