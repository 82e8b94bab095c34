from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import real_corpus
from ner_reference import assert_entity_records, assert_spans, iob_release

import meds_ins
from meds_ins.builder import NO_ENTITY
from meds_ins.formats.pubtator import PADDED_MENTION


def rows(root):
    ds = meds_ins.load_dataset(root, task="task27")
    return {r["id"]: r for split in ("train", "test") for r in ds[split]}


def test_fixture_original_release_gives_abstracts(build_store):
    report = build_store(["ncbi_disease"])
    built = rows(report.store.root)
    assert set(built) == {f"task27:9000000{i}" for i in range(1, 6)}
    # 90000001 is listed twice, identically; a mention of 90000002 has trailing spaces in its text field
    assert report.store.manifest["corpora"]["ncbi_disease"]["skipped"] == {
        "abstract repeated identically (kept once)": 1,
        PADDED_MENTION: 1,
    }
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


def skipped_after(build_store, copy_fixture, name: str, old: str, new: str) -> tuple[dict, dict]:
    raw = copy_fixture("ncbi_disease")
    path = raw / name
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    report = build_store(["ncbi_disease"], raw=raw)
    return rows(report.store.root), report.store.manifest["corpora"]["ncbi_disease"]["skipped"]


def test_an_abstract_with_an_unknown_mention_class_is_skipped_and_counted(build_store, copy_fixture):
    built, skipped = skipped_after(
        build_store, copy_fixture, "NCBIdevelopset_corpus.txt", "\tSpecificDisease\t", "\tGene\t"
    )
    assert "task27:90000003" not in built and len(built) == 4
    reason = (
        "abstract with a mention class other than CompositeMention, DiseaseClass, Modifier, SpecificDisease"
    )
    assert skipped[reason] == 1


def test_an_abstract_whose_mention_misses_its_offsets_is_skipped_and_counted(build_store, copy_fixture):
    built, skipped = skipped_after(
        build_store,
        copy_fixture,
        "NCBItestset_corpus.txt",
        "\t0\t16\tColour blindness",
        "\t1\t17\tColour blindness",
    )
    assert "task27:90000005" not in built and len(built) == 4
    assert skipped["document with a mention that does not match the text at its offsets"] == 1


def test_an_abstract_listed_twice_with_different_mentions_is_left_out(build_store, copy_fixture):
    first_copy_end = "90000001\t119\t132\tbreast cancer\tModifier\tD001943\n\n90000002"
    one_more = first_copy_end.replace("\n\n", "\n90000001\t0\t8\tFamilial\tModifier\tD0\n\n")
    built, skipped = skipped_after(
        build_store, copy_fixture, "NCBItrainset_corpus.txt", first_copy_end, one_more
    )
    assert "task27:90000001" not in built and len(built) == 4
    assert skipped["abstract repeated with different content (every copy left out)"] == 2
    assert "abstract repeated identically (kept once)" not in skipped


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
