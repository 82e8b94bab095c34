"""`meds-ins download`: declared sources fetched from a local file server (tests/download_server.py)
that can cut connections, stall, refuse ranges, fail and serve wrong bytes; nothing reaches the internet.

The real builders' declarations are used where a test says so: their URLs are served by the local
server through MEDS_INS_MIRROR, with the checksums of the files the server holds (our fixtures) put in
place of the real ones, or the real checksums kept to see the fixture refused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import tarfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES
from download_server import FileServer

from meds_ins._building.catalog import load_catalog
from meds_ins._building.download import content_sha256, download
from meds_ins._building.transfer import file_digests
from meds_ins._cli import main
from meds_ins._store.layout import open_store
from meds_ins.builder import Builder, Download

PAYLOAD = bytes(range(256)) * 800  # 200 kB, no two 256-byte windows alike at the same offset


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def git_blob(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@pytest.fixture
def server():
    with FileServer() as running:
        yield running


def with_sources(corpus_id: str, *sources: Download) -> Builder:
    builder = load_catalog().builder(corpus_id)
    return dataclasses.replace(builder, corpus=dataclasses.replace(builder.corpus, sources=sources))


def fetch(builder: Builder, to: Path, *, retries: int = 2, timeout: float = 2.0):
    report = download([builder], to, progress=False, retries=retries, backoff=0.01, timeout=timeout)
    return report.corpora[0]


def one_file(server: FileServer, **declared) -> Download:
    return Download(f"{server.url}/files/ori_pqal.json", target="ori_pqal.json", **declared)


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


# -- the declared pubmedqa sources, end to end ------------------------------------------------------------
def serve_real_urls(server: FileServer, monkeypatch, corpus_id: str, contents: dict[str, bytes]) -> Builder:
    """Serve `contents` (target -> bytes) at the paths of the builder's declared URLs, via MEDS_INS_MIRROR."""
    monkeypatch.setenv("MEDS_INS_MIRROR", server.url)
    builder = load_catalog().builder(corpus_id)
    for d in builder.corpus.sources:
        if d.automatic and d.name in contents:
            parts = urlsplit(d.url)
            server.files.add(f"/{parts.netloc}{parts.path}", contents[d.name])
    return builder


def pubmedqa_files() -> dict[str, bytes]:
    return {
        name: (FIXTURES / "pubmedqa" / name).read_bytes()
        for name in ("ori_pqal.json", "test_ground_truth.json")
    }


def serve_pubmedqa(server: FileServer, monkeypatch) -> dict[str, bytes]:
    """The real pubmedqa declaration, served locally, with the checksums of the files this server holds."""
    contents = pubmedqa_files()
    real = serve_real_urls(server, monkeypatch, "pubmedqa", contents)
    ours = tuple(
        dataclasses.replace(d, size=len(contents[d.name]), sha256=sha(contents[d.name])) if d.automatic else d
        for d in real.corpus.sources
    )
    patched = dataclasses.replace(real, corpus=dataclasses.replace(real.corpus, sources=ours))
    monkeypatch.setitem(load_catalog().builders, "pubmedqa", patched)
    return contents


def test_download_then_build_pubmedqa_needs_no_other_step(server, monkeypatch, capsys, home: Path):
    contents = serve_pubmedqa(server, monkeypatch)

    code, out, _ = run(capsys, "download", "pubmedqa")
    assert code == 0, out
    assert "downloaded" in out and "sha256" in out and "meds-ins build pubmedqa" in out
    assert "pubmedqa: ori_pqaa.json, optional, from https://drive.google.com" in out  # PQA-A is on Drive
    assert (home / "raw" / "pubmedqa" / "ori_pqal.json").read_bytes() == contents["ori_pqal.json"]
    requested = sorted(r.path for r in server.files.requests)
    assert requested == sorted(
        f"/raw.githubusercontent.com/pubmedqa/pubmedqa/1cbae8e92f72f20c8d3747cbb3bf5bc53554d997/data/{n}"
        for n in contents
    )

    code, out, err = run(capsys, "build", "pubmedqa", "--quiet")
    assert code == 0, err
    store = open_store(home / "store")
    assert store.rows("task124_pubmedqa_train_set", "train") > 0
    assert set(store.manifest["corpora"]["pubmedqa"]["raw_files"]) == set(contents)

    code, out, _ = run(capsys, "download", "pubmedqa")  # a second run fetches nothing
    assert code == 0 and "downloaded" in out and len(server.files.requests) == 2


