"""Planning a push without the network: the licence gate, merging with what a repository holds,
splitting into commits, and the checks made before anything is sent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from huggingface_hub.utils.sha import git_hash

from meds_ins import UnknownNameError, UsageError, ValidationFailed
from meds_ins._hub.repo import check_repo_id
from meds_ins._publish import plan as hub
from meds_ins._store.layout import Store, open_store

RESTRICTED_TASKS = (
    "task117_mimic4ed_benchmark_hospitalization",
    "task118_mimic4ed_72h_ed_revisit_disposition",
    "task119_mimic4ed_benchmark_critical_triage",
)


def remote_of(store: Store) -> hub.Remote:
    """What a repository holding exactly this store looks like to a push."""
    files = {}
    for entry in store.manifest["tasks"].values():
        for split in entry["splits"].values():
            for f in split["files"]:
                files[f["path"]] = hub.RemoteFile(f["bytes"], f["sha256"], "lfs-pointer-oid")
    for path in ("README.md", "meta/manifest.json", "meta/tasks.json", "meta/corpora.json"):
        data = (store.root / path).read_bytes()
        files[path] = hub.RemoteFile(len(data), None, git_hash(data))
    return hub.Remote("0" * 40, False, files, store)


def planned_paths(plan: hub.Plan) -> set[str]:
    return {u.path for u in plan.uploads}


def test_gate_leaves_out_restricted_corpora_whatever_is_asked(build_store):
    store = build_store(["pubmedqa", "mimic4ed"]).store
    for corpora in (None, ["mimic4ed", "pubmedqa"]):
        for include_demo in (False, True):
            published, excluded = hub.gate(store, corpora, include_demo)
            assert published == ["pubmedqa"]
            assert [(e.corpus, e.tasks, e.restricted) for e in excluded] == [
                ("mimic4ed", RESTRICTED_TASKS, True)
            ]
            assert "not redistributable: credentialed access" in excluded[0].reason
    with pytest.raises(UsageError, match="(?s)nothing to publish.*mimic4ed: not redistributable"):
        hub.plan_push(store, "meds-ins/x", None, corpora=["mimic4ed"])
    with pytest.raises(UnknownNameError, match="Did you mean: mimic4ed"):
        hub.gate(store, ["mimic4"])


def test_edited_metadata_cannot_unlock_a_restricted_corpus(build_store, tmp_path: Path):
    root = tmp_path / "edited"
    shutil.copytree(build_store(["pubmedqa", "mimic4ed"]).store.root, root)
    corpora = json.loads((root / "meta/corpora.json").read_text())
    for c in corpora:
        c.update(
            redistributable=True,
            access="public",
            license="CC0-1.0",
            redistribution={"basis": "licence", "terms": "CC0-1.0", "source": "edited"},
        )
    (root / "meta/corpora.json").write_text(json.dumps(corpora))
    manifest = json.loads((root / "meta/manifest.json").read_text())
    manifest["corpora"]["mimic4ed"]["redistributable"] = True
    (root / "meta/manifest.json").write_text(json.dumps(manifest))
    published, excluded = hub.gate(open_store(root))
    assert published == ["pubmedqa"]
    assert "according to its meds-ins builder: credentialed access" in excluded[0].reason


def test_corpora_whose_metadata_states_no_basis_are_withheld(build_store, tmp_path: Path):
    root = tmp_path / "older"
    shutil.copytree(build_store(["pubmedqa", "medqa"]).store.root, root)
    corpora = json.loads((root / "meta/corpora.json").read_text())
    for c in corpora:
        if c["id"] == "medqa":  # metadata written before corpora stated their basis
            del c["redistribution"]
    (root / "meta/corpora.json").write_text(json.dumps(corpora))
    published, excluded = hub.gate(open_store(root))
    assert published == ["pubmedqa"]
    assert [e.corpus for e in excluded] == ["medqa"] and excluded[0].restricted
    assert "states no basis of redistribution" in excluded[0].reason


def test_demo_corpora_are_left_out_unless_asked(build_store):
    store = build_store(["pubmedqa", "medqa"], miniature=True).store
    with pytest.raises(UsageError, match="(?s)demo miniature.*--include-demo"):
        hub.plan_push(store, "meds-ins/x", None)
    plan = hub.plan_push(store, "meds-ins/x", None, include_demo=True)
    assert plan.published == ["medqa", "pubmedqa"]
    assert "pretty_name: 'MedS-Ins (demo: made-up records)'" in plan.card_text


def test_plan_for_a_new_repository_describes_exactly_what_is_uploaded(build_store):
    store = build_store(["pubmedqa", "medqa", "mimic4ed"]).store
    plan = hub.plan_push(store, "meds-ins/x", None)
    data_files = {
        f["path"]
        for name, e in store.manifest["tasks"].items()
        if e["source"] != "mimic4ed"
        for s in e["splits"].values()
        for f in s["files"]
    }
    assert planned_paths(plan) == data_files | {
        "README.md",
        "meta/manifest.json",
        "meta/tasks.json",
        "meta/corpora.json",
    }
    assert not any("mimic4ed" in p for p in planned_paths(plan))
    generated = {u.path: u.source.decode() for u in plan.uploads if isinstance(u.source, bytes)}
    manifest = json.loads(generated["meta/manifest.json"])
    assert set(manifest["corpora"]) == {"medqa", "pubmedqa"} and not set(manifest["tasks"]) & set(
        RESTRICTED_TASKS
    )
    assert {t["source"] for t in json.loads(generated["meta/tasks.json"])} == {"medqa", "pubmedqa"}
    assert [c["id"] for c in json.loads(generated["meta/corpora.json"])] == ["medqa", "pubmedqa"]
    readme = generated["README.md"]
    configs = [c["config_name"] for c in hub.card.front_matter(plan.view)["configs"]]
    assert configs == ["default", *manifest["tasks"]] and f"config_name: {RESTRICTED_TASKS[0]}" not in readme
    # the card names the corpora that are never published and how to build them
    assert "## Corpora not included" in readme and "`meds-ins build mimic4ed --raw DIR`" in readme
    assert 'meds_ins.load_dataset("meds-ins/x"' in readme
    assert len(plan.batches) == 1 and plan.deletions == [] and plan.unchanged == []


def test_pushing_one_corpus_keeps_the_others_on_the_repository(build_store, tmp_path: Path):
    held = build_store(["pubmedqa", "medqa"], out=tmp_path / "held").store
    local = build_store(["medqa", "meqsum"], out=tmp_path / "local").store
    plan = hub.plan_push(local, "meds-ins/x", remote_of(held))
    assert plan.kept == ["pubmedqa"] and plan.published == ["medqa", "meqsum"]
    assert set(plan.view.manifest["corpora"]) == {"medqa", "meqsum", "pubmedqa"}
    # medqa is identical, so only meqsum's files and the metadata are sent
    assert {p.split("/")[1] for p in planned_paths(plan) if p.startswith("data/")} == {
        "task114_medqsum_text_summurization"
    }
    assert set(plan.unchanged) >= {p for p in remote_of(held).files if p.startswith("data/")}
    assert plan.deletions == []


def test_replaced_corpora_lose_their_stale_files_and_restricted_ones_are_removed(build_store, tmp_path: Path):
    held_root = tmp_path / "held"
    shutil.copytree(build_store(["pubmedqa", "mimic4ed"]).store.root, held_root)
    held = open_store(held_root)
    remote = remote_of(held)
    stale = "data/task11_pubmedqa_question_generation/train-00000-of-00002.parquet"
    remote.files[stale] = hub.RemoteFile(10, "f" * 64, "oid")
    local = build_store(["pubmedqa"], out=tmp_path / "local").store
    plan = hub.plan_push(local, "meds-ins/x", remote)
    assert stale in plan.deletions
    assert [e.corpus for e in plan.dropped] == ["mimic4ed"]
    assert {p.split("/")[1] for p in plan.deletions if "mimic4ed" in p} == set(RESTRICTED_TASKS)
    assert set(plan.view.manifest["corpora"]) == {"pubmedqa"}


def test_large_pushes_are_split_into_commits_with_the_card_last(build_store):
    store = build_store(["pubmedqa", "medqa", "bc5cdr"]).store
    plan = hub.plan_push(store, "meds-ins/x", None, max_files=4)
    sizes = [len(b.uploads) + len(b.deletions) for b in plan.batches]
    assert len(plan.batches) > 3 and max(sizes) <= 4
    sent = [u.path for b in plan.batches for u in b.uploads]
    assert sorted(sent) == sorted(planned_paths(plan)) and len(sent) == len(set(sent))
    assert {u.path for u in plan.batches[-1].uploads} >= {"README.md", "meta/manifest.json"}
    assert not any(u.path == "README.md" for b in plan.batches[:-1] for u in b.uploads)
    by_bytes = hub.plan_push(store, "meds-ins/x", None, max_bytes=20_000)
    assert all(b.size <= 20_000 or len(b.uploads) == 1 for b in by_bytes.batches[:-1])
    assert len(by_bytes.batches) > 1


def test_files_changed_after_the_build_are_refused(build_store, tmp_path: Path):
    root = tmp_path / "copy"
    shutil.copytree(build_store(["pubmedqa", "mimic4ed"]).store.root, root)
    target = root / "data/task124_pubmedqa_train_set/train-00000-of-00001.parquet"
    hub.verify_files(hub.plan_push(open_store(root), "meds-ins/x", None), progress=False)
    # records of the credentialed corpus copied under a public task, with the manifest made to agree
    shutil.copy(root / "data/task117_mimic4ed_benchmark_hospitalization/train-00000-of-00001.parquet", target)
    manifest = json.loads((root / "meta/manifest.json").read_text())
    entry = manifest["tasks"]["task124_pubmedqa_train_set"]["splits"]["train"]["files"][0]
    entry["sha256"] = hub.sha256_file(target)
    entry["bytes"] = target.stat().st_size
    (root / "meta/manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValidationFailed, match="holds records of .*mimic4ed.*expected only task124"):
        hub.verify_files(hub.plan_push(open_store(root), "meds-ins/x", None), progress=False)
    pq.write_table(pq.read_table(target).slice(0, 1), target)
    with pytest.raises(ValidationFailed, match="content differs from the manifest"):
        hub.verify_files(hub.plan_push(open_store(root), "meds-ins/x", None), progress=False)


@pytest.mark.parametrize(
    "repo_id", ["noslash", "a/b/c", "-org/name", "org/name.", "org/na me", "org/" + "x" * 100, "org/..x"]
)
def test_bad_repo_ids_are_usage_errors(repo_id):
    with pytest.raises(UsageError, match="is not a Hub repository id"):
        check_repo_id(repo_id)
