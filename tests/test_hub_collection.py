"""The published collection (meds-ins/meds-ins) as the default remote source, against the local Hub
(tests/hub_server.py) with the real `huggingface_hub` and `datasets` clients in fresh processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES
from hub_server import HubServer
from test_hub import TOKEN, Client, local_hub, local_records, push

from meds_ins._building.run import build
from meds_ins._common.paths import COLLECTION_REPO

MEDQA = "task57_medqa_question_answering_en"


@pytest.fixture(scope="module")
def server():
    with local_hub() as running:
        yield running


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("collection") / "store"
    build(["pubmedqa", "medqa"], FIXTURES, out, progress=False)
    return out


@pytest.fixture(scope="module")
def published(server: HubServer, store: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    client = Client(server, tmp_path_factory.mktemp("publisher"))
    assert push(client, store, COLLECTION_REPO, "--corpus", "medqa").code == 0
    return COLLECTION_REPO


@pytest.fixture
def client(server: HubServer, tmp_path: Path) -> Client:
    return Client(server, tmp_path)


def requests_to(server: HubServer, repo_id: str) -> int:
    return sum(1 for _, path, _ in server.hub.requests if repo_id in path)


def test_the_collection_is_read_from_the_hub_when_no_local_store_holds_it(
    client: Client, server: HubServer, store: Path, published: str, tmp_path: Path
):
    loaded = client.python(
        f"""
        import json, os, datasets, meds_ins
        out = {{}}
        out["positional"] = meds_ins.load_dataset("meds_ins", "task57", split="test").to_list()
        out["dashed"] = meds_ins.load_dataset("meds-ins", task=57, split="test[:1]").to_list()
        out["default"] = meds_ins.load_dataset(task="task57", split="train+test").to_list()
        cache = {str(tmp_path / "cache")!r}
        meds_ins.load_dataset({published!r}, "task57", split="train", cache_dir=cache, num_proc=2)
        out["cache"] = sorted(os.listdir(cache))
        out["hub"] = sorted(os.listdir(os.path.join(cache, "hub")))
        plain = datasets.load_dataset({published!r}, {MEDQA!r})
        out["plain"] = {{s: plain[s].to_list() for s in plain}}
        print(json.dumps(out))
        """
    )
    assert loaded.code == 0, loaded.err
    out = json.loads(loaded.out.splitlines()[-1])
    expected = local_records(store, task="task57")
    assert out["positional"] == expected["test"] and out["dashed"] == expected["test"][:1]
    assert out["default"] == expected["train"] + expected["test"]
    assert out["cache"] == ["arrow", "hub"] and "datasets--meds-ins--meds-ins" in out["hub"]
    assert out["plain"] == expected  # plain `datasets`, as for any Hub dataset


def test_a_local_store_that_holds_the_selection_is_used_without_asking_the_hub(
    client: Client, server: HubServer, published: str
):
    build(["pubmedqa"], FIXTURES, client.home / "meds_ins" / "store", progress=False)
    before = requests_to(server, published)
    script = """
        import meds_ins
        print(meds_ins.load_dataset(task={task!r}, split="train")[0]["source"])
    """
    local = client.python(script.format(task="task124"))
    assert local.out.split() == ["pubmedqa"] and requests_to(server, published) == before, local.err
    remote = client.python(script.format(task="task57"))
    assert remote.out.split() == ["medqa"] and requests_to(server, published) > before, remote.err
    missing = client.python(
        """
        import meds_ins
        try:
            meds_ins.load_dataset(task="task9")
        except meds_ins.UnknownNameError as e:
            print(e)
        """
    )
    assert "task task9 is part of MedS-Ins but has no builder" in missing.out, missing.out
    assert f"the published collection {published} lacks it too" in missing.out


def test_offline_or_failing_the_collection_is_a_clear_error_without_retries(
    client: Client, server: HubServer, published: str
):
    script = """
        import time, meds_ins
        start = time.monotonic()
        try:
            meds_ins.load_dataset(task="task57")
        except meds_ins.MedsInsError as e:
            print(type(e).__name__, e)
        print(round(time.monotonic() - start))
    """
    before = len(server.hub.requests)
    offline = client.python(script, HF_HUB_OFFLINE="1")
    message, seconds = offline.out.splitlines()
    assert (
        message.startswith("HubError the local store (") and "is empty, and reading the published" in message
    )
    assert "HF_HUB_OFFLINE=1 is set" in message and "meds-ins quickstart" in message
    assert len(server.hub.requests) == before and int(seconds) < 5
    server.hub.fail("GET", f"/api/datasets/{published}", 503, times=10)
    failing = client.python(script)
    message, seconds = failing.out.splitlines()
    assert "the Hub failed (503" in message and "meds-ins build CORPUS --raw DIR" in message, failing.err
    assert len(server.hub.requests) == before + 1 and int(seconds) < 5  # one request, no retries
    server.hub.failures.clear()


def test_a_token_passed_to_load_dataset_reads_a_private_repository(
    client: Client, server: HubServer, store: Path
):
    assert push(client, store, "meds-ins/private-load", "--corpus", "medqa", "--private").code == 0
    script = """
        import meds_ins
        try:
            ds = meds_ins.load_dataset("meds-ins/private-load", "task57", split="test", token={token})
            print(ds.num_rows)
        except meds_ins.MedsInsError as e:
            print(type(e).__name__, e)
    """
    without = client.python(script.format(token=None), token=None)
    assert without.out.startswith("StoreNotFoundError") and "private" in without.out
    with_token = client.python(script.format(token=repr(TOKEN)), token=None)
    assert with_token.out.split() == ["2"], with_token.err
