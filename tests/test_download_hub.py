"""Hub-hosted corpus files (`hf://datasets/...` sources) downloaded through huggingface_hub from the local
Hub (tests/hub_server.py), in fresh processes configured through HF_ENDPOINT as a user's would be."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES
from hub_server import Blob, Commit, HubServer
from test_hub import Client

PRIMARY = "74ad241488b7fc99d48f734eb5456523c2aa0cdf"  # the commits the mmedbench builder declares
MIRROR = "d817c67d0bca216e63ea784fcf8a642c57bc372b"


@pytest.fixture
def server():
    with HubServer({"hf_unused_token_Qw3": ("someone", ())}) as running:
        yield running


def publish(server: HubServer, repo_id: str, oid: str, files: dict[str, bytes]) -> None:
    """A commit with a chosen id (the one a builder pins), holding these files (zips through LFS)."""
    hub = server.hub
    with hub.lock:
        repo = hub.repos.get(repo_id) or hub.create_repo(repo_id)
        parent = repo.refs["main"]
        blobs = dict(repo.commits[parent].files)
        blobs |= {path: Blob(data, path.endswith(".zip")) for path, data in files.items()}
        repo.commits[oid] = Commit(oid, parent, "upload", "", "someone", blobs)
        repo.refs["main"] = oid


def mmedbench_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path in sorted((FIXTURES / "mmedbench").rglob("*.jsonl")):
            z.write(path, path.relative_to(FIXTURES / "mmedbench").as_posix())
        z.writestr("MMedBench/Train/English.jsonl", "{}\n")  # not among the members the builder keeps
    return buffer.getvalue()


def download_with_checksums(client: Client, to: Path, size: int, sha256: str) -> dict:
    """The real mmedbench declaration with the checksums of the zip the local Hub holds."""
    code = f"""
        import dataclasses, json
        from meds_ins._building.catalog import load_catalog
        from meds_ins._building.download import download
        builder = load_catalog().builder("mmedbench")
        source = dataclasses.replace(builder.corpus.sources[0], size={size}, sha256="{sha256}")
        builder = dataclasses.replace(builder, corpus=dataclasses.replace(builder.corpus, sources=(source,)))
        print(json.dumps(download([builder], "{to}", progress=False, backoff=0.01).to_dict()))
    """
    done = client.python(code, token=None)
    assert done.code == 0, done.err
    return json.loads(done.out)["corpora"][0]


def test_hub_files_are_fetched_verified_unpacked_and_build(server, tmp_path: Path):
    data = mmedbench_zip()
    publish(server, "Henrychur/MMedBench", PRIMARY, {"MMedBench.zip": data})
    client = Client(server, tmp_path)
    to = tmp_path / "raw"
    outcome = download_with_checksums(client, to, len(data), hashlib.sha256(data).hexdigest())
    assert outcome["status"] == "downloaded", outcome["message"]
    assert outcome["files"][0]["url"] == f"hf://datasets/Henrychur/MMedBench@{PRIMARY}/MMedBench.zip"
    assert outcome["files"][0]["verified"] == ["size", "sha256"]
    kept = sorted(p.relative_to(to / "mmedbench").as_posix() for p in (to / "mmedbench").rglob("*.jsonl"))
    assert kept == sorted(
        p.relative_to(FIXTURES / "mmedbench").as_posix() for p in (FIXTURES / "mmedbench").rglob("*.jsonl")
    )
    built = client.cli("build", "mmedbench", "--raw", str(to), "--store", str(tmp_path / "store"), "--quiet")
    assert built.code == 0, built.err
    assert any(
        ("GET", f"/datasets/Henrychur/MMedBench/resolve/{PRIMARY}/MMedBench.zip", 200) == r
        for r in server.hub.requests
    )


def test_a_hub_file_that_fails_its_checksum_is_refused(server, tmp_path: Path):
    data = mmedbench_zip()
    publish(server, "Henrychur/MMedBench", PRIMARY, {"MMedBench.zip": data})
    client = Client(server, tmp_path)
    done = client.cli("download", "mmedbench", "--to", str(tmp_path / "raw"), "--quiet", token=None)
    assert done.code == 1
    assert "mmedbench: MMedBench.zip" in done.out
    assert (
        f"size mismatch: expected 21,687,174 bytes, got {len(data):,}" in done.out
    )  # the real release's size
    assert not (tmp_path / "raw" / "mmedbench").exists()


def test_a_hub_mirror_is_used_when_the_pinned_revision_is_missing(server, tmp_path: Path):
    data = mmedbench_zip()
    publish(server, "Henrychur/MMedBench", MIRROR, {"MMedBench.zip": data})  # no commit 74ad241 here
    client = Client(server, tmp_path)
    outcome = download_with_checksums(client, tmp_path / "raw", len(data), hashlib.sha256(data).hexdigest())
    assert outcome["status"] == "downloaded", outcome["message"]
    assert outcome["files"][0]["url"] == f"hf://datasets/Henrychur/MMedBench@{MIRROR}/MMedBench.zip"


def test_a_missing_hub_repository_is_a_clear_failure(server, tmp_path: Path):
    client = Client(server, tmp_path)
    done = client.cli("download", "pubmed_mesh", "--to", str(tmp_path / "raw"), "--quiet", token=None)
    assert done.code == 1
    assert "hf://datasets/owaiskha9654/PubMed_MultiLabel_Text_Classification_Dataset_MeSH@" in done.out
    assert "no such dataset repository" in done.out