def test_build_with_download_fetches_the_public_corpora_first(server, monkeypatch, capsys, home: Path):
    serve_pubmedqa(server, monkeypatch)
    code, out, err = run(capsys, "build", "pubmedqa", "--download", "--quiet")
    assert code == 0, err
    assert "downloaded" in out and open_store(home / "store").rows("task124_pubmedqa_train_set", "train") > 0
    code, out, _ = run(capsys, "build", "pubmedqa", "medqa", "--download", "--quiet", "--json")
    report = json.loads(out)
    assert code == 1  # medqa's declared file is not on this server: its download failed
    assert {c["id"]: c["status"] for c in report["downloads"]["corpora"]} == {
        "pubmedqa": "downloaded",
        "medqa": "failed",
    }
    assert {o["id"]: o["status"] for o in report["outcomes"]} == {"pubmedqa": "built", "medqa": "failed"}


def test_a_corrupted_download_is_refused_naming_file_expected_and_got(server, monkeypatch, capsys, home):
    contents = pubmedqa_files()  # our fixture, not the real release: it cannot match the real checksums
    serve_real_urls(server, monkeypatch, "pubmedqa", contents)
    code, out, _ = run(capsys, "download", "pubmedqa")
    assert code == 1
    got = sha(contents["ori_pqal.json"])
    expected = "8b3276be8942ebbd77f3ddcda12c1749bf0e490045a736fd8438ee40cf37a41d"  # the real file's
    assert (
        "pubmedqa: ori_pqal.json" in out
        and f"expected {2_584_787:,} bytes, got {len(contents['ori_pqal.json']):,}" in out
    )
    assert "the file was deleted" in out
    leftovers = [p.name for p in (home / "raw").rglob("*") if p.is_file() and p.suffix != ".lock"]
    assert leftovers == [], leftovers  # neither the bad file nor a partial one is kept
    # with the size right and the content wrong, the sha256 is what refuses it
    real = load_catalog().builder("pubmedqa")
    wrong = dataclasses.replace(real.corpus.sources[0], size=len(contents["ori_pqal.json"]))
    outcome = fetch(with_sources("pubmedqa", wrong), home / "raw")
    assert outcome.status == "failed"
    assert f"sha256 mismatch: expected {expected}, got {got}" in outcome.message
    assert not (home / "raw" / "pubmedqa" / "ori_pqal.json").exists()
    code, _, err = run(capsys, "build", "pubmedqa")
    assert code == 2 and "Or let meds-ins fetch them: meds-ins download pubmedqa" in err


# -- transfer behaviour -------------------------------------------------------------------------------------
def test_an_interrupted_transfer_resumes_with_a_range_request(server, tmp_path: Path):
    server.files.add("/files/ori_pqal.json", PAYLOAD, cut_after=70_000, cut_times=1)
    outcome = fetch(with_sources("pubmedqa", one_file(server, sha256=sha(PAYLOAD))), tmp_path)
    assert outcome.status == "downloaded", outcome.message
    assert (tmp_path / "pubmedqa" / "ori_pqal.json").read_bytes() == PAYLOAD
    assert [r.range for r in server.files.requests] == [None, "bytes=70000-"]


def test_a_partial_file_left_by_an_earlier_run_is_resumed(server, tmp_path: Path):
    served = server.files.add("/files/ori_pqal.json", PAYLOAD, cut_after=123_456, cut_times=1)
    builder = with_sources("pubmedqa", one_file(server, sha256=sha(PAYLOAD)))
    first = fetch(builder, tmp_path, retries=0)
    assert first.status == "failed" and "gave up after 1 attempt;" in first.message
    assert served.cut_times == 0
    second = fetch(builder, tmp_path)
    assert second.status == "downloaded", second.message
    assert (tmp_path / "pubmedqa" / "ori_pqal.json").read_bytes() == PAYLOAD
    assert server.files.requests[-1].range == "bytes=123456-"


def test_a_server_that_ignores_ranges_is_read_again_from_the_start(server, tmp_path: Path):
    server.files.add("/files/ori_pqal.json", PAYLOAD, ranges=False, cut_after=50_000, cut_times=1)
    outcome = fetch(with_sources("pubmedqa", one_file(server, sha256=sha(PAYLOAD))), tmp_path)
    assert outcome.status == "downloaded", outcome.message
    assert (tmp_path / "pubmedqa" / "ori_pqal.json").read_bytes() == PAYLOAD  # no byte twice
    assert [r.status for r in server.files.requests] == [200, 200]


