"""MMedBench: multilingual medical exam questions with GPT-4-written rationales, checked in part by people.

The release (MMedBench.zip) holds Train/ and Test/ folders with one JSON Lines file per language
(Chinese, English, French, Japanese, Russian, Spanish). Each line has question, options (letter -> text),
answer_idx ("B" or "A,C"), rationale, human_checked and human_check_passed. Tasks 51-56 explain the
answer of a test question; only rationales that passed the human check are used, as MMedBench scores
rationales on those.
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
)
from meds_ins.formats.jsonfiles import iter_json_lines, require

# task id -> (release language name, language code, where the questions come from, their source corpus)
LANGUAGES = {
    "task51": ("Chinese", "zh", "the Chinese national medical licensing exam", "MedQA, Mainland"),
    "task52": ("English", "en", "the United States Medical Licensing Examination", "MedQA, USMLE"),
    "task53": ("French", "fr", "the French pharmacy specialisation exam", "FrenchMedMCQA"),
    "task54": ("Japanese", "ja", "the Japanese National Medical Licensing Examination", "IgakuQA"),
    "task55": ("Russian", "ru", "a Russian medical yes/no question set", "RuMedDaNet"),
    "task56": ("Spanish", "es", "a Spanish specialised healthcare training exam", "HEAD-QA"),
}
KEYS = ("question", "options", "answer_idx", "rationale", "human_checked", "human_check_passed")


def _test_file(language: str) -> str:
    return f"MMedBench/Test/{language}.jsonl"


CORPUS = Corpus(
    id="mmedbench",
    name="MMedBench",
    paper_names=("MMedBench",),
    homepage="https://henrychur.github.io/MultilingualMedQA/",
    download="MMedBench.zip from huggingface.co/datasets/Henrychur/MMedBench (folders MMedBench/Train and "
    "MMedBench/Test)",
    citation="""@article{qiu2024building,
  title = {Towards Building Multilingual Language Model for Medicine},
  author = {Qiu, Pengcheng and Wu, Chaoyi and Zhang, Xiaoman and Lin, Weixiong and Wang, Haicheng and
            Zhang, Ya and Wang, Yanfeng and Xie, Weidi},
  journal = {Nature Communications},
  volume = {15},
  pages = {8384},
  year = {2024}
}""",
    license="CC-BY-NC-4.0",
    license_source="dataset card of huggingface.co/datasets/Henrychur/MMedBench (licence changed from "
    "cc-by-4.0 to cc-by-nc-4.0 in May 2024)",
    redistribution=BY_LICENCE,
    access="public",
    languages=tuple(code for _, code, _, _ in LANGUAGES.values()),
    text_source="Exam",
    raw_files=tuple(
        RawFile(_test_file(name), f"{name} test questions with rationales (JSON Lines)", required=False)
        for name, _, _, _ in LANGUAGES.values()
    ),
    sources=(
        Download(
            "hf://datasets/Henrychur/MMedBench@74ad241488b7fc99d48f734eb5456523c2aa0cdf/MMedBench.zip",
            size=21_687_174,
            sha256="fb5b5539031d4f62e1e493a3f52f3f2afa8d8007a07abea33b9f288a9d50e596",
            mirrors=(
                "hf://datasets/Henrychur/MMedBench@d817c67d0bca216e63ea784fcf8a642c57bc372b/MMedBench.zip",
            ),
            unpack="zip",
            members=("MMedBench/Test/*.jsonl",),
            note="the authors' Hub dataset; later commits change only README.md",
        ),
    ),
    notes="Non-commercial licence. The questions come from MedQA, IgakuQA, FrenchMedMCQA, RuMedDaNet and "
    "HEAD-QA (their own builders make the question-answering tasks); the rationales were written by GPT-4. "
    "Test questions whose rationale was not checked, or failed the check, are counted as skips. The Train "
    "folder is not read.",
)


def _task(task_id: str, name: str, code: str, origin: str, source: str) -> Task:
    return Task(
        task_id,
        f"{task_id}_mmedbench_explanation_{name.lower()}_test_only",
        "Explanation",
        f"Below is a multiple-choice question in {name} from {origin}, with its options and the correct "
        f"answer. Explain in {name} why that answer is correct.",
        splits=("test",),
        split_policy="test-only",
        input_languages=(code,),
        in_bench=True,
        notes=f"Questions of {source}; rationales from MMedBench's {name} test file that passed the human "
        "check, the subset MMedBench scores rationales on.",
    )


TASKS = tuple(_task(task_id, *language) for task_id, language in LANGUAGES.items())


def generate(ctx: BuildContext) -> Iterator[Example]:
    for task_id, (name, _, _, _) in LANGUAGES.items():
        path = ctx.optional(_test_file(name))
        if path is None:
            continue
        for line, item in iter_json_lines(path):
            where = f"line {line}"
            require(item, KEYS, path, where)
            if not _flag(item, "human_checked", path, where):
                ctx.skip("rationale not checked by a person")
                continue
            if not _flag(item, "human_check_passed", path, where):
                ctx.skip("rationale failed the human check")
                continue
            rationale = item["rationale"]
            if not isinstance(rationale, str) or not rationale.strip():
                raise RawFormatError(path, where, "a human-checked item must have a non-empty rationale")
            options = item["options"]
            if not isinstance(options, dict) or not options:
                raise RawFormatError(path, where, "options must be an object of letter -> option text")
            answers = _answers(item["answer_idx"], options, path, where)
            text, meta = answered_choice(item["question"], options, answers)
            yield Example(task_id, f"line-{line}", text, rationale, meta=meta)


def _flag(item: Mapping[str, Any], key: str, path: Path, where: str) -> bool:
    value = item[key]
    if value not in (True, False):  # also admits 0 and 1
        raise RawFormatError(path, where, f"{key} must be true or false, found {value!r}")
    return bool(value)


def _answers(value: Any, options: Mapping[str, str], path: Path, where: str) -> list[str]:
    """answer_idx as a list of letters: "B", "A,C" or a list of letters."""
    letters = value.split(",") if isinstance(value, str) else value
    if not isinstance(letters, list):
        raise RawFormatError(
            path, where, f"answer_idx {value!r} must be a letter, letters joined by ',' or a list"
        )
    letters = [str(letter).strip() for letter in letters if str(letter).strip()]
    if not letters or any(letter not in options for letter in letters):
        raise RawFormatError(
            path, where, f"answer_idx {value!r} does not name options among {', '.join(options)}"
        )
    return letters


BUILDER = Builder(CORPUS, TASKS, generate)
