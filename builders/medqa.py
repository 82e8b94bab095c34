"""MedQA: multiple-choice questions of medical licensing exams (USMLE in English, MCMLE in Chinese).

Official split: train (+ dev, folded into train) and test files of the release. English uses the
4-option USMLE files, Chinese the original 5-option Mainland files, as MMedBench does.
"""

from __future__ import annotations

from collections.abc import Iterator

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
)
from meds_ins.formats.jsonfiles import iter_json_lines, require

US = "data_clean/questions/US/4_options/phrases_no_exclude_{}.jsonl"
MAINLAND = "data_clean/questions/Mainland/{}.jsonl"
FILE_SPLITS = {"train": "train", "dev": "train", "test": "test"}

CORPUS = Corpus(
    id="medqa",
    name="MedQA",
    paper_names=("MedQA",),
    homepage="https://github.com/jind11/MedQA",
    download="the data_clean folder of the MedQA release (Google Drive link in github.com/jind11/MedQA)",
    citation="""@article{jin2021disease,
  title = {What Disease Does This Patient Have? A Large-Scale Open Domain Question Answering Dataset from
           Medical Exams},
  author = {Jin, Di and Pan, Eileen and Oufattole, Nassim and Weng, Wei-Hung and Fang, Hanyi and Szolovits, Peter},
  journal = {Applied Sciences},
  volume = {11},
  number = {14},
  pages = {6421},
  year = {2021}
}""",
    license="MIT",
    license_source="LICENSE in the MedQA data redistribution read for real-corpora (Copyright (c) 2022 Di Jin); "
    "the bigbio/med_qa card says the licence is unknown",
    redistribution=BY_LICENCE,
    access="public",
    languages=("en", "zh"),
    text_source="Exam",
    raw_files=tuple(
        RawFile(pattern.format(split), f"{exam} questions, {split} split (JSON Lines)", required=False)
        for pattern, exam in ((US, "USMLE 4-option"), (MAINLAND, "MCMLE 5-option"))
        for split in FILE_SPLITS
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/Teddy-XiongGZ/MIRAGE/392943af99cd94cafd50a0de2e7fca24bbf65494/rawdata/medqa/data_clean/questions/US/4_options/phrases_no_exclude_test.jsonl",
            target="data_clean/questions/US/4_options/phrases_no_exclude_test.jsonl",
            size=2_075_679,
            sha256="c3b905ccfa66152dc25afbcb2c10e86c0bdb208824f0658fcdb2c040f60a2beb",
            note="third-party copy (MIRAGE) of the US 4-option test file; the rest is only in the authors' release below",
        ),
        Download(
            "https://drive.google.com/file/d/1ImYUSLk9JbgHXOemfvyiDiirluZHPeQw/view?usp=sharing",
            target="MedQA data_clean",
            manual="Google Drive asks a browser to confirm the download, which a program cannot do reliably: open the link, download the file (the authors' release) and unpack it so that the corpus folder holds data_clean/questions/...",
            optional=True,
        ),
    ),
    notes="The licences of MedQA copies disagree (MIT in the data's LICENSE file, unknown on the bigbio card).",
)

TASKS = (
    Task(
        "task57",
        "task57_medqa_question_answering_en",
        "Question Answering",
        "This is a multiple-choice question from the United States Medical Licensing Examination. Choose the "
        "single best option and reply with its letter followed by the option text.",
        in_bench=True,
        notes="English USMLE questions with four options (the 4_options release files).",
    ),
    Task(
        "task58",
        "task58_medqa_question_answering_zh",
        "Question Answering",
        "This is a multiple-choice question from the Chinese national medical licensing examination. Choose "
        "the single best option and reply with its letter followed by the option text.",
        input_languages=("zh",),
        in_bench=True,
        notes="Chinese MCMLE questions with five options (Mainland release files).",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for task, pattern, language in (("task57", US, "en"), ("task58", MAINLAND, "zh")):
        for file_split, split in FILE_SPLITS.items():
            path = ctx.optional(pattern.format(file_split))
            if path is None:
                continue
            for line, item in iter_json_lines(path):
                where = f"line {line}"
                require(item, ("question", "options", "answer_idx"), path, where)
                options = item["options"]
                if not isinstance(options, dict) or not options:
                    raise RawFormatError(path, where, "options must be an object of letter -> option text")
                answer = item["answer_idx"]
                if answer not in options:
                    raise RawFormatError(
                        path, where, f"answer_idx {answer!r} is not one of the options {', '.join(options)}"
                    )
                if "answer" in item and item["answer"].strip() != options[answer].strip():
                    raise RawFormatError(
                        path,
                        where,
                        f"answer text {item['answer']!r} differs from option {answer} ({options[answer]!r})",
                    )
                text, outputs, meta = multiple_choice(item["question"], options, [answer])
                if item.get("meta_info"):
                    meta["exam"] = item["meta_info"]
                yield Example(
                    task,
                    f"{file_split}-{line}",
                    text,
                    outputs,
                    split=split,
                    meta=meta,
                    input_language=language,
                    output_language=language,
                )


BUILDER = Builder(CORPUS, TASKS, generate)
