from __future__ import annotations

import json
from collections import defaultdict

import pytest
from conftest import real_corpus

import meds_ins
from meds_ins.builder import RawFormatError, random_split

FINAL = "data/question-answering/COVID-QA.json"


def records(root) -> dict[str, dict]:
    ds = meds_ins.load_dataset(root, task="task105")
    return {row["id"]: row for split in ds.values() for row in split.to_list()}


def test_fixture(build_store):
    rows = records(build_store(["covid_qa"]).store.root)
    # 5003 asks 5002's question about the same article again: one record, both answers
    assert set(rows) == {"task105:5001", "task105:5002", "task105:5004", "task105:5005"}
    assert rows["task105:5002"]["output"] == ["5 days (range 2-11 days)", "estimated at 5 days"]
    assert rows["task105:5002"]["input"].startswith("Article: Lorem Virus Shedding in Patients")
    assert rows["task105:5002"]["input"].endswith(
        "\n\nQuestion: What was the incubation period of lorem virus?"
    )
    assert "Müller" in rows["task105:5001"]["input"]
    # released one character too far (the answer text starts with a space): located again and trimmed
    shifted = rows["task105:5004"]
    assert shifted["output"] == ["HCoV-OC43 and HCoV-229E"]
    start = json.loads(shifted["meta"])["answer_start"][0]
    context = shifted["input"].removeprefix("Article: ")
    assert context[start : start + len("HCoV-OC43")] == "HCoV-OC43"
    for row in rows.values():
        assert row["split"] == random_split("covid_qa", f"doc{json.loads(row['meta'])['document_id']}")


def test_the_final_release_wins_over_the_early_one(build_store, copy_fixture):
    raw = copy_fixture("covid_qa")
    early = json.loads((raw / FINAL).read_text())
    early["data"] = early["data"][:1]
    (raw / FINAL).with_name("200423_covidQA.json").write_text(json.dumps(early))
    assert len(records(build_store(["covid_qa"], raw=raw).store.root)) == 4


def test_real_sample_answers(build_store):
    raw = real_corpus("covid_qa")
    data = json.loads((raw / "200423_covidQA.json").read_text())["data"]
    expected, first_id = defaultdict(list), {}
    for article in data:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                same = (paragraph["document_id"], " ".join(qa["question"].split()).lower())
                first_id.setdefault(same, qa["id"])
                expected[first_id[same]] += [a["text"].strip() for a in qa["answers"]]
    rows = records(build_store(["covid_qa"], raw=raw).store.root)
    assert sum(len(p["qas"]) for a in data for p in a["paragraphs"]) == 95
    assert len(rows) == len(expected)
    for qid, answers in expected.items():
        row = rows[f"task105:{qid}"]
        assert row["output"] == list(dict.fromkeys(answers))
        assert all(answer in row["input"] for answer in answers)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["data"][1]["paragraphs"][0]["qas"][1]["answers"][0].update(text="cut by 90%"),
            r"data\[1\].paragraphs\[0\].qas\[1\] \(id 5005\): answer 'cut by 90%' is not in the article",
        ),
        (lambda d: d["data"][0]["paragraphs"][0]["qas"][0].pop("id"), r"qas\[0\]: question without an id"),
        (
            lambda d: d["data"][0]["paragraphs"][0].pop("context"),
            r"paragraphs\[0\]: missing key\(s\) 'context'",
        ),
    ],
)
def test_malformed_questions_name_file_and_record(build_store, copy_fixture, change, message):
    raw = copy_fixture("covid_qa")
    data = json.loads((raw / FINAL).read_text())
    change(data)
    (raw / FINAL).write_text(json.dumps(data))
    with pytest.raises(RawFormatError, match=f"COVID-QA.json, .*{message}"):
        build_store(["covid_qa"], raw=raw)
