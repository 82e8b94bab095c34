"""MedNLI: natural language inference on sentences from the past medical history of MIMIC-III patients.

Recipe only: MedNLI is credentialed PhysioNet data. The release holds mli_train_v1.jsonl,
mli_dev_v1.jsonl and mli_test_v1.jsonl, JSON Lines in the SNLI layout (sentence1 = premise, sentence2 =
hypothesis, gold_label, pairID, and parse trees). Clinicians wrote, for each premise, one hypothesis that
follows (entailment), one that is contradicted and one that may or may not hold (neutral).

Official split: train and dev are train, test is test.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from meds_ins.builder import (
    BuildContext,
    Builder,
    Corpus,
    Example,
    RawFile,
    RawFormatError,
    Task,
    Withheld,
    labelled,
)
from meds_ins.formats.jsonfiles import iter_json_lines, require

FILES = {"mli_train_v1.jsonl": "train", "mli_dev_v1.jsonl": "train", "mli_test_v1.jsonl": "test"}
LABELS = ("entailment", "contradiction", "neutral")
KEYS = ("sentence1", "sentence2", "gold_label", "pairID")

CORPUS = Corpus(
    id="mednli",
    name="MedNLI",
    paper_names=("MedNLI",),
    homepage="https://physionet.org/content/mednli/1.0.0/",
    download="MedNLI 1.0.0 from PhysioNet (credentialed access and a signed data use agreement): "
    "mli_train_v1.jsonl, mli_dev_v1.jsonl, mli_test_v1.jsonl",
    citation="""@inproceedings{romanov2018lessons,
  title = {Lessons from Natural Language Inference in the Clinical Domain},
  author = {Romanov, Alexey and Shivade, Chaitanya},
  booktitle = {Proceedings of EMNLP 2018},
  pages = {1586--1596},
  year = {2018}
}""",
    license="PhysioNet-Credentialed-Health-Data-License-1.5.0",
    license_source="bigbio/mednli dataset card (licence PHYSIONET_LICENSE_1p5, bigbio_public: false), pointing to "
    "physionet.org/content/mednli/1.0.0",
    redistribution=Withheld(
        "credentialed access: the PhysioNet Credentialed Health Data License 1.5.0 and its data use agreement"
    ),
    access="credentialed",
    languages=("en",),
    text_source="Clinical Text",
    raw_files=(
        RawFile("mli_train_v1.jsonl", "training pairs (11,232 in the release)"),
        RawFile("mli_dev_v1.jsonl", "development pairs (1,395), used as training data", required=False),
        RawFile("mli_test_v1.jsonl", "test pairs (1,422)"),
    ),
    notes="Recipe only: records built from MIMIC must never be published. Premises are grouped by their exact "
    "text within a file for the generative and the three-way tasks.",
)

_LABEL_CHOICE = "Answer with one word: entailment, contradiction or neutral."
TASKS = (
    Task(
        "task41",
        "task41_mednli_textual_entailment_discriminative",
        "Natural Language Inference",
        "The premise below comes from the medical history of a patient. Decide whether it entails the "
        "hypothesis (the hypothesis must be true), contradicts it (the hypothesis cannot be true), or neither "
        f"(neutral). {_LABEL_CHOICE}",
        in_bench=True,
        notes="One instance per premise-hypothesis pair.",
    ),
    Task(
        "task42",
        "task42_mednli_textual_entailment_generative",
        "Natural Language Inference",
        "Here is a statement from the medical history of a patient. Write one short statement about the "
        "patient that must be true if this one is.",
        in_bench=True,
        notes="One instance per premise; the outputs are the premise's entailed hypotheses.",
    ),
    Task(
        "task43",
        "task43_mednli_wrong_textual_entailment_generative",
        "Wrong Candidate Generation",
        "Here is a statement from the medical history of a patient. Write one short statement about the "
        "patient that cannot be true if this one is, that is, a hypothesis the statement contradicts.",
        notes="One instance per premise; the outputs are the premise's contradicted hypotheses (the neutral "
        "ones do not follow either, but are not wrong for certain, so they are not used).",
    ),
    Task(
        "task44",
        "task44_mednli_textual_entailment_classification",
        "Natural Language Inference",
        "A premise from the medical history of a patient is followed by numbered hypotheses. For each "
        "hypothesis, say whether the premise entails it, contradicts it, or is neutral towards it. Answer with "
        "one line per hypothesis, in the form 'Hypothesis 1: entailment'.",
        notes="One instance per premise with all its hypotheses, in an order fixed by a hash of their pairIDs.",
    ),
)


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: str
    pair_id: str


def generate(ctx: BuildContext) -> Iterator[Example]:
    for name, split in FILES.items():
        path = ctx.optional(name) if name == "mli_dev_v1.jsonl" else ctx.file(name)
        if path is None:
            continue
        premises: dict[str, list[Pair]] = {}
        for pair in _pairs(path):
            premises.setdefault(pair.premise, []).append(pair)
            text = labelled(("Premise", pair.premise), ("Hypothesis", pair.hypothesis))
            yield Example("task41", pair.pair_id, text, pair.label, split=split, group=pair.premise)
        for premise, pairs in premises.items():
            yield from _premise_examples(ctx, premise, pairs, split)


def _pairs(path: Path) -> Iterator[Pair]:
    seen: dict[str, int] = {}
    for line, record in iter_json_lines(path):
        where = f"line {line}"
        require(record, KEYS, path, where)
        label, pair_id = str(record["gold_label"]).strip(), str(record["pairID"]).strip()
        if label not in LABELS:
            raise RawFormatError(path, where, f"gold_label {label!r} is not one of {', '.join(LABELS)}")
        if pair_id in seen:
            raise RawFormatError(path, where, f"pairID {pair_id} repeats line {seen[pair_id]}")
        seen[pair_id] = line
        premise, hypothesis = str(record["sentence1"]).strip(), str(record["sentence2"]).strip()
        if not premise or not hypothesis:
            raise RawFormatError(path, where, "sentence1 and sentence2 must not be empty")
        yield Pair(premise, hypothesis, label, pair_id)


def _premise_examples(ctx: BuildContext, premise: str, pairs: list[Pair], split: str) -> Iterator[Example]:
    for task, label in (("task42", "entailment"), ("task43", "contradiction")):
        matching = [p for p in pairs if p.label == label]
        if matching:
            outputs = [p.hypothesis for p in matching]
            yield Example(task, matching[0].pair_id, premise, outputs, split=split, group=premise)
        else:
            ctx.skip(f"{task}: premise without a {label} hypothesis")
    if len(pairs) < 2:
        ctx.skip("task44: premise with a single hypothesis")
        return
    ordered = sorted(pairs, key=lambda p: hashlib.sha256(p.pair_id.encode()).hexdigest())
    text = labelled(
        ("Premise", premise), *((f"Hypothesis {i}", p.hypothesis) for i, p in enumerate(ordered, start=1))
    )
    answer = "\n".join(f"Hypothesis {i}: {p.label}" for i, p in enumerate(ordered, start=1))
    meta = {"pairIDs": [p.pair_id for p in ordered], "labels": [p.label for p in ordered]}
    yield Example("task44", pairs[0].pair_id, text, answer, split=split, group=premise, meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
