from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError

TEN = [
    "sustaining proliferative signaling",
    "evading growth suppressors",
    "resisting cell death",
    "enabling replicative immortality",
    "inducing angiogenesis",
    "activating invasion and metastasis",
    "genomic instability and mutation",
    "tumor promoting inflammation",
    "cellular energetics",
    "avoiding immune destruction",
]


def records(root: Path) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task="task106")
    return {r["id"].split(":")[1]: r for split in ds for r in ds[split]}


def found(text: str) -> set[str]:
    """The hallmarks a substring scorer finds in a text (as the benchmark's scorer does)."""
    return {h for h in TEN if h in text.lower()}


def test_fixture_hallmarks(build_store):
    rows = records(build_store(["hoc"]).store.root)
    assert set(rows) == {f"9000000{n}" for n in (1, 2, 3, 4, 8)}
    assert rows["90000001"]["output"] == ["Sustaining proliferative signaling; Resisting cell death"]
    assert rows["90000001"]["input"].startswith(
        "Toy compound X was tested on cultured tumour cells . Treatment"
    )
    assert rows["90000002"]["output"] == ["None of the hallmarks of cancer."]
    assert found(rows["90000002"]["output"][0]) == set()
    meta = json.loads(rows["90000004"]["meta"])
    assert meta["labels"] == [
        "Activating invasion and metastasis",
        "Genomic instability and mutation",
        "Tumor promoting inflammation",
    ]
    assert "Genomic instability and mutation--DNA damage" in meta["paths"]  # trailing '--' dropped
    assert found(rows["90000008"]["output"][0]) == {"cellular energetics", "avoiding immune destruction"}
    assert rows["90000008"]["split"] == "test" and rows["90000001"]["split"] == "train"  # 9:1 by PMID


def test_real_sample_labels_match_the_label_files(build_store):
    raw = real_corpus("hoc")
    rows = records(build_store(["hoc"], raw=raw).store.root)
    pmids = sorted(p.stem for p in (raw / "labels").glob("*.txt"))
    assert sorted(rows) == pmids and len(pmids) == 30
    for pmid in pmids:
        line = (raw / "labels" / f"{pmid}.txt").read_text()
        expected = {m.lower() for m in TEN if re.search(rf"(^|<|AND)\s*{re.escape(m)}", line, re.I)}
        assert found(rows[pmid]["output"][0]) == expected, pmid
        sentences = (raw / "text" / f"{pmid}.txt").read_text().split("\n")
        assert rows[pmid]["input"] == " ".join(s.strip() for s in sentences if s.strip())
    assert sum(r["output"] == ["None of the hallmarks of cancer."] for r in rows.values()) == sum(
        not re.sub(r"[<\s]|NULL", "", (raw / "labels" / f"{p}.txt").read_text()) for p in pmids
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: (raw / "labels/90000002.txt").write_text("< < < "), "3 '<' markers but 2 sentences"),
        (
            lambda raw: (raw / "labels/90000002.txt").write_text("<Dancing cells--Tango< "),
            "90000002.txt, sentence 1: label 'Dancing cells--Tango' does not start",
        ),
        (
            lambda raw: (raw / "text/90000003.txt").unlink(),
            "labels/90000003.txt: no matching text/90000003.txt",
        ),
    ],
)
def test_malformed_input_names_file_and_record(build_store, copy_fixture, change, message):
    raw = copy_fixture("hoc")
    change(raw)
    with pytest.raises(RawFormatError, match=re.escape(message)):
        build_store(["hoc"], raw=raw)
