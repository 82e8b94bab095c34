from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError


def rows(root, task):
    ds = meds_ins.load_dataset(root, task=task)
    return {split: ds[split].to_list() for split in ds}


def test_fixture_follows_the_official_split_in_every_task(build_store):
    report = build_store(["headqa"])
    root = report.store.root
    spanish = rows(root, "task129")
    assert [r["id"] for r in spanish["test"]] == [
        "task129:Cuaderno_2016_1_F-1",
        "task129:Cuaderno_2016_1_F-2",
        "task129:Cuaderno_2016_1_P-7",
    ]
    assert len(spanish["train"]) == 4  # train (2013) and dev (2015) exams
    first = spanish["train"][0]
    assert first["output"] == ["B. La mitocondria.", "B"] and first["input_language"] == "es"
    assert "\nE. El peroxisoma." in first["input"]  # the 2013 exams have five options
    image = next(r for r in spanish["train"] if "imagen" in r["input"])
    assert json.loads(image["meta"])["image"].endswith("MIR-2013-img1.png")
    english = rows(root, "task22")
    assert (len(english["train"]), len(english["test"])) == (4, 2)
    # The English test file lacks Cuaderno_2016_1_F-2: no translation pair, counted as a skip.
    en_es = rows(root, "task23")
    assert [r["id"] for r in en_es["test"]] == ["task23:Cuaderno_2016_1_F-1", "task23:Cuaderno_2016_1_P-7"]
    assert en_es["test"][0]["input"].startswith(
        "Which of these drugs is a proton pump inhibitor?\nA. Ranitidine"
    )
    assert en_es["test"][0]["output"] == [
        "¿Cuál de estos fármacos es un inhibidor de la bomba de protones?\n"
        "A. Ranitidina.\nB. Omeprazol.\nC. Sucralfato.\nD. Misoprostol."
    ]
    es_en = rows(root, "task24")
    assert es_en["test"][1]["output"][0].startswith("Operant conditioning")
    assert report.store.manifest["corpora"]["headqa"]["skipped"] == {
        "Spanish question without its English version (no translation pair)": 1
    }
    labels = rows(root, "task25")
    assert Counter(r["output"][0] for r in labels["train"]) == {"biology": 4, "medicine": 2, "nursing": 2}
    assert {r["input_language"] for r in labels["test"]} == {"es", "en"}


def test_real_sample_answers_gold_and_pairs(build_store):
    raw = real_corpus("headqa")
    spanish = json.loads((raw / "HEAD/dev_HEAD.json").read_text())["exams"]
    english = json.loads((raw / "HEAD_EN/dev_HEAD_EN.json").read_text())["exams"]
    gold = dict(
        line.split("\t") for line in (raw / "HEAD_EN/Cuaderno_2015_1_M.gold").read_text().splitlines()
    )
    root = build_store(["headqa"], raw=raw).store.root
    es = {r["id"]: r for r in rows(root, "task129")["train"]}
    en = {r["id"]: r for r in rows(root, "task22")["train"]}
    assert len(es) == len(en) == 180  # the dev exams are training data
    for exam, body in spanish.items():
        for item in body["data"]:
            row = es[f"task129:{exam}-{item['qid']}"]
            letter = "ABCDE"[int(item["ra"]) - 1]
            assert row["output"][1] == letter and json.loads(row["meta"])["category"] == body["category"]
            if exam == "Cuaderno_2015_1_M":
                assert item["ra"] == gold[item["qid"]]
    for exam, body in english.items():
        for item in body["data"]:
            assert en[f"task22:{exam}-{item['qid']}"]["output"][1] == "ABCDE"[int(item["ra"]) - 1]
    pairs = rows(root, "task23")["train"]
    assert len(pairs) == 180
    pair = next(r for r in pairs if r["id"] == "task23:Cuaderno_2015_1_Q-1")
    assert pair["input"].startswith(english["Cuaderno_2015_1_Q"]["data"][0]["qtext"].strip())
    assert pair["output"][0].startswith(spanish["Cuaderno_2015_1_Q"]["data"][0]["qtext"].strip())
    labels = Counter(r["output"][0] for r in rows(root, "task25")["train"])
    assert labels == {
        c: 60 for c in ("biology", "nursing", "pharmacology", "medicine", "psychology", "chemistry")
    }


def _edit(raw, name, change):
    path = raw / name
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["exams"]["Cuaderno_2015_1_E"].update(category="dentistry"),
            "dev_HEAD.json, exam Cuaderno_2015_1_E: unknown category 'dentistry'",
        ),
        (
            lambda d: d["exams"]["Cuaderno_2015_1_E"]["data"][0].update(ra="5"),
            "dev_HEAD.json, exam Cuaderno_2015_1_E, qid 4: ra '5' is not one of the answer ids 1-4",
        ),
        (lambda d: d.update(language="en"), "dev_HEAD.json, top level: language 'en'; expected 'es'"),
        (
            lambda d: d["exams"]["Cuaderno_2015_1_E"]["data"][0].pop("qtext"),
            "exam Cuaderno_2015_1_E, question 1: missing key(s) 'qtext'",
        ),
    ],
)
def test_malformed_json_names_file_and_question(build_store, copy_fixture, change, message):
    raw = copy_fixture("headqa")
    _edit(raw, "HEAD/dev_HEAD.json", change)
    with pytest.raises(RawFormatError) as err:
        build_store(["headqa"], raw=raw)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("gold", "message"),
    [
        (
            "1\t3\n2\t4\n3\t3\n",
            "train_HEAD_EN.json, exam Cuaderno_2013_1_B, qid 1: ra '2' differs from Cuaderno_2013_1_B.gold, "
            "which gives '3'",
        ),
        ("2\t4\n3\t3\n", "qid 1: question absent from Cuaderno_2013_1_B.gold"),
        ("1\t2\n2 4\n", "Cuaderno_2013_1_B.gold, line 2: expected 'qid<TAB>right answer id'"),
    ],
)
def test_gold_file_disagreements_are_errors(build_store, copy_fixture, gold, message):
    raw = copy_fixture("headqa")
    (raw / "HEAD_EN/Cuaderno_2013_1_B.gold").write_text(gold)
    with pytest.raises(RawFormatError) as err:
        build_store(["headqa"], raw=raw)
    assert message in str(err.value)
