"""MEDIQA-AnS: consumer health questions with expert summaries of the answers retrieved for them (JSON).

The primary dataset maps each question id to the question, the answers (web pages) found for it, and
summaries of those answers written by experts: a multi-document abstractive and extractive summary,
and a summary per answer. The summaries answer the question directly, so they serve here as reference
answers. No official split: 9:1 by question id.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

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
    merge_same_input,
)
from meds_ins.formats.jsonfiles import read_json, require

DATASET = "question_driven_answer_summarization_primary_dataset.json"
ANSWER_KEYS = ("article", "answer_abs_summ", "answer_ext_summ")

CORPUS = Corpus(
    id="mediqa_ans",
    name="MEDIQA-AnS",
    paper_names=("MEDIQA-AnS",),
    homepage="https://osf.io/fyg46/",
    download=f"{DATASET} from the MEDIQA-AnS project on OSF (osf.io/fyg46)",
    citation="""@article{savery2020question,
  title = {Question-driven summarization of answers to consumer health questions},
  author = {Savery, Max and Ben Abacha, Asma and Gayen, Soumya and Demner-Fushman, Dina},
  journal = {Scientific Data},
  volume = {7},
  number = {1},
  pages = {322},
  year = {2020}
}""",
    license="unknown",
    license_source="not verified: the OSF project page was not read and no raw release was available to "
    "check (real-corpora SOURCES.md lists MEDIQA-AnS as not obtained)",
    redistribution=Withheld("not verified: the OSF project page was not read"),
    access="public",
    languages=("en",),
    text_source="Medical Knowledge",
    raw_files=(
        RawFile(
            DATASET,
            "object keyed by question id: question, multi_abs_summ, multi_ext_summ, and answers keyed by "
            "answer id, each with article, answer_abs_summ, answer_ext_summ",
        ),
    ),
    sources=(
        Download(
            "https://osf.io/fyg46/",
            target="question_driven_answer_summarization_primary_dataset.json",
            manual="OSF serves the file from its project page, without a stable file address: download it there and put it at the top of the corpus folder",
        ),
    ),
)

TASKS = (
    Task(
        "task102",
        "task102_mediqa_ans_question_answering",
        "Question Answering",
        "Answer the consumer's health question below in a short paragraph, with the key facts a trusted "
        "health information website would give.",
        split_policy="random-9:1",
        notes="Closed-book question answering: the input is the consumer question; outputs are the expert "
        "multi-document abstractive summary (primary) and extractive summary of the retrieved answers, "
        "or the per-answer summaries when a question has no multi-document summary. 9:1 by question id.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    path = ctx.file(DATASET)
    data = read_json(path)
    if not isinstance(data, dict):
        raise RawFormatError(path, None, "expected a JSON object keyed by question id")
    examples = []
    for qid, item in data.items():
        example = _example(ctx, path, str(qid), item)
        if example is not None:
            examples.append(example)
    yield from merge_same_input(ctx, examples)


def _example(ctx: BuildContext, path: Path, qid: str, item: Any) -> Example | None:
    where = f"question {qid}"
    require(item, ("question", "answers"), path, where)
    if not isinstance(item["answers"], Mapping):
        raise RawFormatError(path, where, "answers must be an object keyed by answer id")
    for answer_id, answer in item["answers"].items():
        require(answer, ANSWER_KEYS, path, f"{where}, answer {answer_id}")
    question = item["question"].strip() if isinstance(item["question"], str) else ""
    if not question:
        raise RawFormatError(path, where, "empty question")
    summaries = [_text(item.get("multi_abs_summ")), _text(item.get("multi_ext_summ"))]
    if not any(summaries):  # a single retrieved answer has no multi-document summary
        for answer in item["answers"].values():
            summaries += [_text(answer["answer_abs_summ"]), _text(answer["answer_ext_summ"])]
    outputs = list(dict.fromkeys(s for s in summaries if s))
    if not outputs:
        ctx.skip("question without a summary")
        return None
    meta = {"answer_ids": list(item["answers"])}
    return Example("task102", qid.replace(" ", "_"), question, outputs, meta=meta)


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


BUILDER = Builder(CORPUS, TASKS, generate)