def test_transient_failures_are_retried_with_backoff(server, tmp_path: Path):
    server.files.add("/files/ori_pqal.json", PAYLOAD, status=503, status_times=2)
    outcome = fetch(with_sources("pubmedqa", one_file(server, git_blob=git_blob(PAYLOAD))), tmp_path)
    assert outcome.status == "downloaded", outcome.message
    assert [r.status for r in server.files.requests] == [503, 503, 200]
    assert outcome.files[0]["verified"] == ["git blob"]


def test_a_mirror_is_used_when_the_first_address_fails(server, tmp_path: Path):
    server.files.add("/mirror/ori_pqal.json", PAYLOAD)
    declared = one_file(server, size=len(PAYLOAD), mirrors=(f"{server.url}/mirror/ori_pqal.json",))
    outcome = fetch(with_sources("pubmedqa", declared), tmp_path)  # /files/ori_pqal.json: 404
    assert outcome.status == "downloaded", outcome.message
    assert outcome.files[0]["url"] == f"{server.url}/mirror/ori_pqal.json"
    assert [r.status for r in server.files.requests] == [404, 200]  # a 404 is not retried

    server.files.add("/down/ori_pqal.json", b"", status=500, status_times=99)
    declared = dataclasses.replace(declared, url=f"{server.url}/down/ori_pqal.json")
    outcome = fetch(with_sources("pubmedqa", declared), tmp_path / "again", retries=1)
    assert outcome.status == "downloaded"
    assert [r.status for r in server.files.requests][2:] == [500, 500, 200]


def test_every_address_failing_is_one_error_naming_each(server, tmp_path: Path):
    server.files.add("/mirror/ori_pqal.json", b"", status=403, status_times=9)
    declared = one_file(server, mirrors=(f"{server.url}/mirror/ori_pqal.json",))
    outcome = fetch(with_sources("pubmedqa", declared), tmp_path)
    assert outcome.status == "failed"
    assert f"{server.url}/files/ori_pqal.json: HTTP 404 Not Found" in outcome.message
    assert f"{server.url}/mirror/ori_pqal.json: HTTP 403 Forbidden" in outcome.message


def test_a_file_that_fails_does_not_keep_the_others_of_its_corpus_from_coming(server, tmp_path: Path):
    server.files.add("/files/test_ground_truth.json", b"{}")
    second = Download(f"{server.url}/files/test_ground_truth.json", target="test_ground_truth.json")
    outcome = fetch(with_sources("pubmedqa", one_file(server), second), tmp_path)  # the first one: 404
    assert outcome.status == "failed" and "ori_pqal.json: could not be downloaded" in outcome.message
    assert [f["name"] for f in outcome.files] == ["test_ground_truth.json"]
    assert (tmp_path / "pubmedqa" / "test_ground_truth.json").read_bytes() == b"{}"


def test_a_slow_server_is_waited_for_and_a_stalled_one_resumed(server, tmp_path: Path):
    server.files.add("/files/ori_pqal.json", PAYLOAD, chunk_delay=0.05)  # 13 chunks, each within the timeout
    outcome = fetch(with_sources("pubmedqa", one_file(server, sha256=sha(PAYLOAD))), tmp_path, timeout=1.0)
    assert outcome.status == "downloaded" and len(server.files.requests) == 1

    server.files.add("/files/stalls.json", PAYLOAD, stall_after=50_000, stall_seconds=5, stall_times=1)
    declared = Download(f"{server.url}/files/stalls.json", target="ori_pqal.json", sha256=sha(PAYLOAD))
    started = time.perf_counter()
    outcome = fetch(with_sources("pubmedqa", declared), tmp_path / "stalled", timeout=0.5)
    assert outcome.status == "downloaded", outcome.message
    assert time.perf_counter() - started < 4  # the stall was given up, not sat out
    assert [r.range for r in server.files.of("/files/stalls.json")] == [None, "bytes=50000-"]


def test_wrong_bytes_give_way_to_a_mirror_with_the_right_ones(server, tmp_path: Path):
    bad = PAYLOAD[:-1] + b"\0"
    server.files.add("/files/ori_pqal.json", bad)
    server.files.add("/mirror/ori_pqal.json", PAYLOAD)
    declared = one_file(server, sha256=sha(PAYLOAD), mirrors=(f"{server.url}/mirror/ori_pqal.json",))
    outcome = fetch(with_sources("pubmedqa", declared), tmp_path)
    assert outcome.status == "downloaded"
    assert (tmp_path / "pubmedqa" / "ori_pqal.json").read_bytes() == PAYLOAD

    declared = dataclasses.replace(declared, mirrors=())
    outcome = fetch(with_sources("pubmedqa", declared), tmp_path / "bad")
    assert outcome.status == "failed"
    assert (
        f"sha256 mismatch: expected {sha(PAYLOAD)}, got {sha(bad)}; the file was deleted" in outcome.message
    )
    assert not any(p.is_file() and p.suffix == ".part" for p in (tmp_path / "bad").rglob("*"))
    assert not (tmp_path / "bad" / "pubmedqa" / "ori_pqal.json").exists()


