"""MASH-QA: consumer health questions answered by several, often non-consecutive, sentences of a WebMD
article (SQuAD-v2-style JSON with sentence offsets).

Official split: the train, validation (folded into train) and test files of the release. The `_full`
files are read: their answers keep every answer sentence, consecutive or not.
"""

from __future__ import annotations

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
    labelled,
    merge_same_input,
)
from meds_ins.formats.squad import SquadQuestion, iter_squad

RELEASE = "mashqa_data/{}_webmd_squad_v2_full.json"
FILE_SPLITS = {"train": "train", "val": "train", "test": "test"}

CORPUS = Corpus(
    id="mashqa",
    name="MASH-QA",
    paper_names=("MASHQA",),
    homepage="https://github.com/mingzhu0527/MASHQA",
    download="mashqa_data.zip through the Google Drive link in the README of github.com/mingzhu0527/MASHQA",
    citation="""@inproceedings{zhu2020question,
  title = {Question Answering with Long Multiple-Span Answers},
  author = {Zhu, Ming and Ahuja, Aman and Juan, Da-Cheng and Wei, Wei and Reddy, Chandan K.},
  booktitle = {Findings of the Association for Computational Linguistics: EMNLP 2020},
  pages = {3840--3849},
  year = {2020}
}""",
    license="unknown",
    license_source="github.com/mingzhu0527/MASHQA states no licence (no licence file; the README links the "
    "data); the article texts are WebMD pages",
    redistribution=Withheld("no licence, and the texts are WebMD's articles"),
    access="public",
    languages=("en",),
    text_source="Medical Knowledge",
    raw_files=tuple(
        RawFile(
            RELEASE.format(name),
            f"{name} questions: data[].paragraphs[] with context, sent_list, sent_starts and qas whose "
            "answers[0].answer_starts lists the answer sentences as [start, length]",
            required=False,
        )
        for name in FILE_SPLITS
    ),
    sources=(
        Download(
            "https://drive.google.com/file/d/1YJ5Pw7CoBcwKv2YYCguqLF2HQDcPMd8G/view?usp=sharing",
            target="mashqa_data.zip",
            manual="Google Drive asks a browser to confirm the download, which a program cannot do reliably: open the link, download the file and unpack it into the corpus folder (mashqa_data/*_webmd_squad_v2_full.json)",
        ),
    ),
    notes="Not marked redistributable: no licence is stated and the texts are WebMD's. The _consec files "
    "(answers cut to consecutive sentences) are not read.",
)

TASKS = (
    Task(
        "task101",
        "task101_mashqa_question_answering",
        "Question Answering",
        "Read the health article below and answer the question after it. The answer may be spread over "
        "several parts of the article: reply with every sentence of the article that answers it, in the "
        "order they appear.",
        notes="Input is the article followed by the question; the output joins the answer sentences "
        "(answer_starts spans of the context) with spaces. Official split; validation folded into train.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for name, split in FILE_SPLITS.items():
        path = ctx.optional(RELEASE.format(name))
        if path is None:
            continue
        paragraph, examples = None, []
        for question in iter_squad(path):
            if question.paragraph is not paragraph:  # questions come grouped by article
                yield from merge_same_input(ctx, examples)
                paragraph, examples = question.paragraph, []
            example = _example(ctx, path, question, name, split)
            if example is not None:
                examples.append(example)
        yield from merge_same_input(ctx, examples)


def _example(ctx: BuildContext, path: Path, question: SquadQuestion, name: str, split: str) -> Example | None:
    if question.is_impossible or not question.answers:
        ctx.skip("question without an answer")
        return None
    if not question.id:
        raise RawFormatError(path, question.where, "question without an id")
    answer = _answer_text(path, question)
    text = labelled(("Article", question.context), ("Question", question.question))
    meta = {
        "url": question.article.get("title", ""),
        "spans": len(question.qa["answers"][0].get("answer_starts", [])),
    }
    return Example("task101", f"{name}-{question.id}", text, answer, split=split, meta=meta)


def _answer_text(path: Path, question: SquadQuestion) -> str:
    """The answer sentences, cut from the context by their [start, length] spans; the released answer
    text when a file has no spans."""
    spans = question.qa["answers"][0].get("answer_starts")
    if not spans:
        return question.answers[0].text
    context, sentences = question.context, []
    for span in sorted(spans):
        if not (isinstance(span, list) and len(span) == 2 and all(type(n) is int for n in span)):
            raise RawFormatError(path, question.where, f"answer span {span!r} is not [start, length]")
        start, length = span
        if not (start >= 0 and length > 0 and start + length <= len(context)):
            raise RawFormatError(path, question.where, f"answer span {span} lies outside the context")
        sentences.append(context[start : start + length].strip())
    return " ".join(s for s in sentences if s)


BUILDER = Builder(CORPUS, TASKS, generate)
