"""HEAD-QA: multiple-choice questions of the Spanish specialised healthcare training exams (MIR, EIR, ...).

The release has a Spanish original (HEAD/) and an English machine translation (HEAD_EN/) with the same
exams, question ids and answers. Official split: train_HEAD (2013-2014 exams) and dev_HEAD (2015) are
training data, test_HEAD (2016-2017) is the test set; every task follows it, so an exam question is on
the same side in all of them. The per-exam `.gold` files (qid<TAB>right answer id) are checked against
the JSON answers when given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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
    ReleaseStatement,
    Task,
    multiple_choice,
)
from meds_ins.formats.jsonfiles import read_json, require
from meds_ins.formats.text import read_text

FILE_SPLITS = {"train": "train", "dev": "train", "test": "test"}
FOLDERS = {"es": ("HEAD", ""), "en": ("HEAD_EN", "_EN")}  # language -> (folder, file suffix)
# The release's exam categories -> the label task25 answers with ("nursery" is the release's word for nursing).
CATEGORIES = {
    "medicine": "medicine",
    "nursery": "nursing",
    "pharmacology": "pharmacology",
    "psychology": "psychology",
    "biology": "biology",
    "chemistry": "chemistry",
}


def _json_path(language: str, part: str) -> str:
    folder, suffix = FOLDERS[language]
    return f"{folder}/{part}_HEAD{suffix}.json"


CORPUS = Corpus(
    id="headqa",
    name="HEAD-QA",
    paper_names=("HeadQA",),
    homepage="https://aghie.github.io/head-qa/",
    download="the ES_HEAD and EN_HEAD archives linked from the README of github.com/aghie/head-qa "
    "(folders HEAD/ and HEAD_EN/ with train/dev/test JSON files and per-exam .gold files)",
    citation="""@inproceedings{vilares2019headqa,
  title = {HEAD-QA: A Healthcare Dataset for Complex Reasoning},
  author = {Vilares, David and G{\\'o}mez-Rodr{\\'i}guez, Carlos},
  booktitle = {Proceedings of the 57th Annual Meeting of the Association for Computational Linguistics},
  pages = {960--966},
  year = {2019}
}""",
    license="Spanish Ministry of Health reuse terms",
    license_source="README.txt inside the HEAD/ and HEAD_EN/ release folders: the Ministerio de Sanidad, "
    "Consumo y Bienestar Social allows redistribution provided the content is not denaturalized, the source "
    "is cited and the date of the last update (14 January 2019) is given; the MIT LICENSE of "
    "github.com/aghie/head-qa covers its code",
    redistribution=ReleaseStatement(
        "the Ministerio de Sanidad, Consumo y Bienestar Social 'allows the redistribution of the "
        "exams and their content' provided the content is not denaturalized, the source is cited "
        "and the date of the last update is given (14 January 2019)",
        "'Legal requirements' in README.txt of the HEAD/ and HEAD_EN/ release folders",
    ),
    access="public",
    languages=("es", "en"),
    text_source="Exam",
    raw_files=(
        *(
            RawFile(_json_path(lang, part), f"{name} questions, {part} split (JSON)", required=False)
            for lang, name in (("es", "Spanish"), ("en", "English (machine-translated)"))
            for part in FILE_SPLITS
        ),
        RawFile(
            "HEAD/*.gold", "Spanish answer keys, one TSV per exam (qid, right answer id)", required=False
        ),
        RawFile(
            "HEAD_EN/*.gold", "English answer keys, one TSV per exam (qid, right answer id)", required=False
        ),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/claudiaqw/head-qa-afi/9a8c0b3be470a1d3a271dac15e9b0ef400e70d75/data/HEAD.zip",
            size=1_856_679,
            sha256="6bb1cf3bbf8eccab2c5be33c2eb63896f1bd8c14c7a305a9449b254be3d0bfc5",
            unpack="zip",
            note="third-party copy of the release archive (the authors' links are on Google Drive)",
        ),
        Download(
            "https://raw.githubusercontent.com/claudiaqw/head-qa-afi/9a8c0b3be470a1d3a271dac15e9b0ef400e70d75/data/HEAD_EN.zip",
            size=1_749_836,
            sha256="21ca4e48930a3afe63d50d722b6b335ecb636e283489713ac3e8706db20ed92e",
            unpack="zip",
            note="third-party copy of the release archive (the authors' links are on Google Drive)",
        ),
    ),
    notes="Source: exams of the Ministerio de Sanidad, Consumo y Bienestar Social; date of the last update "
    "of the reused documents: 14 January 2019. Some medicine questions refer to an image that is not part "
    "of the text; they are kept (the MedS-Bench test file counts them) and meta['image'] names the image. "
    "Answer ids 1-5 are shown as option letters A-E.",
)

MC_NOTE = "Answer ids 1-5 of the release are shown as letters A-E; meta keeps exam, category, year and qid."
TASKS = (
    Task(
        "task22",
        "task22_head_qa_answer_generation",
        "Question Answering",
        "This is a question from a Spanish specialised healthcare training exam (medicine, nursing, pharmacy, "
        "psychology, biology or chemistry), in English translation. Choose the correct option and reply with "
        "its letter followed by its text.",
        notes="The reference gives no language; we use the English version (HEAD_EN) so that this task "
        "complements task129, which holds the Spanish originals. " + MC_NOTE,
    ),
    Task(
        "task23",
        "task23_head_qa_language_translation_en_to_es",
        "Translation",
        "Translate this healthcare exam question and its answer options from English into Spanish, keeping "
        "the option letters.",
        output_languages=("es",),
        notes="English and Spanish items are paired by exam and question id; the English side is the "
        "release's machine translation of the Spanish original.",
    ),
    Task(
        "task24",
        "task24_head_qa_language_translation_es_to_en",
        "Translation",
        "Translate this healthcare exam question and its answer options from Spanish into English, keeping "
        "the option letters.",
        input_languages=("es",),
        output_languages=("en",),
        notes="Spanish and English items are paired by exam and question id; the English reference is the "
        "release's machine translation.",
    ),
    Task(
        "task25",
        "task25_head_qa_classification",
        "Text Classification",
        "Which Spanish specialised healthcare exam does this question come from? Answer with one word: "
        "medicine, nursing, pharmacology, psychology, biology or chemistry.",
        input_languages=("es", "en"),
        output_languages=("en",),
        notes="Labels are the exam categories of the release, with its 'nursery' written as 'nursing'. Both "
        "the Spanish and the English version of each question are classified; the reference gives no language.",
    ),
    Task(
        "task129",
        "task129_headqa_question_answering",
        "Question Answering",
        "This is a question from a Spanish specialised healthcare training exam, in Spanish. Choose the "
        "correct option and reply with its letter followed by its text.",
        input_languages=("es",),
        in_bench=True,
        notes="The test split is test_HEAD.json (2,742 questions, the size of the MedS-Bench file). "
        + MC_NOTE,
    ),
)


@dataclass(frozen=True)
class Question:
    exam: str
    category: str
    year: str
    qid: str
    text: str
    options: dict[str, str]  # letter -> text
    answer: str  # letter
    image: str


def generate(ctx: BuildContext) -> Iterator[Example]:
    golds = {lang: _gold_keys(ctx, f"{FOLDERS[lang][0]}/*.gold") for lang in FOLDERS}
    for part, split in FILE_SPLITS.items():
        questions = {}
        for lang in FOLDERS:
            path = ctx.optional(_json_path(lang, part))
            if path is not None:
                questions[lang] = _questions(path, lang, golds[lang])
        yield from _multiple_choice(questions, split)
        if len(questions) == 2:
            yield from _translations(ctx, questions["en"], questions["es"], split)


def _multiple_choice(
    questions: Mapping[str, dict[tuple[str, str], Question]], split: str
) -> Iterator[Example]:
    for lang, task in (("en", "task22"), ("es", "task129")):
        for (exam, qid), q in questions.get(lang, {}).items():
            text, outputs, meta = multiple_choice(q.text, q.options, [q.answer])
            meta.update(exam=exam, category=q.category, year=q.year, qid=qid)
            if q.image:
                meta["image"] = q.image
            yield Example(task, f"{exam}-{qid}", text, outputs, split=split, meta=meta)
            yield Example(
                "task25",
                f"{lang}-{exam}-{qid}",
                q.text,
                CATEGORIES[q.category],
                split=split,
                meta={"exam": exam, "qid": qid},
                input_language=lang,
            )


def _translations(
    ctx: BuildContext,
    english: dict[tuple[str, str], Question],
    spanish: dict[tuple[str, str], Question],
    split: str,
) -> Iterator[Example]:
    unpaired = len(english.keys() - spanish.keys())
    if unpaired:
        ctx.skip("English question without its Spanish original (no translation pair)", unpaired)
    for (exam, qid), es in spanish.items():
        en = english.get((exam, qid))
        if en is None:
            ctx.skip("Spanish question without its English version (no translation pair)")
            continue
        meta = {"exam": exam, "qid": qid}
        key = f"{exam}-{qid}"
        yield Example("task23", key, _item(en), _item(es), split=split, meta=meta)
        yield Example("task24", key, _item(es), _item(en), split=split, meta=meta)


def _item(q: Question) -> str:
    """The text to translate: the question, then its options by letter."""
    return "\n".join([q.text.strip(), *(f"{letter}. {text.strip()}" for letter, text in q.options.items())])


def _questions(path: Path, language: str, gold: dict[str, dict[str, str]]) -> dict[tuple[str, str], Question]:
    data = read_json(path)
    require(data, ("language", "exams"), path, "top level")
    if data["language"] != language:
        raise RawFormatError(path, "top level", f"language {data['language']!r}; expected {language!r}")
    if not isinstance(data["exams"], dict):
        raise RawFormatError(path, "exams", "expected an object keyed by exam name")
    found: dict[tuple[str, str], Question] = {}
    for exam, body in data["exams"].items():
        require(body, ("category", "year", "data"), path, f"exam {exam}")
        category = body["category"]
        if category not in CATEGORIES:
            raise RawFormatError(
                path,
                f"exam {exam}",
                f"unknown category {category!r}; expected one of {', '.join(CATEGORIES)}",
            )
        for position, item in enumerate(body["data"], start=1):
            q = _question(path, exam, category, str(body["year"]), position, item)
            if (exam, q.qid) in found:
                raise RawFormatError(
                    path, f"exam {exam}, qid {q.qid}", "question id appears twice in the exam"
                )
            if exam in gold:
                _check_gold(path, exam, q, item["ra"], gold[exam])
            found[exam, q.qid] = q
    return found


def _question(path: Path, exam: str, category: str, year: str, position: int, item: Any) -> Question:
    where = f"exam {exam}, question {position}"
    require(item, ("qid", "qtext", "ra", "answers"), path, where)
    qid = str(item["qid"])
    where = f"exam {exam}, qid {qid}"
    answers = item["answers"]
    if not isinstance(answers, list) or not answers:
        raise RawFormatError(path, where, "answers must be a non-empty list of {aid, atext}")
    options = {}
    for number, answer in enumerate(answers, start=1):
        require(answer, ("aid", "atext"), path, f"{where}, answer {number}")
        if str(answer["aid"]) != str(number):
            raise RawFormatError(
                path, where, f"answer ids must run 1, 2, ... in order; found {answer['aid']!r}"
            )
        options[chr(ord("A") + number - 1)] = answer["atext"]
    right = str(item["ra"])
    if not right.isdigit() or not 1 <= int(right) <= len(answers):
        raise RawFormatError(path, where, f"ra {item['ra']!r} is not one of the answer ids 1-{len(answers)}")
    return Question(
        exam,
        category,
        year,
        qid,
        item["qtext"],
        options,
        chr(ord("A") + int(right) - 1),
        item.get("image") or "",
    )


def _check_gold(path: Path, exam: str, q: Question, right: Any, gold: dict[str, str]) -> None:
    if q.qid not in gold:
        raise RawFormatError(path, f"exam {exam}, qid {q.qid}", f"question absent from {exam}.gold")
    if gold[q.qid] != str(right):
        raise RawFormatError(
            path,
            f"exam {exam}, qid {q.qid}",
            f"ra {right!r} differs from {exam}.gold, which gives {gold[q.qid]!r}",
        )


def _gold_keys(ctx: BuildContext, pattern: str) -> dict[str, dict[str, str]]:
    """exam name -> {qid: right answer id} from the .gold files (TSV without header)."""
    keys = {}
    for path in ctx.files(pattern):
        answers = {}
        for number, line in enumerate(read_text(path).splitlines(), start=1):
            if not line.strip():
                continue
            fields = line.strip().split("\t")
            if len(fields) != 2:
                raise RawFormatError(path, f"line {number}", "expected 'qid<TAB>right answer id'")
            answers[fields[0]] = fields[1]
        keys[path.stem] = answers
    return keys


BUILDER = Builder(CORPUS, TASKS, generate)
