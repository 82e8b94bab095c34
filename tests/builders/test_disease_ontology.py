from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import MissingRawFilesError, RawFormatError


def records(root: Path, task: str) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"]: r for split in ds for r in ds[split]}


def test_fixture_tasks(build_store):
    report = build_store(["disease_ontology"])
    assert report.store.manifest["corpora"]["disease_ontology"]["skipped"] == {
        "obsolete term": 1,
        "term without a definition (tasks 45 and 46)": 1,
        "exact synonym equal to the term's name": 1,
        "is_a link to an obsolete term or one absent from the file": 1,
        "no unrelated term to pair with": 2,
    }
    root = report.store.root
    explanation = records(root, "task46")
    assert set(explanation) == {
        f"task46:DOID:{n}" for n in ("4", "7", "9000001", "9000004", "9000005", "9000013")
    }
    assert explanation["task46:DOID:9000001"]["input"] == "toy bowel inflammation"
    assert explanation["task46:DOID:9000013"]["split"] == "test"  # 9:1 by DOID
    assert explanation["task46:DOID:9000001"]["output"] == [
        'A gut disease marked by "toy" swelling of the bowel wall, seen only in test files.'
    ]
    completion = records(root, "task45")["task45:DOID:9000001"]
    assert completion["input"].startswith("Definition: A gut disease marked by")
    assert completion["input"].endswith("Disease: ____")
    assert completion["output"] == ["toy bowel inflammation", "made-up colitis", "TBI"]
    relations = records(root, "task47")
    assert {r["output"][0] for r in relations.values()} == {"subtype", "supertype", "synonym", "unrelated"}
    broader = relations["task47:DOID:9000005-is_a-DOID:9000004"]
    assert broader["input"] == "First term: test heart murmur disease\n\nSecond term: sample valve murmur"
    assert broader["output"] == ["supertype"]
    assert json.loads(broader["meta"])["terms"] == ["DOID:9000004", "DOID:9000005"]
    assert not any("9000003" in r["input"] or "retired" in r["input"] for r in relations.values())


def source_terms(path: Path) -> dict[str, dict]:
    """Live terms of an OBO file read with regular expressions, independently of the package's parser."""
    terms = {}
    for block in (b.strip() for b in path.read_text(encoding="utf-8").split("\n\n")):
        if not block.startswith("[Term]") or "\nis_obsolete: true" in block:
            continue
        term_id = re.search(r"^id: (\S+)", block, re.M).group(1)
        name = re.search(r"^name: (.*)$", block, re.M)
        definition = re.search(r'^def: "((?:[^"\\]|\\.)*)"', block, re.M)
        terms[term_id] = {
            "name": name.group(1).strip() if name else "",
            "def": re.sub(r"\\(.)", r"\1", definition.group(1)) if definition else "",
        }
    return terms


@pytest.mark.parametrize("sample", ["doid.obo", "DO_AGR_slim.obo"])
def test_real_releases_of_both_layouts(build_store, tmp_path: Path, sample: str):
    raw = tmp_path / "disease_ontology"
    raw.mkdir()
    shutil.copy(real_corpus("human_disease_ontology") / sample, raw / "doid.obo")
    source = source_terms(raw / "doid.obo")
    obsolete = (raw / "doid.obo").read_text().count("\nis_obsolete: true")
    report = build_store(["disease_ontology"], raw=raw)
    assert report.store.manifest["corpora"]["disease_ontology"]["skipped"].get("obsolete term", 0) == obsolete
    explained = records(report.store.root, "task46")
    defined = {i: t for i, t in source.items() if t["def"] and t["name"]}
    assert {r.split(":", 1)[1] for r in explained} == set(defined)
    for term_id, term in defined.items():
        row = explained[f"task46:{term_id}"]
        assert row["input"] == term["name"] and row["output"] == [term["def"]]
    splits = {r["split"] for r in explained.values()}
    assert splits == {"train", "test"}
    if sample == "doid.obo":  # the 2016 release: 200 terms, 116 obsolete, 4 live ones without a definition
        assert (len(source), obsolete, len(defined)) == (84, 116, 80)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('of the body." []', "of the body. []", "doid.obo, line 19: quoted string is not closed"),
        ("id: DOID:9000013", "id: DOID:9000001", "line 65: term DOID:9000001 repeats the stanza at line 22"),
        ("[Typedef]", "[Typedeff]", "unknown stanza header '[Typedeff]'"),
        ("is_a: DOID:4 ! disease", "is_a: DOID:9000013", "term DOID:7: is_a links form a cycle"),
    ],
)
def test_malformed_input_names_file_and_line(build_store, copy_fixture, old, new, message):
    raw = copy_fixture("disease_ontology")
    path = raw / "doid.obo"
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    with pytest.raises(RawFormatError, match=re.escape(message)):
        build_store(["disease_ontology"], raw=raw)


def test_missing_file_names_it(build_store, copy_fixture):
    raw = copy_fixture("disease_ontology")
    (raw / "doid.obo").unlink()
    (raw / "other.txt").write_text("x")
    with pytest.raises(MissingRawFilesError, match="doid.obo"):
        build_store(["disease_ontology"], raw=raw)
