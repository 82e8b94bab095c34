"""Audits on batches of records. The near-duplicate audit normalizes train inputs whole only where a test
input may match them (stores, whose test files are read first); it must find exactly what normalizing
everything finds."""

from __future__ import annotations

import pyarrow as pa

from meds_ins._validation.audits import (
    HEAD_CHARS,
    KEY_CHARS,
    TaskAudit,
    cross_task_findings,
    resolve_deferred,
)

# Long inputs that differ early, so that no two share a key by accident.
TRAIN = [f"Case {i}: " + " ".join(f"finding{i}x{j}" for j in range(60)) for i in range(40)]
assert all(len(text) > HEAD_CHARS for text in TRAIN)


def table(split: str, inputs: list[str]) -> pa.Table:
    return pa.table(
        {
            "split": [split] * len(inputs),
            "loc": [f"{split}:{i}" for i in range(len(inputs))],
            "input": inputs,
            "output": [[f"answer {i % 3}"] for i in range(len(inputs))],
        }
    )


TEST = [
    # near-duplicates of train inputs: the case and the punctuation of the tail changed ...
    TRAIN[5][:-40].upper() + TRAIN[5][-40:].replace(" ", ", "),
    # ... the punctuation of the head changed, so that the head holds fewer than KEY_CHARS characters
    "!" * HEAD_CHARS + TRAIN[7].replace(" ", "  "),
    TRAIN[9],  # an exact copy
    # not a near-duplicate: the same first KEY_CHARS characters, a different end
    TRAIN[11][: HEAD_CHARS + 10] + " something else entirely",
    "A short test input.",
]


def audit(name: str, rows: list[tuple[str, list[str]]], test_first: bool) -> TaskAudit:
    result = TaskAudit(name, public=True, deferred=test_first)
    for split, inputs in rows:
        if split == "train" and test_first:
            result.test_keys = result.test_input_keys()
        result.add(table(split, inputs))
    if test_first:
        tests = [pa.array(inputs) for split, inputs in rows if split != "train"]
        resolve_deferred({name: result}, lambda _: tests)
    return result


def near_and_exact(found) -> dict[str, str]:
    return {
        f.code: f.message
        for f in found
        if f.code in ("audit.train-test-near-duplicate", "audit.train-test-overlap")
    }


def test_test_first_finds_what_normalizing_everything_finds():
    whole = audit("t", [("train", TRAIN), ("test", TEST)], test_first=False).findings()
    keyed = audit("t", [("test", TEST), ("train", TRAIN)], test_first=True).findings()
    assert near_and_exact(whole) == near_and_exact(keyed)
    assert near_and_exact(keyed) == {
        "audit.train-test-near-duplicate": "2 of 5 test inputs of t occur in its train split (after "
        "normalizing case, punctuation and spacing); e.g. also test:1",
        "audit.train-test-overlap": "1 of 5 test inputs of t occur in its train split (exactly)",
    }


def test_only_probed_train_inputs_are_normalized_whole():
    keyed = audit("t", [("test", TEST), ("train", TRAIN)], test_first=True)
    normalized = keyed.frame().filter(keyed.frame()["split"] == "train")["h_norm"].drop_nulls()
    # train inputs 5, 7, 9 and 11 share a key with a test input; the others were never normalized whole
    assert normalized.len() == 4
    assert len(TEST[3]) > KEY_CHARS


def test_test_inputs_are_normalized_whole_only_where_a_train_input_shares_their_key():
    keyed = audit("t", [("test", [TRAIN[3], "Unrelated " * 30]), ("train", TRAIN[:10])], test_first=True)
    test = keyed.frame().filter(keyed.frame()["split"] == "test")
    assert test["h_norm"].is_null().to_list() == [False, True]


def test_cross_task_overlap_with_test_first():
    """A test input of one task in the train split of another: the corpus's keys cover both."""
    other = [TRAIN[20].lower() + "!", *TRAIN[30:]]
    first = {"a": TaskAudit("a", public=True, deferred=True), "b": TaskAudit("b", public=True, deferred=True)}
    first["a"].add(table("test", other))
    keys = first["a"].test_input_keys()
    for name, inputs in (("a", TRAIN[30:]), ("b", TRAIN[:30])):
        first[name].test_keys = keys
        first[name].add(table("train", inputs))
    resolve_deferred(first, lambda name: [pa.array(other)] if name == "a" else [])
    found = cross_task_findings(first)
    assert [f.message for f in found["a"]] == [
        "1 of 11 test inputs of a occur (normalized) in the train split of another task of the same corpus"
    ]


def test_personal_data_next_to_cjk_characters():
    # ASCII word boundaries: a number written right after a CJK character is still found (a Unicode
    # boundary would see no boundary there, and would make the regex engine crawl through CJK text).
    rows = ["患者电话555-123-4567，请联系。", "社会保障号123-45-6789。", "血压120/80，体温36.5度。"]
    result = TaskAudit("task1", public=True)
    result.add(table("test", rows))
    found = [f for f in result.findings() if f.code == "audit.personal-data"]
    assert sorted(f.message.split(" in a public")[0] for f in found) == [
        "a phone number",
        "a record or social security number",
    ]
    assert all("test:2" not in f.location for f in found)
