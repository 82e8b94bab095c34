"""BioASQ Task B: biomedical questions answered by experts from PubMed snippets (JSON).

Official split: questions of the golden test batches (`*_golden.json`) are test data, those of the
Task B training file are training data. A question that appears in both (a training file of a later
year holds earlier test batches) is kept on the test side only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from meds_ins.builder import (
    BuildContext,
    Builder,
    Corpus,
    Example,
    RawFile,
    RawFormatError,
    Task,
    Withheld,
    merge_same_input,
)
from meds_ins.formats.jsonfiles import read_json, require

GOLDEN = "**/*_golden.json"
TRAINING = "**/training*.json"
TYPES = ("yesno", "factoid", "list", "summary")

CORPUS = Corpus(
    id="bioasq",
    name="BioASQ Task B",
    paper_names=("BIOASQ",),
    homepage="http://participants-area.bioasq.org/datasets/",
    download="the Task B training set and the golden test batches (Task<N>BGoldenEnriched) from "
    "participants-area.bioasq.org, after registration",
    citation="""@article{tsatsaronis2015overview,
  title = {An overview of the BIOASQ large-scale biomedical semantic indexing and question answering
           competition},
  author = {Tsatsaronis, George and Balikas, Georgios and Malakasiotis, Prodromos and Partalas, Ioannis and
            Zschunke, Matthias and Alvers, Michael R. and Weissenborn, Dirk and Krithara, Anastasia and
            Petridis, Sergios and Polychronopoulos, Dimitris and others},
  journal = {BMC Bioinformatics},
  volume = {16},
  pages = {138},
  year = {2015}
}""",
    license="unknown",
    license_source="not stated in the copy read for real-corpora (Teddy-XiongGZ/MIRAGE rawdata/bioasq); the "
    "official files are distributed after registration under terms not read here, and third-party "
    "cards disagree (bigbio: NLM terms; some Hugging Face copies: CC-BY-2.5)",
    redistribution=Withheld(
        "registration: the official files are given out after registration, under terms not read here"
    ),
    markup="html",  # ideal answers and snippets carry <br>, <b>, <i>, <sup> from the abstracts
    access="registration",
    languages=("en",),
    text_source="Academic Papers",
    raw_files=(
        RawFile(
            GOLDEN,
            "golden test batches, e.g. Task10BGoldenEnriched/10B1_golden.json: {'questions': [...]}",
            required=False,
        ),
        RawFile(
            TRAINING,
            "the Task B training set, e.g. BioASQ-training10b/training10b.json: {'questions': [...]}",
            required=False,
        ),
    ),
    notes="Registration is required and the data terms were not read, so records are not marked "
    "redistributable.",
)

TASKS = (
    Task(
        "task104",
        "task104_bioasq_question_answering",
        "Question Answering",
        "Answer the biomedical question using the snippets from PubMed articles given with it. Reply with a "
        "short paragraph that states the answer and the key supporting facts.",
        notes="Input is the question and its distinct gold snippets; outputs are the expert 'ideal answers' "
        "(every question type has them), the first one primary. The type and the exact answer (yes/no, "
        "entity names, lists) are kept in meta. Official split: golden test batches are test, the "
        "training file is train.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    examples, tested = [], set()
    for path in ctx.files(GOLDEN):
        for question in _questions(path):
            if question["id"] in tested:
                ctx.skip("question repeated in another golden batch")
                continue
            tested.add(question["id"])
            examples += _example(ctx, question, "test")
    for path in ctx.files(TRAINING):
        for question in _questions(path):
            if question["id"] in tested:
                ctx.skip("training question that is also in a golden test batch")
                continue
            examples += _example(ctx, question, "train")
    yield from merge_same_input(ctx, examples)


def _questions(path: Path) -> Iterator[Mapping[str, Any]]:
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise RawFormatError(path, None, 'expected a JSON object {"questions": [...]}')
    for number, question in enumerate(data["questions"]):
        where = f"questions[{number}]"
        if isinstance(question, Mapping) and "id" in question:
            where += f" (id {question['id']})"
        require(question, ("id", "type", "body", "ideal_answer"), path, where)
        if question["type"] not in TYPES:
            raise RawFormatError(path, where, f"type {question['type']!r} is not one of {', '.join(TYPES)}")
        if not isinstance(question["body"], str) or not question["body"].strip():
            raise RawFormatError(path, where, "empty question body")
        for s, snippet in enumerate(question.get("snippets", [])):
            require(snippet, ("text",), path, f"{where}, snippets[{s}]")
        yield question


def _example(ctx: BuildContext, question: Mapping[str, Any], split: str) -> list[Example]:
    ideal = question["ideal_answer"]
    ideal = [ideal] if isinstance(ideal, str) else ideal
    answers = list(dict.fromkeys(a.strip() for a in ideal if isinstance(a, str) and a.strip()))
    snippets = list(
        dict.fromkeys(s["text"].strip() for s in question.get("snippets", []) if s["text"].strip())
    )
    if not answers:
        ctx.skip("no ideal answer")
        return []
    if not snippets:
        ctx.skip("no snippets to answer from")
        return []
    meta = {
        "type": question["type"],
        "pmids": [url.rsplit("/", 1)[-1] for url in question.get("documents", [])],
    }
    if "exact_answer" in question:
        meta["exact_answer"] = question["exact_answer"]
    context = "\n".join(f"- {s}" for s in snippets)
    text = f"Question: {question['body'].strip()}\n\nSnippets:\n{context}"
    return [Example("task104", str(question["id"]), text, answers, split=split, meta=meta)]


BUILDER = Builder(CORPUS, TASKS, generate)
