"""Entity sets read straight from raw NER files, without the package's parsers, to check builders against."""

from __future__ import annotations

import json
from pathlib import Path

from meds_ins.builder import NO_ENTITY, located_entity_list


def iob_sentences(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line of the first token, tokens joined by spaces, distinct mentions in order) per sentence."""
    found = []
    line_no, tokens, mentions, current = 0, [], [], []
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate([*lines, ""], start=1):
        if not line.strip():
            if current:
                mentions.append(" ".join(current))
            if tokens:
                found.append((line_no, " ".join(tokens), list(dict.fromkeys(mentions))))
            tokens, mentions, current = [], [], []
            continue
        token, tag = line.split("\t")[0], line.split("\t")[-1]
        if not tokens:
            line_no = number
        tokens.append(token)
        if tag.startswith("B") or (tag.startswith("I") and not current):
            if current:
                mentions.append(" ".join(current))
            current = [token]
        elif tag.startswith("I"):
            current.append(token)
        else:
            if current:
                mentions.append(" ".join(current))
            current = []
    return found


# The MTL-NER release layout: train.tsv, devel.tsv and test.tsv; the devel sentences train.
IOB_PARTS = (("train", "train"), ("devel", "train"), ("test", "test"))


def iob_release(raw: Path, task: str) -> dict[str, tuple[str, str, list[str]]]:
    """(split, text, mentions) per record id of a task built from an IOB release in that layout."""
    return {
        f"{task}:{part}-{line}": (split, text, mentions)
        for part, split in IOB_PARTS
        for line, text, mentions in iob_sentences(raw / f"{part}.tsv")
    }


def assert_entity_records(built: dict[str, dict], expected: dict[str, tuple[str, str, list[str]]]) -> None:
    """Each expected record was built with its split, its text, its entities and the entity-list answer."""
    for key, (split, text, mentions) in expected.items():
        row = built[key]
        assert (row["split"], row["input"]) == (split, text)
        assert json.loads(row["meta"])["entities"] == mentions
        assert row["output"] == ["\n".join(mentions) if mentions else NO_ENTITY]
        assert_spans(row)


def assert_spans(row: dict) -> None:
    """The record's spans point at its mentions in its input, in text order, and give its answer."""
    meta = json.loads(row["meta"])
    spans = meta["spans"]
    assert all(row["input"][s["start"] : s["end"]] == s["text"] for s in spans)
    assert [s["start"] for s in spans] == sorted(s["start"] for s in spans)
    located = [(s["start"], s["end"], *([s["type"]] if "type" in s else [])) for s in spans]
    assert located_entity_list(row["input"], located) == (row["output"][0], meta)
