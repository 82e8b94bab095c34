from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError


def rows(root, task):
    ds = meds_ins.load_dataset(root, task=task)
    return [r for split in ("train", "test") for r in ds[split]]


def test_fixture_three_tasks(build_store):
    report = build_store(["ade_corpus_v2"])
    root = report.store.root
    drugs = {r["input"]: json.loads(r["meta"])["entities"] for r in rows(root, "task26")}
    assert len(drugs) == 5
    assert drugs["Severe hepatitis developed after treatment with isoniazid and rifampicin."] == [
        "isoniazid",
        "rifampicin",
    ]
    assert drugs["Lithium toxicity followed an overdose of lithium carbonate."] == ["lithium carbonate"]
    assert [d for s, d in drugs.items() if s.startswith("She was given")] == [
        ["prednisolone", "methotrexate"]
    ]

    doses = {r["input"].split("Drug: ")[1]: r for r in rows(root, "task29")}
    assert set(doses) == {"prednisolone", "methotrexate", "lithium carbonate", "warfarin"}
    assert doses["warfarin"]["split"] == "test"  # PMID 70000009 falls on the test side of the 9:1 split
    assert doses["prednisolone"]["output"] == ["50 mg", "20 mg"]
    assert doses["prednisolone"]["input"].startswith("Sentence: She was given 50 mg of prednisolone daily")
    assert doses["methotrexate"]["output"] == ["high"]
    assert json.loads(doses["lithium carbonate"]["meta"]) == {
        "drug": "lithium carbonate",
        "doses": ["overdose"],
    }

    labels = Counter(r["output"][0] for r in rows(root, "task37"))
    assert labels == {"no": 4, "yes": 3}  # dose sentences feed task26 and task29 only
    # an abstract stays on one side of the random split in every task
    sides = {}
    for task in ("task26", "task29", "task37"):
        for r in rows(root, task):
            sides.setdefault(r["id"].split(":")[1].split("-")[0], set()).add(r["split"])
    assert all(len(s) == 1 for s in sides.values())


def test_conflicts_and_repeats_are_counted(build_store, copy_fixture):
    raw = copy_fixture("ade_corpus_v2")
    neg = raw / "ADE-Corpus-V2/ADE-NEG.txt"
    neg.write_text(
        neg.read_text()
        + "70000005 NEG Follow-up at one year showed no relapse.\n"
        + "70000002 NEG A rash appeared two days after the first dose of amoxicillin.\n"
    )
    report = build_store(["ade_corpus_v2"], raw=raw)
    assert report.store.manifest["corpora"]["ade_corpus_v2"]["skipped"] == {
        "repeated ADE-NEG.txt line": 1,
        "sentence both in DRUG-AE.rel and ADE-NEG.txt (left out of task37)": 1,
    }
    assert Counter(r["output"][0] for r in rows(report.store.root, "task37")) == {"no": 4, "yes": 2}


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "DRUG-AE.rel",
            "|rash|16|20|",
            "|rash|16|21|",
            r"DRUG-AE.rel, line 3: offsets 16-21 do not fit the mention 'rash'",
        ),
        ("DRUG-DOSE.rel", "|overdose|", "|over-dose|", r"DRUG-DOSE.rel, line 4: offsets 89-97 do not fit"),
        (
            "DRUG-AE.rel",
            "|amoxicillin|",
            "|penicillin|",
            r"line 3: offsets 63-74 do not fit the mention 'penicillin'",
        ),
        ("ADE-NEG.txt", "70000002 NEG", "70000002 POS", r"ADE-NEG.txt, line 2: expected 'PMID NEG sentence'"),
        (
            "DRUG-DOSE.rel",
            "|lithium carbonate|101|118",
            "",
            r"DRUG-DOSE.rel, line 4: expected 8 '\|'-separated fields",
        ),
    ],
)
def test_malformed_lines_name_file_and_line(build_store, copy_fixture, name, old, new, message):
    raw = copy_fixture("ade_corpus_v2")
    path = raw / "ADE-Corpus-V2" / name
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(RawFormatError, match=message):
        build_store(["ade_corpus_v2"], raw=raw)


def test_real_sample_against_the_relation_files(build_store):
    raw = real_corpus("ade_corpus_v2")
    root = build_store(["ade_corpus_v2"], raw=raw).store.root
    relations = {}
    for name in ("DRUG-AE.rel", "DRUG-DOSE.rel"):
        relations[name] = [line.split("|") for line in (raw / name).read_text().splitlines()]
    # two mentions of the sample carry a stray space inside their offsets; answers hold them stripped
    drugs: dict[str, list[tuple[int, str]]] = {}
    for f in relations["DRUG-AE.rel"] + relations["DRUG-DOSE.rel"]:
        drugs.setdefault(f[1], []).append((int(f[6]), f[5].strip()))
    built = {r["input"]: json.loads(r["meta"])["entities"] for r in rows(root, "task26")}
    assert len(built) == len(drugs)
    for sentence, found in drugs.items():
        assert built[sentence] == list(dict.fromkeys(d for _, d in sorted(found)))

    doses: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for f in relations["DRUG-DOSE.rel"]:
        doses.setdefault((f[1], f[5].strip()), []).append((int(f[3]), f[2].strip()))
    built_doses = {tuple(r["input"].split("\n\n")): r["output"] for r in rows(root, "task29")}
    assert len(built_doses) == len(doses) == 250
    for (sentence, drug), found in doses.items():
        key = (f"Sentence: {sentence}", f"Drug: {drug}")
        assert built_doses[key] == list(dict.fromkeys(d for _, d in sorted(found)))

    labels = {r["input"]: r["output"][0] for r in rows(root, "task37")}
    negatives = [line.split(" ", 2)[2] for line in (raw / "ADE-NEG.txt").read_text().splitlines()]
    positives = {f[1] for f in relations["DRUG-AE.rel"]}
    assert (
        Counter(labels.values()) == {"yes": len(positives), "no": len(negatives)} == {"yes": 410, "no": 800}
    )
    assert all(labels[s] == "yes" for s in positives) and all(labels[s] == "no" for s in negatives)
