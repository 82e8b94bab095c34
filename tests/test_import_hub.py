"""`meds-ins import --from-hub`: the released task files of a Hub dataset repository, fetched with
huggingface_hub from the local Hub (tests/hub_server.py) and imported, marked as imported.

The repositories are laid out like the original release: `Henrychur/MedS-Ins` holds one file per task
at its top (`task<N>_<name>.json`, larger ones through LFS) beside its card; `Henrychur/MedS-Bench`
one folder per category, some files named `.jsonl`. The task files are ours, in the released format.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hub_server import Blob, HubServer
from taskfile_helpers import instances, task
from test_download_hub import publish
from test_hub import Client

import meds_ins
from meds_ins._store.layout import open_store

TASK71 = "task71_medical_question_answering"
TASK72 = "task72_report_entity_extraction"
TASK132 = "task132_fact_verication_short_medical_test_train"
TASK124 = "task124_pubmedqa_train_set"
COMMIT = "7d5b9b66775d758ebceb4966caff13bec22c58ab"
LATER = "bc8aaad0000000000000000000000000000000aa"


def task_file(tid: str, category: str, source: str = "MedS-Ins test source") -> bytes:
    value = task(
        Source=[source],
        Categories=[category],
        Definition=[f"Answer the medical item of {tid} in a few words."],
        Instances=instances(24, prefix=tid),
    )
    return (json.dumps(value, indent=4, ensure_ascii=False) + "\n").encode()


RELEASE = {
    "README.md": b"---\nlanguage:\n- en\ntags:\n- medical\n---\n# MedS-Ins (test copy)\n",
    f"{TASK71}.json": task_file("task71", "Question Answering"),
    f"{TASK72}.json": task_file("task72", "Sentence Composition Analysis"),
    f"{TASK132}.json": task_file("task132", "Fact Verification"),
    f"{TASK124}.json": task_file("task124", "Question Answering"),
}


@pytest.fixture
def server():
    with HubServer({"hf_unused_token_Zr8": ("someone", ())}) as running:
        publish(running, "Henrychur/MedS-Ins", COMMIT, RELEASE)
        repo = running.hub.repos["Henrychur/MedS-Ins"]  # the largest file through LFS, as on the Hub
        repo.commits[COMMIT].files[f"{TASK124}.json"] = Blob(RELEASE[f"{TASK124}.json"], True)
        yield running


def resolved(server: HubServer) -> set[str]:
    return {path.rsplit("/", 1)[-1] for method, path, status in server.hub.requests if "/resolve/" in path}


def test_import_from_hub_reaches_tasks_no_builder_makes_and_marks_them(server, tmp_path: Path):
    client = Client(server, tmp_path)
    store = tmp_path / "store"
    args = ["import", "--from-hub", "Henrychur/MedS-Ins", "--store", str(store), "--quiet"]
    done = client.cli(*args, "--task", "task71", "--task", "task72", "--task", TASK132, token=None)
    assert done.code == 0, done.err
    assert (
        f"Imported 3 task(s) into {store}" in done.out
        and f"from Henrychur/MedS-Ins at commit {COMMIT}" in done.out
    )
    assert resolved(server) == {f"{TASK71}.json", f"{TASK72}.json", f"{TASK132}.json"}  # nothing else fetched

    manifest = open_store(store).manifest
    assert set(manifest["tasks"]) == {TASK71, TASK72, TASK132}
    assert manifest["tasks"][TASK71]["imported"] == {
        "repo": "Henrychur/MedS-Ins",
        "revision": COMMIT,
        "files": [f"{TASK71}.json"],
    }
    info = client.cli("info", "--store", str(store), token=None)
    assert info.code == 0 and f"imported (Henrychur/MedS-Ins@{COMMIT[:7]})" in info.out
    assert "task files" in info.out  # the corpus column: built from task files, not raw files
    ds = meds_ins.load_dataset(store, task="task71", split="train")
    assert ds.num_rows > 0 and ds[0]["task"] == TASK71


def test_import_from_hub_without_tasks_takes_every_task_file(server, tmp_path: Path):
    done = Client(server, tmp_path).cli(
        "import", "--from-hub", "Henrychur/MedS-Ins", "--store", str(tmp_path / "s"), "--json", token=None
    )
    assert done.code == 0, done.err
    report = json.loads(done.out)
    assert set(report["tasks"]) == {TASK71, TASK72, TASK132, TASK124}
    assert report["origin"] == {"repo": "Henrychur/MedS-Ins", "revision": COMMIT}
    assert "README.md" not in resolved(server)


def test_unknown_tasks_and_repositories_are_clear_errors(server, tmp_path: Path):
    client = Client(server, tmp_path)
    done = client.cli("import", "--from-hub", "Henrychur/MedS-Ins", "--task", "task7", token=None)
    assert done.code == 2 and "unknown task in Henrychur/MedS-Ins 'task7'" in done.err
    assert "Did you mean" in done.err
    done = client.cli("import", "--from-hub", "Henrychur/Nothing-Here", token=None)
    assert done.code == 2 and "no such dataset repository" in done.err
    done = client.cli("import", "--task", "task71", token=None)
    assert done.code == 2 and "--task and --revision apply to --from-hub" in done.err
    assert resolved(server) == set()


def test_a_benchmark_repository_in_category_folders_imports_as_test(server, tmp_path: Path):
    publish(
        server,
        "Henrychur/MedS-Bench",
        "ffb0697000000000000000000000000000000000",
        {
            "MCQA/task122_medmcqa_test_set.json": task_file("task122", "Question Answering", "medmcqa"),
            "Fact_verication/task12_pubmedqa_classification.jsonl": task_file(
                "task12", "Fact Verification", "pubmedqa"
            ),
        },
    )
    store = tmp_path / "store"
    done = Client(server, tmp_path).cli(
        "import", "--from-hub", "Henrychur/MedS-Bench", "--split", "test", "--store", str(store), "--quiet",
        token=None,
    )  # fmt: skip
    assert done.code == 0, done.err
    held = open_store(store)
    assert held.splits("task122_medmcqa_test_set") == ["test"]
    assert held.manifest["tasks"]["task12_pubmedqa_classification"]["imported"]["files"] == [
        "task12_pubmedqa_classification.jsonl"
    ]


def test_revision_pins_the_commit_read(server, tmp_path: Path):
    changed = dict(RELEASE) | {f"{TASK71}.json": task_file("task71", "Question Answering", "a later source")}
    publish(server, "Henrychur/MedS-Ins", LATER, changed)
    store = tmp_path / "store"
    done = Client(server, tmp_path).cli(
        "import", "--from-hub", "Henrychur/MedS-Ins", "--task", "task71", "--revision", COMMIT,
        "--store", str(store), "--quiet",
        token=None,
    )  # fmt: skip
    assert done.code == 0, done.err
    assert open_store(store).manifest["tasks"][TASK71]["imported"]["revision"] == COMMIT
    assert set(open_store(store).corpora) == {"meds_ins_test_source"}


def test_a_rebuild_keeps_the_tasks_imported_into_its_corpus(tmp_path: Path, build_store):
    from conftest import FIXTURES
    from taskfile_helpers import write

    store = tmp_path / "store"
    path = write(tmp_path / "files", TASK71, json.loads(task_file("task71", "Question Answering", "WikiDoc")))
    meds_ins.import_task_files([path], store)
    assert open_store(store).manifest["tasks"][TASK71]["source"] == "wikidoc"
    build_store(["wikidoc"], FIXTURES, store)
    held = open_store(store)
    assert held.manifest["tasks"][TASK71]["imported"] == {
        "repo": None,
        "revision": None,
        "files": [path.name],
    }
    assert any(e["source"] == "wikidoc" and "imported" not in e for e in held.manifest["tasks"].values())
