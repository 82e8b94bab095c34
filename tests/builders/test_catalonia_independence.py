from __future__ import annotations

import csv
import html
import json

from conftest import real_corpus

import meds_ins


def records(root):
    ds = meds_ins.load_dataset(root, task="task39")
    return {r["id"]: r for split in ("train", "test") for r in ds[split].to_list()}


def test_fixture_languages_splits_and_quoting(build_store):
    rows = records(build_store(["catalonia_independence"]).store.root)
    assert len(rows) == 10
    quoted = rows["task39:ca-test-2"]
    assert quoted["input"].startswith('🗳️ @exemple "Prou de processos que no porten enlloc", escriu')
    assert quoted["output"] == ["AGAINST"] and quoted["split"] == "test"
    assert (quoted["input_language"], quoted["output_language"]) == ("ca", "en")
    assert json.loads(quoted["meta"]) == {"id_str": "11000000000000007e+18"}
    assert rows["task39:ca-train-4"]["input"] == (
        'L\'alcalde diu que "la independència només ens porta divisió". Té tota la raó.'
    )
    assert rows["task39:ca-val-2"]["split"] == "train"
    assert rows["task39:es-test-2"]["input_language"] == "es"
    assert {r["split"] for r in rows.values() if r["id"].split(":")[1].startswith("es-train")} == {"train"}


def test_real_sample_counts_and_labels(build_store):
    raw = real_corpus("catalonia_independence")
    rows = records(build_store(["catalonia_independence"], raw=raw).store.root)
    expected = {}
    for language, folder, stem in (("ca", "01_CIC_CA", "catalan"), ("es", "02_CIC_ES", "spanish")):
        for part in ("train", "val", "test"):
            with open(raw / folder / f"{stem}_{part}.csv", encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle, delimiter="\t")
                next(reader)
                for row in reader:
                    line = reader.line_num
                    expected[f"task39:{language}-{part}-{line}"] = (row, language, part)
    assert len(rows) == len(expected) == 300 + 150 + 150 + 300 + 100 + 100
    for rid, (row, language, part) in expected.items():
        record = rows[rid]
        # the tweets' HTML escapes (&gt;, &amp;) are decoded: the corpus declares markup="html"
        assert record["output"] == [row[2]] and record["input"] == html.unescape(row[1].strip())
        assert record["input_language"] == language
        assert record["split"] == ("test" if part == "test" else "train")
    test = [r for r in rows.values() if r["split"] == "test"]
    assert len(test) == 250


def test_repeated_tweets_are_kept_once_or_left_out_when_their_labels_disagree(build_store):
    report = build_store(["catalonia_independence"])
    rows = records(report.store.root)
    assert report.store.manifest["corpora"]["catalonia_independence"]["skipped"] == {
        "tweet repeated identically (kept once)": 1,
        "tweet repeated with different content (every copy left out)": 2,
    }
    # The same Spanish tweet in train and test, labelled alike: its test copy is kept.
    trial = [r for r in rows.values() if r["input"].startswith("El juicio empieza el martes")]
    assert [(r["id"], r["split"], r["output"]) for r in trial] == [("task39:es-test-3", "test", ["NEUTRAL"])]
    # The same tweet (spacing aside) in the Catalan and Spanish files, FAVOR in one and AGAINST in the other.
    assert not [r for r in rows.values() if r["input"].startswith("Mañana todos a la plaza")]


def test_a_row_with_an_unknown_stance_is_skipped_and_counted(build_store, copy_fixture):
    raw = copy_fixture("catalonia_independence")
    path = raw / "02_CIC_ES" / "spanish_train.csv"
    path.write_bytes(path.read_bytes().replace(b"\tNEUTRAL\r\n", b"\tNEUTRO\r\n", 1))
    report = build_store(["catalonia_independence"], raw=raw)
    assert "task39:es-train-3" not in records(report.store.root)
    assert (
        report.store.manifest["corpora"]["catalonia_independence"]["skipped"][
            "tweet with a LABEL other than AGAINST, FAVOR, NEUTRAL"
        ]
        == 1
    )
