"""Publishing to and loading from a Hugging Face Hub on 127.0.0.1 (tests/hub_server.py).

The real `huggingface_hub` and `datasets` run in subprocesses configured only through the
environment, as a user's would be: HF_ENDPOINT points at the local Hub, HF_TOKEN holds the token and
HF_HUB_DISABLE_XET=1 selects the LFS protocol. Every run checks that the token never appears in the
output and that no traceback does.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from conftest import FIXTURES
from hub_server import HubServer

import meds_ins
from meds_ins._building.run import build
from meds_ins._publish import plan as hub
from meds_ins._store.layout import open_store

TOKEN = "hf_maintainer_Zq8WkP3nV7"
OUTSIDER = "hf_outsider_Lm4Tx9Rb2C"
RESTRICTED_TASKS = (
    "task117_mimic4ed_benchmark_hospitalization",
    "task118_mimic4ed_72h_ed_revisit_disposition",
    "task119_mimic4ed_benchmark_critical_triage",
)


def local_hub() -> HubServer:
    """The local Hub with its two accounts: a maintainer of the meds-ins organisation and an outsider."""
    return HubServer({TOKEN: ("maintainer", ("meds-ins",)), OUTSIDER: ("outsider", ())})


@pytest.fixture(scope="module")
def server():
    with local_hub() as running:
        yield running


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hub") / "store"
    build(["pubmedqa", "medqa", "mimic4ed"], FIXTURES, out, progress=False)
    return out


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Client:
    """Runs the CLI or Python code in a fresh process that reaches the local Hub only through the
    environment, with its own Hugging Face cache."""

    server: HubServer
    home: Path

    def env(self, token: str | None = TOKEN, endpoint: str | None = None, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING_FACE"))}
        env |= {
            "HF_ENDPOINT": endpoint or self.server.url,
            "HF_HOME": str(self.home / "hf"),
            "HF_HUB_DISABLE_XET": "1",
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "MEDS_INS_HOME": str(self.home / "meds_ins"),
        }
        if token is not None:
            env["HF_TOKEN"] = token
        return env | extra

    def run(self, argv: list[str], token: str | None = TOKEN, **env: str) -> Run:
        done = subprocess.run(argv, env=self.env(token, **env), capture_output=True, text=True, timeout=300)
        for secret in (TOKEN, OUTSIDER, token or TOKEN):
            assert secret not in done.stdout and secret not in done.stderr, "the token was shown"
        assert "Traceback" not in done.stderr, done.stderr
        return Run(done.returncode, done.stdout, done.stderr)

    def cli(self, *args: str, token: str | None = TOKEN, **env: str) -> Run:
        return self.run([sys.executable, "-m", "meds_ins", *args], token, **env)

    def python(self, code: str, token: str | None = TOKEN, **env: str) -> Run:
        return self.run([sys.executable, "-c", textwrap.dedent(code)], token, **env)


@pytest.fixture
def client(server: HubServer, tmp_path: Path) -> Client:
    return Client(server, tmp_path)


def push(client: Client, store: Path, repo: str, *args: str, token: str | None = TOKEN) -> Run:
    return client.cli("push", "--store", str(store), "--repo-id", repo, "--quiet", *args, token=token)


def restricted_content(server: HubServer) -> list[str]:
    """Everything of the credentialed corpus that reached the Hub, in any repository, commit or LFS object."""
    found = []
    blobs = [(f"{r.id} lfs:{oid}", data) for r in server.hub.repos.values() for oid, data in r.lfs.items()]
    for repo in server.hub.repos.values():
        for commit in repo.commits.values():
            for path, blob in commit.files.items():
                where = f"{repo.id}@{commit.oid[:7]}:{path}"
                found += [where for task in RESTRICTED_TASKS if task in path]
                if path == "meta/manifest.json":
                    manifest = json.loads(blob.data)
                    found += [where for t in RESTRICTED_TASKS if t in manifest["tasks"]]
                    found += [where] if "mimic4ed" in manifest["corpora"] else []
                if path == "README.md":
                    configs = yaml.safe_load(blob.data.decode().split("---\n", 2)[1])["configs"]
                    found += [where for c in configs if c["config_name"] in RESTRICTED_TASKS]
                blobs.append((where, blob.data))
    for where, data in blobs:
        if data.startswith(b"PAR1"):
            sources = pq.read_table(io.BytesIO(data), columns=["source"]).column("source").to_pylist()
            found += [where] if "mimic4ed" in sources else []
    return found


def local_records(store: Path, **selection) -> dict[str, list[dict]]:
    ds = meds_ins.load_dataset(store, **selection)
    return {split: ds[split].to_list() for split in ds}


def expected_commits(store: Path, max_files: int) -> int:
    """How many commits a push of the test store to an empty repository takes (planned offline)."""
    return len(hub.plan_push(open_store(store), "meds-ins/x", None, max_files=max_files).batches)


def public_tasks(store: Path) -> list[str]:
    manifest = json.loads((store / "meta/manifest.json").read_text())
    return [t for t in manifest["tasks"] if t not in RESTRICTED_TASKS]


# ---------------------------------------------------------------------------------------------
# The round trip


def test_build_push_as_pr_load_back_identical_records(client: Client, server: HubServer, store: Path):
    repo_id = "meds-ins/round-trip"
    server.hub.create_repo(repo_id)
    result = push(client, store, repo_id, "--create-pr")
    assert result.code == 0, result.err
    pr_url = server.pr_url(repo_id, 1)
    assert f"Pull request: {pr_url}" in result.out
    assert "Left out mimic4ed (task117_mimic4ed_benchmark_hospitalization" in result.out
    assert "not redistributable: credentialed access" in result.out

    # what the Hub received: one commit on a pull request, main untouched
    repo = server.hub.repos[repo_id]
    (pr,) = repo.prs
    assert pr.status == "open" and pr.author == "maintainer"
    assert pr.title.startswith("Publish medqa, pubmedqa (") and "Left out mimic4ed" in pr.description
    assert [e["type"] for e in pr.events] == ["commit"]
    assert set(repo.files("main")) == {".gitattributes"}
    manifest = json.loads((store / "meta/manifest.json").read_text())
    expected = {
        f["path"]
        for name in public_tasks(store)
        for s in manifest["tasks"][name]["splits"].values()
        for f in s["files"]
    }
    uploaded = repo.files(pr.ref)
    assert set(uploaded) == expected | {
        ".gitattributes",
        "README.md",
        "meta/manifest.json",
        "meta/tasks.json",
        "meta/corpora.json",
    }
    assert all(uploaded[p].lfs for p in expected) and not uploaded["README.md"].lfs
    for path in expected:
        assert uploaded[path].data == (store / path).read_bytes()
    assert restricted_content(server) == []

    # load it back from the repo id: the pull request, then main once a maintainer merged it
    loaded = client.python(
        f"""
        import json, os, datasets, meds_ins
        from huggingface_hub import HfApi, constants
        repo = {repo_id!r}
        out = {{}}
        pr = meds_ins.load_dataset(repo, revision="refs/pr/1")
        out["pr"] = {{s: pr[s].to_list() for s in pr}}
        HfApi().merge_pull_request(repo, 1, repo_type="dataset")
        one = meds_ins.load_dataset(repo, task="task57", split="test")
        out["one"] = one.to_list()
        snapshots = os.path.join(constants.HF_HUB_CACHE, "datasets--meds-ins--round-trip", "snapshots")
        main = open(os.path.join(snapshots, "..", "refs", "main")).read()
        out["cached"] = sorted(
            os.path.relpath(os.path.join(d, f), os.path.join(snapshots, main))
            for d, _, fs in os.walk(os.path.join(snapshots, main)) for f in fs
        )
        plain = datasets.load_dataset(repo, "task57_medqa_question_answering_en")
        out["plain"] = {{s: plain[s].to_list() for s in plain}}
        print(json.dumps(out))
        """
    )
    assert loaded.code == 0, loaded.err
    out = json.loads(loaded.out.splitlines()[-1])
    assert out["pr"] == local_records(store, task=public_tasks(store))
    assert out["one"] == meds_ins.load_dataset(store, task="task57", split="test").to_list()
    # only the selected task's file and the metadata were downloaded
    assert out["cached"] == [
        "data/task57_medqa_question_answering_en/test-00000-of-00001.parquet",
        "meta/corpora.json",
        "meta/manifest.json",
        "meta/tasks.json",
    ]
    assert out["plain"] == local_records(store, task="task57")
    assert server.hub.repos[repo_id].prs[0].status == "merged"


# ---------------------------------------------------------------------------------------------
# The licence gate


GATE_VARIANTS = {
    "plain": [],
    "dry-run": ["--dry-run"],
    "create-pr": ["--create-pr"],
    "private": ["--private"],
    "include-demo": ["--include-demo"],
    "selected": ["--corpus", "mimic4ed", "--corpus", "pubmedqa"],
    "split": ["--commit-files", "4"],
    "everything": [
        "--create-pr",
        "--include-demo",
        "--corpus",
        "mimic4ed",
        "--corpus",
        "medqa",
        "--commit-files",
        "4",
    ],
}


@pytest.mark.parametrize("variant", GATE_VARIANTS)
def test_restricted_corpora_are_never_uploaded(client: Client, server: HubServer, store: Path, variant: str):
    repo_id = f"meds-ins/gate-{variant}"
    args = GATE_VARIANTS[variant]
    if "--create-pr" in args:
        server.hub.create_repo(repo_id)
    result = push(client, store, repo_id, *args)
    assert result.code == 0, result.err
    assert "Left out mimic4ed" in result.out and "not redistributable: credentialed access" in result.out
    assert restricted_content(server) == []
    if variant != "dry-run":
        repo = server.hub.repos[repo_id]
        ref = repo.prs[0].ref if "--create-pr" in args else "main"
        assert any(p.startswith("data/") for p in repo.files(ref))


def test_a_restricted_corpus_alone_is_refused(client: Client, server: HubServer, store: Path):
    before = len(server.hub.requests)
    result = push(client, store, "meds-ins/gate-alone", "--corpus", "mimic4ed")
    assert result.code == 2
    assert "nothing to publish" in result.err and "mimic4ed: not redistributable" in result.err
    assert all(method == "GET" for method, _, _ in server.hub.requests[before:])
    assert "meds-ins/gate-alone" not in server.hub.repos


def test_edited_store_metadata_does_not_unlock_the_gate(
    client: Client, server: HubServer, store: Path, tmp_path: Path
):
    edited = tmp_path / "edited"
    shutil.copytree(store, edited)
    for name in ("meta/corpora.json",):
        corpora = json.loads((edited / name).read_text())
        for c in corpora:
            c.update(
                redistributable=True,
                access="public",
                redistribution={"basis": "licence", "terms": "CC0-1.0", "source": "edited"},
            )
        (edited / name).write_text(json.dumps(corpora))
    manifest = json.loads((edited / "meta/manifest.json").read_text())
    manifest["corpora"]["mimic4ed"]["redistributable"] = True
    (edited / "meta/manifest.json").write_text(json.dumps(manifest))
    result = push(client, edited, "meds-ins/gate-edited")
    assert result.code == 0, result.err
    assert "Left out mimic4ed" in result.out and "according to its meds-ins builder" in result.out
    assert restricted_content(server) == []


def test_only_corpora_with_a_stated_basis_are_published_and_the_card_shows_each_basis(
    client: Client, server: HubServer, tmp_path: Path
):
    """pubmedqa rests on its licence, headqa on the ministry's release statement, bc5cdr on nothing
    that allows redistribution: it is withheld, named with its reason, and nothing of it is sent."""
    built = build(["pubmedqa", "headqa", "bc5cdr"], FIXTURES, tmp_path / "store", progress=False).store
    result = push(client, built.root, "meds-ins/basis")
    assert result.code == 0, result.err
    assert "Left out bc5cdr (task28_" in result.out
    assert "not redistributable: no licence or statement allowing redistribution found" in result.out
    repo = server.hub.repos["meds-ins/basis"]
    files = repo.files()
    held = json.loads(files["meta/manifest.json"].data)["corpora"]
    assert sorted(held) == ["headqa", "pubmedqa"]
    assert not [p for p in files if "bc5cdr" in p]
    corpora = {c["id"]: c for c in json.loads(files["meta/corpora.json"].data)}
    assert corpora["pubmedqa"]["redistribution"] == {
        "basis": "licence",
        "terms": "MIT",
        "source": built.corpora["pubmedqa"]["license_source"],
    }
    assert corpora["headqa"]["redistribution"]["basis"] == "release statement"
    card = files["README.md"].data.decode()
    assert "licence MIT (read in: LICENSE file of github.com/pubmedqa/pubmedqa" in card
    assert "release statement: the Ministerio de Sanidad" in card and "README.txt of the HEAD/" in card
    withheld = card.split("## Corpora not included", 1)[1]
    assert "(`bc5cdr`; tasks task28_" in withheld and "no licence or statement allowing" in withheld


def test_demo_stores_are_not_published_as_real_data(client: Client, server: HubServer, tmp_path: Path):
    demo = build(["pubmedqa"], FIXTURES, tmp_path / "demo", miniature=True, progress=False).store.root
    result = push(client, demo, "meds-ins/demo")
    assert result.code == 2 and "demo miniature" in result.err and "--include-demo" in result.err
    assert "meds-ins/demo" not in server.hub.repos
    result = push(client, demo, "meds-ins/demo", "--include-demo")
    assert result.code == 0, result.err
    readme = server.hub.repos["meds-ins/demo"].files()["README.md"].data.decode()
    assert "pretty_name: 'MedS-Ins (demo: made-up records)'" in readme and "- meds-ins-demo" in readme


# ---------------------------------------------------------------------------------------------
# Dry run, splitting, repository options


def test_dry_run_lists_exactly_what_would_be_uploaded_and_sends_nothing(
    client: Client, server: HubServer, store: Path
):
    before = len(server.hub.requests)
    result = push(client, store, "meds-ins/dry", "--dry-run", "--json")
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    assert plan["dry_run"] and not plan["repo_exists"] and plan["commit_urls"] == []
    manifest = json.loads((store / "meta/manifest.json").read_text())
    data = {
        f["path"]
        for t in public_tasks(store)
        for s in manifest["tasks"][t]["splits"].values()
        for f in s["files"]
    }
    assert {u["path"] for u in plan["uploads"]} == data | {
        "README.md",
        "meta/manifest.json",
        "meta/tasks.json",
        "meta/corpora.json",
    }
    assert [e["corpus"] for e in plan["excluded"]] == ["mimic4ed"]
    assert {m for m, _, _ in server.hub.requests[before:]} == {"GET"}
    assert "meds-ins/dry" not in server.hub.repos
    text = push(client, store, "meds-ins/dry", "--dry-run")
    assert (
        f"Would upload {len(plan['uploads'])} file(s)" in text.out
        and "Dry run: nothing was sent." in text.out
    )
    assert "+ data/task57_medqa_question_answering_en/test-00000-of-00001.parquet" in text.out


def test_large_pushes_are_split_into_commits_and_merged_at_once(
    client: Client, server: HubServer, store: Path
):
    repo_id = "meds-ins/split"
    result = push(client, store, repo_id, "--commit-files", "5")
    assert result.code == 0, result.err
    repo = server.hub.repos[repo_id]
    (pr,) = repo.prs
    commits = [e for e in pr.events if e["type"] == "commit"]
    assert len(commits) == expected_commits(store, 5) > 3 and pr.status == "merged"
    chain = list(reversed(repo.branch_commits(pr.ref)))
    for before, after in zip(chain, chain[1:]):
        changed = {
            p for p in before.files.keys() | after.files.keys() if before.files.get(p) != after.files.get(p)
        }
        assert 0 < len(changed) <= 5
    assert "README.md" in chain[-1].files and "README.md" not in chain[-2].files
    # main went from the empty repository to everything in one merge commit
    main = repo.branch_commits("main")
    assert len(main) == 2 and main[0].title.startswith("Merge pull request #1")
    assert set(main[0].files) == set(chain[-1].files)
    assert "Merged pull request" in result.out


def test_private_and_pull_request_preconditions(client: Client, server: HubServer, store: Path):
    result = push(client, store, "meds-ins/private", "--private", "--corpus", "medqa")
    assert result.code == 0 and server.hub.repos["meds-ins/private"].private
    server.hub.create_repo("meds-ins/public")
    result = push(client, store, "meds-ins/public", "--private")
    assert result.code == 2 and "already exists and is public" in result.err
    result = push(client, store, "meds-ins/missing", "--create-pr")
    assert result.code == 2 and "a pull request needs an existing repository" in result.err
    assert "meds-ins/missing" not in server.hub.repos


def test_contributors_open_pull_requests_and_pushes_keep_other_corpora(
    client: Client, server: HubServer, store: Path
):
    repo_id = "meds-ins/community"
    assert push(client, store, repo_id, "--corpus", "pubmedqa").code == 0
    refused = push(client, store, repo_id, "--corpus", "medqa", token=OUTSIDER)
    assert refused.code == 1 and "permission denied (403" in refused.err and "--create-pr" in refused.err
    proposed = push(client, store, repo_id, "--corpus", "medqa", "--create-pr", token=OUTSIDER)
    assert proposed.code == 0, proposed.err
    assert "Kept as they are on the repository: pubmedqa." in proposed.out
    repo = server.hub.repos[repo_id]
    (pr,) = repo.prs
    assert pr.author == "outsider"
    files = repo.files(pr.ref)
    assert any(p.startswith("data/task124_pubmedqa") for p in files) and any(
        p.startswith("data/task57") for p in files
    )
    configs = yaml.safe_load(files["README.md"].data.decode().split("---\n", 2)[1])["configs"]
    assert {"task124_pubmedqa_train_set", "task57_medqa_question_answering_en"} <= {
        c["config_name"] for c in configs
    }
    again = push(client, store, repo_id, "--corpus", "pubmedqa")
    assert again.code == 0 and "Nothing to push" in again.out


# ---------------------------------------------------------------------------------------------
# Errors


def test_bad_repo_ids_and_missing_tokens_are_usage_errors(client: Client, server: HubServer, store: Path):
    before = len(server.hub.requests)
    for repo_id in ("no-namespace", "a/b/c", "org/bad name"):
        result = push(client, store, repo_id)
        assert result.code == 2 and "is not a Hub repository id" in result.err
    result = push(client, store, "meds-ins/no-token", token=None)
    assert result.code == 2 and "no Hugging Face token found" in result.err
    assert len(server.hub.requests) == before


def test_a_rejected_token_is_explained(client: Client, server: HubServer, store: Path):
    result = push(client, store, "meds-ins/bad-token", token="hf_not_a_valid_token_Xy12")
    assert result.code == 1 and "rejected the token (401" in result.err
    assert "hf_not_a_valid_token_Xy12" not in result.err + result.out


def test_the_token_stays_out_of_debug_logs(client: Client, server: HubServer, store: Path):
    result = client.cli(
        "push", "--store", str(store), "--repo-id", "meds-ins/debug", "--corpus", "medqa", HF_DEBUG="1"
    )
    assert result.code == 0, result.err
    # huggingface_hub logged every request as a curl command, with the token hidden (checked by `run`)
    assert "Send: curl -X POST" in result.err and "-H 'authorization: <TOKEN>'" in result.err
    assert any(auth == f"Bearer {TOKEN}" for auth in server.hub.authorizations)


@pytest.mark.parametrize(
    ("method", "path", "status", "message"),
    [
        ("POST", r"/preupload/", 403, "permission denied (403"),
        ("PUT", r"^/lfs-upload/", 413, "refused the upload as too large (413"),
        ("POST", r"/commit/main$", 500, "the Hub failed (500"),
    ],
)
def test_refused_uploads_change_nothing(client, server, store, method, path, status, message):
    repo_id = f"meds-ins/refused-{status}"
    server.hub.create_repo(repo_id)
    server.hub.fail(method, path, status, "refused by the test")
    result = push(client, store, repo_id)
    assert result.code == 1 and message in result.err and "refused by the test" in result.err
    assert "Nothing was changed on the Hub." in result.err
    repo = server.hub.repos[repo_id]
    assert set(repo.files()) == {".gitattributes"} and repo.prs == []


def test_a_failed_multi_commit_push_closes_its_pull_request(client, server, store):
    repo_id = "meds-ins/interrupted"
    server.hub.create_repo(repo_id)
    server.hub.fail("POST", r"/commit/refs%2Fpr%2F1$", 500, "disk full", times=1)
    result = push(client, store, repo_id, "--create-pr", "--commit-files", "5")
    assert result.code == 1
    n = expected_commits(store, 5)
    assert f"failed at commit 2 of {n}: the Hub failed (500: disk full)" in result.err
    assert "was closed with a comment" in result.err and "Nothing changed on main" in result.err
    (pr,) = server.hub.repos[repo_id].prs
    assert pr.status == "closed"
    comment = next(e for e in pr.events if e["type"] == "comment")["data"]["latest"]["raw"]
    assert f"stopped after 1 of {n} commits" in comment and "incomplete" in comment
    assert set(server.hub.repos[repo_id].files()) == {".gitattributes"}


def test_a_pull_request_that_cannot_be_closed_is_named(client, server, store):
    repo_id = "meds-ins/unclosable"
    server.hub.create_repo(repo_id)
    server.hub.fail("POST", r"/commit/refs%2Fpr%2F1$", 503, "maintenance", times=1)
    server.hub.fail("POST", r"/discussions/1/status$", 503, "maintenance", times=1)
    result = push(client, store, repo_id, "--commit-files", "5")
    assert result.code == 1
    n = expected_commits(store, 5)
    assert (
        f"pull request #1 ({server.pr_url(repo_id, 1)}) holds 1 of {n} commits and could not be closed"
        in result.err
    )
    assert "close it on the Hub" in result.err
    assert server.hub.repos[repo_id].prs[0].status == "open"
    assert set(server.hub.repos[repo_id].files()) == {".gitattributes"}


def test_an_unreachable_hub_is_a_clear_error(client: Client, store: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    result = client.cli(
        "push", "--store", str(store), "--repo-id", "meds-ins/x", "--quiet", HF_ENDPOINT=closed
    )
    assert result.code == 1 and f"could not reach {closed}" in result.err
    loaded = client.python(
        """
        import meds_ins
        from meds_ins import HubError
        try:
            meds_ins.load_dataset("meds-ins/x", task="task57")
        except HubError as e:
            print(e)
        """,
        HF_ENDPOINT=closed,
    )
    assert loaded.out.startswith(f"loading meds-ins/x failed: could not reach {closed}"), loaded.err


def test_loading_from_the_hub_errors_and_offline_cache(client: Client, server: HubServer, store: Path):
    assert push(client, store, "meds-ins/load", "--corpus", "medqa").code == 0
    server.hub.create_repo("meds-ins/not-a-store")
    script = """
        import sys, meds_ins
        from meds_ins import MedsInsError
        for args in ({args}):
            try:
                result = meds_ins.load_dataset(*args[:1], **args[1])
                print("ok", sum(1 for _ in result))
            except MedsInsError as e:
                print(type(e).__name__, e)
    """
    cases = [
        ("meds-ins/nope", {}),
        ("meds-ins/not-a-store", {}),
        ("meds-ins/load", {"revision": "v9"}),
        ("meds-ins/load", {"task": "task124"}),
        ("meds-ins/load", {"task": "task117"}),
        ("meds-ins/load", {"task": "task1234"}),
        ("meds-ins/load", {"task": "task57", "split": "test"}),
        ("meds-ins/load", {"task": "task58", "split": "test", "streaming": True}),
    ]
    result = client.python(script.format(args=repr(cases)))
    lines = result.out.splitlines()
    assert lines[0].startswith("StoreNotFoundError no store at meds-ins/nope, and loading meds-ins/nope")
    assert "no such dataset repository" in lines[0]
    assert lines[1].startswith(
        "StoreNotFoundError no store at meds-ins/not-a-store, and the dataset repository "
        "meds-ins/not-a-store is not a meds-ins store"
    )
    assert lines[2].startswith("StoreNotFoundError") and "no such revision" in lines[2]
    # tasks of the collection the repository lacks are explained, with how to get them
    assert lines[3].startswith(
        "UnknownNameError task task124 (task124_pubmedqa_train_set) from PubMedQA (`pubmedqa`) is not "
        "published in this repository: build it locally with `meds-ins build pubmedqa --raw DIR`"
    )
    assert lines[4].startswith(
        "UnknownNameError task task117 (task117_mimic4ed_benchmark_hospitalization) comes from "
        "MIMIC-IV-ED benchmark (`mimic4ed`), which is never published on the Hub (credentialed access"
    )
    assert "build it locally with `meds-ins build mimic4ed --raw DIR`" in lines[4]
    assert lines[5].startswith(
        "UnknownNameError unknown task 'task1234' in this store. Did you mean: task58, task57?"
    )
    assert lines[6:] == ["ok 2", "ok 2"]  # two records each, the second streamed
    # the files are in the usual Hugging Face cache: they load offline
    offline = client.python(script.format(args=repr(cases[6:])), HF_HUB_OFFLINE="1")
    assert offline.out.splitlines() == ["ok 2", "ok 2"], offline.err


def test_commands_that_read_a_store_take_a_hub_repository_id(client: Client, store: Path, tmp_path: Path):
    """info, validate, export, bench prompts and bench score read a published store by its id."""
    assert push(client, store, "meds-ins/read", "--corpus", "medqa").code == 0
    info = client.cli("info", "--store", "meds-ins/read", "--json")
    assert info.code == 0 and list(json.loads(info.out)["corpora"]) == ["medqa"]
    table = client.cli("info", "--store", "meds-ins/read")
    assert table.code == 0 and table.out.startswith("meds-ins/read: ") and "task57" in table.out
    checked = client.cli("validate", "meds-ins/read", "--no-audits")
    assert checked.code == 0 and "0 error(s)" in checked.out, checked.out + checked.err
    exported = client.cli("export", "--store", "meds-ins/read", "--out", str(tmp_path / "x.jsonl"), "--json")
    assert exported.code == 0 and json.loads(exported.out)["records"] > 0
    prompts = client.cli("bench", "prompts", "--store", "meds-ins/read", "--out", str(tmp_path / "p"))
    assert prompts.code == 0 and sorted(p.name for p in (tmp_path / "p").iterdir()), prompts.err
    missing = client.cli("info", "--store", "meds-ins/none")
    assert missing.code == 2 and "no such dataset repository" in missing.err
