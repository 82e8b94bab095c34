"""EBM-NLP: PubMed abstracts of randomized controlled trials with Participants, Interventions and Outcomes.

The release (ebm_nlp_2_00) stores each abstract's tokens in `documents/<PMID>.tokens` and, per PICO
element, one label per token in `annotations/aggregated/starting_spans/<element>/<part>/<PMID>...ann`
(1 inside a span, 0 outside). One instance is one sentence of an abstract (sentences end after a '.', '?'
or '!' token); the answer lists the element's spans in that sentence, tokens joined by single spaces as
in the sentence, one per line, with their offsets in `meta["spans"]`. Official split: the aggregated crowd annotations of `train` are train, the expert
annotations of `test/gold` are test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from meds_ins.builder import (
    BuildContext,
    Builder,
    Corpus,
    Download,
    Example,
    RawFile,
    RawFormatError,
    Task,
    Withheld,
    located_entity_list,
)
from meds_ins.formats.text import read_text

DOCS = "ebm_nlp_2_00/documents/*.tokens"
ANNS = "ebm_nlp_2_00/annotations/aggregated/starting_spans/{}/{}/*.ann"
PARTS = {"test/gold": "test", "train": "train"}  # gold first: its documents leave the training part
ELEMENTS = {"participants": "task1", "interventions": "task2", "outcomes": "task3"}
SENTENCE_END = {".", "?", "!"}

CORPUS = Corpus(
    id="ebm_pico",
    name="EBM-NLP (PICO)",
    paper_names=("PICO",),
    homepage="https://github.com/bepnye/EBM-NLP",
    download="ebm_nlp_2_00.tar.gz of github.com/bepnye/EBM-NLP, unpacked (the folder ebm_nlp_2_00)",
    citation="""@inproceedings{nye2018corpus,
  title = {A Corpus with Multi-Level Annotations of Patients, Interventions and Outcomes to Support Language
           Processing for Medical Literature},
  author = {Nye, Benjamin and Li, Junyi Jessy and Patel, Roma and Yang, Yinfei and Marshall, Iain and
            Nenkova, Ani and Wallace, Byron},
  booktitle = {Proceedings of the 56th Annual Meeting of the Association for Computational Linguistics},
  pages = {197--207},
  year = {2018}
}""",
    license="unknown",
    license_source="no licence file in github.com/bepnye/EBM-NLP; the bigbio/ebm_pico card says unknown",
    redistribution=Withheld(
        "no licence or statement allowing redistribution found in the repository, its README or "
        "the corpus homepage"
    ),
    access="public",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(RawFile(DOCS, "the tokens of each abstract, one per line (space-separated in release 1.0)"),)
    + tuple(
        RawFile(
            ANNS.format(element, part),
            f"{element} labels (0/1 per token) of the {part} documents",
            required=False,
        )
        for element in ELEMENTS
        for part in PARTS
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/bepnye/EBM-NLP/43a4a1ea3f0a21cfb8820c040b843dfaf66192d0/ebm_nlp_2_00.tar.gz",
            git_blob="152a6348e6a29d19c3727658d269fd3a8a8c6327",
            unpack="tar.gz",
            note="unpacks to the folder ebm_nlp_2_00",
        ),
    ),
    notes="A document with both crowd (train) and expert (test/gold) labels is used as a test document "
    "only. Sentences keep the release's tokenization (tokens joined by single spaces), as the "
    "Super-NaturalInstructions tasks 179-181 did.",
)


def _task(task_id: str, name: str, what: str, example: str) -> Task:
    return Task(
        task_id,
        name,
        "Information Extraction",
        f"Below is a sentence from the abstract of a randomized controlled trial. List the phrases that describe "
        f"the {what} of the study ({example}), copied exactly, one per line, in the order they appear. "
        "If the sentence gives no such information, reply: There is no related entity.",
        in_bench=True,
        notes="From EBM-NLP's own release (the MedS-Ins task came through Super-NaturalInstructions tasks "
        "179-181, which wrote 'not found' for an empty answer; here it is 'There is no related entity.' as in "
        "every entity-list task). The published benchmark holds 43 test sentences; here the test split is "
        "every sentence of the expert-annotated test abstracts.",
    )


TASKS = (
    _task(
        "task1",
        "task1_participant_extraction",
        "participants",
        "who they are, their condition, number, age or sex",
    ),
    _task("task2", "task2_intervention_extraction", "interventions", "the treatments or controls compared"),
    _task("task3", "task3_outcome_extraction", "outcomes", "what was measured to judge the effect"),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    documents = {path.name.split(".")[0]: path for path in ctx.files(DOCS)}
    labelled: dict[str, dict[str, dict[str, Path]]] = {part: {} for part in PARTS}
    for part in PARTS:
        for element in ELEMENTS:
            for path in ctx.files(ANNS.format(element, part)):
                pmid = re.split(r"[._]", path.name)[0]
                labelled[part].setdefault(pmid, {})[element] = path
    gold = set(labelled["test/gold"])
    for part, split in PARTS.items():
        for pmid, files in sorted(labelled[part].items()):
            if split == "train" and pmid in gold:
                ctx.skip("crowd labels of a document in the gold test set")
                continue
            if pmid not in documents:
                first = next(iter(files.values()))
                raise RawFormatError(
                    first, None, f"no tokens file {pmid}.tokens under ebm_nlp_2_00/documents/"
                )
            tokens = _tokens(documents[pmid])
            for element, task in ELEMENTS.items():
                if element not in files:
                    ctx.skip(f"document without {element} labels")
                    continue
                labels = _labels(files[element], len(tokens))
                for number, (start, end) in enumerate(_sentences(tokens), start=1):
                    text = " ".join(tokens[start:end])
                    output, meta = located_entity_list(text, _spans(tokens, labels, start, end))
                    yield Example(task, f"{pmid}-{number}", text, output, split=split, meta=meta)


def _tokens(path: Path) -> list[str]:
    """One token per line (release 2.0), or space-separated on one line (release 1.0)."""
    text = read_text(path)
    tokens = text.rstrip("\n").split("\n") if "\n" in text.rstrip("\n") else text.strip().split(" ")
    tokens = [t.rstrip("\r") for t in tokens]
    if not tokens or not all(tokens):
        raise RawFormatError(path, None, "empty token; expected one token per line")
    return tokens


def _labels(path: Path, count: int) -> list[int]:
    values = [v for v in re.split(r"[\s,]+", read_text(path)) if v]
    if any(v not in ("0", "1") for v in values):
        bad = next(v for v in values if v not in ("0", "1"))
        raise RawFormatError(path, f"label {values.index(bad) + 1}", f"label {bad!r} is not 0 or 1")
    if len(values) != count:
        raise RawFormatError(path, None, f"{len(values)} labels for the {count} tokens of the document")
    return [int(v) for v in values]


def _sentences(tokens: list[str]) -> Iterator[tuple[int, int]]:
    start = 0
    for i, token in enumerate(tokens):
        if token in SENTENCE_END:
            yield start, i + 1
            start = i + 1
    if start < len(tokens):
        yield start, len(tokens)


def _spans(tokens: list[str], labels: list[int], start: int, end: int) -> Iterator[tuple[int, int]]:
    """The runs of labelled tokens inside one sentence, as character offsets into its text (the tokens
    joined by single spaces)."""
    position, run_start = 0, None
    for token, label in zip(tokens[start:end], labels[start:end]):
        if label and run_start is None:
            run_start = position
        elif not label and run_start is not None:
            yield run_start, position - 1
            run_start = None
        position += len(token) + 1
    if run_start is not None:
        yield run_start, position - 1


BUILDER = Builder(CORPUS, TASKS, generate)
