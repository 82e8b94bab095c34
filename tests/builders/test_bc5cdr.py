from __future__ import annotations

import json
from pathlib import Path

from conftest import real_corpus
from ner_reference import assert_spans

import meds_ins
from meds_ins.builder import NO_ENTITY


def by_id(root: Path, task: str) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"]: r for split in ("train", "test") for r in ds[split]}


def test_fixture_entity_sets(build_store):
    root = build_store(["bc5cdr"]).store.root
    disease = by_id(root, "task28")
    assert disease["task28:80000002"]["output"] == ["Hepatotoxicity\nLiver and kidney injury"]
    assert set(disease) == {"task28:80000001", "task28:80000002", "task28:80000003"}
    chemical = by_id(root, "task126")
    assert chemical["task126:80000004"]["output"] == ["ACE inhibitor\nenalapril\nlosartan"]
    assert chemical["task126:80000005"]["output"] == [NO_ENTITY]
    assert json.loads(chemical["task126:80000005"]["meta"]) == {"entities": [], "spans": []}
    assert {r["split"] for r in by_id(root, "task127").values()} == {"test"}


def raw_mentions(path: Path, kind: str) -> dict[str, list[str]]:
    """Mention strings per PMID straight from the file, in offset order, without the package's parser."""
    found: dict[str, list[tuple[int, str]]] = {}
    for line in path.read_text().splitlines():
        if "|t|" in line:
            found.setdefault(line.split("|")[0], [])
        fields = line.split("\t")
        if len(fields) >= 6 and fields[4] == kind:
            found[fields[0]].append((int(fields[1]), fields[3]))
    return {pmid: list(dict.fromkeys(t for _, t in sorted(items))) for pmid, items in found.items()}


def test_real_sample_entities_equal_the_annotations(build_store):
    raw = real_corpus("bc5cdr_pubtator")
    root = build_store(["bc5cdr"], raw=raw).store.root
    disease = {**by_id(root, "task28"), **by_id(root, "task127")}
    chemical = by_id(root, "task126")
    assert len(disease) == len(chemical) == 110
    for name, task in (
        ("CDR_TrainingSet", "task28"),
        ("CDR_DevelopmentSet", "task28"),
        ("CDR_TestSet", "task127"),
    ):
        path = raw / f"{name}.PubTator.txt"
        for pmid, entities in raw_mentions(path, "Disease").items():
            assert json.loads(disease[f"{task}:{pmid}"]["meta"])["entities"] == entities
        for pmid, entities in raw_mentions(path, "Chemical").items():
            assert json.loads(chemical[f"task126:{pmid}"]["meta"])["entities"] == entities
    for row in [*disease.values(), *chemical.values()]:
        assert_spans(row)
    mention = "cancer of the renal pelvis, ureter or bladder"  # one entity, one line of the answer
    assert any(mention in r["output"][0].splitlines() for r in disease.values())


def test_a_document_whose_mention_misses_its_offsets_is_skipped_and_counted(build_store, copy_fixture):
    raw = copy_fixture("bc5cdr")
    path = raw / "CDR_TestSet.PubTator.txt"
    path.write_text(path.read_text().replace("\t41\t54\theart failure", "\t42\t55\theart failure"))
    report = build_store(["bc5cdr"], raw=raw)
    assert "task127:80000005" not in by_id(report.store.root, "task127")
    assert report.store.manifest["corpora"]["bc5cdr"]["skipped"] == {
        "document with a mention that does not match the text at its offsets": 1
    }
