from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import real_corpus
from ner_reference import assert_entity_records, assert_spans, iob_release

import meds_ins
from meds_ins.builder import NO_ENTITY, RawFormatError


def rows(root):
    ds = meds_ins.load_dataset(root, task="task27")
    return {r["id"]: r for split in ("train", "test") for r in ds[split]}


def test_fixture_original_release_gives_abstracts(build_store):
    built = rows(build_store(["ncbi_disease"]).store.root)
    assert set(built) == {f"task27:9000000{i}" for i in range(1, 6)}
    first = built["task27:90000001"]
    assert first["input"].startswith("Familial breast cancer in two sisters. Germline variants")
    assert first["output"] == ["breast cancer\nbreast and ovarian cancers"]
    myopathy = built["task27:90000002"]
    assert json.loads(myopathy["meta"])["entities"] == ["myopathy", "nemaline myopathy", "cardiomyopathy"]
    assert_spans(myopathy)
    assert built["task27:90000003"]["split"] == "train"
    assert built["task27:90000004"]["output"] == [NO_ENTITY]
    assert built["task27:90000005"]["split"] == "test"


def test_fixture_iob_release_gives_sentences(build_store, copy_fixture):
    raw = copy_fixture("ncbi_disease")
    for original in raw.glob("NCBI*_corpus.txt"):
        original.unlink()
    built = rows(build_store(["ncbi_disease"], raw=raw).store.root)
    assert set(built) == {
        "task27:train-1",
        "task27:train-9",
        "task27:devel-1",
        "task27:test-1",
        "task27:test-8",
    }
    assert built["task27:test-8"]["input"] == "Red - green colour blindness ."
    assert built["task27:test-8"]["output"] == ["Red - green colour blindness"]
    assert built["task27:test-1"]["output"] == [NO_ENTITY]


def test_unknown_mention_class_names_file_and_document(build_store, copy_fixture):
    raw = copy_fixture("ncbi_disease")
    path = raw / "NCBIdevelopset_corpus.txt"
    path.write_text(path.read_text().replace("\tSpecificDisease\t", "\tGene\t"))
    with pytest.raises(
        RawFormatError, match=r"NCBIdevelopset_corpus.txt, PMID 90000003 \(line 2\): mention class 'Gene'"
    ):
        build_store(["ncbi_disease"], raw=raw)


def test_offset_mismatch_names_file_and_line(build_store, copy_fixture):
    raw = copy_fixture("ncbi_disease")
    path = raw / "NCBItestset_corpus.txt"
    path.write_text(path.read_text().replace("\t0\t16\tColour blindness", "\t1\t17\tColour blindness"))
    with pytest.raises(RawFormatError, match=r"NCBItestset_corpus.txt, line 6: mention 'Colour blindness'"):
        build_store(["ncbi_disease"], raw=raw)


def pubtator_mentions(path: Path) -> dict[str, list[str]]:
    """Mention strings per PMID straight from the file, in offset order."""
    found: dict[str, list[tuple[int, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "|t|" in line:
            found.setdefault(line.split("|")[0], [])
        fields = line.split("\t")
        if len(fields) == 6:
            found[fields[0]].append((int(fields[1]), fields[3]))
    return {pmid: list(dict.fromkeys(t for _, t in sorted(items))) for pmid, items in found.items()}


def test_real_original_release(build_store):
    raw = real_corpus("ncbi_disease_original")
    built = rows(build_store(["ncbi_disease"], raw=raw).store.root)
    assert len(built) == 110
    assert sum(r["split"] == "test" for r in built.values()) == 25
    for name in ("NCBItrainset_corpus.txt", "NCBIdevelopset_corpus.txt", "NCBItestset_corpus.txt"):
        for pmid, mentions in pubtator_mentions(raw / name).items():
            assert json.loads(built[f"task27:{pmid}"]["meta"])["entities"] == mentions
            assert_spans(built[f"task27:{pmid}"])


def test_real_iob_release(build_store, tmp_path):
    raw = real_corpus("ncbi_disease_iob")
    built = rows(build_store(["ncbi_disease"], raw=raw).store.root)
    expected = iob_release(raw, "task27")
    assert len(built) == len(expected) == 700
    assert_entity_records(built, expected)
    # with both releases side by side, the original one is used
    both = tmp_path / "both"
    shutil.copytree(raw, both / "NCBI-disease-IOB")
    for path in real_corpus("ncbi_disease_original").iterdir():
        shutil.copy(path, both / path.name)
    assert len(rows(build_store(["ncbi_disease"], raw=both, out=tmp_path / "s2").store.root)) == 110
