"""FrenchMedMCQA: five-option questions of the French pharmacy specialisation diploma, one or more right.

Files are JSON arrays (corpus/train.json, dev.json, test.json). Official split: train and dev are
training data, test (622 questions, MMedBench's French test set) is the test set.
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
    multiple_choice,
    settle_repeats,
)
from meds_ins.formats.jsonfiles import read_json, require

FILE_SPLITS = {"corpus/train.json": "train", "corpus/dev.json": "train", "corpus/test.json": "test"}
KEYS = ("id", "question", "answers", "correct_answers", "nbr_correct_answers")
LETTERS = ("a", "b", "c", "d", "e")

CORPUS = Corpus(
    id="frenchmedmcqa",
    name="FrenchMedMCQA",
    paper_names=("FrenchMedMCQA",),
    homepage="https://github.com/qanastek/FrenchMedMCQA",
    download="the corpus/ folder of github.com/qanastek/FrenchMedMCQA (train.json, dev.json, test.json)",
    citation="""@inproceedings{labrak2022frenchmedmcqa,
  title = {{FrenchMedMCQA}: A {F}rench Multiple-Choice Question Answering Dataset for Medical domain},
  author = {Labrak, Yanis and Bazoge, Adrien and Dufour, Richard and Daille, B{\\'e}atrice and
            Gourraud, Pierre-Antoine and Morin, Emmanuel and Rouvier, Mickael},
  booktitle = {Proceedings of the 13th International Workshop on Health Text Mining and Information Analysis
               (LOUHI)},
  pages = {41--46},
  year = {2022}
}""",
    license="Apache-2.0",
    license_source="licence badge in the README of github.com/qanastek/FrenchMedMCQA (the repository has no "
    "licence file)",
    redistribution=BY_LICENCE,
    access="public",
    languages=("fr",),
    text_source="Exam",
    raw_files=tuple(
        RawFile(path, f"{path.split('/')[1].split('.')[0]} questions (JSON array)", required=False)
        for path in FILE_SPLITS
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/qanastek/FrenchMedMCQA/4e36a4055245feec3218573c9f6bb1a9ecb1756b/corpus/train.json",
            target="corpus/train.json",
            size=1_737_510,
            sha256="7932ffb982f174980c3545ff220091efcf856be0c946fdf077dea788c35e93a3",
        ),
        Download(
            "https://raw.githubusercontent.com/qanastek/FrenchMedMCQA/4e36a4055245feec3218573c9f6bb1a9ecb1756b/corpus/dev.json",
            target="corpus/dev.json",
            size=238_934,
            sha256="ddd64d9218561fed1c2dcd59ca13c39380ba92953aff253f39ebeb187a420a32",
        ),
        Download(
            "https://raw.githubusercontent.com/qanastek/FrenchMedMCQA/4e36a4055245feec3218573c9f6bb1a9ecb1756b/corpus/test.json",
            target="corpus/test.json",
            size=473_227,
            sha256="f53d1682af74558ed58b74c8b422a78199b1a0d4e7f0d47e532c5b4b3411e35e",
        ),
    ),
    notes="Upstream train.json lists one question twice under the same id; the second copy is counted as a "
    "skip (an identical repeat, kept once). An id listed again with another question or answers would be "
    "left out, every copy, and counted. Two different ids that carry the same question and options are "
    "two items of the release and both kept. A few generic stems ('Parmi les propositions suivantes...') "
    "recur across splits with different options; they are different questions and are kept.",
)

TASKS = (
    Task(
        "task60",
        "task60_frenchmedmcqa_question_answering",
        "Question Answering",
        "This is a question from the French pharmacy specialisation exam, in French. One or more of the five "
        "options are correct: reply with the letter and text of every correct option.",
        input_languages=("fr",),
        in_bench=True,
        notes="Official split: train.json and dev.json for training, test.json (622 questions, the size of the "
        "MedS-Bench file) for testing. Answer letters a-e are shown as A-E.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    yield from settle_repeats(ctx, _questions(ctx), "question (same id)")


def _questions(ctx: BuildContext) -> Iterator[Example]:
    for name, split in FILE_SPLITS.items():
        path = ctx.optional(name)
        if path is None:
            continue
        items = read_json(path)
        if not isinstance(items, list):
            raise RawFormatError(path, None, "expected a JSON array of questions")
        for number, item in enumerate(items, start=1):
            where = f"question {number}"
            require(item, KEYS, path, where)
            yield _example(item, split, path, where)


def _example(item: Mapping[str, Any], split: str, path: Path, where: str) -> Example:
    answers, right = item["answers"], item["correct_answers"]
    if not isinstance(answers, dict) or sorted(answers) != list(LETTERS):
        raise RawFormatError(path, where, "answers must be an object with the keys a, b, c, d and e")
    if not isinstance(right, list) or not right or any(a not in answers for a in right):
        raise RawFormatError(
            path, where, f"correct_answers {right!r} must be a non-empty list of letters a-e"
        )
    if len(right) != item["nbr_correct_answers"]:
        raise RawFormatError(
            path,
            where,
            f"{len(right)} correct_answers but nbr_correct_answers is {item['nbr_correct_answers']!r}",
        )
    options = {letter.upper(): answers[letter] for letter in LETTERS}
    text, outputs, meta = multiple_choice(item["question"], options, sorted(a.upper() for a in right))
    if item.get("type"):
        meta["type"] = item["type"]
    return Example("task60", item["id"], text, outputs, split=split, meta=meta)


BUILDER = Builder(CORPUS, TASKS, generate)