def test_a_file_already_in_place_is_kept_when_it_matches(server, tmp_path: Path):
    (tmp_path / "pubmedqa").mkdir()
    (tmp_path / "pubmedqa" / "ori_pqal.json").write_bytes(PAYLOAD)
    outcome = fetch(with_sources("pubmedqa", one_file(server, sha256=sha(PAYLOAD))), tmp_path)
    assert outcome.status == "downloaded" and server.files.requests == []


# -- archives -----------------------------------------------------------------------------------------------
def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def tarred(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


MEDQUAD = {
    "MedQuAD-abc/readme.txt": b"not kept",
    "MedQuAD-abc/1_CancerGov_QA/0000001_1.xml": b"<Document id='0000001_1'/>",
    "MedQuAD-abc/2_GARD_QA/0000002.xml": b"<Document id='0000002'/>",
}


def archive_source(server: FileServer, data: bytes, **declared) -> Download:
    server.files.add("/archive.zip", data)
    return Download(f"{server.url}/archive.zip", unpack="zip", **declared)


def test_an_archive_is_unpacked_selected_and_checked_by_content(server, tmp_path: Path):
    kept = {
        name.removeprefix("MedQuAD-abc/"): data for name, data in MEDQUAD.items() if name.endswith(".xml")
    }
    digest = content_sha256({p: sha(d) for p, d in kept.items()})
    declared = archive_source(
        server, zipped(MEDQUAD), strip="MedQuAD-abc/", members=("*_QA*/*.xml",), content_sha256=digest
    )
    outcome = fetch(with_sources("medquad", declared), tmp_path)
    assert outcome.status == "downloaded", outcome.message
    written = sorted(
        p.relative_to(tmp_path / "medquad").as_posix() for p in (tmp_path / "medquad").rglob("*.*")
    )
    assert written == sorted(kept)
    assert outcome.files[0] | {"url": None} == {
        "name": "archive.zip",
        "verified": ["content"],
        "status": "downloaded",
        "url": None,
        "files": 2,
        "bytes": sum(map(len, kept.values())),
    }
    assert not list((tmp_path / ".downloads").rglob("*.part"))  # the archive is not kept once unpacked


def test_unpacked_files_that_fail_their_checksum_are_not_kept(server, tmp_path: Path):
    declared = archive_source(
        server, zipped(MEDQUAD), strip="MedQuAD-abc/", members=("*_QA*/*.xml",), content_sha256="0" * 64
    )
    outcome = fetch(with_sources("medquad", declared), tmp_path)
    assert outcome.status == "failed"
    assert (
        f"expected content sha256 {'0' * 64}, got " in outcome.message
        and "nothing was kept" in outcome.message
    )
    assert not (tmp_path / "medquad").exists() or not any((tmp_path / "medquad").rglob("*.xml"))


def test_a_member_pattern_that_matches_nothing_is_an_error_listing_the_archive(server, tmp_path: Path):
    declared = archive_source(
        server, zipped(MEDQUAD), strip="MedQuAD-abc/", members=("*_QA*/*.xml", "12_*/*.xml")
    )
    outcome = fetch(with_sources("medquad", declared), tmp_path)
    assert outcome.status == "failed"
    assert "no member matching 12_*/*.xml" in outcome.message and "MedQuAD-abc/readme.txt" in outcome.message


def test_tar_archives_unpack_whole_into_a_folder_and_unsafe_names_are_refused(server, tmp_path: Path):
    files = {"01_CIC_CA/catalan_train.csv": b"id_str,TWEET,LABEL\n", "01_CIC_CA/catalan_test.csv": b"x\n"}
    server.files.add("/cic.tar.gz", tarred(files))
    declared = Download(f"{server.url}/cic.tar.gz", unpack="tar.gz", strip="01_CIC_CA/", into="01_CIC_CA")
    outcome = fetch(with_sources("catalonia_independence", declared), tmp_path)
    assert outcome.status == "downloaded", outcome.message
    assert (tmp_path / "catalonia_independence" / "01_CIC_CA" / "catalan_test.csv").read_bytes() == b"x\n"

    server.files.add("/evil.zip", zipped({"../../outside.txt": b"no"}))
    declared = Download(f"{server.url}/evil.zip", unpack="zip")
    outcome = fetch(with_sources("catalonia_independence", declared), tmp_path / "evil")
    assert outcome.status == "failed" and "unsafe member name '../../outside.txt'" in outcome.message
    assert not (tmp_path / "outside.txt").exists() and not (tmp_path.parent / "outside.txt").exists()


# -- what is not downloaded ---------------------------------------------------------------------------
def test_registration_credentialed_and_manual_corpora_say_what_to_get(capsys, tmp_path: Path):
    code, out, _ = run(
        capsys, "download", "bioasq", "mimic_cxr", "healthfact", "--to", str(tmp_path), "--json"
    )
    assert code == 0
    outcomes = {c["id"]: c for c in json.loads(out)["corpora"]}
    assert (
        outcomes["bioasq"]["status"] == "registration"
        and "participants-area.bioasq.org" in outcomes["bioasq"]["message"]
    )
    assert (
        outcomes["mimic_cxr"]["status"] == "credentialed" and "PhysioNet" in outcomes["mimic_cxr"]["message"]
    )
    assert outcomes["healthfact"]["status"] == "manual"
    assert outcomes["healthfact"]["manual"][0]["url"].startswith("https://drive.google.com/")
    assert not any(tmp_path.iterdir())  # nothing was fetched or created
    code, out, _ = run(capsys, "download", "mimic_cxr", "--to", str(tmp_path))
    assert code == 0 and "needs credentialed access" in out


def test_unknown_corpus_names_are_refused_before_any_download(capsys, tmp_path: Path):
    code, _, err = run(capsys, "download", "pubmedqa", "pubmed_qa", "--to", str(tmp_path))
    assert code == 2 and "Did you mean: pubmedqa" in err and not tmp_path.joinpath("pubmedqa").exists()


def test_every_public_builder_declares_how_to_get_its_files():
    for builder in load_catalog().builders.values():
        corpus = builder.corpus
        if corpus.access == "public":
            assert corpus.sources, f"{corpus.id} declares no sources"
        else:
            assert not any(d.automatic for d in corpus.sources), corpus.id


def test_declarations_are_checked(monkeypatch):
    from meds_ins._building.catalog import source_problems

    corpus = load_catalog().builder("pubmedqa").corpus
    bad = (
        Download("ftp://example.org/x", target="ori_pqal.json"),
        Download("https://example.org/x.json", target="elsewhere.json", sha256="ABC"),
        Download("https://example.org/a.zip", target="ori_pqal.json", unpack="zip"),
        Download("https://example.org/b.json", target="../ori_pqal.json"),
    )
    problems = "\n".join(source_problems(dataclasses.replace(corpus, sources=bad)))
    assert "must be http(s):// or hf://datasets/ORG/NAME@REVISION/PATH" in problems
    assert "sha256 must be 64 lower-case hex digits" in problems
    assert "elsewhere.json is not one of the declared raw_files" in problems
    assert "an unpacked archive has no target" in problems
    assert "must be a relative path inside the corpus folder" in problems
    mimic = load_catalog().builder("mimic_cxr").corpus
    leak = dataclasses.replace(
        mimic, sources=(Download("https://example.org/x", target="mimic-cxr-reports.zip"),)
    )
    assert "credentialed corpora are never downloaded" in "\n".join(source_problems(leak))


def test_sources_are_in_the_corpus_metadata(capsys):
    code, out, _ = run(capsys, "corpora", "--json")
    corpora = {c["id"]: c for c in json.loads(out)}
    sources = corpora["ncbi_disease"]["metadata"]["sources"]
    assert sources[0]["url"].startswith("https://raw.githubusercontent.com/spyysalo/ncbi-disease/5a266c6")
    assert sources[0]["sha256"] == "f311381b28a6d0f641f57f4a963bb83619c2bdec5cd9caabb1381f894d5db817"
    assert corpora["mimic_cxr"]["metadata"]["sources"] == []


def test_file_digests_are_sha256_and_the_git_blob_id(tmp_path: Path):
    path = tmp_path / "f"
    path.write_bytes(b"hello\n")
    # `git hash-object` of "hello\n" is ce013625030ba8dba906f756967f9e9ca394464a
    assert file_digests(path) == (sha(b"hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a")
