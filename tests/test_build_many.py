"""Building several corpora (or all): each is built, skipped (raw files absent, with what to get) or
failed (the error); the others are written; the exit code is 1 only when a build failed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from meds_ins._building.catalog import load_catalog
from meds_ins._building.run import build
from meds_ins._cli import main
from meds_ins._store.layout import open_store


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def raw_folder(tmp_path: Path, *corpora: str) -> Path:
    raw = tmp_path / "raw"
    for corpus in corpora:
        shutil.copytree(FIXTURES / corpus, raw / corpus)
    return raw


def break_bc5cdr(raw: Path) -> None:
    path = raw / "bc5cdr" / "CDR_TestSet.PubTator.txt"
    # a broken file structure (one defective mention would only be skipped and counted)
    path.write_text("not a PubTator line\n" + path.read_text())


def test_build_all_builds_what_it_finds_and_lists_the_rest(capsys, tmp_path: Path):
    raw = raw_folder(tmp_path, "pubmedqa", "medqa")
    store = tmp_path / "store"
    code, out, _ = run(capsys, "build", "all", "--raw", str(raw), "--store", str(store), "--quiet")
    assert code == 0, out
    others = len(load_catalog().builders) - 2
    assert f"Skipped, raw files absent ({others}):" in out
    assert "meds-ins download hoc" in out  # a public corpus: fetch it
    assert "mimic_cxr" in out and "PhysioNet" in out  # a credentialed one: where to ask
    assert "2 corpora built" in out
    assert set(open_store(store).manifest["corpora"]) == {"pubmedqa", "medqa"}

    code, out, _ = run(capsys, "build", "all", "--raw", str(raw), "--store", str(store), "--json")
    assert code == 0
    report = json.loads(out)
    statuses = {o["id"]: o["status"] for o in report["outcomes"]}
    assert statuses["pubmedqa"] == statuses["medqa"] == "built"
    assert {s for c, s in statuses.items() if c not in ("pubmedqa", "medqa")} == {"skipped"}
    hoc = next(o for o in report["outcomes"] if o["id"] == "hoc")
    assert hoc["missing"] == ["labels/*.txt", "text/*.txt"] and hoc["get"] == "meds-ins download hoc"
    assert "raw files not found" in hoc["message"] or "does not exist" in hoc["message"]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failed_corpus_is_reported_and_the_others_are_written(capsys, tmp_path: Path, workers: int):
    raw = raw_folder(tmp_path, "pubmedqa", "bc5cdr")
    store = tmp_path / "store"
    build(["bc5cdr"], raw, store, progress=False)  # a good version first: a failed rebuild keeps it
    before = {n for n, e in open_store(store).manifest["tasks"].items() if e["source"] == "bc5cdr"}
    break_bc5cdr(raw)
    code, out, _ = run(
        capsys, "build", "pubmedqa", "bc5cdr", "--raw", str(raw), "--store", str(store), "--quiet",
        "--workers", str(workers),
    )  # fmt: skip
    assert code == 1
    assert (
        "Failed: bc5cdr:" in out
        and "CDR_TestSet.PubTator.txt, line 1" in out
        and "expected a title line" in out
    )
    held = open_store(store)
    assert {e["source"] for e in held.manifest["tasks"].values()} == {"pubmedqa", "bc5cdr"}
    assert {n for n, e in held.manifest["tasks"].items() if e["source"] == "bc5cdr"} == before
    written = {p.relative_to(store / "data").parts[0] for p in (store / "data").rglob("*.parquet")}
    assert written == set(held.manifest["tasks"])  # nothing of the failed attempt was left behind
    assert not list(store.rglob("*.part"))


def test_nothing_to_build_leaves_the_store_as_it_was(capsys, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, _ = run(
        capsys, "build", "pubmedqa", "medqa", "--raw", str(empty), "--store", str(tmp_path / "s")
    )
    assert code == 0 and "Nothing was built" in out and not (tmp_path / "s").exists()
    code, _, err = run(capsys, "build", "all", "--raw", str(tmp_path / "nowhere"))
    assert code == 2 and "does not exist" in err and "meds-ins download" in err


def test_one_corpus_missing_or_failing_is_still_an_error(tmp_path: Path):
    from meds_ins import MissingRawFilesError, RawFormatError

    raw = raw_folder(tmp_path, "bc5cdr")
    with pytest.raises(MissingRawFilesError, match="ori_pqal.json"):
        build(["pubmedqa"], raw, tmp_path / "s", progress=False)
    break_bc5cdr(raw)
    with pytest.raises(RawFormatError, match="CDR_TestSet.PubTator.txt"):
        build(["bc5cdr"], raw, tmp_path / "s", progress=False)


def test_a_folder_of_corpus_folders_never_lends_one_corpus_another_corpus_files(tmp_path: Path):
    # medmcqa reads a top-level train.json; clinical_trials_gov has its own data/ner/spert/train.json
    raw = raw_folder(tmp_path, "clinical_trials_gov")
    report = build(["medmcqa", "clinical_trials_gov"], raw, tmp_path / "s", progress=False)
    assert {o.id: o.status for o in report.outcomes} == {"medmcqa": "skipped", "clinical_trials_gov": "built"}
    assert report.outcomes[0].missing and report.outcomes[0].get == "meds-ins download medmcqa"
