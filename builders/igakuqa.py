"""IgakuQA: the Japanese National Medical Licensing Examination, 2018-2022 (exams 112-116), as released.

One JSON Lines file per exam block (data/<year>/<exam>-<block>.jsonl, e.g. 112-A.jsonl); answers are
letters a-e (some questions ask for two or three). Beside it, <exam>-<block>_metadata.jsonl gives each
question's clinical area. The release has no split, so questions are split 9:1 by problem id.
"""

from __future__ import annotations

import re
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
    multiple_choice,
)
from meds_ins.formats.jsonfiles import iter_json_lines, require

QUESTIONS = "data/*/[0-9][0-9][0-9]-[A-Z].jsonl"
METADATA = "data/*/[0-9][0-9][0-9]-[A-Z]_metadata.jsonl"
KEYS = ("problem_id", "problem_text", "choices", "text_only", "answer")
ALTERNATIVES = re.compile(r"^[a-z]( or [a-z])+$")  # 'a or d': the board accepted either answer

CORPUS = Corpus(
    id="igakuqa",
    name="IgakuQA",
    paper_names=("IgakuQA",),
    homepage="https://github.com/jungokasai/IgakuQA",
    download="the data/ folder of github.com/jungokasai/IgakuQA (one folder per year, 2018-2022)",
    citation="""@misc{kasai2023igakuqa,
  title = {Evaluating {GPT}-4 and {ChatGPT} on {J}apanese Medical Licensing Examinations},
  author = {Kasai, Jungo and Kasai, Yuhei and Sakaguchi, Keisuke and Yamada, Yutaro and Radev, Dragomir},
  year = {2023},
  eprint = {2303.18027},
  archivePrefix = {arXiv}
}""",
    license="unknown",
    license_source="github.com/jungokasai/IgakuQA has no licence file and its README states none; it says the "
    "questions were collected from the website of Japan's Ministry of Health, Labour and Welfare",
    access="public",
    redistributable=False,
    languages=("ja",),
    text_source="Exam",
    raw_files=(
        RawFile(QUESTIONS, "questions of one exam block, e.g. data/2018/112-A.jsonl (JSON Lines)"),
        RawFile(
            METADATA, "clinical area and answer statistics of each question (JSON Lines)", required=False
        ),
    ),
    notes="Not marked redistributable: the problems are the ministry's (the README says they were collected "
    "from its website) and neither the repository nor the ministry's page as cited states terms that allow "
    "republishing them. Left out (counted as skips): "
    "questions that need an image the release does not include (text_only false), numeric-entry questions "
    "without options, questions whose answer accepts alternatives ('a or d'), and questions worth 0 points, "
    "which we read as excluded from scoring by the examination board.",
)

TASKS = (
    Task(
        "task59",
        "task59_igakuqa_question_answering",
        "Question Answering",
        "This is a question from the Japanese National Medical Licensing Examination. Choose the correct "
        "option, or as many options as the question asks for, and reply with the letter and text of each.",
        split_policy="random-9:1",
        input_languages=("ja",),
        in_bench=True,
        notes="The release has no split: questions are split 9:1 by problem id. MedS-Bench's file (199 "
        "questions) is MMedBench's Japanese test set, a subset of IgakuQA whose membership the IgakuQA files "
        "do not record, so our test split is not that subset, and some of those questions (also used by "
        "task54) may fall in our training split. Answer letters a-e are shown as A-E.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    areas = _clinical_areas(ctx)
    for path in ctx.files(QUESTIONS):
        for line, item in iter_json_lines(path):
            where = f"line {line}"
            require(item, KEYS, path, where)
            example = _example(ctx, item, path, where, areas.get(item["problem_id"]))
            if example is not None:
                yield example


def _example(
    ctx: BuildContext, item: Mapping[str, Any], path: Path, where: str, area: str | None
) -> Example | None:
    choices, answers = item["choices"], item["answer"]
    if (
        not isinstance(choices, list)
        or not isinstance(answers, list)
        or not answers
        or not all(isinstance(x, str) for x in choices + answers)
    ):
        raise RawFormatError(path, where, "choices must be a list and answer a non-empty list of letters")
    if item["text_only"] is not True:
        ctx.skip("question needs an image that the release does not include (text_only false)")
        return None
    if not choices:
        ctx.skip("numeric-entry question without options")
        return None
    if any(ALTERNATIVES.match(a) for a in answers):
        ctx.skip("answer accepts alternatives ('a or d')")
        return None
    if str(item.get("points")) == "0":
        ctx.skip("question worth 0 points (excluded from scoring)")
        return None
    letters = [chr(ord("A") + i) for i in range(len(choices))]
    wanted = [a.upper() for a in answers]
    unknown = [a for a in answers if a.upper() not in letters or a != a.lower()]
    if unknown:
        raise RawFormatError(
            path, where, f"answer {', '.join(unknown)} is not one of the letters a-{letters[-1].lower()}"
        )
    text, outputs, meta = multiple_choice(item["problem_text"], dict(zip(letters, choices)), wanted)
    meta["problem_id"] = item["problem_id"]
    if area:
        meta["area"] = area
    return Example("task59", item["problem_id"], text, outputs, meta=meta)


def _clinical_areas(ctx: BuildContext) -> dict[str, str]:
    areas = {}
    for path in ctx.files(METADATA):
        for line, item in iter_json_lines(path):
            require(item, ("problem_id", "category"), path, f"line {line}")
            if item["category"]:
                areas[item["problem_id"]] = item["category"]
    return areas


BUILDER = Builder(CORPUS, TASKS, generate)
