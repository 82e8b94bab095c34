"""MedMCQA: four-option questions of Indian medical entrance exams (AIIMS and NEET PG), with explanations.

Files of the release are JSON Lines despite their `.json` names. Official split: train.json is the
training set; dev.json (4,183 NEET PG questions) is the test set of MedS-Bench, because the answers of
the release's test.json are withheld (that file is not read).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from meds_ins.builder import (
    BY_LICENCE,
    BuildContext,
    Builder,
    Corpus,
    Download,
    Example,
    RawFile,
    RawFormatError,
    Task,
    answered_choice,
    multiple_choice,
)
from meds_ins.formats.jsonfiles import iter_json_lines, require

FILE_SPLITS = {"train.json": "train", "dev.json": "test"}
OPTION_KEYS = {"A": "opa", "B": "opb", "C": "opc", "D": "opd"}
LETTERS = dict(enumerate(OPTION_KEYS, start=1))  # cop 1-4 -> A-D
KEYS = ("id", "question", *OPTION_KEYS.values(), "cop")

CORPUS = Corpus(
    id="medmcqa",
    name="MedMCQA",
    paper_names=("MedMCQA",),
    homepage="https://medmcqa.github.io",
    download="the data zip linked from the README of github.com/medmcqa/medmcqa (train.json, dev.json, "
    "test.json; the test answers are not public)",
    citation="""@inproceedings{pal2022medmcqa,
  title = {MedMCQA: A Large-scale Multi-Subject Multi-Choice Dataset for Medical domain Question Answering},
  author = {Pal, Ankit and Umapathi, Logesh Kumar and Sankarasubbu, Malaikannan},
  booktitle = {Proceedings of the Conference on Health, Inference, and Learning},
  series = {Proceedings of Machine Learning Research},
  volume = {174},
  pages = {248--260},
  year = {2022}
}""",
    license="MIT",
    license_source="LICENSE.md of github.com/medmcqa/medmcqa and of the MIRAGE redistribution read for "
    "real-corpora ('Copyright (c) 2022 MedMCQA'); the same README shows an Apache-2.0 badge and the "
    "openlifescienceai/medmcqa card says apache-2.0",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en",),
    text_source="Exam",
    raw_files=(
        RawFile("train.json", "training questions, 182,822 lines (JSON Lines)", required=False),
        RawFile(
            "dev.json", "NEET PG questions, 4,183 lines (JSON Lines); the MedS-Bench test set", required=False
        ),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/Teddy-XiongGZ/MIRAGE/392943af99cd94cafd50a0de2e7fca24bbf65494/rawdata/medmcqa/data/dev.json",
            target="dev.json",
            size=2_594_517,
            sha256="a2b5f53890f4e742b728378fb847bc5338088d48ea01218676379f587270af31",
            note="third-party copy (MIRAGE) of dev.json; train.json is only in the authors' archive below",
        ),
        Download(
            "https://drive.google.com/uc?export=download&id=15VkJdq5eyWIkfb_aoD3oS8i4tScbHYky",
            target="medmcqa data zip",
            manual="Google Drive asks a browser to confirm the download, which a program cannot do reliably: open the link, download the file (the authors' archive) and put its train.json and dev.json in the corpus folder",
            optional=True,
        ),
    ),
    notes="The licence statements disagree: MIT in the LICENSE file, Apache-2.0 in the README badge. "
    "choice_type 'multi' marks a question style; every question still has exactly one correct option (cop).",
)

TASKS = (
    Task(
        "task63",
        "task63_medmcqa_explanation",
        "Explanation",
        "Below is a question from an Indian postgraduate medical entrance exam with its four options and the "
        "correct answer. Explain why that answer is right, in a short paragraph.",
        notes="The name is ours (the reference gives no file name; the source is inferred there). Questions "
        "whose explanation (exp) is empty upstream are skipped. Official split: train.json for training, "
        "dev.json for testing, as in task64 and task122.",
    ),
    Task(
        "task64",
        "task64_medmcqa_question_answering",
        "Question Answering",
        "Answer this multiple-choice question from an Indian postgraduate medical entrance exam. Reply with "
        "the letter of the correct option followed by its text.",
        splits=("train",),
        split_policy="train-only",
        notes="The name is ours (the reference gives no file name; the source is inferred there). The training "
        "questions (train.json); their held-out counterpart is task122.",
    ),
    Task(
        "task122",
        "task122_medmcqa_test_set",
        "Question Answering",
        "Answer this multiple-choice question from an Indian postgraduate medical entrance exam. Reply with "
        "the letter of the correct option followed by its text.",
        splits=("test",),
        split_policy="test-only",
        in_bench=True,
        notes="The dev.json questions (4,183, the size of the MedS-Bench file): the release's test answers are "
        "not public.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for name, split in FILE_SPLITS.items():
        path = ctx.optional(name)
        if path is None:
            continue
        seen: set[str] = set()
        for line, item in iter_json_lines(path):
            where = f"line {line}"
            require(item, KEYS, path, where)
            if item["id"] in seen:
                ctx.skip("question id listed twice in one file (later copy left out)")
                continue
            seen.add(item["id"])
            yield from _examples(ctx, item, split, path, where)


def _examples(
    ctx: BuildContext, item: Mapping[str, Any], split: str, path: Path, where: str
) -> Iterator[Example]:
    options = {letter: _text(item[key], path, where, key) for letter, key in OPTION_KEYS.items()}
    cop = item["cop"]
    if isinstance(cop, bool) or cop not in LETTERS:
        raise RawFormatError(path, where, f"cop {cop!r} is not an option number 1-4")
    answer = LETTERS[cop]
    question = _text(item["question"], path, where, "question")
    text, outputs, meta = multiple_choice(question, options, [answer])
    meta.update(_labels(item))
    key = item["id"]
    qa_task = "task122" if split == "test" else "task64"
    yield Example(qa_task, key, text, outputs, meta=meta)
    explanation = item.get("exp") or ""
    if not explanation.strip():
        ctx.skip("no explanation (exp) upstream, so no task63 record")
        return
    explained, meta = answered_choice(question, options, [answer])
    meta.update(_labels(item))
    yield Example("task63", key, explained, explanation, split=split, meta=meta)


def _text(value: Any, path: Path, where: str, key: str) -> str:
    if not isinstance(value, str):
        raise RawFormatError(path, where, f"{key} must be a string, found {type(value).__name__}")
    return value


def _labels(item: Mapping[str, Any]) -> dict[str, Any]:
    labels = {"subject": item.get("subject_name"), "topic": item.get("topic_name")}
    return {k: v for k, v in labels.items() if v}


BUILDER = Builder(CORPUS, TASKS, generate)
